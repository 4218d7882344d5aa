//! `is_global` over every range of rust-stack.md §7, edges included. Pure
//! functions: no traffic.

use std::net::IpAddr;

use crier_media::{is_global, non_global_reason};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or_else(|_| panic!("bad test IP {s}"))
}

/// (address, global?, start of the reason when not global)
const TABLE: &[(&str, bool, &str)] = &[
    // 0.0.0.0/8
    ("0.0.0.0", false, "a \"this network\""),
    ("0.255.255.255", false, "a \"this network\""),
    ("1.0.0.0", true, ""),
    // 10/8
    ("9.255.255.255", true, ""),
    ("10.0.0.0", false, "a private"),
    ("10.0.0.1", false, "a private"),
    ("10.255.255.255", false, "a private"),
    ("11.0.0.0", true, ""),
    // 100.64/10
    ("100.63.255.255", true, ""),
    ("100.64.0.0", false, "a shared"),
    ("100.127.255.255", false, "a shared"),
    ("100.128.0.0", true, ""),
    // 127/8
    ("126.255.255.255", true, ""),
    ("127.0.0.1", false, "a loopback"),
    ("127.255.255.255", false, "a loopback"),
    ("128.0.0.0", true, ""),
    // 169.254/16
    ("169.253.255.255", true, ""),
    ("169.254.0.0", false, "a link-local"),
    ("169.254.169.254", false, "a link-local"),
    ("169.254.255.255", false, "a link-local"),
    ("169.255.0.0", true, ""),
    // 172.16/12
    ("172.15.255.255", true, ""),
    ("172.16.0.0", false, "a private"),
    ("172.31.255.255", false, "a private"),
    ("172.32.0.0", true, ""),
    // 192.0.0/24, 192.0.2/24
    ("191.255.255.255", true, ""),
    ("192.0.0.0", false, "an IETF protocol assignment"),
    ("192.0.0.255", false, "an IETF protocol assignment"),
    ("192.0.1.0", true, ""),
    ("192.0.2.0", false, "a documentation"),
    ("192.0.2.255", false, "a documentation"),
    ("192.0.3.0", true, ""),
    // 192.168/16
    ("192.167.255.255", true, ""),
    ("192.168.0.0", false, "a private"),
    ("192.168.255.255", false, "a private"),
    ("192.169.0.0", true, ""),
    // 198.18/15
    ("198.17.255.255", true, ""),
    ("198.18.0.0", false, "a benchmarking"),
    ("198.19.255.255", false, "a benchmarking"),
    ("198.20.0.0", true, ""),
    // 198.51.100/24, 203.0.113/24
    ("198.51.99.255", true, ""),
    ("198.51.100.0", false, "a documentation"),
    ("198.51.100.255", false, "a documentation"),
    ("198.51.101.0", true, ""),
    ("203.0.112.255", true, ""),
    ("203.0.113.0", false, "a documentation"),
    ("203.0.113.255", false, "a documentation"),
    ("203.0.114.0", true, ""),
    // 224/4, 240/4, broadcast
    ("223.255.255.255", true, ""),
    ("224.0.0.0", false, "a multicast"),
    ("239.255.255.255", false, "a multicast"),
    ("240.0.0.0", false, "a reserved"),
    ("255.255.255.254", false, "a reserved"),
    ("255.255.255.255", false, "the broadcast"),
    // public IPv4
    ("8.8.8.8", true, ""),
    ("1.1.1.1", true, ""),
    ("93.184.216.34", true, ""),
    // IPv6: ::, ::1
    ("::", false, "the unspecified"),
    ("::1", false, "the loopback"),
    // fc00::/7
    ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true, ""),
    ("fc00::", false, "a unique local"),
    ("fd00::2", false, "a unique local"),
    (
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        false,
        "a unique local",
    ),
    // fe80::/10, fec0::/10
    ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true, ""),
    ("fe80::", false, "a link-local"),
    ("fe80::1", false, "a link-local"),
    (
        "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        false,
        "a link-local",
    ),
    ("fec0::", false, "a site-local"),
    (
        "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        false,
        "a site-local",
    ),
    // ff00::/8
    ("ff00::", false, "a multicast"),
    ("ff02::1", false, "a multicast"),
    (
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        false,
        "a multicast",
    ),
    // 2001:db8::/32
    ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", true, ""),
    ("2001:db8::", false, "a documentation"),
    (
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        false,
        "a documentation",
    ),
    ("2001:db9::", true, ""),
    // 64:ff9b::/96 NAT64, whatever it embeds; 64:ff9b:1::/48 local-use NAT64
    ("64:ff9b::", false, "a NAT64"),
    ("64:ff9b::808:808", false, "a NAT64"),
    ("64:ff9b::ffff:ffff", false, "a NAT64"),
    ("64:ff9b::1:0:0", true, ""),
    ("64:ff9b:1::1", false, "a local-use NAT64"),
    // 100::/64 discard-only
    ("100::1", false, "a discard-only"),
    ("100:0:0:1::", true, ""),
    // IPv4-mapped ::ffff:0:0/96: by the embedded IPv4
    (
        "::ffff:10.0.0.1",
        false,
        "an IPv4-mapped address embedding 10.0.0.1, which is a private",
    ),
    (
        "::ffff:127.0.0.1",
        false,
        "an IPv4-mapped address embedding 127.0.0.1, which is a loopback",
    ),
    (
        "::ffff:169.254.169.254",
        false,
        "an IPv4-mapped address embedding 169.254.169.254, which is a link-local",
    ),
    (
        "::ffff:0.0.0.0",
        false,
        "an IPv4-mapped address embedding 0.0.0.0",
    ),
    ("::ffff:8.8.8.8", true, ""),
    // IPv4-compatible ::/96: by the embedded IPv4
    (
        "::10.0.0.1",
        false,
        "an IPv4-compatible address embedding 10.0.0.1, which is a private",
    ),
    (
        "::127.0.0.1",
        false,
        "an IPv4-compatible address embedding 127.0.0.1",
    ),
    (
        "::0.0.0.2",
        false,
        "an IPv4-compatible address embedding 0.0.0.2",
    ),
    ("::8.8.8.8", true, ""),
    // 6to4 2002::/16: by the embedded IPv4
    (
        "2002:a00:1::",
        false,
        "a 6to4 address embedding 10.0.0.1, which is a private",
    ),
    (
        "2002:c0a8:101::1",
        false,
        "a 6to4 address embedding 192.168.1.1",
    ),
    ("2002:7f00:1::", false, "a 6to4 address embedding 127.0.0.1"),
    (
        "2002:a9fe:a9fe::",
        false,
        "a 6to4 address embedding 169.254.169.254",
    ),
    ("2002:808:808::1", true, ""),
    // public IPv6
    ("2606:4700::1111", true, ""),
    ("2001:4860:4860::8888", true, ""),
    ("2a00:1450:4001:80b::200e", true, ""),
];

#[test]
fn is_global_table() {
    for (addr, global, why) in TABLE {
        let a = ip(addr);
        assert_eq!(is_global(a), *global, "is_global({addr})");
        match non_global_reason(a) {
            None => assert!(*global, "{addr} has no reason but is not global"),
            Some(reason) => {
                assert!(!*global, "{addr} is global but has reason {reason:?}");
                assert!(
                    reason.starts_with(why),
                    "{addr}: {reason:?} does not start with {why:?}"
                );
            }
        }
    }
}

#[test]
fn the_link_local_reason_mentions_metadata() {
    let reason = non_global_reason(ip("169.254.169.254")).unwrap_or_default();
    assert!(reason.contains("metadata"), "{reason}");
}
