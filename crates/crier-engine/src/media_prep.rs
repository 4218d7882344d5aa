//! Media a network cannot take as the user sent it (WebP for some networks, HEIC and AVIF for all:
//! the catalog's conversion matrix) is converted to JPEG and staged at crier's own
//! `/media/{token}`, so that networks pulling media by URL and connectors uploading bytes both get
//! the JPEG. The same goes for a cover image (`thumbNail` of YouTube, LinkedIn and Pinterest).
//! Everything else is passed through untouched, by URL.

use crier_core::request::looks_like_video;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_media::{Converter, MediaKind, Staging, needs_jpeg, sniff};
use crier_networks::{Failure, MediaSource};
use crier_store::{MediaObject, Store};
use std::sync::Arc;
use std::time::Duration;

/// What a network gets instead of what the post names; `None`: the post's own, untouched.
#[derive(Debug, Default)]
pub struct MediaPlan {
    pub media: Option<Vec<String>>,
    pub thumbnail: Option<String>,
}

/// What the engine needs to convert and stage media.
pub struct MediaPrep {
    /// SSRF-guarded download of user URLs (the same one connectors use).
    pub source: Arc<dyn MediaSource>,
    pub converter: Converter,
    pub staging: Staging,
    /// Public base URL of this crier; staged files are at `<base>/media/<token>`.
    pub public_base: String,
    /// How long a converted file stays reachable (networks fetch it within minutes).
    pub ttl: Duration,
    /// Largest source image fetched.
    pub max_bytes: usize,
}

fn error(code: Code, platform: Platform, details: String) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, platform).arg("network", platform.display_name()).details(details)
}

/// Formats a network refuses that the matrix does not convert: failing here, before the network is
/// called, beats a refusal after the network accepted the post (TikTok fails PNG photos late).
fn refused(kind: MediaKind, platform: Platform) -> Option<&'static str> {
    match (platform, kind) {
        (Platform::Tiktok, MediaKind::Png | MediaKind::Gif) => Some("TikTok photos must be JPEG or WebP"),
        _ => None,
    }
}

impl MediaPrep {
    /// What `platform` gets for the post's `urls` and its `thumbNail` option.
    pub async fn plan(
        &self,
        store: &Store,
        profile_id: &str,
        platform: Platform,
        urls: &[String],
        thumbnail: Option<&str>,
        is_video: bool,
    ) -> Result<MediaPlan, Failure> {
        let mut out = Vec::with_capacity(urls.len());
        let mut changed = false;
        for url in urls {
            match self.converted(store, profile_id, platform, url, is_video).await? {
                Some(staged) => {
                    out.push(staged);
                    changed = true;
                }
                None => out.push(url.clone()),
            }
        }
        let thumbnail = match thumbnail {
            // A cover that cannot be downloaded here is left to the network (or connector), which
            // reports it its own way (YouTube: a warning, Pinterest: 136); one that cannot be
            // converted is a 450 like any image.
            Some(url) => match self.converted(store, profile_id, platform, url, false).await {
                Err(Failure::Rejected(e)) if e.code == Code::ImageDownload.number() => None,
                other => other?,
            },
            None => None,
        };
        Ok(MediaPlan { media: changed.then_some(out), thumbnail })
    }

    async fn converted(&self, store: &Store, profile_id: &str, platform: Platform, url: &str, is_video: bool) -> Result<Option<String>, Failure> {
        // Videos are never converted, nor downloaded here.
        if is_video || looks_like_video(url) {
            return Ok(None);
        }
        let fetched = self.source.fetch(url, self.max_bytes).await.map_err(|mut e| {
            e.platform = Some(platform);
            Failure::Rejected(e.arg("network", platform.display_name()))
        })?;
        let kind = sniff(&fetched.bytes);
        if let Some(why) = refused(kind, platform) {
            return Err(Failure::Rejected(
                error(Code::MediaRules, platform, format!("{url}: {why}, not {}", kind.mime())).arg("max", platform.rules().max_media).arg("count", 1),
            ));
        }
        if kind == MediaKind::Unknown || !needs_jpeg(kind, platform) {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        let converted = self.converter.to_jpeg(fetched.bytes).await;
        crate::telemetry::conversion(kind.mime(), converted.is_ok(), started.elapsed());
        let jpeg = converted.map_err(|e| Failure::Rejected(error(Code::ImageConversion, platform, format!("{url}: {} could not be converted to JPEG: {e}", kind.mime()))))?;
        let token = crier_store::random_token(24);
        let now = store.now_ms();
        let object = MediaObject {
            token: token.clone(),
            profile_id: profile_id.to_string(),
            object_key: format!("converted/{token}.jpg"),
            mime: "image/jpeg".into(),
            size_bytes: jpeg.bytes.len() as i64,
            file_name: None,
            description: Some(format!("converted from {} for {}", kind.mime(), platform.display_name())),
            created_ms: now,
            expires_ms: now + self.ttl.as_millis() as i64,
        };
        // Staging is crier's own side: a later attempt can succeed (452 is retryable).
        let staging_failed = |d: String| Failure::Transient { error: error(Code::ImageStaging, platform, d), retry_after: None };
        self.staging.put(&object.object_key, jpeg.bytes).await.map_err(|e| staging_failed(e.to_string()))?;
        store.add_media_object(&object).await.map_err(|e| {
            // The database's text stays in the log: details are shown to callers.
            tracing::error!(error = %e, token = %token, "converted image could not be recorded");
            staging_failed("crier could not record the converted image".into())
        })?;
        tracing::info!(%url, platform = %platform, token = %token, "image converted to JPEG and staged");
        Ok(Some(format!("{}/media/{token}", self.public_base.trim_end_matches('/'))))
    }
}
