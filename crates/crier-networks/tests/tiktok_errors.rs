//! TikTok's error-mapping table, one row per recorded answer, and what `status/fetch` answers
//! mean for `confirm`.

mod common;
use common::outcome;
use crier_networks::tiktok::{self, Answer};
use crier_networks::{Confirmed, Failure, Published};
use serde_json::{Map, Value, json};
use std::time::Duration;

const DAILY_LIMIT: u32 = 15;

fn answer(case: &str) -> Answer {
    let (status, headers, body) = common::fixture(&format!("tiktok/{case}.json"), 0);
    Answer { status, headers, body }
}

fn mapped(case: &str) -> Failure {
    tiktok::map_error(&answer(case), "video.publish", DAILY_LIMIT)
}

#[test]
fn error_table() {
    // (case, transient, code, retryAvailable, retry after in seconds)
    for (case, transient, code, retry, after) in [
        ("access_token_invalid", false, 908, false, None),
        ("scope_not_authorized", false, 915, false, None),
        ("scope_permission_missed", false, 915, false, None),
        ("rate_limit_exceeded", true, 909, false, Some(60)),
        ("rate_limit_retry_after", true, 909, false, Some(17)),
        ("spam_risk_too_many_posts", false, 923, false, None),
        ("reached_active_user_cap", false, 923, false, None),
        ("spam_risk_user_banned_from_posting", false, 915, false, None),
        ("unaudited_client", false, 915, false, None),
        ("privacy_level_option_mismatch", false, 915, false, None),
        ("invalid_params", false, 915, false, None),
        ("invalid_params_media", false, 182, false, None),
        ("invalid_params_url", false, 136, false, None),
        ("invalid_file_upload", false, 182, false, None),
        ("url_ownership_unverified", false, 136, false, None),
        ("internal_error", true, 910, true, None),
        ("bad_gateway", true, 910, true, None),
    ] {
        let (t, c, r, a, details) = outcome(mapped(case));
        assert_eq!((t, c, r, a), (transient, code, retry, after.map(Duration::from_secs)), "tiktok/{case}");
        let body = answer(case).body;
        match body.pointer("/error/message").and_then(Value::as_str) {
            // The rate limit's details are the seconds to wait; everything else carries TikTok's text.
            Some(_) if code == 909 => assert_eq!(details, after.unwrap().to_string(), "tiktok/{case}"),
            Some(message) => {
                assert!(details.contains(message), "tiktok/{case}: {details}");
                assert!(details.contains(body["error"]["code"].as_str().unwrap()), "tiktok/{case}: {details}");
                assert!(details.contains(body["error"]["log_id"].as_str().unwrap()), "tiktok/{case}: log id for TikTok support");
            }
            None => assert_eq!(details, "HTTP 502", "tiktok/{case}"),
        }
    }
}

#[test]
fn scope_errors_name_the_missing_scope() {
    let (_, _, _, _, details) = outcome(tiktok::map_error(&answer("scope_not_authorized"), "video.upload", DAILY_LIMIT));
    assert!(details.contains("video.upload"), "{details}");
}

#[test]
fn daily_caps_carry_the_limit() {
    for case in ["spam_risk_too_many_posts", "reached_active_user_cap"] {
        let Failure::Rejected(e) = mapped(case) else { panic!("{case} is final") };
        assert!(e.args.contains(&("limit".to_string(), "15".to_string())), "{case}: {:?}", e.args);
        assert!(e.args.contains(&("network".to_string(), "TikTok".to_string())));
    }
}

#[test]
fn unverified_domain_explains_the_verification() {
    let (_, _, _, _, details) = outcome(mapped("url_ownership_unverified"));
    assert!(details.starts_with("url_ownership_unverified"), "{details}");
}

#[test]
fn fail_reason_table() {
    for (reason, transient, code) in [
        ("file_format_check_failed", false, 182),
        ("duration_check_failed", false, 182),
        ("frame_rate_check_failed", false, 182),
        ("picture_size_check_failed", false, 182),
        ("video_pull_failed", false, 136),
        ("photo_pull_failed", false, 136),
        ("spam_risk_too_many_posts", false, 923),
        ("publish_cancelled", false, 915),
        ("auth_removed", false, 915),
        ("internal", true, 910),
    ] {
        let (t, c, _, _, details) = outcome(tiktok::map_fail_reason(reason, DAILY_LIMIT));
        assert_eq!((t, c), (transient, code), "fail_reason {reason}");
        assert!(details.contains(reason), "{reason}: {details}");
    }
}

fn accepted(username: Option<&str>) -> Published {
    let mut extras = Map::new();
    extras.insert("publishId".into(), json!("v_pub_url~v2.123456789"));
    if let Some(u) = username {
        extras.insert("username".into(), json!(u));
    }
    Published { id: "v_pub_url~v2.123456789".into(), url: None, extras }
}

fn status(case: &str, published: &Published) -> Result<Confirmed, Failure> {
    tiktok::status_outcome(answer(case).data(), published, Duration::from_secs(7), DAILY_LIMIT)
}

#[test]
fn processing_is_asked_again_after_the_poll_interval() {
    let Ok(Confirmed::Pending { retry_in }) = status("status_processing", &accepted(None)) else { panic!("still processing") };
    assert_eq!(retry_in, Duration::from_secs(7));
}

#[test]
fn complete_post_gets_its_public_id_and_url() {
    let Ok(Confirmed::Done(p)) = status("status_complete", &accepted(Some("acme"))) else { panic!("complete") };
    assert_eq!(p.id, "7077642457847991554");
    assert_eq!(p.url.as_deref(), Some("https://www.tiktok.com/@acme/video/7077642457847991554"));
    assert_eq!(p.extras["publishId"], "v_pub_url~v2.123456789");
    // Without the creator's username there is no URL to give.
    let Ok(Confirmed::Done(p)) = status("status_complete", &accepted(None)) else { panic!("complete") };
    assert_eq!((p.id.as_str(), p.url), ("7077642457847991554", None));
    let mut photos = accepted(Some("acme"));
    photos.extras.insert("isVideo".into(), json!(false));
    let Ok(Confirmed::Done(p)) = status("status_complete", &photos) else { panic!("complete") };
    assert_eq!(p.url.as_deref(), Some("https://www.tiktok.com/@acme/photo/7077642457847991554"));
}

#[test]
fn private_posts_and_drafts_keep_the_publish_id() {
    for case in ["status_complete_private", "status_inbox"] {
        let Ok(Confirmed::Done(p)) = status(case, &accepted(Some("acme"))) else { panic!("{case} is done") };
        assert_eq!((p.id.as_str(), p.url.as_deref()), ("v_pub_url~v2.123456789", None), "{case}");
    }
}

#[test]
fn failed_posts_are_final() {
    let Err(Failure::Rejected(e)) = status("status_failed_pull", &accepted(None)) else { panic!("final") };
    assert_eq!(e.code, 136);
    assert!(e.details.unwrap().contains("video_pull_failed"));
    // TikTok's own failure is final too (asking again reads the same FAILED), but retry is offered.
    let Err(Failure::Rejected(e)) = status("status_failed_internal", &accepted(None)) else { panic!("final") };
    assert_eq!((e.code, e.retry_available), (910, true));
}
