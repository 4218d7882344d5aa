//! HEIC/AVIF pictures are YCbCr 4:2:0 inside, and so is a JPEG. When the
//! source uses JPEG's matrix (BT.601), its planes go to the JPEG encoder as
//! they are: no YCbCr → RGB → YCbCr round trip and no 36 MB RGB buffer for a
//! 12 MP photo. Chroma is handed over at full resolution by repeating each
//! sample, and the encoder's 2×2 averaging gives the same samples back.

use jpeg_encoder::{ImageBuffer, JpegColorType};

/// Borrowed 8-bit 4:2:0 planes (chroma planes have half the width and
/// height, rounded up).
pub(super) struct Ycbcr420<'a> {
    pub y: &'a [u8],
    pub y_stride: usize,
    pub cb: &'a [u8],
    pub cr: &'a [u8],
    pub c_stride: usize,
    pub width: u16,
    pub height: u16,
    /// Studio range (Y 16–235, C 16–240) to stretch to JPEG's full range.
    pub limited_range: bool,
}

impl Ycbcr420<'_> {
    /// Whether the slices hold every row the encoder will ask for.
    pub fn is_complete(&self) -> bool {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        self.y_stride >= w
            && self.c_stride >= cw
            && self.y.len() >= (h - 1) * self.y_stride + w
            && self.cb.len() >= (ch - 1) * self.c_stride + cw
            && self.cr.len() >= (ch - 1) * self.c_stride + cw
    }
}

impl ImageBuffer for Ycbcr420<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        JpegColorType::Ycbcr
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let w = usize::from(self.width);
        let row = usize::from(y.min(self.height.saturating_sub(1)));
        let luma = &self.y[row * self.y_stride..][..w];
        let c_start = (row / 2) * self.c_stride;
        let cw = w.div_ceil(2);
        let cb = &self.cb[c_start..][..cw];
        let cr = &self.cr[c_start..][..cw];
        let twice = |c: &u8| [*c, *c];
        if self.limited_range {
            // Table look-ups: a 12 MP picture stretches 36 M samples.
            buffers[0].extend(luma.iter().map(|&v| FULL_LUMA[usize::from(v)]));
            let stretched = |c: &u8| {
                let c = FULL_CHROMA[usize::from(*c)];
                [c, c]
            };
            buffers[1].extend(cb.iter().flat_map(stretched).take(w));
            buffers[2].extend(cr.iter().flat_map(stretched).take(w));
        } else {
            buffers[0].extend_from_slice(luma);
            buffers[1].extend(cb.iter().flat_map(twice).take(w));
            buffers[2].extend(cr.iter().flat_map(twice).take(w));
        }
    }
}

/// Studio-range sample → full-range sample, for every byte value.
const FULL_LUMA: [u8; 256] = table(false);
const FULL_CHROMA: [u8; 256] = table(true);

const fn table(chroma: bool) -> [u8; 256] {
    let mut out = [0; 256];
    let mut i = 0;
    while i < 256 {
        out[i] = if chroma {
            full_chroma(i as u8)
        } else {
            full_luma(i as u8)
        };
        i += 1;
    }
    out
}

const fn full_luma(v: u8) -> u8 {
    let v = (v as i32 - 16) * 255;
    clamp_u8((v + 109) / 219)
}

const fn full_chroma(c: u8) -> u8 {
    let c = (c as i32 - 128) * 255;
    // Rounded division toward the nearest value, for both signs.
    let scaled = if c >= 0 {
        (c + 112) / 224
    } else {
        (c - 112) / 224
    };
    clamp_u8(scaled + 128)
}

const fn clamp_u8(v: i32) -> u8 {
    if v < 0 {
        0
    } else if v > 255 {
        255
    } else {
        v as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn studio_range_maps_to_full_range() {
        assert_eq!(full_luma(16), 0);
        assert_eq!(full_luma(235), 255);
        assert_eq!(full_luma(0), 0);
        assert_eq!(full_luma(255), 255);
        assert_eq!(full_chroma(128), 128);
        assert_eq!(full_chroma(16), 0);
        assert_eq!(full_chroma(240), 255);
        assert_eq!(FULL_LUMA[235], 255);
        assert_eq!(FULL_CHROMA[16], 0);
    }

    #[test]
    fn chroma_is_repeated_to_full_width() {
        let planes = Ycbcr420 {
            y: &[1, 2, 3, 4, 5, 6],
            y_stride: 3,
            cb: &[10, 20],
            cr: &[30, 40],
            c_stride: 2,
            width: 3,
            height: 2,
            limited_range: false,
        };
        assert!(planes.is_complete());
        let mut buffers: [Vec<u8>; 4] = Default::default();
        planes.fill_buffers(1, &mut buffers);
        assert_eq!(buffers[0], [4, 5, 6]);
        assert_eq!(buffers[1], [10, 10, 20]);
        assert_eq!(buffers[2], [30, 30, 40]);
    }
}
