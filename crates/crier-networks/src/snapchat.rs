//! Snapchat connector (stub until written).

use crate::{Call, Content, Failure, Network, Published};
use crate::MediaSource;
use std::sync::Arc;
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::Value;

pub struct Snapchat {
    #[allow(dead_code)]
    base: String,
    #[allow(dead_code)]
    media: Arc<dyn MediaSource>,
}

impl Snapchat {
    pub fn new(base: &str, media: Arc<dyn MediaSource>) -> Self {
        Snapchat { base: base.trim_end_matches('/').to_string(), media }
    }
}

fn stub() -> Failure {
    Failure::Rejected(ErrorReport::for_platform(Code::NotSupported, Action::Post, Platform::Snapchat).arg("network", Platform::Snapchat.display_name()))
}

#[async_trait]
impl Network for Snapchat {
    fn platform(&self) -> Platform {
        Platform::Snapchat
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
