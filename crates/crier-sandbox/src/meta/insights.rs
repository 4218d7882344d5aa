//! Insights: `GET /{page}/insights`, `/{page-post}/insights`,
//! `/{ig-media}/insights` and `/{threads-media}/insights`, in Graph's shape
//! `{"data":[{"name","period","values":[{"value"...}],"title","description","id"}]}`.
//!
//! Numbers are plausible rather than real: stable per object (hashed from
//! its id) and growing with its age, so reach ≤ views, likes ≤ reach, and a
//! page's daily totals add up its posts of that day. The `page-insights`
//! throttle makes every insights call of a Page and its posts answer 80001
//! while publishing keeps working.

use axum::response::Response;
use serde_json::{Value, json};

use super::auth::Account;
use super::error::GraphError;
use super::ids::{stable_hash, timestamp};
use super::pages::PostKind;
use super::request::Call;
use super::usage::{BucType, Pct};
use super::{Ctx, ok};
use crate::SandboxState;
use crate::ledger::now_ms;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Graph refuses since/until windows longer than this.
const MAX_RANGE_DAYS: i64 = 93;
/// 2100-01-01, the latest `since`/`until` accepted.
const LATEST_SECS: i64 = 4_102_444_800;

const PAGE_METRICS: &[&str] = &[
    "page_impressions",
    "page_impressions_unique",
    "page_posts_impressions",
    "page_posts_impressions_unique",
    "page_media_view",
    "page_post_engagements",
    "page_total_actions",
    "page_views_total",
    "page_follows",
    "page_fans",
    "page_daily_follows",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_fan_adds",
    "page_video_views",
];

const POST_METRICS: &[&str] = &[
    "post_impressions",
    "post_impressions_unique",
    "post_impressions_organic",
    "post_impressions_paid",
    "post_media_view",
    "post_clicks",
    "post_engaged_users",
    "post_reactions_like_total",
    "post_reactions_by_type_total",
    "post_video_views",
];

const IG_FEED_METRICS: &[&str] = &[
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "profile_visits",
    "profile_activity",
    "follows",
];

const IG_REELS_METRICS: &[&str] = &[
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
];

const IG_STORY_METRICS: &[&str] = &[
    "views",
    "reach",
    "replies",
    "shares",
    "total_interactions",
    "follows",
    "profile_visits",
    "profile_activity",
    "navigation",
];

const THREADS_METRICS: &[&str] = &["views", "likes", "replies", "reposts", "quotes", "shares"];

/// Audience numbers of one published object (the node fields that count
/// likes, comments and shares use them too, so both views agree).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Numbers {
    pub views: u64,
    pub reach: u64,
    pub likes: u64,
    pub comments: u64,
    pub shares: u64,
    pub saves: u64,
    pub clicks: u64,
}

pub(super) fn numbers(id: &str, created_ms: i64, now: i64) -> Numbers {
    let h = stable_hash(id, "insights");
    let age_hours = ((now - created_ms).max(0) / 3_600_000).min(24 * 30) as u64;
    let reach = 12 + h % 60 + age_hours * 5;
    let views = reach + reach / 4 + (h >> 8) % 9;
    let likes = reach / 7 + (h >> 16) % 4;
    Numbers {
        views,
        reach,
        likes,
        comments: likes / 3,
        shares: likes / 5,
        saves: likes / 4,
        clicks: reach / 10 + (h >> 24) % 3,
    }
}

fn title(metric: &str) -> String {
    let words = metric.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn entry(object: &str, metric: &str, period: &str, values: Value) -> Value {
    json!({
        "name": metric,
        "period": period,
        "values": values,
        "title": title(metric),
        "description": format!("{}.", title(metric)),
        "id": format!("{object}/insights/{metric}/{period}"),
    })
}

/// The requested metrics, each checked against `allowed`.
fn requested(call: &Call, allowed: &[&str], facebook: bool) -> Result<Vec<String>, GraphError> {
    let metrics = call.list("metric");
    if metrics.is_empty() {
        return Err(if facebook {
            GraphError::new(3001, "Invalid query").sub(1504028).user(
                "No metric specified",
                "No metric was specified to be fetched",
            )
        } else {
            GraphError::param("The parameter metric is required")
        });
    }
    for (i, metric) in metrics.iter().enumerate() {
        if !allowed.contains(&metric.as_str()) {
            return Err(if facebook {
                GraphError::param("The value must be a valid insights metric")
            } else {
                GraphError::param(format!(
                    "metric[{i}] must be one of the following values: {}",
                    allowed.join(", ")
                ))
            });
        }
    }
    Ok(metrics)
}

/// The page-insights throttle: 80001 with the Page's BUC at 100.
fn throttled(state: &SandboxState, page: &str, ctx: &mut Ctx) -> Result<(), GraphError> {
    let minutes = state
        .inner
        .meta
        .lock()
        .throttles
        .page_insights
        .get(page)
        .copied();
    match minutes {
        Some(minutes) => {
            ctx.buc = Some((page.to_owned(), BucType::Pages, Pct::full(minutes)));
            Err(GraphError::page_limit())
        }
        None => Ok(()),
    }
}

fn post_value(metric: &str, n: Numbers, video: bool) -> Value {
    match metric {
        "post_impressions" | "post_impressions_organic" | "post_media_view" => json!(n.views),
        "post_impressions_unique" => json!(n.reach),
        "post_impressions_paid" => json!(0),
        "post_clicks" => json!(n.clicks),
        "post_engaged_users" => json!(n.likes + n.comments + n.shares + n.clicks),
        "post_reactions_like_total" => json!(n.likes),
        "post_reactions_by_type_total" => json!({"like": n.likes, "love": n.likes / 4}),
        "post_video_views" => json!(if video { n.views / 2 } else { 0 }),
        _ => json!(0),
    }
}

pub(crate) fn post(
    state: &SandboxState,
    call: &Call,
    ctx: &mut Ctx,
    id: &str,
) -> Result<Response, GraphError> {
    let page = Account::Page.id();
    throttled(state, page, ctx)?;
    let metrics = requested(call, POST_METRICS, true)?;
    let inner = state.inner.meta.lock();
    let post = inner
        .fb
        .posts
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let n = numbers(&post.id, post.created_ms, now_ms());
    let video = post.kind == PostKind::Video;
    let data: Vec<Value> = metrics
        .iter()
        .map(|m| {
            entry(
                id,
                m,
                "lifetime",
                json!([{ "value": post_value(m, n, video) }]),
            )
        })
        .collect();
    ok(json!({ "data": data }))
}

/// Start of the Pacific day containing `ms` (Graph's `end_time`s fall on
/// 07:00/08:00 UTC); a fixed UTC-8 is used.
fn day_start(ms: i64) -> i64 {
    let offset = 8 * 3600 * 1000;
    (ms - offset).div_euclid(DAY_MS) * DAY_MS + offset
}

fn page_day_value(
    inner: &super::Inner,
    page: &str,
    metric: &str,
    from: i64,
    to: i64,
    now: i64,
) -> u64 {
    let base = stable_hash(page, &format!("{metric}/{from}")) % 40;
    let mut views = 0;
    let mut reach = 0;
    let mut engaged = 0;
    let mut video_views = 0;
    for id in inner.fb.feed(page) {
        let Some(post) = inner.fb.posts.get(&id) else {
            continue;
        };
        if post.created_ms < from || post.created_ms >= to {
            continue;
        }
        let n = numbers(&post.id, post.created_ms, now);
        views += n.views;
        reach += n.reach;
        engaged += n.likes + n.comments + n.shares + n.clicks;
        if post.kind == PostKind::Video {
            video_views += n.views / 2;
        }
    }
    match metric {
        "page_impressions" | "page_posts_impressions" | "page_media_view" => views + base,
        "page_impressions_unique" | "page_posts_impressions_unique" => reach + base / 2,
        "page_post_engagements" | "page_total_actions" => engaged + base % 7,
        "page_views_total" => base / 3,
        "page_follows" => 1342,
        "page_fans" => 1280,
        "page_daily_unfollows_unique" => base % 2,
        "page_video_views" => video_views,
        _ => base % 5,
    }
}

pub(crate) fn page(
    state: &SandboxState,
    call: &Call,
    ctx: &mut Ctx,
) -> Result<Response, GraphError> {
    let page = Account::Page.id();
    throttled(state, page, ctx)?;
    let metrics = requested(call, PAGE_METRICS, true)?;
    let period = call.text("period").unwrap_or_else(|| "day".into());
    let span_days = match period.as_str() {
        "day" => 1,
        "week" => 7,
        "days_28" => 28,
        _ => {
            return Err(GraphError::param(
                "The value must be a valid insights period",
            ));
        }
    };
    let now = now_ms();
    // Unix seconds between 1970 and 2100; anything else is refused rather
    // than overflowing the day arithmetic below.
    let secs = |key: &str| -> Result<Option<i64>, GraphError> {
        match call.text(key) {
            None => Ok(None),
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|s| (0..=LATEST_SECS).contains(s))
                .map(|s| Some(s * 1000))
                .ok_or_else(|| GraphError::param(format!("The {key} parameter is invalid"))),
        }
    };
    // Default window: the last two days, as Graph returns without since/until.
    let until = secs("until")?.unwrap_or(day_start(now) + DAY_MS);
    let since = secs("since")?.unwrap_or(until - 2 * DAY_MS);
    if since >= until {
        return Err(GraphError::param(
            "The since parameter must be before until",
        ));
    }
    if until - since > MAX_RANGE_DAYS * DAY_MS {
        return Err(GraphError::param(
            "There cannot be more than 93 days (8035200 s) between since and until",
        ));
    }
    let inner = state.inner.meta.lock();
    let mut ends = Vec::new();
    let mut end = day_start(since) + DAY_MS;
    while end <= until {
        ends.push(end);
        end += DAY_MS;
    }
    let data: Vec<Value> = metrics
        .iter()
        .map(|metric| {
            let values: Vec<Value> = ends
                .iter()
                .map(|end| {
                    let value =
                        page_day_value(&inner, page, metric, end - span_days * DAY_MS, *end, now);
                    json!({ "value": value, "end_time": timestamp(*end) })
                })
                .collect();
            entry(page, metric, &period, json!(values))
        })
        .collect();
    let span = until - since;
    let link = |from: i64, to: i64| {
        format!(
            "{}/{}/insights?metric={}&period={}&since={}&until={}",
            call.base,
            page,
            metrics.join(","),
            period,
            from / 1000,
            to / 1000
        )
    };
    ok(json!({
        "data": data,
        "paging": {
            "previous": link(since - span, since),
            "next": link(until, until + span),
        }
    }))
}

pub(crate) fn instagram(
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
    let allowed = match media.product {
        "REELS" => IG_REELS_METRICS,
        "STORY" => IG_STORY_METRICS,
        _ => IG_FEED_METRICS,
    };
    let metrics = requested(call, allowed, false)?;
    let n = numbers(&media.id, media.created_ms, now_ms());
    let avg_watch_ms = 4_200 + stable_hash(&media.id, "watch") % 3_000;
    let data: Vec<Value> = metrics
        .iter()
        .map(|metric| {
            let value = match metric.as_str() {
                "views" => n.views,
                "reach" => n.reach,
                "likes" => n.likes,
                "comments" | "replies" => n.comments,
                "saved" => n.saves,
                "shares" => n.shares,
                "total_interactions" => n.likes + n.comments + n.saves + n.shares,
                "profile_visits" => n.reach / 20,
                "profile_activity" => n.reach / 25,
                "follows" => n.reach / 50,
                "navigation" => n.views / 3,
                "ig_reels_avg_watch_time" => avg_watch_ms,
                "ig_reels_video_view_total_time" => avg_watch_ms * n.views,
                _ => 0,
            };
            entry(id, metric, "lifetime", json!([{ "value": value }]))
        })
        .collect();
    ok(json!({ "data": data }))
}

pub(crate) fn threads(state: &SandboxState, call: &Call, id: &str) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let media = inner
        .th
        .media
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let metrics = requested(call, THREADS_METRICS, false)?;
    let n = numbers(&media.id, media.created_ms, now_ms());
    let data: Vec<Value> = metrics
        .iter()
        .map(|metric| {
            let value = match metric.as_str() {
                "views" => n.views,
                "likes" => n.likes,
                "replies" => n.comments,
                "reposts" => n.shares,
                "quotes" => n.shares / 2,
                "shares" => n.saves,
                _ => 0,
            };
            entry(id, metric, "lifetime", json!([{ "value": value }]))
        })
        .collect();
    ok(json!({ "data": data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable_and_ordered() {
        let a = numbers("123", 0, 10 * 3_600_000);
        let b = numbers("123", 0, 10 * 3_600_000);
        assert_eq!(a.views, b.views);
        assert!(a.reach <= a.views && a.likes <= a.reach);
        assert!(
            numbers("123", 0, 20 * 3_600_000).reach > a.reach,
            "grows with age"
        );
        assert_eq!(title("page_impressions_unique"), "Page impressions unique");
        assert_eq!(day_start(day_start(5 * DAY_MS) + 1), day_start(5 * DAY_MS));
    }
}
