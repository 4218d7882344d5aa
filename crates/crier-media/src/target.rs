//! Checks on a URL before any request is sent: on the first URL and on
//! every redirect hop.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::FetchError;
use crate::resolve::check_ip;

/// Longest URL quoted back in an error message.
const MAX_QUOTED_URL: usize = 200;

pub(crate) fn parse_and_check(raw: &str, allow_loopback: bool) -> Result<Url, FetchError> {
    let url = Url::parse(raw).map_err(|e| FetchError::MalformedUrl {
        url: quote(raw),
        reason: e.to_string(),
    })?;
    check(url, allow_loopback)
}

/// Scheme, userinfo, and IP-literal hosts. IP literals must be checked
/// here: hyper's connector connects to them without asking the resolver.
/// (`url` has already normalised forms like `http://2130706433/` to
/// `127.0.0.1`.) Domain names are checked by the guarded resolver.
pub(crate) fn check(url: Url, allow_loopback: bool) -> Result<Url, FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(FetchError::BadScheme {
                scheme: other.to_owned(),
            });
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FetchError::UserInfo);
    }
    let ip = match url.host() {
        None => {
            return Err(FetchError::MalformedUrl {
                url: quote(url.as_str()),
                reason: "no host".to_owned(),
            });
        }
        Some(Host::Domain(_)) => return Ok(url),
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
    };
    match check_ip(ip, allow_loopback) {
        Ok(()) => Ok(url),
        Err(reason) => {
            tracing::warn!(%ip, %reason, "media fetch refused by the SSRF guard");
            Err(FetchError::BlockedAddress {
                ip,
                reason,
                host: None,
            })
        }
    }
}

fn quote(raw: &str) -> String {
    if raw.chars().count() <= MAX_QUOTED_URL {
        raw.to_owned()
    } else {
        let mut s: String = raw.chars().take(MAX_QUOTED_URL).collect();
        s.push('…');
        s
    }
}
