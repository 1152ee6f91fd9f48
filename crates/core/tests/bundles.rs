//! Hand-over bundles: merge properties (idempotence, order independence for disjoint
//! changes, conflicts detected and never overwritten) with property-based tests, and
//! refusal of truncated, tampered and foreign files with the database unchanged.

mod common;

use outreach_core::bundles::{self, Scope, Take};
use outreach_core::people::{self, PersonInput, PersonRole};
use outreach_core::units::UnitKind;
use outreach_core::Store;
use proptest::prelude::*;

const PEOPLE: usize = 6;

/// The coordinator's database: a city, a grid and a few volunteers.
fn coordinator() -> (Store, Vec<String>) {
    let mut s = Store::open_in_memory().unwrap();
    let city = common::add(&mut s, None, "淄博市", UnitKind::City, None);
    let grid = common::add(&mut s, Some(&city), "稷下第一网格", UnitKind::Grid, Some(common::grid_profile(500)));
    let ids = (0..PEOPLE).map(|i| add_person(&mut s, &format!("志愿者{i}"), &grid, i as u32)).collect();
    (s, ids)
}

fn add_person(s: &mut Store, name: &str, unit: &str, n: u32) -> String {
    s.write(|tx| {
        people::save(
            tx,
            &PersonInput {
                id: None,
                name: name.into(),
                roles: vec![PersonRole::Volunteer],
                phone: Some(format!("1390533{n:04}")),
                unit_id: Some(unit.into()),
                team_ids: vec![],
                topic_ids: vec![],
                active: true,
                joined_on: None,
                notes: String::new(),
            },
        )
    })
    .unwrap()
    .id
}

fn edit_notes(s: &mut Store, id: &str, notes: &str) {
    let p = people::get(s.conn(), id).unwrap();
    s.write(|tx| {
        people::save(
            tx,
            &PersonInput {
                id: Some(p.id.clone()),
                name: p.name.clone(),
                roles: p.roles.clone(),
                phone: None,
                unit_id: p.unit_id.clone(),
                team_ids: p.team_ids.clone(),
                topic_ids: p.topic_ids.clone(),
                active: p.active,
                joined_on: p.joined_on.clone(),
                notes: notes.into(),
            },
        )
    })
    .unwrap();
}

fn notes_of(s: &Store, id: &str) -> String {
    people::get(s.conn(), id).unwrap().notes
}

fn export(s: &mut Store) -> Vec<u8> {
    bundles::export_store(s, Scope::All, None).unwrap().0
}

/// A captain's laptop set up from the coordinator's reference bundle.
fn captain(reference: &[u8]) -> Store {
    let mut c = Store::open_in_memory().unwrap();
    let s = bundles::import(&mut c, reference, false).unwrap();
    assert_eq!(s.conflicts, 0);
    c
}

fn grid_of(s: &Store) -> String {
    s.conn().query_row("SELECT id FROM units WHERE kind = 'grid'", [], |r| r.get(0)).unwrap()
}

fn conflict_count(s: &Store) -> usize {
    bundles::conflicts(s.conn(), true).unwrap().len()
}

#[test]
fn a_captains_changes_reach_the_coordinator() {
    let (mut coord, ids) = coordinator();
    let reference = bundles::export_store(&mut coord, Scope::Reference, None).unwrap().0;
    let mut cap = captain(&reference);
    assert_eq!(bundles::fingerprint(cap.conn()).unwrap(), bundles::fingerprint(coord.conn()).unwrap());
    edit_notes(&mut cap, &ids[0], "队长改：周末可参加板凳会");
    let grid = grid_of(&cap);
    let new_id = add_person(&mut cap, "新志愿者", &grid, 99);
    let bundle = export(&mut cap);
    let preview = bundles::import(&mut coord, &bundle, true).unwrap();
    assert_eq!((preview.added, preview.updated, preview.conflicts), (1, 1, 0));
    assert_eq!(notes_of(&coord, &ids[0]), "", "a preview writes nothing");
    let s = bundles::import(&mut coord, &bundle, false).unwrap();
    assert_eq!((s.added, s.updated, s.conflicts), (1, 1, 0));
    assert_eq!(notes_of(&coord, &ids[0]), "队长改：周末可参加板凳会");
    assert_eq!(people::get(coord.conn(), &new_id).unwrap().name, "新志愿者");

    // The captain edits the same person again; the second bundle fast-forwards too.
    edit_notes(&mut cap, &ids[0], "队长再改");
    let s = bundles::import(&mut coord, &export(&mut cap), false).unwrap();
    assert_eq!((s.updated, s.conflicts), (1, 0));
    assert_eq!(notes_of(&coord, &ids[0]), "队长再改");

    // An old bundle arriving late does not roll anything back.
    let s = bundles::import(&mut coord, &bundle, false).unwrap();
    assert_eq!((s.updated, s.conflicts), (0, 0));
    assert_eq!(notes_of(&coord, &ids[0]), "队长再改");
}

#[test]
fn a_change_on_both_sides_is_a_conflict_resolved_side_by_side() {
    let (mut coord, ids) = coordinator();
    let mut cap = captain(&export(&mut coord));
    edit_notes(&mut coord, &ids[1], "民警：已调往张店");
    edit_notes(&mut cap, &ids[1], "队长：负责稷下网格");
    let bundle = export(&mut cap);
    let s = bundles::import(&mut coord, &bundle, false).unwrap();
    assert_eq!(s.conflicts, 1);
    assert_eq!(notes_of(&coord, &ids[1]), "民警：已调往张店", "nothing is overwritten silently");
    let c = &bundles::conflicts(coord.conn(), false).unwrap()[0];
    assert_eq!(c.table, "people");
    let notes = c.fields.iter().find(|f| f.field == "notes").unwrap();
    assert!(notes.differs && notes.local == "民警：已调往张店" && notes.incoming == "队长：负责稷下网格");
    let phone = c.fields.iter().find(|f| f.field == "phone").unwrap();
    assert!(phone.local.contains("****"), "phones are masked in the comparison");

    // Importing it again neither duplicates the conflict nor changes anything.
    let before = bundles::fingerprint(coord.conn()).unwrap();
    bundles::import(&mut coord, &bundle, false).unwrap();
    assert_eq!(conflict_count(&coord), 1);
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);

    bundles::resolve(coord.conn(), &c.id, Take::Incoming).unwrap();
    assert_eq!(notes_of(&coord, &ids[1]), "队长：负责稷下网格");
    assert!(bundles::conflicts(coord.conn(), false).unwrap().is_empty());
    assert_eq!(bundles::resolve(coord.conn(), &c.id, Take::Local).unwrap_err().code(), "bundle.conflict_resolved");
    // And the coordinator's next bundle brings the captain in line without a conflict.
    let s = bundles::import(&mut cap, &export(&mut coord), false).unwrap();
    assert_eq!(s.conflicts, 0);
    assert_eq!(bundles::fingerprint(cap.conn()).unwrap(), bundles::fingerprint(coord.conn()).unwrap());
}

#[test]
fn keeping_our_version_settles_it_for_good() {
    let (mut coord, ids) = coordinator();
    let mut cap = captain(&export(&mut coord));
    edit_notes(&mut coord, &ids[2], "本机");
    edit_notes(&mut cap, &ids[2], "队长");
    let bundle = export(&mut cap);
    bundles::import(&mut coord, &bundle, false).unwrap();
    let id = bundles::conflicts(coord.conn(), false).unwrap()[0].id.clone();
    bundles::resolve(coord.conn(), &id, Take::Local).unwrap();
    let s = bundles::import(&mut coord, &bundle, false).unwrap();
    assert_eq!((s.conflicts, s.kept), (0, 1));
    assert_eq!(notes_of(&coord, &ids[2]), "本机");
}

#[test]
fn a_stale_conflict_is_refused() {
    let (mut coord, ids) = coordinator();
    let mut cap = captain(&export(&mut coord));
    edit_notes(&mut coord, &ids[3], "甲");
    edit_notes(&mut cap, &ids[3], "乙");
    bundles::import(&mut coord, &export(&mut cap), false).unwrap();
    edit_notes(&mut coord, &ids[3], "丙");
    let id = bundles::conflicts(coord.conn(), false).unwrap()[0].id.clone();
    assert_eq!(bundles::resolve(coord.conn(), &id, Take::Incoming).unwrap_err().code(), "bundle.conflict_stale");
    assert_eq!(notes_of(&coord, &ids[3]), "丙");
}

#[test]
fn truncated_tampered_and_foreign_bundles_are_refused_and_change_nothing() {
    let (mut coord, ids) = coordinator();
    let mut cap = captain(&export(&mut coord));
    edit_notes(&mut cap, &ids[0], "改");
    let good = export(&mut cap);
    let before = bundles::fingerprint(coord.conn()).unwrap();
    let cut = &good[..good.len() - 10];
    assert_eq!(bundles::import(&mut coord, cut, false).unwrap_err().code(), "bundle.truncated");
    let mut flipped = good.clone();
    let n = flipped.len();
    flipped[n - 40] ^= 0x01;
    assert_eq!(bundles::import(&mut coord, &flipped, false).unwrap_err().code(), "bundle.tampered");
    assert_eq!(bundles::import(&mut coord, b"PK\x03\x04 a zip file", false).unwrap_err().code(), "bundle.foreign");
    let text = String::from_utf8(good.clone()).unwrap();
    let renamed = text.replacen("\"scope\":\"all\"", "\"scope\":\"al1\"", 1);
    assert_ne!(renamed, text);
    assert_eq!(bundles::import(&mut coord, renamed.as_bytes(), false).unwrap_err().code(), "bundle.tampered", "the header is checked too");
    let text = String::from_utf8(good.clone()).unwrap();
    let ours = outreach_core::db::latest_version();
    let other_schema = text.replacen(&format!("\"schema\":{ours}"), &format!("\"schema\":{}", ours - 1), 1);
    assert_ne!(other_schema, text);
    assert_eq!(bundles::import(&mut coord, other_schema.as_bytes(), false).unwrap_err().code(), "bundle.schema_version");
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);
    assert_eq!(notes_of(&coord, &ids[0]), "");
}

#[test]
fn a_bundle_missing_a_referenced_row_is_refused_whole() {
    let (mut coord, _) = coordinator();
    let mut cap = captain(&export(&mut coord));
    // A new grid and a person in it; export only the person (as if --since cut the grid).
    let city: String = cap.conn().query_row("SELECT id FROM units WHERE kind = 'city'", [], |r| r.get(0)).unwrap();
    let grid = common::add(&mut cap, Some(&city), "新网格", UnitKind::Grid, Some(common::grid_profile(100)));
    add_person(&mut cap, "新人", &grid, 77);
    cap.conn().execute("UPDATE units SET updated_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1", [&grid]).unwrap();
    let today = chrono::Local::now().date_naive().to_string();
    let partial = bundles::export_store(&mut cap, Scope::All, Some(&today)).unwrap().0;
    let before = bundles::fingerprint(coord.conn()).unwrap();
    assert_eq!(bundles::import(&mut coord, &partial, false).unwrap_err().code(), "bundle.missing_reference");
    assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Two captains change disjoint people and each adds someone: importing their bundles in
    /// either order gives the same database, with no conflict; importing again changes nothing.
    #[test]
    fn disjoint_changes_merge_in_any_order_and_idempotently(
        split in proptest::collection::vec(0u8..3, PEOPLE),
        texts in proptest::collection::vec("[a-z一二三四五]{1,8}", PEOPLE),
    ) {
        let (mut coord, ids) = coordinator();
        let reference = export(&mut coord);
        let mut a = captain(&reference);
        let mut b = captain(&reference);
        for (i, who) in split.iter().enumerate() {
            match who {
                1 => edit_notes(&mut a, &ids[i], &format!("A{}", texts[i])),
                2 => edit_notes(&mut b, &ids[i], &format!("B{}", texts[i])),
                _ => {}
            }
        }
        let ga = grid_of(&a);
        add_person(&mut a, "甲队新人", &ga, 500);
        let gb = grid_of(&b);
        add_person(&mut b, "乙队新人", &gb, 600);
        let (ba, bb) = (export(&mut a), export(&mut b));

        let mut x = captain(&reference);
        let mut y = captain(&reference);
        bundles::import(&mut x, &ba, false).unwrap();
        bundles::import(&mut x, &bb, false).unwrap();
        bundles::import(&mut y, &bb, false).unwrap();
        bundles::import(&mut y, &ba, false).unwrap();
        let fx = bundles::fingerprint(x.conn()).unwrap();
        prop_assert_eq!(&fx, &bundles::fingerprint(y.conn()).unwrap());
        prop_assert_eq!(conflict_count(&x), 0);
        prop_assert_eq!(conflict_count(&y), 0);
        for (i, who) in split.iter().enumerate() {
            let want = match who { 1 => format!("A{}", texts[i]), 2 => format!("B{}", texts[i]), _ => String::new() };
            prop_assert_eq!(notes_of(&x, &ids[i]), want);
        }
        let again = bundles::import(&mut x, &ba, false).unwrap();
        prop_assert_eq!((again.added, again.updated, again.conflicts), (0, 0, 0));
        prop_assert_eq!(bundles::fingerprint(x.conn()).unwrap(), fx);
    }

    /// Whatever both sides change, every person changed on both sides is a conflict, the
    /// coordinator's value stays, and one-sided changes are taken.
    #[test]
    fn every_two_sided_change_is_a_conflict(
        coord_edits in proptest::collection::vec(any::<bool>(), PEOPLE),
        cap_edits in proptest::collection::vec(any::<bool>(), PEOPLE),
    ) {
        let (mut coord, ids) = coordinator();
        let mut cap = captain(&export(&mut coord));
        for i in 0..PEOPLE {
            if coord_edits[i] { edit_notes(&mut coord, &ids[i], "coordinator"); }
            if cap_edits[i] { edit_notes(&mut cap, &ids[i], "captain"); }
        }
        let s = bundles::import(&mut coord, &export(&mut cap), false).unwrap();
        let both = (0..PEOPLE).filter(|&i| coord_edits[i] && cap_edits[i]).count() as u32;
        prop_assert_eq!(s.conflicts, both);
        for i in 0..PEOPLE {
            let want = match (coord_edits[i], cap_edits[i]) {
                (true, _) => "coordinator",
                (false, true) => "captain",
                (false, false) => "",
            };
            prop_assert_eq!(notes_of(&coord, &ids[i]), want);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    /// A bit flipped anywhere (header included), or the file cut anywhere, is refused and
    /// changes nothing.
    #[test]
    fn any_damage_is_refused(pos in any::<prop::sample::Index>(), bit in 0u8..8, cut in any::<bool>()) {
        let (mut coord, ids) = coordinator();
        let mut cap = captain(&export(&mut coord));
        edit_notes(&mut cap, &ids[0], "改");
        let mut bytes = export(&mut cap);
        let i = pos.index(bytes.len());
        if cut { bytes.truncate(i); } else { bytes[i] ^= 1 << bit; }
        let before = bundles::fingerprint(coord.conn()).unwrap();
        let r = bundles::import(&mut coord, &bytes, false);
        prop_assert!(r.is_err(), "damaged at {} accepted", i);
        prop_assert_eq!(bundles::fingerprint(coord.conn()).unwrap(), before);
    }
}
