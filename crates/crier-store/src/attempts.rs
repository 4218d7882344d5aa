//! What the attempt model (docs/delivery.md) counts on each delivery: network calls per phase.

/// Network calls of one delivery, per phase. Written with the delivery at each step.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Calls(pub std::collections::BTreeMap<String, i64>);

/// The phases of a delivery that call the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Prepare,
    Poll,
    Publish,
    Confirm,
    Lookup,
    Delete,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Prepare => "prepare",
            Phase::Poll => "poll",
            Phase::Publish => "publish",
            Phase::Confirm => "confirm",
            Phase::Lookup => "lookup",
            Phase::Delete => "delete",
        }
    }
}

impl Calls {
    pub fn count(&mut self, phase: Phase) {
        *self.0.entry(phase.as_str().to_string()).or_insert(0) += 1;
    }
    pub fn get(&self, phase: Phase) -> i64 {
        self.0.get(phase.as_str()).copied().unwrap_or(0)
    }
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}
