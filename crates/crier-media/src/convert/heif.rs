//! HEIC and AVIF through libheif (vendored 1.23, statically linked; HEVC by
//! Debian's libde265, AV1 by Debian's libdav1d). libheif handles grids,
//! `irot`/`imir`/`clap` transforms, alpha and 10/12-bit images itself.
//!
//! libheif is C++ parsing untrusted bytes: its security limits stay on and
//! are tightened to crier's pixel limit before the file is parsed, the
//! primary image's size is checked before decoding, and the caller runs this
//! on a bounded worker pool.

use super::jpeg::{self, Layout};
use super::planar::Ycbcr420;
use super::{ConvertError, ConvertLimits, Converted};
use libheif_rs::{
    Chroma, ColorProfile, ColorProfileNCLX, ColorSpace, DecodingOptions, HeifContext, Image,
    ImageHandle, LibHeif, MatrixCoefficients, RgbChroma, color_profile_types,
};

/// Most memory libheif may hold for one image, on top of the output pixels:
/// compressed tiles, YCbCr planes and the RGB conversion.
const HEIF_MEMORY_PER_PIXEL: u64 = 16;

pub(super) fn to_jpeg(
    lib: &LibHeif,
    bytes: &[u8],
    limits: &ConvertLimits,
) -> Result<Converted, ConvertError> {
    let mut ctx: HeifContext<'_> = HeifContext::new()?;
    let mut security = ctx.security_limits();
    security
        .set_max_image_size_pixels(tighter(security.max_image_size_pixels(), limits.max_pixels));
    security.set_max_total_memory(tighter(
        security.max_total_memory(),
        limits.max_pixels.saturating_mul(HEIF_MEMORY_PER_PIXEL),
    ));
    ctx.set_security_limits(&security)?;
    ctx.read_bytes(bytes)?;

    let handle = ctx.primary_image_handle()?;
    // Size after transforms, and the coded size (`ispe`): both must fit.
    limits.check(handle.width(), handle.height())?;
    let (ispe_w, ispe_h) = (handle.ispe_width(), handle.ispe_height());
    if ispe_w > 0 && ispe_h > 0 {
        limits.check(ispe_w as u32, ispe_h as u32)?;
    }

    let icc = handle
        .color_profile_raw()
        .filter(|p| {
            let kind = p.profile_type();
            kind == color_profile_types::PROF || kind == color_profile_types::R_ICC
        })
        .map(|p| p.data);

    let planar_candidate = !handle.has_alpha_channel()
        && handle.luma_bits_per_pixel() == 8
        && handle.chroma_bits_per_pixel() == 8
        && handle.color_profile_nclx().is_none_or(|n| jpeg_matrix(&n));
    if planar_candidate {
        let image = lib.decode(&handle, ColorSpace::YCbCr(Chroma::C420), decoding_options())?;
        if let Some(out) = planar_jpeg(&image, icc.as_deref(), limits)? {
            return Ok(out);
        }
        // The bitstream's matrix is not JPEG's: convert through RGB below.
    }
    rgb_jpeg(lib, &handle, icc.as_deref(), limits)
}

fn decoding_options() -> Option<DecodingOptions> {
    let mut options = DecodingOptions::new();
    if let Some(opts) = options.as_mut() {
        // 10/12-bit HEIC and AVIF come out as 8-bit interleaved RGB.
        opts.set_convert_hdr_to_8bit(true);
        // libheif's default gives libde265 a single thread. Streams coded with
        // wavefronts (x265's default) or tiles decode in parallel with more:
        // the 12 MP sample of scripts/bench-media.sh takes 0.65 s instead of
        // 1.1 s on 2 cores.
        opts.set_num_codec_threads(codec_threads());
    }
    options
}

/// BT.601 (or unspecified, which libheif also reads as BT.601): the matrix
/// JPEG/JFIF uses, so the planes need no conversion.
fn jpeg_matrix(nclx: &ColorProfileNCLX) -> bool {
    matches!(
        nclx.matrix_coefficients(),
        MatrixCoefficients::ITU_R_BT_601_6
            | MatrixCoefficients::ITU_R_BT_470_6_System_B_G
            | MatrixCoefficients::Unspecified
    )
}

/// The YCbCr planes straight into the JPEG, or `None` when the decoded
/// image turns out not to fit that path (matrix, bit depth).
fn planar_jpeg(
    image: &Image,
    icc: Option<&[u8]>,
    limits: &ConvertLimits,
) -> Result<Option<Converted>, ConvertError> {
    if image.color_profile_nclx().is_some_and(|n| !jpeg_matrix(&n)) {
        return Ok(None);
    }
    let limited_range = image
        .color_profile_nclx()
        .is_some_and(|n| n.full_range_flag() == 0);
    let planes = image.planes();
    let (Some(y), Some(cb), Some(cr)) = (planes.y, planes.cb, planes.cr) else {
        return Ok(None);
    };
    if [&y, &cb, &cr].iter().any(|p| p.storage_bits_per_pixel != 8) || cb.stride != cr.stride {
        return Ok(None);
    }
    let (width, height) = (y.width, y.height);
    limits.check(width, height)?;
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Ok(None);
    };
    let source = Ycbcr420 {
        y: y.data,
        y_stride: y.stride,
        cb: cb.data,
        cr: cr.data,
        c_stride: cb.stride,
        width: w,
        height: h,
        limited_range,
    };
    if !source.is_complete() {
        return Err(ConvertError::Corrupt(
            "decoded planes are smaller than the image".into(),
        ));
    }
    let bytes = jpeg::encode_image(source, icc)?;
    Ok(Some(Converted {
        bytes,
        width,
        height,
    }))
}

/// Interleaved 8-bit RGB(A) from libheif, alpha flattened onto white.
fn rgb_jpeg(
    lib: &LibHeif,
    handle: &ImageHandle,
    icc: Option<&[u8]>,
    limits: &ConvertLimits,
) -> Result<Converted, ConvertError> {
    let has_alpha = handle.has_alpha_channel();
    let premultiplied = has_alpha && handle.is_premultiplied_alpha();
    let chroma = if has_alpha {
        RgbChroma::Rgba
    } else {
        RgbChroma::Rgb
    };
    let mut image = lib.decode(handle, ColorSpace::Rgb(chroma), decoding_options())?;

    let planes = image.planes_mut();
    let plane = planes.interleaved.ok_or_else(|| {
        ConvertError::Unsupported("decoder returned no interleaved RGB plane".into())
    })?;
    let layout = if has_alpha {
        Layout::Rgba { premultiplied }
    } else {
        Layout::Rgb
    };
    let (width, height, stride) = (plane.width, plane.height, plane.stride);
    if plane.storage_bits_per_pixel as usize != layout.bytes_per_pixel() * 8 {
        return Err(ConvertError::Unsupported(format!(
            "decoder returned {} bits per pixel",
            plane.storage_bits_per_pixel
        )));
    }
    limits.check(width, height)?;
    let row = width as usize * layout.bytes_per_pixel();
    if stride < row || plane.data.len() < stride * height as usize {
        return Err(ConvertError::Corrupt(
            "decoded plane is smaller than the image".into(),
        ));
    }
    if has_alpha {
        jpeg::flatten_onto_white(plane.data, stride, width as usize, premultiplied);
    }
    let bytes = if stride == row {
        jpeg::encode(plane.data, width, height, layout, icc)?
    } else {
        let packed = jpeg::pack_rows(plane.data, stride, row, height as usize);
        jpeg::encode(&packed, width, height, layout, icc)?
    };
    Ok(Converted {
        bytes,
        width,
        height,
    })
}

fn codec_threads() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8) as u32)
}

/// The smaller of two limits where 0 means "no limit".
fn tighter(current: u64, ours: u64) -> u64 {
    match (current, ours) {
        (0, n) | (n, 0) => n,
        (a, b) => a.min(b),
    }
}
