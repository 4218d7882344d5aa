//! Network credentials are encrypted at rest with XChaCha20-Poly1305
//! (random 24-byte nonce; the row's identity is the associated data, so a
//! ciphertext copied to another row does not decrypt).

use crate::{Result, StoreError};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const VERSION: u8 = 1;

#[derive(Clone)]
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

impl Cipher {
    pub fn new(key: [u8; 32]) -> Cipher {
        Cipher { aead: XChaCha20Poly1305::new(&key.into()) }
    }

    pub fn encrypt(&self, plaintext: &[u8], aad: &str) -> Vec<u8> {
        use rand::Rng;
        let mut nonce = [0u8; 24];
        rand::rng().fill(&mut nonce);
        let ct = self
            .aead
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad: aad.as_bytes() })
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
        let mut out = Vec::with_capacity(1 + 24 + ct.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn decrypt(&self, blob: &[u8], aad: &str) -> Result<Vec<u8>> {
        if blob.len() < 25 || blob[0] != VERSION {
            return Err(StoreError::Decrypt);
        }
        self.aead
            .decrypt(&XNonce::try_from(&blob[1..25]).map_err(|_| StoreError::Decrypt)?, Payload { msg: &blob[25..], aad: aad.as_bytes() })
            .map_err(|_| StoreError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding_to_row() {
        let c = Cipher::new([7; 32]);
        let blob = c.encrypt(b"secret", "row-1");
        assert!(!blob.windows(6).any(|w| w == b"secret"));
        assert_eq!(c.decrypt(&blob, "row-1").unwrap(), b"secret");
        assert!(c.decrypt(&blob, "row-2").is_err());
        assert!(Cipher::new([8; 32]).decrypt(&blob, "row-1").is_err());
    }
}
