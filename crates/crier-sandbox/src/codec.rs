//! Small self-contained encoders the emulators need: SHA-256 (for content
//! addressed CIDs), lowercase base32 (multibase `b`), base64url (JWT-looking
//! tokens) and AT Protocol TIDs. Written here to keep the crate's dependency
//! list to the workspace set it already uses.

use std::sync::atomic::{AtomicU64, Ordering};

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 digest of `data` (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(v);
        }
    }
    let mut out = [0u8; 32];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// RFC 4648 base32, lowercase, no padding (multibase prefix `b` not included).
pub fn base32_lower(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(data.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in data {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 0x1f) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize] as char);
    }
    out
}

/// RFC 4648 base64url without padding.
pub fn base64url(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len() * 4 / 3 + 3);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize] as char);
        }
    }
    out
}

fn cid(codec: u8, data: &[u8]) -> String {
    // CIDv1, <codec>, multihash sha2-256 (0x12), 32-byte digest.
    let mut bytes = vec![0x01, codec, 0x12, 0x20];
    bytes.extend_from_slice(&sha256(data));
    format!("b{}", base32_lower(&bytes))
}

/// CID of a blob (raw codec): `bafkrei…`, as the PDS returns from uploadBlob.
pub fn cid_raw(data: &[u8]) -> String {
    cid(0x55, data)
}

/// CID of a record (dag-cbor codec): `bafyrei…`. The sandbox hashes the JSON
/// form of the record rather than its DAG-CBOR encoding; only the shape matters.
pub fn cid_dag_cbor(data: &[u8]) -> String {
    cid(0x71, data)
}

const S32_SORTABLE: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// Encodes a 64-bit value as a 13-character TID (base32-sortable).
pub fn tid_string(value: u64) -> String {
    (0..13)
        .map(|i| {
            let shift: i32 = 60 - 5 * i;
            let idx = if shift >= 0 {
                (value >> shift) & 0x1f
            } else {
                (value << -shift) & 0x1f
            };
            S32_SORTABLE[idx as usize] as char
        })
        .collect()
}

/// Whether `s` has TID syntax (13 chars of base32-sortable, top bit clear).
pub fn is_tid(s: &str) -> bool {
    s.len() == 13
        && s.bytes().all(|b| S32_SORTABLE.contains(&b))
        && s.as_bytes()
            .first()
            .is_some_and(|b| b"234567abcdefghij".contains(b))
}

/// Whether `s` is a syntactically valid record key (atproto record-key spec).
pub fn is_record_key(s: &str) -> bool {
    (1..=512).contains(&s.len())
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:~".contains(&b))
}

/// Monotonic TID clock: microseconds since the epoch shifted left by 10 bits
/// plus a clock id, never repeating within the process.
pub struct TidClock {
    last: AtomicU64,
    clock_id: u64,
}

impl TidClock {
    pub fn new() -> Self {
        Self {
            last: AtomicU64::new(0),
            clock_id: rand::random::<u64>() & 0x3ff,
        }
    }

    pub fn next(&self) -> String {
        let micros = chrono::Utc::now().timestamp_micros().max(0) as u64;
        let candidate = ((micros & ((1 << 53) - 1)) << 10) | self.clock_id;
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let next = if candidate > prev {
                candidate
            } else {
                prev + (1 << 10)
            };
            match self
                .last
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return tid_string(next),
                Err(actual) => prev = actual,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&long)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn encodings() {
        assert_eq!(base32_lower(b"foobar"), "mzxw6ytboi");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert!(cid_raw(b"x").starts_with("bafkrei"));
        assert!(cid_dag_cbor(b"x").starts_with("bafyrei"));
        assert_eq!(cid_raw(b"x").len(), 59);
    }

    #[test]
    fn tids() {
        let clock = TidClock::new();
        let a = clock.next();
        let b = clock.next();
        assert!(is_tid(&a) && is_tid(&b), "{a} {b}");
        assert!(b > a);
        assert!(!is_tid("3jzfcijpj2z2aa"));
        assert!(is_record_key("self") && !is_record_key("..") && !is_record_key("a/b"));
    }
}
