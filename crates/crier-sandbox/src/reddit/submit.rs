//! `POST /api/submit` and `POST /api/del`.
//!
//! Submit checks, in r2's order: the subreddit (`SUBREDDIT_REQUIRED`,
//! `SUBREDDIT_NOEXIST`), the kind (`INVALID_OPTION`), the title (`NO_TEXT`,
//! `TOO_LONG` over 300), the body by kind (self text ≤ 40,000: `TOO_LONG`
//! on `text`; link: `NO_URL`, `BAD_URL`, `ALREADY_SUB` when a live post in
//! the subreddit has the same URL and `resubmit` is not true), the
//! subreddit's post types (`NO_SELFS`/`NO_LINKS`), post flair when required
//! (`SUBMIT_VALIDATION_FLAIR_REQUIRED`), then the posting throttle
//! (`RATELIMIT`, with `json.ratelimit` in seconds). All answer HTTP 200.

use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Call;
use super::error::{ApiError, json_errors};
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::seed;

const MAX_TITLE: usize = 300;
const MAX_SELFTEXT: usize = 40_000;

#[derive(Clone, Debug)]
pub(crate) struct Post {
    pub id: String,
    pub subreddit: String,
    pub title: String,
    pub is_self: bool,
    pub selftext: String,
    pub url: Option<String>,
    pub flair_id: Option<String>,
    pub flair_text: Option<String>,
    pub nsfw: bool,
    pub spoiler: bool,
    pub send_replies: bool,
    pub created_ms: i64,
    pub deleted: bool,
    pub ledger_seq: u64,
    /// Set by `/_sandbox/reddit/posts/{id}/stats`.
    pub score: i64,
    pub num_comments: u64,
}

impl Post {
    pub(crate) fn fullname(&self) -> String {
        format!("t3_{}", self.id)
    }

    /// `/r/<sr>/comments/<id>/<slug>/`.
    pub(crate) fn permalink(&self) -> String {
        let slug: String = self
            .title
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|s| !s.is_empty())
            .take(8)
            .collect::<Vec<_>>()
            .join("_");
        format!("/r/{}/comments/{}/{}/", self.subreddit, self.id, slug)
    }
}

fn non_empty(call: &Call, key: &str) -> Option<String> {
    call.param(key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `POST /api/submit` (form-encoded, `api_type=json`).
pub(crate) fn submit(state: &SandboxState, call: &Call) -> Response {
    let Some(sr) = non_empty(call, "sr") else {
        return json_errors(&[ApiError::subreddit_required()], None);
    };
    if !sr.eq_ignore_ascii_case(seed::REDDIT_SUBREDDIT) {
        return json_errors(&[ApiError::subreddit_noexist()], None);
    }
    let kind = call.param("kind").unwrap_or("link").trim().to_owned();
    let is_self = match kind.as_str() {
        "self" => true,
        "link" => false,
        // Reddit's media upload flow is not emulated (see the module doc).
        _ => return json_errors(&[ApiError::invalid_option("kind")], None),
    };
    let mut errors = Vec::new();
    let title = call.param("title").unwrap_or("").trim().to_owned();
    if title.is_empty() {
        errors.push(ApiError::no_text("title"));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(ApiError::too_long("title", MAX_TITLE));
    }
    let selftext = call.param("text").unwrap_or("").to_owned();
    let url = non_empty(call, "url");
    let rs = &state.inner.reddit;
    let mut inner = rs.lock();
    if is_self {
        if selftext.chars().count() > MAX_SELFTEXT {
            errors.push(ApiError::too_long("text", MAX_SELFTEXT));
        }
    } else {
        match &url {
            None => errors.push(ApiError::no_url()),
            Some(u) => {
                let ok = reqwest::Url::parse(u).is_ok_and(|p| {
                    matches!(p.scheme(), "http" | "https") && p.host_str().is_some()
                });
                if !ok {
                    errors.push(ApiError::bad_url());
                } else if call.flag("resubmit") != Some(true)
                    && inner
                        .posts
                        .iter()
                        .any(|p| !p.deleted && p.url.as_deref() == Some(u.as_str()))
                {
                    errors.push(ApiError::already_sub());
                }
            }
        }
    }
    if !errors.is_empty() {
        return json_errors(&errors, None);
    }
    match (inner.config.link_type.as_str(), is_self) {
        ("link", true) => return json_errors(&[ApiError::no_selfs()], None),
        ("self", false) => return json_errors(&[ApiError::no_links()], None),
        _ => {}
    }
    let flair_id = non_empty(call, "flair_id");
    let flair_text = non_empty(call, "flair_text");
    if inner.config.flair_required && flair_id.is_none() && flair_text.is_none() {
        return json_errors(&[ApiError::flair_required()], None);
    }
    if inner.throttle.submits > 0 {
        inner.throttle.submits -= 1;
        let wait = inner.throttle.seconds;
        return json_errors(&[ApiError::ratelimit(wait)], Some(wait));
    }
    let now = now_ms();
    let mut post = Post {
        id: rs.next_id(),
        subreddit: seed::REDDIT_SUBREDDIT.to_owned(),
        title,
        is_self,
        selftext: if is_self { selftext } else { String::new() },
        url: if is_self { None } else { url },
        flair_id,
        flair_text,
        nsfw: call.flag("nsfw").unwrap_or(false),
        spoiler: call.flag("spoiler").unwrap_or(false),
        send_replies: call.flag("sendreplies").unwrap_or(true),
        created_ms: now,
        deleted: false,
        ledger_seq: 0,
        score: 1,
        num_comments: 0,
    };
    post.ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "reddit".into(),
        account: post.subreddit.clone(),
        native_id: post.fullname(),
        text: post.selftext.clone(),
        media: post.url.iter().cloned().collect(),
        title: Some(post.title.clone()),
        at_ms: now,
        deleted: false,
    });
    let data = json!({
        "url": format!("https://www.reddit.com{}", post.permalink()),
        "drafts_count": 0,
        "id": post.id,
        "name": post.fullname(),
    });
    inner.posts.push(post);
    axum::Json(json!({"json": {"errors": [], "data": data}})).into_response()
}

/// `POST /api/del` `id=t3_…`: `{}` whatever the id (as on Reddit).
pub(crate) fn delete(state: &SandboxState, call: &Call) -> Response {
    let fullname = call.param("id").unwrap_or("").trim().to_owned();
    let seq = {
        let mut inner = state.inner.reddit.lock();
        inner
            .posts
            .iter_mut()
            .find(|p| p.fullname() == fullname && !p.deleted)
            .map(|p| {
                p.deleted = true;
                p.ledger_seq
            })
    };
    if let Some(seq) = seq {
        state.inner.ledger.mark_deleted(seq);
    }
    axum::Json(json!({})).into_response()
}
