//! The RIFF container around a WebP bitstream, read in safe Rust for what
//! libwebp's decoding API does not return: the VP8X canvas size, and the
//! `ICCP` and `EXIF` chunks. Container layout: Google's "WebP Container
//! Specification" (developers.google.com/speed/webp/docs/riff_container).
//!
//! Chunks are borrowed from the input, never copied or sized from their
//! headers, so a chunk declaring gigabytes costs nothing (see the fixture
//! `fuzz-webp-exif-2gb.webp`).

use std::borrow::Cow;

/// The top-level chunks that lie wholly inside the data.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Chunks<'a> {
    /// Canvas size from a `VP8X` chunk (extended format only).
    pub canvas: Option<(u32, u32)>,
    pub icc: Option<&'a [u8]>,
    /// TIFF-structured EXIF data (an `Exif\0\0` prefix some writers add is removed).
    pub exif: Option<&'a [u8]>,
    /// Whether every chunk header's size fits the data.
    pub all_fit: bool,
}

/// Walks the chunks after `RIFF <size> WEBP`, stopping at the first one that
/// runs past the end of `bytes`. The first `ICCP` and `EXIF` are kept.
pub(crate) fn chunks(bytes: &[u8]) -> Chunks<'_> {
    let mut out = Chunks {
        all_fit: true,
        ..Chunks::default()
    };
    let mut at = 12; // "RIFF", size, "WEBP"
    while at < bytes.len() {
        let Some(header) = bytes.get(at..at + 8) else {
            out.all_fit = false;
            break;
        };
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        // The padding byte of the last chunk is often missing in real files.
        let Some(payload) = bytes.get(at + 8..).and_then(|rest| rest.get(..size)) else {
            out.all_fit = false;
            break;
        };
        match &header[..4] {
            b"VP8X" if payload.len() >= 10 && out.canvas.is_none() => {
                let side = |b: &[u8]| 1 + u32::from_le_bytes([b[0], b[1], b[2], 0]);
                out.canvas = Some((side(&payload[4..7]), side(&payload[7..10])));
            }
            b"ICCP" if out.icc.is_none() => out.icc = Some(payload),
            b"EXIF" if out.exif.is_none() => {
                out.exif = Some(payload.strip_prefix(b"Exif\0\0").unwrap_or(payload));
            }
            _ => {}
        }
        at += 8 + size + (size & 1);
    }
    out
}

/// `bytes` with the RIFF header's size lowered to the data actually there,
/// when it claims more. libwebp refuses such a file outright (it is cut
/// short, or a metadata chunk after the picture lies about its size), while
/// the picture's own chunk may be whole: then it still decodes, and a cut
/// picture is still refused as truncated.
pub(crate) fn riff_size_fitted(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(declared) = bytes.get(4..8) else {
        return Cow::Borrowed(bytes);
    };
    let declared = u32::from_le_bytes([declared[0], declared[1], declared[2], declared[3]]);
    let present = bytes.len() - 8;
    match u32::try_from(present) {
        Ok(present) if declared as usize > bytes.len() - 8 => {
            let mut owned = bytes.to_vec();
            owned[4..8].copy_from_slice(&present.to_le_bytes());
            Cow::Owned(owned)
        }
        _ => Cow::Borrowed(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::{chunks, riff_size_fitted};

    fn webp(chunks: &[(&[u8; 4], u32, &[u8])]) -> Vec<u8> {
        let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
        for (kind, declared, data) in chunks {
            out.extend_from_slice(*kind);
            out.extend_from_slice(&declared.to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    #[test]
    fn chunk_sizes_are_checked_against_the_data() {
        assert!(chunks(&webp(&[(b"VP8 ", 10, &[0; 10]), (b"EXIF", 4, b"II*\0")])).all_fit);
        // Odd size with its padding byte missing at the very end: accepted.
        assert!(chunks(&webp(&[(b"VP8 ", 10, &[0; 10]), (b"EXIF", 3, b"II*")])).all_fit);
        let file = webp(&[(b"VP8 ", 10, &[0; 10]), (b"EXIF", 0x8500_0000, &[0; 20])]);
        let huge = chunks(&file);
        assert!(!huge.all_fit);
        assert_eq!(huge.exif, None);
        assert!(!chunks(&webp(&[(b"VP8 ", 10, &[0; 4])])).all_fit);
        // A chunk header cut short.
        let mut cut = webp(&[(b"VP8 ", 10, &[0; 10])]);
        cut.extend_from_slice(b"EXIF");
        assert!(!chunks(&cut).all_fit);
    }

    #[test]
    fn an_overstated_riff_size_is_lowered() {
        let mut file = webp(&[(b"VP8 ", 2, &[0; 2])]);
        file[4] = 0xFF;
        assert_eq!(riff_size_fitted(&file)[4..8], 14u32.to_le_bytes());
        file[4] = 14;
        assert!(matches!(
            riff_size_fitted(&file),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(riff_size_fitted(b"RIFF")[..], *b"RIFF");
    }

    #[test]
    fn canvas_icc_and_exif_are_found() {
        // VP8X: flags, 3 reserved bytes, width-1 and height-1 as 24-bit LE.
        let vp8x = [0x28, 0, 0, 0, 0x5F, 0xEA, 0, 0x3F, 0x9C, 0];
        let file = webp(&[
            (b"VP8X", 10, &vp8x),
            (b"ICCP", 3, b"icc\0"),
            (b"VP8 ", 2, &[0; 2]),
            (b"EXIF", 10, b"Exif\0\0MM\0*"),
        ]);
        let found = chunks(&file);
        assert_eq!(found.canvas, Some((60_000, 40_000)));
        assert_eq!(found.icc, Some(b"icc".as_slice()));
        assert_eq!(found.exif, Some(b"MM\0*".as_slice()));
        assert!(found.all_fit);
    }
}
