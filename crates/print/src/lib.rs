//! PDF documents for Outreach Desk: event flyers (A4/A5), grid contact cards,
//! sign-in sheets, notice letters to enterprises, volunteer certificates, work
//! reports to superiors (tables, bar charts, photos) and the weekly case review brief.
//!
//! Every function takes plain model structs ([`model`]) and returns the PDF bytes.
//! Text is set in the embedded Noto Sans CJK SC (OFL, `fonts/`), subset per
//! document with a ToUnicode map, so `pdftotext` / copy-paste give the text back.
//! Chinese line breaking follows the usual 禁则 rules (see [`text`]).
//!
//! No function panics on bad input: images are validated ([`check_image`]), text is
//! cleaned and capped, overflowing content continues on further pages.

// Layout helpers naturally take position, size and style together.
#![allow(clippy::too_many_arguments)]

mod blocks;
mod brief;
mod canvas;
mod certificate;
mod colors;
mod error;
mod flyer;
mod fonts;
mod grid;
mod images;
mod letter;
pub mod model;
mod qr;
mod report;
mod signin;
pub mod text;

pub use brief::{brief, BRIEF_DEFAULT_TITLE};
pub use certificate::{certificate, CERTIFICATE_TITLE};
pub use error::PrintError;
pub use flyer::{flyer, flyers_batch};
pub use fonts::{font_candidates, font_path, fonts, Fonts, FONT_ENV, FONT_FILE, INSTALLED_DIR};
pub use grid::{grid_flyers, NO_WORKER_TEXT};
pub use images::{check_image, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS};
pub use letter::{letters, LETTER_TITLE};
pub use model::{
    BarChart, Brief, BriefFigure, BriefPlace, Certificate, ChartSeries, Flyer, GridFlyer, Letter, Paper, Report,
    ReportPhoto, ReportSection, ReportTable, SignIn, Worker,
};
pub use report::{report, PHOTO_UNAVAILABLE, REPORT_DEFAULT_TITLE};
pub use signin::{signin, signin_layout, SignInLayout, MAX_ROWS, MIN_ROWS};

/// Run a renderer, turning any unexpected panic inside it (or inside a dependency)
/// into `print.internal` instead of taking the app down.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, PrintError>) -> Result<T, PrintError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(e) => {
            let msg = e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "未知错误".into());
            Err(PrintError::Internal(msg))
        }
    }
}

/// Map `f` over `items` on all cores (contiguous chunks, order kept).
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    if threads == 1 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    })
}

/// Render a batch: `prepare` (serial: images, QR codes) then `layout` in
/// parallel chunks, pushing pages in order and reporting progress per item.
pub(crate) fn render_batch<T: Sync, R: Sync>(
    doc: &mut canvas::Doc,
    items: &[T],
    progress: &mut dyn FnMut(usize, usize) -> bool,
    mut prepare: impl FnMut(&mut canvas::Doc, &T) -> Result<R, PrintError>,
    layout: impl Fn(&canvas::Ctx, &T, &R) -> Result<Vec<canvas::Page>, PrintError> + Sync,
) -> Result<(), PrintError> {
    const CHUNK: usize = 64;
    let total = items.len();
    let mut done = 0;
    for part in items.chunks(CHUNK) {
        let res = part.iter().map(|it| prepare(doc, it)).collect::<Result<Vec<R>, _>>()?;
        let jobs: Vec<(&T, &R)> = part.iter().zip(res.iter()).collect();
        let ctx = doc.ctx();
        let pages = par_map(&jobs, |(it, r)| layout(ctx, it, r));
        for p in pages {
            doc.push_all(p?);
            done += 1;
            if !progress(done, total) {
                return Err(PrintError::Cancelled);
            }
        }
    }
    Ok(())
}

/// Number of pages of a PDF produced by this crate (counts `/Type /Page` objects;
/// 0 if the bytes are not such a PDF).
pub fn page_count(pdf: &[u8]) -> usize {
    if !pdf.starts_with(b"%PDF") {
        return 0;
    }
    let pat = b"/Type";
    let mut n = 0;
    let mut i = 0;
    while i + pat.len() < pdf.len() {
        if &pdf[i..i + pat.len()] == pat {
            let mut j = i + pat.len();
            while j < pdf.len() && (pdf[j] == b' ' || pdf[j] == b'\n' || pdf[j] == b'\r') {
                j += 1;
            }
            if pdf[j..].starts_with(b"/Page") {
                let after = pdf.get(j + 5).copied().unwrap_or(b' ');
                if !after.is_ascii_alphanumeric() {
                    n += 1;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    n
}
