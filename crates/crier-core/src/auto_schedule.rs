//! Ayrshare's auto-schedules (ayrshare-api.md §4.16): named sets of daily UTC time slots, on
//! some days of the week, from a start date, minus excluded dates. A post with `autoSchedule`
//! takes the next slot no other post of the profile holds: today's if one remains, otherwise the
//! first slot of the next allowed day.

use crate::{Action, Code, ErrorReport};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// How far ahead a free slot is looked for (a year of slots is plenty; beyond it the schedule
/// is full or excludes everything).
const HORIZON_DAYS: i64 = 366;
/// At most this many slots a day (Ayrshare's examples use a handful).
const MAX_SLOTS: usize = 48;

/// One auto-schedule as `POST /auto-schedule/set` gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoSchedule {
    pub title: String,
    /// Times of day, UTC, sorted, without duplicates.
    pub slots: Vec<NaiveTime>,
    /// 0 = Sunday … 6 = Saturday; empty means every day.
    pub days_of_week: Vec<u32>,
    pub exclude_dates: Vec<NaiveDate>,
    pub start: Option<DateTime<Utc>>,
}

fn bad(details: impl Into<String>) -> ErrorReport {
    ErrorReport::new(Code::MalformedBody, Action::Post).details(details)
}

/// `"13:05Z"` (Ayrshare's form), also `"13:05"` and `"13:05:00Z"`.
fn parse_slot(s: &str) -> Option<NaiveTime> {
    let t = s.trim().trim_end_matches(['Z', 'z']);
    NaiveTime::parse_from_str(t, "%H:%M").or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S")).ok()
}

impl AutoSchedule {
    /// Parses the body of `POST /auto-schedule/set`. Every problem is a 900 naming the field.
    pub fn parse(body: &Value) -> Result<AutoSchedule, ErrorReport> {
        let obj = body.as_object().ok_or_else(|| bad("the body must be a JSON object"))?;
        let title = match obj.get("title") {
            None | Some(Value::Null) => "default".to_string(),
            Some(Value::String(t)) if !t.trim().is_empty() && t.chars().count() <= 100 => t.trim().to_string(),
            Some(_) => return Err(bad("title must be a non-empty string of at most 100 characters")),
        };
        let list = |key: &str| -> Result<Vec<Value>, ErrorReport> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => Ok(a.clone()),
                Some(_) => Err(bad(format!("{key} must be an array"))),
            }
        };
        let mut slots = Vec::new();
        for v in list("schedule")? {
            let s = v.as_str().ok_or_else(|| bad("schedule must be an array of times like \"13:05Z\""))?;
            slots.push(parse_slot(s).ok_or_else(|| bad(format!("schedule: {s:?} is not a UTC time like \"13:05Z\"")))?);
        }
        slots.sort();
        slots.dedup();
        if slots.is_empty() {
            return Err(bad("schedule must list at least one time like \"13:05Z\""));
        }
        if slots.len() > MAX_SLOTS {
            return Err(bad(format!("schedule may list at most {MAX_SLOTS} times")));
        }
        let mut days_of_week = Vec::new();
        for v in list("daysOfWeek")? {
            match v.as_u64() {
                Some(d) if d <= 6 => days_of_week.push(d as u32),
                _ => return Err(bad("daysOfWeek must hold numbers 0 (Sunday) to 6 (Saturday)")),
            }
        }
        days_of_week.sort();
        days_of_week.dedup();
        let mut exclude_dates = Vec::new();
        for v in list("excludeDates")? {
            let s = v.as_str().unwrap_or_default();
            let d = NaiveDate::parse_from_str(s, "%m/%d/%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"));
            exclude_dates.push(d.map_err(|_| bad(format!("excludeDates: {s:?} is not a date like \"12/25/2026\"")))?);
        }
        let start = match obj.get("setStartDate") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(DateTime::parse_from_rfc3339(s).map_err(|_| bad(format!("setStartDate {s:?} is not an ISO 8601 date")))?.with_timezone(&Utc)),
            Some(_) => return Err(bad("setStartDate must be an ISO 8601 date string")),
        };
        Ok(AutoSchedule { title, slots, days_of_week, exclude_dates, start })
    }

    /// The stored form (and the answer's fields): Ayrshare's names and formats.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "title": self.title,
            "schedule": self.slots.iter().map(|t| t.format("%H:%MZ").to_string()).collect::<Vec<_>>(),
            "daysOfWeek": self.days_of_week,
            "excludeDates": self.exclude_dates.iter().map(|d| d.format("%m/%d/%Y").to_string()).collect::<Vec<_>>(),
        });
        if let Some(s) = self.start {
            v["setStartDate"] = json!(s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        v
    }

    /// Reads back what `to_json` stored.
    pub fn from_json(v: &Value) -> Option<AutoSchedule> {
        let mut obj: Map<String, Value> = v.as_object()?.clone();
        obj.entry("title").or_insert(json!("default"));
        AutoSchedule::parse(&Value::Object(obj)).ok()
    }

    /// The first slot after `now` (and after the start date) on an allowed, not excluded day
    /// that `taken` (epoch ms of the profile's other scheduled posts) does not hold.
    pub fn next_free(&self, now: DateTime<Utc>, taken: &HashSet<i64>) -> Option<DateTime<Utc>> {
        let from = self.start.map_or(now, |s| s.max(now));
        let first_day = from.date_naive();
        (0..HORIZON_DAYS).find_map(|offset| {
            let day = first_day + Duration::days(offset);
            if !self.days_of_week.is_empty() && !self.days_of_week.contains(&day.weekday().num_days_from_sunday()) {
                return None;
            }
            if self.exclude_dates.contains(&day) {
                return None;
            }
            self.slots.iter().map(|t| Utc.from_utc_datetime(&day.and_time(*t))).find(|at| *at > from && !taken.contains(&at.timestamp_millis()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn schedule(body: Value) -> AutoSchedule {
        AutoSchedule::parse(&body).unwrap()
    }

    #[test]
    fn todays_next_slot_then_tomorrows_first() {
        let s = schedule(json!({"schedule": ["20:14Z", "13:05Z"]}));
        assert_eq!(s.next_free(at("2026-12-07T12:00:00Z"), &HashSet::new()), Some(at("2026-12-07T13:05:00Z")));
        assert_eq!(s.next_free(at("2026-12-07T13:05:00Z"), &HashSet::new()), Some(at("2026-12-07T20:14:00Z")), "a slot at this very instant is gone");
        assert_eq!(s.next_free(at("2026-12-07T21:00:00Z"), &HashSet::new()), Some(at("2026-12-08T13:05:00Z")));
    }

    #[test]
    fn taken_slots_days_of_week_excluded_dates_and_start() {
        // 2026-12-07 is a Monday (1).
        let s = schedule(json!({"schedule": ["09:00Z"], "daysOfWeek": [1, 3], "excludeDates": ["12/09/2026"]}));
        let taken: HashSet<i64> = [at("2026-12-07T09:00:00Z").timestamp_millis()].into();
        assert_eq!(s.next_free(at("2026-12-07T08:00:00Z"), &taken), Some(at("2026-12-14T09:00:00Z")), "Monday taken, Wednesday excluded");
        let s = schedule(json!({"schedule": ["09:00Z"], "setStartDate": "2027-01-01T00:00:00Z"}));
        assert_eq!(s.next_free(at("2026-12-07T08:00:00Z"), &HashSet::new()), Some(at("2027-01-01T09:00:00Z")));
    }

    #[test]
    fn bad_bodies_name_the_field() {
        for (body, field) in [
            (json!({"schedule": []}), "schedule"),
            (json!({"schedule": ["25:00Z"]}), "schedule"),
            (json!({"schedule": "13:05Z"}), "schedule"),
            (json!({"schedule": ["13:05Z"], "daysOfWeek": [7]}), "daysOfWeek"),
            (json!({"schedule": ["13:05Z"], "excludeDates": ["31/12/2026"]}), "excludeDates"),
            (json!({"schedule": ["13:05Z"], "title": ""}), "title"),
        ] {
            let e = AutoSchedule::parse(&body).unwrap_err();
            assert_eq!(e.code, Code::MalformedBody.entry().code);
            assert!(e.details.as_deref().unwrap().contains(field), "{body}: {:?}", e.details);
        }
    }

    #[test]
    fn stored_form_reads_back() {
        let s = schedule(json!({"title": "weekdays", "schedule": ["13:05Z"], "daysOfWeek": [1, 2], "excludeDates": ["12/25/2026"], "setStartDate": "2026-12-10T00:00:00Z"}));
        assert_eq!(AutoSchedule::from_json(&s.to_json()), Some(s));
    }
}
