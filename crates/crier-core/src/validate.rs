//! Checks run on a parsed post before anything is stored or sent. Every
//! problem is reported, each with its catalog code and network.

use crate::catalog::Code;
use crate::error::{Action, ErrorReport};
use crate::platform::Platform;
use crate::request::{PostRequest, Targets};
use serde_json::Value;

pub const TWITTER_KEY_HEADER: &str = "X-Twitter-OAuth1-Api-Key";
pub const TWITTER_SECRET_HEADER: &str = "X-Twitter-OAuth1-Api-Secret";

/// The reason a media URL is refused before any connection, if it is.
pub type UrlGuard = dyn Fn(&str) -> Option<String> + Sync;

/// What validation needs to know beyond the body.
pub struct Context<'a> {
    /// Networks linked to the calling profile.
    pub linked: &'a [Platform],
    pub twitter_key_header: bool,
    pub twitter_secret_header: bool,
    /// Accept `http://` media URLs whose host is loopback (tests, the local sandbox).
    pub allow_loopback_http: bool,
    /// The SSRF guard's checks that need no connection (scheme, userinfo, IP literals): the reason
    /// a URL is refused, if it is. Such a URL fails with 451 before anything is stored.
    pub url_guard: Option<&'a UrlGuard>,
}

/// Resolves `all` and returns the networks the post goes to.
pub fn resolve_targets(req: &PostRequest, linked: &[Platform]) -> Vec<Platform> {
    match &req.targets {
        Targets::AllLinked => linked.to_vec(),
        Targets::Listed(p) => p.clone(),
    }
}

pub fn validate(req: &PostRequest, ctx: &Context<'_>) -> Vec<ErrorReport> {
    let mut errors = Vec::new();
    let targets = resolve_targets(req, ctx.linked);
    if targets.is_empty() {
        errors.push(
            ErrorReport::new(Code::UnknownPlatform, Action::Post)
                .details("platforms is [\"all\"] but no network is linked to this profile"),
        );
        return errors;
    }
    if req.post.trim().is_empty() && req.media_urls.is_empty() {
        errors.push(ErrorReport::new(Code::MissingField, Action::Post).details("post").arg("field", "post"));
    }
    let guard = |u: &str| ctx.url_guard.and_then(|g| g(u));
    let refused: Vec<(&str, String)> = req.media_urls.iter().filter_map(|u| guard(u).map(|why| (u.as_str(), why))).collect();
    let bad_urls: Vec<&str> = req
        .media_urls
        .iter()
        .map(String::as_str)
        .filter(|u| !refused.iter().any(|(r, _)| r == u) && !is_media_url(u, ctx.allow_loopback_http))
        .collect();

    for &p in &targets {
        if !ctx.linked.contains(&p) {
            errors.push(net(Code::NotLinked, p));
            // A network that is not linked gets no further checks: the user must link it first.
            continue;
        }
        check_text(req, p, &mut errors);
        for (url, why) in &refused {
            errors.push(net(Code::ImageDownload, p).details(format!("{url}: {why}")));
        }
        for url in &bad_urls {
            errors.push(net(Code::MediaUrlInvalid, p).details(format!("not an https URL: {url}")));
        }
        let refused_options = crate::option_urls::check(req, p, &guard, ctx.allow_loopback_http, &mut errors);
        let max = p.rules().max_media;
        if req.media_urls.len() > max {
            errors.push(
                net(Code::MediaRules, p)
                    .details(format!("{} media URLs, at most {max} allowed", req.media_urls.len()))
                    .arg("max", max)
                    .arg("count", req.media_urls.len()),
            );
        }
        match p {
            Platform::Twitter => check_twitter_headers(ctx, &mut errors),
            Platform::Instagram => {
                if req.media_urls.is_empty() {
                    errors.push(net(Code::MediaRules, p).details("Instagram posts need an image or a video").arg("max", max).arg("count", 0));
                }
                check_trial_reels(req, &mut errors)
            }
            Platform::Youtube => check_youtube(req, &mut errors),
            Platform::Linkedin | Platform::Tiktok | Platform::Pinterest | Platform::Reddit | Platform::Gmb | Platform::Snapchat => {
                crate::validate_options::check(req, p, &refused_options, &mut errors)
            }
            _ => {}
        }
    }
    errors
}

fn net(code: Code, p: Platform) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, p).arg("network", p.display_name())
}

pub(crate) fn is_media_url(s: &str, allow_loopback_http: bool) -> bool {
    let Ok(u) = url::Url::parse(s) else { return false };
    let loopback = match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => return false,
    };
    match u.scheme() {
        "https" => u.host_str().is_some_and(|h| !h.is_empty()),
        "http" => allow_loopback_http && loopback,
        _ => false,
    }
}

/// The text against the network's limits, counted in the network's own unit
/// (`text_length`): the error's `limit` and `overage` are in that unit too.
fn check_text(req: &PostRequest, p: Platform, errors: &mut Vec<ErrorReport>) {
    let opt = |k: &str| req.option(p).and_then(|o| o.get(k)).and_then(Value::as_bool) == Some(true);
    let too_long = |o: crate::text_length::Overage, what: &str| {
        net(Code::TextTooLong, p)
            .arg("limit", o.limit)
            .arg("overage", o.over())
            .details(format!("{what}{} {unit}, limit {} {unit}", o.length, o.limit, unit = o.unit.name()))
    };
    if p == Platform::Twitter && opt("thread") && !opt("longPost") {
        // A thread: every post of it must fit on its own.
        let parts = crate::thread::thread_parts(&req.post, opt("threadNumber"));
        if let Some(o) = parts.iter().find_map(|t| crate::text_length::check(p, t, false, false)) {
            errors.push(too_long(o, "a thread post has "));
        }
        return;
    }
    let long_post = p == Platform::Twitter && opt("longPost");
    if let Some(o) = crate::text_length::check(p, &req.post, !req.media_urls.is_empty(), long_post) {
        errors.push(too_long(o, ""));
    }
}

fn check_twitter_headers(ctx: &Context<'_>, errors: &mut Vec<ErrorReport>) {
    let missing: Vec<&str> = [
        (ctx.twitter_key_header, TWITTER_KEY_HEADER),
        (ctx.twitter_secret_header, TWITTER_SECRET_HEADER),
    ]
    .into_iter()
    .filter(|(present, _)| !present)
    .map(|(_, name)| name)
    .collect();
    if !missing.is_empty() {
        errors.push(
            net(Code::TwitterByoMissing, Platform::Twitter)
                .arg("count", missing.len())
                .arg("missing", missing.join(", ")),
        );
    }
}

fn check_trial_reels(req: &PostRequest, errors: &mut Vec<ErrorReport>) {
    let Some(opts) = req.option(Platform::Instagram) else { return };
    let Some(trial) = opts.get("trialParams").filter(|v| !v.is_null()) else { return };
    match trial.get("graduationStrategy") {
        None | Some(Value::Null) => errors.push(net(Code::TrialReelsStrategyMissing, Platform::Instagram)),
        Some(Value::String(s)) if s.is_empty() => {
            errors.push(net(Code::TrialReelsStrategyMissing, Platform::Instagram))
        }
        Some(Value::String(s)) if s == "MANUAL" || s == "SS_PERFORMANCE" => {}
        Some(other) => {
            let raw = match other {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let cut: String = raw.chars().take(64).collect();
            errors.push(net(Code::TrialReelsStrategyInvalid, Platform::Instagram).details(cut));
        }
    }
    let sub_case = if req.media_urls.len() > 1 {
        Some("carousel: trial reels take exactly one video URL")
    } else if opts.get("stories").and_then(Value::as_bool) == Some(true) {
        Some("stories: trial reels cannot be stories")
    } else if !req.media_urls.first().is_some_and(|u| is_reel_video(u)) {
        Some("media: trial reels need a single .mp4 or .mov video")
    } else {
        None
    };
    if let Some(d) = sub_case {
        errors.push(net(Code::TrialReelsMedia, Platform::Instagram).details(d));
    }
}

fn is_reel_video(u: &str) -> bool {
    let path = url::Url::parse(u).map(|u| u.path().to_ascii_lowercase()).unwrap_or_default();
    path.ends_with(".mp4") || path.ends_with(".mov")
}

fn check_youtube(req: &PostRequest, errors: &mut Vec<ErrorReport>) {
    if req.media_urls.is_empty() {
        errors.push(net(Code::MediaRules, Platform::Youtube).details("YouTube needs exactly one video").arg("max", 1).arg("count", 0));
    }
    let title = req
        .option(Platform::Youtube)
        .and_then(|o| o.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if title.trim().is_empty() {
        errors.push(
            ErrorReport::for_platform(Code::MissingField, Action::Post, Platform::Youtube)
                .details("youTubeOptions.title")
                .arg("field", "youTubeOptions.title"),
        );
    }
    // YouTube: a title of at most 100 characters (ayrshare-api.md §3.2 youTubeOptions, §6.4;
    // the Data API refuses longer ones with invalidTitle).
    let len = title.chars().count();
    if len > YOUTUBE_TITLE_MAX {
        errors.push(
            net(Code::TextTooLong, Platform::Youtube)
                .arg("limit", YOUTUBE_TITLE_MAX)
                .arg("overage", len - YOUTUBE_TITLE_MAX)
                .details(format!("youTubeOptions.title has {len} characters, limit {YOUTUBE_TITLE_MAX}")),
        );
    }
}

const YOUTUBE_TITLE_MAX: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(body: Value, linked: &[Platform], key: bool, secret: bool) -> Vec<ErrorReport> {
        let req = PostRequest::parse(&body).unwrap();
        validate(&req, &Context { linked, twitter_key_header: key, twitter_secret_header: secret, allow_loopback_http: false, url_guard: None })
    }

    #[test]
    fn reports_every_problem_together() {
        let errs = run(
            json!({"post": "x".repeat(301), "platforms": ["bluesky", "telegram", "facebook"],
                   "mediaUrls": ["http://a.example/x.png", "https://a.example/y.png"]}),
            &[Platform::Bluesky, Platform::Telegram],
            false,
            false,
        );
        let got: Vec<(u16, Option<Platform>)> = errs.iter().map(|e| (e.code, e.platform)).collect();
        assert_eq!(
            got,
            vec![
                (132, Some(Platform::Bluesky)),
                (136, Some(Platform::Bluesky)),
                (136, Some(Platform::Telegram)),
                (182, Some(Platform::Telegram)),
                (156, Some(Platform::Facebook)),
            ]
        );
    }

    #[test]
    fn http_media_only_on_allowed_loopback() {
        assert!(is_media_url("https://cdn.example/a.png", false));
        assert!(!is_media_url("http://cdn.example/a.png", true));
        assert!(!is_media_url("http://127.0.0.1:9/a.png", false));
        assert!(is_media_url("http://127.0.0.1:9/a.png", true));
        assert!(is_media_url("http://[::1]:9/a.png", true));
        assert!(!is_media_url("ftp://cdn.example/a.png", true));
        assert!(!is_media_url("not a url", true));
    }

    #[test]
    fn twitter_byo_names_the_missing_header() {
        let errs = run(json!({"post": "hi", "platforms": ["twitter"]}), &[Platform::Twitter], true, false);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code, 419);
        assert!(errs[0].args.contains(&("missing".into(), TWITTER_SECRET_HEADER.into())));
        assert!(run(json!({"post": "hi", "platforms": ["twitter"]}), &[Platform::Twitter], true, true).is_empty());
    }

    #[test]
    fn trial_reels_codes() {
        let ig = &[Platform::Instagram];
        let e = run(json!({"post": "r", "platforms": ["instagram"], "mediaUrls": ["https://a.example/v.mp4"],
            "instagramOptions": {"trialParams": {"graduationStrategy": ""}}}), ig, false, false);
        assert_eq!(e.iter().map(|e| e.code).collect::<Vec<_>>(), vec![447]);
        let long = "manual".repeat(20);
        let e = run(json!({"post": "r", "platforms": ["instagram"], "mediaUrls": ["https://a.example/v.mov"],
            "instagramOptions": {"trialParams": {"graduationStrategy": long}}}), ig, false, false);
        assert_eq!(e[0].code, 448);
        assert_eq!(e[0].details.as_deref().unwrap().chars().count(), 64);
        let e = run(json!({"post": "r", "platforms": ["instagram"], "mediaUrls": ["https://a.example/v.mp4"],
            "instagramOptions": {"stories": true, "trialParams": {"graduationStrategy": "MANUAL"}}}), ig, false, false);
        assert_eq!(e[0].code, 449);
        assert!(e[0].details.as_deref().unwrap().starts_with("stories"));
    }

    #[test]
    fn text_is_counted_in_each_networks_unit() {
        let x = &[Platform::Twitter];
        let e = run(json!({"post": "😀".repeat(141), "platforms": ["twitter"]}), x, true, true);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].code, e[0].platform), (132, Some(Platform::Twitter)));
        assert!(e[0].args.contains(&("limit".into(), "280".into())) && e[0].args.contains(&("overage".into(), "2".into())), "{:?}", e[0].args);
        assert!(e[0].details.as_deref().unwrap().starts_with("282 weighted characters"), "{:?}", e[0].details);
        assert!(run(json!({"post": "😀".repeat(140), "platforms": ["twitter"]}), x, true, true).is_empty());
        // A thread: each part weighed on its own.
        let thread = format!("{}\n\n{}", "字".repeat(140), "字".repeat(141));
        let e = run(json!({"post": thread, "platforms": ["twitter"], "twitterOptions": {"thread": true}}), x, true, true);
        assert_eq!(e[0].code, 132);
        assert!(e[0].details.as_deref().unwrap().starts_with("a thread post has 282 weighted"), "{:?}", e[0].details);
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(60);
        assert!(run(json!({"post": family, "platforms": ["bluesky"]}), &[Platform::Bluesky], false, false).is_empty());
        let e = run(json!({"post": "😀".repeat(2049), "platforms": ["telegram"]}), &[Platform::Telegram], false, false);
        assert!(e[0].args.contains(&("overage".into(), "2".into())) && e[0].details.as_deref().unwrap().contains("UTF-16"));
    }

    #[test]
    fn youtube_needs_a_title() {
        let e = run(json!({"post": "v", "platforms": ["youtube"], "mediaUrls": ["https://a.example/v.mp4"]}),
            &[Platform::Youtube], false, false);
        assert_eq!(e[0].code, 901);
        assert_eq!(e[0].platform, Some(Platform::Youtube));
        let titled = |t: String| {
            run(json!({"post": "v", "platforms": ["youtube"], "mediaUrls": ["https://a.example/v.mp4"],
                "youTubeOptions": {"title": t}}), &[Platform::Youtube], false, false)
        };
        assert!(titled("é".repeat(100)).is_empty());
        let e = titled("é".repeat(101));
        assert_eq!((e[0].code, e[0].details.as_deref()), (132, Some("youTubeOptions.title has 101 characters, limit 100")));
    }
}
