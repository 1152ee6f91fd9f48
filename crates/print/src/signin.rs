//! Sign-in sheet (签到表): session header repeated on every page, numbered blank
//! rows, "第 N 页 共 M 页" footer.

use crate::blocks::{clamp_lines, A4};
use crate::canvas::*;
use crate::error::PrintError;
use crate::model::SignIn;
use crate::text::clean;

/// Fewest rows printed.
pub const MIN_ROWS: u32 = 20;
/// Most rows printed (a bigger number is capped).
pub const MAX_ROWS: u32 = 5_000;

const MARGIN_X: f32 = 40.0;
const TOP: f32 = 34.0;
const BOTTOM: f32 = 44.0;
const HEAD_ROW_H: f32 = 26.0;
const ROW_H: f32 = 24.0;

/// How a sign-in sheet is paginated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLayout {
    /// Table rows on every page.
    pub rows_per_page: usize,
    /// Number of pages.
    pub pages: usize,
    /// Rows printed: `rows` clamped to 20..=5,000, rounded up to fill the last page.
    pub total_rows: usize,
}

struct Header {
    title: Vec<String>,
    title_size: f32,
    cells: Vec<(String, Vec<String>, bool)>, // label, value lines, full width
    label_w: f32,
    height: f32,
}

const INFO_SIZE: f32 = 10.5;
const INFO_LH: f32 = 10.5 * 1.55;

fn header(doc: &Ctx, s: &SignIn) -> Header {
    let w = A4.0 - 2.0 * MARGIN_X;
    let mut title = clean(s.title.trim());
    if title.is_empty() {
        title = "活动".into();
    }
    if !title.contains("签到") {
        title.push_str("签到表");
    }
    let (title_size, title_lines) = doc.fit_title(&title, true, w, 20.0, 14.0, 2);
    let title_lines = clamp_lines(doc, title_lines, 3, &Style::new(title_size, INK).spaced(1.0), w);
    let speakers = s.speakers.iter().map(|x| clean(x.trim())).filter(|x| !x.is_empty()).collect::<Vec<_>>().join("、");
    let raw = [
        ("活动类型", clean(&s.kind_label), false),
        ("活动时间", clean(&s.time_text), false),
        ("活动地点", clean(&s.place), false),
        ("主办单位", clean(&s.organiser), false),
        ("主讲人", speakers, true),
    ];
    let st = Style::new(INFO_SIZE, INK);
    let lst = Style::new(INFO_SIZE, GREY);
    let half = (w - 16.0) / 2.0;
    let label_w = raw
        .iter()
        .filter(|(_, v, _)| !v.trim().is_empty())
        .map(|(l, _, _)| doc.width(&format!("{l}："), &lst))
        .fold(0.0, f32::max);
    let cells: Vec<(String, Vec<String>, bool)> = raw
        .iter()
        .filter(|(_, v, _)| !v.trim().is_empty())
        .map(|(l, v, full)| {
            let vw = if *full { w } else { half } - label_w;
            (format!("{l}："), clamp_lines(doc, doc.wrap(v.trim(), &st, vw), 3, &st, vw), *full)
        })
        .collect();
    let mut h = title_lines.len() as f32 * title_size * 1.3 + 10.0;
    for row in rows_of(&cells) {
        h += row.iter().map(|c| c.1.len()).max().unwrap_or(1) as f32 * INFO_LH + 2.0;
    }
    h += 12.0;
    Header { title: title_lines, title_size, cells, label_w, height: h }
}

/// Group cells into rows: two half-width cells per row, full-width cells alone.
fn rows_of(cells: &[(String, Vec<String>, bool)]) -> Vec<Vec<&(String, Vec<String>, bool)>> {
    let mut rows: Vec<Vec<&(String, Vec<String>, bool)>> = Vec::new();
    for c in cells {
        match rows.last_mut() {
            Some(r) if !c.2 && r.len() == 1 && !r[0].2 => r.push(c),
            _ => rows.push(vec![c]),
        }
    }
    rows
}

fn layout_with(h: &Header, rows: u32) -> SignInLayout {
    let avail = A4.1 - BOTTOM - TOP - h.height - HEAD_ROW_H;
    let rows_per_page = ((avail / ROW_H).floor() as usize).max(1);
    let wanted = rows.clamp(MIN_ROWS, MAX_ROWS) as usize;
    let pages = wanted.div_ceil(rows_per_page).max(1);
    SignInLayout { rows_per_page, pages, total_rows: pages * rows_per_page }
}

/// Pagination of a sign-in sheet without rendering it.
pub fn signin_layout(s: &SignIn) -> Result<SignInLayout, PrintError> {
    crate::guard(|| {
        let doc = Doc::new("", "")?;
        Ok(layout_with(&header(&doc, s), s.rows))
    })
}

/// Sign-in sheet: 序号 / 姓名 / 单位或住址 / (联系电话) / 签名, at least 20 rows.
pub fn signin(s: &SignIn) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut doc = Doc::new(&clean(&s.title), &s.organiser)?;
        let head = header(&doc, s);
        let lay = layout_with(&head, s.rows);
        let (w, h) = A4;
        let tw = w - 2.0 * MARGIN_X;
        let cols: Vec<(&str, f32)> = if s.with_phone_column {
            vec![("序号", 36.0), ("姓名", 78.0), ("单位或住址", 0.0), ("联系电话", 100.0), ("签名", 96.0)]
        } else {
            vec![("序号", 36.0), ("姓名", 90.0), ("单位或住址", 0.0), ("签名", 124.0)]
        };
        let fixed: f32 = cols.iter().map(|c| c.1).sum();
        let cols: Vec<(&str, f32)> =
            cols.into_iter().map(|(n, cw)| (n, if cw == 0.0 { tw - fixed } else { cw })).collect();

        for p in 0..lay.pages {
            let mut page = Page::new(w, h);
            // Header.
            let mut y = TOP;
            let tst = Style::new(head.title_size, INK).bold().spaced(1.0);
            let tlh = head.title_size * 1.3;
            y += doc.lines(&mut page, w / 2.0, y, tlh, &tst, Align::Center, &head.title);
            y += 10.0;
            let lst = Style::new(INFO_SIZE, GREY);
            let vst = Style::new(INFO_SIZE, INK);
            let half = (tw - 16.0) / 2.0;
            for row in rows_of(&head.cells) {
                let n = row.iter().map(|c| c.1.len()).max().unwrap_or(1);
                for (i, (label, lines, _)) in row.iter().enumerate() {
                    let x = MARGIN_X + i as f32 * (half + 16.0);
                    doc.text_mid(&mut page, x, y, INFO_LH, &lst, Align::Left, label);
                    doc.lines(&mut page, x + head.label_w, y, INFO_LH, &vst, Align::Left, lines);
                }
                y += n as f32 * INFO_LH + 2.0;
            }
            y += 4.0;
            page.fill_rect(MARGIN_X, y, tw, 1.6, RED);
            y += 8.0;

            // Table.
            let table_top = y;
            page.fill_rect(MARGIN_X, y, tw, HEAD_ROW_H, C(0xEE, 0xEE, 0xEE));
            let hst = Style::new(11.0, INK).bold();
            let mut x = MARGIN_X;
            for (name, cw) in &cols {
                doc.text_mid(&mut page, x + cw / 2.0, y, HEAD_ROW_H, &hst, Align::Center, name);
                x += cw;
            }
            y += HEAD_ROW_H;
            let nst = Style::new(10.0, GREY);
            let first = p * lay.rows_per_page;
            for r in 0..lay.rows_per_page {
                if r % 2 == 1 {
                    page.fill_rect(MARGIN_X, y, tw, ROW_H, C(0xFA, 0xFA, 0xFA));
                }
                doc.text_mid(
                    &mut page,
                    MARGIN_X + cols[0].1 / 2.0,
                    y,
                    ROW_H,
                    &nst,
                    Align::Center,
                    &(first + r + 1).to_string(),
                );
                y += ROW_H;
            }
            // Grid lines.
            let grid = C(0x88, 0x88, 0x88);
            let mut ly = table_top + HEAD_ROW_H;
            for _ in 0..lay.rows_per_page.saturating_sub(1) {
                ly += ROW_H;
                page.line(MARGIN_X, ly, MARGIN_X + tw, ly, C(0xC4, 0xC4, 0xC4), 0.5, None);
            }
            page.line(MARGIN_X, table_top + HEAD_ROW_H, MARGIN_X + tw, table_top + HEAD_ROW_H, grid, 0.8, None);
            let mut x = MARGIN_X;
            for (_, cw) in &cols[..cols.len() - 1] {
                x += cw;
                page.line(x, table_top, x, y, grid, 0.5, None);
            }
            page.stroke_rect(MARGIN_X, table_top, tw, y - table_top, INK, 1.0);

            // Footer.
            let fst = Style::new(9.5, GREY);
            let fy = h - BOTTOM + 10.0;
            doc.text_mid(
                &mut page,
                w / 2.0,
                fy,
                16.0,
                &fst,
                Align::Center,
                &format!("第 {} 页 共 {} 页", p + 1, lay.pages),
            );
            doc.text_mid(&mut page, MARGIN_X, fy, 16.0, &fst, Align::Left, "请用正楷填写姓名");
            doc.text_mid(&mut page, w - MARGIN_X, fy, 16.0, &fst, Align::Right, "签到人数：______ 人");
            doc.push(page);
        }
        doc.finish()
    })
}
