//! One error occurrence: a catalog code plus what this occurrence knows
//! (network, upstream details, message arguments). Rendering into the
//! Ayrshare JSON, with a translated message, is the API's job.

use crate::catalog::{Code, Retry};
use crate::platform::Platform;
use serde::{Deserialize, Serialize};

/// The operation that produced an error (`action` on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Post,
    Delete,
    Analytics,
    History,
    Comment,
    Upload,
    Link,
    Retry,
    Profile,
    Auth,
    /// The routes of endpoint families crier lacks (912/920 name the route they were asked for).
    User,
    Feed,
    Webhook,
    Brand,
    Generate,
    Hashtags,
    Reviews,
    Messages,
    Validate,
    /// A path that names no endpoint family at all.
    Request,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Post => "post",
            Action::Delete => "delete",
            Action::Analytics => "analytics",
            Action::History => "history",
            Action::Comment => "comment",
            Action::Upload => "upload",
            Action::Link => "link",
            Action::Retry => "retry",
            Action::Profile => "profile",
            Action::Auth => "auth",
            Action::User => "user",
            Action::Feed => "feed",
            Action::Webhook => "webhook",
            Action::Brand => "brand",
            Action::Generate => "generate",
            Action::Hashtags => "hashtags",
            Action::Reviews => "reviews",
            Action::Messages => "messages",
            Action::Validate => "validate",
            Action::Request => "request",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorReport {
    pub code: u16,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Raw upstream text or the exact cause; never translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default)]
    pub retry_available: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    /// Values for the placeholders of the translated message (e.g. `limit`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
}

impl ErrorReport {
    pub fn new(code: Code, action: Action) -> Self {
        ErrorReport {
            code: code.number(),
            action,
            platform: None,
            details: None,
            retry_available: code.entry().retry == Retry::Always,
            source: None,
            post: None,
            args: Vec::new(),
        }
    }

    pub fn for_platform(code: Code, action: Action, platform: Platform) -> Self {
        let mut e = ErrorReport::new(code, action);
        e.platform = Some(platform);
        e
    }

    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    pub fn arg(mut self, name: &str, value: impl ToString) -> Self {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    /// For `Retry::Judged` codes the network module decides; other codes keep the table's answer.
    pub fn judged_retry(mut self, retryable: bool) -> Self {
        if self.catalog_code().entry().retry == Retry::Judged {
            self.retry_available = retryable;
        }
        self
    }

    pub fn catalog_code(&self) -> Code {
        Code::from_number(self.code).unwrap_or(Code::Internal)
    }

    pub fn http_status(&self) -> u16 {
        self.catalog_code().http()
    }
}
