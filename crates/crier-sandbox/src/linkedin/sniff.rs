//! Media formats by content (magic bytes), as upload pipelines decide them.
//! Unlike the Meta crawler's sniffer this one tells HEIC and AVIF apart
//! from MP4: all three are ISO-BMFF files and differ only in the `ftyp`
//! brand. Shared by the LinkedIn and TikTok emulators.

/// A sniffed media format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Heic,
    Avif,
    Mp4,
    QuickTime,
    Other,
}

impl Format {
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Format::Jpeg
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Format::Png
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Format::Gif
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Format::Webp
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            match &bytes[8..12] {
                b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                    Format::Heic
                }
                b"avif" | b"avis" => Format::Avif,
                b"qt  " => Format::QuickTime,
                _ => Format::Mp4,
            }
        } else {
            Format::Other
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Heic => "image/heic",
            Format::Avif => "image/avif",
            Format::Mp4 => "video/mp4",
            Format::QuickTime => "video/quicktime",
            Format::Other => "application/octet-stream",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Format::Jpeg);
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Format::Webp);
        assert_eq!(Format::sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Format::Heic);
        assert_eq!(Format::sniff(b"\0\0\0\x18ftypavif\0\0\0\0"), Format::Avif);
        assert_eq!(Format::sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Format::Mp4);
        assert_eq!(
            Format::sniff(b"\0\0\0\x14ftypqt  \0\0\0\0"),
            Format::QuickTime
        );
        assert_eq!(Format::sniff(b"hello"), Format::Other);
        assert_eq!(Format::sniff(b""), Format::Other);
    }
}
