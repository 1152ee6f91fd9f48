//! The palette of every document: the anti-fraud red and gold of the posters, ink and greys.
//! Below the canvas and the QR code, which both paint with it.

use printpdf::{Color, Rgb};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct C(pub u8, pub u8, pub u8);

impl C {
    pub(crate) fn pdf(self) -> Color {
        // Three decimals are plenty and keep the content streams short.
        let c = |v: u8| (v as f32 / 255.0 * 1000.0).round() / 1000.0;
        Color::Rgb(Rgb { r: c(self.0), g: c(self.1), b: c(self.2), icc_profile: None })
    }
}

pub(crate) const RED: C = C(0xB4, 0x1B, 0x22);
pub(crate) const DARK_RED: C = C(0x8E, 0x12, 0x18);
pub(crate) const GOLD: C = C(0xF2, 0xC1, 0x4E);
pub(crate) const INK: C = C(0x22, 0x22, 0x22);
pub(crate) const GREY: C = C(0x66, 0x66, 0x66);
pub(crate) const LIGHT_GREY: C = C(0xBB, 0xBB, 0xBB);
pub(crate) const PALE: C = C(0xF6, 0xF3, 0xEF);
pub(crate) const PALE_RED: C = C(0xFD, 0xEE, 0xEC);
pub(crate) const WHITE: C = C(0xFF, 0xFF, 0xFF);
