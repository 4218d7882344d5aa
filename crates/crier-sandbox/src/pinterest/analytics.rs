//! `GET /v5/pins/{id}/analytics?start_date=&end_date=&metric_types=`
//! (https://developers.pinterest.com/docs/api/v5/pins-analytics/): dates
//! `YYYY-MM-DD` (UTC), start no more than 90 days back, end no more than 90
//! days after start; `metric_types` comma-separated (or repeated). The
//! answer is keyed by app type (`"all"`) with `daily_metrics`,
//! `summary_metrics` and `lifetime_metrics`.
//!
//! The sandbox's numbers are what `/_sandbox/pinterest/pins/{id}/metrics`
//! set (0 otherwise), all counted on the Pin's creation day.

use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::Call;
use super::error::PinError;
use crate::SandboxState;

/// Metric types the Pin analytics endpoint accepts.
pub(crate) const METRIC_TYPES: [&str; 17] = [
    "IMPRESSION",
    "OUTBOUND_CLICK",
    "PIN_CLICK",
    "SAVE",
    "SAVE_RATE",
    "TOTAL_COMMENTS",
    "TOTAL_REACTIONS",
    "USER_FOLLOW",
    "PROFILE_VISIT",
    "VIDEO_MRC_VIEW",
    "VIDEO_AVG_WATCH_TIME",
    "VIDEO_V50_WATCH_TIME",
    "QUARTILE_95_PERCENT_VIEW",
    "VIDEO_10S_VIEW",
    "VIDEO_START",
    "OUTBOUND_CLICK_RATE",
    "ALL",
];
const MAX_SPAN_DAYS: i64 = 90;

fn date(call: &Call, key: &str) -> Result<NaiveDate, PinError> {
    let raw = call
        .query_value(key)
        .ok_or_else(|| PinError::invalid(format!("Invalid parameters: '{key}' is required.")))?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        PinError::invalid(format!(
            "Invalid parameters: '{key}' must be a date in the format YYYY-MM-DD."
        ))
    })
}

fn metric_types(call: &Call) -> Result<Vec<String>, PinError> {
    let mut out: Vec<String> = Vec::new();
    for (_, value) in call.query.iter().filter(|(k, _)| k == "metric_types") {
        for metric in value.split(',').map(str::trim).filter(|m| !m.is_empty()) {
            if !METRIC_TYPES.contains(&metric) {
                return Err(PinError::invalid(format!(
                    "Invalid parameters: '{metric}' is not a valid metric type."
                )));
            }
            if metric == "ALL" {
                out.extend(
                    METRIC_TYPES
                        .iter()
                        .filter(|m| **m != "ALL")
                        .map(|m| m.to_string()),
                );
            } else {
                out.push(metric.to_owned());
            }
        }
    }
    if out.is_empty() {
        return Err(PinError::invalid(
            "Invalid parameters: 'metric_types' is required.",
        ));
    }
    out.dedup();
    Ok(out)
}

/// `GET /v5/pins/{id}/analytics`.
pub(crate) fn pin_analytics(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, PinError> {
    let (created_ms, totals) = {
        let inner = state.inner.pinterest.lock();
        let pin = inner
            .pins
            .iter()
            .find(|p| p.id == id && !p.deleted)
            .ok_or_else(PinError::pin_not_found)?;
        (pin.created_ms, pin.metrics.clone())
    };
    let start = date(call, "start_date")?;
    let end = date(call, "end_date")?;
    let metrics = metric_types(call)?;
    let today = chrono::Utc::now().date_naive();
    if end < start {
        return Err(PinError::invalid(
            "Invalid parameters: 'end_date' must not be before 'start_date'.",
        ));
    }
    if (today - start).num_days() > MAX_SPAN_DAYS || (end - start).num_days() > MAX_SPAN_DAYS {
        return Err(PinError::invalid(
            "Invalid parameters: the date range cannot start more than 90 days back or span more than 90 days.",
        ));
    }
    let created_day = chrono::DateTime::from_timestamp_millis(created_ms)
        .map(|t| t.date_naive())
        .unwrap_or(today);
    let value = |metric: &str, day: NaiveDate| -> u64 {
        if day == created_day {
            totals.get(metric).copied().unwrap_or(0)
        } else {
            0
        }
    };
    let mut daily = Vec::new();
    let mut summary = Map::new();
    let mut day = start;
    while day <= end {
        let status = if day < created_day {
            "BEFORE_PIN_DATA"
        } else if day > today {
            "PROCESSING"
        } else {
            "READY"
        };
        let day_metrics: Map<String, Value> = metrics
            .iter()
            .map(|m| (m.clone(), json!(value(m, day))))
            .collect();
        for m in &metrics {
            let sum = summary.get(m).and_then(Value::as_u64).unwrap_or(0) + value(m, day);
            summary.insert(m.clone(), json!(sum));
        }
        daily.push(json!({
            "date": day.format("%Y-%m-%d").to_string(),
            "data_status": status,
            "metrics": day_metrics,
        }));
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    let lifetime: Map<String, Value> = metrics
        .iter()
        .map(|m| (m.clone(), json!(totals.get(m).copied().unwrap_or(0))))
        .collect();
    Ok(axum::Json(json!({
        "all": {
            "daily_metrics": daily,
            "summary_metrics": summary,
            "lifetime_metrics": lifetime,
        }
    }))
    .into_response())
}
