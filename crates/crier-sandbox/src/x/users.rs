//! User reads: `GET /2/users/me` (with `user.fields=public_metrics,…`)
//! and `GET /2/users/:id/tweets`, the timeline a client pages through for
//! history and to find a post whose create answer it never got.

use axum::response::Response;
use serde_json::{Value, json};

use super::error::XError;
use super::tweets::Tweet;
use super::view::{TWEET_FIELDS, USER_FIELDS, check_params, field_list, tweet_json, user_json};
use super::{Auth, Call, Inner, accounts, ok};
use crate::ledger::now_ms;

const ME_PARAMS: [&str; 3] = ["expansions", "tweet.fields", "user.fields"];

/// `GET /2/users/me[?user.fields=public_metrics,verified,…]`.
pub(crate) fn me(inner: &Inner, call: &Call, auth: Auth) -> Result<Response, XError> {
    check_params(call, &ME_PARAMS)?;
    let fields = field_list(call, "user.fields", &USER_FIELDS)?;
    ok(json!({ "data": user_json(inner, auth.user, &fields) }))
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

/// The oldest time X takes for `start_time` / `end_time` (2010-11-06T00:00:00Z).
const OLDEST_TIME_MS: i64 = 1_289_001_600_000;

/// `start_time` / `end_time`: RFC 3339, whole seconds (a fraction is dropped), no earlier than
/// 2010-11-06; in unix milliseconds.
fn parse_time(call: &Call, key: &str) -> Result<Option<i64>, XError> {
    let Some(v) = call.query_value(key) else {
        return Ok(None);
    };
    match chrono::DateTime::parse_from_rfc3339(v) {
        Ok(t) if t.timestamp_millis() >= OLDEST_TIME_MS => Ok(Some(t.timestamp() * 1000)),
        _ => Err(XError::invalid(
            Some((key, vec![v.to_owned()])),
            &format!(
                "Invalid '{key}':'{v}'. '{key}' must be a valid RFC 3339 date-time no earlier than 2010-11-06T00:00:00Z"
            ),
        )),
    }
}

/// `GET /2/users/:id/tweets`: the user's posts, newest first. `start_time`
/// and `end_time` bound them by creation time, both inclusive at second
/// granularity (X: "12:00:01 includes the first second of the minute").
pub(crate) fn timeline(inner: &Inner, call: &Call, user_id: &str) -> Result<Response, XError> {
    check_params(call, &TIMELINE_PARAMS)?;
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
    let fields = field_list(call, "tweet.fields", &TWEET_FIELDS)?;
    let start_ms = parse_time(call, "start_time")?;
    let end_ms = parse_time(call, "end_time")?;
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
        .filter(|t| start_ms.is_none_or(|s| t.created_ms >= s))
        .filter(|t| end_ms.is_none_or(|e| t.created_ms < e + 1000))
        .collect();
    let page: Vec<&Tweet> = matching.iter().take(max).copied().collect();
    let (Some(newest), Some(oldest)) = (page.first(), page.last()) else {
        return ok(json!({"meta": {"result_count": 0}}));
    };
    let now = now_ms();
    let data: Vec<Value> = page.iter().map(|t| tweet_json(t, &fields, now)).collect();
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
