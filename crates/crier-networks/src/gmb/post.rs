//! The bodies crier sends: a `LocalPost` (`accounts.locations.localPosts.create`) or, for
//! `gmbOptions.isPhotoVideo`, a `MediaItem` for the location's photo section
//! (`accounts.locations.media.create` with `locationAssociation.category`).
//! Types: `developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts`
//! (LocalPost, CallToAction, LocalPostEvent, TimeInterval, LocalPostOffer, MediaItem).

use crate::{Content, Failure};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};

/// What `publish` sends, and where.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    LocalPost(Value),
    /// A photo or video for the location's photo section.
    Media(Value),
}

fn bad_option(details: String) -> Failure {
    Failure::Rejected(ErrorReport::for_platform(Code::MalformedBody, Action::Post, Platform::Gmb).details(details))
}

fn is_video(content: &Content, url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    content.is_video || [".mp4", ".mov", ".avi", ".webm"].iter().any(|e| path.ends_with(e))
}

fn media_format(content: &Content, url: &str) -> &'static str {
    if is_video(content, url) { "VIDEO" } else { "PHOTO" }
}

/// A date as Google's `Date` and, when the text has one, `TimeOfDay`. The wall-clock time is
/// kept as written: Google reads event times in the location's own time zone.
pub fn date_time(raw: &str) -> Option<(Value, Option<Value>)> {
    let raw = raw.trim();
    let naive = chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| d.naive_local())
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok())
        .or_else(|| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").ok());
    if let Some(n) = naive {
        let date = json!({"year": n.year(), "month": n.month(), "day": n.day()});
        let time = json!({"hours": n.hour(), "minutes": n.minute(), "seconds": n.second(), "nanos": 0});
        return Some((date, Some(time)));
    }
    let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    Some((json!({"year": d.year(), "month": d.month(), "day": d.day()}), None))
}

/// `{title, startDate, endDate}` → LocalPostEvent `{title, schedule: TimeInterval}`. Google's
/// TimeInterval "must contain all fields to be valid" and is inclusive, so a bare date runs from
/// the start of its first day to the end of its last.
fn event(o: &Map<String, Value>, what: &str) -> Result<Value, Failure> {
    let field = |k: &str| o.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let title = field("title").ok_or_else(|| bad_option(format!("gmbOptions.{what}.title is required")))?;
    let mut schedule = Map::new();
    let day_start = json!({"hours": 0, "minutes": 0, "seconds": 0, "nanos": 0});
    let day_end = json!({"hours": 23, "minutes": 59, "seconds": 59, "nanos": 0});
    for (key, time_key, whole_day) in [("startDate", "startTime", day_start), ("endDate", "endTime", day_end)] {
        let raw = field(key).ok_or_else(|| bad_option(format!("gmbOptions.{what}.{key} is required")))?;
        let (date, time) = date_time(raw).ok_or_else(|| bad_option(format!("gmbOptions.{what}.{key} {raw:?} is not an ISO 8601 date")))?;
        schedule.insert(key.into(), date);
        schedule.insert(time_key.into(), time.unwrap_or(whole_day));
    }
    Ok(json!({"title": title, "schedule": schedule}))
}

/// `{actionType: book|order|shop|learn_more|sign_up|call, url}` → CallToAction.
fn call_to_action(o: &Map<String, Value>) -> Result<Value, Failure> {
    let kind = o.get("actionType").and_then(Value::as_str).unwrap_or("").trim().to_ascii_uppercase();
    const TYPES: [&str; 6] = ["BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"];
    if !TYPES.contains(&kind.as_str()) {
        return Err(bad_option(format!("gmbOptions.callToAction.actionType must be one of book, order, shop, learn_more, sign_up, call (got {kind:?})")));
    }
    let mut cta = json!({"actionType": kind});
    // CALL uses the location's phone number; the others need a URL.
    match o.get("url").and_then(Value::as_str).filter(|u| !u.is_empty()) {
        Some(url) => cta["url"] = json!(url),
        None if kind != "CALL" => return Err(bad_option("gmbOptions.callToAction.url is required for this actionType".into())),
        None => {}
    }
    Ok(cta)
}

/// What `publish` sends for `content`.
pub fn build(content: &Content) -> Result<Body, Failure> {
    let o = &content.options;
    let obj = |k: &str| o.get(k).and_then(Value::as_object);
    let media_url = content.media_urls.first();
    if o.get("isPhotoVideo").and_then(Value::as_bool) == Some(true) {
        let url = media_url.ok_or_else(|| bad_option("gmbOptions.isPhotoVideo needs one image or video in mediaUrls".into()))?;
        let category = o.get("category").and_then(Value::as_str).unwrap_or("additional").trim().to_ascii_uppercase();
        let mut item = json!({
            "mediaFormat": media_format(content, url),
            "sourceUrl": url,
            "locationAssociation": {"category": category},
        });
        // The post's text becomes the item's description, which Google refuses on cover photos.
        if !content.text.trim().is_empty() && category != "COVER" {
            item["description"] = json!(content.text);
        }
        return Ok(Body::Media(item));
    }
    let mut post = json!({"summary": content.text, "topicType": "STANDARD"});
    if let Some(offer) = obj("offer") {
        post["topicType"] = json!("OFFER");
        post["event"] = event(offer, "offer")?;
        let mut details = Map::new();
        for key in ["couponCode", "redeemOnlineUrl", "termsConditions"] {
            if let Some(v) = offer.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()) {
                details.insert(key.into(), json!(v));
            }
        }
        post["offer"] = Value::Object(details);
    } else if let Some(ev) = obj("event") {
        post["topicType"] = json!("EVENT");
        post["event"] = event(ev, "event")?;
    }
    // Google ignores a call to action on offers; sending none keeps the request plain.
    if let (Some(cta), false) = (obj("callToAction"), obj("offer").is_some()) {
        post["callToAction"] = call_to_action(cta)?;
    }
    if let Some(url) = media_url {
        post["media"] = json!([{"mediaFormat": media_format(content, url), "sourceUrl": url}]);
    }
    Ok(Body::LocalPost(post))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(text: &str, media: &[&str], options: Value) -> Content {
        Content {
            text: text.into(),
            media_urls: media.iter().map(|s| s.to_string()).collect(),
            is_video: false,
            options: options.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn standard_post_with_photo_and_call_to_action() {
        let c = content("Hi", &["https://cdn.example.com/a.jpg"], json!({"callToAction": {"actionType": "learn_more", "url": "https://example.com"}}));
        let Body::LocalPost(p) = build(&c).unwrap() else { panic!() };
        assert_eq!(p["topicType"], "STANDARD");
        assert_eq!(p["summary"], "Hi");
        assert_eq!(p["callToAction"], json!({"actionType": "LEARN_MORE", "url": "https://example.com"}));
        assert_eq!(p["media"], json!([{"mediaFormat": "PHOTO", "sourceUrl": "https://cdn.example.com/a.jpg"}]));
    }

    #[test]
    fn event_schedule_keeps_wall_clock_time() {
        let c = content("Party", &[], json!({"event": {"title": "Open day", "startDate": "2030-05-01T10:30:00-04:00", "endDate": "2030-05-02"}}));
        let Body::LocalPost(p) = build(&c).unwrap() else { panic!() };
        assert_eq!(p["topicType"], "EVENT");
        let s = &p["event"]["schedule"];
        assert_eq!(s["startDate"], json!({"year": 2030, "month": 5, "day": 1}));
        assert_eq!(s["startTime"]["hours"], 10);
        assert_eq!(s["startTime"]["minutes"], 30);
        assert_eq!(s["endDate"], json!({"year": 2030, "month": 5, "day": 2}));
        assert_eq!(s["endTime"], json!({"hours": 23, "minutes": 59, "seconds": 59, "nanos": 0}), "a bare end date runs to its end");
    }

    #[test]
    fn offer_carries_event_and_offer_fields_without_call_to_action() {
        let c = content("Sale", &[], json!({
            "offer": {"title": "10% off", "startDate": "2030-05-01", "endDate": "2030-05-31", "couponCode": "SAVE10", "redeemOnlineUrl": "https://example.com/r", "termsConditions": "One per customer"},
            "callToAction": {"actionType": "shop", "url": "https://example.com"}
        }));
        let Body::LocalPost(p) = build(&c).unwrap() else { panic!() };
        assert_eq!(p["topicType"], "OFFER");
        assert_eq!(p["event"]["title"], "10% off");
        assert_eq!(p["offer"], json!({"couponCode": "SAVE10", "redeemOnlineUrl": "https://example.com/r", "termsConditions": "One per customer"}));
        assert!(p.get("callToAction").is_none());
    }

    #[test]
    fn photo_video_goes_to_the_photo_section() {
        let mut c = content("", &["https://cdn.example.com/v"], json!({"isPhotoVideo": true, "category": "food_and_drink"}));
        c.is_video = true;
        let Body::Media(m) = build(&c).unwrap() else { panic!() };
        assert_eq!(m, json!({"mediaFormat": "VIDEO", "sourceUrl": "https://cdn.example.com/v", "locationAssociation": {"category": "FOOD_AND_DRINK"}}));
        let described = content("Our patio", &["https://cdn.example.com/p.jpg"], json!({"isPhotoVideo": true}));
        let Body::Media(m) = build(&described).unwrap() else { panic!() };
        assert_eq!((m["description"].as_str(), m["locationAssociation"]["category"].as_str()), (Some("Our patio"), Some("ADDITIONAL")));
        let cover = content("Our patio", &["https://cdn.example.com/p.jpg"], json!({"isPhotoVideo": true, "category": "cover"}));
        let Body::Media(m) = build(&cover).unwrap() else { panic!() };
        assert!(m.get("description").is_none(), "Google takes no description on a cover photo");
    }

    #[test]
    fn bad_options_are_refused_before_sending() {
        for o in [
            json!({"callToAction": {"actionType": "dance", "url": "https://x"}}),
            json!({"callToAction": {"actionType": "book"}}),
            json!({"event": {"title": "x", "startDate": "tomorrow", "endDate": "2030-01-01"}}),
            json!({"offer": {"startDate": "2030-01-01", "endDate": "2030-01-02"}}),
            json!({"isPhotoVideo": true}),
        ] {
            assert!(matches!(build(&content("x", &[], o.clone())), Err(Failure::Rejected(_))), "{o}");
        }
        assert!(build(&content("x", &[], json!({"callToAction": {"actionType": "call"}}))).is_ok());
    }
}
