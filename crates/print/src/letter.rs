//! Notice letter to an enterprise (反电信网络诈骗告知书) with signature lines and a
//! tear-off receipt (回执).

use crate::blocks::{clamp_lines, Flow, A4};
use crate::canvas::*;
use crate::error::PrintError;
use crate::model::Letter;
use crate::text::clean;

/// Document title printed on every letter.
pub const LETTER_TITLE: &str = "反电信网络诈骗告知书";

const ML: f32 = 72.0;
const TOP: f32 = 62.0;
const BOTTOM: f32 = 56.0;
const BODY: f32 = 14.5;
const BODY_LH: f32 = 14.5 * 1.8;

/// All letters in one PDF, each starting on a new page. `progress(done, total)`
/// after each letter; `false` cancels with `print.cancelled`.
pub fn letters(items: &[Letter], progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut doc = Doc::new(LETTER_TITLE, items.first().map(|l| l.sender.as_str()).unwrap_or_default())?;
        crate::render_batch(&mut doc, items, progress, |_, _| Ok(()), |ctx, l, _| Ok(layout(ctx, l)))?;
        doc.finish()
    })
}

fn or_blank(s: &str, blank: &str) -> String {
    if s.trim().is_empty() {
        blank.to_string()
    } else {
        s.trim().to_string()
    }
}

fn layout(doc: &Ctx, l: &Letter) -> Vec<Page> {
    let (w, h) = A4;
    let tw = w - 2.0 * ML;
    let recipient = clean(l.recipient.trim());
    let sender = clean(l.sender.trim());
    let contact = clean(l.contact.trim());
    let date = clean(l.date_text.trim());
    let mut flow = Flow::new(w, h, TOP, h - BOTTOM);

    // Title with a red double rule.
    let tst = Style::new(24.0, INK).bold().spaced(3.0);
    let (size, tl) = doc.fit_title(LETTER_TITLE, true, tw, 24.0, 18.0, 1);
    let tst = Style { size, ..tst };
    flow.y += doc.lines(&mut flow.page, w / 2.0, flow.y, size * 1.4, &tst, Align::Center, &tl);
    flow.y += 8.0;
    flow.page.fill_rect(ML, flow.y, tw, 2.2, RED);
    flow.page.fill_rect(ML, flow.y + 4.2, tw, 0.7, RED);
    flow.y += 26.0;

    let st = Style::new(BODY, INK);
    // Salutation.
    let sal = format!("{}：", or_blank(&recipient, "________________"));
    for line in doc.wrap(&sal, &st, tw) {
        flow.ensure(BODY_LH);
        doc.text_mid(&mut flow.page, ML, flow.y, BODY_LH, &st, Align::Left, &line);
        flow.y += BODY_LH;
    }
    // Paragraphs, first line indented by two characters.
    let indent = 2.0 * BODY;
    for p in &l.paragraphs {
        let p = clean(p.trim());
        if p.is_empty() {
            continue;
        }
        let ranges = doc.wrap_ranges(&p, &st, tw, indent);
        let last = ranges.len().saturating_sub(1);
        for (i, r) in ranges.into_iter().enumerate() {
            flow.ensure(BODY_LH);
            let x = if i == 0 { ML + indent } else { ML };
            let line = &p[r];
            let sp = if i < last { doc.justify_spacing(line, &st, ML + tw - x) } else { 0.0 };
            doc.text_mid(&mut flow.page, x, flow.y, BODY_LH, &st.spaced(sp), Align::Left, line);
            flow.y += BODY_LH;
        }
    }

    // Signature block, right-aligned.
    let sig_st = Style::new(13.5, INK);
    let sig_lh = 13.5 * 2.0;
    let sig_lines = [
        format!("告知单位（盖章）：{}", or_blank(&sender, "________________")),
        "经办人（签字）：________________".to_string(),
        format!("日期：{}", or_blank(&date, "______年____月____日")),
    ];
    let sig_w = sig_lines.iter().map(|s| doc.width(s, &sig_st)).fold(0.0, f32::max).min(tw);
    flow.y += 18.0;
    flow.ensure(sig_lh * 3.0);
    for s in &sig_lines {
        let lines = doc.wrap(s, &sig_st, tw);
        for line in lines {
            flow.ensure(sig_lh);
            doc.text_mid(&mut flow.page, ML + tw - sig_w, flow.y, sig_lh, &sig_st, Align::Left, &line);
            flow.y += sig_lh;
        }
    }

    // Receipt strip at the bottom of the last page.
    let rst = Style::new(12.0, INK);
    let rlh = 12.0 * 1.75;
    let body = format!(
        "我单位已收到{}送达的《{}》，知悉其中内容，将组织员工学习并落实各项防范措施。",
        if sender.is_empty() { "贵单位".to_string() } else { sender.clone() },
        LETTER_TITLE
    );
    let mut body_lines = doc.wrap_ranges(&body, &rst, tw, 2.0 * 12.0);
    body_lines.truncate(6);
    let fields = [
        format!("企业名称：{}", or_blank(&recipient, "________________________")),
        format!("联系人：{}　　负责人（签字）：______________", or_blank(&contact, "______________")),
        "联系电话：____________________　　签收日期：______年____月____日".to_string(),
    ];
    let field_lines: Vec<String> =
        fields.iter().flat_map(|f| clamp_lines(doc, doc.wrap(f, &rst, tw), 2, &rst, tw)).collect();
    let receipt_h = 28.0 + 30.0 + body_lines.len() as f32 * rlh + 6.0 + field_lines.len() as f32 * rlh + 14.0;
    if flow.y + 30.0 + receipt_h > flow.bottom {
        flow.new_page();
    }
    let mut y = flow.bottom - receipt_h;
    let page = &mut flow.page;
    page.line(ML - 30.0, y + 10.0, ML + tw + 30.0, y + 10.0, GREY, 0.8, Some(&[4.0, 3.0]));
    let cut_st = Style::new(9.0, GREY);
    let cut = "（沿此虚线剪下，填写后交回）";
    let cw = doc.width(cut, &cut_st) + 12.0;
    page.fill_rect(w / 2.0 - cw / 2.0, y + 2.0, cw, 16.0, WHITE);
    doc.text_mid(page, w / 2.0, y + 2.0, 16.0, &cut_st, Align::Center, cut);
    y += 28.0;
    let hst = Style::new(16.0, INK).bold().spaced(8.0);
    doc.text_mid(page, w / 2.0, y, 26.0, &hst, Align::Center, "回执");
    y += 30.0;
    let last = body_lines.len().saturating_sub(1);
    for (i, r) in body_lines.into_iter().enumerate() {
        let x = if i == 0 { ML + 24.0 } else { ML };
        let line = &body[r];
        let sp = if i < last { doc.justify_spacing(line, &rst, ML + tw - x) } else { 0.0 };
        doc.text_mid(page, x, y, rlh, &rst.spaced(sp), Align::Left, line);
        y += rlh;
    }
    y += 6.0;
    doc.lines(page, ML, y, rlh, &rst, Align::Left, &field_lines);

    let mut pages = flow.finish();
    let n = pages.len();
    if n > 1 {
        for (i, page) in pages.iter_mut().enumerate() {
            let fst = Style::new(9.5, GREY);
            doc.text_mid(page, w / 2.0, h - 34.0, 14.0, &fst, Align::Center, &format!("第 {} 页 共 {} 页", i + 1, n));
        }
    }
    pages
}
