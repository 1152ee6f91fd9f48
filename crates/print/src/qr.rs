//! QR codes drawn as vector rectangles (one path, horizontal runs merged).

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject};

use crate::colors::C;
use crate::error::PrintError;

/// Modules of a QR code for `text` (medium error correction, low if too long).
pub(crate) struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    pub fn new(text: &str) -> Result<Qr, PrintError> {
        let too_long = || PrintError::Internal("二维码内容过长，无法生成二维码".into());
        let data = text.as_bytes();
        for ec in [EcLevel::M, EcLevel::L] {
            let bits = if text.is_ascii() {
                qrcode::bits::encode_auto(data, ec).ok()
            } else {
                // Non-ASCII: byte mode with an ECI 26 (UTF-8) header so scanners
                // do not guess Shift-JIS.
                utf8_bits(data, ec)
            };
            if let Some(bits) = bits {
                if let Some(qr) = build(bits, ec) {
                    return Ok(qr);
                }
            }
        }
        Err(too_long())
    }

    /// The code as a form XObject: vector rectangles (one per run of dark modules)
    /// on a white square with a 2-module quiet zone, in module units, mapped to
    /// the unit square by its /Matrix so it is placed like an image.
    pub fn form(&self, color: C) -> ExternalXObject {
        use std::fmt::Write;
        let n = self.width;
        let full = n + 4;
        let mut s = String::with_capacity(n * n * 4);
        let _ = writeln!(s, "1 g 0 0 {full} {full} re f");
        let c = |v: u8| (v as f32 / 255.0 * 1000.0).round() / 1000.0;
        let _ = writeln!(s, "{} {} {} rg", c(color.0), c(color.1), c(color.2));
        for r in 0..n {
            // Row r from the top; PDF y grows upwards. A hair taller against seams.
            let y = (full - 3 - r) as f32 - 0.02;
            let mut col = 0;
            while col < n {
                if self.dark[r * n + col] {
                    let start = col;
                    while col < n && self.dark[r * n + col] {
                        col += 1;
                    }
                    let _ = writeln!(s, "{} {} {} 1.02 re", start + 2, y, col - start);
                } else {
                    col += 1;
                }
            }
        }
        s.push_str("f\n");
        let num = |v: f32| DictItem::Real(v);
        let mut dict = BTreeMap::new();
        dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
        dict.insert("Subtype".to_string(), DictItem::Name(b"Form".to_vec()));
        dict.insert("FormType".to_string(), DictItem::Int(1));
        dict.insert("BBox".to_string(), DictItem::Array(vec![num(0.0), num(0.0), num(full as f32), num(full as f32)]));
        let k = 1.0 / full as f32;
        dict.insert(
            "Matrix".to_string(),
            DictItem::Array(vec![num(k), num(0.0), num(0.0), num(k), num(0.0), num(0.0)]),
        );
        dict.insert("Resources".to_string(), DictItem::Dict { map: BTreeMap::new() });
        ExternalXObject {
            stream: ExternalStream { dict, content: s.into_bytes(), compress: true },
            width: None,
            height: None,
            dpi: None,
        }
    }
}

fn utf8_bits(data: &[u8], ec: EcLevel) -> Option<Bits> {
    (1..=40).find_map(|v| {
        let mut bits = Bits::new(Version::Normal(v));
        let ok = bits.push_eci_designator(26).is_ok()
            && bits.push_byte_data(data).is_ok()
            && bits.push_terminator(ec).is_ok();
        ok.then_some(bits)
    })
}

/// Same steps as `QrCode::with_bits`, but the mask is chosen with our own
/// (much faster) penalty scoring on plain bools — qrcode's scoring was a third
/// of the time of a 1,000-flyer batch.
fn build(bits: Bits, ec_level: EcLevel) -> Option<Qr> {
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level).ok()?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let masks = [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ];
    let width = version.width() as usize;
    let mut best: Option<(u32, Vec<bool>)> = None;
    for m in masks {
        let mut c = canvas.clone();
        c.apply_mask(m);
        let dark: Vec<bool> = c.into_colors().into_iter().map(|c| c == Color::Dark).collect();
        if dark.len() != width * width {
            return None;
        }
        let p = penalty(&dark, width);
        if best.as_ref().is_none_or(|(bp, _)| p < *bp) {
            best = Some((p, dark));
        }
    }
    best.map(|(_, dark)| Qr { width, dark })
}

/// ISO/IEC 18004 mask penalty (rules N1–N4).
fn penalty(m: &[bool], n: usize) -> u32 {
    let at = |r: usize, c: usize| m[r * n + c];
    let mut score = 0u32;
    // N1: runs of 5+ same-coloured modules in a row/column.
    for horizontal in [true, false] {
        for i in 0..n {
            let mut run = 1;
            for j in 1..n {
                let (a, b) = if horizontal { (at(i, j - 1), at(i, j)) } else { (at(j - 1, i), at(j, i)) };
                if a == b {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += 3 + (run - 5);
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score += 3 + (run - 5);
            }
        }
    }
    // N2: 2×2 blocks of one colour.
    for r in 0..n - 1 {
        for c in 0..n - 1 {
            let v = at(r, c);
            if at(r, c + 1) == v && at(r + 1, c) == v && at(r + 1, c + 1) == v {
                score += 3;
            }
        }
    }
    // N3: finder-like 1:1:3:1:1 with four light modules on one side.
    const P1: [bool; 11] = [true, false, true, true, true, false, true, false, false, false, false];
    const P2: [bool; 11] = [false, false, false, false, true, false, true, true, true, false, true];
    for i in 0..n {
        for j in 0..n.saturating_sub(10) {
            let row = |k: usize| at(i, j + k);
            let col = |k: usize| at(j + k, i);
            if (0..11).all(|k| row(k) == P1[k]) || (0..11).all(|k| row(k) == P2[k]) {
                score += 40;
            }
            if (0..11).all(|k| col(k) == P1[k]) || (0..11).all(|k| col(k) == P2[k]) {
                score += 40;
            }
        }
    }
    // N4: balance of dark and light.
    let dark = m.iter().filter(|&&d| d).count();
    let percent = dark * 100 / (n * n);
    score += (percent.abs_diff(50) / 5) as u32 * 10;
    score
}
