//! Arbitrary bytes through format sniffing and the whole JPEG conversion
//! (libwebp, image's pure-Rust decoders, libheif with libde265/libdav1d, jpeg-encoder).
//! Small limits keep each run fast; the limit checks themselves are fuzzed too.
//! Seeds: crates/crier-media/tests/fixtures/convert (see .ci/run).

#![no_main]

use crier_media::{ConvertLimits, Converter, sniff};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CONVERTER: LazyLock<Converter> = LazyLock::new(|| {
    let limits = ConvertLimits {
        max_pixels: 1 << 20,
        max_dimension: 2048,
        max_input_bytes: 1 << 20,
    };
    Converter::new(limits, 1)
});

fuzz_target!(|data: &[u8]| {
    // The converter turns a decoder's panic into an error (third-party parsers of untrusted
    // bytes). libfuzzer-sys's panic hook would abort even on a caught panic, so it is replaced by
    // a quiet one; a panic that escapes the converter still aborts (libfuzzer-sys catches it and
    // calls abort), so every crash in crier's own code is still found.
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let kind = sniff(data);
    let _ = kind.mime();
    if let Ok(out) = CONVERTER.to_jpeg_blocking(data) {
        // Whatever decodes must come out as a JPEG of the reported size.
        assert!(out.bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(out.width > 0 && out.height > 0);
        assert!(u64::from(out.width) * u64::from(out.height) <= 1 << 20);
    }
});
