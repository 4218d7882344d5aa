//! How the deliveries of one post add up to the Ayrshare envelope's `status`,
//! `postIds`, `errors` and HTTP status (`error-catalog.md`, "The envelope").

use crate::error::ErrorReport;
use crate::platform::Platform;
use serde_json::{Map, Value, json};

#[derive(Clone, Debug, PartialEq)]
pub enum DeliveryOutcome {
    /// Not settled yet: queued, being prepared or sent, or scheduled.
    Pending,
    Published { id: String, url: Option<String>, extras: Map<String, Value> },
    /// Failed, cancelled, or unknown (code 905): all carry a catalog error.
    Failed(ErrorReport),
}

#[derive(Clone, Debug)]
pub struct NetworkResult {
    pub platform: Platform,
    pub outcome: DeliveryOutcome,
}

#[derive(Debug)]
pub struct Summary<'a> {
    /// `success` | `error` | `processing`.
    pub status: &'static str,
    pub http: u16,
    pub errors: Vec<&'a ErrorReport>,
    pub post_ids: Vec<Value>,
}

pub fn summarize(results: &[NetworkResult]) -> Summary<'_> {
    let mut errors = Vec::new();
    let mut post_ids = Vec::new();
    let mut unsettled = false;
    for r in results {
        match &r.outcome {
            DeliveryOutcome::Failed(e) => errors.push(e),
            DeliveryOutcome::Published { id, url, extras } => {
                let mut entry = json!({"status": "success", "id": id, "platform": r.platform});
                if let Some(u) = url {
                    entry["postUrl"] = json!(u);
                }
                for (k, v) in extras {
                    entry[k] = v.clone();
                }
                post_ids.push(entry);
            }
            DeliveryOutcome::Pending => {
                unsettled = true;
                // Same convention Ayrshare uses for TikTok: the id is "pending" until the network settles.
                post_ids.push(json!({"status": "pending", "id": "pending", "platform": r.platform}));
            }
        }
    }
    let (status, http) = if !errors.is_empty() {
        ("error", error_http(&errors, !post_ids.is_empty()))
    } else if unsettled {
        ("processing", 200)
    } else {
        ("success", 200)
    };
    Summary { status, http, errors, post_ids }
}

/// HTTP status when some errors exist: partial → 400; all failed → their common status, else 400.
pub fn error_http(errors: &[&ErrorReport], some_not_failed: bool) -> u16 {
    if some_not_failed {
        return 400;
    }
    let first = errors[0].http_status();
    if errors.iter().all(|e| e.http_status() == first) { first } else { 400 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, Code};

    fn failed(code: Code, p: Platform) -> NetworkResult {
        NetworkResult { platform: p, outcome: DeliveryOutcome::Failed(ErrorReport::for_platform(code, Action::Post, p)) }
    }
    fn ok(p: Platform) -> NetworkResult {
        NetworkResult {
            platform: p,
            outcome: DeliveryOutcome::Published { id: "1".into(), url: None, extras: Map::new() },
        }
    }

    #[test]
    fn http_rules() {
        assert_eq!(summarize(&[ok(Platform::Telegram)]).http, 200);
        let r = [ok(Platform::Telegram), failed(Code::NetworkRejected, Platform::Bluesky)];
        let s = summarize(&r);
        assert_eq!((s.status, s.http, s.post_ids.len()), ("error", 400, 1));
        assert_eq!(summarize(&[failed(Code::InstagramRateLimit, Platform::Instagram)]).http, 429);
        let r = [failed(Code::YoutubeTimeout, Platform::Youtube), failed(Code::YoutubeTimeout, Platform::Youtube)];
        assert_eq!(summarize(&r).http, 504);
        let r = [failed(Code::YoutubeTimeout, Platform::Youtube), failed(Code::InstagramRateLimit, Platform::Instagram)];
        assert_eq!(summarize(&r).http, 400);
    }
}
