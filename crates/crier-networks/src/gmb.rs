//! Gmb connector (stub until written).

use crate::{Call, Content, Failure, Network, Published};

use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::Value;

pub struct Gmb {
    #[allow(dead_code)]
    base: String,

}

impl Gmb {
    pub fn new(base: &str) -> Self {
        Gmb { base: base.trim_end_matches('/').to_string() }
    }
}

fn stub() -> Failure {
    Failure::Rejected(ErrorReport::for_platform(Code::NotSupported, Action::Post, Platform::Gmb).arg("network", Platform::Gmb.display_name()))
}

#[async_trait]
impl Network for Gmb {
    fn platform(&self) -> Platform {
        Platform::Gmb
    }

    async fn prepare(&self, _call: &Call<'_>, _content: &Content) -> Result<Value, Failure> {
        Err(stub())
    }

    async fn publish(&self, _call: &Call<'_>, _content: &Content, _step: &Value) -> Result<Published, Failure> {
        Err(stub())
    }

    async fn delete(&self, _call: &Call<'_>, _native_id: &str) -> Result<(), Failure> {
        Err(stub())
    }
}
