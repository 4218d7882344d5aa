//! The account picker (oauth-and-webhooks.md §11.6) and the last step of every OAuth link.
//! After the code exchange the callback lists the accounts the grant may publish to; where there
//! can be several (Pages, Instagram accounts, locations, boards, member or organisations,
//! channels) the user chooses on a form, `POST /link/{token}/choose`. The listed targets and the
//! token set wait encrypted in the store under a single-use choice id bound to the session, so
//! any node can take the answer and nothing secret goes through the browser.

use super::html::{document, error_page, esc, html_response, text, tr};
use super::session::{Open, profile_still_there, resolve_form};
use crate::AppState;
use crate::auth::lang_of;
use crate::i18n::Lang;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use crier_core::Platform;
use crier_networks::link_targets::LinkTarget;
use crier_networks::oauth::TokenSet;
use serde_json::{Map, Value, json};

/// How long the picker waits for the user's choice.
const CHOICE_MS: i64 = 10 * 60_000;

pub fn see_other(to: &str) -> Response {
    let mut resp = html_response(StatusCode::SEE_OTHER, String::new());
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

fn tokens_json(t: &TokenSet) -> Value {
    json!({
        "access_token": t.access_token, "refresh_token": t.refresh_token, "expires_in": t.expires_in,
        "refresh_expires_in": t.refresh_expires_in, "scopes": t.scopes, "extra": t.extra,
    })
}

fn tokens_from(v: &Value) -> Option<TokenSet> {
    Some(TokenSet {
        access_token: v.get("access_token")?.as_str()?.to_string(),
        refresh_token: v.get("refresh_token").and_then(Value::as_str).map(str::to_string),
        expires_in: v.get("expires_in").and_then(Value::as_i64),
        refresh_expires_in: v.get("refresh_expires_in").and_then(Value::as_i64),
        scopes: v.get("scopes").and_then(Value::as_array).map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default(),
        extra: v.get("extra").and_then(Value::as_object).cloned().unwrap_or_else(Map::new),
    })
}

fn target_json(t: &LinkTarget) -> Value {
    json!({"id": t.id, "name": t.name, "picture": t.picture, "credentials": t.credentials})
}

fn target_from(v: &Value) -> Option<LinkTarget> {
    Some(LinkTarget {
        id: v.get("id")?.as_str()?.to_string(),
        name: v.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
        picture: v.get("picture").and_then(Value::as_str).map(str::to_string),
        credentials: v.get("credentials")?.clone(),
    })
}

/// Stores the account chosen (or the only one): its credentials with the refresh token, the
/// token metadata and picture; records the `linked` event. Back to the page.
#[allow(clippy::too_many_arguments)]
pub async fn finish(s: &AppState, open: &Open, token: &str, lang: Lang, platform: Platform, target: &LinkTarget, tokens: &TokenSet, sent_ms: i64) -> Response {
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let mut credentials = target.credentials.clone();
    if let (Some(rt), Some(map)) = (&tokens.refresh_token, credentials.as_object_mut()) {
        map.insert("refreshToken".into(), Value::String(rt.clone()));
    }
    // Checked again right before storing: a profile deleted during the consent gets nothing.
    if let Err(r) = profile_still_there(s, &open.session, lang).await {
        return r;
    }
    let profile = &open.session.profile_id;
    let stored = match s.engine.link_with_tokens(profile, platform, &credentials, Some(&target.name), tokens, sent_ms).await {
        Ok(()) => s.store.set_account_picture(profile, platform, target.picture.as_deref()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, network = %platform, "storing a linked account failed");
        return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
    }
    tracing::info!(network = %platform, "account linked through OAuth");
    see_other(&format!("/link/{token}?linked={platform}"))
}

/// The picker: the targets wait in the store; the page lists them as radio buttons.
#[allow(clippy::too_many_arguments)]
pub async fn offer(s: &AppState, open: &Open, token: &str, lang: Lang, platform: Platform, targets: &[LinkTarget], tokens: &TokenSet, sent_ms: i64) -> Response {
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let choice = crier_store::random_token(32);
    let extra = json!({"targets": targets.iter().map(target_json).collect::<Vec<_>>(), "tokens": tokens_json(tokens), "sentMs": sent_ms});
    if let Err(e) = s.store.create_oauth_state_with(token, platform, &choice, "", extra, s.store.now_ms() + CHOICE_MS).await {
        tracing::error!(error = %e, "storing an account choice failed");
        return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
    }
    let network = platform.display_name();
    let title = text(t, lang, "link-choose-title", &[("network", network)]);
    let (token_e, csrf, choice) = (esc(token), esc(&open.session.csrf), esc(&choice));
    let mut main = format!(
        r#"<h1>{}</h1><form method="post" action="/link/{token_e}/choose" id="choose-form"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="choice" value="{choice}"><fieldset><legend>{}</legend><ul class="choices">"#,
        esc(&title),
        tr(t, lang, "link-choose-legend", &[("network", network)])
    );
    for (i, target) in targets.iter().enumerate() {
        let checked = if i == 0 { " checked" } else { "" };
        let picture = target.picture.as_deref().filter(|p| super::html::is_http_url(p)).map(|p| format!(r#"<img class="avatar" src="{}" alt="" width="32" height="32" referrerpolicy="no-referrer"> "#, esc(p))).unwrap_or_default();
        main.push_str(&format!(
            r#"<li><input type="radio" name="target" id="target-{i}" value="{}" required{checked}><label for="target-{i}">{picture}{} <small class="target-id">{}</small></label></li>"#,
            esc(&target.id),
            esc(&target.name),
            esc(&target.id)
        ));
    }
    main.push_str(&format!(
        r#"</ul></fieldset><button type="submit" id="choose-submit">{}</button></form><p><a href="/link/{token_e}" id="choose-cancel">{}</a></p>"#,
        tr(t, lang, "link-button-link", &[]),
        tr(t, lang, "link-choose-cancel", &[])
    ));
    html_response(StatusCode::OK, document(cfg, t, lang, &title, &main))
}

/// `POST /link/{token}/choose`: the user's choice, on this browser's session, once.
pub async fn choose(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let (open, fields) = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let refused = || error_page(cfg, t, lang, StatusCode::BAD_REQUEST, "form");
    let (Some(choice), Some(wanted)) = (fields.get("choice"), fields.get("target")) else { return refused() };
    let st = match s.store.take_oauth_state(choice).await {
        Ok(Some(st)) if st.token_hash == open.session.token_hash => st,
        Ok(_) => return refused(),
        Err(e) => {
            tracing::error!(error = %e, "reading an account choice failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    };
    let targets: Vec<LinkTarget> = st.extra.get("targets").and_then(Value::as_array).map(|a| a.iter().filter_map(target_from).collect()).unwrap_or_default();
    let (Some(target), Some(tokens)) = (targets.iter().find(|x| &x.id == wanted), st.extra.get("tokens").and_then(tokens_from)) else {
        return refused();
    };
    let sent_ms = st.extra.get("sentMs").and_then(Value::as_i64).unwrap_or_else(|| s.store.now_ms());
    finish(&s, &open, &token, lang, st.platform, target, &tokens, sent_ms).await
}
