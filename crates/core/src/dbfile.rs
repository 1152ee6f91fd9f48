//! The database's files, below the open store: telling a plain file from an encrypted one,
//! opening one with its key, rewriting it under another key, and the copies in the backups
//! folder (made from a connection, listed, rotated, re-keyed). `db` (the store) and `backup`
//! (the user's backups of the store) both stand on this, so neither needs the other's inside.

use crate::error::Code;
use std::path::{Path, PathBuf};

use rusqlite::backup::StepResult;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;

const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How a database file is stored: missing (or empty), plain SQLite, or encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Missing,
    Plain,
    Encrypted,
}

pub fn file_state(path: &Path) -> Result<FileState> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(Error::io(path.display().to_string(), e)),
    };
    let mut head = [0u8; 16];
    let n = f.read(&mut head).map_err(|e| Error::io(path.display().to_string(), e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    Ok(match n {
        0 => FileState::Missing,
        16 if &head == PLAIN_HEADER => FileState::Plain,
        // An encrypted database is whole pages of random-looking bytes; anything else is
        // left to SQLite, which refuses it as "not a database".
        _ if len >= 512 && len % 512 == 0 => FileState::Encrypted,
        _ => FileState::Plain,
    })
}

/// Opens a database file with the key (if any) and proves the key right by reading it. A
/// wrong key fails here with a clear code, before anything is written.
pub(crate) fn open_file(path: &Path, key: Option<&Passphrase>, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Db(e).with_errno_of(path))?;
    // SQLCipher logs a failed page check to stderr; a wrong passphrase is reported by code.
    let _ = conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    if let Some(k) = key {
        conn.pragma_update(None, "key", k.expose())?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => Ok(conn),
        Err(e) if key.is_some() && e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(Error::invalid(Code::DbPassphraseWrong, &[]))
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(Error::invalid(Code::BackupInvalid, &[("fileName", &path.display().to_string())]))
        }
        // A disk that cannot be read or written says so.
        Err(e) => Err(Error::Db(e).with_errno(&conn).with_errno_of(path)),
    }
}

/// Whether `key` opens the database file (without changing it).
pub fn check_passphrase(path: &Path, key: &Passphrase) -> Result<()> {
    open_file(path, Some(key), OpenFlags::SQLITE_OPEN_READ_ONLY).map(|_| ())
}

/// Rewrites a plain database file encrypted with `key`, in place: written beside it, synced,
/// then renamed over it, so a crash leaves either the old file or the new one.
pub fn encrypt_file(path: &Path, key: &Passphrase) -> Result<()> {
    rewrite_file(path, None, Some(key))
}

/// Rewrites a database file from one key (or none) to another (or none), in place.
pub fn rewrite_file(path: &Path, from: Option<&Passphrase>, to: Option<&Passphrase>) -> Result<()> {
    let tmp = path.with_extension("rewrite");
    let _ = std::fs::remove_file(&tmp);
    {
        // ATTACH creates the new file under the opening connection's flags.
        let src = open_file(path, from, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
        let _: (i64, i64, i64) =
            src.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        src.execute(
            "ATTACH DATABASE ?1 AS dest KEY ?2",
            rusqlite::params![tmp.display().to_string(), to.map(|k| k.expose()).unwrap_or("")],
        )?;
        // The new file is a temporary one, synced once at the end and renamed into place: a
        // crash before the rename leaves the old file, so no journal and no sync per table
        // (with them a 1 MB database took seconds: hundreds of fsyncs).
        let _: String = src.query_row("PRAGMA dest.journal_mode = OFF", [], |r| r.get(0))?;
        src.execute_batch("PRAGMA dest.synchronous = OFF")?;
        src.query_row("SELECT sqlcipher_export('dest')", [], |_| Ok(()))?;
        let v = user_version(&src)?;
        src.execute_batch(&format!("PRAGMA dest.user_version = {v}; DETACH DATABASE dest;"))?;
    }
    let f = std::fs::File::open(&tmp).map_err(|e| Error::io(tmp.display().to_string(), e))?;
    f.sync_all().map_err(|e| Error::io(tmp.display().to_string(), e))?;
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display().to_string(), e))?;
    Ok(())
}

pub(crate) fn user_version(conn: &Connection) -> Result<usize> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize)
}

// ---------------------------------------------------------------- backup copies

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
    /// The audit log's last hash when the copy was made (from its header file; none for a
    /// backup made before backups had one): `outreach audit verify --anchor` checks it.
    pub audit_head: Option<String>,
}

/// The header kept beside a backup, `<backup>.json`: when and why it was made, its schema and
/// the audit chain's head at that moment — an anchor outside the database, so a log later cut
/// or rewritten back to before it shows (`audit::verify_anchor`). Plain JSON: it holds no data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupHeader {
    pub created_at: String,
    pub reason: String,
    pub schema: usize,
    pub audit_head: Option<String>,
}

/// The header file of a backup.
pub fn header_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// A backup's header, if it has one that reads.
pub fn read_header(backup: &Path) -> Option<BackupHeader> {
    serde_json::from_slice(&std::fs::read(header_path(backup)).ok()?).ok()
}

/// Removes a backup and its header.
pub(crate) fn remove_backup(path: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_file(header_path(path));
    std::fs::remove_file(path)
}

pub(crate) fn info(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?.to_string();
    let stem = name.strip_prefix("outreach-")?.strip_suffix(".db")?;
    // outreach-20261122-031500123-reason.db
    let mut parts = stem.splitn(3, '-');
    let (d, t, reason) = (parts.next()?, parts.next()?, parts.next()?);
    // Any file in the folder may be read here: the name is parsed, never cut at byte offsets.
    let at = chrono::NaiveDateTime::parse_from_str(&format!("{d}{t}"), "%Y%m%d%H%M%S%3f").ok()?;
    if d.len() != 8 || t.len() != 9 {
        return None;
    }
    let created_at = at.format("%Y-%m-%d %H:%M:%S").to_string();
    let reason = reason.to_string();
    let size_bytes = std::fs::metadata(path).ok()?.len();
    let audit_head = read_header(path).and_then(|h| h.audit_head);
    Some(BackupInfo { file_name: name.clone(), created_at, reason, size_bytes, audit_head })
}

/// The copies in a backups folder, newest first.
pub(crate) fn list_dir(dir: &Path) -> Result<Vec<BackupInfo>> {
    let mut out: Vec<BackupInfo> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).filter_map(|e| info(&e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(dir.display().to_string(), e)),
    };
    out.sort_by(|a, b| b.file_name.cmp(&a.file_name));
    Ok(out)
}

/// Copies the live database into the backups folder. Local time in the name: it is what
/// the user reads in the list.
pub(crate) fn snapshot(conn: &Connection, key: Option<&Passphrase>, dir: &Path, reason: &str) -> Result<BackupInfo> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%3f");
    let path = dir.join(format!("outreach-{stamp}-{reason}.db"));
    let tmp = path.with_extension("part");
    let head_path = header_path(&path);
    let head_tmp = head_path.with_extension("part");
    // A half-written copy never stays behind to eat the space that was missing; nor does a
    // copy without its header.
    let written = copy_into(conn, key, &tmp).and_then(|(schema, audit_head)| {
        let header = BackupHeader {
            created_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            reason: reason.to_string(),
            schema,
            audit_head,
        };
        let json = serde_json::to_vec_pretty(&header).map_err(|e| Error::Internal(e.to_string()))?;
        std::fs::write(&head_tmp, json).map_err(|e| Error::io(head_tmp.display().to_string(), e))
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(&head_tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))?;
    std::fs::rename(&head_tmp, &head_path).map_err(|e| Error::io(head_path.display().to_string(), e))?;
    rotate(dir)?;
    info(&path).ok_or_else(|| Error::Internal("backup name".into()))
}

/// Copies the live database into `tmp` with the online backup API. The file is made by
/// us first so a read-only or full folder gives its own error, not SQLite's "cannot open".
/// Returns the copy's schema version and audit head, read from the copy itself: the live
/// database may have moved on meanwhile.
fn copy_into(conn: &Connection, key: Option<&Passphrase>, tmp: &Path) -> Result<(usize, Option<String>)> {
    std::fs::File::create(tmp).map_err(|e| Error::io(tmp.display().to_string(), e))?;
    let mut dst = Connection::open(tmp)?;
    let r = (|| -> Result<(usize, Option<String>)> {
        // The copy carries the live database's key: an encrypted store has encrypted backups.
        if let Some(k) = key {
            dst.pragma_update(None, "key", k.expose())?;
        }
        {
            // Every page in one step: one read transaction, so the copy is one moment's state
            // even when another connection writes meanwhile (in steps, each write by another
            // connection would restart the copy).
            let b = rusqlite::backup::Backup::new(conn, &mut dst)?;
            loop {
                match b.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Another connection holds a lock for a moment (a checkpoint): try again.
                    _ => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        }
        // The copy carries the live file's WAL flag; a backup is a plain file that is read
        // on its own, so it is made one.
        let _: String = dst.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
        // A copy whose log cannot be read still is a copy: it goes without an anchor.
        Ok((user_version(&dst)?, crate::audit::head(&dst).ok().flatten()))
    })();
    r.map_err(|e| e.with_errno(&dst))
}

/// Opens a backup for reading only, without taking locks or making -wal and -shm files
/// beside it (a backup is never written while it is read).
pub(crate) fn open_read_only(path: &Path, key: Option<&Passphrase>) -> Result<Connection> {
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

fn rotate(dir: &Path) -> Result<()> {
    let all = list_dir(dir)?;
    let (auto, other): (Vec<_>, Vec<_>) = all.into_iter().partition(|b| b.reason == "auto");
    for b in auto.iter().skip(KEEP_AUTO).chain(other.iter().skip(KEEP_OTHER)) {
        let _ = remove_backup(&dir.join(&b.file_name));
    }
    Ok(())
}

pub(crate) fn backup_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| info(p).is_some()).collect())
        .unwrap_or_default()
}

/// Encrypts every plain backup in `dir` with `key` (after the live database was encrypted).
pub(crate) fn encrypt_all(dir: &Path, key: &Passphrase) -> Result<()> {
    for p in backup_files(dir) {
        if file_state(&p)? == FileState::Plain {
            encrypt_file(&p, key)?;
        }
    }
    Ok(())
}
