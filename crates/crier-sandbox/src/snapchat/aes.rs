//! AES-256-CBC with PKCS#7 padding (what `openssl enc -aes-256-cbc` writes),
//! for opening the encrypted media clients upload to Snap. A small FIPS-197
//! implementation: the sandbox has no AES crate, and speed does not matter
//! for test-sized media.

use std::sync::OnceLock;

const ROUNDS: usize = 14;

struct Tables {
    sbox: [u8; 256],
    inv_sbox: [u8; 256],
}

fn xtime(a: u8) -> u8 {
    (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 }
}

fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut out = 0;
    while b != 0 {
        if b & 1 != 0 {
            out ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    out
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut sbox = [0u8; 256];
        let mut inv_sbox = [0u8; 256];
        for x in 0..=255u8 {
            // Multiplicative inverse in GF(2^8) (0 maps to 0), then the affine map.
            let inv = if x == 0 {
                0
            } else {
                (1..=255u8).find(|y| gmul(x, *y) == 1).unwrap_or(0)
            };
            let s = inv
                ^ inv.rotate_left(1)
                ^ inv.rotate_left(2)
                ^ inv.rotate_left(3)
                ^ inv.rotate_left(4)
                ^ 0x63;
            sbox[x as usize] = s;
            inv_sbox[s as usize] = x;
        }
        Tables { sbox, inv_sbox }
    })
}

/// The 15 round keys of AES-256.
fn expand(key: &[u8; 32]) -> [[u8; 16]; ROUNDS + 1] {
    let sbox = &tables().sbox;
    let mut words = [[0u8; 4]; 4 * (ROUNDS + 1)];
    for (i, word) in words.iter_mut().take(8).enumerate() {
        word.copy_from_slice(&key[4 * i..4 * i + 4]);
    }
    let mut rcon = 1u8;
    for i in 8..words.len() {
        let mut temp = words[i - 1];
        if i % 8 == 0 {
            temp.rotate_left(1);
            for b in &mut temp {
                *b = sbox[*b as usize];
            }
            temp[0] ^= rcon;
            rcon = xtime(rcon);
        } else if i % 8 == 4 {
            for b in &mut temp {
                *b = sbox[*b as usize];
            }
        }
        for k in 0..4 {
            words[i][k] = words[i - 8][k] ^ temp[k];
        }
    }
    let mut keys = [[0u8; 16]; ROUNDS + 1];
    for (r, round_key) in keys.iter_mut().enumerate() {
        for c in 0..4 {
            round_key[4 * c..4 * c + 4].copy_from_slice(&words[4 * r + c]);
        }
    }
    keys
}

fn add_key(state: &mut [u8; 16], key: &[u8; 16]) {
    for (s, k) in state.iter_mut().zip(key) {
        *s ^= k;
    }
}

/// State byte `(row, col)` lives at `row + 4 * col`.
fn shift_rows(state: &mut [u8; 16], inverse: bool) {
    let old = *state;
    for row in 1..4 {
        for col in 0..4 {
            let from = if inverse {
                (col + 4 - row) % 4
            } else {
                (col + row) % 4
            };
            state[row + 4 * col] = old[row + 4 * from];
        }
    }
}

fn mix_columns(state: &mut [u8; 16], coefficients: [u8; 4]) {
    for col in 0..4 {
        let c: [u8; 4] = state[4 * col..4 * col + 4].try_into().unwrap_or([0; 4]);
        for row in 0..4 {
            state[4 * col + row] = (0..4)
                .map(|k| gmul(coefficients[(k + 4 - row) % 4], c[k]))
                .fold(0, |a, b| a ^ b);
        }
    }
}

fn decrypt_block(keys: &[[u8; 16]; ROUNDS + 1], block: &mut [u8; 16]) {
    let inv_sbox = &tables().inv_sbox;
    add_key(block, &keys[ROUNDS]);
    for round in (0..ROUNDS).rev() {
        shift_rows(block, true);
        for b in block.iter_mut() {
            *b = inv_sbox[*b as usize];
        }
        add_key(block, &keys[round]);
        if round > 0 {
            mix_columns(block, [0x0e, 0x0b, 0x0d, 0x09]);
        }
    }
}

#[cfg(test)]
fn encrypt_block(keys: &[[u8; 16]; ROUNDS + 1], block: &mut [u8; 16]) {
    let sbox = &tables().sbox;
    add_key(block, &keys[0]);
    for (round, key) in keys.iter().enumerate().skip(1) {
        for b in block.iter_mut() {
            *b = sbox[*b as usize];
        }
        shift_rows(block, false);
        if round < ROUNDS {
            mix_columns(block, [0x02, 0x03, 0x01, 0x01]);
        }
        add_key(block, key);
    }
}

/// Decrypts AES-256-CBC and strips PKCS#7 padding; `None` when the
/// ciphertext is not whole blocks or the padding is wrong (a wrong key or iv).
pub(crate) fn decrypt_cbc(key: &[u8; 32], iv: &[u8; 16], data: &[u8]) -> Option<Vec<u8>> {
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return None;
    }
    let keys = expand(key);
    let mut previous = *iv;
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks_exact(16) {
        let cipher: [u8; 16] = chunk.try_into().ok()?;
        let mut block = cipher;
        decrypt_block(&keys, &mut block);
        for (b, p) in block.iter_mut().zip(previous) {
            *b ^= p;
        }
        out.extend_from_slice(&block);
        previous = cipher;
    }
    let pad = *out.last()? as usize;
    if pad == 0 || pad > 16 || out[out.len() - pad..].iter().any(|b| *b as usize != pad) {
        return None;
    }
    out.truncate(out.len() - pad);
    Some(out)
}

#[cfg(test)]
pub(crate) fn encrypt_cbc(key: &[u8; 32], iv: &[u8; 16], data: &[u8]) -> Vec<u8> {
    let keys = expand(key);
    let pad = 16 - data.len() % 16;
    let mut padded = data.to_vec();
    padded.extend(std::iter::repeat_n(pad as u8, pad));
    let mut previous = *iv;
    let mut out = Vec::with_capacity(padded.len());
    for chunk in padded.chunks_exact(16) {
        let mut block: [u8; 16] = chunk.try_into().unwrap();
        for (b, p) in block.iter_mut().zip(previous) {
            *b ^= p;
        }
        encrypt_block(&keys, &mut block);
        out.extend_from_slice(&block);
        previous = block;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn fips_197_vector() {
        let key: [u8; 32] = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .try_into()
            .unwrap();
        let keys = expand(&key);
        let mut block: [u8; 16] = hex("00112233445566778899aabbccddeeff").try_into().unwrap();
        encrypt_block(&keys, &mut block);
        assert_eq!(block.to_vec(), hex("8ea2b7ca516745bfeafc49904b496089"));
        decrypt_block(&keys, &mut block);
        assert_eq!(block.to_vec(), hex("00112233445566778899aabbccddeeff"));
    }

    #[test]
    fn cbc_round_trip_and_bad_padding() {
        let key = [7u8; 32];
        let iv = [9u8; 16];
        for len in [0, 1, 15, 16, 17, 100] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let sealed = encrypt_cbc(&key, &iv, &data);
            assert_eq!(decrypt_cbc(&key, &iv, &sealed), Some(data));
        }
        let sealed = encrypt_cbc(&key, &iv, b"hello");
        assert_eq!(decrypt_cbc(&[8u8; 32], &iv, &sealed), None);
        assert_eq!(decrypt_cbc(&key, &iv, &sealed[..15]), None);
    }
}
