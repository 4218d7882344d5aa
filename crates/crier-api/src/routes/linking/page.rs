//! `GET /link/{token}`: one card per allowed network; `POST /link/{token}/done` ends the session
//! and goes back to the caller's `redirect`.

use super::html::{document, error_page, esc, html_response, is_http_url, text, tr};
use super::session::{Open, resolve, resolve_form};
use super::{FORM_NETWORKS, oauth_ready};
use crate::AppState;
use crate::auth::lang_of;
use crate::i18n::Lang;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use crier_core::Platform;
use std::collections::HashMap;

/// What the page says besides the cards' state: a confirmation, or a form's error.
#[derive(Default)]
pub struct Flash {
    pub ok: Option<String>,
    /// A failure not tied to a form (a denied or failed OAuth consent).
    pub alert: Option<String>,
    /// The network whose form failed, the message key, and the values to show again (never secrets).
    pub error: Option<(Platform, String, HashMap<String, String>)>,
}

pub async fn show(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let lang = lang_of(&headers);
    let open = match resolve(&s, &token, &headers, lang, true).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut flash = Flash::default();
    for (param, key) in [("linked", "link-linked-ok"), ("unlinked", "link-unlinked-ok")] {
        if let Some(p) = q.get(param).and_then(|p| Platform::parse(p)) {
            flash.ok = Some(text(&s.i18n, lang, key, &[("network", p.display_name())]));
        }
    }
    for (param, key) in [("denied", "link-oauth-denied"), ("failed", "link-oauth-failed"), ("nothing", "link-oauth-nothing")] {
        if let Some(p) = q.get(param).and_then(|p| Platform::parse(p)) {
            flash.alert = Some(text(&s.i18n, lang, key, &[("network", p.display_name())]));
        }
    }
    render(&s, &token, &open, lang, &flash, StatusCode::OK).await
}

/// The page with its cards. A form error comes back with a 4xx status and the page around it.
pub async fn render(s: &AppState, token: &str, open: &Open, lang: Lang, flash: &Flash, status: StatusCode) -> Response {
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let linked: HashMap<Platform, crier_store::LinkedAccount> = match s.store.linked_accounts(&open.session.profile_id).await {
        Ok(l) => l.into_iter().map(|a| (a.platform, a)).collect(),
        Err(e) => {
            tracing::error!(error = %e, "linked accounts lookup failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    };
    let csrf = esc(&open.session.csrf);
    let token = esc(token);
    let mut main = format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        tr(t, lang, "link-page-title", &[]),
        tr(t, lang, "link-intro", &[("profile", &open.profile_title)])
    );
    if let Some(ok) = &flash.ok {
        main.push_str(&format!(r#"<p class="msg ok" role="status" id="link-ok">{}</p>"#, esc(ok)));
    }
    if let Some(alert) = &flash.alert {
        main.push_str(&format!(r#"<p class="msg err" role="alert" id="link-alert">{}</p>"#, esc(alert)));
    }
    main.push_str("<ul class=\"cards\">\n");
    for p in &open.session.allowed {
        let id = p.as_str();
        let name = p.display_name();
        let picture = linked
            .get(p)
            .and_then(|a| a.picture_url.as_deref())
            .filter(|u| is_http_url(u))
            .map(|u| format!(r#"<img class="avatar" src="{}" alt="" width="40" height="40" referrerpolicy="no-referrer" id="picture-{id}">"#, esc(u)))
            .unwrap_or_default();
        let state = match linked.get(p).map(|a| a.display_name.as_deref()) {
            Some(Some(n)) => format!(r#"<p class="state on" id="state-{id}">{}</p>"#, tr(t, lang, "link-linked-as", &[("name", n)])),
            Some(None) => format!(r#"<p class="state on" id="state-{id}">{}</p>"#, tr(t, lang, "link-linked", &[])),
            None => format!(r#"<p class="state" id="state-{id}">{}</p>"#, tr(t, lang, "link-not-linked", &[])),
        };
        main.push_str(&format!(r#"<li class="card" id="card-{id}" aria-labelledby="net-{id}"><h2 id="net-{id}">{}</h2>{picture}{state}"#, esc(name)));
        let is_linked = linked.contains_key(p);
        if is_linked {
            main.push_str(&format!(
                r#"<form method="post" action="/link/{token}/unlink"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="platform" value="{id}"><button type="submit" class="secondary" id="{id}-unlink" aria-describedby="net-{id}">{}</button></form>"#,
                tr(t, lang, "link-button-unlink", &[])
            ));
        }
        if FORM_NETWORKS.contains(p) {
            let error = flash.error.as_ref().filter(|(ep, _, _)| ep == p);
            let form = credential_form(t, lang, *p, &token, &csrf, error, is_linked);
            if is_linked {
                let open_attr = if error.is_some() { " open" } else { "" };
                main.push_str(&format!("<details{open_attr}><summary>{}</summary>{form}</details>", tr(t, lang, "link-button-relink", &[])));
            } else {
                main.push_str(&form);
            }
        } else if *p == Platform::Twitter {
            // OAuth 1.0a with the session's (or the configured) app keys: oauth_x.rs.
            main.push_str(&super::oauth_x::card(s, &open.session.token_hash, &token, &csrf, is_linked, lang));
        } else if oauth_ready(cfg, *p) {
            // To the network's consent page; the state and PKCE verifier are made on the server.
            let button = if is_linked { "link-button-relink" } else { "link-button-link" };
            main.push_str(&format!(
                r#"<form method="post" action="/link/{token}/oauth/{id}"><input type="hidden" name="csrf" value="{csrf}"><button type="submit" id="{id}-oauth" aria-describedby="net-{id}">{}</button></form>"#,
                tr(t, lang, button, &[])
            ));
        } else {
            main.push_str(&format!(r#"<p class="help" id="{id}-unavailable">{}</p>"#, tr(t, lang, "link-not-available", &[("network", name)])));
        }
        main.push_str("</li>\n");
    }
    main.push_str("</ul>\n");
    main.push_str(&format!(
        r#"<form method="post" action="/link/{token}/done"><input type="hidden" name="csrf" value="{csrf}"><button type="submit" id="done">{}</button></form>"#,
        tr(t, lang, "link-button-done", &[])
    ));
    let mut resp = html_response(status, document(cfg, t, lang, &text(t, lang, "link-page-title", &[]), &main));
    if let Some(c) = open.set_cookie.as_deref().and_then(|c| HeaderValue::from_str(c).ok()) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}

/// The Telegram or Bluesky form, with its error (role=alert, tied to the fields) when it failed.
fn credential_form(t: &crate::i18n::Translator, lang: Lang, p: Platform, token: &str, csrf: &str, error: Option<&(Platform, String, HashMap<String, String>)>, relink: bool) -> String {
    let id = p.as_str();
    let (fields, help): (&[(&str, &str, &str, &str)], &str) = match p {
        // (input name, label key, input type, autocomplete)
        Platform::Telegram => (&[("botToken", "link-telegram-token", "password", "off"), ("chatId", "link-telegram-chat", "text", "off")], "link-telegram-help"),
        _ => (&[("identifier", "link-bluesky-handle", "text", "username"), ("appPassword", "link-bluesky-password", "password", "off")], "link-bluesky-help"),
    };
    let mut f = format!(r#"<form method="post" action="/link/{token}/{id}" id="{id}-form"><input type="hidden" name="csrf" value="{csrf}">"#);
    let err_id = format!("{id}-error");
    if let Some((_, key, _)) = error {
        f.push_str(&format!(r#"<p class="msg err" role="alert" id="{err_id}">{}</p>"#, tr(t, lang, key, &[("network", p.display_name())])));
    }
    for (name, label, kind, auto) in fields {
        let input_id = format!("{id}-{name}");
        // Secrets are never sent back to the browser.
        let value = if *kind == "text" { error.and_then(|(_, _, v)| v.get(*name)).map(|v| esc(v)).unwrap_or_default() } else { String::new() };
        let invalid = if error.is_some() { format!(r#" aria-invalid="true" aria-describedby="{err_id} {id}-help""#) } else { format!(r#" aria-describedby="{id}-help""#) };
        f.push_str(&format!(
            r#"<label for="{input_id}">{}</label><input type="{kind}" id="{input_id}" name="{name}" value="{value}" autocomplete="{auto}" required spellcheck="false" autocapitalize="off"{invalid}>"#,
            tr(t, lang, label, &[])
        ));
    }
    let button = if relink { "link-button-relink" } else { "link-button-link" };
    f.push_str(&format!(
        r#"<p class="help" id="{id}-help">{}</p><button type="submit" id="{id}-submit" aria-describedby="net-{id}">{}</button></form>"#,
        tr(t, lang, help, &[]),
        tr(t, lang, button, &[])
    ));
    f
}

/// Ends the session; back to `redirect` when generateJWT gave one.
pub async fn done(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let open = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok((o, _)) => o,
        Err(r) => return r,
    };
    if let Err(e) = s.store.consume_linking_session(&open.session.token_hash).await {
        tracing::error!(error = %e, "ending a linking session failed");
        return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
    }
    match open.session.redirect.as_deref().and_then(|r| HeaderValue::from_str(r).ok()) {
        Some(to) => {
            let mut resp = html_response(StatusCode::SEE_OTHER, String::new());
            resp.headers_mut().insert(header::LOCATION, to);
            resp
        }
        None => {
            let title = text(t, lang, "link-done-title", &[]);
            let main = format!(r#"<h1>{}</h1><p class="msg ok" role="status" id="link-done">{}</p>"#, esc(&title), tr(t, lang, "link-done", &[]));
            html_response(StatusCode::OK, document(cfg, t, lang, &title, &main))
        }
    }
}
