//! Why a conversion to JPEG failed, worded for users: the `Display` of a
//! [`ConvertError`] is the cause that becomes the `details` of error 450.

use image::ImageError;
use image::error::LimitErrorKind;
use libheif_rs::{HeifError, HeifErrorCode, HeifErrorSubCode};

/// A conversion that could not produce a JPEG. Never retryable: the same
/// bytes fail the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// The body is larger than [`super::ConvertLimits::max_input_bytes`].
    #[error("image file is {size} bytes, over the {limit}-byte limit")]
    InputTooLarge { size: usize, limit: usize },

    /// The header announces more pixels, or a longer side, than the limits
    /// allow. Found before any pixel memory is allocated.
    #[error(
        "image is {width}x{height} pixels, over the limit of {max_dimension} pixels per side \
         and {max_pixels} pixels in total"
    )]
    TooLarge {
        width: u32,
        height: u32,
        max_dimension: u32,
        max_pixels: u64,
    },

    /// The decoder itself refused to go on because of a memory or security
    /// limit (image's `Limits`, libheif's security limits).
    #[error("image exceeds a decoder limit: {0}")]
    DecoderLimit(String),

    /// The bytes are not an image, or an image whose inner format (codec,
    /// colour model, feature) crier cannot decode.
    #[error("unsupported image format: {0}")]
    Unsupported(String),

    /// The data ends before the image does.
    #[error("image data is truncated: {0}")]
    Truncated(String),

    /// The data is not a valid image of the format its header claims.
    #[error("image data is corrupt: {0}")]
    Corrupt(String),

    /// The decoded image could not be written as JPEG.
    #[error("JPEG encoding failed: {0}")]
    Encode(String),

    /// The worker thread died (a panic inside a decoder) or was cancelled.
    #[error("image conversion stopped unexpectedly: {0}")]
    Worker(String),
}

impl From<ImageError> for ConvertError {
    fn from(err: ImageError) -> Self {
        match err {
            ImageError::Limits(limit) => match limit.kind() {
                LimitErrorKind::DimensionError | LimitErrorKind::InsufficientMemory => {
                    ConvertError::DecoderLimit(limit.to_string())
                }
                _ => ConvertError::Unsupported(limit.to_string()),
            },
            ImageError::Unsupported(e) => ConvertError::Unsupported(e.to_string()),
            ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                ConvertError::Truncated(e.to_string())
            }
            ImageError::IoError(e) => ConvertError::Corrupt(e.to_string()),
            ImageError::Decoding(e) => {
                let text = e.to_string();
                // The pure-Rust decoders report a short file as a decoding error
                // whose text names the end of the data.
                if mentions_eof(&text) {
                    ConvertError::Truncated(text)
                } else {
                    ConvertError::Corrupt(text)
                }
            }
            other => ConvertError::Corrupt(other.to_string()),
        }
    }
}

impl From<HeifError> for ConvertError {
    fn from(err: HeifError) -> Self {
        let text = if err.message.is_empty() {
            format!("{:?}", err.sub_code)
        } else {
            err.message.clone()
        };
        match (err.code, err.sub_code) {
            (_, HeifErrorSubCode::EndOfData) => ConvertError::Truncated(text),
            (_, HeifErrorSubCode::SecurityLimitExceeded)
            | (HeifErrorCode::MemoryAllocationError, _) => ConvertError::DecoderLimit(text),
            (HeifErrorCode::UnsupportedFileType | HeifErrorCode::UnsupportedFeature, _) => {
                ConvertError::Unsupported(text)
            }
            _ => ConvertError::Corrupt(text),
        }
    }
}

fn mentions_eof(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "eof",
        "end of file",
        "unexpected end",
        "truncated",
        "not enough data",
        "no more data",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}
