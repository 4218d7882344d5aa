//! X's bring-your-own app keys: they come with each request and live only in
//! memory, by post, until the post's X delivery settles. Never stored, never logged.

use crate::Engine;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

#[derive(Clone)]
pub struct ByoKeys {
    pub key: String,
    pub secret: String,
}

impl fmt::Debug for ByoKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByoKeys(<redacted>)")
    }
}

impl ByoKeys {
    /// Adds the app keys to a linked account's credentials (a copy that is never persisted).
    pub fn apply(&self, credentials: &Value) -> Value {
        let mut c = credentials.clone();
        c["consumerKey"] = Value::String(self.key.clone());
        c["consumerSecret"] = Value::String(self.secret.clone());
        c
    }
}

#[derive(Default)]
pub(crate) struct ByoVault(Mutex<HashMap<String, ByoKeys>>);

impl ByoVault {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ByoKeys>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Engine {
    /// Keeps the X app keys of a request for the deliveries of `post_id`.
    pub fn remember_byo(&self, post_id: &str, keys: ByoKeys) {
        self.byo.lock().insert(post_id.to_string(), keys);
    }

    pub(crate) fn byo_for(&self, post_id: &str) -> Option<ByoKeys> {
        self.byo.lock().get(post_id).cloned()
    }

    pub(crate) fn forget_byo(&self, post_id: &str) {
        self.byo.lock().remove(post_id);
    }
}
