//! The harness shared by the fuzz targets (see docs/FUZZING.md).
//!
//! Every target works on one in-memory database loaded from `base/demo.bundle` (the demo
//! data, exported once by `cargo run --example seeds`), so the ids in the seed files are
//! ids the database holds and imports reach their update, unchanged and conflict paths.
//!
//! "A refused file changes nothing" is checked with a commit hook: an in-memory database
//! changes only when a transaction commits (a rollback restores every page), so a refusal
//! during which no commit happened left the database exactly as it was. Should a commit
//! have happened, the whole content is compared with the base (`digest`) — a commit that
//! wrote nothing is not a finding. That keeps a rejected input at the price of the import
//! itself, where hashing the demo database twice per input would cost more than the import.
//! After an accepted import the database is reset to the base with SQLite's backup API.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use outreach_core::bundles::{self, Body};
use outreach_core::identity::{self, SignerInput, SignerRole, SigningKey};
use outreach_core::sheets::{self, Sheet};
use outreach_core::transfer::{self, TableKind};
use outreach_core::{photos, settings, Error, Store};
use rusqlite::types::Value;
use rusqlite::{ffi, Connection};
use sha2::{Digest, Sha256};

/// Where the base bundle lives; `cargo run --example seeds` writes it.
pub fn base_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("base/demo.bundle")
}

/// The key the base bundle and the harness's bundles are signed with; the database registers
/// it as a coordinator's, so signed inputs reach the merge.
pub fn fuzz_key() -> SigningKey {
    SigningKey::from_bytes(&[0x5a; 32])
}

/// Registers `fuzz_key` as a coordinator's in `store`.
pub fn trust_fuzz_key(store: &mut Store) {
    let signer = SignerInput {
        key: identity::public_text(&fuzz_key().verifying_key().to_bytes()),
        label: "fuzz".into(),
        role: SignerRole::Coordinator,
        units: vec![],
    };
    store.write(|tx| identity::register(tx, &signer)).expect("register the fuzz key");
}

/// The database a target works on, the base it is reset to, and the commits counted.
pub struct Db {
    pub store: Store,
    template: Store,
    commits: Arc<AtomicU64>,
    base_digest: String,
}

impl Db {
    /// Loads the base bundle. Panics with the way out when the bundle no longer fits the
    /// schema (a migration was added since it was written).
    pub fn load() -> Db {
        let path = base_path();
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run `cargo run --example seeds` in fuzz/", path.display()));
        let mut template = Store::open_in_memory().expect("in-memory store");
        trust_fuzz_key(&mut template);
        bundles::import(&mut template, &bytes, false).unwrap_or_else(|e| {
            panic!(
                "{} does not import ({e}); regenerate it and the seeds: `cargo run --example seeds` in fuzz/",
                path.display()
            )
        });
        let store = Store::open_in_memory().expect("in-memory store");
        copy_db(template.conn(), store.conn());
        let commits = Arc::new(AtomicU64::new(0));
        let c = commits.clone();
        store
            .conn()
            .commit_hook(Some(move || {
                c.fetch_add(1, Ordering::Relaxed);
                false
            }))
            .expect("commit hook");
        let base_digest = digest(template.conn());
        Db { store, template, commits, base_digest }
    }

    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Panics when the database differs from the base after `what`, which began when the
    /// commit count was `before`.
    pub fn assert_unchanged(&self, before: u64, what: &str) {
        if self.commits() == before {
            return;
        }
        let now = digest(self.store.conn());
        assert!(now == self.base_digest, "{what}: the database changed although the input was refused");
    }

    /// Back to the base, after an accepted import.
    pub fn reset(&mut self) {
        copy_db(self.template.conn(), self.store.conn());
    }
}

/// Copies one database over another with SQLite's online backup API. `Backup::new` wants
/// the destination `&mut`, which `Store` does not hand out; the handles are enough.
fn copy_db(from: &Connection, to: &Connection) {
    // SAFETY: both connections are open and used by this thread only; no statement of the
    // destination is running and no transaction is open on either (between inputs).
    unsafe {
        let b = ffi::sqlite3_backup_init(to.handle(), c"main".as_ptr(), from.handle(), c"main".as_ptr());
        assert!(!b.is_null(), "backup_init failed");
        let rc = ffi::sqlite3_backup_step(b, -1);
        let fin = ffi::sqlite3_backup_finish(b);
        assert!(rc == ffi::SQLITE_DONE && fin == ffi::SQLITE_OK, "backup failed: {rc} {fin}");
    }
}

/// A hash of the whole database: every table's definition and rows (in a fixed order),
/// and the schema version.
pub fn digest(conn: &Connection) -> String {
    let mut h = Sha256::new();
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    h.update(v.to_le_bytes());
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, ifnull(sql, '') FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, sql) in tables {
        h.update(sql.as_bytes());
        let mut st = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                let mut line = String::new();
                for i in 0..n {
                    line.push_str(&format!("{:?}\u{1f}", r.get::<_, Value>(i)?));
                }
                Ok(line)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        for r in rows {
            h.update(r.as_bytes());
            h.update(b"\x1e");
        }
    }
    hex::encode(h.finalize())
}

/// A user file must be refused with issues the user can read, never with a store,
/// file or internal error (which the UI can only show as "something failed").
pub fn assert_refusal(e: &Error, what: &str) {
    assert!(matches!(e, Error::Invalid(_)), "{what}: refused with {e:?} instead of issues");
}

thread_local! {
    static DB: RefCell<Option<Db>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's database, loading it on first use.
pub fn with_db<T>(f: impl FnOnce(&mut Db) -> T) -> T {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        f(slot.get_or_insert_with(Db::load))
    })
}

// ---------------------------------------------------------------- spreadsheets

const KINDS: [TableKind; 4] = [TableKind::Units, TableKind::People, TableKind::Venues, TableKind::Sessions];

/// `import_csv` / `import_xlsx`: the file is read as the app reads it, then previewed and
/// imported as each table. Checks: no panic; preview never writes; a refused import
/// writes nothing; the import does what its preview said.
pub fn sheet(workbook: bool, data: &[u8]) {
    let sheet = match sheets::read_bytes(workbook, data) {
        Ok(s) => s,
        Err(e) => return assert_refusal(&e, "reading the file"),
    };
    with_db(|db| {
        for kind in KINDS {
            import_as(db, kind, &sheet);
        }
    });
}

fn import_as(db: &mut Db, kind: TableKind, sheet: &Sheet) {
    let no_progress = &mut |_| {};
    let before = db.commits();
    let preview = transfer::preview(&mut db.store, kind, sheet, "fuzz", no_progress);
    db.assert_unchanged(before, "preview");
    let preview = match preview {
        Ok(p) => p,
        Err(e) => return assert_refusal(&e, "preview"),
    };
    let before = db.commits();
    match transfer::commit(&mut db.store, kind, sheet, "fuzz", false, no_progress) {
        Ok(o) => {
            assert!(preview.problems.is_empty(), "import accepted rows its preview refused: {:?}", preview.problems);
            assert_eq!(
                (o.added, o.updated, o.unchanged, o.skipped),
                (preview.to_add, preview.to_update, preview.unchanged, 0),
                "import did other than its preview said"
            );
            db.reset();
        }
        Err(e) => {
            assert_refusal(&e, "import");
            db.assert_unchanged(before, "refused import");
            assert!(!preview.problems.is_empty(), "import refused a file its preview accepted: {e:?}");
            // What the app offers next: import the valid rows, skip the others.
            let before = db.commits();
            match transfer::commit(&mut db.store, kind, sheet, "fuzz", true, no_progress) {
                Ok(o) => {
                    assert_eq!(
                        (o.added, o.updated, o.unchanged, o.skipped as usize),
                        (preview.to_add, preview.to_update, preview.unchanged, preview.problems.len()),
                        "import skipping refused rows did other than its preview said"
                    );
                    db.reset();
                }
                Err(e) => {
                    db.assert_unchanged(before, "refused import (skipping refused rows)");
                    panic!("import skipping refused rows failed: {e:?}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------- bundles

/// Input of `bundle_import` starting with `{` is a bundle body: its entity versions are
/// recomputed and it is sealed with a valid header and checksum, so mutations reach the
/// merge instead of stopping at the checksum. Anything else is a bundle file as it is.
pub fn bundle_bytes(data: &[u8]) -> Vec<u8> {
    if data.first() != Some(&b'{') {
        return data.to_vec();
    }
    let Ok(mut body) = serde_json::from_slice::<Body>(data) else { return data.to_vec() };
    for item in &mut body.items {
        item.hash = bundles::version(&item.row, &item.children);
    }
    bundles::pack_signed(&body, "fuzz", "all", None, &fuzz_key(), None).expect("seal")
}

/// `bundle_import`: a preview (dry run) and an import of the bundle. Checks: no panic; the
/// preview never writes; a refused bundle writes nothing; preview and import agree; the
/// same bundle imported twice adds and updates nothing the second time.
pub fn bundle(data: &[u8]) {
    let bytes = bundle_bytes(data);
    with_db(|db| {
        let before = db.commits();
        let preview = bundles::import(&mut db.store, &bytes, true);
        db.assert_unchanged(before, "bundle preview");
        let before = db.commits();
        match bundles::import(&mut db.store, &bytes, false) {
            Ok(s) => {
                let p = preview.unwrap_or_else(|e| panic!("bundle imported although its preview failed: {e:?}"));
                assert_eq!(p, s, "bundle import did other than its preview said");
                let again = bundles::import(&mut db.store, &bytes, false)
                    .unwrap_or_else(|e| panic!("second import of the same bundle failed: {e:?}"));
                assert_eq!(
                    (again.added, again.updated),
                    (0, 0),
                    "second import of the same bundle changed rows: {again:?}"
                );
                db.reset();
            }
            Err(e) => {
                assert_refusal(&e, "bundle import");
                db.assert_unchanged(before, "refused bundle");
                if let Ok(p) = preview {
                    panic!("bundle refused ({e:?}) although its preview passed: {p:?}");
                }
            }
        }
    });
}

// ---------------------------------------------------------------- images

/// A folder of this process for the image target: photo originals and the logo.
struct ImageDir {
    dir: PathBuf,
    record_id: String,
}

thread_local! {
    static IMAGES: RefCell<Option<ImageDir>> = const { RefCell::new(None) };
}

/// The logo in place before each input (a 2×2 PNG): a rejected new logo must leave it there.
pub const KEEP_LOGO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x72, 0xb6, 0x0d, 0x24, 0x00, 0x00, 0x00, 0x13, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x50, 0x48, 0x38, 0xf0, 0x1f, 0x84, 0x19, 0xfe, 0xff, 0x87, 0x60, 0x00, 0x57,
    0x9c, 0x0a, 0x79, 0x26, 0x6c, 0x09, 0x86, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// libFuzzer ends the process without running destructors: the folders of processes that
/// are gone are removed by the next one (where /proc tells which are gone).
fn remove_stale_image_dirs(root: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("outreach-fuzz-image-") {
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// `image`: the bytes as a session photo (decoded, thumbnailed, stored, registered — in a
/// rolled-back transaction) and as the organiser's logo. Checks: no panic; photo and logo
/// accept the same files; a refused logo leaves the earlier logo in place; an accepted
/// one is stored byte for byte.
pub fn image(data: &[u8]) {
    IMAGES.with(|cell| {
        let mut slot = cell.borrow_mut();
        let ctx = slot.get_or_insert_with(|| {
            let root = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
            remove_stale_image_dirs(&root);
            let dir = root.join(format!("outreach-fuzz-image-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            settings::save_logo(&dir, KEEP_LOGO, "logo.png").expect("the kept logo is valid");
            let record_id = with_db(|db| {
                db.store
                    .conn()
                    .query_row("SELECT id FROM records LIMIT 1", [], |r| r.get(0))
                    .expect("base has a record")
            });
            ImageDir { dir, record_id }
        });
        let photo_dir = ctx.dir.join("photos");
        let photo = with_db(|db| {
            let before = db.commits();
            let r = db.store.dry_run(|tx| photos::add(tx, &photo_dir, &ctx.record_id, data, "fuzz.jpg", ""));
            db.assert_unchanged(before, "photo (rolled back)");
            r
        });
        match &photo {
            Ok(p) => {
                assert!(p.width > 0 && p.height > 0, "photo without pixels accepted");
                let name = photos::file_name(&p.sha256, &p.ext);
                let file = photo_dir.join(&name);
                // Sealed on disk (never the photo in clear), and it opens to the photo as given.
                assert_ne!(std::fs::read(&file).expect("original stored"), data, "original stored in clear");
                let back = with_db(|db| photos::read_file(db.store.conn(), &photo_dir, &name));
                // As given, less its metadata (EXIF/GPS is stripped when a photo is stored).
                let stripped = outreach_core::picture::strip_metadata(data);
                assert_eq!(
                    back.expect("original opens").as_deref(),
                    Some(stripped.as_slice()),
                    "original not stored as given"
                );
                std::fs::remove_file(&file).unwrap();
            }
            Err(e) => assert_refusal(e, "photo"),
        }
        match settings::save_logo(&ctx.dir, data, "logo.png") {
            Ok(()) => {
                assert!(photo.is_ok(), "logo accepted a file the photos refused");
                let stripped = outreach_core::picture::strip_metadata(data);
                assert_eq!(settings::logo(&ctx.dir).as_deref(), Some(stripped.as_slice()), "logo not stored as given");
                settings::save_logo(&ctx.dir, KEEP_LOGO, "logo.png").unwrap();
            }
            Err(e) => {
                assert_refusal(&e, "logo");
                assert!(photo.is_err(), "logo refused a file the photos accepted: {e:?}");
                assert_eq!(
                    settings::logo(&ctx.dir).as_deref(),
                    Some(KEEP_LOGO),
                    "a refused logo replaced the earlier one"
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commit count is what the "refused input changed nothing" check rests on.
    #[test]
    fn commits_are_counted_and_rollbacks_are_not() {
        let mut db = Db::load();
        let n = db.commits();
        db.store.dry_run(|tx| Ok(tx.execute("DELETE FROM sync_known", [])?)).unwrap();
        assert_eq!(db.commits(), n);
        db.assert_unchanged(n, "rolled back");
        db.store.conn().execute("DELETE FROM sync_known", []).unwrap();
        assert_eq!(db.commits(), n + 1);
        assert_ne!(digest(db.store.conn()), db.base_digest);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.assert_unchanged(n, "deleted")));
        assert!(r.is_err(), "a committed change must be caught");
        db.reset();
        assert_eq!(digest(db.store.conn()), db.base_digest);
    }

    /// Every seed of the corpus runs clean (what the fuzzer starts from).
    #[test]
    fn the_seeds_run_clean() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for (target, run) in [
            ("import_csv", (|d: &[u8]| sheet(false, d)) as fn(&[u8])),
            ("import_xlsx", |d| sheet(true, d)),
            ("bundle_import", bundle),
            ("image", image),
        ] {
            for entry in std::fs::read_dir(root.join(target)).unwrap() {
                run(&std::fs::read(entry.unwrap().path()).unwrap());
            }
        }
    }
}
