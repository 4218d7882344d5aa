//! Tunables of the Meta emulator (`/_sandbox/meta/config`) and the throttles
//! a test switches on (`/_sandbox/meta/throttle`). Numbers Meta changes over
//! time (publishing caps, usage budgets) live here, not in the handlers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::seed;

/// What a new container becomes once its processing delay has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Outcome {
    Finished,
    Error,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MetaConfig {
    /// How long a media container stays `IN_PROGRESS` (0 = `FINISHED` at once).
    pub container_delay_ms: u64,
    /// What containers created from now on end as.
    pub container_outcome: Outcome,
    /// Instagram subcode in the `status` text of an `ERROR` container.
    pub container_error_subcode: i64,
    /// Threads `error_message` of an `ERROR` container (outcome `error`).
    pub threads_error_message: String,
    /// After this long an unpublished container is `EXPIRED` (Meta: 24 h).
    pub container_expiry_ms: u64,
    /// Instagram publishes per IG user per rolling 24 h.
    pub instagram_daily_limit: u32,
    /// Threads publishes per profile per rolling 24 h.
    pub threads_daily_limit: u32,
    /// Calls per rolling hour that make `X-App-Usage` reach 100 (0 = no limit).
    pub app_calls_per_hour: u32,
    /// Calls per rolling hour per Page / IG account that make its
    /// `X-Business-Use-Case-Usage` reach 100 (0 = no limit).
    pub buc_calls_per_hour: u32,
    /// How long the crawler waits for a media host before giving up.
    pub crawler_timeout_ms: u64,
}

impl Default for MetaConfig {
    fn default() -> Self {
        Self {
            container_delay_ms: 0,
            container_outcome: Outcome::Finished,
            container_error_subcode: 2207026,
            threads_error_message: "UNKNOWN".into(),
            container_expiry_ms: 24 * 3600 * 1000,
            instagram_daily_limit: 50,
            threads_daily_limit: 250,
            app_calls_per_hour: 5000,
            buc_calls_per_hour: 4800,
            crawler_timeout_ms: 10_000,
        }
    }
}

/// A partial update: absent fields keep their value.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    container_delay_ms: Option<u64>,
    container_outcome: Option<Outcome>,
    container_error_subcode: Option<i64>,
    threads_error_message: Option<String>,
    container_expiry_ms: Option<u64>,
    instagram_daily_limit: Option<u32>,
    threads_daily_limit: Option<u32>,
    app_calls_per_hour: Option<u32>,
    buc_calls_per_hour: Option<u32>,
    crawler_timeout_ms: Option<u64>,
}

impl MetaConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) {
        macro_rules! take {
            ($($field:ident),*) => { $( if let Some(v) = patch.$field { self.$field = v; } )* };
        }
        take!(
            container_delay_ms,
            container_outcome,
            container_error_subcode,
            threads_error_message,
            container_expiry_ms,
            instagram_daily_limit,
            threads_daily_limit,
            app_calls_per_hour,
            buc_calls_per_hour,
            crawler_timeout_ms
        );
    }
}

/// Throttles switched on through the control API.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Throttles {
    /// Page id → minutes announced in `estimated_time_to_regain_access`.
    pub page_insights: BTreeMap<String, u32>,
    /// `Retry-After` seconds of the HTTP 429 that `media_publish` answers.
    pub instagram_publish: Option<u64>,
    /// `media_publish` answers 368/1390008.
    pub instagram_spam: bool,
    /// Every call answers code 4.
    pub app: bool,
}

/// Body of `POST /_sandbox/meta/throttle`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ThrottleRequest {
    pub scope: String,
    #[serde(default)]
    pub on: Option<bool>,
    #[serde(default)]
    pub page_id: Option<String>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub minutes: Option<u32>,
}

impl Throttles {
    /// Applies a request; `Err` names what is wrong with it.
    pub(crate) fn apply(&mut self, req: ThrottleRequest) -> Result<(), String> {
        match req.scope.as_str() {
            "page-insights" => {
                let page = req
                    .page_id
                    .unwrap_or_else(|| seed::FACEBOOK_PAGE_ID.to_owned());
                if req.on.unwrap_or(true) {
                    self.page_insights
                        .insert(page, req.minutes.unwrap_or(30).max(1));
                } else {
                    self.page_insights.remove(&page);
                }
            }
            "instagram-publish" => {
                // Giving `retryAfter` switches it on unless `on: false` says otherwise.
                let on = req.on.unwrap_or(true);
                self.instagram_publish = on.then(|| req.retry_after.unwrap_or(60));
            }
            "instagram-spam" => self.instagram_spam = req.on.unwrap_or(true),
            "app" => self.app = req.on.unwrap_or(true),
            other => {
                return Err(format!(
                    "unknown scope {other:?} (expected \"page-insights\", \"instagram-publish\", \"instagram-spam\" or \"app\")"
                ));
            }
        }
        Ok(())
    }
}
