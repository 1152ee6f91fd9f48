//! Session records, photos, door-to-door visits and the materials stock.

mod common;

use std::io::Cursor;

use image::{ImageEncoder, RgbImage};
use outreach_core::materials::{self, StockMoveInput};
use outreach_core::records::{self, AudienceCount, HandOut, RecordInput, SpeakerHours};
use outreach_core::sessions::{self, Audience, SessionInput, SessionKind, SessionStatus};
use outreach_core::units::UnitKind;
use outreach_core::visits::{self, VisitFilter, VisitInput};
use outreach_core::{photos, Error, Store};

struct Fixture {
    store: Store,
    grid: String,
    community: String,
    session: String,
    speaker: String,
    dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let community = common::add(&mut store, Some(&city), "齐都花园社区", UnitKind::Community, None);
    let grid =
        common::add(&mut store, Some(&community), "齐都花园第一网格", UnitKind::Grid, Some(common::grid_profile(900)));
    let speaker = store
        .write(|tx| {
            outreach_core::people::save(
                tx,
                &outreach_core::people::PersonInput {
                    id: None,
                    name: "王秀英".into(),
                    roles: vec![outreach_core::people::PersonRole::Volunteer],
                    phone: Some("13800138000".into()),
                    unit_id: Some(community.clone()),
                    team_ids: vec![],
                    topic_ids: vec![],
                    active: true,
                    joined_on: None,
                    notes: String::new(),
                },
            )
        })
        .unwrap()
        .id;
    let session = plan(&mut store, &community, SessionKind::BenchTalk, "2026-03-07T09:30", "2026-03-07T11:00");
    Fixture { store, grid, community, session, speaker, dir: tempfile::tempdir().unwrap() }
}

fn plan(store: &mut Store, unit: &str, kind: SessionKind, start: &str, end: &str) -> String {
    store
        .write(|tx| {
            sessions::save(
                tx,
                &SessionInput {
                    id: None,
                    title: "齐都文化广场反诈板凳会".into(),
                    kind,
                    venue_id: None,
                    unit_id: Some(unit.into()),
                    start: start.into(),
                    end: end.into(),
                    audiences: vec![Audience::Elderly, Audience::Public],
                    topic_ids: vec![],
                    people: vec![],
                    materials: vec![],
                    expected_audience: Some(80),
                    channel: String::new(),
                    messages: None,
                    notes: String::new(),
                },
                true,
                "测试",
            )
        })
        .unwrap()
        .session
        .unwrap()
        .id
}

fn input(f: &Fixture) -> RecordInput {
    RecordInput {
        session_id: f.session.clone(),
        actual_start: "2026-03-07T09:40".into(),
        actual_end: "2026-03-07T11:10".into(),
        headcount: 86,
        audiences: vec![
            AudienceCount { audience: Audience::Elderly, count: 60 },
            AudienceCount { audience: Audience::Public, count: 20 },
        ],
        speakers: vec![SpeakerHours { person_id: f.speaker.clone(), hours: None, person_name: String::new() }],
        materials: vec![HandOut { material_id: "mat-flyer".into(), quantity: 120, material_name: String::new() }],
        notes: "现场互动答题".into(),
        signin_names: vec![],
        reason: String::new(),
    }
}

fn codes(e: Error) -> Vec<String> {
    e.issues().into_iter().map(|i| i.code.to_string()).collect()
}

#[test]
fn recording_moves_the_session_to_held_and_credits_hours() {
    let mut f = fixture();
    let i = input(&f);
    let out = f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap();
    assert_eq!(out.record.headcount, 86);
    assert_eq!(out.record.session_status, SessionStatus::Held);
    assert_eq!(out.record.speakers[0].hours, Some(1.5), "hours default to the actual length");
    assert_eq!(out.record.materials[0].material_name, "宣传彩页");
    let (hours, n, _) = records::service(f.store.conn(), &f.speaker, "2026-03-01", "2026-03-31").unwrap();
    assert_eq!((hours, n), (1.5, 1));
}

#[test]
fn bad_records_are_refused_with_every_reason_and_nothing_written() {
    let mut f = fixture();
    let mut i = input(&f);
    i.headcount = -5;
    i.actual_end = "2026-03-07T09:00".into();
    let e = f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap_err();
    let c = codes(e);
    assert!(c.contains(&"validation.negative".to_string()), "{c:?}");
    assert!(c.contains(&"sessions.end_before_start".to_string()), "{c:?}");

    let mut i = input(&f);
    i.headcount = 50;
    let e = f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap_err();
    assert_eq!(codes(e), vec!["records.split_over_total"]);
    let i2 = RecordInput { audiences: vec![AudienceCount { audience: Audience::Elderly, count: -1 }], ..input(&f) };
    let e2 = f.store.write(|tx| records::save(tx, &i2, "测试", "coordinator")).unwrap_err();
    assert_eq!(codes(e2), vec!["validation.negative"]);
    assert!(records::find(f.store.conn(), &f.session).unwrap().is_none());
    assert_eq!(sessions::get(f.store.conn(), &f.session).unwrap().status, SessionStatus::Planned);

    // A partial split is fine; a split equal to the total too.
    let mut i = input(&f);
    i.audiences = vec![AudienceCount { audience: Audience::Elderly, count: 86 }];
    f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap();
}

#[test]
fn future_and_cancelled_sessions_cannot_be_recorded() {
    let mut f = fixture();
    let future = plan(&mut f.store, &f.community.clone(), SessionKind::Talk, "2099-01-01T09:00", "2099-01-01T10:00");
    let i = RecordInput {
        session_id: future.clone(),
        actual_start: "2099-01-01T09:00".into(),
        actual_end: "2099-01-01T10:00".into(),
        ..input(&f)
    };
    assert_eq!(
        codes(f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap_err()),
        vec!["records.not_yet"]
    );
    f.store.write(|tx| sessions::set_status(tx, &f.session, SessionStatus::Cancelled, "下雨", "测试")).unwrap();
    let i = input(&f);
    assert_eq!(
        codes(f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap_err()),
        vec!["records.session_cancelled"]
    );
}

#[test]
fn review_locks_and_a_correction_needs_a_reason_and_is_logged() {
    let mut f = fixture();
    let i = input(&f);
    f.store.write(|tx| records::save(tx, &i, "队长", "coordinator")).unwrap();
    let r = f.store.write(|tx| records::review(tx, &f.session, "民警")).unwrap();
    assert_eq!(r.session_status, SessionStatus::Reported);
    assert_eq!(r.reviewed_by.as_deref(), Some("民警"));
    let mut i = input(&f);
    i.headcount = 90;
    assert_eq!(
        codes(f.store.write(|tx| records::save(tx, &i, "队长", "coordinator")).unwrap_err()),
        vec!["records.reason_required"]
    );
    i.reason = "漏记后到的居民".into();
    let out = f.store.write(|tx| records::save(tx, &i, "队长", "coordinator")).unwrap();
    assert_eq!(out.record.headcount, 90);
    assert_eq!(out.record.corrections, 1);
    assert_eq!(out.record.session_status, SessionStatus::Reported, "a correction does not unlock");
    let log = records::corrections(f.store.conn(), &f.session).unwrap();
    assert_eq!(log.len(), 1);
    assert!(log[0].before.contains("86人") && log[0].after.contains("90人"), "{log:?}");
    // Reviewing twice is refused.
    assert_eq!(
        codes(f.store.write(|tx| records::review(tx, &f.session, "民警")).unwrap_err()),
        vec!["sessions.bad_transition"]
    );
}

fn jpeg(w: u32, h: u32, exif_orientation: Option<u16>) -> Vec<u8> {
    let mut img = RgbImage::new(w, h);
    for (x, _, p) in img.enumerate_pixels_mut() {
        *p = image::Rgb([(x * 255 / w) as u8, 80, 160]);
    }
    let mut buf = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 85);
    if let Some(o) = exif_orientation {
        // A minimal big-endian TIFF header with one IFD entry: Orientation (0x0112), SHORT.
        let mut exif = vec![b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1];
        exif.extend(o.to_be_bytes());
        exif.extend([0, 0, 0, 0, 0, 0]);
        enc.set_exif_metadata(exif).unwrap();
    }
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).unwrap();
    buf
}

#[test]
fn photos_are_checked_turned_upright_thumbnailed_and_stored_once() {
    let mut f = fixture();
    let i = input(&f);
    f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap();
    let dir = f.dir.path().join("photos");
    // Orientation 6 = rotate 90° clockwise: a 400×200 picture is shown 200×400.
    let bytes = jpeg(400, 200, Some(6));
    let p = f.store.write(|tx| photos::add(tx, &dir, &f.session, &bytes, "现场.jpg", "板凳会现场")).unwrap();
    assert_eq!((p.width, p.height), (200, 400));
    assert!(p.thumb.starts_with("data:image/jpeg;base64,"));
    let stored = dir.join(photos::file_name(&p.sha256, "jpg"));
    // Sealed on disk: neither the picture nor its JPEG markers are there in clear.
    let disk = std::fs::read(&stored).unwrap();
    assert!(
        disk.starts_with(b"ODPHOTO1") && !disk.windows(3).any(|w| w == [0xFF, 0xD8, 0xFF]),
        "the original is sealed on disk"
    );
    assert_eq!(photos::original(f.store.conn(), &dir, &p.id).unwrap(), bytes, "the original opens unchanged");
    let png = {
        let mut b = Vec::new();
        RgbImage::new(30, 20).write_to(&mut Cursor::new(&mut b), image::ImageFormat::Png).unwrap();
        b
    };
    f.store.write(|tx| photos::add(tx, &dir, &f.session, &png, "a.png", "")).unwrap();
    assert_eq!(records::get(f.store.conn(), &f.session).unwrap().photos.len(), 2);

    let e = f.store.write(|tx| photos::add(tx, &dir, &f.session, b"GIF89a not really", "x.gif", "")).unwrap_err();
    assert_eq!(codes(e), vec!["photos.not_image"]);
    let big = vec![0u8; photos::MAX_BYTES + 1];
    let e = f.store.write(|tx| photos::add(tx, &dir, &f.session, &big, "big.jpg", "")).unwrap_err();
    assert_eq!(codes(e), vec!["photos.too_large"]);
    // A truncated PNG (a copy that stopped half-way) is not an image either.
    let r = f.store.write(|tx| photos::add(tx, &dir, &f.session, &png[..png.len() / 2], "cut.png", ""));
    assert_eq!(codes(r.map(|_| ()).unwrap_err()), vec!["photos.not_image"]);
    assert_eq!(records::get(f.store.conn(), &f.session).unwrap().photos.len(), 2);

    f.store.write(|tx| photos::remove(tx, &p.id)).unwrap();
    assert_eq!(records::get(f.store.conn(), &f.session).unwrap().photos.len(), 1);
}

/// A phone's photo carries where it was taken: the original is kept without it (and without the
/// camera's other metadata), named by the hash of what is kept, the pixels untouched.
#[test]
fn a_photos_gps_position_is_not_kept() {
    let mut f = fixture();
    let i = input(&f);
    f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap();
    let dir = f.dir.path().join("photos");
    let plain = jpeg(120, 80, None);
    // EXIF: IFD0 with the GPS IFD pointer; the GPS IFD with latitude 36°48′N (rationals after it).
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0".to_vec();
    tiff.extend_from_slice(b"\0\x02\0\x01\0\x02\0\0\0\x02N\0\0\0\0\x02\0\x05\0\0\0\x03\0\0\0\x38\0\0\0\0");
    for (n, d) in [(36u32, 1u32), (48, 1), (0, 1)] {
        tiff.extend_from_slice(&n.to_be_bytes());
        tiff.extend_from_slice(&d.to_be_bytes());
    }
    let tagged = {
        let mut buf = Vec::new();
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 85);
        enc.set_exif_metadata(tiff).unwrap();
        let img = image::load_from_memory(&plain).unwrap().to_rgb8();
        enc.write_image(img.as_raw(), 120, 80, image::ExtendedColorType::Rgb8).unwrap();
        buf
    };
    let has = |b: &[u8], n: &[u8]| b.windows(n.len()).any(|w| w == n);
    assert!(has(&tagged, b"Exif") && has(&tagged, &[0x88, 0x25]), "the test needs the GPS block in");
    let p = f.store.write(|tx| photos::add(tx, &dir, &f.session, &tagged, "手机.jpg", "")).unwrap();
    let kept = photos::original(f.store.conn(), &dir, &p.id).unwrap();
    assert!(!has(&kept, b"Exif"), "the EXIF block was kept");
    assert_eq!(p.sha256, hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&kept)), "named by what is kept");
    let px = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8().into_raw();
    assert_eq!(px(&kept), px(&tagged), "the pixels changed");
}

/// Originals an older version left in clear are sealed when the database opens; a file
/// sealed with another database's key does not open here.
#[test]
fn plain_originals_are_sealed_at_open_and_other_keys_do_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outreach.db");
    let photos_dir = photos::dir(&db);
    std::fs::create_dir_all(&photos_dir).unwrap();
    let bytes = jpeg(40, 30, None);
    let name = format!("{}.jpg", "ab".repeat(32));
    std::fs::write(photos_dir.join(&name), &bytes).unwrap();
    let store = Store::open(&db).unwrap();
    let disk = std::fs::read(photos_dir.join(&name)).unwrap();
    assert!(disk.starts_with(b"ODPHOTO1"), "a plain original is sealed at open");
    assert_eq!(photos::read_file(store.conn(), &photos_dir, &name).unwrap().unwrap(), bytes);
    let missing = format!("{}.jpg", "cd".repeat(32));
    assert!(photos::read_file(store.conn(), &photos_dir, &missing).unwrap().is_none());
    // A name that is not `<sha256>.<ext>` is never joined onto the folder.
    for bad in ["../outreach.db", "abc.jpg", &format!("{}.exe", "ab".repeat(32))] {
        assert_eq!(codes(photos::read_file(store.conn(), &photos_dir, bad).unwrap_err()), vec!["photos.damaged"]);
    }

    let other = Store::open_in_memory().unwrap();
    let e = photos::read_file(other.conn(), &photos_dir, &name).unwrap_err();
    assert_eq!(codes(e), vec!["photos.damaged"]);
}

#[test]
fn door_to_door_visits_validate_and_list() {
    let mut f = fixture();
    let v = VisitInput {
        id: None,
        session_id: Some(f.session.clone()),
        grid_id: f.grid.clone(),
        building: "3号楼".into(),
        visited_on: "2026-03-07".into(),
        visited: 24,
        not_home: 5,
        refused: 1,
        warnings: 2,
        visitor_ids: vec![f.speaker.clone()],
        notes: String::new(),
    };
    let saved = f.store.write(|tx| visits::save(tx, &v)).unwrap();
    assert_eq!(saved.visitor_names, vec!["王秀英"]);
    let bad = VisitInput { grid_id: f.community.clone(), visited: -1, visited_on: "2099-01-01".into(), ..v.clone() };
    let c = codes(f.store.write(|tx| visits::save(tx, &bad)).unwrap_err());
    assert!(
        c.contains(&"visits.not_grid".into())
            && c.contains(&"validation.negative".into())
            && c.contains(&"validation.future".into()),
        "{c:?}"
    );
    let list = visits::list(f.store.conn(), &VisitFilter { session_id: Some(f.session.clone()), ..Default::default() })
        .unwrap();
    assert_eq!(list.len(), 1);
}

#[test]
fn stock_is_received_minus_allocated_minus_handed_out() {
    let mut f = fixture();
    let city: String = f.store.conn().query_row("SELECT id FROM units WHERE name='淄博市'", [], |r| r.get(0)).unwrap();
    let mv = |kind: &str, from: Option<&str>, to: &str, q: i64| StockMoveInput {
        material_id: "mat-flyer".into(),
        kind: kind.into(),
        from_unit_id: from.map(String::from),
        to_unit_id: to.into(),
        quantity: q,
        moved_on: "2026-03-01".into(),
        source: String::new(),
        notes: String::new(),
    };
    f.store.write(|tx| materials::add_move(tx, &mv("receipt", None, &city, 1000))).unwrap();
    f.store.write(|tx| materials::add_move(tx, &mv("allocation", Some(&city), &f.community, 300))).unwrap();
    assert!(f.store.write(|tx| materials::add_move(tx, &mv("allocation", Some(&city), &city, 3))).is_err());
    assert!(f.store.write(|tx| materials::add_move(tx, &mv("receipt", None, &city, 0))).is_err());
    let mut i = input(&f);
    i.materials = vec![HandOut { material_id: "mat-flyer".into(), quantity: 350, material_name: String::new() }];
    let out = f.store.write(|tx| records::save(tx, &i, "测试", "coordinator")).unwrap();
    assert_eq!(out.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(), vec!["materials.negative"]);
    let lines = materials::stock(f.store.conn(), None).unwrap();
    let c = lines.iter().find(|l| l.unit_id == f.community).unwrap();
    assert_eq!((c.allocated_in, c.handed_out, c.balance, c.state.as_str()), (300, 350, -50, "negative"));
    let top = lines.iter().find(|l| l.unit_id == city).unwrap();
    assert_eq!((top.received, top.allocated_out, top.balance), (1000, 300, 700));
}

/// The stock page of the demo has something to warn about on any day of the month, not only
/// once enough of the month's talks have handed their materials out.
#[test]
fn the_demo_stock_has_a_warning_and_fine_lines() {
    let mut s = Store::open_in_memory().unwrap();
    outreach_core::demo::load(&mut s).unwrap();
    let lines = materials::stock(s.conn(), None).unwrap();
    assert!(lines.iter().any(|l| l.state == "ok"));
    let warned: Vec<_> = lines
        .iter()
        .filter(|l| l.state != "ok")
        .map(|l| (l.unit_name.as_str(), l.material_name.as_str(), l.balance))
        .collect();
    assert!(lines.iter().any(|l| l.material_id == "mat-poster" && l.balance < 2), "{warned:?}");
    assert!(!warned.is_empty());
}

/// The rule the record form asks while the times are typed is the one a save applies.
#[test]
fn a_records_times_are_checked_as_a_save_checks_them() {
    use outreach_core::records::check_times;
    assert!(check_times("2026-03-07T09:00", "2026-03-07T10:30").is_ok());
    assert_eq!(check_times("2026-03-07T10:00", "2026-03-07T09:00").unwrap_err().code(), "sessions.end_before_start");
    assert_eq!(check_times("2026-03-07T09:00", "2026-03-08T09:00").unwrap_err().code(), "sessions.too_long");
    let e = check_times("", "x").unwrap_err();
    let fields: Vec<_> = e.issues().iter().map(|i| i.params.get("field").cloned().unwrap_or_default()).collect();
    assert_eq!(fields, ["actualStart", "actualEnd"], "both refusals at once");
    let tomorrow = (chrono::Local::now() + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string();
    let later = (chrono::Local::now() + chrono::Duration::days(1) + chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    assert_eq!(check_times(&tomorrow, &later).unwrap_err().code(), "records.not_yet");
}
