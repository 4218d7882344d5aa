//! User reads: `GET /2/users/me` and `GET /2/users/:id/tweets`, the
//! timeline a client reads to find a post whose create answer it never got.

use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::XError;
use super::tweets::Tweet;
use super::{Auth, Call, Inner, accounts, ids, ok};

/// `GET /2/users/me`.
pub(crate) fn me(auth: Auth) -> Response {
    axum::Json(json!({"data": {
        "id": auth.user.id,
        "name": auth.user.name,
        "username": auth.user.username,
    }}))
    .into_response()
}

const TIMELINE_PARAMS: [&str; 14] = [
    "end_time",
    "exclude",
    "expansions",
    "id",
    "max_results",
    "media.fields",
    "pagination_token",
    "place.fields",
    "poll.fields",
    "since_id",
    "start_time",
    "tweet.fields",
    "until_id",
    "user.fields",
];

const TWEET_FIELDS: [&str; 23] = [
    "attachments",
    "author_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "edit_controls",
    "edit_history_tweet_ids",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "non_public_metrics",
    "note_tweet",
    "organic_metrics",
    "possibly_sensitive",
    "promoted_metrics",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "source",
    "text",
    "withheld",
];

fn one_of(list: &[&str]) -> String {
    format!("[{}]", list.join(","))
}

fn parse_id(call: &Call, key: &str) -> Result<Option<u64>, XError> {
    call.query_value(key)
        .map(|v| {
            v.parse::<u64>().map_err(|_| {
                XError::invalid(
                    Some((key, vec![v.to_owned()])),
                    &format!(
                        "The `{key}` query parameter value [{v}] does not match ^[0-9]{{1,19}}$"
                    ),
                )
            })
        })
        .transpose()
}

/// `GET /2/users/:id/tweets`: the user's posts, newest first.
pub(crate) fn timeline(inner: &Inner, call: &Call, user_id: &str) -> Result<Response, XError> {
    if let Some((key, _)) = call
        .query
        .iter()
        .find(|(k, _)| !TIMELINE_PARAMS.contains(&k.as_str()))
    {
        return Err(XError::invalid(
            Some((
                key,
                vec![call.query_value(key).unwrap_or_default().to_owned()],
            )),
            &format!(
                "The query parameter [{key}] is not one of {}",
                one_of(&TIMELINE_PARAMS)
            ),
        ));
    }
    let max = match call.query_value("max_results") {
        None => 10,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (5..=100).contains(&n) => n,
            _ => {
                return Err(XError::invalid(
                    Some(("max_results", vec![v.to_owned()])),
                    &format!(
                        "The `max_results` query parameter value [{v}] is not between 5 and 100"
                    ),
                ));
            }
        },
    };
    let fields: Vec<&str> = call
        .query_value("tweet.fields")
        .map(|f| f.split(',').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    if let Some(bad) = fields.iter().find(|f| !TWEET_FIELDS.contains(f)) {
        return Err(XError::invalid(
            Some(("tweet.fields", vec![(*bad).to_owned()])),
            &format!(
                "The `tweet.fields` query parameter value [{bad}] is not one of {}",
                one_of(&TWEET_FIELDS)
            ),
        ));
    }
    let since = parse_id(call, "since_id")?;
    let until = parse_id(call, "until_id")?;
    let before = match call.query_value("pagination_token") {
        None => None,
        Some(token) => Some(u64::from_str_radix(token, 36).map_err(|_| {
            XError::invalid(
                Some(("pagination_token", vec![token.to_owned()])),
                "The `pagination_token` query parameter value is invalid",
            )
        })?),
    };
    let exclude = call.query_value("exclude").unwrap_or_default();
    let exclude_replies = exclude.split(',').any(|e| e == "replies");

    let Some(user) = user_id.parse::<u64>().ok().and(accounts::user(user_id)) else {
        // X answers an unknown user with 200 and a partial error.
        return ok(json!({"errors": [{
            "value": user_id,
            "detail": format!("Could not find user with id: [{user_id}]."),
            "title": "Not Found Error",
            "resource_type": "user",
            "parameter": "id",
            "resource_id": user_id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }]}));
    };
    let matching: Vec<&Tweet> = inner
        .tweets
        .list
        .iter()
        .rev()
        .filter(|t| t.author == user.id && !t.deleted)
        .filter(|t| !(exclude_replies && t.reply_to.is_some()))
        .filter(|t| since.is_none_or(|s| t.id > s))
        .filter(|t| until.is_none_or(|u| t.id < u))
        .filter(|t| before.is_none_or(|b| t.id < b))
        .collect();
    let page: Vec<&Tweet> = matching.iter().take(max).copied().collect();
    let (Some(newest), Some(oldest)) = (page.first(), page.last()) else {
        return ok(json!({"meta": {"result_count": 0}}));
    };
    let data: Vec<Value> = page.iter().map(|t| tweet_json(t, &fields)).collect();
    let mut meta = json!({
        "result_count": page.len(),
        "newest_id": newest.id.to_string(),
        "oldest_id": oldest.id.to_string(),
    });
    if matching.len() > page.len() {
        meta["next_token"] = json!(radix36(oldest.id));
    }
    ok(json!({"data": data, "meta": meta}))
}

fn radix36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// A post in the v2 shape: `id`, `text`, `edit_history_tweet_ids`, plus the
/// requested fields the sandbox knows (others are left out, as X leaves out
/// fields without a value).
fn tweet_json(t: &Tweet, fields: &[&str]) -> Value {
    let mut obj = json!({
        "id": t.id.to_string(),
        "text": t.shown,
        "edit_history_tweet_ids": [t.id.to_string()],
    });
    for field in fields {
        let value = match *field {
            "created_at" => json!(ids::iso_time(t.created_ms)),
            "author_id" => json!(t.author),
            "conversation_id" => json!(t.conversation_id.to_string()),
            "attachments" if !t.media_keys.is_empty() => json!({"media_keys": t.media_keys}),
            "in_reply_to_user_id" => match t.reply_to {
                Some((_, author)) => json!(author),
                None => continue,
            },
            "referenced_tweets" => {
                let mut refs = Vec::new();
                if let Some((parent, _)) = t.reply_to {
                    refs.push(json!({"type": "replied_to", "id": parent.to_string()}));
                }
                if let Some(quoted) = &t.quote_of {
                    refs.push(json!({"type": "quoted", "id": quoted}));
                }
                if refs.is_empty() {
                    continue;
                }
                Value::Array(refs)
            }
            "reply_settings" => json!(t.reply_settings.as_deref().unwrap_or("everyone")),
            _ => continue,
        };
        obj[*field] = value;
    }
    obj
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_tokens_round_trip() {
        assert_eq!(radix36(0), "0");
        assert_eq!(
            u64::from_str_radix(&radix36(1_900_000_000_000_000_001), 36).unwrap(),
            1_900_000_000_000_000_001
        );
    }
}
