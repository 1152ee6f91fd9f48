//! The weekly case review as a brief (每周涉诈案情研判简报): one A4 portrait page for the
//! Monday meeting — a red title over a red double rule, the week's key figures in boxes, the
//! victims' groups as one stacked bar, the cases by fraud type, the places with the suggested
//! action and its reason, and the issuer and date at the foot.
//!
//! The page is measured before it is drawn: rows that would not fit are left out and counted
//! ("另有N处见系统"), so the brief never runs onto a second page however busy the week.

use crate::blocks::{clamp_lines, ellipsize, A4};
use crate::canvas::*;
use crate::error::PrintError;
use crate::model::{Brief, BriefFigure, BriefPlace, ReportTable};
use crate::text::clean;

/// Title printed when the brief has none.
pub const BRIEF_DEFAULT_TITLE: &str = "每周涉诈案情研判简报";

const ML: f32 = 50.0;
const TOP: f32 = 46.0;
/// The footer's rule sits this far above the bottom edge.
const FOOT: f32 = 52.0;
const RULE: C = C(0xC8, 0x10, 0x2E);
const GRID: C = C(0x99, 0x99, 0x99);
const HEAD_FILL: C = C(0xEC, 0xEC, 0xEC);
const BOX_FILL: C = C(0xFB, 0xF8, 0xF6);
const PALETTE: [C; 6] = [
    C(0xC8, 0x10, 0x2E),
    C(0x4F, 0x5D, 0x6B),
    C(0xC9, 0xA2, 0x27),
    C(0x9A, 0xA8, 0xB4),
    C(0xE8, 0x8E, 0x98),
    C(0x2B, 0x36, 0x40),
];
/// Most figure boxes in the row, type rows in the table (the places matter more: they are what
/// to do) and lines in a place's reason.
const MAX_FIGURES: usize = 5;
const MAX_TYPES: usize = 8;
const MAX_REASON_LINES: usize = 4;
const CELL: f32 = 9.5;
const CELL_LH: f32 = CELL * 1.3;
const PAD_V: f32 = 4.0;
const PAD_H: f32 = 5.0;

/// The brief as a one-page PDF (see [`Brief`]).
pub fn brief(b: &Brief) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut title = clean(b.title.trim());
        if title.trim().is_empty() {
            title = BRIEF_DEFAULT_TITLE.into();
        }
        let mut doc = Doc::new(&title, &b.issuer)?;
        let page = layout(doc.ctx(), b, &title);
        doc.push(page);
        doc.finish()
    })
}

fn text_w() -> f32 {
    A4.0 - 2.0 * ML
}

fn layout(doc: &Ctx, b: &Brief, title: &str) -> Page {
    let (w, h) = A4;
    let tw = text_w();
    let mut page = Page::new(w, h);
    let mut y = masthead(doc, &mut page, b, title);
    // Everything else must end above the footer: the places take what is left.
    let bottom = h - FOOT - 8.0;

    y = heading(doc, &mut page, y, "一、本周概况");
    y = figures(doc, &mut page, y, &b.figures, tw);
    if !b.groups.is_empty() {
        y = groups(doc, &mut page, y + 4.0, &b.groups, tw);
    }
    y += 6.0;
    y = heading(doc, &mut page, y, "二、分类型发案情况");
    y = types(doc, &mut page, y, &b.types, tw);
    y += 6.0;
    y = heading(doc, &mut page, y, "三、重点地点与建议措施");
    places(doc, &mut page, y, bottom, b, tw);
    footer(doc, &mut page, b);
    page
}

fn masthead(doc: &Ctx, page: &mut Page, b: &Brief, title: &str) -> f32 {
    let (w, tw) = (A4.0, text_w());
    let mut y = TOP;
    let (size, lines) = doc.fit_title(title, true, tw, 24.0, 16.0, 2);
    let tst = Style::new(size, RULE).bold();
    for l in clamp_lines(doc, lines, 3, &tst, tw) {
        doc.text_mid(page, w / 2.0, y, size * 1.35, &tst, Align::Center, &l);
        y += size * 1.35;
    }
    let sub = clean(b.subtitle.trim()).replace('\n', " ");
    if !sub.is_empty() {
        let st = Style::new(11.5, INK);
        y += 2.0;
        for l in clamp_lines(doc, doc.wrap(&sub, &st, tw), 2, &st, tw) {
            doc.text_mid(page, w / 2.0, y, 18.0, &st, Align::Center, &l);
            y += 18.0;
        }
    }
    y += 6.0;
    // The red double rule of a 简报's masthead.
    page.fill_rect(ML, y, tw, 2.2, RULE);
    page.fill_rect(ML, y + 4.0, tw, 0.7, RULE);
    y + 4.7 + 12.0
}

fn heading(doc: &Ctx, page: &mut Page, y: f32, text: &str) -> f32 {
    let st = Style::new(12.5, INK).bold();
    page.fill_rect(ML, y + 5.0, 3.0, 13.0, RULE);
    doc.text_mid(page, ML + 9.0, y, 23.0, &st, Align::Left, text);
    y + 27.0
}

/// The key figures side by side, each in a box: label, value (shrunk to fit), a note.
fn figures(doc: &Ctx, page: &mut Page, y: f32, figs: &[BriefFigure], tw: f32) -> f32 {
    let figs: Vec<&BriefFigure> = figs.iter().take(MAX_FIGURES).collect();
    if figs.is_empty() {
        return y;
    }
    let gap = 10.0;
    let n = figs.len() as f32;
    let bw = (tw - gap * (n - 1.0)) / n;
    let inner = bw - 2.0 * 8.0;
    let lst = Style::new(9.0, GREY);
    let nst = Style::new(8.5, GREY);
    let note_lh = 8.5 * 1.35;
    let notes: Vec<Vec<String>> = figs
        .iter()
        .map(|f| {
            let note = clean(f.note.trim()).replace('\n', " ");
            if note.is_empty() {
                vec![]
            } else {
                clamp_lines(doc, doc.wrap(&note, &nst, inner), 2, &nst, inner)
            }
        })
        .collect();
    let note_lines = notes.iter().map(|n| n.len()).max().unwrap_or(0) as f32;
    let bh = 8.0 + 14.0 + 26.0 + note_lines * note_lh + 6.0;
    for (i, (f, note)) in figs.iter().zip(&notes).enumerate() {
        let x = ML + i as f32 * (bw + gap);
        page.round_rect(x, y, bw, bh, 4.0, Some(BOX_FILL), Some((LIGHT_GREY, 0.6)));
        page.fill_rect(x + 8.0, y, bw - 16.0, 2.0, RULE);
        let label = ellipsize(doc, &clean(f.label.trim()), &lst, inner);
        doc.text_mid(page, x + 8.0, y + 8.0, 14.0, &lst, Align::Left, &label);
        let value = clean(f.value.trim()).replace('\n', " ");
        let mut vst = Style::new(18.0, INK).bold();
        while vst.size > 10.0 && doc.width(&value, &vst) > inner {
            vst.size -= 1.0;
        }
        let value = ellipsize(doc, &value, &vst, inner);
        doc.text_mid(page, x + 8.0, y + 22.0, 26.0, &vst, Align::Left, &value);
        doc.lines(page, x + 8.0, y + 48.0, note_lh, &nst, Align::Left, note);
    }
    y + bh + 6.0
}

/// The victims' groups as one bar split by share, with a legend under it.
fn groups(doc: &Ctx, page: &mut Page, y: f32, groups: &[(String, u32)], tw: f32) -> f32 {
    let total: u32 = groups.iter().map(|g| g.1).sum();
    let lab = Style::new(9.5, INK).bold();
    let label = "受害人群";
    let lw = doc.width(label, &lab) + 10.0;
    doc.text_mid(page, ML, y, 12.0, &lab, Align::Left, label);
    let (x0, bw) = (ML + lw, tw - lw);
    let mut x = x0;
    let shown: Vec<&(String, u32)> = groups.iter().filter(|g| g.1 > 0).take(PALETTE.len()).collect();
    for (i, g) in shown.iter().enumerate() {
        let gw = if total > 0 { bw * g.1 as f32 / total as f32 } else { 0.0 };
        page.fill_rect(x, y + 1.0, gw, 10.0, PALETTE[i]);
        x += gw;
    }
    // The legend: "老年人 3（42.9%）", wrapped when the groups are many.
    let st = Style::new(8.5, INK);
    let (mut lx, mut ly) = (x0, y + 15.0);
    for (i, g) in shown.iter().enumerate() {
        let share = if total > 0 { g.1 as f64 * 100.0 / total as f64 } else { 0.0 };
        let item = format!("{} {}（{:.0}%）", clean(g.0.trim()), g.1, share);
        let iw = 10.0 + doc.width(&item, &st);
        if lx + iw > ML + tw && lx > x0 {
            lx = x0;
            ly += 13.0;
        }
        page.fill_rect(lx, ly + 3.0, 7.0, 7.0, PALETTE[i]);
        doc.text_mid(page, lx + 10.0, ly, 13.0, &st, Align::Left, &item);
        lx += iw + 14.0;
    }
    ly + 15.0
}

/// Column widths: the first column (names) as wide as its longest name, at least 30 % and at
/// most half of the table; the figures share the rest evenly (each at least as wide as its
/// widest cell).
fn widths(doc: &Ctx, header: &[String], rows: &[Vec<String>], tw: f32, st: &Style, bst: &Style) -> Vec<f32> {
    let ncols = header.len().max(rows.iter().map(|r| r.len()).max().unwrap_or(0));
    let natural: Vec<f32> = (0..ncols)
        .map(|c| {
            let head = header.get(c).map(|s| doc.width(s, bst)).unwrap_or(0.0);
            let body = rows.iter().filter_map(|r| r.get(c)).map(|s| doc.width(s, st)).fold(0.0, f32::max);
            head.max(body) + 2.0 * PAD_H + 6.0
        })
        .collect();
    if ncols < 2 {
        return vec![tw; ncols];
    }
    let need: f32 = natural[1..].iter().sum();
    let first = natural[0].clamp(tw * 0.3, tw * 0.5).min(tw - need).max(tw * 0.2);
    let each = (tw - first) / (ncols - 1) as f32;
    let mut w = vec![first];
    if natural[1..].iter().all(|n| *n <= each) {
        w.extend(std::iter::repeat_n(each, ncols - 1));
    } else {
        // Uneven figures (a long sum of money): each its natural width, the spare shared out.
        let spare = (tw - first - need) / (ncols - 1) as f32;
        w.extend(natural[1..].iter().map(|n| n + spare));
    }
    // Very long cells: everything in proportion, so the table keeps to the page.
    let sum: f32 = w.iter().sum();
    if sum > tw + 0.01 {
        w.iter_mut().for_each(|x| *x *= tw / sum);
    }
    w
}

fn grid_row(page: &mut Page, ws: &[f32], y: f32, h: f32, fill: Option<C>) {
    let tw: f32 = ws.iter().sum();
    if let Some(f) = fill {
        page.fill_rect(ML, y, tw, h, f);
    }
    page.line(ML, y + h, ML + tw, y + h, GRID, 0.5, None);
    let mut x = ML;
    page.line(x, y, x, y + h, GRID, 0.5, None);
    for w in ws {
        x += w;
        page.line(x, y, x, y + h, GRID, 0.5, None);
    }
}

/// The cases by type: one line a row, names cut with "…" rather than wrapped.
fn types(doc: &Ctx, page: &mut Page, y: f32, t: &ReportTable, tw: f32) -> f32 {
    let st = Style::new(CELL, INK);
    let bst = st.bold();
    let header: Vec<String> = t.columns.iter().map(|s| clean(s.trim())).collect();
    let rows: Vec<Vec<String>> =
        t.rows.iter().map(|r| r.iter().map(|s| clean(s.trim()).replace('\n', " ")).collect()).collect();
    if rows.is_empty() {
        let g = Style::new(10.0, GREY);
        doc.text_mid(page, ML, y, 16.0, &g, Align::Left, "（本周及前四周均无发案）");
        return y + 18.0;
    }
    let ws = widths(doc, &header, &rows, tw, &st, &bst);
    let rh = CELL_LH + 2.0 * PAD_V;
    let mut y = y;
    page.line(ML, y, ML + tw, y, GRID, 0.5, None);
    grid_row(page, &ws, y, rh, Some(HEAD_FILL));
    let mut x = ML;
    for (c, w) in ws.iter().enumerate() {
        let s = header.get(c).cloned().unwrap_or_default();
        doc.text_mid(page, x + w / 2.0, y, rh, &bst, Align::Center, &s);
        x += w;
    }
    y += rh;
    for r in rows.iter().take(MAX_TYPES) {
        grid_row(page, &ws, y, rh, None);
        let mut x = ML;
        for (c, w) in ws.iter().enumerate() {
            let s = r.get(c).cloned().unwrap_or_default();
            if c == 0 {
                let s = ellipsize(doc, &s, &st, w - 2.0 * PAD_H);
                doc.text_mid(page, x + PAD_H, y, rh, &st, Align::Left, &s);
            } else {
                doc.text_mid(page, x + w - PAD_H, y, rh, &st, Align::Right, &s);
            }
            x += w;
        }
        y += rh;
    }
    if rows.len() > MAX_TYPES {
        let g = Style::new(8.5, GREY);
        let more = format!("另有{}类见系统", rows.len() - MAX_TYPES);
        doc.text_mid(page, ML + tw, y + 2.0, 13.0, &g, Align::Right, &more);
        y += 14.0;
    }
    y + 4.0
}

/// A place's row laid out: the lines of each column and the row's height.
struct PlaceRow {
    name: Vec<String>,
    path: Vec<String>,
    cases: String,
    action: Vec<String>,
    reason: Vec<String>,
    h: f32,
}

const PATH_SIZE: f32 = 7.5;
const PATH_LH: f32 = PATH_SIZE * 1.3;

fn place_row(doc: &Ctx, p: &BriefPlace, ws: &[f32; 4]) -> PlaceRow {
    let st = Style::new(CELL, INK);
    let pst = Style::new(PATH_SIZE, GREY);
    let inner = |i: usize| ws[i] - 2.0 * PAD_H;
    let name = clamp_lines(doc, doc.wrap(&clean(p.name.trim()), &st, inner(0)), 2, &st, inner(0));
    let path = clean(p.path.trim()).replace('\n', " ");
    let path =
        if path.is_empty() { vec![] } else { clamp_lines(doc, doc.wrap(&path, &pst, inner(0)), 2, &pst, inner(0)) };
    let action = clamp_lines(doc, doc.wrap(&clean(p.action.trim()), &st, inner(2)), 2, &st, inner(2));
    let reason = clean(p.reason.trim()).replace('\n', " ");
    let reason = clamp_lines(doc, doc.wrap(&reason, &st, inner(3)), MAX_REASON_LINES, &st, inner(3));
    let first = name.len() as f32 * CELL_LH + path.len() as f32 * PATH_LH;
    let tallest = first.max(action.len() as f32 * CELL_LH).max(reason.len() as f32 * CELL_LH).max(CELL_LH);
    PlaceRow { name, path, cases: p.cases.to_string(), action, reason, h: tallest + 2.0 * PAD_V }
}

/// The places, as many as fit above `bottom`; the rest counted under the table.
fn places(doc: &Ctx, page: &mut Page, y: f32, bottom: f32, b: &Brief, tw: f32) {
    let st = Style::new(CELL, INK);
    let bst = st.bold();
    if b.places.is_empty() {
        let g = Style::new(10.0, GREY);
        let text = clean(b.no_places.trim());
        let text = if text.is_empty() { "本周没有新发案件。".to_string() } else { text };
        doc.text_mid(page, ML, y, 16.0, &g, Align::Left, &text);
        return;
    }
    let cases_w = doc.width("发案", &bst) + 2.0 * PAD_H + 8.0;
    let action_w = doc.width("入户走访", &st) + 2.0 * PAD_H + 8.0;
    let place_w = tw * 0.27;
    let ws = [place_w, cases_w, action_w, tw - place_w - cases_w - action_w];
    let header = ["地点", "发案", "建议措施", "理由"];
    let head_h = CELL_LH + 2.0 * PAD_V;
    let note_h = 16.0;
    let mut y = y;
    page.line(ML, y, ML + tw, y, GRID, 0.5, None);
    grid_row(page, &ws, y, head_h, Some(HEAD_FILL));
    let mut x = ML;
    for (s, w) in header.iter().zip(ws) {
        doc.text_mid(page, x + w / 2.0, y, head_h, &bst, Align::Center, s);
        x += w;
    }
    y += head_h;
    let pst = Style::new(PATH_SIZE, GREY);
    let mut shown = 0;
    for (i, p) in b.places.iter().enumerate() {
        let row = place_row(doc, p, &ws);
        // Room for the count of the rest, unless this is the last row and nothing is left out.
        let last = i + 1 == b.places.len() && b.more_places == 0;
        let limit = if last { bottom } else { bottom - note_h };
        if y + row.h > limit {
            break;
        }
        grid_row(page, &ws, y, row.h, None);
        let top = y + PAD_V;
        let mut x = ML + PAD_H;
        let mut ty = top;
        ty += doc.lines(page, x, ty, CELL_LH, &st, Align::Left, &row.name);
        doc.lines(page, x, ty, PATH_LH, &pst, Align::Left, &row.path);
        x = ML + ws[0];
        doc.text_mid(page, x + ws[1] / 2.0, top, CELL_LH, &st, Align::Center, &row.cases);
        x += ws[1];
        doc.lines(page, x + PAD_H, top, CELL_LH, &st, Align::Left, &row.action);
        x += ws[2];
        doc.lines(page, x + PAD_H, top, CELL_LH, &st, Align::Left, &row.reason);
        y += row.h;
        shown += 1;
    }
    let rest = (b.places.len() - shown) as u32 + b.more_places;
    if rest > 0 {
        let g = Style::new(9.0, GREY);
        doc.text_mid(page, ML + tw, y + 2.0, 14.0, &g, Align::Right, &format!("另有{rest}处见系统"));
    }
}

/// The issuer and the date under a thin rule at the foot of the page.
fn footer(doc: &Ctx, page: &mut Page, b: &Brief) {
    let (w, h) = A4;
    let tw = text_w();
    let y = h - FOOT;
    page.line(ML, y, w - ML, y, RULE, 0.8, None);
    let st = Style::new(10.0, INK);
    let date = clean(b.date_text.trim());
    let dw = doc.width(&date, &st);
    let issuer = ellipsize(doc, &clean(b.issuer.trim()), &st, (tw - dw - 24.0).max(10.0));
    doc.text_mid(page, ML, y + 4.0, 18.0, &st, Align::Left, &issuer);
    doc.text_mid(page, w - ML, y + 4.0, 18.0, &st, Align::Right, &date);
}
