//! AES-256-CBC with PKCS#7 padding, encryption only: what `openssl enc -aes-256-cbc -nosalt
//! -K <key> -iv <iv>` produces, which Snap's media upload requires
//! (`developers.snap.com/api/marketing-api/Public-Profile-API/ProfileAssetManagement`).
//!
//! Written out (FIPS-197) because the crate has no cipher dependency; the key travels to Snap
//! with the media, so this protects nothing secret and needs no constant-time tables.
//! Checked against FIPS-197 C.3 and SP 800-38A F.2.5 in the tests below.

const ROUNDS: usize = 14;

/// GF(2^8) multiplication by x.
fn xtime(b: u8) -> u8 {
    (b << 1) ^ if b & 0x80 != 0 { 0x1b } else { 0 }
}

fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    p
}

/// The S-box, derived (multiplicative inverse, then the affine map) rather than typed in.
fn sbox() -> [u8; 256] {
    let mut table = [0u8; 256];
    for (x, slot) in table.iter_mut().enumerate() {
        // x^254 is the inverse of x in GF(2^8) (and 0 for 0).
        let mut inv = 1u8;
        let mut base = x as u8;
        let mut exp = 254u32;
        while exp > 0 {
            if exp & 1 == 1 {
                inv = gf_mul(inv, base);
            }
            base = gf_mul(base, base);
            exp >>= 1;
        }
        if x == 0 {
            inv = 0;
        }
        *slot = inv ^ inv.rotate_left(1) ^ inv.rotate_left(2) ^ inv.rotate_left(3) ^ inv.rotate_left(4) ^ 0x63;
    }
    table
}

pub struct Aes256 {
    round_keys: [[u8; 16]; ROUNDS + 1],
    sbox: [u8; 256],
}

impl Aes256 {
    pub fn new(key: &[u8; 32]) -> Self {
        let sbox = sbox();
        let mut words = [[0u8; 4]; 4 * (ROUNDS + 1)];
        for (i, w) in words.iter_mut().take(8).enumerate() {
            w.copy_from_slice(&key[4 * i..4 * i + 4]);
        }
        let mut rcon = 1u8;
        for i in 8..words.len() {
            let mut t = words[i - 1];
            if i % 8 == 0 {
                t = [sbox[t[1] as usize] ^ rcon, sbox[t[2] as usize], sbox[t[3] as usize], sbox[t[0] as usize]];
                rcon = xtime(rcon);
            } else if i % 8 == 4 {
                t = t.map(|b| sbox[b as usize]);
            }
            for j in 0..4 {
                words[i][j] = words[i - 8][j] ^ t[j];
            }
        }
        let mut round_keys = [[0u8; 16]; ROUNDS + 1];
        for (r, rk) in round_keys.iter_mut().enumerate() {
            for c in 0..4 {
                rk[4 * c..4 * c + 4].copy_from_slice(&words[4 * r + c]);
            }
        }
        Aes256 { round_keys, sbox }
    }

    /// Encrypts one block; byte `r + 4c` is row r, column c of the state.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        add(block, &self.round_keys[0]);
        for round in 1..=ROUNDS {
            for b in block.iter_mut() {
                *b = self.sbox[*b as usize];
            }
            let old = *block;
            for r in 1..4 {
                for c in 0..4 {
                    block[r + 4 * c] = old[r + 4 * ((c + r) % 4)];
                }
            }
            if round != ROUNDS {
                for c in 0..4 {
                    let a = [block[4 * c], block[4 * c + 1], block[4 * c + 2], block[4 * c + 3]];
                    let all = a[0] ^ a[1] ^ a[2] ^ a[3];
                    for r in 0..4 {
                        // 2a_r ^ 3a_{r+1} ^ a_{r+2} ^ a_{r+3} = a_r ^ all ^ xtime(a_r ^ a_{r+1})
                        block[4 * c + r] = a[r] ^ all ^ xtime(a[r] ^ a[(r + 1) % 4]);
                    }
                }
            }
            add(block, &self.round_keys[round]);
        }
    }
}

fn add(block: &mut [u8; 16], key: &[u8; 16]) {
    for (b, k) in block.iter_mut().zip(key) {
        *b ^= k;
    }
}

/// CBC encryption of `plain` with PKCS#7 padding (always 1–16 bytes of padding).
pub fn encrypt_cbc_pkcs7(key: &[u8; 32], iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let aes = Aes256::new(key);
    let pad = 16 - plain.len() % 16;
    let mut out = Vec::with_capacity(plain.len() + pad);
    let mut prev = *iv;
    let mut chunks = plain.chunks_exact(16);
    for chunk in &mut chunks {
        let mut block = [0u8; 16];
        block.copy_from_slice(chunk);
        add(&mut block, &prev);
        aes.encrypt_block(&mut block);
        out.extend_from_slice(&block);
        prev = block;
    }
    let rest = chunks.remainder();
    let mut block = [pad as u8; 16];
    block[..rest.len()].copy_from_slice(rest);
    add(&mut block, &prev);
    aes.encrypt_block(&mut block);
    out.extend_from_slice(&block);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn sbox_known_entries() {
        let s = sbox();
        assert_eq!((s[0x00], s[0x01], s[0x53], s[0xff]), (0x63, 0x7c, 0xed, 0x16));
    }

    #[test]
    fn fips_197_c3() {
        let key: [u8; 32] = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").try_into().unwrap();
        let mut block: [u8; 16] = hex("00112233445566778899aabbccddeeff").try_into().unwrap();
        Aes256::new(&key).encrypt_block(&mut block);
        assert_eq!(block.to_vec(), hex("8ea2b7ca516745bfeafc49904b496089"));
    }

    #[test]
    fn sp800_38a_cbc_aes256() {
        let key: [u8; 32] = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4").try_into().unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let out = encrypt_cbc_pkcs7(&key, &iv, &plain);
        assert_eq!(out[..32].to_vec(), hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"));
        assert_eq!(out.len(), 48, "a full padding block follows block-aligned input");
    }

    #[test]
    fn padding_fills_the_last_block() {
        let out = encrypt_cbc_pkcs7(&[7; 32], &[9; 16], b"hello");
        assert_eq!(out.len(), 16);
        assert_eq!(encrypt_cbc_pkcs7(&[7; 32], &[9; 16], &[]).len(), 16);
    }
}
