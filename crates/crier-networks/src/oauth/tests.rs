//! Wire formats per network: request building and answer parsing, with the documented examples
//! (`oauth-and-webhooks.md`; values invented, field names the networks').

use super::wire::{TokenRequest, parse};
use super::*;
use serde_json::json;

fn app(platform: Platform) -> App {
    App { redirect_url: Some("https://crier.example/cb".into()), ..App::new(platform, "cid", "csecret").unwrap() }
}

fn param<'a>(r: &'a TokenRequest, k: &str) -> Option<&'a str> {
    r.params.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str())
}

fn refresh_req(p: Platform) -> TokenRequest {
    standard::profile(p).unwrap().refresh_request(&app(p), "rt-1")
}

#[test]
fn google_refresh_is_a_form_with_the_secret_in_the_body() {
    let r = refresh_req(Platform::Youtube);
    assert!(r.post && r.basic.is_none());
    assert_eq!(r.url, "https://oauth2.googleapis.com/token");
    assert_eq!((param(&r, "grant_type"), param(&r, "refresh_token")), (Some("refresh_token"), Some("rt-1")));
    assert_eq!((param(&r, "client_id"), param(&r, "client_secret")), (Some("cid"), Some("csecret")));
    assert_eq!(refresh_req(Platform::Gmb).url, r.url);
}

#[test]
fn reddit_and_pinterest_authenticate_with_http_basic_and_keep_the_secret_out_of_the_body() {
    for (p, url) in [(Platform::Reddit, "https://www.reddit.com/api/v1/access_token"), (Platform::Pinterest, "https://api.pinterest.com/v5/oauth/token")] {
        let r = refresh_req(p);
        assert_eq!(r.url, url);
        assert_eq!(r.basic, Some(("cid".into(), "csecret".into())));
        assert!(param(&r, "client_secret").is_none() && param(&r, "client_id").is_none());
    }
}

#[test]
fn tiktok_names_its_client_client_key() {
    let r = refresh_req(Platform::Tiktok);
    assert_eq!(r.url, "https://open.tiktokapis.com/v2/oauth/token/");
    assert_eq!(param(&r, "client_key"), Some("cid"));
    assert!(param(&r, "client_id").is_none());
    let u = authorize_url(Platform::Tiktok, &app(Platform::Tiktok), "https://crier.example/cb", "st", None, &[]).unwrap();
    assert!(u.starts_with("https://www.tiktok.com/v2/auth/authorize/?client_key=cid&"), "{u}");
    assert!(u.contains("scope=user.info.basic%2Cvideo.publish%2Cvideo.upload"), "{u}");
}

#[test]
fn linkedin_and_snapchat_token_urls() {
    assert_eq!(refresh_req(Platform::Linkedin).url, "https://www.linkedin.com/oauth/v2/accessToken");
    assert_eq!(refresh_req(Platform::Snapchat).url, "https://accounts.snapchat.com/login/oauth2/access_token");
}

#[test]
fn google_authorize_asks_offline_consent_and_pkce() {
    let u = authorize_url(Platform::Youtube, &app(Platform::Youtube), "https://crier.example/cb", "s1", Some("chal"), &[]).unwrap();
    for part in ["access_type=offline", "prompt=consent", "state=s1", "code_challenge=chal", "code_challenge_method=S256", "redirect_uri=https%3A%2F%2Fcrier.example%2Fcb"] {
        assert!(u.contains(part), "{part} missing in {u}");
    }
    let reddit = authorize_url(Platform::Reddit, &app(Platform::Reddit), "https://crier.example/cb", "s", Some("chal"), &["submit"]).unwrap();
    assert!(reddit.contains("duration=permanent") && !reddit.contains("code_challenge"), "{reddit}");
}

#[test]
fn code_exchange_carries_the_verifier_where_pkce_is_spoken() {
    let p = standard::profile(Platform::Twitter).unwrap();
    let r = p.code_request(&app(Platform::Twitter), "c0de", "https://crier.example/cb", Some("verif"));
    assert_eq!((param(&r, "code"), param(&r, "code_verifier"), param(&r, "grant_type")), (Some("c0de"), Some("verif"), Some("authorization_code")));
    let l = standard::profile(Platform::Linkedin).unwrap().code_request(&app(Platform::Linkedin), "c", "u", Some("verif"));
    assert!(param(&l, "code_verifier").is_none());
}

#[test]
fn pkce_challenge_matches_rfc7636_appendix_b() {
    assert_eq!(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

#[test]
fn meta_code_long_lived_and_threads_requests() {
    let fb = app(Platform::Facebook);
    let c = meta::code_request(&fb, "code1", "https://crier.example/cb");
    assert!(!c.post && c.url == "https://graph.facebook.com/v25.0/oauth/access_token");
    let l = meta::long_lived_request(&fb, "short");
    assert_eq!((param(&l, "grant_type"), param(&l, "fb_exchange_token")), (Some("fb_exchange_token"), Some("short")));
    let th = app(Platform::Threads);
    let x = threads::code_request(&th, "AQB#_", "https://crier.example/cb");
    assert!(x.post && x.url == "https://graph.threads.net/oauth/access_token" && param(&x, "code") == Some("AQB"));
    let ll = threads::long_lived_request(&th, "short");
    assert_eq!((ll.url.as_str(), param(&ll, "grant_type")), ("https://graph.threads.net/access_token", Some("th_exchange_token")));
    let r = threads::refresh_request(&th, "long");
    assert_eq!((r.url.as_str(), param(&r, "grant_type"), param(&r, "access_token")), ("https://graph.threads.net/refresh_access_token", Some("th_refresh_token"), Some("long")));
    let u = authorize_url(Platform::Facebook, &fb, "https://crier.example/cb", "s", None, &[]).unwrap();
    assert!(u.starts_with("https://www.facebook.com/v25.0/dialog/oauth?client_id=cid") && u.contains("pages_manage_posts"), "{u}");
}

#[test]
fn answers_parse_with_rotation_scopes_and_lifetimes() {
    let tiktok = json!({"open_id":"o1","scope":"user.info.basic,video.publish","access_token":"act.1","expires_in":7200,"refresh_token":"rft.2","refresh_expires_in":15552000,"token_type":"Bearer"});
    let t = parse(Platform::Tiktok, 200, &tiktok).unwrap();
    assert_eq!((t.access_token.as_str(), t.refresh_token.as_deref(), t.expires_in, t.refresh_expires_in), ("act.1", Some("rft.2"), Some(7200), Some(15552000)));
    assert_eq!(t.scopes, ["user.info.basic", "video.publish"]);
    assert_eq!(t.extra.get("open_id"), Some(&json!("o1")));
    let google = json!({"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer","scope":"https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly"});
    let g = parse(Platform::Youtube, 200, &google).unwrap();
    assert_eq!((g.refresh_token, g.scopes.len()), (None, 2));
    let pin = json!({"access_token":"pina_1","token_type":"bearer","expires_in":2592000,"scope":"boards:read,pins:write","response_type":"refresh_token","refresh_token":"pinr_2","refresh_token_expires_in":5184000,"refresh_token_expires_at":1800000000});
    assert_eq!(parse(Platform::Pinterest, 200, &pin).unwrap().refresh_expires_in, Some(5184000));
    let threads = json!({"access_token":"THQ","token_type":"bearer","expires_in":5183944});
    assert_eq!(parse(Platform::Threads, 200, &threads).unwrap().expires_in, Some(5183944));
}

#[test]
fn failures_are_classified() {
    let dead = json!({"error":"invalid_grant","error_description":"Token has been expired or revoked."});
    assert!(matches!(parse(Platform::Youtube, 400, &dead), Err(TokenError::Relink(d)) if d.contains("invalid_grant")));
    assert!(matches!(parse(Platform::Reddit, 401, &json!({"error":"invalid_grant"})), Err(TokenError::Relink(_))));
    let x = json!({"error":"invalid_request","error_description":"Value passed for the token was invalid."});
    assert!(matches!(parse(Platform::Twitter, 400, &x), Err(TokenError::Relink(_))));
    let meta = json!({"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}});
    assert!(matches!(parse(Platform::Threads, 400, &meta), Err(TokenError::Relink(d)) if d.contains("190")));
    // TikTok can answer 200 with an error object.
    assert!(matches!(parse(Platform::Tiktok, 200, &json!({"error":"invalid_grant","error_description":"","log_id":"l"})), Err(TokenError::Relink(_))));
    assert!(matches!(parse(Platform::Linkedin, 401, &json!({"error":"invalid_client"})), Err(TokenError::App(_))));
    assert!(matches!(parse(Platform::Pinterest, 503, &json!(null)), Err(TokenError::Transient(_))));
    assert!(matches!(parse(Platform::Reddit, 429, &json!({"message":"slow"})), Err(TokenError::Transient(_))));
}

#[test]
fn page_tokens_come_from_me_accounts() {
    let body = json!({"data":[{"id":"134","name":"Cafe","access_token":"EAAP","instagram_business_account":{"id":"1784"}},{"id":"2","name":"NoToken"}]});
    let pages = meta::parse_pages(200, &body).unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!((pages[0].page_id.as_str(), pages[0].instagram_id.as_deref()), ("134", Some("1784")));
    assert!(!format!("{:?}", pages[0]).contains("EAAP"));
}

#[test]
fn only_credentials_with_something_to_refresh_are_refreshable() {
    assert!(!refreshable(Platform::Youtube, &json!({"accessToken":"a"})));
    assert!(refreshable(Platform::Youtube, &json!({"accessToken":"a","refreshToken":"r"})));
    assert!(!refreshable(Platform::Facebook, &json!({"accessToken":"a","refreshToken":"r"})));
    assert!(refreshable(Platform::Threads, &json!({"accessToken":"a"})));
    let kept = apply(&json!({"accessToken":"old","refreshToken":"r1","author":"urn"}), &parse(Platform::Linkedin, 200, &json!({"access_token":"new","expires_in":5184000})).unwrap());
    assert_eq!(kept, json!({"accessToken":"new","refreshToken":"r1","author":"urn"}));
    let rotated = apply(&kept, &parse(Platform::Tiktok, 200, &json!({"access_token":"n2","refresh_token":"r2"})).unwrap());
    assert_eq!(rotated["refreshToken"], "r2");
}
