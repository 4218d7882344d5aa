//! crier's side of every network's OAuth against the sandbox's authorization servers (written
//! independently from the networks' docs): consent, code exchange in each network's wire format,
//! refresh (with rotation where the network rotates), Meta's long-lived exchange and Page tokens,
//! Threads' exchange and refresh, and a dead refresh token classified as `Relink`.

use crier_core::Platform;
use crier_networks::oauth::{self, App, TokenError, TokenSet};
use crier_sandbox::seed;
use serde_json::json;

const REDIRECT: &str = "http://127.0.0.1:9/link/callback";

fn app(sandbox: &str, folder: &str, id: &str, secret: &str) -> App {
    let base = format!("{sandbox}/{folder}");
    App { client_id: id.into(), client_secret: secret.into(), redirect_url: None, authorize_base: base.clone(), token_base: base }
}

/// The consent page's Consent button, then the code exchange.
async fn consent_and_exchange(http: &reqwest::Client, platform: Platform, app: &App) -> TokenSet {
    let verifier = "k".repeat(64);
    let url = oauth::authorize_url(platform, app, REDIRECT, "st", Some(&oauth::pkce_challenge(&verifier)), &[]).unwrap();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.post(&url).form(&[("decision", "consent")]).send().await.unwrap();
    let status = r.status();
    let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    let Some(location) = location else { panic!("{platform:?}: consent answered {status}: {}", r.text().await.unwrap()) };
    let back = url::Url::parse(&location).unwrap();
    let code = back.query_pairs().find(|(k, _)| k == "code").unwrap_or_else(|| panic!("{platform:?}: no code in {location}")).1.to_string();
    oauth::exchange_code(http, platform, app, &code, REDIRECT, Some(&verifier)).await.unwrap_or_else(|e| panic!("{platform:?}: {e}"))
}

#[tokio::test]
async fn every_rfc6749_network_exchanges_and_refreshes_in_its_own_wire_format() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let s = &sandbox.url;
    let cases = [
        (Platform::Youtube, app(s, "google", seed::GOOGLE_CLIENT_ID, seed::GOOGLE_CLIENT_SECRET), false),
        (Platform::Gmb, app(s, "google", seed::GOOGLE_CLIENT_ID, seed::GOOGLE_CLIENT_SECRET), false),
        (Platform::Linkedin, app(s, "linkedin", seed::LINKEDIN_CLIENT_ID, seed::LINKEDIN_CLIENT_SECRET), false),
        (Platform::Tiktok, app(s, "tiktok", seed::TIKTOK_CLIENT_ID, seed::TIKTOK_CLIENT_SECRET), true),
        (Platform::Pinterest, app(s, "pinterest", seed::PINTEREST_CLIENT_ID, seed::PINTEREST_CLIENT_SECRET), true),
        (Platform::Reddit, app(s, "reddit", seed::REDDIT_CLIENT_ID, seed::REDDIT_CLIENT_SECRET), false),
        (Platform::Snapchat, app(s, "snapchat", seed::SNAPCHAT_CLIENT_ID, seed::SNAPCHAT_CLIENT_SECRET), true),
    ];
    for (platform, app, rotates) in cases {
        let first = consent_and_exchange(&http, platform, &app).await;
        let rt = first.refresh_token.clone().unwrap_or_else(|| panic!("{platform:?}: no refresh token"));
        assert!(!first.scopes.is_empty() || platform == Platform::Linkedin, "{platform:?}: scopes {first:?}");
        let creds = json!({"accessToken": first.access_token, "refreshToken": rt});
        let second = oauth::refresh(&http, platform, &app, &creds).await.unwrap_or_else(|e| panic!("{platform:?}: {e}"));
        assert_ne!(second.access_token, first.access_token, "{platform:?}");
        let next = oauth::apply(&creds, &second);
        if rotates {
            assert_ne!(next["refreshToken"], rt.as_str(), "{platform:?} rotates");
            // The used refresh token is dead: a second use is the grant's end.
            let again = oauth::refresh(&http, platform, &app, &creds).await;
            assert!(matches!(again, Err(TokenError::Relink(_))), "{platform:?}: {again:?}");
        }
        assert!(oauth::refresh(&http, platform, &app, &next).await.is_ok(), "{platform:?}: the stored token keeps working");
        // A wrong secret is the app's problem, not the grant's.
        let wrong = App { client_secret: "nope".into(), ..app.clone() };
        let refused = oauth::refresh(&http, platform, &wrong, &oauth::apply(&next, &second)).await;
        assert!(matches!(refused, Err(TokenError::App(_)) | Err(TokenError::Relink(_))), "{platform:?}: {refused:?}");
    }
}

#[tokio::test]
async fn meta_long_lived_and_page_tokens_and_threads_refresh() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let fb = app(&sandbox.url, "facebook", seed::FACEBOOK_CLIENT_ID, seed::FACEBOOK_CLIENT_SECRET);
    let short = consent_and_exchange(&http, Platform::Facebook, &fb).await;
    let long = oauth::meta::long_lived(&http, &fb, &short.access_token).await.unwrap();
    assert!(long.expires_in.unwrap_or(0) > short.expires_in.unwrap_or(0), "{long:?} vs {short:?}");
    let pages = oauth::meta::page_tokens(&http, &format!("{}/facebook", sandbox.url), &long.access_token).await.unwrap();
    assert!(pages.iter().any(|p| p.page_id == seed::FACEBOOK_PAGE_ID), "{pages:?}");

    let th = app(&sandbox.url, "threads", seed::THREADS_CLIENT_ID, seed::THREADS_CLIENT_SECRET);
    let short = consent_and_exchange(&http, Platform::Threads, &th).await;
    let long = oauth::threads::long_lived(&http, &th, &short.access_token).await.unwrap();
    let creds = json!({"accessToken": long.access_token});
    assert!(oauth::refreshable(Platform::Threads, &creds));
    let refreshed = oauth::refresh(&http, Platform::Threads, &th, &creds).await.unwrap();
    assert!(refreshed.expires_in.is_some());
    let dead = oauth::refresh(&http, Platform::Threads, &th, &json!({"accessToken": "THnot-a-token"})).await;
    assert!(matches!(dead, Err(TokenError::Relink(_))), "{dead:?}");
}
