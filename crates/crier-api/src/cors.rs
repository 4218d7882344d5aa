//! CORS for browser clients: off unless origins are configured (then no CORS header at all is sent).
//! With origins, preflights (`OPTIONS`) are answered here, before authentication, rate limiting or
//! routing, and answers expose the rate-limit and request-id headers to scripts.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Origins {
    #[default]
    Off,
    Any,
    List(Vec<HeaderValue>),
}

/// Which browser origins may call crier, and how long a browser may keep a preflight's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsSettings {
    origins: Origins,
    max_age: Duration,
}

/// Headers a browser client may send: auth, profile, language, X's own keys, idempotency, request id.
const ALLOWED_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "profile-key",
    "accept-language",
    "idempotency-key",
    "x-request-id",
    "x-twitter-oauth1-api-key",
    "x-twitter-oauth1-api-secret",
];

/// Answer headers a browser client may read.
const EXPOSED_HEADERS: &[&str] = &[
    "x-ratelimit-limit",
    "x-ratelimit-max",
    "x-ratelimit-remaining",
    "x-ratelimit-count",
    "x-ratelimit-reset",
    "retry-after",
    "x-request-id",
];

impl CorsSettings {
    /// From `cors.allowed_origins`: empty is off, `["*"]` any origin, otherwise each an origin
    /// (`https://app.example.com`, a port if not the default; no path). Errors name the bad entry.
    pub fn new(allowed_origins: &[String], max_age: Duration) -> Result<CorsSettings, String> {
        let origins = if allowed_origins.is_empty() {
            Origins::Off
        } else if allowed_origins.iter().any(|o| o.trim() == "*") {
            if allowed_origins.len() > 1 {
                return Err("cors.allowed_origins: \"*\" allows every origin and must stand alone".into());
            }
            Origins::Any
        } else {
            Origins::List(allowed_origins.iter().map(|o| origin(o)).collect::<Result<_, _>>()?)
        };
        Ok(CorsSettings { origins, max_age })
    }

    pub fn is_on(&self) -> bool {
        self.origins != Origins::Off
    }
}

/// An origin as browsers send it in `Origin`: scheme, host and non-default port, nothing else.
fn origin(configured: &str) -> Result<HeaderValue, String> {
    let bad = |why: &str| format!("cors.allowed_origins: {configured:?} {why}");
    let url = url::Url::parse(configured.trim()).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("is not an http(s) origin"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(bad("has more than scheme, host and port"));
    }
    HeaderValue::from_str(&url.origin().ascii_serialization()).map_err(|e| bad(&e.to_string()))
}

fn layer(settings: &CorsSettings) -> Option<CorsLayer> {
    let allow_origin = match &settings.origins {
        Origins::Off => return None,
        Origins::Any => AllowOrigin::any(),
        Origins::List(list) => AllowOrigin::list(list.iter().cloned()),
    };
    let names = |list: &[&'static str]| list.iter().map(|h| HeaderName::from_static(h)).collect::<Vec<_>>();
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers(names(ALLOWED_HEADERS))
            .expose_headers(names(EXPOSED_HEADERS))
            .max_age(settings.max_age),
    )
}

/// `router` with CORS around everything it serves, when CORS is on; unchanged when off.
pub(crate) fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, settings: &CorsSettings) -> Router<S> {
    match layer(settings) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(origins: &[&str]) -> Result<CorsSettings, String> {
        CorsSettings::new(&origins.iter().map(|o| o.to_string()).collect::<Vec<_>>(), Duration::from_secs(600))
    }

    #[test]
    fn origins_are_read_as_browsers_send_them() {
        assert_eq!(list(&[]).unwrap().origins, Origins::Off);
        assert_eq!(list(&["*"]).unwrap().origins, Origins::Any);
        let l = list(&["https://App.Example.com/", "http://localhost:3000", "https://a.example:443"]).unwrap();
        assert_eq!(
            l.origins,
            Origins::List(vec![
                HeaderValue::from_static("https://app.example.com"),
                HeaderValue::from_static("http://localhost:3000"),
                HeaderValue::from_static("https://a.example"),
            ])
        );
    }

    #[test]
    fn what_is_not_an_origin_is_refused_by_name() {
        for bad in ["app.example.com", "https://app.example.com/path", "ftp://x.example", "https://u:p@x.example", "https://x.example/?q"] {
            let e = list(&[bad]).unwrap_err();
            assert!(e.contains("cors.allowed_origins") && e.contains(bad.trim_end_matches('/')), "{bad}: {e}");
        }
        assert!(list(&["*", "https://x.example"]).unwrap_err().contains("alone"));
    }
}
