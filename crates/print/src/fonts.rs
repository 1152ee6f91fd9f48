//! The CJK font (Noto Sans CJK SC, OFL), read from a file at run time and parsed once per
//! process. It is not compiled in: both binaries (the app and the CLI) would carry 16 MB
//! each, so the package installs it once as a file and both read it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::PrintError;

/// Noto Sans CJK SC Regular, the SC face of Debian's NotoSansCJK-Regular.ttc, extracted
/// unmodified (all 65,535 glyphs, so rare characters such as 淄 and 鑫 work). Licence:
/// `fonts/OFL.txt`. Never ship a subset of it: any character a user can type must print.
pub const FONT_FILE: &str = "NotoSansSC-Regular.otf";

/// Where the Linux package installs it (`scripts/package.sh`).
pub const INSTALLED_DIR: &str = "/usr/share/outreach-desk/fonts";

/// Names a font file to use instead of the search below (tests, portable installs).
pub const FONT_ENV: &str = "OUTREACH_FONT";

/// The places the font is looked for, in order. With `OUTREACH_FONT` set only that file is
/// tried, so a wrong value is reported instead of silently passed over.
pub fn font_candidates() -> Vec<PathBuf> {
    if let Some(p) = std::env::var_os(FONT_ENV).filter(|p| !p.is_empty()) {
        return vec![PathBuf::from(p)];
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        // /usr/bin → /usr/share, /usr/local/bin → /usr/local/share, and a folder install
        // (Windows) keeps it beside the program.
        out.push(dir.join("../share/outreach-desk/fonts").join(FONT_FILE));
        out.push(dir.join("fonts").join(FONT_FILE));
    }
    out.push(Path::new(INSTALLED_DIR).join(FONT_FILE));
    // A build run from the source tree (tests, `cargo run`, the e2e app). The path compiled
    // in is where this crate was first built: a build cache shared by two checkouts (CI's
    // clone and a working copy) keeps the other one's. So the source tree is also looked for
    // from the working folder up (cargo runs a crate's tests in its own folder).
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(FONT_FILE));
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors().take(4) {
            out.push(dir.join("crates/print/fonts").join(FONT_FILE));
        }
    }
    out
}

/// The first candidate that exists, or the error that names every place looked at.
pub fn font_path() -> Result<PathBuf, String> {
    let candidates = font_candidates();
    if let Some(p) = candidates.iter().find(|p| p.is_file()) {
        return Ok(p.clone());
    }
    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    Err(format!(
        "找不到打印字体文件 {FONT_FILE}（查找了：{}）。请重新安装反诈宣防工作台，或用环境变量 {FONT_ENV} 指定字体文件",
        looked.join("、")
    ))
}

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
        let path = font_path()?;
        let bytes = std::fs::read(&path).map_err(|e| format!("无法读取打印字体文件 {}：{e}", path.display()))?;
        Self::from_bytes(&bytes)
            .map_err(|why| format!("打印字体文件 {} 已损坏（{why}），请重新安装反诈宣防工作台", path.display()))
    }

    /// Parses a font file's bytes; the reason it is unusable, in words, otherwise.
    pub fn from_bytes(bytes: &[u8]) -> Result<Fonts, String> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("无法解析，{} 条警告", warnings.len()))?;
        if !regular.has_source_bytes() {
            return Err("缺少可嵌入的字形数据".into());
        }
        let upm = regular.font_metrics.units_per_em;
        let units_per_em = if upm == 0 { 1000.0 } else { upm as f32 };
        let bmp = (0..0x1_0000).map(|_| AtomicU32::new(EMPTY)).collect();
        if regular.lookup_glyph_index('中' as u32).is_none() {
            return Err("不含中文字形".into());
        }
        Ok(Fonts { regular, bmp, units_per_em })
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

/// The process-wide fonts, read and parsed on first use (~tens of ms). Call it early (e.g.
/// at app start, on a background thread) to keep the first render fast. A missing or
/// damaged font file is `print.font` with a message that says where it was looked for.
pub fn fonts() -> Result<&'static Fonts, PrintError> {
    FONTS.get_or_init(Fonts::load).as_ref().map_err(|e| PrintError::Font(e.clone()))
}
