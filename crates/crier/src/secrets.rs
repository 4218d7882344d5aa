//! The key that encrypts network credentials: from config, else a file made once in the data dir.

use crate::cfg::Config;
use crate::server::BoxError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crier_store::Cipher;
use std::io::Write;

pub fn cipher(cfg: &Config) -> Result<Cipher, BoxError> {
    let text = match &cfg.encryption_key {
        Some(k) => k.trim().to_string(),
        None => {
            let path = cfg.data_dir.join("secret.key");
            match std::fs::read_to_string(&path) {
                Ok(s) => s.trim().to_string(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    std::fs::create_dir_all(&cfg.data_dir)?;
                    let key: [u8; 32] = rand::random();
                    let text = STANDARD.encode(key);
                    let mut opts = std::fs::OpenOptions::new();
                    opts.write(true).create_new(true);
                    #[cfg(unix)]
                    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                    opts.open(&path)?.write_all(text.as_bytes())?;
                    text
                }
                Err(e) => return Err(format!("{}: {e}", path.display()).into()),
            }
        }
    };
    let bytes = STANDARD.decode(&text).map_err(|e| format!("encryption key is not base64: {e}"))?;
    let key: [u8; 32] = bytes.try_into().map_err(|_| "encryption key must be 32 bytes (base64)")?;
    Ok(Cipher::new(key))
}
