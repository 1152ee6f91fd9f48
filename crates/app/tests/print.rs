//! Printing through the use-case layer: the documents are filled from the store here, and
//! `outreach-print` only draws them.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use outreach_app::print::documents;
use outreach_core::coverage::Period;
use outreach_core::{demo, units, Store};

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x / 3) as u8, (y / 2) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Photos are sealed on disk; the report must carry the original picture, not the sealed
/// bytes (which the renderer cannot decode and used to print as "照片无法显示").
#[test]
fn report_photos_are_the_originals_not_the_sealed_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_with(&dir.path().join("outreach.db"), Some(&common::passphrase())).unwrap();
    demo::load(&mut store).unwrap();
    let root = units::list(store.conn(), false).unwrap().into_iter().find(|u| u.parent_id.is_none()).unwrap();
    let period = Period::parse("2000-01-01", "2099-12-31").unwrap();
    let held = outreach_app::reports::held_sessions(&store, &root.id, period).unwrap();
    let newest = held.last().expect("the demo has held sessions");
    let original = jpeg(320, 200);
    outreach_app::records::add_photo(&mut store, &newest.id, &original, "合影.jpg", "广场宣讲合影").unwrap();

    let on_disk = std::fs::read_dir(dir.path().join("photos")).unwrap().flatten().next().unwrap().path();
    assert_ne!(std::fs::read(on_disk).unwrap(), original, "the file on disk is sealed");

    let today = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let data = outreach_app::reports::build(&store, &root.id, period, today).unwrap();
    let model = documents::report_model(store.conn(), store.data_dir().as_deref(), &data, 0).unwrap();
    let photo = model.photos.iter().find(|p| p.caption == "广场宣讲合影").expect("the new photo is in the report");
    assert_eq!(photo.image, original);
    outreach_print::check_image(&photo.image).unwrap();
}

/// The host decides the day printed on a letter (and in its file name) and may stop a batch.
#[test]
fn the_host_gives_the_date_and_can_cancel() {
    use outreach_app::print::{self, PrintRequest};
    struct Fixed {
        pages: usize,
        stop_after: usize,
    }
    impl outreach_app::Host for Fixed {
        fn today(&self) -> chrono::NaiveDate {
            chrono::NaiveDate::from_ymd_opt(2030, 1, 2).unwrap()
        }
        fn progress(&mut self, done: usize, _total: usize) -> bool {
            self.pages = done;
            done < self.stop_after
        }
    }
    let mut store = Store::open_in_memory().unwrap();
    demo::load(&mut store).unwrap();
    let letters = PrintRequest::Letters { venue_ids: vec![] };
    let mut host = Fixed { pages: 0, stop_after: usize::MAX };
    let r = print::render(&store, &letters, None, &mut host).unwrap();
    assert_eq!(r.file_name, "告知书-20300102.pdf");
    assert!(host.pages > 1, "every letter is reported ({} were)", host.pages);
    let mut host = Fixed { pages: 0, stop_after: 1 };
    let Err(e) = print::render(&store, &letters, None, &mut host) else { panic!("the batch was not stopped") };
    assert_eq!(e.code(), "print.cancelled");
}

fn pdf_text(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

/// A saved report carries the audit chain's head in its footer — the head before its own entry
/// — and is never on disk without its entry: written beside its name, audited, then renamed.
#[test]
fn a_saved_report_prints_the_audit_anchor_and_always_has_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    demo::load(&mut store).unwrap();
    let root = units::list(store.conn(), false).unwrap().into_iter().find(|u| u.parent_id.is_none()).unwrap();
    let period = Period::parse("2026-01-01", "2026-12-31").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let head = outreach_core::audit::head(store.conn()).unwrap().unwrap();
    let pdf = dir.path().join("报告.pdf");
    outreach_app::reports::save(&mut store, &root.id, period, today, &pdf).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains(&format!("审计链{}…", &head[..16])), "{text}");
    let newest = outreach_core::audit::list(store.conn(), 1, 0).unwrap().remove(0);
    assert_eq!((newest.action.as_str(), newest.target.as_str()), ("report", "报告.pdf"));
    // What the footer printed is an anchor the CLI's check accepts.
    outreach_core::audit::verify_anchor(store.conn(), &format!("{}…", &head[..16])).unwrap();

    // When the entry cannot be written, no file is left: neither the report nor its temporary.
    store
        .conn()
        .execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END")
        .unwrap();
    for name in ["二.pdf", "二.xlsx"] {
        let path = dir.path().join(name);
        assert!(outreach_app::reports::save(&mut store, &root.id, period, today, &path).is_err());
        assert!(!path.exists(), "{name} saved without its audit entry");
    }
    let csv = dir.path().join("人员.csv");
    let r = outreach_app::transfer::export(
        &mut store,
        outreach_core::transfer::TableKind::People,
        outreach_core::transfer::FileFormat::Csv,
        &csv,
        false,
    );
    assert!(r.is_err() && !csv.exists());
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, vec!["报告.pdf".to_string()], "nothing else left behind");
}

/// A picture chosen for a flyer is embedded in the PDF as it is when it needs no turning or
/// shrinking: its EXIF (where a phone took it) must not go with it.
#[test]
fn a_flyers_photo_goes_into_the_pdf_without_its_exif() {
    use outreach_app::print::{self, PrintRequest};
    let mut store = Store::open_in_memory().unwrap();
    demo::load(&mut store).unwrap();
    let session: String = store.conn().query_row("SELECT id FROM sessions LIMIT 1", [], |r| r.get(0)).unwrap();
    let plain = jpeg(160, 120);
    // APP1 EXIF with a GPS pointer and a maker's note text, after the JPEG's start.
    let mut app1 = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0".to_vec();
    app1.extend_from_slice(b"GPS 36.80N 118.05E");
    let mut tagged = plain[..2].to_vec();
    tagged.extend_from_slice(&[0xFF, 0xE1]);
    tagged.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    tagged.extend_from_slice(&app1);
    tagged.extend_from_slice(&plain[2..]);
    let has = |b: &[u8], n: &[u8]| b.windows(n.len()).any(|w| w == n);
    let req = PrintRequest::Flyer { session_id: session, paper: outreach_print::model::Paper::A4, photo_id: None };
    let r = print::render(&store, &req, Some(tagged), &mut outreach_app::Quiet).unwrap();
    assert!(!has(&r.bytes, b"Exif") && !has(&r.bytes, b"GPS 36.80N"), "the photo's EXIF is in the PDF");
    // The photo itself is there, as it was (passed through, not re-encoded).
    assert!(has(&r.bytes, &plain[plain.len() - 64..]), "the photo is not in the PDF as it was");
}
