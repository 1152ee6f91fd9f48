//! The embedded CJK font (Noto Sans CJK SC, OFL), parsed once per process.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::PrintError;

/// Noto Sans CJK SC Regular, the SC face of Debian's NotoSansCJK-Regular.ttc,
/// extracted unmodified (all 65,535 glyphs, so rare characters such as 淄 and 鑫 work).
/// Licence: `fonts/OFL.txt`.
pub(crate) static REGULAR_OTF: &[u8] = include_bytes!("../fonts/NotoSansSC-Regular.otf");

/// The parsed font plus a lazily filled glyph cache for the Basic Multilingual
/// Plane (the font's own cmap lookup is slow; layout and encoding hit the cache).
pub struct Fonts {
    pub(crate) regular: ParsedFont,
    /// Per BMP code point: `gid << 16 | advance` (font units), `EMPTY` until first
    /// use. A missing character maps to glyph 0 (.notdef), which is what is drawn.
    bmp: Vec<AtomicU32>,
    units_per_em: f32,
}

const EMPTY: u32 = u32::MAX;

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

impl Fonts {
    fn load() -> Result<Fonts, String> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(REGULAR_OTF, 0, &mut warnings)
            .ok_or_else(|| format!("内置字体无法解析（{} 条警告）", warnings.len()))?;
        if !regular.has_source_bytes() {
            return Err("内置字体缺少原始数据，无法嵌入".into());
        }
        let upm = regular.font_metrics.units_per_em;
        let units_per_em = if upm == 0 { 1000.0 } else { upm as f32 };
        let bmp = (0..0x1_0000).map(|_| AtomicU32::new(EMPTY)).collect();
        if regular.lookup_glyph_index('中' as u32).is_none() {
            return Err("内置字体不含中文字形".into());
        }
        Ok(Fonts {
            regular,
            bmp,
            units_per_em,
        })
    }

    fn lookup(&self, c: char) -> (u16, u16) {
        let gid = self.regular.lookup_glyph_index(c as u32).unwrap_or(0);
        (gid, self.regular.get_horizontal_advance(gid))
    }

    /// Glyph id and advance (font units) of `c`.
    #[inline]
    pub(crate) fn glyph(&self, c: char) -> (u16, u16) {
        let cp = c as u32;
        if let Some(slot) = self.bmp.get(cp as usize) {
            let v = slot.load(Ordering::Relaxed);
            if v != EMPTY {
                return ((v >> 16) as u16, v as u16);
            }
            let (gid, adv) = self.lookup(c);
            slot.store((gid as u32) << 16 | adv as u32, Ordering::Relaxed);
            (gid, adv)
        } else {
            self.lookup(c)
        }
    }

    /// Advance width of `c` in em (multiply by the font size for points).
    #[inline]
    pub fn advance_em(&self, c: char) -> f32 {
        self.glyph(c).1 as f32 / self.units_per_em
    }

    /// Width of `s` in points at `size`.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance_em(c)).sum::<f32>() * size
    }

    /// Whether the font has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.regular.lookup_glyph_index(c as u32).is_some()
    }
}

/// The process-wide fonts, parsed on first use (~tens of ms). Call it early (e.g. at
/// app start, on a background thread) to keep the first render fast.
pub fn fonts() -> Result<&'static Fonts, PrintError> {
    FONTS
        .get_or_init(Fonts::load)
        .as_ref()
        .map_err(|e| PrintError::Font(e.clone()))
}
