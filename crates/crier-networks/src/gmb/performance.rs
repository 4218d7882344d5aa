//! Location metrics through the Business Profile Performance API:
//! `GET https://businessprofileperformance.googleapis.com/v1/locations/{l}:fetchMultiDailyMetricsTimeSeries`
//! with repeated `dailyMetrics` and `dailyRange.{startDate,endDate}.{year,month,day}`
//! (`developers.google.com/my-business/reference/performance/rest/v1/locations/fetchMultiDailyMetricsTimeSeries`)
//! → `{"multiDailyMetricTimeSeries":[{"dailyMetricTimeSeries":[{"dailyMetric","timeSeries":
//! {"datedValues":[{"date","value"?}]}}]}]}`, days without a value omitting it.
//!
//! Google removed v4 `localPosts:reportInsights` (Performance API change log,
//! `developers.google.com/my-business/content/performance/change-log`): there are no per-post
//! metrics any more, only these per-location daily series.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

/// The `DailyMetric` values crier asks for, in Google's enum order.
pub const DAILY_METRICS: [&str; 11] = [
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

/// Days summed by account analytics (today included).
pub const RANGE_DAYS: i64 = 30;

const MY_BUSINESS_HOST: &str = "https://mybusiness.googleapis.com";
const PERFORMANCE_HOST: &str = "https://businessprofileperformance.googleapis.com";

/// The Performance API's host for a My Business base: Google serves it on its own host; any
/// other base (the sandbox) serves both APIs.
pub fn base_for(my_business_base: &str) -> String {
    let base = my_business_base.trim_end_matches('/');
    if base == MY_BUSINESS_HOST { PERFORMANCE_HOST.to_string() } else { base.to_string() }
}

/// The query of one request over `[start, end]`.
pub fn query(start: NaiveDate, end: NaiveDate) -> Vec<(String, String)> {
    let mut q: Vec<(String, String)> = DAILY_METRICS.iter().map(|m| ("dailyMetrics".to_string(), m.to_string())).collect();
    for (key, d) in [("startDate", start), ("endDate", end)] {
        q.push((format!("dailyRange.{key}.year"), d.year().to_string()));
        q.push((format!("dailyRange.{key}.month"), d.month().to_string()));
        q.push((format!("dailyRange.{key}.day"), d.day().to_string()));
    }
    q
}

/// `CALL_CLICKS` → `callClicks`.
pub fn camel(metric: &str) -> String {
    let mut out = String::new();
    for (i, word) in metric.split('_').filter(|w| !w.is_empty()).enumerate() {
        let lower = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// Each metric summed over the range, as `{callClicks: n, …}` (every asked metric present, 0 when
/// Google sent no values), plus the range as `startDate`/`endDate`.
pub fn totals(answer: &Value, start: NaiveDate, end: NaiveDate) -> Value {
    let mut out = Map::new();
    for m in DAILY_METRICS {
        out.insert(camel(m), json!(0));
    }
    let series = answer
        .get("multiDailyMetricTimeSeries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("dailyMetricTimeSeries").and_then(Value::as_array))
        .flatten();
    for s in series {
        let Some(metric) = s.get("dailyMetric").and_then(Value::as_str) else { continue };
        let values = s.pointer("/timeSeries/datedValues").and_then(Value::as_array).into_iter().flatten();
        // Values are int64 as JSON strings; a number is taken too.
        let sum: i64 = values
            .filter_map(|v| v.get("value"))
            .filter_map(|v| v.as_str().and_then(|s| s.parse::<i64>().ok()).or_else(|| v.as_i64()))
            .sum();
        let total = out.entry(camel(metric)).or_insert(json!(0));
        *total = json!(total.as_i64().unwrap_or(0) + sum);
    }
    out.insert("startDate".into(), json!(start.to_string()));
    out.insert("endDate".into(), json!(end.to_string()));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_summed_per_metric() {
        let answer = json!({"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": [
            {"dailyMetric": "CALL_CLICKS", "timeSeries": {"datedValues": [
                {"date": {"year": 2030, "month": 1, "day": 1}, "value": "3"},
                {"date": {"year": 2030, "month": 1, "day": 2}},
                {"date": {"year": 2030, "month": 1, "day": 3}, "value": "4"}
            ]}},
            {"dailyMetric": "WEBSITE_CLICKS", "timeSeries": {}}
        ]}]});
        let d = |day| NaiveDate::from_ymd_opt(2030, 1, day).unwrap();
        let t = totals(&answer, d(1), d(3));
        assert_eq!((t["callClicks"].as_i64(), t["websiteClicks"].as_i64()), (Some(7), Some(0)));
        assert_eq!(t["businessImpressionsMobileMaps"], 0);
        assert_eq!(t["startDate"], "2030-01-01");
    }

    #[test]
    fn query_repeats_metrics_and_spells_the_range() {
        let d = NaiveDate::from_ymd_opt(2030, 2, 3).unwrap();
        let q = query(d, d);
        assert_eq!(q.iter().filter(|(k, _)| k == "dailyMetrics").count(), DAILY_METRICS.len());
        assert!(q.contains(&("dailyRange.endDate.month".into(), "2".into())));
        assert_eq!(base_for("https://mybusiness.googleapis.com/"), PERFORMANCE_HOST);
        assert_eq!(base_for("http://127.0.0.1:9/gmb"), "http://127.0.0.1:9/gmb");
    }
}
