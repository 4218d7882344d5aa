//! Media formats by content (magic bytes), as the networks' ingestion
//! pipelines decide them: never by file extension or `Content-Type`.
//! HEIC, AVIF, MP4 and QuickTime are all ISO-BMFF files and differ only in
//! the `ftyp` major brand, so the brand is read rather than the box alone.

/// A sniffed media format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaFormat {
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    Tiff,
    Heic,
    Avif,
    Mp4,
    QuickTime,
    Other,
}

/// `ftyp` brands of HEIF images (HEIC and its multi-image/sequence kin).
const HEIF_BRANDS: [&[u8; 4]; 8] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
];

impl MediaFormat {
    /// The format of a file from its first bytes (64 are plenty).
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            MediaFormat::Jpeg
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            MediaFormat::Png
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            MediaFormat::Gif
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            MediaFormat::Webp
        } else if bytes.starts_with(b"BM") && bytes.len() >= 14 {
            // 14 bytes: the BITMAPFILEHEADER; a bare "BM" is no bitmap.
            MediaFormat::Bmp
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            MediaFormat::Tiff
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            match &bytes[8..12] {
                brand if HEIF_BRANDS.iter().any(|b| b.as_slice() == brand) => MediaFormat::Heic,
                b"avif" | b"avis" => MediaFormat::Avif,
                b"qt  " => MediaFormat::QuickTime,
                _ => MediaFormat::Mp4,
            }
        } else {
            MediaFormat::Other
        }
    }

    /// The MIME type; `None` for [`MediaFormat::Other`] (each network has
    /// its own word for "unknown" in its error texts).
    pub(crate) fn mime(self) -> Option<&'static str> {
        Some(match self {
            MediaFormat::Jpeg => "image/jpeg",
            MediaFormat::Png => "image/png",
            MediaFormat::Gif => "image/gif",
            MediaFormat::Webp => "image/webp",
            MediaFormat::Bmp => "image/bmp",
            MediaFormat::Tiff => "image/tiff",
            MediaFormat::Heic => "image/heic",
            MediaFormat::Avif => "image/avif",
            MediaFormat::Mp4 => "video/mp4",
            MediaFormat::QuickTime => "video/quicktime",
            MediaFormat::Other => return None,
        })
    }

    /// JPEG, PNG, GIF or WebP: the images every network that takes images
    /// by URL reads (Meta takes no other).
    pub(crate) fn is_web_image(self) -> bool {
        matches!(
            self,
            MediaFormat::Jpeg | MediaFormat::Png | MediaFormat::Gif | MediaFormat::Webp
        )
    }

    pub(crate) fn is_video(self) -> bool {
        matches!(self, MediaFormat::Mp4 | MediaFormat::QuickTime)
    }
}

#[cfg(test)]
mod tests {
    use super::MediaFormat::{self, *};

    #[test]
    fn sniffs_by_content() {
        let cases: [(&[u8], MediaFormat); 14] = [
            (&[0xFF, 0xD8, 0xFF, 0xE0], Jpeg),
            (b"\x89PNG\r\n\x1a\n\0\0", Png),
            (b"GIF89a\x01\0", Gif),
            (b"RIFF\0\0\0\0WEBPVP8 ", Webp),
            (b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0", Bmp),
            (b"II*\0\x08\0\0\0", Tiff),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Heic),
            (b"\0\0\0\x18ftypmif1\0\0\0\0", Heic),
            (b"\0\0\0\x18ftypavif\0\0\0\0", Avif),
            (b"\0\0\0\x18ftypisom\0\0\x02\0", Mp4),
            (b"\0\0\0\x14ftypqt  \0\0\0\0", QuickTime),
            (b"BM", Other),
            (b"<html>", Other),
            (b"", Other),
        ];
        for (bytes, format) in cases {
            assert_eq!(MediaFormat::sniff(bytes), format, "{bytes:?}");
        }
    }

    #[test]
    fn heif_and_avif_are_images_not_videos() {
        // Meta's old sniffer read both as MP4 (a video).
        for format in [Heic, Avif] {
            assert!(!format.is_video() && !format.is_web_image());
            assert!(format.mime().is_some_and(|m| m.starts_with("image/")));
        }
        assert!(Mp4.is_video() && QuickTime.is_video() && Webp.is_web_image());
        assert!(!Bmp.is_web_image() && Other.mime().is_none());
    }
}
