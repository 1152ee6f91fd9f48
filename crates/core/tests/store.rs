mod common;

use outreach_core::units::UnitKind;
use outreach_core::{audit, backup, db, Store};

#[test]
fn fresh_file_gets_the_whole_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::latest_version());
    assert!(store.is_empty().unwrap());
    let fk: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!((fk, mode.as_str()), (1, "wal"));
    let topics: i64 = store.conn().query_row("SELECT count(*) FROM topics", [], |r| r.get(0)).unwrap();
    assert!(topics >= 10);
    // No migration was needed, so no backup was written.
    assert!(backup::list(&store).unwrap().is_empty());
}

#[test]
fn older_schema_is_backed_up_then_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A database written by the first release: only migration 1, with a unit in it.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../migrations/001_foundation.sql")).unwrap();
        c.execute(
            "INSERT INTO units(id, name, kind, created_at, updated_at) VALUES ('u1', '淄博市', 'city', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), db::latest_version());
    let backups = backup::list(&store).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "pre-migrate-v1");
    // The backup is the old database, untouched.
    let b = rusqlite::Connection::open(dir.path().join("backups").join(&backups[0].file_name)).unwrap();
    let v: i64 = b.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let topics: i64 = b.query_row("SELECT count(*) FROM topics", [], |r| r.get(0)).unwrap();
    assert_eq!((v, topics), (1, 0));
    let name: String = store.conn().query_row("SELECT name FROM units WHERE id = 'u1'", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "淄博市");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = Store::open(&path).err().unwrap();
    assert_eq!(e.code(), "db.newer");
}

#[test]
fn not_a_database_is_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(&path, b"this is not a sqlite file at all, just some words .......................................")
        .unwrap();
    let e = Store::open(&path).err().unwrap();
    assert_eq!(e.code(), "backup.invalid");
}

#[test]
fn audit_log_is_append_only_and_chained() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .audit("export", "people", audit::Note::new("export.table_masked").with("n", 100).with("path", "p.csv"))
        .unwrap();
    store.audit("import", "units", audit::Note::new("import.done").with("file", "a.csv")).unwrap();
    store.audit("view_phone", "people/x", audit::Note::new("phone.person").with("name", "王伟")).unwrap();
    let v = audit::verify(store.conn()).unwrap();
    assert_eq!((v.entries, v.first_broken), (3, None));
    // The triggers refuse edits…
    assert!(store.conn().execute("UPDATE audit_log SET detail = 'x' WHERE seq = 2", []).is_err());
    assert!(store.conn().execute("DELETE FROM audit_log WHERE seq = 3", []).is_err());
    // …and if someone drops them, the chain shows where.
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'x' WHERE seq = 2")
        .unwrap();
    assert_eq!(audit::verify(store.conn()).unwrap().first_broken, Some(2));
    let list = audit::list(store.conn(), 10, 0).unwrap();
    assert_eq!(list[0].seq, 3);
}

#[test]
fn backup_then_restore_brings_the_old_state_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("outreach.db")).unwrap();
    common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let before = common::fingerprint(&store);
    let b = backup::create(&store, "manual").unwrap();
    common::add(&mut store, None, "济南市", UnitKind::City, None);
    assert_ne!(common::fingerprint(&store), before);
    let pre = backup::restore(&mut store, &b.file_name).unwrap();
    assert_eq!(pre.reason, "pre-restore");
    let names: Vec<String> =
        outreach_core::units::list(store.conn(), true).unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, vec!["淄博市"]);
    // The restore itself is in the audit log, chained correctly.
    let log = audit::list(store.conn(), 5, 0).unwrap();
    assert_eq!(log[0].action, "restore");
    assert_eq!(audit::verify(store.conn()).unwrap().first_broken, None);
    // The state before the restore can itself be restored.
    backup::restore(&mut store, &pre.file_name).unwrap();
    assert_eq!(outreach_core::units::list(store.conn(), true).unwrap().len(), 2);
}

/// A restore and its entry arrive together: the entry is written into the restored copy before it
/// replaces the live database, so one that cannot be written leaves the database as it was.
#[test]
fn a_restore_without_its_entry_does_not_happen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("outreach.db")).unwrap();
    common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let b = backup::create(&store, "manual").unwrap();
    common::add(&mut store, None, "济南市", UnitKind::City, None);
    store.audit("backup", "x", audit::Note::new("backup.manual")).unwrap();
    let head = audit::head(store.conn()).unwrap().unwrap();
    // A backup whose log refuses a new entry (its file edited by someone).
    let path = dir.path().join("backups").join(&b.file_name);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END")
        .unwrap();
    let before = common::fingerprint(&store);
    assert!(backup::restore(&mut store, &b.file_name).is_err());
    assert_eq!(common::fingerprint(&store), before, "restored without its entry");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".restore"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Without the trigger it restores, its entry naming the head it replaced and who acted.
    rusqlite::Connection::open(&path).unwrap().execute_batch("DROP TRIGGER refuse").unwrap();
    backup::restore(&mut store, &b.file_name).unwrap();
    let e = audit::list(store.conn(), 1, 0).unwrap().remove(0);
    assert_eq!((e.action.as_str(), e.actor.as_str()), ("restore", "coordinator"));
    assert_eq!(e.params.get("replaced"), Some(&head));
    assert_eq!(audit::verify(store.conn()).unwrap().first_broken, None);
}

#[test]
fn restore_refuses_what_is_not_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("outreach.db")).unwrap();
    common::add(&mut store, None, "淄博市", UnitKind::City, None);
    let before = common::fingerprint(&store);
    std::fs::create_dir_all(dir.path().join("backups")).unwrap();
    std::fs::write(dir.path().join("backups").join("outreach-20260101-000000000-manual.db"), b"garbage").unwrap();
    let e = backup::restore(&mut store, "outreach-20260101-000000000-manual.db").unwrap_err();
    assert_eq!(e.code(), "backup.invalid");
    assert_eq!(backup::restore(&mut store, "nope.db").unwrap_err().code(), "backup.not_found");
    assert_eq!(common::fingerprint(&store), before);
}

#[test]
fn automatic_backups_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("outreach.db")).unwrap();
    // Nothing to back up in an empty database.
    assert!(backup::auto(&store).unwrap().is_none());
    common::add(&mut store, None, "淄博市", UnitKind::City, None);
    assert!(backup::auto(&store).unwrap().is_some());
    // Once a day only.
    assert!(backup::auto(&store).unwrap().is_none());
    for _ in 0..10 {
        backup::create(&store, "auto").unwrap();
    }
    let autos = backup::list(&store).unwrap().into_iter().filter(|b| b.reason == "auto").count();
    assert_eq!(autos, 7);
    // A rotated backup takes its header with it: one header per backup, none left over.
    let names: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let headers = names.iter().filter(|n| n.ends_with(".db.json")).count();
    assert_eq!(headers, names.iter().filter(|n| n.ends_with(".db")).count(), "{names:?}");
}

/// A backup carries the audit chain's head in the header beside it: an anchor kept outside the
/// database it was copied from.
#[test]
fn a_backup_has_a_header_with_the_audit_head() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("outreach.db")).unwrap();
    common::add(&mut store, None, "淄博市", UnitKind::City, None);
    store.audit("backup", "x", audit::Note::new("backup.manual")).unwrap();
    let head = audit::head(store.conn()).unwrap().expect("entries");
    let b = backup::create(&store, "manual").unwrap();
    let path = dir.path().join("backups").join(&b.file_name);
    let header = backup::read_header(&path).expect("a header beside the backup");
    assert_eq!((header.reason.as_str(), header.schema), ("manual", outreach_core::db::latest_version()));
    assert_eq!(header.audit_head.as_deref(), Some(head.as_str()));
    assert_eq!(b.audit_head.as_deref(), Some(head.as_str()));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(format!("{}.json", path.display())).unwrap()).unwrap();
    for key in ["createdAt", "reason", "schema", "auditHead"] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    // The head is the copy's: later entries in the live log are not in it.
    store.audit("backup", "y", audit::Note::new("backup.manual")).unwrap();
    assert_ne!(audit::head(store.conn()).unwrap().as_deref(), Some(head.as_str()));
    assert_eq!(backup::list(&store).unwrap()[0].audit_head.as_deref(), Some(head.as_str()));
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Each entry names the identity unlocked, and the chain covers it.
#[test]
fn the_actor_is_in_the_chain() {
    let mut store = Store::open_in_memory().unwrap();
    store.audit("backup", "x", audit::Note::new("backup.manual")).unwrap();
    store.audit("backup", "y", audit::Note::new("backup.manual")).unwrap();
    assert_eq!(audit::list(store.conn(), 1, 0).unwrap()[0].actor, "coordinator");
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'profile:someone' WHERE seq = 1")
        .unwrap();
    assert_eq!(audit::verify(store.conn()).unwrap().first_broken, Some(1));
}

/// A log cut after an anchor was taken verifies on its own; the anchor shows the cut, and so
/// does a log rebuilt from the start.
#[test]
fn an_anchor_catches_a_truncated_or_rewritten_log() {
    let mut store = Store::open_in_memory().unwrap();
    for t in ["a", "b", "c"] {
        store.audit("backup", t, audit::Note::new("backup.manual")).unwrap();
    }
    let anchor = audit::head(store.conn()).unwrap().unwrap();
    assert_eq!(audit::verify_anchor(store.conn(), &anchor).unwrap().entries, 3);
    // As printed on a report: the first 16 digits, with an ellipsis; upper case is the same hash.
    let printed = format!("{}…", &anchor[..16]);
    assert!(audit::verify_anchor(store.conn(), &printed).is_ok());
    assert!(audit::verify_anchor(store.conn(), &anchor[..16].to_uppercase()).is_ok());
    // Too short to stand for one entry.
    assert_eq!(audit::verify_anchor(store.conn(), &anchor[..8]).unwrap_err().code(), "audit.anchor_missing");
    store.conn().execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 2").unwrap();
    assert_eq!(audit::verify(store.conn()).unwrap().first_broken, None, "a cut log verifies by itself");
    let e = audit::verify_anchor(store.conn(), &anchor).unwrap_err();
    assert_eq!(e.code(), "audit.anchor_missing");
    // Rebuilt: the same number of entries, a valid chain, but not the one the anchor saw.
    store.audit("backup", "b2", audit::Note::new("backup.manual")).unwrap();
    store.audit("backup", "c2", audit::Note::new("backup.manual")).unwrap();
    assert_eq!(audit::verify(store.conn()).unwrap(), audit::Verification { entries: 3, first_broken: None });
    assert_eq!(audit::verify_anchor(store.conn(), &anchor).unwrap_err().code(), "audit.anchor_missing");
    // A broken chain is reported as broken first.
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'z' WHERE seq = 2")
        .unwrap();
    assert_eq!(audit::verify_anchor(store.conn(), &anchor).unwrap_err().code(), "audit.broken");
}
