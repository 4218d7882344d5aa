//! The last step of every conversion: 8-bit pixels, alpha flattened onto
//! white, written as a baseline JPEG (quality 85, 4:2:0) with jpeg-encoder.

use super::ConvertError;
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, Encoder, ImageBuffer, SamplingFactor};

/// JPEG quality for every converted image: the usual web trade-off between
/// size and visible artefacts (the networks recompress anyway).
pub(super) const QUALITY: u8 = 85;

/// How 8-bit samples are laid out in a decoded buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    Luma,
    Rgb,
    /// RGBA; `premultiplied` when colour samples are already multiplied by alpha.
    Rgba {
        premultiplied: bool,
    },
}

impl Layout {
    pub(super) fn bytes_per_pixel(self) -> usize {
        match self {
            Layout::Luma => 1,
            Layout::Rgb => 3,
            Layout::Rgba { .. } => 4,
        }
    }
}

/// Composites RGBA pixels in place over an opaque white background. The
/// alpha byte stays (jpeg-encoder ignores it), which saves a copy to RGB.
/// `row_bytes` is the stride; bytes after `width * 4` in a row are padding.
pub(super) fn flatten_onto_white(
    data: &mut [u8],
    row_bytes: usize,
    width: usize,
    premultiplied: bool,
) {
    if row_bytes == 0 {
        return;
    }
    for row in data.chunks_mut(row_bytes) {
        let pixels = row.len().min(width * 4);
        for px in row[..pixels].chunks_exact_mut(4) {
            let alpha = u32::from(px[3]);
            if alpha == 255 {
                continue;
            }
            let background = 255 * (255 - alpha);
            for c in &mut px[..3] {
                let colour = if premultiplied {
                    u32::from(*c) * 255
                } else {
                    u32::from(*c) * alpha
                };
                // Rounded division by 255, clamped for premultiplied values above alpha.
                *c = ((colour + background + 127) / 255).min(255) as u8;
            }
            px[3] = 255;
        }
    }
}

/// Encodes tightly packed rows (`data.len() >= width * height * bpp`).
/// `icc` is embedded as APP2 chunks when given and small enough; a profile
/// that does not fit is dropped rather than failing the conversion.
pub(super) fn encode(
    data: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, ConvertError> {
    let too_large = || {
        ConvertError::Encode(format!(
            "{width}x{height} is beyond JPEG's 65535-pixel sides"
        ))
    };
    let w = u16::try_from(width).map_err(|_| too_large())?;
    let h = u16::try_from(height).map_err(|_| too_large())?;
    let color = match layout {
        Layout::Luma => ColorType::Luma,
        Layout::Rgb => ColorType::Rgb,
        Layout::Rgba { .. } => ColorType::Rgba,
    };

    // A quality-85 JPEG is usually under 1/8 of the raw pixels.
    let mut out = Vec::with_capacity(data.len() / 8 + 4096);
    configured(&mut out, icc)
        .encode(data, w, h, color)
        .map_err(|e| ConvertError::Encode(e.to_string()))?;
    Ok(out)
}

/// Encodes pixels supplied row by row (planar YCbCr from libheif).
pub(super) fn encode_image(
    image: impl ImageBuffer,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, ConvertError> {
    let pixels = usize::from(image.width()) * usize::from(image.height());
    let mut out = Vec::with_capacity(pixels * 3 / 8 + 4096);
    configured(&mut out, icc)
        .encode_image(image)
        .map_err(|e| ConvertError::Encode(e.to_string()))?;
    Ok(out)
}

fn configured<'a>(out: &'a mut Vec<u8>, icc: Option<&[u8]>) -> Encoder<&'a mut Vec<u8>> {
    let mut encoder = Encoder::new(out, QUALITY);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    // Box-averaged chroma like libjpeg (vips, ImageMagick): fewer colour
    // fringes on edges than picking the top-left sample.
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    if let Some(profile) = icc.filter(|p| !p.is_empty())
        && let Err(err) = encoder.add_icc_profile(profile)
    {
        tracing::debug!(%err, "ICC profile not embedded");
    }
    encoder
}

/// Copies rows of `row_bytes` stride into a packed buffer, only when the
/// decoder padded its rows.
pub(super) fn pack_rows(
    data: &[u8],
    row_bytes: usize,
    packed_row: usize,
    height: usize,
) -> Vec<u8> {
    let mut packed = Vec::with_capacity(packed_row * height);
    for row in data.chunks(row_bytes).take(height) {
        packed.extend_from_slice(&row[..packed_row.min(row.len())]);
    }
    packed
}
