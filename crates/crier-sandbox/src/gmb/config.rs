//! What tests can change about the Google Business Profile emulator
//! (`POST /_sandbox/gmb/config`), and the per-minute request window.

use serde::{Deserialize, Serialize};

/// Google's photo bounds for Business Profile media are 10 KB – 5 MB
/// (https://support.google.com/business/answer/6103862). The lower bound
/// defaults to 0 here so the media host's tiny test images pass; set
/// `minPhotoBytes: 10240` to enforce Google's.
pub(crate) const DEFAULT_MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The states a post can be created in or end in.
pub(crate) const STATES: [&str; 3] = ["LIVE", "PROCESSING", "REJECTED"];

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GmbConfig {
    pub min_photo_bytes: usize,
    pub max_photo_bytes: usize,
    /// `state` of a new post: `LIVE` (default), `PROCESSING` or `REJECTED`.
    pub initial_state: String,
    /// What a `PROCESSING` post becomes: `LIVE` (default) or `REJECTED`.
    pub final_state: String,
    /// Reads (get/list) of a `PROCESSING` post before it takes `finalState`.
    pub processing_reads: u32,
    /// Requests per minute before 429 (`0` = no limit, the default; Google's
    /// default quota is 300 per minute per project).
    pub requests_per_minute: u32,
    /// Every call answers 429 while set.
    pub rate_limited: bool,
    /// `Retry-After` on 429 answers (`None` = none, as Google sends).
    pub retry_after_secs: Option<u64>,
    /// `mediaFormat: VIDEO` answers 500 INTERNAL, as a third-party probe of the real API reported.
    /// Off by default: Google documents VIDEO as a media format of a post (and Ayrshare publishes
    /// videos to Business Profiles), so the emulator takes it.
    pub video_internal_error: bool,
}

impl Default for GmbConfig {
    fn default() -> Self {
        Self {
            min_photo_bytes: 0,
            max_photo_bytes: DEFAULT_MAX_PHOTO_BYTES,
            initial_state: "LIVE".into(),
            final_state: "LIVE".into(),
            processing_reads: 1,
            requests_per_minute: 0,
            rate_limited: false,
            retry_after_secs: None,
            video_internal_error: false,
        }
    }
}

/// Body of `POST /_sandbox/gmb/config`: given fields replace current ones
/// (`retryAfterSecs: 0` removes the header).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    min_photo_bytes: Option<usize>,
    max_photo_bytes: Option<usize>,
    initial_state: Option<String>,
    final_state: Option<String>,
    processing_reads: Option<u32>,
    requests_per_minute: Option<u32>,
    video_internal_error: Option<bool>,
    rate_limited: Option<bool>,
    retry_after_secs: Option<u64>,
}

impl GmbConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) -> Result<(), String> {
        for state in [&patch.initial_state, &patch.final_state]
            .into_iter()
            .flatten()
        {
            if !STATES.contains(&state.as_str()) {
                return Err(format!("state must be one of {STATES:?}, not {state:?}"));
            }
        }
        if patch.final_state.as_deref() == Some("PROCESSING") {
            return Err("finalState must be LIVE or REJECTED".into());
        }
        if let Some(v) = patch.video_internal_error {
            self.video_internal_error = v;
        }
        if let Some(v) = patch.min_photo_bytes {
            self.min_photo_bytes = v;
        }
        if let Some(v) = patch.max_photo_bytes {
            self.max_photo_bytes = v;
        }
        if let Some(v) = patch.initial_state {
            self.initial_state = v;
        }
        if let Some(v) = patch.final_state {
            self.final_state = v;
        }
        if let Some(v) = patch.processing_reads {
            self.processing_reads = v;
        }
        if let Some(v) = patch.requests_per_minute {
            self.requests_per_minute = v;
        }
        if let Some(v) = patch.rate_limited {
            self.rate_limited = v;
        }
        if let Some(v) = patch.retry_after_secs {
            self.retry_after_secs = (v > 0).then_some(v);
        }
        Ok(())
    }
}
