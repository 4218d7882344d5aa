//! Reading a Graph call: version prefix, object id and edge from the path,
//! parameters from the query string and a form, JSON or multipart body, and
//! the access token from a parameter or the `Authorization` header (`Bearer`
//! or `OAuth`), as Graph accepts all of these.

use axum::extract::Request;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method};
use serde_json::{Map, Value};

use super::Host;
use super::error::GraphError;
use crate::multipart;
use crate::params::{get_str, media_type, parse_urlencoded, percent_decode, read_body};
use crate::request::host_or_localhost;

/// Bodies above this are refused (Graph's own limits are higher for video,
/// but the sandbox's router caps bodies at 64 MiB anyway).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// A file part of a multipart body (`source` of a photo or video).
pub(crate) struct Upload {
    pub name: String,
    pub filename: String,
    pub data: Vec<u8>,
}

/// One Graph call.
pub(crate) struct Call {
    pub host: Host,
    /// After the `method=` override Graph supports (`POST ...?method=delete`).
    pub method: Method,
    /// `v21.0` etc. (Graph accepts unversioned paths too).
    pub version: Option<String>,
    /// The first path segment: an object id or `me`.
    pub id: String,
    pub edge: Option<String>,
    /// Path segments after the edge (Graph answers "Unknown path components").
    pub extra: Vec<String>,
    pub params: Map<String, Value>,
    pub uploads: Vec<Upload>,
    pub token: Option<String>,
    /// `http://<host>/facebook/v21.0` as the client reached it, for `paging.next`.
    pub base: String,
}

pub(crate) fn is_version(segment: &str) -> bool {
    let Some(rest) = segment.strip_prefix('v') else {
        return false;
    };
    let (major, minor) = rest.split_once('.').unwrap_or((rest, "0"));
    !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && !minor.is_empty()
        && minor.bytes().all(|b| b.is_ascii_digit())
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = raw.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| token.trim().to_owned())
}

/// Splits `/facebook/v21.0/123/feed` into its parts.
fn split_path(path: &str, prefix: &str) -> (Option<String>, Vec<String>) {
    let rest = path.strip_prefix(prefix).unwrap_or("");
    let mut segments: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect();
    let version = match segments.first() {
        Some(first) if is_version(first) => Some(segments.remove(0)),
        _ => None,
    };
    (version, segments)
}

pub(crate) async fn parse(req: Request, host: Host) -> Result<Call, GraphError> {
    let prefix = match host {
        Host::Facebook => "/facebook",
        Host::Threads => "/threads",
    };
    let (version, mut segments) = split_path(req.uri().path(), prefix);
    let mut params = req.uri().query().map(parse_urlencoded).unwrap_or_default();
    let headers = req.headers().clone();
    let mut method = req.method().clone();
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| GraphError::param("The request body is too large"))?;
    let mut uploads = Vec::new();
    if !body.is_empty() {
        match media_type(&headers).as_deref() {
            Some("application/json") => match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => params.extend(map),
                // Wording chosen: Graph's text for a malformed JSON body is not documented.
                _ => return Err(GraphError::param("Invalid JSON in the request body")),
            },
            Some("application/x-www-form-urlencoded") => {
                params.extend(parse_urlencoded(&String::from_utf8_lossy(&body)));
            }
            Some("multipart/form-data") => {
                let parts = multipart::parse_parts(&content_type, &body)
                    .ok_or_else(|| GraphError::param("Invalid multipart/form-data body"))?;
                for part in parts {
                    match part.filename {
                        Some(filename) => uploads.push(Upload {
                            name: part.name,
                            filename,
                            data: part.data,
                        }),
                        None => {
                            let text = String::from_utf8_lossy(&part.data).into_owned();
                            params.insert(part.name, Value::String(text));
                        }
                    }
                }
            }
            // Graph reads nothing else from a body.
            _ => {}
        }
    }
    let token = match params.remove("access_token") {
        Some(Value::String(token)) if !token.trim().is_empty() => Some(token),
        _ => header_token(&headers),
    };
    if let Some(over) = get_str(&params, "method") {
        match over.to_ascii_uppercase().as_str() {
            "GET" => method = Method::GET,
            "POST" => method = Method::POST,
            "DELETE" => method = Method::DELETE,
            _ => {}
        }
    }
    let id = if segments.is_empty() {
        String::new()
    } else {
        segments.remove(0)
    };
    let edge = (!segments.is_empty()).then(|| segments.remove(0));
    let host_header = host_or_localhost(&headers);
    let base = format!(
        "http://{host_header}{prefix}/{}",
        version.as_deref().unwrap_or(host.default_version())
    );
    Ok(Call {
        host,
        method,
        version,
        id,
        edge,
        extra: segments,
        params,
        uploads,
        token,
        base,
    })
}

impl Call {
    /// A string parameter (numbers and booleans are accepted as text).
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        get_str(&self.params, key)
    }

    /// A non-empty string parameter, trimmed.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        self.str(key)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    /// A boolean parameter (`true`/`false`/`1`/`0`).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, GraphError> {
        match self.params.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => {
                let text = match other {
                    Value::String(s) => s.trim().to_ascii_lowercase(),
                    v => v.to_string(),
                };
                match text.as_str() {
                    "true" | "1" => Ok(Some(true)),
                    "false" | "0" | "" => Ok(Some(false)),
                    _ => Err(GraphError::param(format!("Param {key} must be a boolean"))),
                }
            }
        }
    }

    /// A JSON-valued parameter: a JSON value in a JSON body, or JSON text in
    /// a form field (`user_tags=[{...}]`).
    pub(crate) fn json(&self, key: &str) -> Result<Option<Value>, GraphError> {
        match self.params.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| GraphError::param(format!("Param {key} must be JSON"))),
            Some(other) => Ok(Some(other.clone())),
        }
    }

    /// A list given as `a,b,c`, a JSON array, or JSON array text.
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        let item = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match self.params.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(item).collect(),
            Some(Value::String(s)) if s.trim_start().starts_with('[') => {
                match serde_json::from_str::<Value>(s) {
                    Ok(Value::Array(items)) => items.iter().filter_map(item).collect(),
                    _ => Vec::new(),
                }
            }
            Some(Value::String(s)) => s
                .split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
            Some(Value::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    }

    /// The top-level names of `fields=a,b{c},d`; `None` when not given.
    pub(crate) fn fields(&self) -> Option<Vec<String>> {
        let raw = self.text("fields")?;
        let mut fields = Vec::new();
        let mut depth = 0usize;
        let mut current = String::new();
        for c in raw.chars() {
            match c {
                '{' | '(' => depth += 1,
                '}' | ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    fields.push(std::mem::take(&mut current));
                    continue;
                }
                _ if depth == 0 => current.push(c),
                _ => {}
            }
        }
        fields.push(current);
        // `.limit(5)` style modifiers follow a dot.
        Some(
            fields
                .into_iter()
                .map(|f| f.split('.').next().unwrap_or("").trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
        )
    }

    /// `limit` for list edges (Graph's default 25, at most 100).
    pub(crate) fn limit(&self) -> usize {
        self.str("limit")
            .and_then(|s| s.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(25)
            .min(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_versions() {
        let (v, s) = split_path("/facebook/v21.0/123/feed", "/facebook");
        assert_eq!(v.as_deref(), Some("v21.0"));
        assert_eq!(s, vec!["123", "feed"]);
        let (v, s) = split_path("/threads/me/threads/", "/threads");
        assert_eq!(v, None);
        assert_eq!(s, vec!["me", "threads"]);
        assert!(
            is_version("v1.0") && is_version("v22") && !is_version("vx.0") && !is_version("123")
        );
    }
}
