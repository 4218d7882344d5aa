//! `sniff` on hand-built headers of each kind.

mod support;

use crier_media::{MediaKind, sniff};
use support::ftyp;

#[test]
fn classic_image_formats() {
    assert_eq!(sniff(&support::jpeg()), MediaKind::Jpeg);
    assert_eq!(sniff(&support::png()), MediaKind::Png);
    assert_eq!(sniff(&support::gif()), MediaKind::Gif);
    assert_eq!(sniff(b"GIF87a\x01\x00\x01\x00"), MediaKind::Gif);
    assert_eq!(sniff(&support::webp()), MediaKind::Webp);
}

/// (major brand, compatible brands, expected kind)
type BrandCase = (&'static [u8; 4], &'static [&'static [u8; 4]], MediaKind);

#[test]
fn iso_bmff_brands() {
    let cases: &[BrandCase] = &[
        (b"heic", &[b"mif1", b"heic"], MediaKind::Heic),
        (b"heic", &[], MediaKind::Heic),
        (b"mif1", &[b"heic"], MediaKind::Heic),
        (b"mif1", &[b"mif1", b"miaf", b"heix"], MediaKind::Heic),
        (b"mif1", &[], MediaKind::Heic),
        (b"avif", &[b"mif1", b"miaf", b"MA1B"], MediaKind::Avif),
        (b"mif1", &[b"mif1", b"miaf", b"avif"], MediaKind::Avif),
        (b"avis", &[b"msf1", b"avif"], MediaKind::Avif),
        (
            b"isom",
            &[b"isom", b"iso2", b"avc1", b"mp41"],
            MediaKind::Mp4,
        ),
        (b"mp42", &[b"isom", b"mp42"], MediaKind::Mp4),
        (b"qt  ", &[b"qt  "], MediaKind::Mov),
        (b"XXXX", &[b"qt  "], MediaKind::Mov),
        (b"XXXX", &[b"YYYY"], MediaKind::Unknown),
    ];
    for (major, compatible, kind) in cases {
        let bytes = ftyp(major, compatible);
        assert_eq!(
            sniff(&bytes),
            *kind,
            "major {:?}",
            String::from_utf8_lossy(*major)
        );
    }
}

#[test]
fn brands_past_the_ftyp_box_do_not_count() {
    // A box that claims 16 bytes: the "heic" after it belongs to the next box.
    let mut bytes = ftyp(b"XXXX", &[]);
    bytes.truncate(16);
    bytes.extend_from_slice(b"heic");
    assert_eq!(sniff(&bytes), MediaKind::Unknown);
}

#[test]
fn garbage_and_truncated_input_is_unknown() {
    for bytes in [
        &b""[..],
        b"\xFF\xD8",
        b"\x89PNG",
        b"GIF8",
        b"RIFF\0\0\0\0WAVE",
        b"RIFF",
        b"<html><body>hello</body></html>",
        b"\0\0\0\x18ftyp",
        b"\0\0\0\x08ftypheic",
        b"\0\0\0\x04ftypheic\0\0\0\0",
        b"\xff\xff\xff\xffftyp",
    ] {
        assert_eq!(sniff(bytes), MediaKind::Unknown, "{bytes:?}");
    }
}

#[test]
fn mime_and_categories() {
    let all = [
        (MediaKind::Jpeg, "image/jpeg", true, false),
        (MediaKind::Png, "image/png", true, false),
        (MediaKind::Gif, "image/gif", true, false),
        (MediaKind::Webp, "image/webp", true, false),
        (MediaKind::Heic, "image/heic", true, false),
        (MediaKind::Avif, "image/avif", true, false),
        (MediaKind::Mp4, "video/mp4", false, true),
        (MediaKind::Mov, "video/quicktime", false, true),
        (MediaKind::Unknown, "application/octet-stream", false, false),
    ];
    for (kind, mime, image, video) in all {
        assert_eq!(kind.mime(), mime);
        assert_eq!(kind.is_image(), image, "{kind:?}");
        assert_eq!(kind.is_video(), video, "{kind:?}");
    }
}
