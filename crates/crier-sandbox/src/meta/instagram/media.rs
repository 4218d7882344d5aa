//! Reading Instagram: the user node, the `media` and `stories` edges and
//! media nodes with their fields.

use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::ledger::now_ms;
use crate::meta::auth::Account;
use crate::meta::error::GraphError;
use crate::meta::ids::{shortcode, timestamp};
use crate::meta::insights::numbers;
use crate::meta::request::Call;
use crate::meta::{ok, paginate, project};

use super::{DAY_MS, Media, USERNAME};

pub(crate) fn get_user(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    // Stories are not counted in media_count, as on Instagram.
    let count = {
        let inner = state.inner.meta.lock();
        inner
            .ig
            .media
            .values()
            .filter(|m| m.product != "STORY")
            .count()
    };
    let id = Account::IgUser.id();
    let mut full = Map::new();
    full.insert("id".into(), json!(id));
    full.insert("ig_id".into(), json!(7_000_000_001u64));
    full.insert("username".into(), json!(USERNAME));
    full.insert("name".into(), json!("Crier Sandbox"));
    full.insert(
        "biography".into(),
        json!("The account crier's sandbox publishes to."),
    );
    full.insert("followers_count".into(), json!(2048));
    full.insert("follows_count".into(), json!(12));
    full.insert("media_count".into(), json!(count));
    full.insert(
        "profile_picture_url".into(),
        json!("https://scontent.cdninstagram.com/v/crier_sandbox.jpg"),
    );
    full.insert("website".into(), json!("https://example.org/crier"));
    ok(project(&full, call.fields(), &[], "IGUser")?)
}

pub(crate) fn permalink(media: &Media) -> String {
    let code = shortcode(&media.id);
    match media.product {
        "REELS" => format!("https://www.instagram.com/reel/{code}/"),
        "STORY" => format!("https://www.instagram.com/stories/{USERNAME}/{}/", media.id),
        _ => format!("https://www.instagram.com/p/{code}/"),
    }
}

fn media_fields(media: &Media) -> Map<String, Value> {
    let n = numbers(&media.id, media.created_ms, now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(media.id));
    full.insert(
        "caption".into(),
        if media.caption.is_empty() {
            Value::Null
        } else {
            json!(media.caption)
        },
    );
    full.insert("media_type".into(), json!(media.media_type));
    full.insert("media_product_type".into(), json!(media.product));
    full.insert("media_url".into(), json!(media.urls.first()));
    full.insert("permalink".into(), json!(permalink(media)));
    full.insert("shortcode".into(), json!(shortcode(&media.id)));
    full.insert("timestamp".into(), json!(timestamp(media.created_ms)));
    full.insert("username".into(), json!(USERNAME));
    full.insert("owner".into(), json!({"id": Account::IgUser.id()}));
    full.insert("like_count".into(), json!(n.likes));
    full.insert("comments_count".into(), json!(n.comments));
    full.insert("is_comment_enabled".into(), json!(true));
    full.insert(
        "thumbnail_url".into(),
        if media.media_type == "VIDEO" {
            json!(media.urls.first())
        } else {
            Value::Null
        },
    );
    full
}

/// `GET /{ig-user}/media` (feed and reels) or `/stories` (stories of the
/// last 24 h), newest first.
pub(crate) fn list(
    state: &SandboxState,
    call: &Call,
    stories: bool,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let now = now_ms();
    let ids: Vec<String> = inner
        .ig
        .order
        .iter()
        .rev()
        .filter(|id| {
            inner.ig.media.get(*id).is_some_and(|m| {
                if stories {
                    m.product == "STORY" && m.created_ms > now - DAY_MS
                } else {
                    m.product != "STORY"
                }
            })
        })
        .cloned()
        .collect();
    let fields = call.fields();
    paginate(call, &ids, |id| match inner.ig.media.get(id) {
        Some(media) => project(&media_fields(media), fields.clone(), &[], "IGMedia"),
        None => Ok(Value::Null),
    })
}

pub(crate) fn get_media(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let media = inner
        .ig
        .media
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    ok(project(
        &media_fields(media),
        call.fields(),
        &[],
        "IGMedia",
    )?)
}
