//! Checks of a `LocalPost` body (create, and the fields a patch replaces),
//! per https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
//! and what clients observe on the wire:
//!
//! * `topicType` is required; unknown enum values fail in the JSON
//!   transcoder (`google.rpc.BadRequest`).
//! * `summary` ≤ 1500 characters ("Must be at most 1500 characters").
//! * `callToAction`: `actionType` required; every type but `CALL` needs a
//!   `url`, `CALL` must not have one. Ignored on `OFFER` posts (documented).
//! * `EVENT` and `OFFER` need `event.title` (≤ 58 characters) and a full
//!   `schedule` (`startDate`, `startTime`, `endDate`, `endTime`), end not
//!   before start.
//! * `media[]`: `mediaFormat` and `sourceUrl` required.
//!
//! Field paths in `errorDetails[].field` are proto paths (snake_case), as
//! in observed answers (`address.postal_code`).

use serde_json::{Map, Value};

use super::error::{Detail, ErrorCode, GmbError};

pub(crate) const MAX_SUMMARY: usize = 1500;
pub(crate) const MAX_EVENT_TITLE: usize = 58;

const TOPIC_TYPES: [&str; 4] = ["STANDARD", "EVENT", "OFFER", "ALERT"];
const ACTION_TYPES: [&str; 7] = [
    "BOOK",
    "ORDER",
    "SHOP",
    "LEARN_MORE",
    "SIGN_UP",
    "GET_OFFER",
    "CALL",
];
const MEDIA_FORMATS: [&str; 2] = ["PHOTO", "VIDEO"];
const ALERT_TYPES: [&str; 1] = ["COVID_19"];

/// The fields a client may set on a LocalPost; output-only ones are dropped.
pub(crate) const WRITABLE: [&str; 8] = [
    "languageCode",
    "summary",
    "callToAction",
    "event",
    "media",
    "topicType",
    "alertType",
    "offer",
];

/// One media item to fetch.
#[derive(Clone, Debug)]
pub(crate) struct MediaItem {
    pub format: String,
    pub source_url: String,
}

fn missing(field: &str) -> Detail {
    Detail::new(
        ErrorCode::MissingValue,
        field,
        format!("{field} is required"),
    )
}

fn invalid(field: &str, message: impl Into<String>) -> Detail {
    Detail::new(ErrorCode::InvalidValue, field, message)
}

fn str_of<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

/// Checks an enum-valued field; `Ok(None)` when absent or unspecified.
fn enum_field<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    proto_field: &str,
    enum_type: &str,
    allowed: &[&str],
    unspecified: &str,
) -> Result<Option<&'a str>, GmbError> {
    let Some(value) = obj.get(key) else {
        return Ok(None);
    };
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Null => return Ok(None),
        other => {
            return Err(GmbError::bad_enum(
                proto_field,
                enum_type,
                &other.to_string(),
            ));
        }
    };
    if text == unspecified {
        return Ok(None);
    }
    if allowed.contains(&text) {
        Ok(Some(text))
    } else {
        Err(GmbError::bad_enum(proto_field, enum_type, text))
    }
}

fn is_http_url(url: &str) -> bool {
    reqwest::Url::parse(url)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .unwrap_or(false)
}

/// Keeps the writable fields of a body.
pub(crate) fn writable(body: &Map<String, Value>) -> Map<String, Value> {
    body.iter()
        .filter(|(k, _)| WRITABLE.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Validates a full post; returns the media items to fetch.
pub(crate) fn check_post(post: &Map<String, Value>) -> Result<Vec<MediaItem>, GmbError> {
    let topic = enum_field(
        post,
        "topicType",
        "local_post.topic_type",
        "LocalPostTopicType",
        &TOPIC_TYPES,
        "LOCAL_POST_TOPIC_TYPE_UNSPECIFIED",
    )?;
    enum_field(
        post,
        "alertType",
        "local_post.alert_type",
        "AlertType",
        &ALERT_TYPES,
        "ALERT_TYPE_UNSPECIFIED",
    )?;
    let mut details = Vec::new();
    let Some(topic) = topic else {
        details.push(missing("topic_type"));
        return Err(GmbError::validation(details));
    };
    if let Some(summary) = post.get("summary") {
        match summary.as_str() {
            Some(s) if s.chars().count() > MAX_SUMMARY => details.push(invalid(
                "summary",
                format!("Must be at most {MAX_SUMMARY} characters"),
            )),
            Some(_) => {}
            None if summary.is_null() => {}
            None => details.push(invalid("summary", "summary must be a string")),
        }
    }
    if topic != "OFFER" {
        check_call_to_action(post, &mut details)?;
    }
    if matches!(topic, "EVENT" | "OFFER") {
        check_event(post, &mut details);
    }
    if let Some(offer) = post.get("offer").and_then(Value::as_object)
        && let Some(url) = str_of(offer, "redeemOnlineUrl")
        && !url.is_empty()
        && !is_http_url(url)
    {
        details.push(invalid("offer.redeem_online_url", "Invalid url").value(url));
    }
    let media = check_media(post, &mut details)?;
    if details.is_empty() {
        Ok(media)
    } else {
        Err(GmbError::validation(details))
    }
}

fn check_call_to_action(
    post: &Map<String, Value>,
    details: &mut Vec<Detail>,
) -> Result<(), GmbError> {
    let Some(cta) = post.get("callToAction").filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let Some(cta) = cta.as_object() else {
        details.push(invalid(
            "call_to_action",
            "call_to_action must be an object",
        ));
        return Ok(());
    };
    let action = enum_field(
        cta,
        "actionType",
        "local_post.call_to_action.action_type",
        "CallToAction.ActionType",
        &ACTION_TYPES,
        "ACTION_TYPE_UNSPECIFIED",
    )?;
    let url = str_of(cta, "url").filter(|u| !u.is_empty());
    match (action, url) {
        (None, _) => details.push(missing("call_to_action.action_type")),
        (Some("CALL"), Some(url)) => details.push(
            invalid(
                "call_to_action.url",
                "url must not be set for action type CALL",
            )
            .value(url),
        ),
        (Some("CALL"), None) => {}
        (Some(_), None) => details.push(missing("call_to_action.url")),
        (Some(_), Some(url)) if !is_http_url(url) => {
            details.push(invalid("call_to_action.url", "Invalid url").value(url))
        }
        (Some(_), Some(_)) => {}
    }
    Ok(())
}

/// `{year, month, day}` as a comparable number, if valid.
fn date_of(v: Option<&Value>) -> Option<i64> {
    let d = v?.as_object()?;
    let year = d.get("year")?.as_i64()?;
    let month = d.get("month")?.as_u64()? as u32;
    let day = d.get("day")?.as_u64()? as u32;
    chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(year * 10_000 + i64::from(month) * 100 + i64::from(day))
}

/// `{hours, minutes?, seconds?}` as minutes of the day, if valid.
fn time_of(v: Option<&Value>) -> Option<i64> {
    let t = v?.as_object()?;
    let hours = t.get("hours").and_then(Value::as_i64).unwrap_or(0);
    let minutes = t.get("minutes").and_then(Value::as_i64).unwrap_or(0);
    ((0..=24).contains(&hours) && (0..60).contains(&minutes)).then_some(hours * 60 + minutes)
}

fn check_event(post: &Map<String, Value>, details: &mut Vec<Detail>) {
    let Some(event) = post.get("event").and_then(Value::as_object) else {
        details.push(missing("event"));
        return;
    };
    match str_of(event, "title").map(str::trim) {
        None | Some("") => details.push(missing("event.title")),
        Some(title) if title.chars().count() > MAX_EVENT_TITLE => details.push(invalid(
            "event.title",
            format!("Must be at most {MAX_EVENT_TITLE} characters"),
        )),
        Some(_) => {}
    }
    let Some(schedule) = event.get("schedule").and_then(Value::as_object) else {
        details.push(missing("event.schedule"));
        return;
    };
    let mut parts = Vec::new();
    for (key, proto, is_date) in [
        ("startDate", "event.schedule.start_date", true),
        ("startTime", "event.schedule.start_time", false),
        ("endDate", "event.schedule.end_date", true),
        ("endTime", "event.schedule.end_time", false),
    ] {
        let value = schedule.get(key);
        let parsed = if is_date {
            date_of(value)
        } else {
            time_of(value)
        };
        match (value, parsed) {
            (None, _) => details.push(missing(proto)),
            (Some(_), None) => details.push(invalid(proto, format!("Invalid {proto}"))),
            (Some(_), Some(n)) => parts.push(n),
        }
    }
    if let [start_date, start_time, end_date, end_time] = parts[..]
        && (end_date, end_time) < (start_date, start_time)
    {
        details.push(Detail::new(
            ErrorCode::InvertedRange,
            "event.schedule",
            "The end of the schedule is before its start",
        ));
    }
}

fn check_media(
    post: &Map<String, Value>,
    details: &mut Vec<Detail>,
) -> Result<Vec<MediaItem>, GmbError> {
    let items = match post.get("media") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => {
            details.push(invalid("media", "media must be a list"));
            return Ok(Vec::new());
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            details.push(invalid("media", "media item must be an object").index(i));
            continue;
        };
        let format = enum_field(
            item,
            "mediaFormat",
            &format!("local_post.media[{i}].media_format"),
            "MediaItem.MediaFormat",
            &MEDIA_FORMATS,
            "MEDIA_FORMAT_UNSPECIFIED",
        )?;
        let url = str_of(item, "sourceUrl").filter(|u| !u.trim().is_empty());
        match (format, url) {
            (None, _) => details.push(missing("media.media_format").index(i)),
            (_, None) => details.push(missing("media.source_url").index(i)),
            (Some(format), Some(url)) => out.push(MediaItem {
                format: format.to_owned(),
                source_url: url.trim().to_owned(),
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(v: Value) -> Result<Vec<MediaItem>, GmbError> {
        check_post(v.as_object().unwrap())
    }

    #[test]
    fn rules() {
        assert!(check(json!({"topicType": "STANDARD", "summary": "hi"})).is_ok());
        assert!(check(json!({"summary": "hi"})).is_err());
        assert!(check(json!({"topicType": "NEWS"})).is_err());
        let long = "x".repeat(MAX_SUMMARY + 1);
        assert!(check(json!({"topicType": "STANDARD", "summary": long})).is_err());
        let call = json!({"actionType": "CALL", "url": "https://a.example"});
        assert!(check(json!({"topicType": "STANDARD", "callToAction": call})).is_err());
        let call = json!({"actionType": "CALL"});
        assert!(check(json!({"topicType": "STANDARD", "callToAction": call})).is_ok());
        let book = json!({"actionType": "BOOK"});
        assert!(check(json!({"topicType": "STANDARD", "callToAction": book})).is_err());
        let schedule = json!({
            "startDate": {"year": 2030, "month": 1, "day": 2},
            "startTime": {"hours": 9},
            "endDate": {"year": 2030, "month": 1, "day": 2},
            "endTime": {"hours": 17, "minutes": 30},
        });
        assert!(
            check(json!({"topicType": "EVENT", "event": {"title": "Fair", "schedule": schedule}}))
                .is_ok()
        );
        assert!(check(json!({"topicType": "EVENT", "event": {"schedule": schedule}})).is_err());
        assert!(check(json!({"topicType": "EVENT", "event": {"title": "Fair"}})).is_err());
        let media = json!([{"mediaFormat": "PHOTO", "sourceUrl": "http://127.0.0.1/a.jpg"}]);
        let items = check(json!({"topicType": "STANDARD", "media": media})).unwrap();
        assert_eq!(items.len(), 1);
    }
}
