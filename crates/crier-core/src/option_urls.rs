//! Options that hold URLs (`thumbNail`, `link`, GMB's call-to-action and offer URLs), checked
//! when the post is made like `mediaUrls`: the SSRF guard's connection-free checks (scheme,
//! user name or password, IP literals in any spelling) refuse an image with 451 and a link with
//! 900, and an image URL must also be https like a media URL (136). Otherwise crier (YouTube and LinkedIn thumbnails) or
//! the network (covers, link previews) would fetch them later, or the post would fail at send time.

use crate::catalog::Code;
use crate::error::{Action, ErrorReport};
use crate::platform::Platform;
use crate::request::{OPTION_KEYS, PostRequest};
use serde_json::Value;

/// What is done with the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// An image fetched by crier or the network (a cover or thumbnail): held to the media URL rules.
    Image,
    /// A link shown with the post (networks crawl it for a preview).
    Link,
}

/// One URL found in a network's options; `field` names it in Ayrshare's spelling.
#[derive(Debug, PartialEq)]
struct OptionUrl<'a> {
    field: String,
    url: &'a str,
    kind: Use,
}

/// Every URL option crier sends or fetches for `p` (see each network module in crier-networks).
fn option_urls(req: &PostRequest, p: Platform) -> Vec<OptionUrl<'_>> {
    let Some(o) = req.option(p) else { return Vec::new() };
    let name = OPTION_KEYS.iter().find(|(q, _)| *q == p).map(|(_, keys)| keys[0]).unwrap_or("options");
    let mut found = Vec::new();
    let f = &mut found;
    match p {
        Platform::Instagram | Platform::Youtube | Platform::Linkedin => push(f, name, "thumbNail", o.get("thumbNail"), Use::Image),
        Platform::Pinterest => {
            push(f, name, "thumbNail", o.get("thumbNail"), Use::Image);
            push(f, name, "link", o.get("link"), Use::Link);
            for (i, item) in o.get("carouselOptions").and_then(Value::as_array).into_iter().flatten().enumerate() {
                push(f, name, &format!("carouselOptions[{i}].link"), item.get("link"), Use::Link);
            }
        }
        Platform::Facebook | Platform::Reddit => push(f, name, "link", o.get("link"), Use::Link),
        Platform::Gmb => {
            push(f, name, "callToAction.url", o.get("callToAction").and_then(|c| c.get("url")), Use::Link);
            push(f, name, "offer.redeemOnlineUrl", o.get("offer").and_then(|c| c.get("redeemOnlineUrl")), Use::Link);
        }
        _ => {}
    }
    found
}

fn push<'a>(found: &mut Vec<OptionUrl<'a>>, option: &str, path: &str, v: Option<&'a Value>, kind: Use) {
    if let Some(url) = v.and_then(Value::as_str).filter(|u| !u.trim().is_empty()) {
        found.push(OptionUrl { field: format!("{option}.{path}"), url, kind });
    }
}

/// Appends the problems of `p`'s URL options; returns the URLs the guard refused, so that the
/// shape checks of `validate_options` do not report them a second time.
pub(crate) fn check<'a>(
    req: &'a PostRequest,
    p: Platform,
    guard: &dyn Fn(&str) -> Option<String>,
    allow_loopback_http: bool,
    errors: &mut Vec<ErrorReport>,
) -> Vec<&'a str> {
    let net = |code: Code| ErrorReport::for_platform(code, Action::Post, p).arg("network", p.display_name());
    let mut refused = Vec::new();
    for OptionUrl { field, url, kind } in option_urls(req, p) {
        if let Some(why) = guard(url) {
            // An image is refused like a media URL (451); a link is a field with a wrong value (900,
            // as the shape checks of validate_options report a malformed link).
            let code = if kind == Use::Image { Code::ImageDownload } else { Code::MalformedBody };
            errors.push(net(code).details(format!("{field}: {url}: {why}")));
            refused.push(url);
        } else if kind == Use::Image && !crate::validate::is_media_url(url, allow_loopback_http) {
            errors.push(net(Code::MediaUrlInvalid).details(format!("{field}: not an https URL: {url}")));
        }
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(body: Value, p: Platform) -> Vec<(String, String, Use)> {
        let req = PostRequest::parse(&body).unwrap();
        option_urls(&req, p).into_iter().map(|u| (u.field, u.url.to_string(), u.kind)).collect()
    }

    #[test]
    fn finds_every_url_option_under_the_key_the_caller_used() {
        let body = json!({"post": "p", "platforms": ["pinterest"], "pinterestOptions": {
            "thumbNail": "https://a.example/t.jpg", "link": "https://a.example/", "title": "not a URL",
            "carouselOptions": [{"link": "https://b.example/"}, {"title": "none"}, {"link": ""}]}});
        assert_eq!(
            fields(body, Platform::Pinterest),
            vec![
                ("pinterestOptions.thumbNail".into(), "https://a.example/t.jpg".into(), Use::Image),
                ("pinterestOptions.link".into(), "https://a.example/".into(), Use::Link),
                ("pinterestOptions.carouselOptions[0].link".into(), "https://b.example/".into(), Use::Link),
            ]
        );
        let gmb = json!({"post": "g", "platforms": ["gmb"], "gmbOptions": {
            "callToAction": {"actionType": "shop", "url": "https://c.example/"}, "offer": {"redeemOnlineUrl": "https://d.example/"}}});
        assert_eq!(fields(gmb, Platform::Gmb).len(), 2);
        let yt = json!({"post": "v", "platforms": ["youtube"], "youtubeOptions": {"thumbNail": "https://e.example/t.png"}});
        assert_eq!(fields(yt, Platform::Youtube)[0].0, "youTubeOptions.thumbNail");
        assert!(fields(json!({"post": "t", "platforms": ["telegram"]}), Platform::Telegram).is_empty());
    }

    #[test]
    fn refused_links_are_900_and_plain_http_images_136() {
        let body = json!({"post": "p", "platforms": ["pinterest"], "pinterestOptions": {
            "thumbNail": "http://a.example/t.jpg", "link": "file:///etc/passwd"}});
        let req = PostRequest::parse(&body).unwrap();
        let guard = |u: &str| u.starts_with("file:").then(|| "scheme not allowed".to_string());
        let mut errors = Vec::new();
        let refused = check(&req, Platform::Pinterest, &guard, false, &mut errors);
        assert_eq!(refused, vec!["file:///etc/passwd"]);
        let got: Vec<(u16, &str)> = errors.iter().map(|e| (e.code, e.details.as_deref().unwrap())).collect();
        assert_eq!(
            got,
            vec![
                (136, "pinterestOptions.thumbNail: not an https URL: http://a.example/t.jpg"),
                (900, "pinterestOptions.link: file:///etc/passwd: scheme not allowed"),
            ]
        );
    }
}
