//! Where crier keeps media it serves itself (`/media/{token}`): a local folder by
//! default, or an S3-compatible bucket so that every node of a cluster serves every object.

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum StagingConfig {
    /// A folder on this machine (single node).
    Local { dir: PathBuf },
    /// An S3-compatible bucket (AWS, MinIO, Garage, R2, …).
    S3 { endpoint: Option<String>, bucket: String, region: String, access_key: String, secret_key: String },
}

/// What went wrong with the staging store. The `Display` of a runtime failure (`Store`) is safe to
/// show to API callers (it becomes `details` of 451/452): the store's own text, which names file
/// paths or bucket URLs, is logged where the failure happens and kept out of the error.
#[derive(Debug, thiserror::Error)]
pub enum StagingError {
    /// At start-up only (shown to the operator, never in an answer).
    #[error("staging store misconfigured: {0}")]
    Config(String),
    #[error("object not found")]
    NotFound,
    #[error("crier's media store could not {0} the file")]
    Store(&'static str),
}

#[derive(Clone)]
pub struct Staging {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Staging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Staging({})", self.store)
    }
}

/// `op`: what crier was doing ("write", "read", "delete"), for the caller's safe text.
fn store_error(op: &'static str, key: &str, e: object_store::Error) -> StagingError {
    match e {
        object_store::Error::NotFound { .. } => StagingError::NotFound,
        other => {
            tracing::error!(op, key, error = %other, "media staging store failed");
            StagingError::Store(op)
        }
    }
}

impl Staging {
    pub fn new(cfg: &StagingConfig) -> Result<Staging, StagingError> {
        let store: Arc<dyn ObjectStore> = match cfg {
            StagingConfig::Local { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| StagingError::Config(format!("{}: {e}", dir.display())))?;
                Arc::new(LocalFileSystem::new_with_prefix(dir).map_err(|e| StagingError::Config(e.to_string()))?)
            }
            StagingConfig::S3 { endpoint, bucket, region, access_key, secret_key } => {
                let mut b = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key)
                    .with_secret_access_key(secret_key);
                if let Some(e) = endpoint {
                    // A self-hosted S3: path-style addressing, plain HTTP allowed when the endpoint says so.
                    b = b.with_endpoint(e).with_virtual_hosted_style_request(false).with_allow_http(e.starts_with("http://"));
                }
                Arc::new(b.build().map_err(|e| StagingError::Config(e.to_string()))?)
            }
        };
        Ok(Staging { store })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StagingError> {
        self.store.put(&ObjectPath::from(key), PutPayload::from(bytes)).await.map(|_| ()).map_err(|e| store_error("write", key, e))
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StagingError> {
        let r = self.store.get(&ObjectPath::from(key)).await.map_err(|e| store_error("read", key, e))?;
        r.bytes().await.map(|b| b.to_vec()).map_err(|e| store_error("read", key, e))
    }

    pub async fn delete(&self, key: &str) -> Result<(), StagingError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error("delete", key, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_round_trip() {
        let dir = tempfile_dir();
        let s = Staging::new(&StagingConfig::Local { dir: dir.clone() }).unwrap();
        s.put("uploads/a", b"hello".to_vec()).await.unwrap();
        assert_eq!(s.get("uploads/a").await.unwrap(), b"hello");
        s.delete("uploads/a").await.unwrap();
        assert!(matches!(s.get("uploads/a").await, Err(StagingError::NotFound)));
        s.delete("uploads/a").await.unwrap();
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_failed_write_names_no_server_path() {
        let dir = tempfile_dir().join("blocked");
        std::fs::create_dir_all(&dir).unwrap();
        let s = Staging::new(&StagingConfig::Local { dir: dir.clone() }).unwrap();
        // A file where the folder should be: the write fails even for root.
        std::fs::write(dir.join("uploads"), b"x").unwrap();
        let e = s.put("uploads/a", b"hello".to_vec()).await.unwrap_err();
        let shown = e.to_string();
        assert!(matches!(e, StagingError::Store("write")), "{e:?}");
        assert!(!shown.contains('/') && !shown.contains("blocked"), "{shown}");
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("crier-staging-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
