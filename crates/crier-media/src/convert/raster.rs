//! JPEG, PNG, GIF and animated WebP (first frame) through the pure-Rust
//! decoders of the `image` crate: header read first, dimensions checked, then
//! one allocation for the pixels, EXIF orientation applied, samples reduced
//! to 8 bits. Still WebP images go through libwebp ([`super::webp`]).

use super::jpeg::{self, Layout};
use super::webp::riff;
use super::{ConvertError, ConvertLimits, Converted};
use crate::MediaKind;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

pub(super) fn to_jpeg(
    bytes: &[u8],
    kind: MediaKind,
    limits: &ConvertLimits,
) -> Result<Converted, ConvertError> {
    let format = match kind {
        MediaKind::Jpeg => ImageFormat::Jpeg,
        MediaKind::Png => ImageFormat::Png,
        MediaKind::Gif => ImageFormat::Gif,
        MediaKind::Webp => ImageFormat::WebP,
        other => {
            return Err(ConvertError::Unsupported(format!(
                "{} is not a raster image",
                other.mime()
            )));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits(limits));
    // Parses the header only; the limits above are checked against it here.
    let mut decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    limits.check(width, height)?;

    // A broken EXIF block is not worth failing the image for. image-webp
    // allocates a metadata chunk at its declared size (up to 4 GiB) before
    // reading it, so a WebP whose chunks run past the end keeps no metadata.
    let (orientation, icc) = if kind != MediaKind::Webp || riff::chunks(bytes).all_fit {
        (
            decoder.orientation().unwrap_or(Orientation::NoTransforms),
            decoder.icc_profile().ok().flatten(),
        )
    } else {
        (Orientation::NoTransforms, None)
    };

    // One buffer of exactly the decoded size, in the decoder's own sample
    // type (WebP and most JPEGs: RGB8, so no conversion copy follows).
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    encode(image, icc.as_deref())
}

/// image's own allocation cap as a second fence (buffers inside the
/// decoders, such as PNG chunks and WebP alpha planes). Width and height are
/// left to [`ConvertLimits::check`], so an oversized header always gives the
/// same [`ConvertError::TooLarge`].
fn decoder_limits(limits: &ConvertLimits) -> Limits {
    let mut l = Limits::default();
    l.max_image_width = None;
    l.max_image_height = None;
    // 16-bit RGBA is the widest sample layout these decoders produce.
    l.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    l
}

pub(super) fn encode(image: DynamicImage, icc: Option<&[u8]>) -> Result<Converted, ConvertError> {
    let (width, height) = (image.width(), image.height());
    let (mut data, layout) = match image {
        DynamicImage::ImageLuma8(buf) => (buf.into_raw(), Layout::Luma),
        DynamicImage::ImageRgb8(buf) => (buf.into_raw(), Layout::Rgb),
        DynamicImage::ImageRgba8(buf) => (
            buf.into_raw(),
            Layout::Rgba {
                premultiplied: false,
            },
        ),
        // Grey with alpha, 16-bit and float images: one conversion to 8 bits.
        other if other.color().has_alpha() => (
            other.into_rgba8().into_raw(),
            Layout::Rgba {
                premultiplied: false,
            },
        ),
        other if other.color().has_color() => (other.into_rgb8().into_raw(), Layout::Rgb),
        other => (other.into_luma8().into_raw(), Layout::Luma),
    };
    if let Layout::Rgba { premultiplied } = layout {
        jpeg::flatten_onto_white(&mut data, width as usize * 4, width as usize, premultiplied);
    }
    let bytes = jpeg::encode(&data, width, height, layout, icc)?;
    Ok(Converted {
        bytes,
        width,
        height,
    })
}
