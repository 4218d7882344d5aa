//! `localPosts.patch` (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts/patch):
//! the fields named in `updateMask` are replaced and the whole post validated again.

use axum::body::Bytes;
use serde_json::Value;

use super::config::GmbConfig;
use super::error::{Detail, ErrorCode, GmbError};
use super::posts::Post;
use super::{check_media, find, parse_object, posts, validate};
use crate::SandboxState;

/// `localPosts.patch`: replaces the fields named in `updateMask` (camelCase
/// or snake_case paths), then validates the whole post again. The ledger
/// entry keeps the text first published.
pub(super) async fn patch(
    state: &SandboxState,
    id: &str,
    mask: &str,
    body: &Bytes,
) -> Result<Value, GmbError> {
    let update = parse_object(body)?;
    let mut fields_in_mask = Vec::new();
    for raw in mask.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let camel = snake_to_camel(raw);
        let top = camel.split('.').next().unwrap_or_default().to_owned();
        if !validate::WRITABLE.contains(&top.as_str()) {
            return Err(GmbError::invalid_argument(format!(
                "Invalid field mask path: {raw}"
            )));
        }
        fields_in_mask.push(top);
    }
    if fields_in_mask.is_empty() {
        return Err(GmbError::validation(vec![Detail::new(
            ErrorCode::MissingValue,
            "update_mask",
            "update_mask is required",
        )]));
    }
    let mut merged = {
        let mut inner = state.inner.gmb.lock();
        find(&mut inner.posts, id)?.fields.clone()
    };
    for field in &fields_in_mask {
        match update.get(field) {
            Some(value) => merged.insert(field.clone(), value.clone()),
            None => merged.remove(field),
        };
    }
    let media = validate::check_post(&merged)?;
    if fields_in_mask.iter().any(|f| f == "media") {
        check_media(state, &media).await?;
    }
    let mut inner = state.inner.gmb.lock();
    let post = find(&mut inner.posts, id)?;
    let keep = Post::new(post.id.clone(), merged, &GmbConfig::default());
    post.fields = keep.fields;
    post.update_time = posts::timestamp();
    Ok(post.json())
}

pub(super) fn snake_to_camel(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    for c in path.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
