//! Backups are full copies of the database made with SQLite's online backup API into a
//! `backups` folder beside it: automatic ones (daily, the last 7 kept), manual ones and
//! the ones taken before a migration, an import or a restore.

use crate::error::Code;
use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;

use crate::db::Store;
use crate::dbfile;
pub use crate::dbfile::{header_path, read_header, BackupHeader, BackupInfo};
use crate::error::{Error, Result};

fn dir_of(store: &Store) -> Result<PathBuf> {
    let path = store.path().ok_or_else(|| Error::Internal("in-memory database has no backups".into()))?;
    Ok(crate::paths::backups_dir(path))
}

pub fn list(store: &Store) -> Result<Vec<BackupInfo>> {
    dbfile::list_dir(&dir_of(store)?)
}

/// Copies the live database into the backups folder.
pub fn create(store: &Store, reason: &str) -> Result<BackupInfo> {
    dbfile::snapshot(store.conn(), store.key(), &dir_of(store)?, reason)
}

/// Takes the daily automatic backup if the newest one is older than a day.
pub fn auto(store: &Store) -> Result<Option<BackupInfo>> {
    auto_due(store)?.map(AutoBackup::run).transpose()
}

/// The daily automatic backup when one is due (none today yet, the database not empty), as a
/// job that runs without the store: see `AutoBackup::run`.
pub fn auto_due(store: &Store) -> Result<Option<AutoBackup>> {
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    let have_today =
        list(store)?.iter().any(|b| b.reason == "auto" && b.file_name.starts_with(&format!("outreach-{today}")));
    if have_today || store.is_empty()? {
        return Ok(None);
    }
    let db = store.path().ok_or_else(|| Error::Internal("in-memory database has no backups".into()))?;
    Ok(Some(AutoBackup { db: db.to_path_buf(), key: store.key().cloned(), dir: dir_of(store)? }))
}

/// A backup to take on a connection of its own. The copy is read in one transaction, a
/// consistent snapshot; the database is in WAL mode, so the store goes on reading and
/// writing meanwhile. At a city's size the copy takes many seconds: holding the store for
/// them froze every view the coordinator opened after the first unlock of the day.
pub struct AutoBackup {
    db: PathBuf,
    key: Option<crate::Passphrase>,
    dir: PathBuf,
}

impl AutoBackup {
    pub fn run(self) -> Result<BackupInfo> {
        let conn = dbfile::open_file(&self.db, self.key.as_ref(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        dbfile::snapshot(&conn, self.key.as_ref(), &self.dir, "auto")
    }
}

/// Resolves a backup given by file name (from the list) or by path.
pub fn resolve(store: &Store, name_or_path: &str) -> Result<PathBuf> {
    let p = Path::new(name_or_path);
    let candidate = if p.components().count() == 1 { dir_of(store)?.join(p) } else { p.to_path_buf() };
    if !candidate.is_file() {
        return Err(Error::invalid(Code::BackupNotFound, &[("fileName", name_or_path)]));
    }
    Ok(candidate)
}

/// Replaces the live database with a backup. The current state is backed up first, and
/// the file is checked to be one of ours before anything is touched.
pub fn restore(store: &mut Store, name_or_path: &str) -> Result<BackupInfo> {
    store.authorize(crate::access::Action::BackupRestore)?;
    let src = resolve(store, name_or_path)?;
    let invalid = || Error::invalid(Code::BackupInvalid, &[("fileName", name_or_path)]);
    {
        let c = match dbfile::open_file(&src, store.key(), OpenFlags::SQLITE_OPEN_READ_ONLY) {
            Ok(c) => c,
            Err(e) if e.code() == "db.passphrase_wrong" => return Err(e),
            Err(_) => return Err(invalid()),
        };
        let ok: bool = c
            .query_row(
                "SELECT count(*) = 2 FROM sqlite_master WHERE type = 'table' AND name IN ('units', 'audit_log')",
                [],
                |r| r.get(0),
            )
            .map_err(|_| invalid())?;
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|_| invalid())?;
        let integrity: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|_| invalid())?;
        if !ok || integrity != "ok" {
            return Err(invalid());
        }
        if version as usize > crate::db::latest_version() {
            return Err(Error::invalid(Code::DbNewer, &[]));
        }
    }
    let before = create(store, "pre-restore")?;
    // The restored log is the backup's: it ends before this moment. Its entry names the head
    // it replaced, so an anchor taken since (a report's footer) can be traced to the backup
    // made just now, which still holds that chain.
    let replaced = crate::audit::head(store.conn())?.unwrap_or_default();
    let name = src.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let note = crate::audit::Note::new("backup.restored").with("backup", &before.file_name).with("replaced", &replaced);
    let (operator, actor) = (store.operator(), store.actor());
    // The restored state is prepared in a copy — brought to this program's schema, its entry
    // appended to its chain — and then copied over the live database in one step: the restore
    // and its entry arrive together, or neither does.
    let staged = dir_of(store)?.join(".restore.part");
    let r = (|| -> Result<()> {
        std::fs::copy(&src, &staged).map_err(|e| Error::io(staged.display().to_string(), e))?;
        let mut conn = dbfile::open_file(&staged, store.key(), OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        crate::db::migrate_conn(&mut conn)?;
        let tx = conn.transaction()?;
        crate::audit::record(&tx, &operator, &actor, "restore", &name, &note)?;
        tx.commit()?;
        let b = rusqlite::backup::Backup::new(&conn, store.conn_mut())?;
        b.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
        Ok(())
    })();
    for ext in ["part", "part-journal", "part-wal", "part-shm"] {
        let _ = std::fs::remove_file(staged.with_extension(ext));
    }
    r?;
    store.reopen_after_restore()?;
    Ok(before)
}
