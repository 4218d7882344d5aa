//! WebP through libwebp (vendored 1.6, statically linked). Lossy WebP is
//! BT.601 YCbCr 4:2:0 inside, like a JPEG, in studio range (libwebp's
//! `dsp/yuv.h`: `R = 1.164 (Y - 16) + 1.596 (V - 128)`), so an opaque, upright
//! lossy picture goes to the JPEG encoder as planes, stretched to JPEG's
//! full range on the way (no RGB buffer, no colour conversion).
//!
//! Lossless (VP8L), alpha and EXIF-rotated pictures are decoded by libwebp
//! to RGB(A) in a Rust buffer, rotated and flattened onto white. Animations
//! (which libwebp's decoding API refuses) keep image-webp's first frame.
//!
//! Safety: the VP8X canvas and the bitstream header are checked against
//! [`ConvertLimits`] before any pixel memory exists; libwebp decodes only
//! into buffers of exactly the checked size (see [`libwebp`]).

mod libwebp;
pub(super) mod riff;

use super::jpeg;
use super::planar::Ycbcr420;
use super::{ConvertError, ConvertLimits, Converted, raster};
use crate::MediaKind;
use image::metadata::Orientation;
use image::{DynamicImage, RgbImage, RgbaImage};

pub(super) fn to_jpeg(bytes: &[u8], limits: &ConvertLimits) -> Result<Converted, ConvertError> {
    let chunks = riff::chunks(bytes);
    // libwebp calls a still image whose canvas differs from its frame
    // corrupt; an oversized canvas is reported as such first.
    if let Some((width, height)) = chunks.canvas {
        limits.check(width, height)?;
    }
    let fitted = riff::riff_size_fitted(bytes);
    let bytes = &fitted[..];
    let features = libwebp::features(bytes)?;
    limits.check(features.width, features.height)?;
    if features.has_animation {
        return raster::to_jpeg(bytes, MediaKind::Webp, limits);
    }

    // A broken EXIF block is not worth failing the image for.
    let orientation = chunks
        .exif
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let (width, height) = (features.width, features.height);
    if features.lossy && !features.has_alpha && orientation == Orientation::NoTransforms {
        return planar_jpeg(bytes, width, height, chunks.icc);
    }

    let pixels = libwebp::decode_rgb(bytes, width, height, features.has_alpha)?;
    let mismatch = || ConvertError::Corrupt("decoded WebP buffer has the wrong size".into());
    let mut image = if features.has_alpha {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels).ok_or_else(mismatch)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels).ok_or_else(mismatch)?)
    };
    image.apply_orientation(orientation);
    raster::encode(image, chunks.icc)
}

fn planar_jpeg(
    bytes: &[u8],
    width: u32,
    height: u32,
    icc: Option<&[u8]>,
) -> Result<Converted, ConvertError> {
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(ConvertError::Encode(format!(
            "{width}x{height} is beyond JPEG's 65535-pixel sides"
        )));
    };
    let planes = libwebp::decode_yuv420(bytes, width, height)?;
    let source = Ycbcr420 {
        y: &planes.y,
        y_stride: usize::from(w),
        cb: &planes.u,
        cr: &planes.v,
        c_stride: usize::from(w).div_ceil(2),
        width: w,
        height: h,
        limited_range: true,
    };
    if !source.is_complete() {
        return Err(ConvertError::Corrupt(
            "decoded planes are smaller than the image".into(),
        ));
    }
    let bytes = jpeg::encode_image(source, icc)?;
    Ok(Converted {
        bytes,
        width,
        height,
    })
}
