//! HTML building blocks: escaping, the page chrome (white-label header, colours, `lang`/`dir`),
//! and the error pages. Every dynamic value passes through `esc`.

use super::LinkingSettings;
use crate::i18n::{Lang, Translator};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML content and double-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// A translated text of the page (`link-*` key), plain.
pub fn text(t: &Translator, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(String, String)> = args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    t.message(lang, key, &args).unwrap_or_else(|| key.to_string())
}

/// The same, escaped for HTML.
pub fn tr(t: &Translator, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    esc(&text(t, lang, key, args))
}

/// A whole document around `main` (already-escaped HTML).
pub fn document(s: &LinkingSettings, t: &Translator, lang: Lang, heading_title: &str, main: &str) -> String {
    let dir = if lang.tag() == "ar" { "rtl" } else { "ltr" };
    let logo = s
        .logo_url
        .as_deref()
        .map(|l| format!(r#"<img src="{}" alt="{}" height="40">"#, esc(l), tr(t, lang, "link-logo-alt", &[("title", &s.title)])))
        .unwrap_or_default();
    format!(
        r##"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{heading} · {brand}</title>
<style>
:root {{ --accent: {accent}; --bg: {bg}; --fg: {fg}; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }}
header {{ display: flex; align-items: center; gap: .75rem; padding: 1rem 1.5rem; border-bottom: 1px solid #cbd5e1; background: #fff; }}
header .brand {{ font-weight: 700; font-size: 1.25rem; }}
main {{ max-width: 56rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .5rem; }}
.cards {{ list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }}
.card {{ background: #fff; border: 1px solid #cbd5e1; border-radius: .5rem; padding: 1rem; }}
.card h2 {{ font-size: 1.15rem; margin: 0 0 .25rem; }}
.choices {{ list-style: none; padding: 0; }}
.choices li {{ margin: .5rem 0; }}
.choices label {{ display: inline; font-weight: 400; }}
.choices .target-id {{ color: #64748b; }}
img.avatar {{ width: 32px; height: 32px; border-radius: 50%; vertical-align: middle; }}
fieldset {{ border: 1px solid #cbd5e1; border-radius: .5rem; }}
.state {{ margin: 0 0 .75rem; color: #334155; }}
.state.on {{ color: #166534; font-weight: 600; }}
label {{ display: block; font-weight: 600; margin: .5rem 0 .25rem; }}
input[type=text], input[type=password] {{ width: 100%; padding: .5rem; border: 1px solid #64748b; border-radius: .25rem; font: inherit; color: #0f172a; background: #fff; }}
.help {{ font-size: .875rem; color: #475569; margin: .25rem 0; }}
button {{ margin-top: .75rem; padding: .5rem 1rem; border: 0; border-radius: .25rem; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }}
button.secondary {{ background: #fff; color: #991b1b; border: 1px solid #991b1b; }}
:focus-visible {{ outline: 3px solid #f59e0b; outline-offset: 2px; }}
.msg {{ padding: .75rem 1rem; border-radius: .25rem; margin: 1rem 0; }}
.msg.ok {{ background: #dcfce7; color: #14532d; }}
.msg.err {{ background: #fee2e2; color: #7f1d1d; }}
.skip {{ position: absolute; left: -999px; }} .skip:focus {{ left: 1rem; top: 1rem; background: #fff; padding: .5rem; }}
</style>
</head>
<body>
<a class="skip" href="#main">{heading}</a>
<header>{logo}<span class="brand">{brand}</span></header>
<main id="main">
{main}
</main>
</body>
</html>
"##,
        lang = lang.tag(),
        heading = esc(heading_title),
        brand = esc(&s.title),
        accent = s.accent_color,
        bg = s.background_color,
        fg = s.text_color,
    )
}

/// An HTML answer that is never cached and never framed (clickjacking). No `form-action`:
/// the OAuth cards' forms are redirected to the networks' consent pages.
pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'none'"));
    resp
}

/// A page that says what went wrong (`link-error-<kind>` and its `-title`); nothing else on it.
pub fn error_page(s: &LinkingSettings, t: &Translator, lang: Lang, status: StatusCode, kind: &str) -> Response {
    let title = text(t, lang, &format!("link-error-{kind}-title"), &[]);
    let body = tr(t, lang, &format!("link-error-{kind}"), &[]);
    let main = format!(r#"<h1>{}</h1><p class="msg err" role="alert" id="link-error" data-kind="{kind}">{body}</p>"#, esc(&title));
    html_response(status, document(s, t, lang, &title, &main))
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(super::esc(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert!(super::is_http_url("https://example.com/x") && !super::is_http_url("javascript:alert(1)") && !super::is_http_url("/x"));
    }
}
