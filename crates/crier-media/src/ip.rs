//! Which addresses crier may connect to for user-given URLs.
//!
//! `std`'s `IpAddr::is_global` is unstable, so the tables of the spec
//! (rust-stack.md §7) are written out here.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 ranges that are not global: (network, prefix length, why).
/// The first match wins, so the broadcast address comes before 240/4.
const V4_BLOCKED: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "a \"this network\" address"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "a private address"),
    (
        Ipv4Addr::new(100, 64, 0, 0),
        10,
        "a shared (carrier-grade NAT) address",
    ),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "a loopback address"),
    (
        Ipv4Addr::new(169, 254, 0, 0),
        16,
        "a link-local address (where cloud metadata services live)",
    ),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "a private address"),
    (
        Ipv4Addr::new(192, 0, 0, 0),
        24,
        "an IETF protocol assignment address",
    ),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "a documentation address"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "a private address"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "a benchmarking address"),
    (
        Ipv4Addr::new(198, 51, 100, 0),
        24,
        "a documentation address",
    ),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "a documentation address"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "a multicast address"),
    (
        Ipv4Addr::new(255, 255, 255, 255),
        32,
        "the broadcast address",
    ),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "a reserved address"),
];

/// IPv6 ranges that are not global, whatever they embed.
const V6_BLOCKED: &[(Ipv6Addr, u8, &str)] = &[
    (Ipv6Addr::UNSPECIFIED, 128, "the unspecified address"),
    (Ipv6Addr::LOCALHOST, 128, "the loopback address"),
    (
        Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
        7,
        "a unique local address",
    ),
    (
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0),
        10,
        "a link-local address",
    ),
    (
        Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0),
        10,
        "a site-local address",
    ),
    (
        Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
        8,
        "a multicast address",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "a documentation address",
    ),
    (
        Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0),
        96,
        "a NAT64 address",
    ),
    (
        Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0),
        48,
        "a local-use NAT64 address",
    ),
    (
        Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0),
        64,
        "a discard-only address",
    ),
];

/// Why an address is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Direct(&'static str),
    /// An IPv6 form carrying an IPv4 address that is itself not global.
    Embedded {
        form: &'static str,
        v4: Ipv4Addr,
        why: &'static str,
    },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Direct(why) => f.write_str(why),
            Verdict::Embedded { form, v4, why } => {
                write!(f, "{form} embedding {v4}, which is {why}")
            }
        }
    }
}

/// True when `ip` is a publicly routable unicast address that crier may
/// fetch media from.
pub fn is_global(ip: IpAddr) -> bool {
    verdict(ip).is_none()
}

/// Why `ip` is not global, as a phrase that follows "`ip` is", e.g.
/// `"a private address"`; `None` for a global address.
pub fn non_global_reason(ip: IpAddr) -> Option<String> {
    verdict(ip).map(|v| v.to_string())
}

/// Loopback in the sense of [`crate::FetchPolicy::allow_loopback`]:
/// 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8.
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

fn verdict(ip: IpAddr) -> Option<Verdict> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4).map(Verdict::Direct),
        IpAddr::V6(v6) => v6_verdict(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    V4_BLOCKED
        .iter()
        .find(|(net, len, _)| prefix_match_u32(bits, u32::from(*net), *len))
        .map(|(_, _, why)| *why)
}

fn v6_verdict(ip: Ipv6Addr) -> Option<Verdict> {
    let bits = u128::from(ip);
    if let Some((_, _, why)) = V6_BLOCKED
        .iter()
        .find(|(net, len, _)| prefix_match_u128(bits, u128::from(*net), *len))
    {
        return Some(Verdict::Direct(why));
    }
    let (form, v4) = embedded_v4(ip)?;
    v4_reason(v4).map(|why| Verdict::Embedded { form, v4, why })
}

/// The IPv4 address carried by an IPv4-mapped (::ffff:0:0/96),
/// IPv4-compatible (::/96) or 6to4 (2002::/16) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<(&'static str, Ipv4Addr)> {
    let s = ip.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(("an IPv4-mapped address", low)),
        [0, 0, 0, 0, 0, 0, _, _] => Some(("an IPv4-compatible address", low)),
        [0x2002, hi, lo, ..] => Some((
            "a 6to4 address",
            Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8),
        )),
        _ => None,
    }
}

fn prefix_match_u32(addr: u32, net: u32, len: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    addr & mask == net & mask
}

fn prefix_match_u128(addr: u128, net: u128, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    addr & mask == net & mask
}
