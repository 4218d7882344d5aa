//! The only `unsafe` of the WebP path: libwebp's header parser and decoder
//! (libwebp-sys, vendored libwebp 1.6), wrapped so that callers cannot get
//! the invariants wrong.
//!
//! Every decode writes into buffers owned by Rust (`is_external_memory`):
//! libwebp checks their sizes and strides against the frame size itself
//! (`CheckDecBuffer`) before writing a byte, never allocates the output, and
//! so nothing it returns needs freeing by hand. Its internal scratch memory
//! is freed by `WebPDecode` on every return path. API: libwebp's
//! `src/webp/decode.h` (advanced decoding API).

use super::super::ConvertError;
use libwebp_sys::{
    VP8StatusCode, WEBP_CSP_MODE, WebPBitstreamFeatures, WebPDecode, WebPDecoderConfig,
    WebPFreeDecBuffer, WebPGetFeatures, WebPRGBABuffer, WebPYUVABuffer,
};
use std::ffi::c_int;

/// What the bitstream header says, before any pixel is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Features {
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
    pub has_animation: bool,
    /// VP8 (lossy) rather than VP8L (lossless) or an animation's mix.
    pub lossy: bool,
}

/// Parses the RIFF/VP8X/VP8/VP8L headers only (no allocation by libwebp).
pub(super) fn features(bytes: &[u8]) -> Result<Features, ConvertError> {
    let mut raw = WebPBitstreamFeatures {
        width: 0,
        height: 0,
        has_alpha: 0,
        has_animation: 0,
        format: 0,
        pad: [0; 5],
    };
    // SAFETY: `bytes` is a live slice of `bytes.len()` readable bytes and
    // `raw` is a valid, exclusively borrowed struct for libwebp to fill.
    let status = unsafe { WebPGetFeatures(bytes.as_ptr(), bytes.len(), &mut raw) };
    check(status, "header")?;
    let (Ok(width), Ok(height)) = (u32::try_from(raw.width), u32::try_from(raw.height)) else {
        return Err(ConvertError::Corrupt(format!(
            "WebP header says {}x{}",
            raw.width, raw.height
        )));
    };
    Ok(Features {
        width,
        height,
        has_alpha: raw.has_alpha != 0,
        has_animation: raw.has_animation != 0,
        lossy: raw.format == 1,
    })
}

/// Decoded 8-bit YCbCr 4:2:0 planes, tightly packed: `y` is `width` ×
/// `height`, `u` and `v` are `width.div_ceil(2)` × `height.div_ceil(2)`.
/// Values are BT.601 studio range, as VP8 codes them.
pub(super) struct Yuv420 {
    pub y: Vec<u8>,
    pub u: Vec<u8>,
    pub v: Vec<u8>,
}

/// Decodes a still WebP of exactly `width` × `height` (from [`features`],
/// already checked against the limits) to YCbCr 4:2:0. Alpha, if any, is
/// dropped: call this for opaque pictures only.
pub(super) fn decode_yuv420(bytes: &[u8], width: u32, height: u32) -> Result<Yuv420, ConvertError> {
    let (w, h) = dimensions(width, height)?;
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let mut planes = Yuv420 {
        y: vec![0; w * h],
        u: vec![0; cw * ch],
        v: vec![0; cw * ch],
    };
    let mut config = decoder_config()?;
    config.output.colorspace = WEBP_CSP_MODE::MODE_YUV;
    config.output.u.YUVA = WebPYUVABuffer {
        y: planes.y.as_mut_ptr(),
        u: planes.u.as_mut_ptr(),
        v: planes.v.as_mut_ptr(),
        a: std::ptr::null_mut(),
        y_stride: stride(w)?,
        u_stride: stride(cw)?,
        v_stride: stride(cw)?,
        a_stride: 0,
        y_size: planes.y.len(),
        u_size: planes.u.len(),
        v_size: planes.v.len(),
        a_size: 0,
    };
    // SAFETY: the three pointers address Vecs of the sizes given, which
    // outlive the call and are not otherwise touched during it; libwebp
    // refuses (INVALID_PARAM) a frame that does not fit them.
    unsafe { decode_into(bytes, &mut config, w, h) }?;
    Ok(planes)
}

/// Decodes a still WebP of exactly `width` × `height` to tightly packed
/// 8-bit RGB, or RGBA (straight, not premultiplied, alpha) when `alpha`.
pub(super) fn decode_rgb(
    bytes: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
) -> Result<Vec<u8>, ConvertError> {
    let (w, h) = dimensions(width, height)?;
    let (mode, bpp) = if alpha {
        (WEBP_CSP_MODE::MODE_RGBA, 4)
    } else {
        (WEBP_CSP_MODE::MODE_RGB, 3)
    };
    let row = w.checked_mul(bpp).ok_or_else(too_wide)?;
    let mut pixels = vec![0u8; row * h];
    let mut config = decoder_config()?;
    config.output.colorspace = mode;
    config.output.u.RGBA = WebPRGBABuffer {
        rgba: pixels.as_mut_ptr(),
        stride: stride(row)?,
        size: pixels.len(),
    };
    // SAFETY: as in `decode_yuv420`, one Vec of `size` bytes.
    unsafe { decode_into(bytes, &mut config, w, h) }?;
    Ok(pixels)
}

/// Runs `WebPDecode` into the external buffer set up in `config`, then
/// checks that the frame had the size the buffers were made for.
///
/// # Safety
/// `config.output` must describe Rust-owned memory (pointers, strides and
/// sizes) that is valid for writes for the whole call.
unsafe fn decode_into(
    bytes: &[u8],
    config: &mut WebPDecoderConfig,
    w: usize,
    h: usize,
) -> Result<(), ConvertError> {
    config.output.is_external_memory = 1;
    // libwebp's own worker thread: filtering runs beside the parsing (lossy).
    config.options.use_threads = 1;
    // SAFETY: `bytes` is readable for its length; `config` was initialised
    // by `WebPInitDecoderConfig` and its output buffer is valid per the
    // caller's contract.
    let status = unsafe { WebPDecode(bytes.as_ptr(), bytes.len(), config) };
    // External memory: this only clears libwebp's bookkeeping, frees nothing
    // of ours. Called on every path, as decode.h asks.
    // SAFETY: `config.output` is the buffer `WebPDecode` just used.
    unsafe { WebPFreeDecBuffer(&mut config.output) };
    check(status, "data")?;
    let (got_w, got_h) = (config.output.width, config.output.height);
    if usize::try_from(got_w).ok() != Some(w) || usize::try_from(got_h).ok() != Some(h) {
        return Err(ConvertError::Corrupt(format!(
            "WebP frame is {got_w}x{got_h}, header said {w}x{h}"
        )));
    }
    Ok(())
}

fn decoder_config() -> Result<WebPDecoderConfig, ConvertError> {
    // Fails only on an ABI version mismatch between the bindings and the C code.
    WebPDecoderConfig::new()
        .map_err(|()| ConvertError::Worker("libwebp decoder config version mismatch".into()))
}

fn dimensions(width: u32, height: u32) -> Result<(usize, usize), ConvertError> {
    // WebP frames are at most 16384 per side; anything else is a caller bug
    // or a lying header, refused before allocating.
    if width == 0 || height == 0 || width > 16_384 || height > 16_384 {
        return Err(ConvertError::Corrupt(format!(
            "WebP frame of {width}x{height}"
        )));
    }
    Ok((width as usize, height as usize))
}

fn stride(bytes: usize) -> Result<c_int, ConvertError> {
    c_int::try_from(bytes).map_err(|_| too_wide())
}

fn too_wide() -> ConvertError {
    ConvertError::Corrupt("WebP row too wide".into())
}

fn check(status: VP8StatusCode, what: &str) -> Result<(), ConvertError> {
    use VP8StatusCode::*;
    let text = |cause: &str| format!("WebP {what}: {cause}");
    match status {
        VP8_STATUS_OK => Ok(()),
        VP8_STATUS_NOT_ENOUGH_DATA => Err(ConvertError::Truncated(text("not enough data"))),
        VP8_STATUS_OUT_OF_MEMORY => Err(ConvertError::DecoderLimit(text("out of memory"))),
        VP8_STATUS_UNSUPPORTED_FEATURE => {
            Err(ConvertError::Unsupported(text("unsupported feature")))
        }
        VP8_STATUS_BITSTREAM_ERROR => Err(ConvertError::Corrupt(text("bitstream error"))),
        VP8_STATUS_INVALID_PARAM | VP8_STATUS_SUSPENDED | VP8_STATUS_USER_ABORT => Err(
            ConvertError::Corrupt(text(&format!("decoder stopped ({status:?})"))),
        ),
    }
}
