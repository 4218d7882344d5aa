use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// Why a media fetch failed. Each `Display` is a cause that users can read:
/// it becomes the `details` of error code 451.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("malformed URL {url:?}: {reason}")]
    MalformedUrl { url: String, reason: String },

    #[error("URL scheme {scheme:?} is not allowed: only http and https are")]
    BadScheme { scheme: String },

    #[error("URL must not contain a user name or password")]
    UserInfo,

    /// The address is not global (see [`crate::is_global`]). `host` is the
    /// name that resolved to it, or `None` when the URL held the IP itself.
    #[error("blocked address: {}", blocked_message(.ip, .reason, .host.as_deref()))]
    BlockedAddress {
        ip: IpAddr,
        reason: String,
        host: Option<String>,
    },

    #[error("DNS lookup of {host} failed: {reason}")]
    Dns { host: String, reason: String },

    #[error("could not connect to {host}: {reason}")]
    Connect { host: String, reason: String },

    #[error("origin answered HTTP {status}")]
    HttpStatus { status: u16 },

    #[error("too many redirects: more than {max}")]
    TooManyRedirects { max: usize },

    #[error("origin answered HTTP {status} (a redirect) without a Location header")]
    RedirectWithoutLocation { status: u16 },

    #[error("origin answered a redirect to {location:?}, which is not a valid URL: {reason}")]
    BadRedirectLocation { location: String, reason: String },

    #[error("media is too large: Content-Length is {length} bytes, the limit is {limit}")]
    TooLargeDeclared { length: u64, limit: usize },

    #[error("media is too large: the download passed the limit of {limit} bytes")]
    TooLargeStreamed { limit: usize },

    #[error("timed out: {0}")]
    Timeout(TimeoutKind),

    #[error("request to {host} failed: {reason}")]
    Transport { host: String, reason: String },

    #[error("the HTTP client could not be set up: {0}")]
    ClientInit(String),
}

/// Which limit of [`crate::FetchPolicy`] ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    Connect(Duration),
    Read(Duration),
    Total(Duration),
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeoutKind::Connect(d) => write!(f, "no connection within {d:?}"),
            TimeoutKind::Read(d) => write!(f, "origin sent nothing for {d:?}"),
            TimeoutKind::Total(d) => write!(f, "the download took longer than {d:?}"),
        }
    }
}

fn blocked_message(ip: &IpAddr, reason: &str, host: Option<&str>) -> String {
    match host {
        Some(host) => format!("{host} resolves to {ip}, which is {reason}"),
        None => format!("{ip} is {reason}"),
    }
}
