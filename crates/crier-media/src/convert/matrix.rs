//! Which images crier re-encodes as JPEG before handing them to a network
//! (the conversion matrix of `error-catalog.md`, seed of issue #5).

use crate::MediaKind;
use crier_core::Platform;

/// Networks that refuse WebP images (Meta's Instagram/Threads container API,
/// LinkedIn, TikTok photo posts, Google Business Profile, Snapchat).
const REFUSES_WEBP: &[Platform] = &[
    Platform::Instagram,
    Platform::Linkedin,
    Platform::Tiktok,
    Platform::Gmb,
    Platform::Threads,
    Platform::Snapchat,
];

/// Whether an image of `kind` must become a JPEG before it is sent to
/// `platform`: WebP for the networks that refuse it, HEIC and AVIF for every
/// network. Anything else (JPEG, PNG, GIF, videos, unknown bytes) passes
/// through untouched: an image the network accepts is never converted.
pub fn needs_jpeg(kind: MediaKind, platform: Platform) -> bool {
    match kind {
        MediaKind::Heic | MediaKind::Avif => true,
        MediaKind::Webp => REFUSES_WEBP.contains(&platform),
        MediaKind::Jpeg
        | MediaKind::Png
        | MediaKind::Gif
        | MediaKind::Mp4
        | MediaKind::Mov
        | MediaKind::Unknown => false,
    }
}
