//! Format detection from magic bytes only: never the URL or Content-Type.

/// What a fetched body really is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Heic,
    Avif,
    Mp4,
    Mov,
    Unknown,
}

impl MediaKind {
    pub fn mime(self) -> &'static str {
        match self {
            MediaKind::Jpeg => "image/jpeg",
            MediaKind::Png => "image/png",
            MediaKind::Gif => "image/gif",
            MediaKind::Webp => "image/webp",
            MediaKind::Heic => "image/heic",
            MediaKind::Avif => "image/avif",
            MediaKind::Mp4 => "video/mp4",
            MediaKind::Mov => "video/quicktime",
            MediaKind::Unknown => "application/octet-stream",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            MediaKind::Jpeg
                | MediaKind::Png
                | MediaKind::Gif
                | MediaKind::Webp
                | MediaKind::Heic
                | MediaKind::Avif
        )
    }

    pub fn is_video(self) -> bool {
        matches!(self, MediaKind::Mp4 | MediaKind::Mov)
    }
}

const AVIF_BRANDS: &[&[u8; 4]] = &[b"avif", b"avis"];
const HEIC_BRANDS: &[&[u8; 4]] = &[
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
];
/// Generic HEIF brands: image or sequence, codec not named.
const HEIF_BRANDS: &[&[u8; 4]] = &[b"mif1", b"msf1"];
const MOV_BRANDS: &[&[u8; 4]] = &[b"qt  "];
const MP4_BRANDS: &[&[u8; 4]] = &[
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash",
    b"M4V ", b"MSNV", b"f4v ",
];

/// The format of `bytes`, from their magic numbers. HEIC, AVIF, MP4 and MOV
/// share the ISO-BMFF container and are told apart by the `ftyp` brands:
/// the major brand if it is specific, else the compatible brands in the
/// order AVIF, HEIC, MOV, MP4, then a bare `mif1`/`msf1` as HEIC.
pub fn sniff(bytes: &[u8]) -> MediaKind {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        MediaKind::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        MediaKind::Png
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        MediaKind::Gif
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        MediaKind::Webp
    } else {
        sniff_ftyp(bytes).unwrap_or(MediaKind::Unknown)
    }
}

fn sniff_ftyp(bytes: &[u8]) -> Option<MediaKind> {
    if bytes.get(4..8)? != b"ftyp" {
        return None;
    }
    let size = u32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?) as usize;
    // size 0 means "to the end of the file"; 1 (64-bit size) never occurs
    // for ftyp in practice and is treated as the end of the file too.
    let end = match size {
        0 | 1 => bytes.len(),
        n if n < 16 => return None,
        n => n.min(bytes.len()),
    };
    let major: &[u8; 4] = bytes.get(8..12)?.try_into().ok()?;
    let compatible: Vec<&[u8; 4]> = bytes
        .get(16..end)
        .unwrap_or_default()
        .chunks_exact(4)
        .filter_map(|c| c.try_into().ok())
        .collect();

    let specific = [
        (AVIF_BRANDS, MediaKind::Avif),
        (HEIC_BRANDS, MediaKind::Heic),
        (MOV_BRANDS, MediaKind::Mov),
        (MP4_BRANDS, MediaKind::Mp4),
    ];
    if let Some((_, kind)) = specific.iter().find(|(brands, _)| brands.contains(&major)) {
        return Some(*kind);
    }
    if let Some((_, kind)) = specific
        .iter()
        .find(|(brands, _)| compatible.iter().any(|b| brands.contains(b)))
    {
        return Some(*kind);
    }
    if HEIF_BRANDS.contains(&major) || compatible.iter().any(|b| HEIF_BRANDS.contains(b)) {
        return Some(MediaKind::Heic);
    }
    None
}
