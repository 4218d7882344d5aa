//! Bitlinks: `POST /v4/shorten` (idempotent per long URL and domain, as
//! Bitly answers 200 with the existing link and 201 for a new one),
//! `GET /v4/bitlinks/{bitlink}` and `GET /v4/bitlinks/{bitlink}/clicks/summary`.
//!
//! Clicks are plausible rather than real: none in a link's first hour, then
//! a steady per-link rate (hashed from its id), so totals are stable and
//! grow with age, and a window's clicks are the difference of two totals.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use reqwest::Url;
use serde_json::{Map, Value, json};

use super::error::BitlyError;
use super::limits::{HOUR_SECS, MINUTE_SECS};
use super::{BitlyState, Call, Inner};
use crate::codec::sha256;
use crate::ledger::now_ms;
use crate::seed;

/// The domain links get when the request names none.
pub(crate) const DEFAULT_DOMAIN: &str = "bit.ly";
/// Domains whose links are already Bitlinks (besides configured ones).
const BITLY_DOMAINS: [&str; 4] = ["bit.ly", "bitly.is", "j.mp", "bitly.com"];
const HOUR_MS: i64 = 3_600_000;
/// Clicks stop growing after this age (the numbers stay readable).
const MAX_AGE_HOURS: i64 = 24 * 90;

/// A shortened link.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub hash: String,
    pub domain: String,
    pub long_url: String,
    pub group_guid: String,
    pub created_ms: i64,
}

impl Link {
    /// `bit.ly/3AbCdEf`, the Bitlink's id.
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.domain, self.hash)
    }

    pub(crate) fn link(&self) -> String {
        format!("https://{}/{}", self.domain, self.hash)
    }

    /// Clicks from creation up to `at_ms`.
    fn clicks_until(&self, at_ms: i64) -> u64 {
        let hours = ((at_ms - self.created_ms) / HOUR_MS).clamp(0, MAX_AGE_HOURS) as u64;
        let digest = sha256(self.id().as_bytes());
        let per_hour = 1 + u64::from(digest[0] % 4);
        hours * per_hour
    }
}

/// Bitly's timestamp format: `2025-01-15T10:30:00+0000`.
pub(crate) fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string()
}

/// The link resource Bitly answers shorten and retrieve with.
fn link_json(link: &Link, base: &str) -> Value {
    json!({
        "created_at": timestamp(link.created_ms),
        "id": link.id(),
        "link": link.link(),
        "custom_bitlinks": [],
        "long_url": link.long_url,
        "archived": false,
        "tags": [],
        "deeplinks": [],
        "references": {"group": format!("{base}/v4/groups/{}", link.group_guid)},
    })
}

const ALNUM: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A 7-character back-half like Bitly's (`3AbCdEf`), derived from a
/// sequence number so ids never repeat within the process.
fn hash_for(seq: u64, domain: &str, long_url: &str) -> String {
    let digest = sha256(format!("{seq}/{domain}/{long_url}").as_bytes());
    let tail: String = digest
        .iter()
        .take(6)
        .map(|b| ALNUM[usize::from(*b) % ALNUM.len()] as char)
        .collect();
    // Today's hashes start with a digit (3 or 4).
    format!("{}{tail}", 3 + seq % 2)
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

/// The `long_url` as Bitly stores it (parsed and normalised: lowercase
/// host, `/` for an empty path), or why it is refused.
fn normalize_long_url(raw: &str, custom: &[String]) -> Result<String, BitlyError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
        return Err(BitlyError::invalid_long_url());
    }
    let url = Url::parse(trimmed).map_err(|_| BitlyError::invalid_long_url())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BitlyError::invalid_long_url());
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(BitlyError::invalid_long_url)?;
    if is_loopback_host(host) {
        return Err(BitlyError::invalid_long_url());
    }
    let host = host.to_ascii_lowercase();
    if BITLY_DOMAINS.contains(&host.as_str()) || custom.contains(&host) {
        return Err(BitlyError::already_a_bitly_link());
    }
    Ok(url.to_string())
}

/// An optional string field of the body; other JSON types are refused.
fn optional_str<'a>(
    body: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, BitlyError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim())),
        Some(_) => Err(BitlyError::invalid_arg(key)),
    }
}

/// `POST /v4/shorten` `{long_url, domain?, group_guid?}`.
pub(crate) fn shorten(
    bs: &BitlyState,
    inner: &mut Inner,
    call: &Call,
) -> Result<Response, BitlyError> {
    let body = match serde_json::from_slice::<Value>(&call.body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(BitlyError::unprocessable()),
    };
    if let Some(group) = optional_str(&body, "group_guid")?
        && group != seed::BITLY_GROUP_GUID
    {
        // The token's user belongs to one group only.
        return Err(BitlyError::forbidden());
    }
    let domain = optional_str(&body, "domain")?
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| DEFAULT_DOMAIN.to_owned());
    if domain != DEFAULT_DOMAIN && !inner.config.custom_domains.contains(&domain) {
        return Err(BitlyError::invalid_domain());
    }
    let long_url = match body.get("long_url") {
        Some(Value::String(s)) => normalize_long_url(s, &inner.config.custom_domains)?,
        _ => return Err(BitlyError::invalid_long_url()),
    };
    if let Some(existing) = inner
        .links
        .iter()
        .find(|l| l.domain == domain && l.long_url == long_url)
    {
        return Ok((StatusCode::OK, axum::Json(link_json(existing, &call.base))).into_response());
    }
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    if let Some(limit) = inner.config.monthly_links
        && inner.month.used(&month) >= limit
    {
        return Err(BitlyError::monthly_limit());
    }
    let hash = loop {
        let seq = bs.next_seq();
        let candidate = hash_for(seq, &domain, &long_url);
        if !inner
            .links
            .iter()
            .any(|l| l.domain == domain && l.hash == candidate)
        {
            break candidate;
        }
    };
    let link = Link {
        hash,
        domain,
        long_url,
        group_guid: seed::BITLY_GROUP_GUID.to_owned(),
        created_ms: now_ms(),
    };
    let body = link_json(&link, &call.base);
    inner.month.count(&month);
    inner.links.push(link);
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

fn find<'a>(inner: &'a Inner, bitlink: &str) -> Result<&'a Link, BitlyError> {
    let (domain, hash) = bitlink.split_once('/').ok_or_else(BitlyError::not_found)?;
    inner
        .links
        .iter()
        .find(|l| l.domain.eq_ignore_ascii_case(domain) && l.hash == hash)
        .ok_or_else(BitlyError::not_found)
}

/// `GET /v4/bitlinks/{bitlink}`.
pub(crate) fn get(inner: &Inner, call: &Call, bitlink: &str) -> Result<Response, BitlyError> {
    let link = find(inner, bitlink)?;
    Ok(axum::Json(link_json(link, &call.base)).into_response())
}

fn unit_ms(unit: &str) -> Option<i64> {
    let secs = match unit {
        "minute" => MINUTE_SECS,
        "hour" => HOUR_SECS,
        "day" => 24 * HOUR_SECS,
        "week" => 7 * 24 * HOUR_SECS,
        // Bitly's months are calendar months; 30 days is close enough here.
        "month" => 30 * 24 * HOUR_SECS,
        _ => return None,
    };
    Some(secs * 1000)
}

/// `unit_reference` as Bitly takes it (`2006-01-02T15:04:05-0700`, or
/// RFC 3339).
fn parse_reference(raw: &str) -> Option<i64> {
    chrono::DateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(raw))
        .ok()
        .map(|t| t.timestamp_millis())
}

/// `GET /v4/bitlinks/{bitlink}/clicks/summary?unit=day&units=-1&unit_reference=`.
pub(crate) fn clicks_summary(
    inner: &Inner,
    call: &Call,
    bitlink: &str,
) -> Result<Response, BitlyError> {
    let unit = call.query_value("unit").unwrap_or("day").to_owned();
    let unit_len = unit_ms(&unit).ok_or_else(|| BitlyError::invalid_arg("unit"))?;
    let units: i64 = match call.query_value("units") {
        None => -1,
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n == -1 || (1..=100_000).contains(n))
            .ok_or_else(|| BitlyError::invalid_arg("units"))?,
    };
    let reference = match call.query_value("unit_reference").filter(|r| !r.is_empty()) {
        None => now_ms(),
        Some(raw) => {
            parse_reference(raw).ok_or_else(|| BitlyError::invalid_arg("unit_reference"))?
        }
    };
    let link = find(inner, bitlink)?;
    let until = link.clicks_until(reference);
    let total = if units == -1 {
        until
    } else {
        until.saturating_sub(link.clicks_until(reference.saturating_sub(units * unit_len)))
    };
    Ok(axum::Json(json!({
        "unit_reference": timestamp(reference),
        "total_clicks": total,
        "units": units,
        "unit": unit,
    }))
    .into_response())
}

/// A link as `GET /_sandbox/bitly/links` lists it.
pub(crate) fn control_json(link: &Link) -> Value {
    json!({
        "id": link.id(),
        "link": link.link(),
        "longUrl": link.long_url,
        "domain": link.domain,
        "groupGuid": link.group_guid,
        "createdAt": timestamp(link.created_ms),
        "atMs": link.created_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_urls_are_checked_and_normalised() {
        let ok = |s: &str| normalize_long_url(s, &[]).unwrap();
        let err = |s: &str| normalize_long_url(s, &[]).unwrap_err();
        assert_eq!(ok("https://Example.com"), "https://example.com/");
        assert_eq!(ok(" http://a.example/x?y=1 "), "http://a.example/x?y=1");
        assert_eq!(err("example.com").status(), 400);
        assert_eq!(err("ftp://example.com/").status(), 400);
        assert_eq!(err("http://localhost:8080/").status(), 400);
        assert_eq!(err("http://127.0.0.1/").status(), 400);
        assert_eq!(err("https://exa mple.com/").status(), 400);
        assert_eq!(err(""), BitlyError::invalid_long_url());
        assert_eq!(
            err("https://bit.ly/3abc"),
            BitlyError::already_a_bitly_link()
        );
        assert!(normalize_long_url("https://go.example/x", &["go.example".into()]).is_err());
    }

    #[test]
    fn hashes_and_clicks() {
        let h = hash_for(1, "bit.ly", "https://a.example/");
        assert_eq!(h.len(), 7);
        assert!(h.starts_with('4'));
        assert_ne!(h, hash_for(2, "bit.ly", "https://a.example/"));
        let link = Link {
            hash: h,
            domain: "bit.ly".into(),
            long_url: "https://a.example/".into(),
            group_guid: "B".into(),
            created_ms: 0,
        };
        assert_eq!(link.clicks_until(HOUR_MS - 1), 0);
        assert!(link.clicks_until(10 * HOUR_MS) > link.clicks_until(5 * HOUR_MS));
        assert_eq!(timestamp(1_735_732_800_000), "2025-01-01T12:00:00+0000");
        assert!(parse_reference("2025-01-01T12:00:00-0700").is_some());
        assert!(parse_reference("2025-01-01T12:00:00Z").is_some());
        assert!(parse_reference("yesterday").is_none());
    }
}
