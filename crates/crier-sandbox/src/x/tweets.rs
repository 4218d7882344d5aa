//! Posts: `POST /2/tweets`, `GET /2/tweets/:id` and `DELETE /2/tweets/:id`,
//! and the store of posts the timeline (`users`) reads.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::accounts::create_cost_mills;
use super::error::XError;
use super::ids::{self, Snowflakes};
use super::limits::WINDOW_24_H;
use super::text::{self, MAX_WEIGHTED, MAX_WEIGHTED_LONG};
use super::view::{TWEET_FIELDS, check_params, field_list, tweet_json};
use super::{Auth, Call, Ctx, Inner, now_secs, ok};
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};

/// Two posts of a user with the same text within this window are
/// duplicates (X does not publish its window; a day is chosen).
const DUPLICATE_WINDOW_MS: i64 = 24 * 3600 * 1000;

pub(crate) struct Tweet {
    pub id: u64,
    pub author: &'static str,
    /// As sent (the ledger's text).
    pub text: String,
    /// As X shows it (t.co links).
    pub shown: String,
    pub media_keys: Vec<String>,
    pub reply_to: Option<(u64, &'static str)>,
    pub quote_of: Option<String>,
    pub reply_settings: Option<String>,
    pub conversation_id: u64,
    pub created_ms: i64,
    pub deleted: bool,
    pub ledger_seq: u64,
}

/// Posts in creation order (which is id order).
#[derive(Default)]
pub(crate) struct TweetStore {
    pub list: Vec<Tweet>,
}

impl TweetStore {
    fn get(&self, id: u64) -> Option<&Tweet> {
        self.list.iter().find(|t| t.id == id)
    }
}

/// The fields of a create request that matter here, validated.
struct Draft {
    text: String,
    media_ids: Vec<String>,
    reply_to: Option<u64>,
    quote_of: Option<String>,
    reply_settings: Option<String>,
}

const EXCLUSIVE: [&str; 5] = [
    "poll",
    "quote_tweet_id",
    "direct_message_deep_link",
    "media",
    "card_uri",
];
const REPLY_SETTINGS: [&str; 4] = ["following", "mentionedUsers", "subscribers", "verified"];

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn id_list(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array()?
        .iter()
        .map(|id| id.as_str().map(str::to_owned))
        .collect()
}

/// Validates the JSON body of `POST /2/tweets` (shape rules only: lengths,
/// exclusions, enums). Wordings X does not document are chosen.
fn parse_draft(body: &Map<String, Value>) -> Result<Draft, XError> {
    let present: Vec<&str> = EXCLUSIVE
        .iter()
        .copied()
        .filter(|k| body.get(*k).is_some_and(|v| !is_empty(v)))
        .collect();
    if present.len() > 1 {
        return Err(XError::invalid(
            None,
            "You can only provide one of poll or quote_tweet_id or direct_message_deep_link or media or card_uri.",
        ));
    }
    let text = match body.get("text") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(XError::invalid(
                Some(("text", vec![other.to_string()])),
                "$.text: string expected",
            ));
        }
    };
    let media_ids = match body.get("media") {
        None | Some(Value::Null) => Vec::new(),
        Some(media) => {
            let ids = id_list(media.get("media_ids")).ok_or_else(|| {
                XError::invalid(
                    Some(("media.media_ids", vec![media.to_string()])),
                    "$.media.media_ids: an array of media id strings is expected",
                )
            })?;
            if !(1..=4).contains(&ids.len()) {
                return Err(XError::invalid(
                    Some(("media.media_ids", ids)),
                    "$.media.media_ids: between 1 and 4 media ids are allowed",
                ));
            }
            ids
        }
    };
    if let Some(poll) = body.get("poll").filter(|p| !is_empty(p)) {
        let options = id_list(poll.get("options")).unwrap_or_default();
        let duration = poll.get("duration_minutes").and_then(Value::as_u64);
        let options_ok = (2..=4).contains(&options.len())
            && options
                .iter()
                .all(|o| (1..=25).contains(&o.chars().count()));
        if !options_ok || !duration.is_some_and(|d| (5..=10_080).contains(&d)) {
            return Err(XError::invalid(
                Some(("poll", vec![poll.to_string()])),
                "$.poll: 2 to 4 options of 1 to 25 characters and duration_minutes between 5 and 10080 are required",
            ));
        }
    }
    let reply_settings = match body.get("reply_settings") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if REPLY_SETTINGS.contains(&s.as_str()) => Some(s.clone()),
        Some(other) => {
            return Err(XError::invalid(
                Some(("reply_settings", vec![other.to_string()])),
                "$.reply_settings: must be one of [following, mentionedUsers, subscribers, verified]",
            ));
        }
    };
    if let Some(v) = body.get("for_super_followers_only")
        && !v.is_boolean()
        && !v.is_null()
    {
        return Err(XError::invalid(
            Some(("for_super_followers_only", vec![v.to_string()])),
            "$.for_super_followers_only: boolean expected",
        ));
    }
    let reply_to = match body
        .get("reply")
        .and_then(|r| r.get("in_reply_to_tweet_id"))
    {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.parse::<u64>().map_err(|_| {
            XError::invalid(
                Some(("reply.in_reply_to_tweet_id", vec![s.clone()])),
                "$.reply.in_reply_to_tweet_id: does not match ^[0-9]{1,19}$",
            )
        })?),
        Some(other) => {
            return Err(XError::invalid(
                Some(("reply.in_reply_to_tweet_id", vec![other.to_string()])),
                "$.reply.in_reply_to_tweet_id: string expected",
            ));
        }
    };
    let quote_of = body
        .get("quote_tweet_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if text.trim().is_empty() && media_ids.is_empty() && body.get("poll").is_none_or(is_empty) {
        return Err(XError::invalid(
            Some(("text", vec![text])),
            "You must provide text, media or a poll.",
        ));
    }
    Ok(Draft {
        text,
        media_ids,
        reply_to,
        quote_of,
        reply_settings,
    })
}

/// `POST /2/tweets`.
pub(crate) fn create(
    state: &SandboxState,
    inner: &mut Inner,
    ids: &Snowflakes,
    call: &Call,
    auth: Auth,
    ctx: &mut Ctx,
) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    if let Some(cap) = inner.config.monthly_cap
        && inner
            .apps
            .entry(auth.app.key)
            .or_default()
            .creates_this_month(&month)
            >= cap
    {
        return Err(XError::usage_capped(auth.app.account_id));
    }
    let now = now_secs();
    let (user_limit, app_limit) = (
        inner.config.user_tweets_per_24h,
        inner.config.app_tweets_per_24h,
    );
    let user_day = inner.user_day.entry(auth.user.id).or_default();
    let user_ok = user_day.peek(user_limit, WINDOW_24_H, now).remaining > 0;
    let app_day = inner.app_day.entry(auth.app.key).or_default();
    let app_ok = app_day.peek(app_limit, WINDOW_24_H, now).remaining > 0;
    if user_ok && app_ok {
        ctx.user_day = inner
            .user_day
            .entry(auth.user.id)
            .or_default()
            .charge(user_limit, WINDOW_24_H, now)
            .ok();
        ctx.app_day = inner
            .app_day
            .entry(auth.app.key)
            .or_default()
            .charge(app_limit, WINDOW_24_H, now)
            .ok();
    } else {
        let peek = |w: Option<&super::Window>, limit| {
            w.copied().unwrap_or_default().peek(limit, WINDOW_24_H, now)
        };
        ctx.user_day = Some(peek(inner.user_day.get(auth.user.id), user_limit));
        ctx.app_day = Some(peek(inner.app_day.get(auth.app.key), app_limit));
        return Err(XError::too_many_requests());
    }

    let draft = parse_draft(&call.json_object()?)?;
    let long = inner.users.get(auth.user.id).is_some_and(|u| u.long_posts);
    let max = if long {
        MAX_WEIGHTED_LONG
    } else {
        MAX_WEIGHTED
    };
    if text::weighted_len(&draft.text) > max {
        return Err(XError::invalid(
            None,
            "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.",
        ));
    }
    let now_ms = now_ms();
    let mut media_keys = Vec::new();
    let bad: Vec<String> = draft
        .media_ids
        .iter()
        .filter(
            |id| match inner.media.attachable(id, auth.user.id, now_ms) {
                Some(key) => {
                    media_keys.push(key);
                    false
                }
                None => true,
            },
        )
        .cloned()
        .collect();
    if !bad.is_empty() {
        return Err(XError::invalid(
            Some(("media.media_ids", bad)),
            "Your media IDs are invalid.",
        ));
    }
    let reply_to = match draft.reply_to {
        None => None,
        Some(parent) => match inner.tweets.get(parent).filter(|t| !t.deleted) {
            Some(t) => Some((t.id, t.author, t.conversation_id)),
            None => {
                return Err(XError::forbidden(
                    "You attempted to reply to a Tweet that is deleted or not visible to you.",
                ));
            }
        },
    };
    if !draft.text.is_empty()
        && inner.tweets.list.iter().any(|t| {
            t.author == auth.user.id
                && !t.deleted
                && t.text == draft.text
                && now_ms - t.created_ms < DUPLICATE_WINDOW_MS
        })
    {
        return Err(XError::duplicate());
    }

    let id = ids.next();
    let media_link = (!draft.media_ids.is_empty()).then(|| ids::tco(&format!("media:{id}")));
    let shown = text::display(&draft.text, media_link.as_deref());
    let ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "twitter".into(),
        account: auth.user.id.to_owned(),
        native_id: id.to_string(),
        text: draft.text.clone(),
        media: draft.media_ids.clone(),
        title: None,
        at_ms: now_ms,
        deleted: false,
    });
    let app = inner.apps.entry(auth.app.key).or_default();
    app.credits_mills = (app.credits_mills - create_cost_mills(text::has_url(&draft.text))).max(0);
    app.creates_this_month(&month);
    app.month_creates += 1;
    inner.tweets.list.push(Tweet {
        id,
        author: auth.user.id,
        text: draft.text,
        shown: shown.clone(),
        media_keys,
        reply_to: reply_to.map(|(parent, author, _)| (parent, author)),
        quote_of: draft.quote_of,
        reply_settings: draft.reply_settings,
        conversation_id: reply_to.map_or(id, |(_, _, conversation)| conversation),
        created_ms: ids::snowflake_ms(id),
        deleted: false,
        ledger_seq,
    });
    let body = json!({"data": {
        "id": id.to_string(),
        "text": shown,
        "edit_history_tweet_ids": [id.to_string()],
    }});
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

const LOOKUP_PARAMS: [&str; 6] = [
    "expansions",
    "media.fields",
    "place.fields",
    "poll.fields",
    "tweet.fields",
    "user.fields",
];

/// `GET /2/tweets/:id?tweet.fields=public_metrics,created_at,…`; a deleted
/// or unknown post is X's 404 lookup problem.
pub(crate) fn lookup(inner: &Inner, call: &Call, id: &str) -> Result<Response, XError> {
    check_params(call, &LOOKUP_PARAMS)?;
    let fields = field_list(call, "tweet.fields", &TWEET_FIELDS)?;
    let n = id
        .parse::<u64>()
        .ok()
        .filter(|_| (1..=19).contains(&id.len()))
        .ok_or_else(|| {
            XError::invalid(
                Some(("id", vec![id.to_owned()])),
                &format!("The `id` query parameter value [{id}] does not match ^[0-9]{{1,19}}$"),
            )
        })?;
    let tweet = inner
        .tweets
        .get(n)
        .filter(|t| !t.deleted)
        .ok_or_else(|| XError::lookup_not_found("tweet", "id", id))?;
    ok(json!({ "data": tweet_json(tweet, &fields, now_ms()) }))
}

/// `DELETE /2/tweets/:id`.
pub(crate) fn delete(
    state: &SandboxState,
    inner: &mut Inner,
    auth: Auth,
    id: String,
) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let tweet = id
        .parse::<u64>()
        .ok()
        .and_then(|n| inner.tweets.list.iter_mut().find(|t| t.id == n))
        .ok_or_else(|| XError::not_found("tweet", "id", &id))?;
    if tweet.author != auth.user.id {
        // Wording chosen: X's text for deleting someone else's post is not documented.
        return Err(XError::forbidden(
            "You are not allowed to delete this Tweet.",
        ));
    }
    // Deleting again answers the same (chosen: the real answer to a repeated
    // delete is not documented; idempotence is what retries need).
    tweet.deleted = true;
    state.inner.ledger.mark_deleted(tweet.ledger_seq);
    ok(json!({"data": {"deleted": true}}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_enforce_exclusions_and_shapes() {
        let parse = |v: Value| parse_draft(v.as_object().unwrap()).map(|d| d.text);
        assert!(parse(json!({"text": "hi"})).is_ok());
        let both = parse(
            json!({"text": "x", "poll": {"options": ["a", "b"], "duration_minutes": 5}, "media": {"media_ids": ["1"]}}),
        );
        assert_eq!(both.unwrap_err().status(), 400);
        assert!(parse(json!({})).is_err());
        assert!(parse(json!({"media": {"media_ids": ["1"]}})).is_ok());
        assert!(parse(json!({"text": "x", "reply_settings": "nobody"})).is_err());
        assert!(
            parse(json!({"text": "x", "poll": {"options": ["a"], "duration_minutes": 5}})).is_err()
        );
        assert!(parse(json!({"text": "x", "reply": {"in_reply_to_tweet_id": "12a"}})).is_err());
    }
}
