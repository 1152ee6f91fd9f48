//! A full disk and a read-only disk, for real: the database lives on a small tmpfs mounted
//! for the test, filled up with a filler file or remounted read-only. A save, a table
//! import, a bundle import (its merge) must fail with `disk.full` / `disk.readonly` and a
//! clear message, and leave the database exactly as it was — compared by the bundle
//! fingerprint after reopening. The pre-import backup is written first: when it does not
//! fit, the import stops before touching the database.
//!
//! Mounting needs root. As any other user these tests print why and skip; CI runs as root.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use outreach_core::bundles::{self, Scope};
use outreach_core::sessions::{self, Audience, SessionInput, SessionKind};
use outreach_core::transfer::{self, TableKind};
use outreach_core::{demo, sheets, Store};

/// A tmpfs mounted on a fresh folder; unmounted (and the folder removed) when dropped,
/// whatever happened in between.
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a tmpfs needs root (CI runs as root)");
            return None;
        }
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("disk");
        std::fs::create_dir(&dir).unwrap();
        let st = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(st.success(), "mount -t tmpfs failed although running as root");
        Some(Tmpfs { dir, _parent: parent })
    }

    fn remount(&self, mode: &str) {
        let st = Command::new("mount").args(["-o", &format!("remount,{mode}")]).arg(&self.dir).status().unwrap();
        assert!(st.success(), "mount -o remount,{mode}");
    }

    fn free(&self) -> u64 {
        let c = std::ffi::CString::new(self.dir.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string and a zeroed out-parameter of the right type.
        unsafe {
            let mut s: libc::statvfs = std::mem::zeroed();
            assert_eq!(libc::statvfs(c.as_ptr(), &mut s), 0);
            s.f_bavail as u64 * s.f_frsize as u64
        }
    }

    /// Grows or shrinks the filler file until about `want` bytes are left free.
    fn leave_free(&self, want: u64) {
        let path = self.dir.join("filler.bin");
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
        let chunk = vec![0x5au8; 64 * 1024];
        loop {
            let free = self.free();
            if free > want {
                let n = ((free - want) as usize).min(chunk.len());
                if f.write_all(&chunk[..n]).is_err() {
                    break;
                }
            } else {
                let shrink = want - free;
                if shrink >= 4096 {
                    let len = f.metadata().unwrap().len();
                    f.set_len(len.saturating_sub(shrink)).unwrap();
                }
                break;
            }
        }
        f.sync_all().ok();
    }

    fn drop_filler(&self) {
        let _ = std::fs::remove_file(self.dir.join("filler.bin"));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let st = Command::new("umount").arg(&self.dir).status();
        if !matches!(st, Ok(s) if s.success()) {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

fn fingerprint(db: &Path) -> std::collections::BTreeMap<String, String> {
    let store = Store::open(db).unwrap();
    let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    bundles::fingerprint(store.conn()).unwrap()
}

fn grid(store: &Store) -> String {
    store.conn().query_row("SELECT id FROM units WHERE kind = 'grid' ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap()
}

fn session(unit: &str) -> SessionInput {
    SessionInput {
        id: None,
        title: "满盘时的新活动".into(),
        kind: SessionKind::Talk,
        venue_id: None,
        unit_id: Some(unit.into()),
        start: "2026-03-02T09:00".into(),
        end: "2026-03-02T10:00".into(),
        audiences: vec![Audience::Public],
        topic_ids: vec![],
        people: vec![],
        materials: vec![],
        expected_audience: None,
        channel: String::new(),
        messages: None,
        notes: "x".repeat(400),
    }
}

/// A people sheet big enough to need far more room than is left.
fn big_sheet(unit: &str, rows: usize) -> sheets::Sheet {
    let mut text = String::from("编号,姓名,身份,所属单位编号,在岗,备注\n");
    for i in 0..rows {
        text.push_str(&format!(",磁盘测试{i},志愿者,{unit},是,{}\n", "备注".repeat(20)));
    }
    sheets::read_bytes(false, text.as_bytes()).unwrap()
}

/// A database on the disk (the demo), its fingerprint, a CSV sheet and a bundle (made on
/// a copy elsewhere, with thousands of new people) that both need room.
fn setup(
    disk: &Tmpfs,
    elsewhere: &Path,
) -> (PathBuf, std::collections::BTreeMap<String, String>, sheets::Sheet, Vec<u8>) {
    let db = disk.dir.join("outreach.db");
    let unit;
    {
        let mut store = Store::open(&db).unwrap();
        demo::load(&mut store).unwrap();
        // Made before the copy: the copy is this database, signing with its key.
        store.write(|tx| outreach_core::identity::own(tx)).unwrap();
        unit = grid(&store);
    }
    let copy = elsewhere.join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let bundle = {
        let mut src = Store::open(&copy).unwrap();
        transfer::commit(&mut src, TableKind::People, &big_sheet(&unit, 6000), "big.csv", false, &mut |_| {}).unwrap();
        bundles::export(src.conn(), Scope::All, None, "disk-test", None).unwrap().0
    };
    (db.clone(), fingerprint(&db), big_sheet(&unit, 20_000), bundle)
}

fn no_partial_backups(disk: &Tmpfs) {
    let left: Vec<String> = std::fs::read_dir(disk.dir.join("backups"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".db"))
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "half-written backups left behind: {left:?}");
}

#[test]
fn a_full_disk_refuses_saves_and_imports_and_changes_nothing() {
    let Some(disk) = Tmpfs::mount("4m") else { return };
    let elsewhere = tempfile::tempdir().unwrap();
    let (db, before, sheet, bundle) = setup(&disk, elsewhere.path());
    let size = std::fs::metadata(&db).unwrap().len();

    // 1. Not even the pre-import backup fits: the imports stop there; a save finds no room.
    {
        let mut store = Store::open(&db).unwrap();
        let unit = grid(&store);
        disk.leave_free(0);
        let e = store.write(|tx| sessions::save(tx, &session(&unit), true, "测试")).unwrap_err();
        assert_eq!(e.code(), "disk.full", "save: {e:?}");
        assert!(e.issues()[0].message.contains("磁盘空间已满"), "{}", e.issues()[0].message);
        let e = transfer::commit(&mut store, TableKind::People, &sheet, "big.csv", false, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "disk.full", "table import: {e:?}");
        let e = bundles::import(&mut store, &bundle, false).unwrap_err();
        assert_eq!(e.code(), "disk.full", "bundle import: {e:?}");
        no_partial_backups(&disk);
    }
    disk.drop_filler();
    assert_eq!(fingerprint(&db), before, "the database changed");

    // 2. The backup fits, the import's transaction does not: it is rolled back whole.
    for what in ["table", "bundle"] {
        {
            let mut store = Store::open(&db).unwrap();
            disk.leave_free(size + 256 * 1024);
            let e = match what {
                "table" => {
                    transfer::commit(&mut store, TableKind::People, &sheet, "big.csv", false, &mut |_| {}).map(|_| ())
                }
                _ => bundles::import(&mut store, &bundle, false).map(|_| ()),
            }
            .unwrap_err();
            assert_eq!(e.code(), "disk.full", "{what} import: {e:?}");
            let backups = std::fs::read_dir(disk.dir.join("backups")).unwrap().count();
            assert!(backups >= 1, "the pre-import backup was written first");
        }
        disk.drop_filler();
        let _ = std::fs::remove_dir_all(disk.dir.join("backups"));
        assert_eq!(fingerprint(&db), before, "{what} import: the database changed");
    }

    // 3. Through the command line: exit 1 and the message, nothing else.
    disk.leave_free(0);
    let csv = elsewhere.path().join("big.csv");
    let mut text = String::from("编号,姓名,身份,所属单位编号,在岗\n");
    let unit = before.keys().find(|k| k.starts_with("units/")).unwrap().trim_start_matches("units/").to_string();
    for i in 0..3000 {
        text.push_str(&format!(",命令行{i},志愿者,{unit},是\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_outreach"))
        .arg("--db")
        .arg(&db)
        .args(["import", "people"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("磁盘空间已满，未保存任何更改"), "{err}");
    disk.drop_filler();
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_read_only_disk_refuses_saves_and_imports_and_changes_nothing() {
    let Some(disk) = Tmpfs::mount("8m") else { return };
    let elsewhere = tempfile::tempdir().unwrap();
    let (db, before, sheet, bundle) = setup(&disk, elsewhere.path());
    disk.remount("ro");
    {
        // It still opens, for reading.
        let mut store = Store::open(&db).unwrap();
        assert!(!bundles::fingerprint(store.conn()).unwrap().is_empty());
        let unit = grid(&store);
        let e = store.write(|tx| sessions::save(tx, &session(&unit), true, "测试")).unwrap_err();
        assert_eq!(e.code(), "disk.readonly", "save: {e:?}");
        assert!(e.issues()[0].message.contains("只读"), "{}", e.issues()[0].message);
        let e = transfer::commit(&mut store, TableKind::People, &sheet, "big.csv", false, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "disk.readonly", "table import: {e:?}");
        let e = bundles::import(&mut store, &bundle, false).unwrap_err();
        assert_eq!(e.code(), "disk.readonly", "bundle import: {e:?}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_outreach")).arg("--db").arg(&db).args(["backup"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("只读，未保存任何更改"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    disk.remount("rw");
    assert_eq!(fingerprint(&db), before, "the database changed");
}
