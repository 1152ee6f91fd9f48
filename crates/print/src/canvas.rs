//! Drawing primitives over printpdf ops, in points with a TOP-LEFT origin
//! (y grows downwards), plus the per-document state (font, image cache).

use std::collections::HashMap;

use printpdf::{
    Codepoint, CurTransMat, ExternalXObject, FontId, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, TextRenderingMode, WindingOrder, XObject, XObjectId, XObjectTransform,
};

use crate::error::PrintError;
use crate::fonts::Fonts;
use crate::images::{self, ImageKind};
use crate::text;

pub(crate) const MM: f32 = 72.0 / 25.4;

pub(crate) use crate::colors::*;

/// Horizontal alignment of a text line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Text style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub size: f32,
    pub color: C,
    pub bold: bool,
    /// Extra space after every character, in points.
    pub spacing: f32,
}

impl Style {
    pub fn new(size: f32, color: C) -> Self {
        Style { size, color, bold: false, spacing: 0.0 }
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn spaced(mut self, pt: f32) -> Self {
        self.spacing = pt;
        self
    }
}

/// One page being drawn.
pub(crate) struct Page {
    pub w: f32,
    pub h: f32,
    pub ops: Vec<Op>,
}

/// Round to 1/100 pt: invisible, and much shorter numbers in the content stream.
#[inline]
pub(crate) fn q(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(q(x)), y: Pt(q(y)) }
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Rect {
    Rect::from_xywh(Pt(q(x)), Pt(q(y)), Pt(q(w)), Pt(q(h)))
}

fn lp(x: f32, y: f32, bezier: bool) -> LinePoint {
    LinePoint { p: pt(x, y), bezier }
}

impl Page {
    pub fn new(w: f32, h: f32) -> Self {
        Page { w, h, ops: Vec::with_capacity(256) }
    }

    fn stroke_style(&mut self, color: C, width: f32, dash: Option<&[f32]>) {
        self.ops.push(Op::SetOutlineColor { col: color.pdf() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(q(width)) });
        self.ops.push(Op::SetLineDashPattern {
            dash: match dash {
                Some(d) => LineDashPattern::new(0.0, d),
                None => LineDashPattern::solid(),
            },
        });
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: C) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        self.ops.push(Op::SetFillColor { col: color.pdf() });
        let mut r = rect(x, self.h - y - h, w, h);
        r.mode = Some(PaintMode::Fill);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    pub fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: C, width: f32) {
        self.stroke_style(color, width, None);
        let mut r = rect(x, self.h - y - h, w, h);
        r.mode = Some(PaintMode::Stroke);
        self.ops.push(Op::DrawRectangle { rectangle: r });
    }

    /// Rounded rectangle, filled and/or stroked.
    pub fn round_rect(&mut self, x: f32, y: f32, w: f32, h: f32, r: f32, fill: Option<C>, stroke: Option<(C, f32)>) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let r = r.min(w / 2.0).min(h / 2.0).max(0.0);
        let k = 0.552_284_8 * r;
        let (x0, x1) = (x, x + w);
        let (yt, yb) = (self.h - y, self.h - y - h); // PDF coordinates
        let points = vec![
            lp(x0 + r, yb, false),
            lp(x1 - r, yb, false),
            lp(x1 - r + k, yb, true),
            lp(x1, yb + r - k, true),
            lp(x1, yb + r, false),
            lp(x1, yt - r, false),
            lp(x1, yt - r + k, true),
            lp(x1 - r + k, yt, true),
            lp(x1 - r, yt, false),
            lp(x0 + r, yt, false),
            lp(x0 + r - k, yt, true),
            lp(x0, yt - r + k, true),
            lp(x0, yt - r, false),
            lp(x0, yb + r, false),
            lp(x0, yb + r - k, true),
            lp(x0 + r - k, yb, true),
            lp(x0 + r, yb, false),
        ];
        self.path(points, fill, stroke, None);
    }

    fn path(&mut self, points: Vec<LinePoint>, fill: Option<C>, stroke: Option<(C, f32)>, dash: Option<&[f32]>) {
        let mode = match (fill, stroke) {
            (Some(f), Some((s, sw))) => {
                self.ops.push(Op::SetFillColor { col: f.pdf() });
                self.stroke_style(s, sw, dash);
                PaintMode::FillStroke
            }
            (Some(f), None) => {
                self.ops.push(Op::SetFillColor { col: f.pdf() });
                PaintMode::Fill
            }
            (None, Some((s, sw))) => {
                self.stroke_style(s, sw, dash);
                PaintMode::Stroke
            }
            (None, None) => return,
        };
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon { rings: vec![PolygonRing { points }], mode, winding_order: WindingOrder::NonZero },
        });
    }

    pub fn circle(
        &mut self,
        cx: f32,
        cy: f32,
        r: f32,
        fill: Option<C>,
        stroke: Option<(C, f32)>,
        dash: Option<&[f32]>,
    ) {
        let k = 0.552_284_8 * r;
        let cy = self.h - cy;
        let points = vec![
            lp(cx + r, cy, false),
            lp(cx + r, cy + k, true),
            lp(cx + k, cy + r, true),
            lp(cx, cy + r, false),
            lp(cx - k, cy + r, true),
            lp(cx - r, cy + k, true),
            lp(cx - r, cy, false),
            lp(cx - r, cy - k, true),
            lp(cx - k, cy - r, true),
            lp(cx, cy - r, false),
            lp(cx + k, cy - r, true),
            lp(cx + r, cy - k, true),
            lp(cx + r, cy, false),
        ];
        self.path(points, fill, stroke, dash);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: C, width: f32, dash: Option<&[f32]>) {
        self.stroke_style(color, width, dash);
        self.ops.push(Op::DrawLine {
            line: Line { points: vec![lp(x1, self.h - y1, false), lp(x2, self.h - y2, false)], is_closed: false },
        });
    }

    /// Place an image XObject into the box (x, y, w, h).
    pub fn image(&mut self, id: &XObjectId, x: f32, y: f32, w: f32, h: f32) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([q(w), 0.0, 0.0, q(h), q(x), q(self.h - y - h)]),
        });
        self.ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform { no_auto_scale: true, ..Default::default() },
        });
        self.ops.push(Op::RestoreGraphicsState);
    }
}

/// An image placed in the document, with its pixel size.
#[derive(Debug, Clone)]
pub(crate) struct ImageRef {
    pub id: XObjectId,
    pub w: u32,
    pub h: u32,
}

impl ImageRef {
    /// Largest (w, h) with the image's aspect ratio inside (max_w, max_h).
    pub fn fit(&self, max_w: f32, max_h: f32) -> (f32, f32) {
        let (iw, ih) = (self.w.max(1) as f32, self.h.max(1) as f32);
        let s = (max_w / iw).min(max_h / ih).max(0.0);
        (iw * s, ih * s)
    }
}

/// What layout needs: the font and its id. Shared read-only across threads.
pub(crate) struct Ctx {
    pub fonts: &'static Fonts,
    font: FontId,
}

/// One PDF being built: font, pages, de-duplicated images and QR codes.
pub(crate) struct Doc {
    ctx: Ctx,
    pdf: PdfDocument,
    pages: Vec<PdfPage>,
    images: HashMap<(u64, usize, ImageKind), ImageRef>,
    qrs: HashMap<String, XObjectId>,
    next_id: usize,
}

impl std::ops::Deref for Doc {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl Doc {
    /// A document with its metadata: the title and the author (the organiser or issuing unit)
    /// as one line each, at most 100 characters, and the moment it is made as its creation date
    /// (printpdf's default is 1970-01-01).
    pub fn new(title: &str, author: &str) -> Result<Self, PrintError> {
        let fonts = crate::fonts::fonts()?;
        let line = |s: &str| -> String { text::clean(s).replace('\n', " ").trim().chars().take(100).collect() };
        let mut pdf = PdfDocument::new(&line(title));
        let info = &mut pdf.metadata.info;
        let now = printpdf::OffsetDateTime::now();
        (info.creation_date, info.modification_date, info.metadata_date) = (now, now, now);
        info.author = line(author);
        info.creator = "反诈宣防工作台 Outreach Desk".into();
        info.producer = format!("Outreach Desk {}", env!("CARGO_PKG_VERSION"));
        let font = pdf.add_font(&fonts.regular);
        Ok(Doc {
            ctx: Ctx { fonts, font },
            pdf,
            pages: Vec::new(),
            images: HashMap::new(),
            qrs: HashMap::new(),
            next_id: 0,
        })
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    fn add_xobject(&mut self, prefix: &str, x: ExternalXObject) -> XObjectId {
        self.next_id += 1;
        let id = XObjectId(format!("{prefix}{}", self.next_id));
        self.pdf.resources.xobjects.map.insert(id.clone(), XObject::External(x));
        id
    }

    /// QR codes for all `texts` (computed in parallel, once per distinct text).
    pub fn prefetch_qr(&mut self, texts: &[String]) -> Result<(), PrintError> {
        let mut todo: Vec<&String> = texts.iter().filter(|t| !t.is_empty() && !self.qrs.contains_key(*t)).collect();
        todo.sort();
        todo.dedup();
        let forms = crate::par_map(&todo, |t| crate::qr::Qr::new(t).map(|q| q.form(INK)));
        for (t, form) in todo.into_iter().zip(forms) {
            let id = self.add_xobject("Qr", form?);
            self.qrs.insert(t.clone(), id);
        }
        Ok(())
    }

    /// The QR code for `text` as a form XObject (drawn in a unit square).
    pub fn qr(&mut self, text: &str) -> Result<XObjectId, PrintError> {
        if let Some(id) = self.qrs.get(text) {
            return Ok(id.clone());
        }
        let form = crate::qr::Qr::new(text)?.form(INK);
        let id = self.add_xobject("Qr", form);
        self.qrs.insert(text.to_string(), id.clone());
        Ok(id)
    }

    /// Pages laid out elsewhere (possibly on other threads).
    pub fn push_all(&mut self, pages: Vec<Page>) {
        for p in pages {
            self.push(p);
        }
    }

    pub fn push(&mut self, page: Page) {
        let (w, h) = (page.w, page.h);
        let mut p = PdfPage::new(printpdf::Mm(w / MM), printpdf::Mm(h / MM), page.ops);
        // Exact point sizes (Mm -> Pt round trip can drift by a hair).
        p.media_box = Rect::from_wh(Pt(w), Pt(h));
        p.trim_box = p.media_box.clone();
        p.crop_box = p.media_box.clone();
        self.pages.push(p);
    }

    /// Decode, downscale and embed an image once per document.
    pub fn image(&mut self, bytes: &[u8], kind: ImageKind) -> Result<ImageRef, PrintError> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        let key = (hasher.finish(), bytes.len(), kind);
        if let Some(r) = self.images.get(&key) {
            return Ok(r.clone());
        }
        let prepared = images::prepare(bytes, kind)?;
        let (w, h) = (prepared.width, prepared.height);
        let id = self.add_xobject("Im", prepared.xobject);
        let r = ImageRef { id, w, h };
        self.images.insert(key, r.clone());
        Ok(r)
    }

    /// Several images at once, each distinct one decoded and prepared once, on all
    /// cores. One result per input, in order (a bad image does not affect the rest).
    pub fn images(&mut self, list: &[&[u8]], kind: ImageKind) -> Vec<Result<ImageRef, PrintError>> {
        use std::hash::{Hash, Hasher};
        let keys: Vec<(u64, usize, ImageKind)> = list
            .iter()
            .map(|b| {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                b.hash(&mut hasher);
                (hasher.finish(), b.len(), kind)
            })
            .collect();
        let mut todo: Vec<usize> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if !self.images.contains_key(k) && !todo.iter().any(|&j| keys[j] == *k) {
                todo.push(i);
            }
        }
        // A decoder panic on a hostile file costs that image only, not the document.
        let prepared = crate::par_map(&todo, |&i| {
            std::panic::catch_unwind(|| images::prepare(list[i], kind))
                .unwrap_or_else(|_| Err(PrintError::ImageInvalid("图片文件已损坏，无法读取".into())))
        });
        let mut failed: HashMap<(u64, usize, ImageKind), PrintError> = HashMap::new();
        for (i, p) in todo.into_iter().zip(prepared) {
            match p {
                Ok(p) => {
                    let (w, h) = (p.width, p.height);
                    let id = self.add_xobject("Im", p.xobject);
                    self.images.insert(keys[i], ImageRef { id, w, h });
                }
                Err(e) => {
                    failed.insert(keys[i], e);
                }
            }
        }
        keys.iter()
            .map(|k| match self.images.get(k) {
                Some(r) => Ok(r.clone()),
                None => Err(match failed.get(k) {
                    Some(PrintError::ImageTooLarge(m)) => PrintError::ImageTooLarge(m.clone()),
                    Some(PrintError::ImageInvalid(m)) => PrintError::ImageInvalid(m.clone()),
                    Some(e) => PrintError::Internal(e.to_string()),
                    None => PrintError::Internal("图片未处理".into()),
                }),
            })
            .collect()
    }

    pub fn finish(mut self) -> Result<Vec<u8>, PrintError> {
        if self.pages.is_empty() {
            self.push(Page::new(595.28, 841.89));
        }
        let pages = std::mem::take(&mut self.pages);
        let opts = PdfSaveOptions { optimize: false, subset_fonts: true, secure: true, image_optimization: None };
        let mut warnings = Vec::new();
        // printpdf's own `optimize` compresses every stream at zlib level 9 on one
        // thread; level 6 on all cores is ~4x faster and barely bigger.
        let mut lo = self.pdf.with_pages(pages).to_lopdf_document(&opts, &mut warnings);
        if let Some(w) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error && w.msg.to_lowercase().contains("font"))
        {
            return Err(PrintError::Font(w.msg.clone()));
        }
        compress_streams(&mut lo);
        let mut bytes = Vec::new();
        lo.save_to(&mut bytes).map_err(|e| PrintError::Internal(format!("写出PDF失败：{e}")))?;
        if bytes.len() < 64 || !bytes.starts_with(b"%PDF") {
            return Err(PrintError::Internal("PDF 输出为空".into()));
        }
        Ok(bytes)
    }
}

impl Ctx {
    // ---- text -------------------------------------------------------------------

    /// Width of a single line of text in points.
    pub fn width(&self, s: &str, st: &Style) -> f32 {
        let n = s.chars().count() as f32;
        self.fonts.width(s, st.size) + st.spacing * n
    }

    /// Break text into lines of at most `max_w` points.
    pub fn wrap(&self, s: &str, st: &Style, max_w: f32) -> Vec<String> {
        self.wrap_ranges(s, st, max_w, 0.0).into_iter().map(|r| s[r].to_string()).collect()
    }

    /// Break text into byte ranges, the first line of each paragraph `indent` narrower.
    /// Avoids a lone character (plus punctuation) on the last line when narrowing
    /// the measure slightly fixes it without adding a line.
    pub fn wrap_ranges(&self, s: &str, st: &Style, max_w: f32, indent: f32) -> Vec<std::ops::Range<usize>> {
        let f = self.fonts;
        let (size, sp) = (st.size, st.spacing);
        let adv = |c: char| f.advance_em(c) * size + sp;
        let lines = text::break_ranges_indent(s, max_w, indent, &adv);
        let visible = |r: &std::ops::Range<usize>| s[r.clone()].chars().filter(|c| !text::is_no_start(*c)).count();
        match lines.last() {
            Some(last) if lines.len() >= 2 && visible(last) == 1 => {
                for shrink in [1.0, 2.0, 3.0] {
                    let w = max_w - shrink * size;
                    if w <= size * 4.0 {
                        break;
                    }
                    let alt = text::break_ranges_indent(s, w, indent, &adv);
                    if alt.len() == lines.len() && alt.last().map(&visible).unwrap_or(0) >= 2 {
                        return alt;
                    }
                }
                lines
            }
            _ => lines,
        }
    }

    /// Draw `s[line]` starting at `x`, with the parts inside `emph` in bold and
    /// underlined (used for the name on a certificate).
    pub fn rich_line(
        &self,
        page: &mut Page,
        x: f32,
        baseline: f32,
        st: &Style,
        s: &str,
        line: std::ops::Range<usize>,
        emph: &[std::ops::Range<usize>],
    ) {
        let mut cuts = vec![line.start, line.end];
        for e in emph {
            for b in [e.start, e.end] {
                if b > line.start && b < line.end && s.is_char_boundary(b) {
                    cuts.push(b);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut x = x;
        for w in cuts.windows(2) {
            let part = &s[w[0]..w[1]];
            let is_emph = emph.iter().any(|e| e.start <= w[0] && w[1] <= e.end);
            let pst = if is_emph { st.bold() } else { *st };
            self.text(page, x, baseline, &pst, Align::Left, part);
            let pw = self.width(part, &pst);
            if is_emph {
                page.line(
                    x,
                    baseline + st.size * 0.2,
                    x + pw,
                    baseline + st.size * 0.2,
                    st.color,
                    st.size * 0.05,
                    None,
                );
            }
            x += pw;
        }
    }

    /// Draw one line of text with its baseline at `baseline` (top-down y).
    pub fn text(&self, page: &mut Page, x: f32, baseline: f32, st: &Style, align: Align, s: &str) {
        if s.is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Center => x - self.width(s, st) / 2.0 + st.spacing / 2.0,
            Align::Right => x - self.width(s, st) + st.spacing,
        };
        let at = TextMatrix::Translate(Pt(q(x)), Pt(q(page.h - baseline)));
        self.show(page, at, st, s);
    }

    /// Draw one line of text rotated by `deg` degrees counter-clockwise around the
    /// start of its baseline at (`x`, `baseline`) (top-down y).
    pub fn text_rotated(&self, page: &mut Page, x: f32, baseline: f32, st: &Style, deg: f32, s: &str) {
        if s.is_empty() {
            return;
        }
        let (sin, cos) = deg.to_radians().sin_cos();
        let r = |v: f32| (v * 10_000.0).round() / 10_000.0;
        let at = TextMatrix::Raw([r(cos), r(sin), r(-sin), r(cos), q(x), q(page.h - baseline)]);
        self.show(page, at, st, s);
    }

    fn show(&self, page: &mut Page, at: TextMatrix, st: &Style, s: &str) {
        let ops = &mut page.ops;
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(q(st.size)) });
        ops.push(Op::SetFillColor { col: st.color.pdf() });
        if st.bold {
            ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
            ops.push(Op::SetOutlineColor { col: st.color.pdf() });
            ops.push(Op::SetOutlineThickness { pt: Pt(q(st.size * 0.032)) });
            ops.push(Op::SetLineDashPattern { dash: LineDashPattern::solid() });
        }
        if st.spacing != 0.0 {
            ops.push(Op::SetCharacterSpacing { multiplier: (st.spacing * 1000.0).round() / 1000.0 });
        }
        ops.push(Op::SetTextMatrix { matrix: at });
        // Glyph ids from our cache (printpdf's own per-character cmap lookup is slow);
        // the character rides along for the ToUnicode map.
        let glyphs = s
            .chars()
            .map(|c| Codepoint { gid: self.fonts.glyph(c).0, offset: 0.0, cid: Some(c.to_string()) })
            .collect();
        ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(glyphs)] });
        if st.spacing != 0.0 {
            ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
        }
        if st.bold {
            ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill });
        }
        ops.push(Op::EndTextSection);
    }

    /// Character spacing that stretches `s` to `target_w` (full justification of a
    /// non-final paragraph line); 0 when the line is short by too much.
    pub fn justify_spacing(&self, s: &str, st: &Style, target_w: f32) -> f32 {
        let n = s.chars().count();
        if n < 2 {
            return 0.0;
        }
        let slack = target_w - self.width(s, st);
        if slack <= 0.0 || slack > 3.0 * st.size {
            return 0.0;
        }
        slack / (n - 1) as f32
    }

    /// Draw a text line vertically centred in a band from `top` of height `h`.
    pub fn text_mid(&self, page: &mut Page, x: f32, top: f32, h: f32, st: &Style, align: Align, s: &str) {
        self.text(page, x, baseline_mid(top, h, st.size), st, align, s);
    }

    /// Draw pre-broken lines starting at `top`; returns the height used.
    pub fn lines(
        &self,
        page: &mut Page,
        x: f32,
        top: f32,
        line_h: f32,
        st: &Style,
        align: Align,
        lines: &[String],
    ) -> f32 {
        for (i, l) in lines.iter().enumerate() {
            let t = top + i as f32 * line_h;
            self.text(page, x, baseline_mid(t, line_h, st.size), st, align, l);
        }
        line_h * lines.len() as f32
    }

    /// Fit a title: shrink from `max_size` towards `min_size` to stay within few
    /// lines, balance the lines, and at `min_size` wrap as much as needed.
    /// Returns (size, lines).
    pub fn fit_title(
        &self,
        s: &str,
        bold: bool,
        max_w: f32,
        max_size: f32,
        min_size: f32,
        max_lines: usize,
    ) -> (f32, Vec<String>) {
        let min_size = min_size.min(max_size);
        let f = self.fonts;
        let total_em: f32 = s.chars().map(|c| f.advance_em(c)).sum();
        for n in 1..=max_lines.max(1) {
            // One line may shrink only a little; more lines may go down to min_size.
            let floor = if n == 1 { (max_size * 0.8).max(min_size) } else { min_size };
            let mut size = max_size;
            while size >= floor - 1e-3 {
                // Quick reject before breaking lines.
                if total_em * size <= max_w * n as f32 {
                    let adv = |c: char| f.advance_em(c) * size;
                    let lines = text::break_ranges(s, max_w, &adv);
                    if lines.len() <= n {
                        let w = if n > 1 { text::balanced_width(s, max_w, n, &adv) } else { max_w };
                        let st = Style { size, color: INK, bold, spacing: 0.0 };
                        return (size, self.wrap(s, &st, w));
                    }
                }
                size -= 1.0;
            }
        }
        let st = Style { size: min_size, color: INK, bold, spacing: 0.0 };
        (min_size, self.wrap(s, &st, max_w))
    }
}

/// Flate-compress every compressible stream, in parallel.
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s)
                if s.allows_compression && s.dict.get(b"Filter").is_err() && s.content.len() > 64 =>
            {
                Some(s)
            }
            _ => None,
        })
        .collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let chunk = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for s in part.iter_mut() {
                    let mut enc = flate2::write::ZlibEncoder::new(
                        Vec::with_capacity(s.content.len() / 3),
                        flate2::Compression::new(6),
                    );
                    if enc.write_all(&s.content).is_err() {
                        continue;
                    }
                    if let Ok(z) = enc.finish() {
                        if z.len() + 19 < s.content.len() {
                            s.dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
                            s.set_content(z);
                        }
                    }
                }
            });
        }
    });
}

/// Baseline that visually centres CJK text (em box −0.12…0.88) in a band.
pub(crate) fn baseline_mid(top: f32, h: f32, size: f32) -> f32 {
    top + h / 2.0 + size * 0.38
}
