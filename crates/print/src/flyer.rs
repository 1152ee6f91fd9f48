//! Event flyer (宣传单), A4 or A5, and batches of personalised flyers.

use printpdf::XObjectId;

use crate::blocks::*;
use crate::canvas::*;
use crate::error::PrintError;
use crate::images::ImageKind;
use crate::model::{Flyer, Paper};
use crate::text::clean;

/// One flyer as a PDF (normally one page; long content continues on a second page).
pub fn flyer(f: &Flyer) -> Result<Vec<u8>, PrintError> {
    flyers_batch(std::slice::from_ref(f), &mut |_, _| true)
}

/// Many flyers in one PDF (e.g. 1,000 personalised flyers). `progress(done, total)`
/// is called after each flyer; returning `false` cancels with `print.cancelled`.
pub fn flyers_batch(items: &[Flyer], progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<Vec<u8>, PrintError> {
    crate::guard(|| {
        let title = items.first().map(|f| clean(&f.title)).unwrap_or_default();
        let author = items.first().map(|f| f.organiser.as_str()).unwrap_or_default();
        let mut doc = Doc::new(&title, author)?;
        let qr_texts: Vec<String> = items.iter().filter_map(|f| qr_text(&f.qr_text)).collect();
        doc.prefetch_qr(&qr_texts)?;
        crate::render_batch(&mut doc, items, progress, prepare, layout)?;
        doc.finish()
    })
}

pub(crate) fn qr_text(t: &Option<String>) -> Option<String> {
    t.as_deref().map(|t| clean(t.trim())).filter(|t| !t.is_empty())
}

/// Images and QR code of one flyer, embedded in the document.
pub(crate) struct Res {
    logo: Option<ImageRef>,
    photo: Option<ImageRef>,
    qr: Option<XObjectId>,
}

fn prepare(doc: &mut Doc, f: &Flyer) -> Result<Res, PrintError> {
    let logo = match &f.logo {
        Some(b) if !b.is_empty() => Some(doc.image(b, ImageKind::Logo)?),
        _ => None,
    };
    let photo = match &f.photo {
        Some(b) if !b.is_empty() => Some(doc.image(b, ImageKind::Photo)?),
        _ => None,
    };
    let qr = match qr_text(&f.qr_text) {
        Some(t) => Some(doc.qr(&t)?),
        None => None,
    };
    Ok(Res { logo, photo, qr })
}

fn layout(doc: &Ctx, f: &Flyer, res: &Res) -> Result<Vec<Page>, PrintError> {
    let ((w, h), k) = match f.paper {
        Paper::A4 => (A4, 1.0),
        Paper::A5 => (A5, A5.0 / A4.0),
    };
    let title = clean(&f.title);
    let kind = clean(&f.kind_label);
    let logo = res.logo.clone();
    let photo = res.photo.clone();
    let m = 36.0 * k;
    let cw = w - 2.0 * m;
    let mut flow = Flow::new(w, h, continuation_top(k), content_bottom(h, k));

    band(
        doc,
        &mut flow,
        k,
        &Band {
            logo: logo.as_ref(),
            pill: &kind,
            tagline: "全民反诈 · 守护平安",
            title: &title,
            subtitle: "",
            title_max: if f.paper == Paper::A4 { 40.0 } else { 28.0 },
            title_min: if f.paper == Paper::A4 { 20.0 } else { 15.0 },
        },
    );

    let speakers = f.speakers.iter().map(|s| clean(s.trim())).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("、");
    let info_rows =
        [("时间", clean(&f.time_text)), ("地点", clean(&f.place)), ("主办", clean(&f.organiser)), ("主讲", speakers)];
    let tips: Vec<String> = f.tips.iter().map(|t| clean(t)).collect();
    let hotlines: Vec<(String, String)> = f.hotlines.iter().map(|(n, l)| (clean(n), clean(l))).collect();
    let contact = Contact::new(doc, k, cw, &hotlines, res.qr.clone(), &clean(&f.qr_caption));

    let gap = 18.0 * k;
    let contact_h = if contact.is_empty() { 0.0 } else { 22.0 * k + contact.height() };
    let photo_max_h = 220.0 * k;
    let photo_frame = 3.0 * k;
    // Largest text scale that keeps everything on one page (photo at a fair size)
    // without breaking more lines than at the normal size.
    let base_lines = InfoBlock::new(doc, k, cw, &info_rows).line_count() + Tips::new(doc, k, cw, &tips).line_count();
    let mut blocks = None;
    for b in [1.3f32, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0] {
        let info = InfoBlock::new(doc, k * b, cw, &info_rows);
        let tips = Tips::new(doc, k * b, cw, &tips);
        if b > 1.0 && info.line_count() + tips.line_count() > base_lines {
            continue;
        }
        let photo_h = match &photo {
            Some(p) => {
                gap + 2.0 * photo_frame + p.fit(cw, photo_max_h).1.min(if b > 1.0 { 110.0 * k } else { 70.0 * k })
            }
            None => 0.0,
        };
        let need = info.height() + if tips.is_empty() { 0.0 } else { gap + tips.height() } + contact_h + photo_h;
        if need <= flow.room() || b <= 1.0 {
            blocks = Some((info, tips, flow.room() - need));
            break;
        }
    }
    let Some((info, mut tips, slack)) = blocks else {
        return Err(PrintError::Internal("layout".into()));
    };
    // Left-over space on a one-page flyer: a little more air between the blocks.
    let mut tips_gap = gap;
    if photo.is_none() && slack > 0.0 {
        tips_gap += (slack * 0.3).min(30.0 * k);
        tips.spread(slack * 0.4);
    }

    info.draw(doc, &mut flow, m, cw);
    if let Some(photo) = &photo {
        // The photo takes the free space on page one (up to a maximum), else it
        // flows like any other block.
        let after = (if tips.is_empty() { 0.0 } else { gap + tips.height() }) + contact_h;
        let gap_before = if info.is_empty() { 0.0 } else { gap };
        let free = flow.room() - after - gap_before - 2.0 * photo_frame - 1.0;
        let min_h = 70.0 * k;
        let (pw, ph) = if free >= min_h { photo.fit(cw, free.min(photo_max_h)) } else { photo.fit(cw, photo_max_h) };
        flow.y += gap_before;
        flow.ensure(ph + 2.0 * photo_frame);
        let px = m + (cw - pw) / 2.0;
        flow.y += photo_frame;
        flow.page.round_rect(
            px - photo_frame,
            flow.y - photo_frame,
            pw + 2.0 * photo_frame,
            ph + 2.0 * photo_frame,
            photo_frame,
            Some(WHITE),
            Some((LIGHT_GREY, 0.6 * k)),
        );
        flow.page.image(&photo.id, px, flow.y, pw, ph);
        flow.y += ph + photo_frame;
    }
    if !tips.is_empty() {
        flow.y += tips_gap;
        tips.draw(doc, &mut flow, m, cw, "防骗提示");
    }
    place_contact(doc, &mut flow, k, m, &contact);

    let mut pages = flow.finish();
    let n = pages.len();
    let org = clean(&f.organiser);
    for (i, page) in pages.iter_mut().enumerate() {
        if i > 0 {
            continuation_header(doc, page, k, &title);
        }
        let right = if n > 1 {
            format!("第 {} 页 共 {} 页", i + 1, n)
        } else {
            "谨防电信网络诈骗 · 如遇可疑情况请拨打96110".to_string()
        };
        footer(doc, page, k, &org, &right);
    }
    Ok(pages)
}
