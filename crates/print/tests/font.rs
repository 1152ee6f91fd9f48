//! The print font is a file read at run time (the package installs it once for both
//! binaries): it is found from the source tree, it is whole, and it has a glyph for every
//! character a user of this product types.

use outreach_print::{font_path, Fonts, FONT_FILE};

fn font() -> Fonts {
    let path = font_path().expect("the font is found from the source tree");
    assert!(path.ends_with(FONT_FILE), "{}", path.display());
    Fonts::from_bytes(&std::fs::read(&path).unwrap()).expect("the font parses")
}

/// Every character of the ranges people type here: ASCII, Latin-1 letters and signs, the CJK
/// Unified Ideographs of GBK (U+4E00–U+9FA5, 20,902 characters, a superset of GB 2312's
/// 6,763), CJK punctuation, full-width forms and the common symbols of forms and tables.
#[test]
fn every_character_people_type_has_a_glyph() {
    let f = font();
    let ranges: &[(u32, u32)] = &[
        (0x20, 0x7e),
        (0xa0, 0xff),
        (0x4e00, 0x9fa5),
        (0x3000, 0x301f),
        (0xff01, 0xff5e),
        (0x2460, 0x2473), // ①…⑳
        (0x2160, 0x216b), // Ⅰ…Ⅻ
    ];
    let mut missing = Vec::new();
    for &(a, b) in ranges {
        for cp in a..=b {
            let c = char::from_u32(cp).unwrap();
            if !f.has_glyph(c) {
                missing.push(format!("U+{cp:04X}"));
            }
        }
    }
    for c in "淄鑫￥×÷±°℃№※→←↑↓●○■□★☆△▲—…‘’“”·、。《》【】〔〕".chars()
    {
        if !f.has_glyph(c) {
            missing.push(format!("{c} U+{:04X}", c as u32));
        }
    }
    assert!(
        missing.is_empty(),
        "{} characters would print as empty boxes: {:?}",
        missing.len(),
        &missing[..missing.len().min(40)]
    );
}

/// A damaged file (cut short, or not a font at all) is refused with a reason, never parsed
/// into a font that draws nothing.
#[test]
fn a_damaged_font_file_is_refused() {
    let bytes = std::fs::read(font_path().unwrap()).unwrap();
    assert!(Fonts::from_bytes(&bytes[..bytes.len() / 3]).is_err(), "a truncated font must not load");
    assert!(Fonts::from_bytes(b"not a font at all").is_err());
    assert!(Fonts::from_bytes(&[]).is_err());
}
