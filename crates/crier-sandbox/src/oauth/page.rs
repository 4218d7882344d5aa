//! The consent page every authorization server shows: server-rendered HTML
//! with a Consent and a Deny button (plain forms, no JavaScript). Bad
//! requests (unknown client, unregistered redirect URI, unknown scope …)
//! get an error page and never a redirect, as at the networks.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::grants::{Code, now_ms, secs_ms};
use super::net::Net;
use super::wire::{OauthReq, split_scopes};
use crate::SandboxState;

/// A validated authorize request.
struct Ask {
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    challenge: Option<(String, String)>,
    offline: bool,
}

pub(crate) async fn authorize(
    State(state): State<SandboxState>,
    net: Net,
    req: Request,
) -> Response {
    let req = OauthReq::read(req).await;
    let ask = match validate(&state, net, &req) {
        Ok(ask) => ask,
        Err(message) => return error_page(net, &message),
    };
    if req.method != Method::POST {
        return consent_page(net, &req, &ask);
    }
    match req.get("decision") {
        Some("consent") => {
            let mut g = state.inner.oauth.lock();
            let expires_ms = now_ms() + secs_ms(g.lifetimes(net).code_secs);
            let code = g.new_code(Code {
                net,
                redirect_uri: ask.redirect_uri.clone(),
                challenge: ask.challenge.clone(),
                scopes: ask.scopes.clone(),
                offline: ask.offline,
                expires_ms,
                used: false,
            });
            redirect(net, &ask, &[("code", &code)])
        }
        Some("deny") => redirect(net, &ask, &deny_params(net)),
        _ => error_page(net, "decision must be consent or deny"),
    }
}

fn validate(state: &SandboxState, net: Net, req: &OauthReq) -> Result<Ask, String> {
    let client = req.get(net.client_param());
    if client != Some(net.client_id()) {
        return Err(format!("invalid_client: unknown {}", net.client_param()));
    }
    let redirect_uri = req
        .get("redirect_uri")
        .ok_or("redirect_uri_mismatch: redirect_uri is missing")?;
    if !redirect_allowed(state, net, redirect_uri) {
        return Err(
            "redirect_uri_mismatch: the redirect_uri is not registered for this app".into(),
        );
    }
    if req.get("response_type") != Some("code") {
        return Err("unsupported_response_type: response_type must be code".into());
    }
    let scopes = split_scopes(req.get("scope").unwrap_or_default());
    if scopes.is_empty() && net != Net::Facebook {
        return Err("invalid_scope: scope is missing".into());
    }
    if let Some(bad) = scopes.iter().find(|s| !net.knows_scope(s)) {
        return Err(format!("invalid_scope: unknown scope {bad}"));
    }
    if net == Net::Threads && !scopes.iter().any(|s| s == "threads_basic") {
        return Err("invalid_scope: threads_basic is required".into());
    }
    let state_param = req.get("state").map(str::to_owned);
    if net == Net::Reddit && state_param.is_none() {
        return Err("state is required".into());
    }
    let challenge = match req.get("code_challenge") {
        None => None,
        Some(c) => {
            let method = req.get("code_challenge_method").unwrap_or("plain");
            if !matches!(method, "S256" | "plain") {
                return Err("invalid_request: code_challenge_method must be S256 or plain".into());
            }
            if !(43..=128).contains(&c.len()) {
                return Err("invalid_request: code_challenge has a wrong length".into());
            }
            Some((c.to_owned(), method.to_owned()))
        }
    };
    let offline = match net {
        Net::Google => req.get("access_type") == Some("offline"),
        Net::Reddit => req.get("duration") == Some("permanent"),
        _ => true,
    };
    Ok(Ask {
        redirect_uri: redirect_uri.to_owned(),
        state: state_param,
        scopes,
        challenge,
        offline,
    })
}

/// Any `http` loopback URI (127.0.0.1, localhost, [::1], any port, no
/// fragment), plus exact URIs registered through `/_sandbox/oauth/apps`.
pub(crate) fn redirect_allowed(state: &SandboxState, net: Net, uri: &str) -> bool {
    let registered = state
        .inner
        .oauth
        .lock()
        .redirects
        .get(&net)
        .is_some_and(|list| list.iter().any(|r| r == uri));
    registered || is_loopback(uri)
}

fn is_loopback(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    if uri.contains('#') {
        return false;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = if authority.starts_with('[') {
        authority
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or("").to_owned()
    };
    matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

/// The network's own parameters for a denied consent.
fn deny_params(net: Net) -> Vec<(&'static str, &'static str)> {
    match net {
        Net::Facebook | Net::Threads => vec![
            ("error", "access_denied"),
            ("error_code", "200"),
            ("error_description", "Permissions error"),
            ("error_reason", "user_denied"),
        ],
        Net::Linkedin => vec![
            ("error", "user_cancelled_authorize"),
            ("error_description", "The user cancelled the authorization"),
        ],
        Net::Tiktok => vec![
            ("error", "access_denied"),
            (
                "error_description",
                "The user denied the authorization request",
            ),
        ],
        Net::Snapchat => vec![
            ("error", "access_denied"),
            ("error_description", "The user denied the request"),
        ],
        Net::Google | Net::Pinterest | Net::Reddit | Net::X => vec![("error", "access_denied")],
    }
}

fn redirect(net: Net, ask: &Ask, params: &[(&str, &str)]) -> Response {
    let mut url = ask.redirect_uri.clone();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    let state = ask.state.as_deref().map(|s| ("state", s));
    for (k, v) in params.iter().copied().chain(state) {
        url.push(sep);
        url.push_str(k);
        url.push('=');
        url.push_str(&encode(v));
        sep = '&';
    }
    // Meta appends a fragment to its redirects (clients strip it).
    match net {
        Net::Facebook => url.push_str("#_=_"),
        Net::Threads => url.push_str("#_"),
        _ => {}
    }
    (StatusCode::FOUND, [(header::LOCATION, url)]).into_response()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Who consents: the one sandbox account of the network.
fn account(net: Net) -> &'static str {
    match net {
        Net::Facebook => "Crier Sandbox (Page) and @crier_sandbox (Instagram)",
        Net::Google => "crier.sandbox@gmail.com (YouTube channel and Business Profile)",
        Net::Linkedin => "Crier Sandbox (member and organization admin)",
        _ => "@crier_sandbox",
    }
}

fn consent_page(net: Net, req: &OauthReq, ask: &Ask) -> Response {
    let mut hidden = String::new();
    let mut keys: Vec<&String> = req.params.keys().filter(|k| *k != "decision").collect();
    keys.sort();
    for k in keys {
        hidden.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            escape(k),
            escape(&req.params[k])
        ));
    }
    let scopes: String = ask
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", escape(s)))
        .collect();
    let host = ask
        .redirect_uri
        .split('/')
        .nth(2)
        .unwrap_or(&ask.redirect_uri);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} (sandbox): authorize app</title></head><body>\n\
<main><h1>{title} sandbox</h1>\n\
<p>The app <strong id=\"client\">{client}</strong> at <strong>{host}</strong> asks to act for \
<strong id=\"account\">{account}</strong>:</p>\n<ul id=\"scopes\">{scopes}</ul>\n\
<form method=\"post\" action=\"{action}\">\n{hidden}\
<button type=\"submit\" id=\"consent\" name=\"decision\" value=\"consent\">Consent</button>\n\
<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n\
</form></main></body></html>\n",
        title = net.title(),
        client = escape(net.client_id()),
        host = escape(host),
        account = account(net),
        action = escape(&req.path),
    );
    Html(body).into_response()
}

fn error_page(net: Net, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>{title} (sandbox): error</title></head><body><main>\
<h1>{title} sandbox: this request cannot be authorized</h1>\
<p id=\"error\">Error 400: {message}</p></main></body></html>\n",
        title = net.title(),
        message = escape(message),
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects() {
        assert!(is_loopback("http://127.0.0.1:4000/link/callback/google"));
        assert!(is_loopback("http://localhost/cb?x=1"));
        assert!(is_loopback("http://[::1]:9/cb"));
        assert!(!is_loopback("https://127.0.0.1/cb"));
        assert!(!is_loopback("http://127.0.0.1.evil.example/cb"));
        assert!(!is_loopback("http://localhost:80/cb#frag"));
        assert!(!is_loopback("http://evil.example/cb?127.0.0.1"));
    }
}
