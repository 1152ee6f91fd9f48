//! Backups are full copies of the database made with SQLite's online backup API into a
//! `backups` folder beside it: automatic ones (daily, the last 7 kept), manual ones and
//! the ones taken before a migration, an import or a restore.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::db::Store;
use crate::error::{Error, Result};

const KEEP_AUTO: usize = 7;
const KEEP_OTHER: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct BackupInfo {
    pub file_name: String,
    pub created_at: String,
    /// auto, manual, pre-import, pre-restore, pre-migrate-vN
    pub reason: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

fn dir_of(store: &Store) -> Result<PathBuf> {
    let path = store.path().ok_or_else(|| Error::Internal("in-memory database has no backups".into()))?;
    Ok(crate::paths::backups_dir(path))
}

fn info(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?.to_string();
    let stem = name.strip_prefix("outreach-")?.strip_suffix(".db")?;
    // outreach-20261122-031500123-reason.db
    let mut parts = stem.splitn(3, '-');
    let (d, t, reason) = (parts.next()?, parts.next()?, parts.next()?);
    if d.len() != 8 || t.len() != 9 {
        return None;
    }
    let created_at = format!("{}-{}-{} {}:{}:{}", &d[0..4], &d[4..6], &d[6..8], &t[0..2], &t[2..4], &t[4..6]);
    let reason = reason.to_string();
    let size_bytes = std::fs::metadata(path).ok()?.len();
    Some(BackupInfo { file_name: name.clone(), created_at, reason, size_bytes })
}

pub fn list(store: &Store) -> Result<Vec<BackupInfo>> {
    let dir = dir_of(store)?;
    let mut out: Vec<BackupInfo> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).filter_map(|e| info(&e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(dir.display().to_string(), e)),
    };
    out.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    Ok(out)
}

/// Copies the live database into the backups folder. Local time in the name: it is what
/// the user reads in the list.
pub fn create(store: &Store, reason: &str) -> Result<BackupInfo> {
    let dir = dir_of(store)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%3f");
    let path = dir.join(format!("outreach-{stamp}-{reason}.db"));
    let tmp = path.with_extension("part");
    // A half-written copy never stays behind to eat the space that was missing.
    if let Err(e) = copy_into(store, &tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))?;
    rotate(store)?;
    info(&path).ok_or_else(|| Error::Internal("backup name".into()))
}

/// Copies the live database into `tmp` with the online backup API. The file is made by
/// us first so a read-only or full folder gives its own error, not SQLite's "cannot open".
fn copy_into(store: &Store, tmp: &Path) -> Result<()> {
    std::fs::File::create(tmp).map_err(|e| Error::io(tmp.display().to_string(), e))?;
    let mut dst = Connection::open(tmp)?;
    let r = (|| -> Result<()> {
        // The copy carries the live database's key: an encrypted store has encrypted backups.
        if let Some(k) = store.key() {
            dst.pragma_update(None, "key", k.expose())?;
        }
        {
            let b = rusqlite::backup::Backup::new(store.conn(), &mut dst)?;
            b.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
        }
        // The copy carries the live file's WAL flag; a backup is a plain file that is read
        // on its own, so it is made one.
        let _: String = dst.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
        Ok(())
    })();
    r.map_err(|e| e.with_errno(&dst))
}

/// Opens a backup for reading only, without taking locks or making -wal and -shm files
/// beside it (a backup is never written while it is read).
pub(crate) fn open_read_only(path: &Path, key: Option<&crate::passphrase::Passphrase>) -> Result<Connection> {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let _ = conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    if let Some(k) = key {
        conn.pragma_update(None, "key", k.expose())?;
    }
    Ok(conn)
}

fn rotate(store: &Store) -> Result<()> {
    let dir = dir_of(store)?;
    let all = list(store)?;
    let (auto, other): (Vec<_>, Vec<_>) = all.into_iter().partition(|b| b.reason == "auto");
    for b in auto.iter().skip(KEEP_AUTO).chain(other.iter().skip(KEEP_OTHER)) {
        let _ = std::fs::remove_file(dir.join(&b.file_name));
    }
    Ok(())
}

/// Takes the daily automatic backup if the newest one is older than a day.
pub fn auto(store: &Store) -> Result<Option<BackupInfo>> {
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    let have_today =
        list(store)?.iter().any(|b| b.reason == "auto" && b.file_name.starts_with(&format!("outreach-{today}")));
    if have_today || store.is_empty()? {
        return Ok(None);
    }
    create(store, "auto").map(Some)
}

/// Resolves a backup given by file name (from the list) or by path.
pub fn resolve(store: &Store, name_or_path: &str) -> Result<PathBuf> {
    let p = Path::new(name_or_path);
    let candidate = if p.components().count() == 1 { dir_of(store)?.join(p) } else { p.to_path_buf() };
    if !candidate.is_file() {
        return Err(Error::invalid("backup.not_found", &[("fileName", name_or_path)]));
    }
    Ok(candidate)
}

/// Replaces the live database with a backup. The current state is backed up first, and
/// the file is checked to be one of ours before anything is touched.
pub fn restore(store: &mut Store, name_or_path: &str) -> Result<BackupInfo> {
    store.require_coordinator("从备份恢复")?;
    let src = resolve(store, name_or_path)?;
    let invalid = || Error::invalid("backup.invalid", &[("fileName", name_or_path)]);
    {
        let c = match crate::db::open_file(&src, store.key(), OpenFlags::SQLITE_OPEN_READ_ONLY) {
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
            return Err(Error::invalid("db.newer", &[]));
        }
    }
    let before = create(store, "pre-restore")?;
    {
        let from = crate::db::open_file(&src, store.key(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let b = rusqlite::backup::Backup::new(&from, store.conn_mut())?;
        b.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
    }
    store.reopen_after_restore()?;
    let name = src.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    store.audit("restore", &name, &format!("恢复前的数据已备份为 {}", before.file_name))?;
    Ok(before)
}

fn backup_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| info(p).is_some()).collect())
        .unwrap_or_default()
}

/// Encrypts every plain backup in `dir` with `key` (after the live database was encrypted).
pub(crate) fn encrypt_all(dir: &Path, key: &crate::passphrase::Passphrase) -> Result<()> {
    for p in backup_files(dir) {
        if crate::db::file_state(&p)? == crate::db::FileState::Plain {
            crate::db::encrypt_file(&p, key)?;
        }
    }
    Ok(())
}

/// Re-keys every backup in `dir` from `old` (or plain) to `new`, so a changed passphrase
/// leaves no backup readable with the old one.
pub(crate) fn rekey_all(
    dir: &Path,
    old: Option<&crate::passphrase::Passphrase>,
    new: &crate::passphrase::Passphrase,
) -> Result<()> {
    for p in backup_files(dir) {
        let from = match crate::db::file_state(&p)? {
            crate::db::FileState::Plain => None,
            crate::db::FileState::Encrypted => old,
            crate::db::FileState::Missing => continue,
        };
        crate::db::rewrite_file(&p, from, Some(new))?;
    }
    Ok(())
}
