use std::time::Duration;

/// Limits for [`crate::SafeFetcher`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Largest body accepted, in bytes. Default 50 MiB.
    pub max_bytes: usize,
    /// Most redirects followed for one fetch. Default 5.
    pub max_redirects: usize,
    /// Limit for establishing a TCP (and TLS) connection. Default 10 s.
    pub connect_timeout: Duration,
    /// Longest wait for response headers or between two body chunks. Default 30 s.
    pub read_timeout: Duration,
    /// Limit for the whole fetch, redirects included. Default 120 s.
    pub total_timeout: Duration,
    /// Let loopback addresses (127.0.0.0/8, ::1) through the guard. Default
    /// false; true only by an explicit config setting (tests, the local
    /// sandbox). Every other non-global address stays refused.
    pub allow_loopback: bool,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            max_bytes: 50 * 1024 * 1024,
            max_redirects: 5,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            allow_loopback: false,
        }
    }
}
