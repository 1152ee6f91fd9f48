//! A bundle is trusted only as far as its rows pass the forms' rules and, from a captain, only
//! within what a captain writes in their grids. Each case is a crafted but well-formed bundle
//! (re-packed with a correct checksum and signed by a registered key, `bundles::pack_signed`): refused whole, the database
//! unchanged, and the store answering at once afterwards.

mod common;

use std::time::{Duration, Instant};

use outreach_core::bundles::{self, Body, Item, Scope, Sender};
use outreach_core::kinds::{Audience, SessionKind};
use outreach_core::records::{self, RecordInput};
use outreach_core::sessions::{self, SessionInput};
use outreach_core::units::UnitKind;
use outreach_core::{people, photos, units, Store};
use serde_json::{json, Value};

struct World {
    store: Store,
    city: String,
    grid_a: String,
    grid_b: String,
    /// Held, recorded and reviewed: its record is reported (locked).
    held_a: String,
    /// Held and recorded in the other grid.
    held_b: String,
    /// Still to be held, in grid A.
    planned_a: String,
    person: String,
    _dir: tempfile::TempDir,
}

fn plan(store: &mut Store, unit: &str, start: &str, end: &str) -> String {
    let input = SessionInput {
        id: None,
        title: "反诈板凳会".into(),
        kind: SessionKind::BenchTalk,
        venue_id: None,
        unit_id: Some(unit.into()),
        start: start.into(),
        end: end.into(),
        audiences: vec![Audience::Elderly],
        topic_ids: vec![],
        people: vec![],
        materials: vec![],
        expected_audience: Some(40),
        channel: String::new(),
        messages: None,
        notes: String::new(),
    };
    store.write(|tx| sessions::save(tx, &input, true, "测试")).unwrap().session.unwrap().id
}

fn record(store: &mut Store, session: &str) {
    let input = RecordInput {
        session_id: session.into(),
        actual_start: "2026-03-07T09:30".into(),
        actual_end: "2026-03-07T11:00".into(),
        headcount: 35,
        audiences: vec![],
        speakers: vec![],
        materials: vec![],
        notes: String::new(),
        signin_names: vec![],
        reason: String::new(),
    };
    store.write(|tx| records::save(tx, &input, "测试", "coordinator")).unwrap();
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 12, image::Rgb([200, 80, 40]));
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 85)
        .encode(img.as_raw(), 16, 12, image::ExtendedColorType::Rgb8)
        .unwrap();
    buf
}

fn world() -> World {
    let mut store = Store::open_in_memory().unwrap();
    let city = common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let grid_a = common::add(&mut store, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(600)));
    let grid_b = common::add(&mut store, Some(&city), "齐都第二网格", UnitKind::Grid, Some(common::grid_profile(400)));
    let person = store
        .write(|tx| {
            people::save(
                tx,
                &people::PersonInput {
                    id: None,
                    name: "王秀英".into(),
                    roles: vec![people::PersonRole::Volunteer],
                    phone: Some("13800138000".into()),
                    unit_id: Some(grid_a.clone()),
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
    let held_a = plan(&mut store, &grid_a, "2026-03-07T09:30", "2026-03-07T11:00");
    let held_b = plan(&mut store, &grid_b, "2026-03-07T09:30", "2026-03-07T11:00");
    let planned_a = plan(&mut store, &grid_a, "2099-05-01T09:30", "2099-05-01T11:00");
    record(&mut store, &held_a);
    record(&mut store, &held_b);
    let dir = tempfile::tempdir().unwrap();
    store.write(|tx| photos::add(tx, dir.path(), &held_a, &jpeg(), "现场.jpg", "板凳会")).unwrap();
    store.write(|tx| records::review(tx, &held_a, "协调员")).unwrap();
    register_forger(&mut store);
    World { store, city, grid_a, grid_b, held_a, held_b, planned_a, person, _dir: dir }
}

/// A bundle of everything in `store`, changed by `edit`, every hash recomputed and re-packed
/// with a correct checksum: what a careful forger would send.
fn craft(store: &mut Store, edit: impl FnOnce(&mut Body)) -> bundles::Bundle {
    let bytes = store.write(|tx| bundles::export(tx, Scope::All, None, "队长", None)).unwrap().0;
    let mut body = bundles::parse(store.conn(), &bytes).unwrap().body;
    edit(&mut body);
    for item in &mut body.items {
        item.hash = bundles::version(&item.row, &item.children);
    }
    register_forger(store);
    bundles::parse(store.conn(), &pack(&body)).unwrap()
}

/// The forger's key, registered in the world's database as a coordinator's: what it signs
/// passes the signature check, so every refusal below is the row check's.
fn forger() -> outreach_core::identity::SigningKey {
    outreach_core::identity::SigningKey::from_bytes(&[7u8; 32])
}

fn register_forger(store: &mut Store) {
    let public = forger().verifying_key().to_bytes();
    if outreach_core::identity::find(store.conn(), &public).unwrap().is_some() {
        return;
    }
    let input = outreach_core::identity::SignerInput {
        key: outreach_core::identity::public_text(&public),
        label: "队长的笔记本".into(),
        role: outreach_core::identity::SignerRole::Coordinator,
        units: vec![],
    };
    store.write(|tx| outreach_core::identity::register(tx, &input)).unwrap();
}

fn pack(body: &Body) -> Vec<u8> {
    bundles::pack_signed(body, "队长", "all", None, &forger(), None).unwrap()
}

fn item<'a>(body: &'a mut Body, table: &str, id: &str) -> &'a mut Item {
    body.items.iter_mut().find(|i| i.t == table && i.id == id).unwrap()
}

fn set(body: &mut Body, table: &str, id: &str, col: &str, v: Value) {
    item(body, table, id).row.insert(col.into(), v);
}

fn codes(e: &outreach_core::Error) -> Vec<String> {
    e.issues().iter().map(|i| i.code.as_str().to_string()).collect()
}

fn param(e: &outreach_core::Error, k: &str) -> String {
    e.issues()[0].params.get(k).cloned().unwrap_or_default()
}

/// Merges as `sender` would be merged; on refusal the database is as it was and the tree
/// still answers at once.
fn refused(w: &mut World, bundle: &bundles::Bundle, sender: &Sender) -> outreach_core::Error {
    let before = bundles::fingerprint(w.store.conn()).unwrap();
    let audit_before: i64 = w.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    let err = w.store.write(|tx| bundles::merge(tx, bundle, None, sender)).unwrap_err();
    assert_eq!(bundles::fingerprint(w.store.conn()).unwrap(), before, "a refused bundle changes nothing");
    let audit_after: i64 = w.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_before, audit_after);
    let t = Instant::now();
    assert!(!units::tree(w.store.conn(), false).unwrap().is_empty());
    assert!(t.elapsed() < Duration::from_secs(1), "the tree answers at once");
    err
}

fn captain_of(grid: &str) -> Sender {
    Sender::Captain { units: vec![grid.to_string()] }
}

#[test]
fn a_parent_cycle_is_refused() {
    let mut w = world();
    let (city, grid) = (w.city.clone(), w.grid_a.clone());
    let b = craft(&mut w.store, |b| set(b, "units", &city, "parent_id", json!(grid)));
    let e = refused(&mut w, &b, &Sender::Coordinator);
    assert_eq!(codes(&e), ["bundle.row_invalid"]);
    assert_eq!(
        (param(&e, "entity"), param(&e, "field"), param(&e, "reason")),
        ("unit".into(), "parent".into(), "cycle".into())
    );
    assert!(e.to_string().contains("单位") && e.to_string().contains("上级单位"), "{e}");
    // Through the import as well: the same refusal, nothing written.
    let bytes = pack(&b.body);
    let before = bundles::fingerprint(w.store.conn()).unwrap();
    assert_eq!(bundles::import(&mut w.store, &bytes, false).unwrap_err().code(), "bundle.row_invalid");
    assert_eq!(bundles::fingerprint(w.store.conn()).unwrap(), before);
}

#[test]
fn a_photo_named_by_a_path_is_refused_and_the_schema_refuses_it_too() {
    let mut w = world();
    let photo: String = w.store.conn().query_row("SELECT id FROM photos", [], |r| r.get(0)).unwrap();
    let b = craft(&mut w.store, |b| set(b, "photos", &photo, "sha256", json!("../../etc/passwd")));
    let e = refused(&mut w, &b, &Sender::Coordinator);
    assert_eq!(
        (param(&e, "entity"), param(&e, "field"), param(&e, "reason")),
        ("photo".into(), "sha256".into(), "file_name".into())
    );
    assert!(e.to_string().contains("照片"), "{e}");
    let r = w.store.conn().execute("UPDATE photos SET sha256 = '../../etc/passwd' WHERE id = ?1", [&photo]);
    assert!(r.is_err(), "the photos table refuses a sha256 that is not 64 hex digits");
}

#[test]
fn a_malformed_time_is_refused() {
    let mut w = world();
    let s = w.planned_a.clone();
    let b = craft(&mut w.store, |b| set(b, "sessions", &s, "starts_at", json!("2099-13-45T99:99")));
    let e = refused(&mut w, &b, &Sender::Coordinator);
    assert_eq!(
        (param(&e, "entity"), param(&e, "field"), param(&e, "reason")),
        ("session".into(), "start".into(), "format".into())
    );
    assert!(e.to_string().contains("活动") && e.to_string().contains("开始时间"), "{e}");
}

#[test]
fn several_bad_rows_name_the_first_few_and_the_count() {
    let mut w = world();
    let ids = [w.held_a.clone(), w.held_b.clone(), w.planned_a.clone()];
    let b = craft(&mut w.store, |b| {
        for id in &ids {
            set(b, "sessions", id, "title", json!(""));
            set(b, "sessions", id, "kind", json!("rave"));
        }
    });
    let e = refused(&mut w, &b, &Sender::Coordinator);
    assert_eq!(codes(&e), ["bundle.row_invalid", "bundle.row_invalid", "bundle.row_invalid", "bundle.rows_more"]);
    let more = &e.issues()[3];
    assert_eq!((more.params["more"].as_str(), more.params["count"].as_str()), ("3", "6"));
}

#[test]
fn a_reported_record_changes_only_with_a_correction() {
    let mut w = world();
    let rec = w.held_a.clone();
    let b = craft(&mut w.store, |b| set(b, "records", &rec, "headcount", json!(9000)));
    let e = refused(&mut w, &b, &Sender::Coordinator);
    assert_eq!((param(&e, "entity"), param(&e, "reason")), ("record".into(), "locked".into()));
    assert!(e.to_string().contains("更正"), "{e}");

    // With a correction row of its own, the change goes in.
    let b = craft(&mut w.store, |b| {
        set(b, "records", &rec, "headcount", json!(36));
        let mut row = serde_json::Map::new();
        for (k, v) in [
            ("id", json!("01900000-0000-7000-8000-00000000c0de")),
            ("record_id", json!(rec)),
            ("reason", json!("补录迟到的居民")),
            ("before", json!("35 人")),
            ("after", json!("36 人")),
            ("operator", json!("队长")),
            ("created_at", json!("2026-03-08T10:00:00.000Z")),
            ("updated_at", json!("2026-03-08T10:00:00.000Z")),
        ] {
            row.insert(k.into(), v);
        }
        b.items.push(Item {
            t: "record_corrections".into(),
            id: "01900000-0000-7000-8000-00000000c0de".into(),
            hash: String::new(),
            known: vec![],
            row,
            children: Default::default(),
        });
    });
    let s = w.store.write(|tx| bundles::merge(tx, &b, None, &Sender::Coordinator)).unwrap();
    assert_eq!((s.added, s.updated, s.conflicts), (1, 1, 0));
    assert_eq!(records::get(w.store.conn(), &rec).unwrap().headcount, 36);
}

#[test]
fn a_captain_changes_their_own_grid_only() {
    let mut w = world();
    let cap = captain_of(&w.grid_a);
    // A change in the captain's grid goes in; every unchanged row around it is no change.
    let s = w.planned_a.clone();
    let b = craft(&mut w.store, |b| set(b, "sessions", &s, "notes", json!("改到文化广场东侧")));
    let summary = w.store.write(|tx| bundles::merge(tx, &b, None, &cap)).unwrap();
    assert_eq!((summary.updated, summary.conflicts), (1, 0));

    // The other grid's session, record or visit is refused whole.
    let other = w.held_b.clone();
    let b = craft(&mut w.store, |b| {
        set(b, "sessions", &s, "notes", json!("再改一次"));
        set(b, "records", &other, "headcount", json!(1));
    });
    let e = refused(&mut w, &b, &cap);
    assert_eq!(codes(&e), ["bundle.out_of_scope"]);
    assert_eq!((param(&e, "entity"), param(&e, "id")), ("record".into(), other.clone()));
    assert!(e.to_string().contains("活动记录"), "{e}");

    // Moving one's own session into another grid is a change there too.
    let grid_b = w.grid_b.clone();
    let b = craft(&mut w.store, |b| set(b, "sessions", &s, "unit_id", json!(grid_b)));
    assert_eq!(codes(&refused(&mut w, &b, &cap)), ["bundle.out_of_scope"]);
}

#[test]
fn a_captain_may_not_write_units_people_or_the_library() {
    let mut w = world();
    let cap = captain_of(&w.grid_a);
    let (grid, person) = (w.grid_a.clone(), w.person.clone());
    let b = craft(&mut w.store, |b| {
        set(b, "units", &grid, "name", json!("稷下第一网格（改）"));
        set(b, "people", &person, "notes", json!("队长改的"));
        set(b, "topics", "topic-fake-police", "name", json!("冒充公检法（改）"));
    });
    let e = refused(&mut w, &b, &cap);
    let entities: Vec<String> = e.issues().iter().filter_map(|i| i.params.get("entity").cloned()).collect();
    assert_eq!(entities, ["unit", "topic", "person"]);
    assert!(e.to_string().contains("稷下第一网格（改）"), "names the row: {e}");

    // The coordinator's bundle may carry the same changes.
    let s = w.store.write(|tx| bundles::merge(tx, &b, None, &Sender::Coordinator)).unwrap();
    assert_eq!(s.updated, 3);
}

#[test]
fn a_captains_reference_bundle_carries_their_grids_and_masks_other_phones() {
    let mut w = world();
    // Someone of the other grid, assigned to nothing of grid A: not sent.
    let other = w
        .store
        .write(|tx| {
            people::save(
                tx,
                &people::PersonInput {
                    id: None,
                    name: "李建国".into(),
                    roles: vec![people::PersonRole::Volunteer],
                    phone: Some("13900139000".into()),
                    unit_id: Some(w.grid_b.clone()),
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
    let filter = bundles::Filter { units: Some(vec![w.grid_a.clone()]), full_phones: true };
    let sealed = bundles::export_store_with(&mut w.store, Scope::Reference, None, Some(&common::passphrase()), &filter)
        .unwrap()
        .0;
    let plain = bundles::open(&sealed, Some(&common::passphrase())).unwrap().into_owned();
    let body = bundles::parse(w.store.conn(), &plain).unwrap().body;
    let ids = |t: &str| -> Vec<String> { body.items.iter().filter(|i| i.t == t).map(|i| i.id.clone()).collect() };
    let mut units_sent = ids("units");
    units_sent.sort();
    let mut want = vec![w.city.clone(), w.grid_a.clone()];
    want.sort();
    assert_eq!(units_sent, want, "the captain's grid and the units above it");
    assert_eq!(ids("sessions"), [w.planned_a.clone()], "sessions of the grid still to be held");
    assert_eq!(ids("people"), [w.person.clone()]);
    assert!(!ids("people").contains(&other));
    let phone = body.items.iter().find(|i| i.t == "people").unwrap().row["phone"].as_str().unwrap().to_string();
    assert_eq!(phone, "13800138000", "in the captain's own grid the phone goes in full");

    // It imports on a fresh laptop, and without a passphrase every phone is masked.
    let mut laptop = Store::open_in_memory().unwrap();
    common::trust(&mut laptop, &mut w.store);
    bundles::import(&mut laptop, &plain, false).unwrap();
    let filter = bundles::Filter { units: Some(vec![w.grid_a.clone()]), full_phones: false };
    let plain = bundles::export_store_with(&mut w.store, Scope::Reference, None, None, &filter).unwrap().0;
    let body = bundles::parse(w.store.conn(), &plain).unwrap().body;
    assert!(body.items.iter().filter(|i| i.t == "people").all(|i| i.row["phone"].as_str().unwrap().contains("****")));
}

#[test]
fn a_cycle_held_as_a_conflict_is_refused_when_taken() {
    let mut w = world();
    let (city, grid) = (w.city.clone(), w.grid_a.clone());
    // Built on a version we never had: a conflict, listed, nothing written.
    let b = craft(&mut w.store, |b| {
        let it = item(b, "units", &city);
        it.row.insert("parent_id".into(), json!(grid));
        it.known.clear();
    });
    let s = w.store.write(|tx| bundles::merge(tx, &b, None, &Sender::Coordinator)).unwrap();
    assert_eq!(s.conflicts, 1);
    let c = bundles::conflicts(w.store.conn(), false).unwrap().remove(0);
    let before = bundles::fingerprint(w.store.conn()).unwrap();
    let e = w.store.write(|tx| bundles::resolve(tx, &c.id, bundles::Take::Incoming)).unwrap_err();
    assert_eq!((param(&e, "entity"), param(&e, "reason")), ("unit".into(), "cycle".into()));
    assert_eq!(bundles::fingerprint(w.store.conn()).unwrap(), before);
    assert!(!units::tree(w.store.conn(), false).unwrap().is_empty());
}

/// A captain's laptop set up from a plain reference bundle (phones masked) hands back a change
/// in its grid; the masked people rows it carries unchanged are no change, whatever their
/// table, and never overwrite the coordinator's full phones.
#[test]
fn reference_rows_a_captain_carries_back_are_no_change() {
    let mut w = world();
    let plain = bundles::export_store(&mut w.store, Scope::Reference, None, None).unwrap().0;
    let mut laptop = Store::open_in_memory().unwrap();
    common::trust(&mut laptop, &mut w.store);
    bundles::import(&mut laptop, &plain, false).unwrap();
    let s = w.planned_a.clone();
    let b = craft(&mut laptop, |b| set(b, "sessions", &s, "notes", json!("队长：改在上午")));
    let summary = w.store.write(|tx| bundles::merge(tx, &b, None, &captain_of(&w.grid_a))).unwrap();
    assert_eq!((summary.updated, summary.conflicts), (1, 0), "{summary:?}");
    let people_counts = summary.tables.iter().find(|t| t.table == "people").unwrap();
    assert_eq!((people_counts.unchanged, people_counts.updated), (1, 0), "ours but for the mask: {summary:?}");
    let phone = |w: &World| -> String {
        w.store.conn().query_row("SELECT phone FROM people WHERE id = ?1", [&w.person], |r| r.get(0)).unwrap()
    };
    assert_eq!(phone(&w), "13800138000");

    // A change built on the masked row (a coordinator's bundle may carry people) is taken, but
    // the mask never overwrites the number; importing it again changes nothing.
    let p = w.person.clone();
    let b = craft(&mut laptop, |b| set(b, "people", &p, "notes", json!("周末可参加")));
    let summary = w.store.write(|tx| bundles::merge(tx, &b, None, &Sender::Coordinator)).unwrap();
    assert_eq!((summary.updated, summary.conflicts), (1, 0), "{summary:?}");
    assert_eq!(people::get(w.store.conn(), &p).unwrap().notes, "周末可参加");
    assert_eq!(phone(&w), "13800138000");
    let again = w.store.write(|tx| bundles::merge(tx, &b, None, &Sender::Coordinator)).unwrap();
    assert_eq!((again.added, again.updated, again.conflicts), (0, 0, 0), "{again:?}");
}

/// The import's audit entry is written in the merge's transaction: one entry with the merge,
/// none with a refusal.
#[test]
fn the_import_and_its_audit_entry_commit_together() {
    let mut w = world();
    let entries = |w: &World| -> i64 {
        w.store
            .conn()
            .query_row("SELECT count(*) FROM audit_log WHERE action = 'bundle.import'", [], |r| r.get(0))
            .unwrap()
    };
    let s = w.planned_a.clone();
    let bad = craft(&mut w.store, |b| set(b, "sessions", &s, "ends_at", json!("2099-05-01T08:00")));
    let bytes = pack(&bad.body);
    let e = bundles::import(&mut w.store, &bytes, false).unwrap_err();
    assert_eq!((param(&e, "field"), param(&e, "reason")), ("end".into(), "order".into()));
    assert_eq!(entries(&w), 0, "a refused import leaves no entry");
    let good = craft(&mut w.store, |b| set(b, "sessions", &s, "notes", json!("带上横幅")));
    let bytes = pack(&good.body);
    assert_eq!(bundles::import(&mut w.store, &bytes, false).unwrap().updated, 1);
    assert_eq!(entries(&w), 1);
    assert!(outreach_core::audit::verify(w.store.conn()).unwrap().first_broken.is_none());
}

/// A captain plans recurring talks too: a series whose sessions are all in the captain's grids
/// comes in; one with a session in another grid is refused whole.
#[test]
fn a_captains_series_in_their_grids_comes_in_and_one_reaching_out_does_not() {
    let mut w = world();
    let filter = bundles::Filter { units: None, full_phones: true };
    let sealed =
        bundles::export_store_with(&mut w.store, Scope::All, None, Some(&common::passphrase()), &filter).unwrap().0;
    let all = bundles::open(&sealed, Some(&common::passphrase())).unwrap().into_owned();
    let mut laptop = Store::open_in_memory().unwrap();
    common::trust(&mut laptop, &mut w.store);
    bundles::import(&mut laptop, &all, false).unwrap();
    let weekly = |unit: &str| outreach_core::series::SeriesInput {
        first: SessionInput {
            id: None,
            title: "每周反诈课堂".into(),
            kind: SessionKind::BenchTalk,
            venue_id: None,
            unit_id: Some(unit.into()),
            start: "2027-03-01T09:00".into(),
            end: "2027-03-01T10:00".into(),
            audiences: vec![Audience::Elderly],
            topic_ids: vec![],
            people: vec![],
            materials: vec![],
            expected_audience: Some(30),
            channel: String::new(),
            messages: None,
            notes: String::new(),
        },
        repeat: outreach_core::series::Repeat::Weekly { every: 1 },
        count: 3,
    };
    let grid_a = w.grid_a.clone();
    laptop.write(|tx| outreach_core::series::create(tx, &weekly(&grid_a), true, "队长")).unwrap();
    let b = craft(&mut laptop, |_| {});
    let s = w.store.write(|tx| bundles::merge(tx, &b, None, &captain_of(&w.grid_a))).unwrap();
    assert_eq!(s.added, 4, "the series and its three sessions: {s:?}");

    let grid_b = w.grid_b.clone();
    laptop.write(|tx| outreach_core::series::create(tx, &weekly(&grid_b), true, "队长")).unwrap();
    let b = craft(&mut laptop, |_| {});
    let e = refused(&mut w, &b, &captain_of(&grid_a));
    assert_eq!(codes(&e)[0], "bundle.out_of_scope");
}
