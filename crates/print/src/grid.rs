//! Grid contact card (网格反诈联系卡): one A4 page per grid with its workers.

use printpdf::XObjectId;

use crate::blocks::*;
use crate::canvas::*;
use crate::error::PrintError;
use crate::flyer::qr_text;
use crate::images::ImageKind;
use crate::model::GridFlyer;
use crate::text::clean;

/// Printed instead of an empty worker list.
pub const NO_WORKER_TEXT: &str = "本网格暂无登记网格员，请拨打96110咨询";

/// All grid cards in one PDF, each starting on a new page. `progress(done, total)`
/// after each grid; `false` cancels with `print.cancelled`.
pub fn grid_flyers(items: &[GridFlyer], progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let mut doc = Doc::new("网格反诈联系卡", items.first().map(|g| g.organiser.as_str()).unwrap_or_default())?;
        let qr_texts: Vec<String> = items.iter().filter_map(|g| qr_text(&g.qr_text)).collect();
        doc.prefetch_qr(&qr_texts)?;
        crate::render_batch(&mut doc, items, progress, prepare, layout)?;
        doc.finish()
    })
}

struct Res {
    logo: Option<ImageRef>,
    qr: Option<XObjectId>,
}

fn prepare(doc: &mut Doc, g: &GridFlyer) -> Result<Res, PrintError> {
    let logo = match &g.logo {
        Some(b) if !b.is_empty() => Some(doc.image(b, ImageKind::Logo)?),
        _ => None,
    };
    let qr = match qr_text(&g.qr_text) {
        Some(t) => Some(doc.qr(&t)?),
        None => None,
    };
    Ok(Res { logo, qr })
}

fn layout(doc: &Ctx, g: &GridFlyer, res: &Res) -> Result<Vec<Page>, PrintError> {
    let (w, h) = A4;
    let k = 1.0;
    let m = 36.0;
    let cw = w - 2.0 * m;
    let name = clean(&g.grid_name);
    let logo = res.logo.clone();
    let mut flow = Flow::new(w, h, continuation_top(k), content_bottom(h, k));
    band(
        doc,
        &mut flow,
        k,
        &Band {
            logo: logo.as_ref(),
            pill: "网格反诈联系卡",
            tagline: "有事找网格 · 反诈在身边",
            title: &name,
            subtitle: &clean(&g.unit_path),
            title_max: 38.0,
            title_min: 20.0,
        },
    );

    heading(doc, &mut flow, k, m, cw, "本网格网格员");
    let workers: Vec<(String, String)> = g
        .workers
        .iter()
        .map(|wk| (clean(wk.name.trim()), clean(wk.phone_masked.trim())))
        .filter(|(n, p)| !n.is_empty() || !p.is_empty())
        .collect();
    if workers.is_empty() {
        let st = Style::new(15.0, INK);
        let lines = doc.wrap(NO_WORKER_TEXT, &st, cw - 40.0);
        let lh = 15.0 * 1.5;
        let bh = lines.len() as f32 * lh + 28.0;
        flow.ensure(bh);
        flow.page.round_rect(m, flow.y, cw, bh, 8.0, Some(PALE_RED), Some((C(0xF0, 0xB8, 0xB4), 0.8)));
        doc.lines(&mut flow.page, m + cw / 2.0, flow.y + 14.0, lh, &st, Align::Center, &lines);
        flow.y += bh;
    } else {
        let gap = 12.0;
        let card_w = (cw - gap) / 2.0;
        let card_h = 60.0;
        let name_st = Style::new(17.0, INK).bold();
        let phone_st = Style::new(14.0, GREY);
        let av_st = Style::new(15.0, WHITE).bold();
        for pair in workers.chunks(2) {
            flow.ensure(card_h);
            for (i, (n, p)) in pair.iter().enumerate() {
                let x = m + i as f32 * (card_w + gap);
                let y = flow.y;
                flow.page.round_rect(x, y, card_w, card_h, 8.0, Some(PALE), None);
                let r = 18.0;
                let cx = x + 14.0 + r;
                flow.page.circle(cx, y + card_h / 2.0, r, Some(RED), None, None);
                let initial: String = n.chars().next().map(String::from).unwrap_or_else(|| "网".into());
                doc.text_mid(&mut flow.page, cx, y + card_h / 2.0 - r, 2.0 * r, &av_st, Align::Center, &initial);
                let tx = cx + r + 12.0;
                let tw = x + card_w - 12.0 - tx;
                let n = ellipsize(doc, if n.is_empty() { "网格员" } else { n }, &name_st, tw);
                doc.text(&mut flow.page, tx, y + 26.0, &name_st, Align::Left, &n);
                let p = if p.is_empty() { "电话未登记".to_string() } else { format!("电话 {p}") };
                let p = ellipsize(doc, &p, &phone_st, tw);
                doc.text(&mut flow.page, tx, y + 47.0, &phone_st, Align::Left, &p);
            }
            flow.y += card_h + gap;
        }
        flow.y -= gap;
    }

    let tips: Vec<String> = g.tips.iter().map(|t| clean(t)).collect();
    let hotlines =
        vec![("96110".to_string(), "反诈预警劝阻专线".to_string()), ("110".to_string(), "报警电话".to_string())];
    let contact = Contact::new(doc, k, cw, &hotlines, res.qr.clone(), &clean(&g.qr_caption));
    let contact_h = if contact.is_empty() { 0.0 } else { 22.0 + contact.height() };
    // Largest tip size that still fits on the page without breaking more lines;
    // left-over space goes between the tips.
    let base_lines = Tips::new(doc, k, cw, &tips).line_count();
    let mut chosen = None;
    for b in [1.3f32, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0] {
        let mut t = Tips::new(doc, k * b, cw, &tips);
        if b > 1.0 && t.line_count() > base_lines {
            continue;
        }
        let slack = flow.room() - (20.0 + t.height() + contact_h);
        if slack >= 0.0 || b <= 1.0 {
            t.spread(slack * 0.5);
            chosen = Some(t);
            break;
        }
    }
    if let Some(tips) = chosen.filter(|t| !t.is_empty()) {
        flow.y += 20.0;
        tips.draw(doc, &mut flow, m, cw, "防骗提示");
    }
    place_contact(doc, &mut flow, k, m, &contact);

    let mut pages = flow.finish();
    let n = pages.len();
    let org = clean(&g.organiser);
    for (i, page) in pages.iter_mut().enumerate() {
        if i > 0 {
            continuation_header(doc, page, k, &name);
        }
        let right = if n > 1 {
            format!("第 {} 页 共 {} 页", i + 1, n)
        } else {
            "接到可疑电话、短信，请先挂断，再向网格员或96110核实".to_string()
        };
        footer(doc, page, k, &org, &right);
    }
    Ok(pages)
}
