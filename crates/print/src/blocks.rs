//! Layout pieces shared by the flyer-like documents: page flow, title band,
//! info block, numbered tips, hotline/QR block, footer.

use crate::canvas::*;
use printpdf::XObjectId;

pub(crate) const A4: (f32, f32) = (595.28, 841.89);
pub(crate) const A5: (f32, f32) = (419.53, 595.28);

/// A vertical flow of content over as many pages as needed.
pub(crate) struct Flow {
    pub pages: Vec<Page>,
    pub page: Page,
    pub y: f32,
    /// Content top on continuation pages.
    pub top: f32,
    /// Content bottom limit.
    pub bottom: f32,
}

impl Flow {
    pub fn new(w: f32, h: f32, top: f32, bottom: f32) -> Self {
        Flow { pages: Vec::new(), page: Page::new(w, h), y: top, top, bottom }
    }

    pub fn room(&self) -> f32 {
        self.bottom - self.y
    }

    /// Start a new page unless `h` fits (or we already are at the top of a page).
    pub fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom + 0.01 && self.y > self.top + 0.01 {
            self.new_page();
        }
    }

    pub fn new_page(&mut self) {
        let (w, h) = (self.page.w, self.page.h);
        let done = std::mem::replace(&mut self.page, Page::new(w, h));
        self.pages.push(done);
        self.y = self.top;
    }

    /// All pages (finishes the current one).
    pub fn finish(mut self) -> Vec<Page> {
        self.pages.push(self.page);
        self.pages
    }
}

/// Shorten `s` with an ellipsis to fit `max_w`.
pub(crate) fn ellipsize(doc: &Ctx, s: &str, st: &Style, max_w: f32) -> String {
    if doc.width(s, st) <= max_w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = doc.width("…", st);
    for c in s.chars() {
        let cw = doc.fonts.advance_em(c) * st.size + st.spacing;
        if w + cw > max_w {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// Keep at most `max` lines; the last kept line ends with an ellipsis.
pub(crate) fn clamp_lines(doc: &Ctx, mut lines: Vec<String>, max: usize, st: &Style, w: f32) -> Vec<String> {
    if lines.len() <= max.max(1) {
        return lines;
    }
    lines.truncate(max.max(1));
    if let Some(last) = lines.pop() {
        let with = format!("{last}…");
        lines.push(if doc.width(&with, st) <= w { with } else { ellipsize(doc, &format!("{last}……"), st, w) });
    }
    lines
}

/// Title band: logo + label pill + tagline, big title, optional subtitle.
pub(crate) struct Band<'a> {
    pub logo: Option<&'a ImageRef>,
    pub pill: &'a str,
    pub tagline: &'a str,
    pub title: &'a str,
    pub subtitle: &'a str,
    pub title_max: f32,
    pub title_min: f32,
}

/// Draws the band on the flow's first page; returns nothing, moves `flow.y`.
pub(crate) fn band(doc: &Ctx, flow: &mut Flow, k: f32, b: &Band) {
    let w = flow.page.w;
    let h = flow.page.h;
    let m = 36.0 * k;
    let inner_w = w - 2.0 * m;
    let y0 = 24.0 * k;
    let row_h = 48.0 * k;
    let has_row = b.logo.is_some() || !b.pill.is_empty();

    let (size, mut lines) = if b.title.is_empty() {
        (b.title_max, Vec::new())
    } else {
        doc.fit_title(b.title, true, inner_w, b.title_max, b.title_min, 3)
    };
    let line_h = size * 1.3;
    let sub_st = Style::new(14.0 * k, C(0xFB, 0xDA, 0xD6));
    let sub_lines = if b.subtitle.is_empty() {
        Vec::new()
    } else {
        clamp_lines(doc, doc.wrap(b.subtitle, &sub_st, inner_w), 3, &sub_st, inner_w)
    };
    let sub_lh = sub_st.size * 1.45;

    let title_top = if has_row { y0 + row_h + 14.0 * k } else { y0 + 4.0 * k };
    // Cap the band at 60 % of the page; overflowing title lines continue below it.
    let cap = h * 0.6;
    let fixed =
        title_top + 22.0 * k + sub_lines.len() as f32 * sub_lh + if sub_lines.is_empty() { 0.0 } else { 6.0 * k };
    let max_title_lines = (((cap - fixed) / line_h).floor().max(1.0)) as usize;
    let overflow: Vec<String> =
        if lines.len() > max_title_lines { lines.split_off(max_title_lines) } else { Vec::new() };
    let band_h = fixed + lines.len() as f32 * line_h;

    let page = &mut flow.page;
    page.fill_rect(0.0, 0.0, w, band_h, RED);
    // Subtle darker lower edge + gold stripe.
    page.fill_rect(0.0, band_h - 3.0 * k, w, 3.0 * k, DARK_RED);
    page.fill_rect(0.0, band_h, w, 5.0 * k, GOLD);

    let mut x = m;
    if let Some(logo) = b.logo {
        let pad = 5.0 * k;
        let (lw, lh) = logo.fit(170.0 * k, row_h - 2.0 * pad);
        let plate_w = lw + 2.0 * pad;
        page.round_rect(x, y0, plate_w, row_h, 6.0 * k, Some(WHITE), None);
        page.image(&logo.id, x + pad, y0 + (row_h - lh) / 2.0, lw, lh);
        x += plate_w + 14.0 * k;
    }
    if !b.pill.is_empty() {
        let st = Style::new(15.0 * k, DARK_RED).bold();
        let label = ellipsize(doc, b.pill, &st, w - m - x - 24.0 * k);
        let pw = doc.width(&label, &st) + 24.0 * k;
        let ph = 28.0 * k;
        let py = y0 + (row_h - ph) / 2.0;
        page.round_rect(x, py, pw, ph, ph / 2.0, Some(GOLD), None);
        doc.text_mid(page, x + pw / 2.0, py, ph, &st, Align::Center, &label);
        x += pw + 18.0 * k;
    }
    if has_row && !b.tagline.is_empty() {
        let st = Style::new(11.0 * k, C(0xFB, 0xDA, 0xD6)).spaced(1.0 * k);
        if x + doc.width(b.tagline, &st) < w - m {
            doc.text_mid(page, w - m, y0, row_h, &st, Align::Right, b.tagline);
        }
    }
    let st = Style::new(size, WHITE).bold();
    let mut y = title_top;
    y += doc.lines(page, m, y, line_h, &st, Align::Left, &lines);
    if !sub_lines.is_empty() {
        y += 6.0 * k;
        doc.lines(page, m, y, sub_lh, &sub_st, Align::Left, &sub_lines);
    }
    flow.y = band_h + 5.0 * k + 20.0 * k;
    if !overflow.is_empty() {
        let st = Style::new(size, RED).bold();
        for l in &overflow {
            flow.ensure(line_h);
            doc.lines(&mut flow.page, m, flow.y, line_h, &st, Align::Left, std::slice::from_ref(l));
            flow.y += line_h;
        }
        flow.y += 12.0 * k;
    }
}

/// Light box with label/value rows (时间 / 地点 / 主办 …).
pub(crate) struct InfoBlock {
    rows: Vec<(String, Vec<String>)>,
    k: f32,
}

impl InfoBlock {
    const LABEL_W: f32 = 46.0;

    pub fn new(doc: &Ctx, k: f32, width: f32, rows: &[(&str, String)]) -> Self {
        let st = Self::value_style(k);
        let vw = width - 2.0 * 16.0 * k - Self::LABEL_W * k;
        let rows = rows
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(l, v)| (l.to_string(), doc.wrap(v.trim(), &st, vw)))
            .collect();
        InfoBlock { rows, k }
    }

    fn value_style(k: f32) -> Style {
        Style::new(14.5 * k, INK)
    }

    fn line_h(&self) -> f32 {
        14.5 * self.k * 1.5
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn line_count(&self) -> usize {
        self.rows.iter().map(|(_, l)| l.len()).sum()
    }

    pub fn height(&self) -> f32 {
        if self.rows.is_empty() {
            return 0.0;
        }
        let lines: usize = self.rows.iter().map(|(_, l)| l.len()).sum();
        let k = self.k;
        2.0 * 12.0 * k + lines as f32 * self.line_h() + (self.rows.len() - 1) as f32 * 4.0 * k
    }

    pub fn draw(&self, doc: &Ctx, flow: &mut Flow, x: f32, width: f32) {
        if self.rows.is_empty() {
            return;
        }
        let k = self.k;
        let lh = self.line_h();
        let h = self.height();
        let boxed = flow.y + h <= flow.bottom;
        if boxed {
            flow.page.round_rect(x, flow.y, width, h, 8.0 * k, Some(PALE), None);
            flow.page.fill_rect(x, flow.y + 10.0 * k, 4.0 * k, h - 20.0 * k, RED);
        }
        flow.y += 12.0 * k;
        let lst = Style::new(13.5 * k, RED).bold();
        let vst = Self::value_style(k);
        for (i, (label, lines)) in self.rows.iter().enumerate() {
            if i > 0 {
                flow.y += 4.0 * k;
            }
            for (j, line) in lines.iter().enumerate() {
                flow.ensure(lh);
                if j == 0 {
                    doc.text_mid(&mut flow.page, x + 16.0 * k, flow.y, lh, &lst, Align::Left, label);
                }
                doc.text_mid(&mut flow.page, x + 16.0 * k + Self::LABEL_W * k, flow.y, lh, &vst, Align::Left, line);
                flow.y += lh;
            }
        }
        flow.y += 12.0 * k;
    }
}

/// Section heading: red bar, text, hairline.
pub(crate) fn heading_height(k: f32) -> f32 {
    34.0 * k
}

pub(crate) fn heading(doc: &Ctx, flow: &mut Flow, k: f32, x: f32, width: f32, text: &str) {
    // Keep the heading with at least two lines of what follows.
    flow.ensure(heading_height(k) + 50.0 * k);
    let h = 26.0 * k;
    let y = flow.y;
    flow.page.fill_rect(x, y + 4.0 * k, 5.0 * k, h - 8.0 * k, RED);
    let st = Style::new(17.0 * k, RED).bold().spaced(1.0 * k);
    doc.text_mid(&mut flow.page, x + 13.0 * k, y, h, &st, Align::Left, text);
    let tw = doc.width(text, &st);
    flow.page.line(x + 13.0 * k + tw + 10.0 * k, y + h / 2.0, x + width, y + h / 2.0, LIGHT_GREY, 0.6 * k, None);
    flow.y += heading_height(k);
}

/// Numbered tips.
pub(crate) struct Tips {
    items: Vec<Vec<String>>,
    k: f32,
    /// Space between two tips.
    pub item_gap: f32,
}

impl Tips {
    const INDENT: f32 = 32.0;

    pub fn new(doc: &Ctx, k: f32, width: f32, tips: &[String]) -> Self {
        let st = Self::style(k);
        let items = tips
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| doc.wrap(t, &st, width - Self::INDENT * k))
            .collect();
        Tips { items, k, item_gap: 8.0 * k }
    }

    fn style(k: f32) -> Style {
        Style::new(14.5 * k, INK)
    }

    fn line_h(&self) -> f32 {
        14.5 * self.k * 1.55
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn line_count(&self) -> usize {
        self.items.iter().map(|l| l.len()).sum()
    }

    /// Spread `slack` points of free space between the tips (bounded).
    pub fn spread(&mut self, slack: f32) {
        if self.items.len() > 1 && slack > 0.0 {
            self.item_gap += (slack / (self.items.len() - 1) as f32).min(12.0 * self.k);
        }
    }

    pub fn height(&self) -> f32 {
        if self.items.is_empty() {
            return 0.0;
        }
        let lines: usize = self.items.iter().map(|l| l.len()).sum();
        heading_height(self.k) + lines as f32 * self.line_h() + (self.items.len() - 1) as f32 * self.item_gap
    }

    pub fn draw(&self, doc: &Ctx, flow: &mut Flow, x: f32, width: f32, title: &str) {
        if self.items.is_empty() {
            return;
        }
        let k = self.k;
        heading(doc, flow, k, x, width, title);
        let lh = self.line_h();
        let st = Self::style(k);
        let nst = Style::new(12.0 * k, WHITE).bold();
        for (i, lines) in self.items.iter().enumerate() {
            if i > 0 {
                flow.y += self.item_gap;
            }
            for (j, line) in lines.iter().enumerate() {
                flow.ensure(lh);
                if j == 0 {
                    let r = 10.5 * k;
                    let cy = flow.y + lh / 2.0;
                    flow.page.circle(x + r, cy, r, Some(RED), None, None);
                    doc.text_mid(&mut flow.page, x + r, cy - r, 2.0 * r, &nst, Align::Center, &(i + 1).to_string());
                }
                doc.text_mid(&mut flow.page, x + Self::INDENT * k, flow.y, lh, &st, Align::Left, line);
                flow.y += lh;
            }
        }
    }
}

/// Hotline box (big numbers) and QR code with caption, side by side.
pub(crate) struct Contact {
    /// (number, size, label lines)
    hotlines: Vec<(String, f32, Vec<String>)>,
    cols: usize,
    qr: Option<XObjectId>,
    caption: Vec<String>,
    k: f32,
    width: f32,
}

impl Contact {
    fn qr_size(k: f32) -> f32 {
        100.0 * k
    }

    fn qr_col(k: f32) -> f32 {
        Self::qr_size(k) + 16.0 * k
    }

    pub fn new(
        doc: &Ctx,
        k: f32,
        width: f32,
        hotlines: &[(String, String)],
        qr: Option<XObjectId>,
        caption: &str,
    ) -> Self {
        let hot: Vec<&(String, String)> =
            hotlines.iter().filter(|(n, l)| !n.trim().is_empty() || !l.trim().is_empty()).collect();
        let cols = hot.len().clamp(1, 3);
        let box_w = if qr.is_some() { width - Self::qr_col(k) - 14.0 * k } else { width };
        let cell_w = (box_w - 2.0 * 14.0 * k) / cols as f32 - 8.0 * k;
        let label_st = Style::new(12.0 * k, INK);
        let hotlines = hot
            .iter()
            .enumerate()
            .map(|(i, (num, label))| {
                let num = num.trim();
                let max = if i < 3 { 36.0 * k } else { 26.0 * k };
                let mut size = max;
                let st = Style::new(size, RED).bold();
                let nw = doc.width(num, &st);
                if nw > cell_w && nw > 0.0 {
                    size = (size * cell_w / nw).max(12.0 * k);
                }
                let num = ellipsize(doc, num, &Style::new(size, RED).bold(), cell_w);
                (num, size, clamp_lines(doc, doc.wrap(label.trim(), &label_st, cell_w), 3, &label_st, cell_w))
            })
            .collect();
        let cap_st = Style::new(10.5 * k, GREY);
        let caption = if qr.is_some() && !caption.trim().is_empty() {
            clamp_lines(
                doc,
                doc.wrap(caption.trim(), &cap_st, Self::qr_col(k) + 6.0 * k),
                4,
                &cap_st,
                Self::qr_col(k) + 6.0 * k,
            )
        } else {
            Vec::new()
        };
        Contact { hotlines, cols, qr, caption, k, width }
    }

    pub fn is_empty(&self) -> bool {
        self.hotlines.is_empty() && self.qr.is_none()
    }

    fn row_heights(&self) -> Vec<f32> {
        let k = self.k;
        self.hotlines
            .chunks(self.cols)
            .map(|row| {
                row.iter()
                    .map(|(_, size, label)| size * 1.15 + 4.0 * k + label.len() as f32 * 12.0 * k * 1.4)
                    .fold(0.0, f32::max)
            })
            .collect()
    }

    fn box_height(&self) -> f32 {
        if self.hotlines.is_empty() {
            return 0.0;
        }
        let k = self.k;
        let rows = self.row_heights();
        2.0 * 14.0 * k + 18.0 * k + rows.iter().sum::<f32>() + (rows.len() - 1) as f32 * 10.0 * k
    }

    fn qr_height(&self) -> f32 {
        match self.qr {
            Some(_) => {
                Self::qr_size(self.k)
                    + if self.caption.is_empty() {
                        0.0
                    } else {
                        4.0 * self.k + self.caption.len() as f32 * 10.5 * self.k * 1.4
                    }
            }
            None => 0.0,
        }
    }

    pub fn height(&self) -> f32 {
        self.box_height().max(self.qr_height())
    }

    /// Draw with its top at `y`.
    pub fn draw(&self, doc: &Ctx, page: &mut Page, x: f32, y: f32) {
        let k = self.k;
        let h = self.height();
        let qr_col = Self::qr_col(k);
        if let Some(qr) = &self.qr {
            let qx = x + self.width - qr_col + (qr_col - Self::qr_size(k)) / 2.0;
            let qs = Self::qr_size(k);
            page.round_rect(
                qx - 3.0 * k,
                y - 3.0 * k,
                qs + 6.0 * k,
                qs + 6.0 * k,
                4.0 * k,
                Some(WHITE),
                Some((LIGHT_GREY, 0.6 * k)),
            );
            page.image(qr, qx, y, qs, qs);
            let cap_st = Style::new(10.5 * k, GREY);
            doc.lines(page, qx + qs / 2.0, y + qs + 4.0 * k, 10.5 * k * 1.4, &cap_st, Align::Center, &self.caption);
        }
        if self.hotlines.is_empty() {
            return;
        }
        let box_w = if self.qr.is_some() { self.width - qr_col - 14.0 * k } else { self.width };
        page.round_rect(x, y, box_w, h, 8.0 * k, Some(PALE_RED), Some((RED, 1.2 * k)));
        // Caption tab.
        let tab_st = Style::new(11.0 * k, WHITE).bold().spaced(2.0 * k);
        let tab = "反诈热线";
        let tw = doc.width(tab, &tab_st) + 18.0 * k;
        page.round_rect(x + 14.0 * k, y - 9.0 * k, tw, 18.0 * k, 9.0 * k, Some(RED), None);
        doc.text_mid(page, x + 14.0 * k + tw / 2.0, y - 9.0 * k, 18.0 * k, &tab_st, Align::Center, tab);

        let rows = self.row_heights();
        let content_h = rows.iter().sum::<f32>() + (rows.len() - 1) as f32 * 10.0 * k;
        let mut ry = y + (h - content_h) / 2.0 + 4.0 * k;
        let inner_w = box_w - 2.0 * 14.0 * k;
        for (row, rh) in self.hotlines.chunks(self.cols).zip(rows) {
            let cw = inner_w / self.cols as f32;
            for (i, (num, size, label)) in row.iter().enumerate() {
                let cx = x + 14.0 * k + cw * (i as f32 + 0.5);
                let st = Style::new(*size, RED).bold();
                doc.text(page, cx, ry + size * 0.92, &st, Align::Center, num);
                let lst = Style::new(12.0 * k, INK);
                doc.lines(page, cx, ry + size * 1.15 + 4.0 * k, 12.0 * k * 1.4, &lst, Align::Center, label);
                if i > 0 {
                    page.line(
                        cx - cw / 2.0,
                        ry + 4.0 * k,
                        cx - cw / 2.0,
                        ry + rh - 4.0 * k,
                        C(0xF0, 0xB8, 0xB4),
                        0.8 * k,
                        None,
                    );
                }
            }
            ry += rh + 10.0 * k;
        }
    }
}

/// Footer line with a left text and a right text.
pub(crate) fn footer(doc: &Ctx, page: &mut Page, k: f32, left: &str, right: &str) {
    let m = 36.0 * k;
    let y = page.h - 28.0 * k;
    let w = page.w;
    page.line(m, y, w - m, y, LIGHT_GREY, 0.6 * k, None);
    let st = Style::new(9.5 * k, GREY);
    let rw = doc.width(right, &st);
    let left = ellipsize(doc, left, &st, (w - 2.0 * m - rw - 20.0 * k).max(10.0));
    doc.text_mid(page, m, y + 2.0 * k, 16.0 * k, &st, Align::Left, &left);
    doc.text_mid(page, w - m, y + 2.0 * k, 16.0 * k, &st, Align::Right, right);
}

/// Running header on continuation pages: thin red band + shortened title.
pub(crate) fn continuation_header(doc: &Ctx, page: &mut Page, k: f32, title: &str) {
    let m = 36.0 * k;
    page.fill_rect(0.0, 0.0, page.w, 6.0 * k, RED);
    let st = Style::new(10.5 * k, GREY);
    let t = ellipsize(doc, &format!("{title}（续）"), &st, page.w - 2.0 * m);
    doc.text_mid(page, m, 14.0 * k, 16.0 * k, &st, Align::Left, &t);
}

/// Top of content on continuation pages.
pub(crate) fn continuation_top(k: f32) -> f32 {
    44.0 * k
}

/// Content bottom limit (above the footer).
pub(crate) fn content_bottom(h: f32, k: f32) -> f32 {
    h - 40.0 * k
}

/// Place the contact block at the bottom of the last page (new page if needed).
pub(crate) fn place_contact(doc: &Ctx, flow: &mut Flow, k: f32, x: f32, c: &Contact) {
    if c.is_empty() {
        return;
    }
    let h = c.height();
    let gap = 22.0 * k;
    if flow.y + gap + h > flow.bottom {
        flow.new_page();
    }
    let y = flow.bottom - h;
    c.draw(doc, &mut flow.page, x, y);
    flow.y = flow.bottom;
}
