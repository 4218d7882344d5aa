//! Graph's usage accounting: `X-App-Usage` (app level), `X-Business-Use-Case-Usage`
//! (per Page / Instagram account, with minutes to regain access) and the
//! legacy `X-Page-Usage`. Each is a rolling-hour call count turned into whole
//! percentages; at 100 Graph answers 4 / 80001 / 80002. Calls made while
//! throttled still count, which is how Meta's "penalty extension" behaves: a
//! client that keeps calling stays blocked.

use std::collections::{HashMap, VecDeque};

use axum::http::HeaderValue;
use axum::response::Response;
use serde_json::json;

const WINDOW_MS: i64 = 3_600_000;
/// Bounds memory for a client hammering the sandbox.
const MAX_TRACKED: usize = 200_000;

/// One usage reading, all in whole percent (regain in minutes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pct {
    pub call_count: u32,
    pub total_cputime: u32,
    pub total_time: u32,
    pub regain_minutes: u32,
    /// The budget is exceeded: the call must be refused.
    pub over: bool,
}

impl Pct {
    /// Forced to the top (a throttle switched on by a test).
    pub(crate) fn full(regain_minutes: u32) -> Self {
        Self {
            call_count: 100,
            total_cputime: 100,
            total_time: 100,
            regain_minutes,
            over: true,
        }
    }
}

#[derive(Default)]
pub(crate) struct Usage {
    app: VecDeque<i64>,
    objects: HashMap<String, VecDeque<i64>>,
}

fn roll(calls: &mut VecDeque<i64>, now: i64) {
    while calls.front().is_some_and(|t| *t <= now - WINDOW_MS) {
        calls.pop_front();
    }
    while calls.len() > MAX_TRACKED {
        calls.pop_front();
    }
}

fn percent(n: usize, budget: u32, share: u64) -> u32 {
    if budget == 0 {
        return 0;
    }
    let value = (n as u64 * share).div_ceil(u64::from(budget));
    value.min(100) as u32
}

fn reading(calls: &VecDeque<i64>, budget: u32, now: i64) -> Pct {
    let n = calls.len();
    let over = budget > 0 && n > budget as usize;
    let regain_minutes = if over {
        // Access comes back once enough calls have left the window.
        let index = n - budget as usize;
        let at = calls.get(index).copied().unwrap_or(now) + WINDOW_MS;
        ((at - now).max(0) as u64).div_ceil(60_000).max(1) as u32
    } else {
        0
    };
    Pct {
        call_count: percent(n, budget, 100),
        // CPU and wall time budgets fill more slowly than the call count
        // for the light calls a publisher makes.
        total_cputime: percent(n, budget, 40),
        total_time: percent(n, budget, 60),
        regain_minutes,
        over,
    }
}

impl Usage {
    /// Counts one app-level call and returns the reading after it.
    pub(crate) fn record_app(&mut self, budget: u32, now: i64) -> Pct {
        roll(&mut self.app, now);
        self.app.push_back(now);
        reading(&self.app, budget, now)
    }

    /// Counts one call against a business object (Page / IG account).
    pub(crate) fn record_object(&mut self, id: &str, budget: u32, now: i64) -> Pct {
        let calls = self.objects.entry(id.to_owned()).or_default();
        roll(calls, now);
        calls.push_back(now);
        reading(calls, budget, now)
    }

    /// The current reading without counting a call.
    pub(crate) fn peek_app(&mut self, budget: u32, now: i64) -> Pct {
        roll(&mut self.app, now);
        reading(&self.app, budget, now)
    }

    #[cfg(test)]
    pub(crate) fn peek_object(&mut self, id: &str, budget: u32, now: i64) -> Pct {
        match self.objects.get_mut(id) {
            Some(calls) => {
                roll(calls, now);
                reading(calls, budget, now)
            }
            None => Pct::default(),
        }
    }
}

/// The BUC `type` of a business object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BucType {
    Pages,
    Instagram,
}

impl BucType {
    fn name(self) -> &'static str {
        match self {
            BucType::Pages => "pages",
            BucType::Instagram => "instagram",
        }
    }
}

fn set(response: &mut Response, name: &'static str, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
}

fn triple(p: Pct) -> String {
    json!({"call_count": p.call_count, "total_cputime": p.total_cputime, "total_time": p.total_time})
        .to_string()
}

pub(crate) fn apply_app(response: &mut Response, p: Pct) {
    set(response, "x-app-usage", triple(p));
}

pub(crate) fn apply_buc(response: &mut Response, id: &str, kind: BucType, p: Pct) {
    let value = json!({
        id: [{
            "type": kind.name(),
            "call_count": p.call_count,
            "total_cputime": p.total_cputime,
            "total_time": p.total_time,
            "estimated_time_to_regain_access": p.regain_minutes,
        }]
    });
    set(response, "x-business-use-case-usage", value.to_string());
    if kind == BucType::Pages {
        set(response, "x-page-usage", triple(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_rise_and_flip_at_the_budget() {
        let mut usage = Usage::default();
        let first = usage.record_object("p", 10, 1_000);
        assert_eq!(first.call_count, 10);
        assert!(!first.over);
        for i in 0..9 {
            usage.record_object("p", 10, 1_001 + i);
        }
        let full = usage.peek_object("p", 10, 2_000);
        assert_eq!(full.call_count, 100);
        assert!(!full.over);
        let over = usage.record_object("p", 10, 2_000);
        assert!(over.over);
        assert!(over.regain_minutes >= 59);
        // An hour later the window is empty again.
        assert_eq!(
            usage
                .record_object("p", 10, 2_000 + WINDOW_MS + 1)
                .call_count,
            10
        );
        assert_eq!(usage.record_app(0, 5).call_count, 0, "0 = unlimited");
    }
}
