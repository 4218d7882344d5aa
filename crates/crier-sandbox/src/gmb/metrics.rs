//! Location metrics: the Business Profile Performance API's
//! `GET /v1/locations/{l}:fetchMultiDailyMetricsTimeSeries`
//! (https://developers.google.com/my-business/reference/performance/rest/v1/locations/fetchMultiDailyMetricsTimeSeries).
//!
//! Google moved analytics there from v4 `reportInsights` (discontinued
//! 2023-02-20); no API gives per-post metrics. The real host is
//! `businessprofileperformance.googleapis.com`; the sandbox serves it under
//! the same `/gmb` base as My Business v4.
//!
//! Values are synthetic but deterministic: on each day, a metric's value is
//! the number of posts live on that day times (1 + the metric's position in
//! Google's enum). Zero values are omitted, as Google omits them.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::error::GmbError;
use super::posts::Post;

/// The `DailyMetric` enum, in Google's order.
const METRICS: [&str; 11] = [
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
    "BUSINESS_CONVERSATIONS",
    "BUSINESS_DIRECTION_REQUESTS",
    "CALL_CLICKS",
    "WEBSITE_CLICKS",
    "BUSINESS_BOOKINGS",
    "BUSINESS_FOOD_ORDERS",
    "BUSINESS_FOOD_MENU_CLICKS",
];

/// Longest range served (chosen; Google keeps about 18 months).
const MAX_DAYS: i64 = 550;

fn query_int(query: &[(String, String)], camel: &str, snake: &str) -> Option<i64> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == camel || k == snake)
        .and_then(|(_, v)| v.parse().ok())
}

fn range_date(query: &[(String, String)], which: &str) -> Result<NaiveDate, GmbError> {
    let (camel_end, snake_end) = match which {
        "start" => ("startDate", "start_date"),
        _ => ("endDate", "end_date"),
    };
    let part = |field: &str| {
        query_int(
            query,
            &format!("dailyRange.{camel_end}.{field}"),
            &format!("daily_range.{snake_end}.{field}"),
        )
    };
    let date = match (part("year"), part("month"), part("day")) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .zip(u32::try_from(m).ok())
            .zip(u32::try_from(d).ok())
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    date.ok_or_else(|| {
        GmbError::invalid_argument(format!(
            "daily_range.{snake_end} is required and must be a valid date."
        ))
    })
}

fn date_json(date: NaiveDate) -> Value {
    use chrono::Datelike;
    json!({"year": date.year(), "month": date.month(), "day": date.day()})
}

/// The answer for the seeded location's posts.
pub(crate) fn fetch(posts: &[Post], query: &[(String, String)]) -> Result<Value, GmbError> {
    let wanted: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == "dailyMetrics" || k == "daily_metrics")
        .map(|(_, v)| v.as_str())
        .collect();
    if wanted.is_empty() {
        return Err(GmbError::invalid_argument("daily_metrics is required."));
    }
    if let Some(bad) = wanted.iter().find(|m| !METRICS.contains(m)) {
        return Err(GmbError::invalid_argument(format!(
            "Invalid value at 'daily_metrics' (type.googleapis.com/google.businessprofileperformance.v1.DailyMetric), \"{bad}\""
        )));
    }
    let start = range_date(query, "start")?;
    let end = range_date(query, "end")?;
    let days = (end - start).num_days();
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(GmbError::invalid_argument(
            "daily_range is inverted or too long.",
        ));
    }
    // Creation day of each post still up (RFC 3339 → date).
    let created: Vec<NaiveDate> = posts
        .iter()
        .filter(|p| !p.deleted && p.state == "LIVE")
        .filter_map(|p| NaiveDate::parse_from_str(p.create_time.get(..10)?, "%Y-%m-%d").ok())
        .collect();
    let series: Vec<Value> = wanted
        .iter()
        .map(|metric| {
            let weight = METRICS.iter().position(|m| m == metric).unwrap_or(0) as u64 + 1;
            let values: Vec<Value> = start
                .iter_days()
                .take(days as usize + 1)
                .map(|day| {
                    let live = created.iter().filter(|c| **c <= day).count() as u64;
                    let mut v = json!({"date": date_json(day)});
                    if live > 0 {
                        v["value"] = json!((live * weight).to_string());
                    }
                    v
                })
                .collect();
            json!({"dailyMetric": metric, "timeSeries": {"datedValues": values}})
        })
        .collect();
    Ok(json!({"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": series}]}))
}
