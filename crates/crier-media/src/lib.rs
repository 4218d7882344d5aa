//! crier's media pipeline, first part: fetching user-given media URLs
//! without letting them reach crier's own network (SSRF), and telling what
//! the bytes really are.
//!
//! - [`SafeFetcher`] fetches `http`/`https` URLs under a [`FetchPolicy`]:
//!   no userinfo, no proxy, IP literals checked before any connection,
//!   every resolved address checked by [`is_global`], redirects followed by
//!   hand with each hop checked again, size and time limits.
//! - [`sniff`] reads the format from magic bytes only.
//! - [`Converter`] re-encodes images as JPEG; [`needs_jpeg`] says when (see [`convert`]).

pub mod convert;
mod error;
mod fetch;
mod guard;
mod hosts;
mod ip;
mod policy;
mod resolve;
mod sniff;
mod staging;
mod target;

pub use convert::{ConvertError, ConvertLimits, Converted, Converter, needs_jpeg};
pub use error::{FetchError, TimeoutKind};
pub use fetch::{Fetched, SafeFetcher};
pub use guard::OutboundGuard;
pub use hosts::HostsResolver;
pub use futures_util::future::BoxFuture;
pub use ip::{is_global, non_global_reason};
pub use policy::FetchPolicy;
pub use resolve::{LocalOnlyResolver, Resolve, SystemResolver};
pub use sniff::{MediaKind, sniff};

/// The checks made before any connection (scheme, userinfo, IP-literal host), without fetching:
/// lets crier refuse a media URL when the post is made rather than when it is sent.
pub fn check_url(url: &str, allow_loopback: bool) -> Result<(), FetchError> {
    target::parse_and_check(url, allow_loopback).map(|_| ())
}
pub use staging::{Staging, StagingConfig, StagingError};
