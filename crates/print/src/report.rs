//! Work report (工作报告) to superiors: A4 portrait in the manner of an official
//! document (公文) — red title over a red double rule, "一、…" headings, justified
//! paragraphs with a two-character indent, bordered tables that continue across
//! pages with the header repeated, vector bar charts, a 2 × 3 photo appendix, and
//! "— N —" page numbers at the bottom centre of every page.

use crate::blocks::{clamp_lines, ellipsize, Flow, A4};
use crate::canvas::*;
use crate::error::PrintError;
use crate::images::ImageKind;
use crate::model::{BarChart, Report, ReportSection, ReportTable};
use crate::text::clean;

/// Title printed when the report has none.
pub const REPORT_DEFAULT_TITLE: &str = "工作报告";
/// Text in place of a photo that cannot be decoded.
pub const PHOTO_UNAVAILABLE: &str = "（照片无法显示）";

const ML: f32 = 70.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = 70.0;
const BODY: f32 = 12.0;
const BODY_LH: f32 = BODY * 1.8;
const HEAD: f32 = 13.5;
const HEAD_LH: f32 = HEAD * 1.75;

/// Most table columns (more are dropped) and lines per table cell (more end in "…").
const MAX_COLS: usize = 40;
const MAX_CELL_LINES: usize = 8;
/// Most chart categories and series drawn.
const MAX_BARS: usize = 200;
const MAX_SERIES: usize = 6;
/// Most photos printed (20 pages).
const MAX_PHOTOS: usize = 120;

const RULE: C = C(0xC8, 0x10, 0x2E);
const GRID: C = C(0x99, 0x99, 0x99);
const HEAD_FILL: C = C(0xEC, 0xEC, 0xEC);
const TOTAL_FILL: C = C(0xF6, 0xF6, 0xF6);
const PALETTE: [C; MAX_SERIES] = [
    C(0xC8, 0x10, 0x2E), // red
    C(0x4F, 0x5D, 0x6B), // slate
    C(0xC9, 0xA2, 0x27), // gold
    C(0x9A, 0xA8, 0xB4), // light slate
    C(0xE8, 0x8E, 0x98), // light red
    C(0x2B, 0x36, 0x40), // dark slate
];

/// The report as a PDF (see [`Report`]). Photos that cannot be decoded are replaced
/// by "（照片无法显示）" with their caption; they never fail the report.
pub fn report(r: &Report) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut title = clean(r.title.trim());
        if title.trim().is_empty() {
            title = REPORT_DEFAULT_TITLE.into();
        }
        let mut doc = Doc::new(&title, &r.issuer)?;
        let photos: Vec<&[u8]> = r.photos.iter().take(MAX_PHOTOS).map(|p| p.image.as_slice()).collect();
        let images: Vec<Option<ImageRef>> = doc.images(&photos, ImageKind::Photo).into_iter().map(|r| r.ok()).collect();
        let pages = layout(doc.ctx(), r, &title, &images);
        doc.push_all(pages);
        doc.finish()
    })
}

fn layout(doc: &Ctx, r: &Report, title: &str, images: &[Option<ImageRef>]) -> Vec<Page> {
    let (w, h) = A4;
    let mut flow = Flow::new(w, h, TOP, h - BOTTOM);
    masthead(doc, &mut flow, r, title);
    for s in &r.sections {
        section(doc, &mut flow, s);
    }
    photo_pages(doc, &mut flow, r, images);
    let mut pages = flow.finish();
    // "— 3 —": page number between two dashes, bottom centre.
    let st = Style::new(11.0, INK);
    let dash_w = doc.width("—", &st);
    let anchor = anchor_text(&r.audit_anchor);
    let anchor_st = Style::new(7.0, GREY);
    for (i, page) in pages.iter_mut().enumerate() {
        let num = (i + 1).to_string();
        let half = doc.width(&num, &st) / 2.0 + 5.0;
        let y = h - 40.0;
        doc.text(page, w / 2.0 - half - dash_w, y, &st, Align::Left, "—");
        doc.text(page, w / 2.0, y, &st, Align::Center, &num);
        doc.text(page, w / 2.0 + half, y, &st, Align::Left, "—");
        if let Some(a) = &anchor {
            doc.text(page, w - ML, y + 2.0, &anchor_st, Align::Right, a);
        }
    }
    pages
}

/// 「审计链 a1b2c3d4e5f6a7b8…」: the first 16 hex digits of the anchor, enough to find the
/// entry (`audit verify --anchor` takes such a prefix); nothing for an empty or odd one.
fn anchor_text(anchor: &str) -> Option<String> {
    let a = anchor.trim();
    (a.len() >= 16 && a.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("审计链 {}…", &a[..16]))
}

fn text_w() -> f32 {
    A4.0 - 2.0 * ML
}

// ---- masthead ---------------------------------------------------------------------

fn masthead(doc: &Ctx, flow: &mut Flow, r: &Report, title: &str) {
    let (w, tw) = (A4.0, text_w());
    let cx = w / 2.0;
    flow.y = TOP + 8.0;
    let (size, lines) = doc.fit_title(title, true, tw, 26.0, 18.0, 3);
    // Letter-spacing for short titles, as on a 红头 masthead.
    let spacing = lines
        .iter()
        .map(|l| {
            let n = l.chars().count().max(1) as f32;
            let room = tw - doc.width(l, &Style::new(size, RULE).bold());
            (room / n).clamp(0.0, size * 0.25)
        })
        .fold(f32::INFINITY, f32::min)
        .min(size * 0.25);
    let tst = Style::new(size, RULE).bold().spaced(spacing.max(0.0));
    let lines = clamp_lines(doc, lines, 6, &tst, tw);
    for l in &lines {
        flow.ensure(size * 1.35);
        doc.text_mid(&mut flow.page, cx, flow.y, size * 1.35, &tst, Align::Center, l);
        flow.y += size * 1.35;
    }
    let sub = clean(r.subtitle.trim());
    if !sub.is_empty() {
        let st = Style::new(14.0, INK);
        flow.y += 2.0;
        for l in clamp_lines(doc, doc.wrap(&sub, &st, tw), 3, &st, tw) {
            flow.ensure(14.0 * 1.6);
            doc.text_mid(&mut flow.page, cx, flow.y, 14.0 * 1.6, &st, Align::Center, &l);
            flow.y += 14.0 * 1.6;
        }
    }
    flow.y += 10.0;
    let issuer = clean(r.issuer.trim());
    let date = clean(r.date_text.trim());
    let meta: Vec<&str> = [issuer.as_str(), date.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    let mst = Style::new(11.0, C(0x44, 0x44, 0x44)).spaced(0.5);
    if !meta.is_empty() {
        let meta = meta.join(" · ");
        for l in clamp_lines(doc, doc.wrap(&meta, &mst, tw), 3, &mst, tw) {
            flow.ensure(18.0);
            doc.text_mid(&mut flow.page, cx, flow.y, 18.0, &mst, Align::Center, &l);
            flow.y += 18.0;
        }
        flow.y += 4.0;
    }
    // Red double rule (红头文件 separator).
    flow.ensure(8.0);
    flow.page.fill_rect(ML, flow.y, tw, 2.2, RULE);
    flow.page.fill_rect(ML, flow.y + 4.0, tw, 0.7, RULE);
    flow.y += 4.7;
    let period = clean(r.period_text.trim());
    if !period.is_empty() {
        let pst = Style::new(10.5, GREY);
        flow.y += 6.0;
        let text = format!("统计时段：{period}");
        for l in clamp_lines(doc, doc.wrap(&text, &pst, tw), 3, &pst, tw) {
            flow.ensure(16.0);
            doc.text_mid(&mut flow.page, cx, flow.y, 16.0, &pst, Align::Center, &l);
            flow.y += 16.0;
        }
    }
    flow.y += 18.0;
}

// ---- sections and paragraphs ---------------------------------------------------------

fn section(doc: &Ctx, flow: &mut Flow, s: &ReportSection) {
    let tw = text_w();
    let heading = clean(s.heading.trim());
    if !heading.is_empty() {
        let st = Style::new(HEAD, INK).bold();
        let lines = doc.wrap_ranges(&heading, &st, tw, 0.0);
        if flow.y > flow.top + 1.0 {
            flow.y += 6.0;
        }
        // Keep the heading with what follows: two lines of text, or the start of a
        // table (title, header, two rows), or a whole chart.
        let next = if s.paragraphs.iter().any(|p| !p.trim().is_empty()) {
            2.0 * BODY_LH
        } else if !s.tables.is_empty() {
            110.0
        } else if !s.charts.is_empty() {
            300.0
        } else {
            0.0
        };
        flow.ensure(lines.len() as f32 * HEAD_LH + next);
        for r in lines {
            flow.ensure(HEAD_LH);
            doc.text_mid(&mut flow.page, ML, flow.y, HEAD_LH, &st, Align::Left, &heading[r]);
            flow.y += HEAD_LH;
        }
        flow.y += 2.0;
    }
    for p in &s.paragraphs {
        paragraph(doc, flow, p);
    }
    for t in &s.tables {
        table(doc, flow, t);
    }
    // Small charts (a few categories each) go two to a row: a page is not spent on one.
    let small = |c: &BarChart| c.labels.len() <= SMALL_CHART_BARS && c.series.len() <= 2;
    let mut i = 0;
    while i < s.charts.len() {
        let c = &s.charts[i];
        match s.charts.get(i + 1) {
            Some(next) if small(c) && small(next) => {
                chart_row(doc, flow, &[c, next]);
                i += 2;
            }
            _ => {
                chart_row(doc, flow, &[c]);
                i += 1;
            }
        }
    }
}

fn paragraph(doc: &Ctx, flow: &mut Flow, p: &str) {
    let tw = text_w();
    let st = Style::new(BODY, INK);
    let indent = 2.0 * BODY;
    for p in clean(p).split('\n') {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let ranges = doc.wrap_ranges(p, &st, tw, indent);
        let last = ranges.len().saturating_sub(1);
        // No single first line at the foot of a page.
        flow.ensure(ranges.len().min(2) as f32 * BODY_LH);
        for (i, r) in ranges.into_iter().enumerate() {
            // No single last line at the head of a page.
            if i + 2 == last + 1 && last >= 2 {
                flow.ensure(2.0 * BODY_LH);
            } else {
                flow.ensure(BODY_LH);
            }
            let x = if i == 0 { ML + indent } else { ML };
            let line = &p[r];
            let sp = if i < last { doc.justify_spacing(line, &st, ML + tw - x) } else { 0.0 };
            doc.text_mid(&mut flow.page, x, flow.y, BODY_LH, &st.spaced(sp), Align::Left, line);
            flow.y += BODY_LH;
        }
    }
}

// ---- tables -------------------------------------------------------------------------

/// "1,234", "-3.5%", "+12", "1.2万", "¥300" read as numbers (right-aligned).
fn is_numeric(s: &str) -> bool {
    let mut t = s.trim();
    for suf in ['%', '％', '‰', '万', '亿'] {
        if let Some(x) = t.strip_suffix(suf) {
            t = x.trim_end();
            break;
        }
    }
    for pre in ['+', '-', '−', '＋', '－', '¥', '￥'] {
        if let Some(x) = t.strip_prefix(pre) {
            t = x.trim_start();
        }
    }
    let (mut digits, mut dots) = (0, 0);
    for c in t.chars() {
        match c {
            '0'..='9' => digits += 1,
            ',' => {}
            '.' => dots += 1,
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}

fn is_placeholder(s: &str) -> bool {
    matches!(s.trim(), "—" | "——" | "-" | "--" | "－" | "–" | "/" | "／" | "N/A" | "n/a" | "…")
}

struct Row {
    cells: Vec<(Vec<String>, Align)>,
    h: f32,
    bold: bool,
}

struct TableLayout {
    size: f32,
    pad: f32,
    widths: Vec<f32>,
    header: Option<Row>,
    rows: Vec<Row>,
}

fn em_width(doc: &Ctx, s: &str) -> f32 {
    s.chars().map(|c| doc.fonts.advance_em(c)).sum()
}

/// Widest run that cannot be broken (Latin word, number), in em.
fn unbreakable_em(doc: &Ctx, s: &str) -> f32 {
    let (mut best, mut cur) = (0.0f32, 0.0f32);
    for c in s.chars() {
        if c.is_whitespace() || crate::text::is_cjk_like(c) {
            best = best.max(cur);
            cur = 0.0;
            if crate::text::is_cjk_like(c) {
                best = best.max(doc.fonts.advance_em(c));
            }
        } else {
            cur += doc.fonts.advance_em(c);
        }
    }
    best.max(cur)
}

fn table_layout(doc: &Ctx, t: &ReportTable, width: f32) -> Option<TableLayout> {
    let ncols = t
        .columns
        .len()
        .max(t.rows.iter().map(|r| r.len()).max().unwrap_or(0))
        .max(t.total.as_ref().map(|r| r.len()).unwrap_or(0))
        .min(MAX_COLS);
    if ncols == 0 {
        return None;
    }
    let norm = |r: &[String]| -> Vec<String> {
        (0..ncols).map(|i| r.get(i).map(|s| clean(s.trim()).replace('\n', " ")).unwrap_or_default()).collect()
    };
    let header: Vec<String> = norm(&t.columns);
    let has_header = header.iter().any(|s| !s.is_empty());
    let mut body: Vec<Vec<String>> = t.rows.iter().map(|r| norm(r)).collect();
    let total = t.total.as_ref().map(|r| norm(r));
    if let Some(tr) = &total {
        body.push(tr.clone());
    }
    // Column statistics in em (widths scale with the font size).
    let mut nat = vec![0.0f32; ncols];
    let mut minw = vec![0.0f32; ncols];
    let mut numeric_count = vec![0usize; ncols];
    let mut text_count = vec![0usize; ncols];
    for row in &body {
        for (c, s) in row.iter().enumerate() {
            if s.is_empty() {
                continue;
            }
            let e = em_width(doc, s);
            nat[c] = nat[c].max(e);
            if is_numeric(s) {
                numeric_count[c] += 1;
                minw[c] = minw[c].max(e);
            } else if !is_placeholder(s) {
                text_count[c] += 1;
                minw[c] = minw[c].max(unbreakable_em(doc, s).min(e).max(e.min(4.0)));
            } else {
                minw[c] = minw[c].max(e);
            }
        }
    }
    let numeric_col: Vec<bool> =
        (0..ncols).map(|c| numeric_count[c] > 0 && numeric_count[c] >= text_count[c]).collect();
    // The header may wrap onto two or three lines.
    let mut hnat = vec![0.0f32; ncols];
    let mut hmin = vec![0.0f32; ncols];
    for (c, s) in header.iter().enumerate() {
        let e = em_width(doc, s);
        hnat[c] = e;
        // A parenthesised unit stays on one line: "覆盖人次" / "（人次）".
        let paren = s.find(['（', '(']).filter(|&i| i > 0).map(|i| em_width(doc, &s[i..])).unwrap_or(0.0);
        hmin[c] = unbreakable_em(doc, s).max(e / 3.0).max(paren).max(e.min(2.0)).min(e);
    }
    let pad_em = 0.9; // both sides together
    let target: Vec<f32> = (0..ncols)
        .map(|c| {
            let body = if numeric_col[c] { nat[c] } else { nat[c].min(8.0) };
            body.max(hnat[c].min(body.max(4.0))).max(hmin[c]).max(minw[c]) + pad_em
        })
        .collect();
    let natural: Vec<f32> = (0..ncols).map(|c| nat[c].max(hnat[c]) + pad_em).collect();
    let minimum: Vec<f32> = (0..ncols).map(|c| minw[c].max(hmin[c]).max(1.0) + pad_em).collect();
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    // Headers on one line and long text wrapped at 8 em, if that fits at a size
    // close to the body; else headers may wrap too; else shrink down to the minimum.
    let unwrapped: Vec<f32> = (0..ncols)
        .map(|c| {
            let body = if numeric_col[c] { nat[c] } else { nat[c].min(8.0) };
            body.max(hnat[c]).max(minw[c]) + pad_em
        })
        .collect();
    let mut choice: Option<(f32, Vec<f32>)> = None;
    for size in [10.5f32, 10.0, 9.5] {
        if sum(&unwrapped) * size <= width {
            choice = Some((size, unwrapped.clone()));
            break;
        }
    }
    for size in [10.5f32, 10.0, 9.5, 9.0, 8.5] {
        if choice.is_some() {
            break;
        }
        if sum(&target) * size <= width {
            choice = Some((size, target.clone()));
            break;
        }
    }
    if choice.is_none() {
        for size in [9.0f32, 8.5, 8.0, 7.5, 7.0] {
            if sum(&minimum) * size <= width {
                choice = Some((size, minimum.clone()));
                break;
            }
        }
    }
    let (size, base) = choice.unwrap_or_else(|| {
        let size = 7.0;
        let s = sum(&minimum) * size;
        (size, minimum.iter().map(|m| m * width / s).collect())
    });
    // In points; share out the spare width: headers on one line first, then cells
    // unwrapped, then everything in proportion.
    let mut widths: Vec<f32> = base.iter().map(|e| e * size).collect();
    let mut spare = width - sum(&widths);
    let header_want: Vec<f32> = (0..ncols).map(|c| (hnat[c] + pad_em) * size).collect();
    let body_want: Vec<f32> = (0..ncols).map(|c| natural[c] * size).collect();
    for goal in [&header_want, &body_want] {
        if spare <= 0.0 {
            break;
        }
        let want: Vec<f32> = (0..ncols).map(|c| (goal[c] - widths[c]).max(0.0)).collect();
        let want_sum = sum(&want);
        if want_sum > 0.0 {
            let k = (spare / want_sum).min(1.0);
            for c in 0..ncols {
                widths[c] += want[c] * k;
            }
            spare = width - sum(&widths);
        }
    }
    if spare > 0.0 {
        let s = sum(&widths);
        for w in widths.iter_mut() {
            *w += spare * *w / s;
        }
    }
    let pad = pad_em * size / 2.0;
    let lh = size * 1.32;
    let padv = size * 0.42;
    let st = Style::new(size, INK);
    let bst = st.bold();
    let make_row = |cells: &[String], bold: bool, head: bool| -> Row {
        let mut n = 1;
        let cells: Vec<(Vec<String>, Align)> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let cw = (widths[c] - 2.0 * pad).max(size);
                let style = if bold { &bst } else { &st };
                let mut lines = if s.is_empty() {
                    Vec::new()
                } else {
                    clamp_lines(doc, doc.wrap(s, style, cw), MAX_CELL_LINES, style, cw)
                };
                if head && lines.len() > 1 && lines.len() <= MAX_CELL_LINES {
                    let paren = s.find(['（', '(']).filter(|&i| i > 0);
                    match paren {
                        // "覆盖人次" / "（人次）"
                        Some(i) if doc.width(&s[..i], style) <= cw && doc.width(&s[i..], style) <= cw => {
                            lines = vec![s[..i].trim_end().to_string(), s[i..].to_string()];
                        }
                        // Even lines ("按时回/访率", not "按时回访/率").
                        _ => {
                            let adv = |ch: char| doc.fonts.advance_em(ch) * size;
                            let bw = crate::text::balanced_width(s, cw, lines.len(), &adv);
                            lines = doc.wrap(s, style, bw);
                        }
                    }
                }
                n = n.max(lines.len());
                let align = if head {
                    Align::Center
                } else if is_numeric(s) || (numeric_col[c] && is_placeholder(s)) {
                    Align::Right
                } else if bold && lines.len() <= 1 {
                    Align::Center
                } else {
                    Align::Left
                };
                (lines, align)
            })
            .collect();
        Row { cells, h: n as f32 * lh + 2.0 * padv, bold }
    };
    let header = has_header.then(|| make_row(&header, true, true));
    let nbody = body.len();
    let rows: Vec<Row> =
        body.iter().enumerate().map(|(i, r)| make_row(r, total.is_some() && i + 1 == nbody, false)).collect();
    Some(TableLayout { size, pad, widths, header, rows })
}

fn table(doc: &Ctx, flow: &mut Flow, t: &ReportTable) {
    let tw = text_w();
    let title = clean(t.title.trim()).replace('\n', " ");
    let tst = Style::new(10.5, INK).bold();
    let title_lines =
        if title.is_empty() { Vec::new() } else { clamp_lines(doc, doc.wrap(&title, &tst, tw), 3, &tst, tw) };
    let title_lh = 10.5 * 1.6;
    let Some(lay) = table_layout(doc, t, tw) else {
        return;
    };
    let head_h = lay.header.as_ref().map(|r| r.h).unwrap_or(0.0);
    let first_rows: f32 = lay.rows.iter().take(2).map(|r| r.h).sum();
    flow.y += 6.0;
    flow.ensure(title_lines.len() as f32 * title_lh + 4.0 + head_h + first_rows);
    for l in &title_lines {
        doc.text_mid(&mut flow.page, ML + tw / 2.0, flow.y, title_lh, &tst, Align::Center, l);
        flow.y += title_lh;
    }
    flow.y += 3.0;
    let cont_st = Style::new(9.0, GREY);
    let cont = ellipsize(doc, &format!("{}（续）", if title.is_empty() { "续表" } else { &title }), &cont_st, tw);

    let mut seg_top = flow.y;
    let mut seg_rows: Vec<f32> = Vec::new(); // bottoms of rows in this segment
    if let Some(hr) = &lay.header {
        draw_row(doc, &mut flow.page, &lay, hr, flow.y, Some(HEAD_FILL));
        flow.y += hr.h;
        seg_rows.push(flow.y);
    }
    for row in &lay.rows {
        if flow.y + row.h > flow.bottom + 0.01 && flow.y > seg_top + head_h + 0.5 {
            close_segment(&mut flow.page, &lay, seg_top, &seg_rows, lay.header.is_some());
            flow.new_page();
            doc.text_mid(&mut flow.page, ML, flow.y, 14.0, &cont_st, Align::Left, &cont);
            flow.y += 16.0;
            seg_top = flow.y;
            seg_rows.clear();
            if let Some(hr) = &lay.header {
                draw_row(doc, &mut flow.page, &lay, hr, flow.y, Some(HEAD_FILL));
                flow.y += hr.h;
                seg_rows.push(flow.y);
            }
        }
        let fill = row.bold.then_some(TOTAL_FILL);
        draw_row(doc, &mut flow.page, &lay, row, flow.y, fill);
        flow.y += row.h;
        seg_rows.push(flow.y);
    }
    close_segment(&mut flow.page, &lay, seg_top, &seg_rows, lay.header.is_some());
    flow.y += 14.0;
}

fn draw_row(doc: &Ctx, page: &mut Page, lay: &TableLayout, row: &Row, y: f32, fill: Option<C>) {
    let total_w: f32 = lay.widths.iter().sum();
    if let Some(f) = fill {
        page.fill_rect(ML, y, total_w, row.h, f);
    }
    let st = if row.bold { Style::new(lay.size, INK).bold() } else { Style::new(lay.size, INK) };
    let lh = lay.size * 1.32;
    let mut x = ML;
    for ((lines, align), w) in row.cells.iter().zip(&lay.widths) {
        if !lines.is_empty() {
            // Vertically centred in the row.
            let top = y + (row.h - lines.len() as f32 * lh) / 2.0;
            let ax = match align {
                Align::Left => x + lay.pad,
                Align::Center => x + w / 2.0,
                Align::Right => x + w - lay.pad,
            };
            doc.lines(page, ax, top, lh, &st, *align, lines);
        }
        x += w;
    }
}

/// Rules of one page's part of a table: row lines, column lines, frame.
fn close_segment(page: &mut Page, lay: &TableLayout, top: f32, bottoms: &[f32], header: bool) {
    let Some(&bottom) = bottoms.last() else {
        return;
    };
    let total_w: f32 = lay.widths.iter().sum();
    let inner = bottoms.len().saturating_sub(1);
    for (i, &y) in bottoms[..inner].iter().enumerate() {
        let (c, w) = if i == 0 && header { (INK, 0.8) } else { (GRID, 0.45) };
        page.line(ML, y, ML + total_w, y, c, w, None);
    }
    let mut x = ML;
    for w in &lay.widths[..lay.widths.len() - 1] {
        x += w;
        page.line(x, top, x, bottom, GRID, 0.45, None);
    }
    page.stroke_rect(ML, top, total_w, bottom - top, INK, 1.0);
}

// ---- bar charts ---------------------------------------------------------------------

const PLOT_H: f32 = 190.0;
/// The lowest a chart is drawn to fit the rest of a page.
const MIN_PLOT_H: f32 = 100.0;
/// Charts with at most this many categories are drawn half-width, two to a row.
const SMALL_CHART_BARS: usize = 6;

/// A "nice" step (1, 2, 2.5, 5 × 10^k) for about `target` intervals over `span`.
fn nice_step(span: f64, target: f64) -> f64 {
    let raw = (span / target).max(1e-12);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let k = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|&k| k >= norm - 1e-9).unwrap_or(10.0);
    k * mag
}

/// Decimals needed to write multiples of `step`.
fn step_decimals(step: f64) -> usize {
    (0..=4)
        .find(|&d| {
            let m = step * 10f64.powi(d as i32);
            (m - m.round()).abs() < 1e-6 * m.abs().max(1.0)
        })
        .unwrap_or(4)
}

/// "12,345" / "12,345.6" (thousands separated).
fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let neg = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    format!("{}{out}{frac}", if neg { "-" } else { "" })
}

fn is_percent(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "％" | "百分比")
}

/// Axis tick label: plain up to 99,999, then 万 / 亿.
fn tick_label(v: f64, step: f64, max_abs: f64, percent: bool) -> String {
    let (div, suffix) = if max_abs >= 1e8 {
        (1e8, "亿")
    } else if max_abs >= 1e5 {
        (1e4, "万")
    } else {
        (1.0, "")
    };
    let d = step_decimals(step / div);
    let mut s = group(v / div, d.min(3));
    if v == 0.0 {
        s = "0".into();
    } else {
        s.push_str(suffix);
    }
    if percent {
        s.push('%');
    }
    s
}

/// Value label on a bar: exact when short, else in 万 / 亿.
fn value_label(v: f64, decimals: usize, percent: bool) -> String {
    let mut s = group(v, decimals);
    if s.len() > 9 {
        let a = v.abs();
        s = if a >= 1e12 {
            format!("{}万亿", group(v / 1e12, 1))
        } else if a >= 1e8 {
            format!("{}亿", group(v / 1e8, 1))
        } else {
            format!("{}万", group(v / 1e4, 1))
        };
        s = s.replace(".0万", "万").replace(".0亿", "亿");
    }
    if percent {
        s.push('%');
    }
    s
}

struct Chart {
    labels: Vec<String>,
    names: Vec<String>,
    values: Vec<Vec<f64>>, // [series][category]
    /// Values the document has none for (NaN in the model): no bar, labelled "—".
    missing: Vec<Vec<bool>>,
    n: usize,
    percent: bool,
    unit: String,
    title: Vec<String>,
}

fn chart_data(doc: &Ctx, c: &BarChart, tw: f32) -> Chart {
    let series: Vec<_> = c.series.iter().take(MAX_SERIES).collect();
    let n = c.labels.len().max(series.iter().map(|s| s.values.len()).max().unwrap_or(0)).min(MAX_BARS);
    let labels =
        (0..n).map(|i| c.labels.get(i).map(|s| clean(s.trim()).replace('\n', " ")).unwrap_or_default()).collect();
    let missing =
        series.iter().map(|s| (0..n).map(|i| s.values.get(i).is_some_and(|v| v.is_nan())).collect()).collect();
    let values = series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| {
                    let v = s.values.get(i).copied().unwrap_or(0.0);
                    if v.is_finite() {
                        v.clamp(-1e15, 1e15)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let names = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = clean(s.name.trim()).replace('\n', " ");
            if n.is_empty() {
                format!("系列{}", i + 1)
            } else {
                n
            }
        })
        .collect();
    let tst = Style::new(10.5, INK).bold();
    let title = clean(c.title.trim()).replace('\n', " ");
    let title = if title.is_empty() { Vec::new() } else { clamp_lines(doc, doc.wrap(&title, &tst, tw), 3, &tst, tw) };
    let unit = clean(c.unit.trim()).replace('\n', " ");
    Chart { labels, names, values, missing, n, percent: is_percent(&unit), unit, title }
}

/// Shorten `s` to `max_w` by cutting its middle ("淄博市临…第12网格"): the end of a
/// category name is usually what tells it apart.
fn ellipsize_middle(doc: &Ctx, s: &str, st: &Style, max_w: f32) -> String {
    if doc.width(s, st) <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let w = |c: char| doc.fonts.advance_em(c) * st.size + st.spacing;
    let budget = max_w - doc.width("…", st);
    let (mut head, mut tail) = (0usize, 0usize);
    let mut used = 0.0;
    // Grow the tail to ~55 % of the budget, then the head.
    while tail < chars.len() && used + w(chars[chars.len() - 1 - tail]) <= budget * 0.55 {
        used += w(chars[chars.len() - 1 - tail]);
        tail += 1;
    }
    while head + tail < chars.len() && used + w(chars[head]) <= budget {
        used += w(chars[head]);
        head += 1;
    }
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(chars[chars.len() - tail..].iter());
    out
}

/// How category labels are set under the bars.
enum LabelMode {
    /// Per category 1–2 horizontal lines.
    Lines(Vec<Vec<String>>),
    /// Turned by the angle (45° or 90°); every k-th label.
    Rotated(f32, Vec<String>, usize),
    /// Chinese labels set vertically, one upright character under the other; every
    /// k-th label.
    Stacked(Vec<Vec<String>>, usize),
}

/// Mostly Chinese (set vertically when crowded).
fn mostly_cjk(s: &str) -> bool {
    let n = s.chars().filter(|c| !c.is_whitespace()).count();
    let cjk = s.chars().filter(|&c| crate::text::is_cjk_like(c)).count();
    n > 0 && cjk * 3 >= n * 2
}

/// Category labels for bands `band` points wide: one line, two lines, upright
/// characters stacked (Chinese), or turned 45°/90° (others); long ones shortened in
/// the middle, every k-th one when even that is too crowded. Returns the font size.
fn category_labels(doc: &Ctx, labels: &[String], band: f32) -> (f32, LabelMode) {
    for size in [9.0f32, 8.5, 8.0, 7.5] {
        let st = Style::new(size, INK);
        if labels.iter().all(|l| doc.width(l, &st) <= band - 2.0) {
            let lines = labels.iter().map(|l| vec![l.clone()]).collect();
            return (size, LabelMode::Lines(lines));
        }
    }
    let size = 8.0f32;
    let st = Style::new(size, INK);
    if band >= 3.0 * size {
        let wrapped: Vec<Vec<String>> = labels.iter().map(|l| doc.wrap(l, &st, band - 2.0)).collect();
        if wrapped.iter().all(|w| w.len() <= 2) {
            return (size, LabelMode::Lines(wrapped));
        }
    }
    let size = if band >= 9.0 { 8.0 } else { 7.5 };
    let st = Style::new(size, INK);
    let angle = if band >= size * 2.0 { 45.0 } else { 90.0 };
    let cjk = labels.iter().filter(|l| !l.is_empty()).all(|l| mostly_cjk(l));
    if angle == 90.0 && cjk {
        let every = (size * 1.15 / band.max(0.01)).ceil().max(1.0) as usize;
        const MAX_CHARS: usize = 8;
        let stacks = labels
            .iter()
            .map(|l| {
                let chars: Vec<String> = l.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_string()).collect();
                if chars.len() <= MAX_CHARS {
                    return chars;
                }
                // Keep the head and the distinguishing tail ("淄博市︙第3网格").
                let tail = MAX_CHARS / 2;
                let head = MAX_CHARS - 1 - tail;
                let mut v = chars[..head].to_vec();
                v.push("︙".into());
                v.extend_from_slice(&chars[chars.len() - tail..]);
                v
            })
            .collect();
        return (size, LabelMode::Stacked(stacks, every));
    }
    let pitch = if angle == 45.0 { size * 1.45 } else { size * 1.1 };
    let every = (pitch / band.max(0.01)).ceil().max(1.0) as usize;
    let text = labels.iter().map(|l| ellipsize_middle(doc, l, &st, 84.0)).collect();
    (size, LabelMode::Rotated(angle, text, every))
}

impl LabelMode {
    /// Height taken under the plot.
    fn height(&self, doc: &Ctx, size: f32) -> f32 {
        let st = Style::new(size, INK);
        match self {
            LabelMode::Lines(lines) => lines.iter().map(|l| l.len()).max().unwrap_or(0) as f32 * size * 1.25 + 8.0,
            LabelMode::Rotated(angle, text, _) => {
                let len = text.iter().map(|t| doc.width(t, &st)).fold(0.0, f32::max);
                len * angle.to_radians().sin() + size + 8.0
            }
            LabelMode::Stacked(stacks, _) => {
                stacks.iter().map(|l| l.len()).max().unwrap_or(0) as f32 * size * 1.08 + 8.0
            }
        }
    }

    /// Draw under the plot: band `i` is centred at `x0 + band * (i + 0.5)`, `top`
    /// is the bottom of the plot.
    fn draw(&self, doc: &Ctx, page: &mut Page, size: f32, x0: f32, band: f32, top: f32) {
        let st = Style::new(size, INK);
        let cx = |i: usize| x0 + band * (i as f32 + 0.5);
        match self {
            LabelMode::Lines(lines) => {
                for (i, l) in lines.iter().enumerate() {
                    doc.lines(page, cx(i), top, size * 1.25, &st, Align::Center, l);
                }
            }
            LabelMode::Rotated(angle, text, every) => {
                let (sin, cos) = angle.to_radians().sin_cos();
                for (i, t) in text.iter().enumerate().step_by(*every) {
                    let len = doc.width(t, &st);
                    // The label ends at the tick, its glyphs' centre line on it.
                    let off = size * 0.36;
                    let ex = cx(i) + off * sin;
                    let ey = top + 2.0 + off * cos;
                    doc.text_rotated(page, ex - len * cos, ey + len * sin, &st, *angle, t);
                }
            }
            LabelMode::Stacked(stacks, every) => {
                for (i, l) in stacks.iter().enumerate().step_by(*every) {
                    doc.lines(page, cx(i), top + 1.0, size * 1.08, &st, Align::Center, l);
                }
            }
        }
    }
}

/// The value axis: range, nice step, ticks and their labels.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<(f64, String)>,
}

fn value_axis(values: &[Vec<f64>], percent: bool) -> Axis {
    let all = values.iter().flatten().copied();
    let (mut lo, mut hi) = all.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let integral = values.iter().flatten().all(|v| v.fract() == 0.0);
    if hi - lo <= 0.0 {
        hi = if integral { 5.0 } else { 1.0 };
    }
    let mut step = nice_step(hi - lo, 5.0);
    if integral && step < 1.0 {
        step = 1.0;
    }
    lo = (lo / step + 1e-9).floor() * step;
    hi = (hi / step - 1e-9).ceil() * step;
    if hi - lo < step * 0.5 {
        hi = lo + step;
    }
    let max_abs = lo.abs().max(hi.abs());
    let ticks = (0..=((hi - lo) / step).round() as i64)
        .map(|i| {
            let v = lo + i as f64 * step;
            (v, tick_label(v, step, max_abs, percent))
        })
        .collect();
    Axis { lo, hi, ticks }
}

/// Labels on the bars: the text per series and category, the font size (0 = none)
/// and whether they are turned upright (crowded bars).
struct ValueLabels {
    text: Vec<Vec<String>>,
    size: f32,
    upright: bool,
    /// Room they need beyond the end of a bar.
    extent: f32,
}

fn value_labels(doc: &Ctx, values: &[Vec<f64>], percent: bool, slot: f32) -> ValueLabels {
    let decimals = (0..=2usize)
        .find(|&d| {
            let m = 10f64.powi(d as i32);
            values.iter().flatten().all(|v| ((v * m) - (v * m).round()).abs() < 1e-6 * (v * m).abs().max(1.0))
        })
        .unwrap_or(2);
    let text: Vec<Vec<String>> =
        values.iter().map(|s| s.iter().map(|&v| value_label(v, decimals, percent)).collect()).collect();
    let widest_em = text.iter().flatten().map(|s| em_width(doc, s)).fold(0.0, f32::max);
    let (size, upright) = match [8.0f32, 7.5, 7.0, 6.5].into_iter().find(|size| widest_em * size <= slot) {
        Some(size) => (size, false),
        None if slot >= 6.5 => ((slot / 1.05).min(7.5), true),
        None => (0.0, false),
    };
    let extent = if size == 0.0 {
        0.0
    } else if upright {
        widest_em * size + 3.0
    } else {
        size + 3.0
    };
    ValueLabels { text, size, upright, extent }
}

/// Charts side by side in one row (one, or two small ones), kept together on a page.
fn chart_row(doc: &Ctx, flow: &mut Flow, row: &[&BarChart]) {
    const GAP: f32 = 20.0;
    let n = row.len().max(1) as f32;
    let w = (text_w() - GAP * (n - 1.0)) / n;
    let layout = |plot_h: f32| -> Vec<_> {
        row.iter().enumerate().map(|(i, c)| chart_block(doc, c, ML + i as f32 * (w + GAP), w, plot_h)).collect()
    };
    let mut blocks = layout(PLOT_H);
    let mut h = blocks.iter().map(|b| b.0).fold(0.0, f32::max);
    flow.y += 8.0;
    // A chart a little too tall for the rest of the page is drawn a little lower rather than
    // leaving that rest blank.
    let short = h - flow.room();
    if short > 0.0 && PLOT_H - short >= MIN_PLOT_H && flow.y > flow.top + 1.0 {
        blocks = layout(PLOT_H - short);
        h = blocks.iter().map(|b| b.0).fold(0.0, f32::max);
    }
    flow.ensure(h);
    let y0 = flow.y;
    let mut bottom = y0;
    for (_, draw) in blocks {
        bottom = bottom.max(draw(&mut flow.page, y0));
    }
    flow.y = bottom + 10.0;
}

/// A chart laid out in the box from `x0`, `tw` wide: its height, and how to draw it at a
/// given top (which returns the bottom of its caption).
#[allow(clippy::type_complexity)]
fn chart_block<'a>(
    doc: &'a Ctx,
    c: &BarChart,
    x0: f32,
    tw: f32,
    plot_h: f32,
) -> (f32, Box<dyn FnOnce(&mut Page, f32) -> f32 + 'a>) {
    let ch = chart_data(doc, c, tw);
    let (ns, n) = (ch.values.len(), ch.n);
    let axis = value_axis(&ch.values, ch.percent);
    let tick_st = Style::new(8.5, GREY);
    let ylw = axis.ticks.iter().map(|(_, s)| doc.width(s, &tick_st)).fold(0.0, f32::max) + 8.0;
    let px0 = x0 + ylw;
    let px1 = x0 + tw - 4.0;
    let band = (px1 - px0) / n.max(1) as f32;
    // Bars no wider than 34 pt, however few the categories.
    let bar_w = (band * if ns <= 1 { 0.56 } else { 0.78 } / ns.max(1) as f32).min(34.0);
    let group_w = bar_w * ns.max(1) as f32;
    let slot = if ns <= 1 { band - 2.0 } else { bar_w + 0.5 };
    let mut vl = value_labels(doc, &ch.values, ch.percent, slot);
    for (texts, missing) in vl.text.iter_mut().zip(&ch.missing) {
        for (t, _) in texts.iter_mut().zip(missing).filter(|(_, m)| **m) {
            *t = "—".into();
        }
    }
    let (lsize, labels) = category_labels(doc, &ch.labels, band);
    let xlabel_h = labels.height(doc, lsize);

    let show_legend = ns >= 2;
    let top_row = if show_legend || !ch.unit.is_empty() { 18.0 } else { 4.0 };
    let title_lh = 10.5 * 1.6;
    let block_h = top_row + plot_h + xlabel_h + 4.0 + ch.title.len() as f32 * title_lh + 6.0;
    let draw = move |page: &mut Page, y0: f32| -> f32 {
        // Unit (left) and legend (right).
        if !ch.unit.is_empty() {
            let ust = Style::new(8.5, GREY);
            let u = ellipsize(doc, &format!("单位：{}", ch.unit), &ust, tw * 0.3);
            doc.text_mid(page, x0, y0, 14.0, &ust, Align::Left, &u);
        }
        if show_legend {
            let lgst = Style::new(8.5, INK);
            // Each name gets its share of the legend's 70 % of the box (a half-width chart too).
            let k = ch.names.len().max(1) as f32;
            let max_name = ((tw * 0.7 - 14.0 * (k - 1.0)) / k - 12.0).clamp(12.0, 110.0);
            let names: Vec<String> = ch.names.iter().map(|s| ellipsize(doc, s, &lgst, max_name)).collect();
            let item_w = |s: &String| 8.0 + 4.0 + doc.width(s, &lgst);
            let total: f32 = names.iter().map(item_w).sum::<f32>() + 14.0 * (names.len() - 1) as f32;
            let mut x = (x0 + tw - total).max(x0 + tw * 0.3);
            for (i, s) in names.iter().enumerate() {
                page.fill_rect(x, y0 + 3.0, 8.0, 8.0, PALETTE[i]);
                doc.text_mid(page, x + 12.0, y0, 14.0, &lgst, Align::Left, s);
                x += item_w(s) + 14.0;
            }
        }

        // Plot area: values map into [plot_top + room for labels, plot_bottom - room
        // for labels under negative bars].
        let plot_top = y0 + top_row;
        let plot_bottom = plot_top + plot_h;
        let inner_top = plot_top + vl.extent.max(4.0);
        let inner_bottom = plot_bottom - if axis.lo < 0.0 { vl.extent } else { 0.0 };
        let ypos = |v: f64| -> f32 {
            let t = ((v - axis.lo) / (axis.hi - axis.lo)) as f32;
            inner_bottom - t * (inner_bottom - inner_top)
        };
        for (v, label) in &axis.ticks {
            let y = ypos(*v);
            if *v != 0.0 {
                page.line(px0, y, px1, y, C(0xDD, 0xDD, 0xDD), 0.4, None);
            }
            doc.text_mid(page, px0 - 5.0, y - 7.0, 14.0, &tick_st, Align::Right, label);
        }
        let axis_c = C(0x88, 0x88, 0x88);
        page.line(px0, inner_top - 2.0, px0, plot_bottom, axis_c, 0.6, None);

        // Bars, each series in its colour, with their value labels.
        let zero = ypos(0.0);
        let vst = Style::new(vl.size.max(1.0), C(0x33, 0x33, 0x33));
        let inset = if ns > 1 && bar_w > 4.0 { 0.4 } else { 0.0 };
        for (s, (values, texts)) in ch.values.iter().zip(&vl.text).enumerate() {
            for (i, (&v, label)) in values.iter().zip(texts).enumerate() {
                let x = px0 + band * i as f32 + (band - group_w) / 2.0 + bar_w * s as f32;
                // At least a hairline for a value too small to show.
                let h = if v != 0.0 { (ypos(v) - zero).abs().max(0.6) } else { 0.0 };
                let top = if v > 0.0 { zero - h } else { zero };
                page.fill_rect(x + inset, top, bar_w - 2.0 * inset, h, PALETTE[s]);
                if vl.size == 0.0 {
                    continue;
                }
                let cx = x + bar_w / 2.0;
                let lx = cx + vl.size * 0.36;
                match (vl.upright, v >= 0.0) {
                    (true, true) => doc.text_rotated(page, lx, top - 2.0, &vst, 90.0, label),
                    (true, false) => {
                        let lw = doc.width(label, &vst);
                        doc.text_rotated(page, lx, top + h + 2.0 + lw, &vst, 90.0, label);
                    }
                    (false, true) => doc.text(page, cx, top - 2.5, &vst, Align::Center, label),
                    (false, false) => {
                        let y = top + h + 2.0 + vl.size * 0.85;
                        doc.text(page, cx, y, &vst, Align::Center, label);
                    }
                }
            }
        }
        page.line(px0, zero, px1, zero, C(0x44, 0x44, 0x44), 0.8, None);
        if n == 0 {
            let est = Style::new(10.0, GREY);
            let y = plot_top + plot_h / 2.0 - 8.0;
            doc.text_mid(page, (px0 + px1) / 2.0, y, 16.0, &est, Align::Center, "（暂无数据）");
        }
        labels.draw(doc, page, lsize, px0, band, plot_bottom + 4.0);

        // Caption under the figure (表题在上，图题在下).
        let mut y = plot_bottom + xlabel_h + 4.0;
        let tst = Style::new(10.5, INK).bold();
        for l in &ch.title {
            doc.text_mid(page, x0 + tw / 2.0, y, title_lh, &tst, Align::Center, l);
            y += title_lh;
        }
        y
    };
    (block_h, Box::new(draw))
}

// ---- photos -------------------------------------------------------------------------

fn photo_pages(doc: &Ctx, flow: &mut Flow, r: &Report, images: &[Option<ImageRef>]) {
    let n = r.photos.len().min(MAX_PHOTOS);
    if n == 0 {
        return;
    }
    let tw = text_w();
    if flow.y > flow.top + 1.0 {
        flow.new_page();
    }
    let head_st = Style::new(HEAD, INK).bold();
    let head_h = HEAD_LH + 8.0;
    let (cols, rows) = (2usize, 3usize);
    let (gap_x, gap_y) = (18.0, 12.0);
    let cell_w = (tw - gap_x * (cols - 1) as f32) / cols as f32;
    let cell_h = (flow.bottom - flow.top - head_h - gap_y * (rows - 1) as f32) / rows as f32;
    let cap_st = Style::new(9.5, C(0x33, 0x33, 0x33));
    let cap_lh = 9.5 * 1.4;
    let box_h = cell_h - 2.0 * cap_lh - 6.0;
    for (k, p) in r.photos.iter().take(n).enumerate() {
        let slot = k % (cols * rows);
        if slot == 0 {
            if k > 0 {
                flow.new_page();
            }
            let head = if k == 0 { "附：活动照片" } else { "附：活动照片（续）" };
            doc.text_mid(&mut flow.page, ML, flow.y, HEAD_LH, &head_st, Align::Left, head);
            flow.y += head_h;
        }
        let (c, row) = (slot % cols, slot / cols);
        let x = ML + c as f32 * (cell_w + gap_x);
        let y = flow.top + head_h + row as f32 * (cell_h + gap_y);
        let page = &mut flow.page;
        let ih = match images.get(k).and_then(|i| i.as_ref()) {
            Some(img) => {
                let (iw, ih) = img.fit(cell_w, box_h);
                let ix = x + (cell_w - iw) / 2.0;
                let iy = y + (box_h - ih) / 2.0;
                page.image(&img.id, ix, iy, iw, ih);
                page.stroke_rect(ix, iy, iw, ih, LIGHT_GREY, 0.5);
                ih
            }
            None => {
                let (iw, ih) = (cell_w, box_h.min(cell_w * 0.75));
                let iy = y + (box_h - ih) / 2.0;
                page.fill_rect(x, iy, iw, ih, C(0xF2, 0xF2, 0xF2));
                page.stroke_rect(x, iy, iw, ih, LIGHT_GREY, 0.5);
                let st = Style::new(10.0, GREY);
                doc.text_mid(page, x + iw / 2.0, iy, ih, &st, Align::Center, PHOTO_UNAVAILABLE);
                ih
            }
        };
        let caption = clean(p.caption.trim()).replace('\n', " ");
        if !caption.is_empty() {
            let lines = clamp_lines(doc, doc.wrap(&caption, &cap_st, cell_w), 2, &cap_st, cell_w);
            let cy = y + (box_h + ih) / 2.0 + 5.0;
            doc.lines(page, x + cell_w / 2.0, cy, cap_lh, &cap_st, Align::Center, &lines);
        }
        flow.y = flow.bottom;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages() {
        for s in ["1", "1,234", "-3.5%", "+12", "1.2万", "¥300", " 45％ ", "0.5‰"] {
            assert!(is_numeric(s), "{s}");
        }
        for s in ["", "淄博", "1.2.3", "合计", "-", "第1名", "12人"] {
            assert!(!is_numeric(s), "{s}");
        }
    }

    #[test]
    fn nice_ticks() {
        assert_eq!(nice_step(4321.0, 5.0), 1000.0);
        assert_eq!(nice_step(97.0, 5.0), 20.0);
        assert_eq!(nice_step(12.0, 5.0), 2.5);
        assert_eq!(tick_label(2000.0, 1000.0, 5000.0, false), "2,000");
        assert_eq!(tick_label(200000.0, 100000.0, 500000.0, false), "20万");
        assert_eq!(tick_label(2.5e8, 2.5e8, 1e9, false), "2.5亿");
        assert_eq!(tick_label(12.5, 2.5, 20.0, true), "12.5%");
        assert_eq!(value_label(1234567.0, 0, false), "1,234,567");
        assert_eq!(value_label(123456789.0, 0, false), "1.2亿");
        assert_eq!(value_label(-3.0, 0, false), "-3");
    }
}
