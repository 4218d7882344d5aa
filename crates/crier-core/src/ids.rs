//! Identifiers crier mints. Post ids look like Ayrshare's (20 characters,
//! Firestore-style) so clients that store or validate them keep working.

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Turns caller-supplied random bytes into an id of `len` alphanumerics
/// (the caller owns the randomness so this crate stays free of I/O).
pub fn alphanumeric(random: &[u8], len: usize) -> String {
    assert!(random.len() >= len, "need one random byte per character");
    random[..len]
        .iter()
        // 62 does not divide 256, the bias (< 1%) does not matter for unguessable ids of 20+ chars.
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}
