//! Stored local posts and their JSON (`LocalPost`), list paging, and the
//! `PROCESSING` → final state progression.

use serde_json::{Map, Value, json};

use super::config::GmbConfig;
use super::error::GmbError;
use crate::seed;

/// `pageSize` default and maximum of `localPosts.list` (documented).
const DEFAULT_PAGE: usize = 20;
const MAX_PAGE: usize = 100;

#[derive(Clone, Debug)]
pub(crate) struct Post {
    /// Numeric post id (the last segment of `name`).
    pub id: String,
    /// The client-writable fields, as sent (media items with Google's
    /// `googleUrl` added).
    pub fields: Map<String, Value>,
    pub state: String,
    pub final_state: String,
    /// Reads left before a `PROCESSING` post takes `final_state`.
    pub reads_left: u32,
    pub create_time: String,
    pub update_time: String,
    pub deleted: bool,
    pub ledger_seq: u64,
}

/// `accounts/{a}/locations/{l}` of the seeded location.
pub(crate) fn location_name() -> String {
    format!(
        "accounts/{}/locations/{}",
        seed::GMB_ACCOUNT_ID,
        seed::GMB_LOCATION_ID
    )
}

pub(crate) fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Post {
    pub(crate) fn new(id: String, mut fields: Map<String, Value>, config: &GmbConfig) -> Self {
        if let Some(Value::Array(items)) = fields.get_mut("media") {
            for (i, item) in items.iter_mut().enumerate() {
                if let Some(item) = item.as_object_mut() {
                    item.insert(
                        "googleUrl".into(),
                        json!(format!(
                            "https://lh3.googleusercontent.com/p/sandbox-{id}-{i}"
                        )),
                    );
                }
            }
        }
        let now = timestamp();
        Self {
            id,
            fields,
            state: config.initial_state.clone(),
            final_state: config.final_state.clone(),
            reads_left: config.processing_reads,
            create_time: now.clone(),
            update_time: now,
            deleted: false,
            ledger_seq: 0,
        }
    }

    pub(crate) fn name(&self) -> String {
        format!("{}/localPosts/{}", location_name(), self.id)
    }

    pub(crate) fn summary(&self) -> String {
        self.fields
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    pub(crate) fn media_urls(&self) -> Vec<String> {
        self.fields
            .get("media")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|m| m.get("sourceUrl").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A read: a `PROCESSING` post moves on once its reads are used up.
    pub(crate) fn observe(&mut self) {
        if self.state != "PROCESSING" {
            return;
        }
        if self.reads_left == 0 {
            self.state = self.final_state.clone();
            self.update_time = timestamp();
        } else {
            self.reads_left -= 1;
        }
    }

    pub(crate) fn json(&self) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(self.name()));
        out.extend(self.fields.clone());
        out.insert("createTime".into(), json!(self.create_time));
        out.insert("updateTime".into(), json!(self.update_time));
        out.insert("state".into(), json!(self.state));
        // searchUrl is chosen in the shape of Google's post links.
        out.insert(
            "searchUrl".into(),
            json!(format!(
                "https://local.google.com/place?id={}&use=posts&lpsid={}",
                seed::GMB_LOCATION_ID,
                self.id
            )),
        );
        Value::Object(out)
    }
}

/// Page token: the index of the next post, opaque to clients.
fn page_token(offset: usize) -> String {
    format!("CrierSbx{offset}")
}

fn parse_page_token(token: &str) -> Option<usize> {
    token.strip_prefix("CrierSbx")?.parse().ok()
}

/// `localPosts.list`: newest first, deleted posts left out; an empty
/// location answers `{}`.
pub(crate) fn list(
    posts: &mut [Post],
    page_size: Option<&str>,
    page_token_in: Option<&str>,
) -> Result<Value, GmbError> {
    let size = match page_size.filter(|s| !s.is_empty()) {
        None => DEFAULT_PAGE,
        Some(raw) => match raw.parse::<i64>() {
            Ok(0) => DEFAULT_PAGE,
            Ok(n) if n > 0 => (n as usize).min(MAX_PAGE),
            _ => {
                return Err(GmbError::invalid_argument(format!(
                    "Invalid value at 'page_size' (TYPE_INT32), \"{raw}\""
                )));
            }
        },
    };
    let offset = match page_token_in.filter(|s| !s.is_empty()) {
        None => 0,
        Some(token) => parse_page_token(token)
            .ok_or_else(|| GmbError::invalid_argument("Invalid page token."))?,
    };
    let mut live: Vec<&mut Post> = posts.iter_mut().rev().filter(|p| !p.deleted).collect();
    let total = live.len();
    let page: Vec<Value> = live
        .iter_mut()
        .skip(offset)
        .take(size)
        .map(|p| {
            p.observe();
            p.json()
        })
        .collect();
    let mut out = Map::new();
    if !page.is_empty() {
        out.insert("localPosts".into(), Value::Array(page));
    }
    if offset + size < total {
        out.insert("nextPageToken".into(), json!(page_token(offset + size)));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_progresses() {
        let config = GmbConfig {
            initial_state: "PROCESSING".into(),
            final_state: "REJECTED".into(),
            processing_reads: 1,
            ..GmbConfig::default()
        };
        let mut posts: Vec<Post> = (0..3)
            .map(|i| Post::new(format!("{i}"), Map::new(), &config))
            .collect();
        let first = list(&mut posts, Some("2"), None).unwrap();
        assert_eq!(first["localPosts"].as_array().unwrap().len(), 2);
        assert_eq!(first["localPosts"][0]["state"], "PROCESSING");
        let token = first["nextPageToken"].as_str().unwrap().to_owned();
        let second = list(&mut posts, Some("2"), Some(&token)).unwrap();
        assert_eq!(second["localPosts"].as_array().unwrap().len(), 1);
        assert!(second.get("nextPageToken").is_none());
        let again = list(&mut posts, None, None).unwrap();
        assert_eq!(again["localPosts"][0]["state"], "REJECTED");
        assert!(list(&mut posts, None, Some("bogus")).is_err());
        assert_eq!(list(&mut [], None, None).unwrap(), json!({}));
    }
}
