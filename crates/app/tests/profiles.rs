//! Roles on one machine: captain key slots, unlocking as a captain, and the guards that keep
//! a captain to their own grids.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use outreach_core::bundles::{self, Scope};
use outreach_core::people::{self, PersonInput, PersonRole};
use outreach_core::profiles::{self, Role};
use outreach_core::sessions::SessionInput;
use outreach_core::units::UnitKind;
use outreach_core::{backup, Passphrase, Store};

const DB_KEY: &str = "协调员口令-Coordinator-2026";
const CAPTAIN_A: &str = "城关一网格队长-口令A1";
const CAPTAIN_B: &str = "城关二网格队长-口令B2";

fn pass(s: &str) -> Passphrase {
    Passphrase::with_work_factor(s, common::TEST_WORK_FACTOR)
}

struct World {
    _dir: tempfile::TempDir,
    path: PathBuf,
    grid_a: String,
    grid_b: String,
    person_a: String,
    person_b: String,
    captain_a: String,
    captain_b: String,
}

fn person(s: &mut Store, name: &str, unit: &str, phone: &str) -> String {
    s.write(|tx| {
        people::save(
            tx,
            &PersonInput {
                id: None,
                name: name.into(),
                roles: vec![PersonRole::Volunteer],
                phone: Some(phone.into()),
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

/// A city with a community holding grid A, and grid B elsewhere; captain A answers for the
/// community (so grid A), captain B for grid B.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outreach.db");
    let mut s = Store::open_with(&path, Some(&pass(DB_KEY))).unwrap();
    let city = common::add(&mut s, None, "淄博市", UnitKind::City, None);
    let community = common::add(&mut s, Some(&city), "城关社区", UnitKind::Community, None);
    let grid_a = common::add(&mut s, Some(&community), "城关一网格", UnitKind::Grid, Some(common::grid_profile(900)));
    let grid_b = common::add(&mut s, Some(&city), "城关二网格", UnitKind::Grid, Some(common::grid_profile(800)));
    let person_a = person(&mut s, "张一", &grid_a, "13905331111");
    let person_b = person(&mut s, "李二", &grid_b, "13905332222");
    let captain_a =
        profiles::save_with(&mut s, None, "城关一网格队长", std::slice::from_ref(&community), Some(&pass(CAPTAIN_A)))
            .unwrap()
            .id;
    let captain_b =
        profiles::save_with(&mut s, None, "城关二网格队长", std::slice::from_ref(&grid_b), Some(&pass(CAPTAIN_B)))
            .unwrap()
            .id;
    World { _dir: dir, path, grid_a, grid_b, person_a, person_b, captain_a, captain_b }
}

fn session(unit: &str, id: Option<String>) -> SessionInput {
    SessionInput { id, ..common::bench_talk(unit, "2026-06-01 09:00", "2026-06-01 10:00") }
}

fn code<T>(r: outreach_core::Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code().to_string(),
    }
}

fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_slot_round_trip_opens_the_database_as_that_captain() {
    let w = world();
    let slots = profiles::slots(&w.path).unwrap();
    assert_eq!(slots.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["城关一网格队长", "城关二网格队长"]);
    // The slot file names labels and ids only: no passphrase, no unit.
    let text = String::from_utf8(file_bytes(&profiles::keys_path(&w.path))).unwrap();
    assert!(!text.contains(DB_KEY) && !text.contains(CAPTAIN_A) && !text.contains(&w.grid_a));

    let s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
    let a = s.access();
    assert_eq!(a.role, Role::Captain);
    assert_eq!(a.profile_id.as_deref(), Some(w.captain_a.as_str()));
    assert_eq!(a.label, "城关一网格队长");
    assert!(a.covers(&w.grid_a), "a community's grids are in scope");
    assert!(!a.covers(&w.grid_b));
    assert_eq!(a.scope_unit_ids.len(), 2);
}

#[test]
fn a_wrong_captain_passphrase_is_refused_and_nothing_is_written() {
    let w = world();
    let before = (file_bytes(&w.path), file_bytes(&profiles::keys_path(&w.path)));
    assert_eq!(code(profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_B))), "db.passphrase_wrong");
    assert_eq!(code(profiles::unlock(&w.path, &w.captain_a, &pass(DB_KEY))), "db.passphrase_wrong");
    assert_eq!(before, (file_bytes(&w.path), file_bytes(&profiles::keys_path(&w.path))));
}

#[test]
fn a_captain_works_only_in_their_grids() {
    let w = world();
    let mut s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
    // Phones: own grid yes, other grid no.
    assert_eq!(outreach_app::people::reveal_phone(&mut s, &w.person_a).unwrap(), "13905331111");
    // (Another grid's worker is not even in the captain's database.)
    assert_eq!(code(outreach_app::people::reveal_phone(&mut s, &w.person_b)), "not_found");
    // Sessions: own grid yes, other grid no, moving own out no.
    let mine = outreach_app::sessions::save(&mut s, &session(&w.grid_a, None), true).unwrap().session.unwrap().id;
    assert_eq!(code(outreach_app::sessions::save(&mut s, &session(&w.grid_b, None), true)), "role.outside_grids");
    assert_eq!(
        code(outreach_app::sessions::save(&mut s, &session(&w.grid_b, Some(mine.clone())), true)),
        "role.outside_grids"
    );
    outreach_app::sessions::save(&mut s, &session(&w.grid_a, Some(mine.clone())), true).unwrap();
    // Whole-database export and backups are the coordinator's; a bundle of changes is fine.
    assert_eq!(
        code(bundles::export_store(&mut s, Scope::All, None, Some(&common::passphrase()))),
        "role.coordinator_only"
    );
    bundles::export_store(&mut s, Scope::All, Some("2026-01-01"), Some(&common::passphrase())).unwrap();
    assert_eq!(code(backup::restore(&mut s, "x")), "role.coordinator_only");
    assert_eq!(code(s.change_passphrase(&pass("换一个口令-Rekey-2027"))), "role.coordinator_only");
    assert_eq!(code(profiles::list_for(&s)), "role.coordinator_only");
}

#[test]
fn a_captain_cannot_pull_another_grids_session_into_their_own() {
    let w = world();
    let theirs = {
        let mut c = Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap();
        let id = outreach_app::sessions::save(&mut c, &session(&w.grid_b, None), true).unwrap().session.unwrap().id;
        profiles::sync_all(&mut c).unwrap();
        id
    };
    let mut s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
    // The captain's database does not even hold another grid's session.
    assert!(outreach_core::sessions::find(s.conn(), &theirs).unwrap().is_none());
    assert!(outreach_app::sessions::reschedule(&mut s, &theirs, "2026-06-02 09:00", true).is_err());
    // A session saved there under that id is refused when it comes in: the coordinator's stays
    // in grid B, and the whole bundle waits (nothing of it is written).
    outreach_app::sessions::save(&mut s, &session(&w.grid_a, Some(theirs.clone())), true).unwrap();
    let mut c = Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap();
    assert_eq!(code(profiles::sync_all(&mut c)), "bundle.out_of_scope");
    // … and the coordinator's audit log says so, naming the captain.
    let e = outreach_core::audit::list(c.conn(), 1, 0).unwrap().remove(0);
    assert!(e.detail.contains("城关一网格队长") && e.detail.contains("未能汇入"), "{}", e.detail);
    let kept = outreach_core::sessions::get(c.conn(), &theirs).unwrap();
    assert_eq!(kept.unit_id.as_deref(), Some(w.grid_b.as_str()));
}

#[test]
fn a_captain_holds_no_key_to_the_coordinators_files() {
    use std::str::FromStr;
    let w = world();
    backup::create(&Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap(), "manual").unwrap();
    // What the standard age tool gets from the captain's slot with the captain's passphrase.
    let keys: serde_json::Value = serde_json::from_slice(&file_bytes(&profiles::keys_path(&w.path))).unwrap();
    let slot = keys["slots"].as_array().unwrap().iter().find(|s| s["id"] == w.captain_a.as_str()).unwrap();
    let b64 = |v: &serde_json::Value| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap()).unwrap()
    };
    let scrypt = age::scrypt::Identity::new(age::secrecy::SecretString::from(CAPTAIN_A.to_string()));
    let identity_text = String::from_utf8(age::decrypt(&scrypt, &b64(&slot["identity"])).unwrap()).unwrap();
    let identity = age::x25519::Identity::from_str(&identity_text).unwrap();
    let key = Passphrase::new(String::from_utf8(age::decrypt(&identity, &b64(&slot["key"])).unwrap()).unwrap());
    // It opens the captain's own database …
    assert!(outreach_core::db::check_passphrase(&profiles::captain_db(&w.path, &w.captain_a), &key).is_ok());
    // … and neither the coordinator's database, nor a backup, nor the key file.
    let probe = w.path.with_file_name("probe.db");
    let mut files = vec![w.path.clone()];
    for e in std::fs::read_dir(outreach_core::paths::backups_dir(&w.path)).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "db") {
            files.push(p);
        }
    }
    assert!(files.len() >= 2);
    for f in files {
        std::fs::copy(&f, &probe).unwrap();
        assert!(outreach_core::db::check_passphrase(&probe, &key).is_err(), "{f:?} opens with the captain's key");
        assert!(outreach_core::db::check_passphrase(&probe, &pass(CAPTAIN_A)).is_err());
        std::fs::remove_file(&probe).unwrap();
    }
    assert_eq!(code(outreach_core::keyfile::data_key(&w.path, &pass(CAPTAIN_A))), "db.passphrase_wrong");
}

#[test]
fn a_captains_work_reaches_the_coordinator_and_only_their_grids_reach_them() {
    let w = world();
    let mut s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
    let mine = outreach_app::sessions::save(&mut s, &session(&w.grid_a, None), true).unwrap().session.unwrap().id;
    // Switching to the coordinator brings the captain's work in.
    profiles::switch(&mut s, None, Some(&pass(DB_KEY))).unwrap();
    assert!(s.access().is_coordinator());
    assert_eq!(outreach_core::sessions::get(s.conn(), &mine).unwrap().unit_id.as_deref(), Some(w.grid_a.as_str()));
    // The coordinator's new session in grid A goes down to the captain at the next switch.
    let from_coordinator =
        outreach_app::sessions::save(&mut s, &session(&w.grid_a, None), true).unwrap().session.unwrap().id;
    profiles::switch(&mut s, Some(&w.captain_a), None).unwrap();
    assert!(outreach_core::sessions::find(s.conn(), &from_coordinator).unwrap().is_some());
}

#[test]
fn a_tampered_slot_file_grants_no_other_grids() {
    let w = world();
    let keys = profiles::keys_path(&w.path);
    let original: serde_json::Value = serde_json::from_slice(&file_bytes(&keys)).unwrap();
    let write = |v: &serde_json::Value| std::fs::write(&keys, serde_json::to_vec(v).unwrap()).unwrap();

    // Slot A claims to be B (id and label swapped).
    let mut v = original.clone();
    let (a_id, b_id) = (v["slots"][0]["id"].clone(), v["slots"][1]["id"].clone());
    v["slots"][0]["id"] = b_id.clone();
    v["slots"][1]["id"] = a_id.clone();
    write(&v);
    let r = profiles::unlock(&w.path, &w.captain_b, &pass(CAPTAIN_A));
    assert_eq!(code(r), "profile.not_found");

    // ... and also carries B's recipient: the identity decrypted still is A's.
    v["slots"][0]["recipient"] = original["slots"][1]["recipient"].clone();
    write(&v);
    assert_eq!(code(profiles::unlock(&w.path, &w.captain_b, &pass(CAPTAIN_A))), "profile.not_found");

    // The untouched file still works.
    write(&original);
    assert!(profiles::unlock(&w.path, &w.captain_b, &pass(CAPTAIN_B)).unwrap().access().covers(&w.grid_b));
}

#[test]
fn a_coordinator_rekey_keeps_captains_able_to_unlock() {
    let w = world();
    let new_key = pass("新的协调员口令-Rekey-2027");
    {
        let mut c = Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap();
        c.change_passphrase(&new_key).unwrap();
    }
    assert_eq!(code(outreach_core::db::check_passphrase(&w.path, &pass(DB_KEY))), "db.passphrase_wrong");
    let s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
    assert!(s.access().covers(&w.grid_a));
    // The captain's store holds the new key: switching back needs the new passphrase.
    let mut s = s;
    assert_eq!(code(profiles::switch(&mut s, None, Some(&pass(DB_KEY)))), "db.passphrase_wrong");
    assert!(profiles::switch(&mut s, None, Some(&new_key)).unwrap().role == Role::Coordinator);
}

#[test]
fn a_removed_profile_cannot_unlock() {
    let w = world();
    {
        let mut c = Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap();
        profiles::remove(&mut c, &w.captain_b).unwrap();
        assert!(profiles::list(c.conn()).unwrap().iter().any(|p| p.id == w.captain_b && p.archived));
    }
    assert_eq!(profiles::slots(&w.path).unwrap().len(), 1);
    assert_eq!(code(profiles::unlock(&w.path, &w.captain_b, &pass(CAPTAIN_B))), "profile.not_found");
    // Its database is gone with its folder: the passphrase opens nothing anywhere.
    assert!(!profiles::captain_db(&w.path, &w.captain_b).parent().unwrap().exists());
}

#[test]
fn a_captain_changes_their_own_passphrase() {
    let w = world();
    let new = pass("城关一网格-新口令-2027");
    {
        let mut s = profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A)).unwrap();
        assert_eq!(code(profiles::change_own_passphrase(&mut s, &pass(CAPTAIN_B), &new)), "db.passphrase_wrong");
        assert_eq!(
            code(profiles::change_own_passphrase(&mut s, &pass(CAPTAIN_A), &pass(DB_KEY))),
            "profile.passphrase_same_as_db"
        );
        profiles::change_own_passphrase(&mut s, &pass(CAPTAIN_A), &new).unwrap();
    }
    assert_eq!(code(profiles::unlock(&w.path, &w.captain_a, &pass(CAPTAIN_A))), "db.passphrase_wrong");
    assert!(profiles::unlock(&w.path, &w.captain_a, &new).is_ok());
}

#[test]
fn profile_rules_and_switching() {
    let w = world();
    let mut c = Store::open_with(&w.path, Some(&pass(DB_KEY))).unwrap();
    assert_eq!(
        code(profiles::save_with(
            &mut c,
            None,
            "城关一网格队长",
            std::slice::from_ref(&w.grid_a),
            Some(&pass("另一个口令-Other-1"))
        )),
        "profile.label_taken"
    );
    assert_eq!(
        code(profiles::save_with(
            &mut c,
            None,
            "  ",
            std::slice::from_ref(&w.grid_a),
            Some(&pass("另一个口令-Other-1"))
        )),
        "profile.label_required"
    );
    assert_eq!(
        code(profiles::save_with(&mut c, None, "三网格", &[], Some(&pass("另一个口令-Other-1")))),
        "profile.units_required"
    );
    assert_eq!(
        code(profiles::save_with(&mut c, None, "三网格", std::slice::from_ref(&w.grid_a), Some(&pass(DB_KEY)))),
        "profile.passphrase_same_as_db"
    );
    assert_eq!(
        code(profiles::save_with(&mut c, None, "三网格", std::slice::from_ref(&w.grid_a), Some(&pass("short")))),
        "passphrase.too_short"
    );
    // Coordinator → captain needs no passphrase; captain → another captain needs theirs.
    assert_eq!(profiles::switch(&mut c, Some(&w.captain_a), None).unwrap().role, Role::Captain);
    assert_eq!(code(profiles::switch(&mut c, Some(&w.captain_b), Some(&pass(CAPTAIN_A)))), "db.passphrase_wrong");
    assert!(profiles::switch(&mut c, Some(&w.captain_b), Some(&pass(CAPTAIN_B)))
        .unwrap()
        .scope_unit_ids
        .contains(&w.grid_b));
    assert_eq!(code(outreach_app::sessions::save(&mut c, &session(&w.grid_a, None), true)), "role.outside_grids");
}
