//! Pre-send rules of the networks whose option objects carry required fields or limits of their
//! own (Ayrshare `ayrshare-api.md` §3.2 and §6.2): LinkedIn, TikTok, Pinterest, Reddit, Google
//! Business Profile and Snapchat. Text length and media counts are checked in `validate`.

use crate::catalog::Code;
use crate::error::{Action, ErrorReport};
use crate::platform::Platform;
use crate::request::{PostRequest, looks_like_video};
use serde_json::{Map, Value};

/// Appends the problems of `req` for `p` (a network of the list above; others have no rules here).
/// `refused`: option URLs the SSRF guard already refused (`option_urls`), not reported again here.
pub(crate) fn check(req: &PostRequest, p: Platform, refused: &[&str], errors: &mut Vec<ErrorReport>) {
    let empty = Map::new();
    let opts = req.option(p).unwrap_or(&empty);
    let media = Media::of(req);
    match p {
        Platform::Linkedin => no_mixing(p, &media, errors),
        Platform::Tiktok => {
            need_media(p, &media, "TikTok posts need one video or up to 35 images", errors);
            no_mixing(p, &media, errors);
            if media.videos > 1 {
                errors.push(media_rule(p, "TikTok takes one video per post", 1, media.videos));
            }
        }
        Platform::Pinterest => {
            need_media(p, &media, "a Pinterest pin needs an image or a video", errors);
            no_mixing(p, &media, errors);
            max_chars(p, opts, "title", 100, errors);
            max_chars(p, opts, "note", 1000, errors);
            let alt_texts = opts.get("altText").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
            if let Some(len) = alt_texts.map(|a| a.chars().count()).find(|len| *len > 500) {
                errors.push(net(Code::TextTooLong, p).arg("limit", 500).arg("overage", len - 500).details(format!("pinterestOptions.altText has {len} characters, limit 500")));
            }
            if let Some(link) = str_opt(opts, "link")
                && !refused.contains(&link)
                && (link.chars().count() > 2048 || !is_web_url(link))
            {
                errors.push(net(Code::MalformedBody, p).details(format!("pinterestOptions.link must be an http(s) URL of at most 2048 characters: {link}")));
            }
            if media.videos > 0 && str_opt(opts, "thumbNail").is_none() {
                errors.push(missing(p, "pinterestOptions.thumbNail"));
            }
        }
        Platform::Reddit => {
            for field in ["title", "subreddit"] {
                if str_opt(opts, field).is_none_or(|s| s.trim().is_empty()) {
                    errors.push(missing(p, &format!("redditOptions.{field}")));
                }
            }
            // Media go to Reddit as a link post to the URL (its own upload flow is not public).
            max_chars(p, opts, "title", 300, errors);
        }
        Platform::Gmb => check_gmb(opts, refused, errors),
        Platform::Snapchat => {
            if media.total() != 1 {
                errors.push(media_rule(p, "Snapchat posts need exactly one image or video", 1, media.total()));
            }
            max_chars(p, opts, "title", 45, errors);
        }
        _ => {}
    }
}

/// What the media URLs are, judged like Ayrshare does: by extension, or `isVideo` for all.
struct Media {
    videos: usize,
    images: usize,
}

impl Media {
    fn of(req: &PostRequest) -> Media {
        let videos = req.media_urls.iter().filter(|u| req.is_video || looks_like_video(u)).count();
        Media { videos, images: req.media_urls.len() - videos }
    }
    fn total(&self) -> usize {
        self.videos + self.images
    }
}


fn is_web_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn net(code: Code, p: Platform) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, p).arg("network", p.display_name())
}

fn missing(p: Platform, field: &str) -> ErrorReport {
    ErrorReport::for_platform(Code::MissingField, Action::Post, p).details(field).arg("field", field)
}

fn media_rule(p: Platform, why: &str, max: usize, count: usize) -> ErrorReport {
    net(Code::MediaRules, p).details(why).arg("max", max).arg("count", count)
}

fn need_media(p: Platform, media: &Media, why: &str, errors: &mut Vec<ErrorReport>) {
    if media.total() == 0 {
        errors.push(media_rule(p, why, p.rules().max_media, 0));
    }
}

fn no_mixing(p: Platform, media: &Media, errors: &mut Vec<ErrorReport>) {
    if media.videos > 0 && media.images > 0 {
        errors.push(media_rule(p, "images and videos cannot be mixed in one post", p.rules().max_media, media.total()));
    }
}

fn str_opt<'a>(opts: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    opts.get(key).and_then(Value::as_str)
}

fn max_chars(p: Platform, opts: &Map<String, Value>, key: &str, limit: usize, errors: &mut Vec<ErrorReport>) {
    let Some(len) = str_opt(opts, key).map(|s| s.chars().count()) else { return };
    if len > limit {
        errors.push(
            net(Code::TextTooLong, p)
                .arg("limit", limit)
                .arg("overage", len - limit)
                .details(format!("{}.{key} has {len} characters, limit {limit}", option_name(p))),
        );
    }
}

fn option_name(p: Platform) -> &'static str {
    match p {
        Platform::Pinterest => "pinterestOptions",
        Platform::Reddit => "redditOptions",
        Platform::Gmb => "gmbOptions",
        Platform::Snapchat => "snapChatOptions",
        Platform::Tiktok => "tikTokOptions",
        _ => "linkedInOptions",
    }
}

const GMB_ACTIONS: [&str; 6] = ["book", "order", "shop", "learn_more", "sign_up", "call"];

fn check_gmb(opts: &Map<String, Value>, refused: &[&str], errors: &mut Vec<ErrorReport>) {
    let p = Platform::Gmb;
    if let Some(cta) = opts.get("callToAction").filter(|v| !v.is_null()) {
        let action = cta.get("actionType").and_then(Value::as_str).map(str::to_ascii_lowercase);
        match action.as_deref() {
            None => errors.push(missing(p, "gmbOptions.callToAction.actionType")),
            Some(a) if !GMB_ACTIONS.contains(&a) => errors.push(
                net(Code::MalformedBody, p).details(format!("gmbOptions.callToAction.actionType must be one of {}", GMB_ACTIONS.join(", "))),
            ),
            Some("call") => {}
            Some(_) => match cta.get("url").and_then(Value::as_str) {
                Some(u) if is_web_url(u) || refused.contains(&u) => {}
                _ => errors.push(missing(p, "gmbOptions.callToAction.url")),
            },
        }
    }
    for kind in ["event", "offer"] {
        let Some(obj) = opts.get(kind).filter(|v| !v.is_null()) else { continue };
        for field in ["title", "startDate", "endDate"] {
            if obj.get(field).and_then(Value::as_str).is_none_or(|s| s.trim().is_empty()) {
                errors.push(missing(p, &format!("gmbOptions.{kind}.{field}")));
            }
        }
    }
    if let Some(code) = opts.get("offer").and_then(|o| o.get("couponCode")).and_then(Value::as_str) {
        let len = code.chars().count();
        if len > 58 {
            errors.push(net(Code::TextTooLong, p).arg("limit", 58).arg("overage", len - 58).details("gmbOptions.offer.couponCode"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(body: Value, p: Platform) -> Vec<(u16, Option<String>)> {
        let req = PostRequest::parse(&body).unwrap();
        let mut errors = Vec::new();
        check(&req, p, &[], &mut errors);
        errors.into_iter().map(|e| (e.code, e.details)).collect()
    }

    #[test]
    fn reddit_needs_title_and_subreddit() {
        let got = codes(json!({"post": "hi", "platforms": ["reddit"]}), Platform::Reddit);
        assert_eq!(got, vec![(901, Some("redditOptions.title".into())), (901, Some("redditOptions.subreddit".into()))]);
        let ok = json!({"post": "hi", "platforms": ["reddit"], "redditOptions": {"title": "t", "subreddit": "rust"}});
        assert!(codes(ok, Platform::Reddit).is_empty());
        let long = json!({"post": "hi", "platforms": ["reddit"], "redditOptions": {"title": "t".repeat(301), "subreddit": "rust"}});
        assert_eq!(codes(long, Platform::Reddit)[0].0, 132);
    }

    #[test]
    fn tiktok_pinterest_snapchat_need_media() {
        for p in [Platform::Tiktok, Platform::Pinterest, Platform::Snapchat] {
            let got = codes(json!({"post": "hi", "platforms": [p.as_str()]}), p);
            assert_eq!(got.first().map(|e| e.0), Some(182), "{p}");
        }
        let mixed = json!({"post": "hi", "platforms": ["tiktok"], "mediaUrls": ["https://a.example/v.mp4", "https://a.example/i.jpg"]});
        assert_eq!(codes(mixed, Platform::Tiktok)[0].0, 182);
        let two = json!({"post": "hi", "platforms": ["snapchat"], "mediaUrls": ["https://a.example/a.jpg", "https://a.example/i.jpg"]});
        assert_eq!(codes(two, Platform::Snapchat)[0].0, 182);
    }

    #[test]
    fn pinterest_options() {
        let body = json!({"post": "p", "platforms": ["pinterest"], "mediaUrls": ["https://a.example/v.mp4"],
            "pinterestOptions": {"title": "t".repeat(101), "link": "javascript:alert(1)"}});
        let got: Vec<u16> = codes(body, Platform::Pinterest).into_iter().map(|e| e.0).collect();
        assert_eq!(got, vec![132, 900, 901]);
        let long_alt = json!({"post": "p", "platforms": ["pinterest"], "mediaUrls": ["https://a.example/a.jpg"],
            "pinterestOptions": {"altText": ["a".repeat(501)], "note": "n".repeat(1001)}});
        assert_eq!(codes(long_alt, Platform::Pinterest).into_iter().map(|e| e.0).collect::<Vec<_>>(), vec![132, 132]);
    }

    #[test]
    fn gmb_call_to_action_event_offer() {
        let body = json!({"post": "g", "platforms": ["gmb"], "gmbOptions": {
            "callToAction": {"actionType": "learn_more"},
            "event": {"title": "Launch", "startDate": "2026-12-01"},
            "offer": {"title": "Sale", "startDate": "2026-12-01", "endDate": "2026-12-02", "couponCode": "c".repeat(59)}}});
        let got = codes(body, Platform::Gmb);
        assert_eq!(
            got,
            vec![
                (901, Some("gmbOptions.callToAction.url".into())),
                (901, Some("gmbOptions.event.endDate".into())),
                (132, Some("gmbOptions.offer.couponCode".into())),
            ]
        );
        let call = json!({"post": "g", "platforms": ["gmb"], "gmbOptions": {"callToAction": {"actionType": "CALL"}}});
        assert!(codes(call, Platform::Gmb).is_empty());
        let bad = json!({"post": "g", "platforms": ["gmb"], "gmbOptions": {"callToAction": {"actionType": "dance"}}});
        assert_eq!(codes(bad, Platform::Gmb)[0].0, 900);
    }
}
