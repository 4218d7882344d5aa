//! Re-encoding images as JPEG for networks that refuse their format.
//!
//! - [`needs_jpeg`] is the conversion matrix: which (format, network) pairs
//!   are converted. Everything else is sent as fetched.
//! - [`Converter::to_jpeg`] decodes any image [`crate::sniff`] recognises and
//!   writes a baseline JPEG (quality 85, 4:2:0). Decoding runs on tokio's
//!   blocking threads behind a semaphore, so a burst of conversions queues
//!   instead of holding many decoded images in memory at once.
//!
//! What the output keeps and drops:
//! - **Orientation** is applied to the pixels (EXIF `Orientation` for JPEG
//!   and WebP; `irot`/`imir` by libheif for HEIC and AVIF). No metadata is
//!   copied, so the output carries no EXIF: no GPS position, and no second
//!   rotation by the network.
//! - **Transparency** is composited onto white.
//! - **Bit depth**: 16-bit PNG and 10/12-bit HEIC/AVIF become 8-bit.
//! - **Colour**: the pixels are not converted. When the source carries an
//!   ICC profile (an iPhone's Display P3 HEIC, a PNG `iCCP`, a WebP `ICCP`),
//!   that profile is embedded in the JPEG, which keeps colours exact at no
//!   decoding cost. A source described only by an `nclx` box (common in
//!   AVIF) or by nothing is written without a profile, that is as sRGB.
//!
//! - **HEIC/AVIF without alpha, 8-bit, BT.601 matrix** (what phones and
//!   avifenc write): libheif's YCbCr 4:2:0 planes go straight into the JPEG
//!   encoder (JPEG is BT.601 YCbCr too), skipping two colour conversions.
//!   Other matrices, alpha and 10/12-bit go through 8-bit RGB.
//! - **Lossy WebP, opaque and upright**: the same, with libwebp's planes
//!   (BT.601 studio range, stretched to JPEG's full range on the way).
//!
//! Safety: the header is read and its dimensions checked against
//! [`ConvertLimits`] before pixel memory is allocated; image's `Limits` and
//! libheif's security limits stay on as a second fence; libwebp decodes only
//! into Rust buffers of the checked size. Peak memory per
//! conversion is about `max_pixels` × 8 bytes (16-bit RGBA) plus the output.
//!
//! Crate choices and timings: rust-stack.md §5 (libheif-rs with embedded
//! libheif 1.23, image 0.25 pure-Rust decoders, jpeg-encoder with SIMD), and
//! libwebp 1.6 for WebP (about 3x faster than image-webp on photos).

mod error;
mod heif;
mod jpeg;
mod matrix;
mod planar;
mod raster;
mod webp;

pub use error::ConvertError;
pub use matrix::needs_jpeg;

use crate::{MediaKind, sniff};
use libheif_rs::LibHeif;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Size limits for one conversion, checked before decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertLimits {
    /// Most pixels (width × height) in the decoded image. Default 50 MP:
    /// above any phone camera's output, and 400 MB at 16-bit RGBA.
    pub max_pixels: u64,
    /// Longest side in pixels. Default 16384 (WebP's own limit; JPEG's is 65535).
    pub max_dimension: u32,
    /// Largest encoded input in bytes. Default 50 MiB, as `FetchPolicy::max_bytes`.
    pub max_input_bytes: usize,
}

impl Default for ConvertLimits {
    fn default() -> Self {
        Self {
            max_pixels: 50_000_000,
            max_dimension: 16_384,
            max_input_bytes: 50 * 1024 * 1024,
        }
    }
}

impl ConvertLimits {
    fn check(&self, width: u32, height: u32) -> Result<(), ConvertError> {
        let pixels = u64::from(width) * u64::from(height);
        if width > self.max_dimension || height > self.max_dimension || pixels > self.max_pixels {
            return Err(ConvertError::TooLarge {
                width,
                height,
                max_dimension: self.max_dimension,
                max_pixels: self.max_pixels,
            });
        }
        if pixels == 0 {
            return Err(ConvertError::Corrupt(format!(
                "image header says {width}x{height}"
            )));
        }
        Ok(())
    }
}

/// A JPEG made by [`Converter::to_jpeg`], with its final (oriented) size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Converts images to JPEG with at most `max_parallel` decodes at a time.
/// Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct Converter {
    limits: ConvertLimits,
    pool: Arc<Semaphore>,
    max_parallel: usize,
    /// Keeps libheif initialised for the converter's lifetime.
    heif: Arc<LibHeif>,
}

impl std::fmt::Debug for Converter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Converter")
            .field("limits", &self.limits)
            .field("max_parallel", &self.max_parallel)
            .finish()
    }
}

impl Default for Converter {
    /// Default limits, one decode per CPU.
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(ConvertLimits::default(), cpus)
    }
}

impl Converter {
    /// `max_parallel` decodes run at once (at least 1); further calls wait.
    pub fn new(limits: ConvertLimits, max_parallel: usize) -> Self {
        let max_parallel = max_parallel.max(1);
        Self {
            limits,
            pool: Arc::new(Semaphore::new(max_parallel)),
            max_parallel,
            heif: Arc::new(LibHeif::new()),
        }
    }

    pub fn limits(&self) -> &ConvertLimits {
        &self.limits
    }

    /// Decodes `bytes` (any format [`sniff`] calls an image) and encodes it
    /// as JPEG. Waits for a free slot in the pool, then decodes on a blocking
    /// thread. If the returned future is dropped, the decode still finishes
    /// and keeps its slot until then, so memory stays bounded.
    pub async fn to_jpeg(&self, bytes: Vec<u8>) -> Result<Converted, ConvertError> {
        // Refuse oversized input before queueing for a slot.
        self.check_input(&bytes)?;
        let permit = Arc::clone(&self.pool)
            .acquire_owned()
            .await
            .map_err(|_| ConvertError::Worker("conversion pool closed".into()))?;
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            this.to_jpeg_blocking(&bytes)
        })
        .await
        .map_err(|e| ConvertError::Worker(e.to_string()))?
    }

    /// The same conversion on the current thread, outside the pool: for
    /// callers already off the async runtime (fuzzing, benchmarks).
    pub fn to_jpeg_blocking(&self, bytes: &[u8]) -> Result<Converted, ConvertError> {
        self.check_input(bytes)?;
        // The decoders are third-party parsers of untrusted bytes; one that panics on a malformed
        // file (png 0.18.1 does, on a short palette: fuzz-png-palette-panic.png) must give a 450,
        // not take a worker down. Nothing shared is left half-changed by an interrupted decode.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.decode_and_encode(bytes))).unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(ConvertError::Corrupt(format!("the decoder failed on malformed data: {why}")))
        })
    }

    fn decode_and_encode(&self, bytes: &[u8]) -> Result<Converted, ConvertError> {
        match sniff(bytes) {
            MediaKind::Heic | MediaKind::Avif => heif::to_jpeg(&self.heif, bytes, &self.limits),
            MediaKind::Webp => webp::to_jpeg(bytes, &self.limits),
            kind @ (MediaKind::Jpeg | MediaKind::Png | MediaKind::Gif) => {
                raster::to_jpeg(bytes, kind, &self.limits)
            }
            MediaKind::Mp4 | MediaKind::Mov => Err(ConvertError::Unsupported(format!(
                "{} is a video, not an image",
                sniff(bytes).mime()
            ))),
            MediaKind::Unknown => Err(ConvertError::Unsupported(
                "not a recognised image format".into(),
            )),
        }
    }

    fn check_input(&self, bytes: &[u8]) -> Result<(), ConvertError> {
        if bytes.len() > self.limits.max_input_bytes {
            return Err(ConvertError::InputTooLarge {
                size: bytes.len(),
                limit: self.limits.max_input_bytes,
            });
        }
        Ok(())
    }
}
