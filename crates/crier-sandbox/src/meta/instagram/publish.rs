//! Container status (`GET /{container}`), `POST /{ig-user}/media_publish`
//! with the rolling 24 h cap, and `content_publishing_limit`.

use axum::response::Response;
use serde_json::{Map, json};

use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::meta::auth::Account;
use crate::meta::container::{Phase, builder_missing, publish_refusal};
use crate::meta::error::GraphError;
use crate::meta::request::Call;
use crate::meta::usage::{BucType, Pct};
use crate::meta::{Ctx, ok, project};

use super::{Container, DAY_MS, Kind, Media};

fn status_text(phase: Phase, container: &Container) -> String {
    match phase {
        Phase::InProgress => "In Progress: Media is still being processed.".into(),
        Phase::Finished => {
            "Finished: Media has been uploaded and it is ready to be published.".into()
        }
        Phase::Published => "Published: Media has been successfully published.".into(),
        Phase::Expired => "Expired: Media was not published within 24 hours.".into(),
        Phase::Error => container.error_text.clone(),
    }
}

pub(crate) fn get_container(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let container = inner
        .ig
        .containers
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let phase = container.life.phase(now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(container.id));
    full.insert("status_code".into(), json!(phase.code()));
    full.insert("status".into(), json!(status_text(phase, container)));
    full.insert(
        "copyright_check_status".into(),
        json!({"status": if container.is_video { "completed" } else { "not_started" }, "matches_found": false}),
    );
    ok(project(&full, call.fields(), &[], "ShadowIGMediaBuilder")?)
}

pub(crate) fn publish(
    state: &SandboxState,
    call: &Call,
    ctx: &mut Ctx,
) -> Result<Response, GraphError> {
    let creation_id = call
        .text("creation_id")
        .ok_or_else(|| GraphError::param("The parameter creation_id is required."))?;
    let meta = &state.inner.meta;
    let user = Account::IgUser.id();
    let mut inner = meta.lock();
    if let Some(retry_after) = inner.throttles.instagram_publish {
        let minutes = retry_after.div_ceil(60).max(1) as u32;
        ctx.buc = Some((user.to_owned(), BucType::Instagram, Pct::full(minutes)));
        return Err(GraphError::instagram_limit()
            .status(429)
            .header("retry-after", retry_after.to_string()));
    }
    if inner.throttles.instagram_spam {
        return Err(GraphError::new(
            368,
            "It looks like you were misusing this feature by going too fast. You\u{2019}ve been temporarily blocked from using it.",
        )
        .sub(1390008)
        .transient(false)
        .user(
            "You Can't Use This Feature Right Now",
            "We limit how often you can post, comment or do other things in a given amount of time in order to help protect the community from spam. You can try again later.",
        ));
    }
    let now = now_ms();
    let limit = inner.config.instagram_daily_limit;
    let ig = &mut inner.ig;
    ig.roll(now);
    let container = ig
        .containers
        .get(&creation_id)
        .ok_or_else(builder_missing)?;
    if let Some(refusal) = publish_refusal(container.life.phase(now)) {
        return Err(refusal);
    }
    if container.carousel_item {
        // Wording chosen: items are published through their carousel only.
        return Err(GraphError::param(
            "A carousel item container cannot be published on its own",
        ));
    }
    if ig.publishes.len() >= limit as usize {
        return Err(GraphError::new(
            9,
            "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
        )
        .sub(2207042)
        .transient(false)
        .user(
            "Max Posts Reached",
            "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
        ));
    }
    let (media_type, product) = match container.kind {
        Kind::Image => ("IMAGE", "FEED"),
        Kind::Video => ("VIDEO", "FEED"),
        Kind::Reels => ("VIDEO", "REELS"),
        Kind::Stories if container.is_video => ("VIDEO", "STORY"),
        Kind::Stories => ("IMAGE", "STORY"),
        Kind::Carousel => ("CAROUSEL_ALBUM", "FEED"),
    };
    let urls: Vec<String> = if container.kind == Kind::Carousel {
        container
            .children
            .iter()
            .filter_map(|c| ig.containers.get(c).and_then(|c| c.url.clone()))
            .collect()
    } else {
        container.url.iter().cloned().collect()
    };
    let caption = container.caption.clone();
    let media_id = meta.ids.ig_media();
    state.inner.ledger.push(LedgerEntry {
        network: "instagram".into(),
        account: user.into(),
        native_id: media_id.clone(),
        text: caption.clone(),
        media: urls.clone(),
        title: None,
        at_ms: now,
        deleted: false,
    });
    if let Some(container) = ig.containers.get_mut(&creation_id) {
        container.life.published = Some(media_id.clone());
    }
    ig.publishes.push_back(now);
    ig.order.push(media_id.clone());
    ig.media.insert(
        media_id.clone(),
        Media {
            id: media_id.clone(),
            media_type,
            product,
            caption,
            urls,
            created_ms: now,
        },
    );
    ok(json!({ "id": media_id }))
}

pub(crate) fn limit(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let mut inner = state.inner.meta.lock();
    let now = now_ms();
    let total = inner.config.instagram_daily_limit;
    inner.ig.roll(now);
    let since_ms = call
        .text("since")
        .and_then(|s| s.parse::<i64>().ok())
        .map(|s| s.saturating_mul(1000));
    let usage = inner
        .ig
        .publishes
        .iter()
        .filter(|t| since_ms.is_none_or(|since| **t >= since))
        .count();
    let mut full = Map::new();
    full.insert("quota_usage".into(), json!(usage));
    full.insert(
        "config".into(),
        json!({"quota_total": total, "quota_duration": DAY_MS / 1000}),
    );
    let mut item = project(
        &full,
        call.fields(),
        &["quota_usage"],
        "ContentPublishingLimit",
    )?;
    // This edge's items carry no id.
    if let Some(obj) = item.as_object_mut() {
        obj.remove("id");
    }
    ok(json!({ "data": [item] }))
}
