//! Volunteer service certificate (志愿服务证明), A4 portrait with a double border.

use crate::blocks::{clamp_lines, Flow, A4};
use crate::canvas::*;
use crate::error::PrintError;
use crate::model::Certificate;
use crate::text::clean;

/// Document title.
pub const CERTIFICATE_TITLE: &str = "志愿服务证明";

const MX: f32 = 78.0;

/// Format hours: 12 → "12", 12.5 → "12.5", 1.25 → "1.25"; invalid → "0".
pub(crate) fn hours_text(h: f64) -> String {
    if !h.is_finite() || h <= 0.0 {
        return "0".into();
    }
    let h = h.min(1.0e6);
    let s = format!("{:.2}", (h * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn border(page: &mut Page) {
    let (w, h) = (page.w, page.h);
    page.stroke_rect(20.0, 20.0, w - 40.0, h - 40.0, RED, 3.0);
    page.stroke_rect(28.0, 28.0, w - 56.0, h - 56.0, C(0xD4, 0xA0, 0x3A), 1.0);
    for (x, y) in [(28.0, 28.0), (w - 28.0, 28.0), (28.0, h - 28.0), (w - 28.0, h - 28.0)] {
        page.fill_rect(x - 5.0, y - 5.0, 10.0, 10.0, RED);
        page.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0, GOLD);
    }
}

/// The certificate as a PDF (a long session list continues on further pages).
pub fn certificate(c: &Certificate) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut doc = Doc::new(CERTIFICATE_TITLE, &c.issuer)?;
        let pages = layout(&doc, c);
        doc.push_all(pages);
        doc.finish()
    })
}

fn layout(doc: &Ctx, c: &Certificate) -> Vec<Page> {
    let (w, h) = A4;
    let tw = w - 2.0 * MX;
    let mut flow = Flow::new(w, h, 70.0, h - 70.0);

    // Title.
    let tst = Style::new(34.0, RED).bold().spaced(10.0);
    doc.text(&mut flow.page, w / 2.0, 138.0, &tst, Align::Center, CERTIFICATE_TITLE);
    let sst = Style::new(9.5, C(0x99, 0x88, 0x66)).spaced(2.2);
    doc.text(&mut flow.page, w / 2.0, 162.0, &sst, Align::Center, "CERTIFICATE OF VOLUNTEER SERVICE");
    flow.page.line(w / 2.0 - 120.0, 176.0, w / 2.0 + 120.0, 176.0, C(0xD4, 0xA0, 0x3A), 1.0, None);
    flow.page.circle(w / 2.0, 176.0, 3.0, Some(RED), None, None);
    flow.y = 226.0;

    // Body: "兹证明 <name> 同志（unit）……" with the name bold and underlined.
    let person = clean(c.person.trim());
    let unit = clean(c.unit.trim());
    let from = clean(c.from_text.trim());
    let to = clean(c.to_text.trim());
    let mut body = String::from("兹证明 ");
    let name_start = body.len();
    body.push_str(if person.is_empty() { "________" } else { &person });
    let name_end = body.len();
    body.push_str(" 同志");
    if !unit.is_empty() {
        body.push_str(&format!("（{unit}）"));
    }
    match (from.is_empty(), to.is_empty()) {
        (false, false) if from != to => body.push_str(&format!("于{from}至{to}期间，")),
        (false, _) => body.push_str(&format!("于{from}，")),
        (true, false) => body.push_str(&format!("截至{to}，")),
        (true, true) => body.push('，'),
    }
    body.push_str(&format!(
        "积极参加反电信网络诈骗宣传志愿服务活动，累计参加活动{}次，志愿服务时长{}小时。",
        c.sessions,
        hours_text(c.hours)
    ));
    let st = Style::new(16.5, INK);
    let lh = 16.5 * 2.1;
    let indent = 2.0 * 16.5;
    let name_range = name_start..name_end;
    let emph = std::slice::from_ref(&name_range);
    let ranges = doc.wrap_ranges(&body, &st, tw, indent);
    let last = ranges.len().saturating_sub(1);
    for (i, r) in ranges.into_iter().enumerate() {
        flow.ensure(lh);
        let x = if i == 0 { MX + indent } else { MX };
        // Justify non-final lines (measured with the bold name, which is a bit wider).
        let sp = if i < last { doc.justify_spacing(&body[r.clone()], &st, MX + tw - x - 0.5) } else { 0.0 };
        doc.rich_line(&mut flow.page, x, baseline_mid(flow.y, lh, st.size), &st.spaced(sp), &body, r, emph);
        flow.y += lh;
    }
    doc.text_mid(&mut flow.page, MX + indent, flow.y, lh, &st, Align::Left, "特此证明。");
    flow.y += lh + 12.0;

    // Optional session list.
    let lines: Vec<String> = c.lines.iter().map(|l| clean(l.trim())).filter(|l| !l.is_empty()).collect();
    if !lines.is_empty() {
        flow.ensure(60.0);
        let hst = Style::new(13.0, RED).bold().spaced(1.0);
        doc.text_mid(&mut flow.page, MX, flow.y, 22.0, &hst, Align::Left, "参与活动记录");
        let hw = doc.width("参与活动记录", &hst);
        flow.page.line(MX + hw + 10.0, flow.y + 11.0, MX + tw, flow.y + 11.0, LIGHT_GREY, 0.6, None);
        flow.y += 28.0;
        let lst = Style::new(11.5, INK);
        let nst = Style::new(11.5, GREY);
        let llh = 11.5 * 1.6;
        let nw = doc.width(&format!("{}.", lines.len()), &nst) + 8.0;
        for (i, l) in lines.iter().enumerate() {
            for (j, part) in doc.wrap(l, &lst, tw - nw).iter().enumerate() {
                flow.ensure(llh);
                if j == 0 {
                    doc.text_mid(
                        &mut flow.page,
                        MX + nw - 8.0,
                        flow.y,
                        llh,
                        &nst,
                        Align::Right,
                        &format!("{}.", i + 1),
                    );
                }
                doc.text_mid(&mut flow.page, MX + nw, flow.y, llh, &lst, Align::Left, part);
                flow.y += llh;
            }
        }
    }

    // Issuer, date and a seal placeholder at the bottom of the last page.
    let issuer = clean(c.issuer.trim());
    let date = clean(c.date_text.trim());
    let ist = Style::new(15.0, INK);
    let block_w = 270.0f32.min(tw);
    let issuer_text = if issuer.is_empty() { "（出具单位）".to_string() } else { issuer };
    let (isize, issuer_lines) = doc.fit_title(&issuer_text, false, block_w, 15.0, 15.0, 2);
    let issuer_lines = clamp_lines(doc, issuer_lines, 3, &Style::new(isize, INK), block_w);
    let ist = Style { size: isize, ..ist };
    let ilh = 15.0 * 1.7;
    let block_h = (issuer_lines.len() + 1) as f32 * ilh;
    if flow.y + 40.0 + block_h > flow.bottom - 20.0 {
        flow.new_page();
    }
    let bx = MX + tw - block_w;
    let by = flow.bottom - 30.0 - block_h;
    let seal_cy = by + block_h / 2.0;
    flow.page.circle(bx + block_w / 2.0, seal_cy, 50.0, None, Some((C(0xEC, 0xA8, 0xA8), 0.9)), Some(&[4.0, 3.0]));
    doc.lines(&mut flow.page, bx + block_w / 2.0, by, ilh, &ist, Align::Center, &issuer_lines);
    let d = if date.is_empty() { "______年____月____日".to_string() } else { date };
    doc.text_mid(
        &mut flow.page,
        bx + block_w / 2.0,
        by + issuer_lines.len() as f32 * ilh,
        ilh,
        &ist,
        Align::Center,
        &d,
    );

    let mut pages = flow.finish();
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        border(page);
        if n > 1 {
            let fst = Style::new(9.0, GREY);
            doc.text_mid(page, w / 2.0, h - 50.0, 14.0, &fst, Align::Center, &format!("第 {} 页 共 {} 页", i + 1, n));
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_format() {
        assert_eq!(super::hours_text(12.0), "12");
        assert_eq!(super::hours_text(12.5), "12.5");
        assert_eq!(super::hours_text(1.25), "1.25");
        assert_eq!(super::hours_text(f64::NAN), "0");
        assert_eq!(super::hours_text(-3.0), "0");
    }
}
