//! The SQLite store: one file, WAL, foreign keys on, migrations as SQL files applied in
//! one transaction after a backup of the existing file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use crate::{audit, backup, settings};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_foundation.sql"),
    include_str!("../migrations/002_topics.sql"),
    include_str!("../migrations/003_sessions.sql"),
    include_str!("../migrations/004_records.sql"),
    include_str!("../migrations/005_coverage.sql"),
    include_str!("../migrations/006_rollup.sql"),
    include_str!("../migrations/007_profiles.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    key: Option<Passphrase>,
    /// Who is working: the coordinator unless a captain profile unlocked (or switched to) it.
    access: crate::profiles::Access,
}

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
            Err(Error::invalid("db.passphrase_wrong", &[]))
        }
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(Error::invalid("backup.invalid", &[("fileName", &path.display().to_string())]))
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

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // journal_mode returns a row, so it is queried rather than updated. A database opened
    // for reading only (a read-only disk) keeps the mode it has.
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        let _: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Deleted and overwritten values are zeroed, not left in free space: a purged phone
    // number must not survive in the file's free pages or cells.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

fn user_version(conn: &Connection) -> Result<usize> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize)
}

impl Store {
    /// Opens (creating if needed) a plain database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, None)
    }

    /// Opens (creating if needed) the database file and brings its schema up to date.
    /// With a passphrase, a new file is created encrypted and a plain one is encrypted in
    /// place after a backup; an encrypted file needs its passphrase. An existing file that
    /// needs migrating is first copied into its backups folder.
    pub fn open_with(path: &Path, key: Option<&Passphrase>) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        }
        let state = file_state(path)?;
        if let (FileState::Missing | FileState::Plain, Some(k)) = (state, key) {
            // A passphrase being set must pass the strength rule.
            k.check_strength()?;
        }
        match (state, key) {
            (FileState::Encrypted, None) => return Err(Error::invalid("db.passphrase_required", &[])),
            (FileState::Plain, Some(k)) => {
                // The plain file is copied aside first, then encrypted; once that worked,
                // every backup is encrypted too, so no plain copy stays behind.
                {
                    let plain = Store::open_with(path, None)?;
                    backup::create(&plain, "pre-encrypt")?;
                }
                encrypt_file(path, k)?;
                backup::encrypt_all(&crate::paths::backups_dir(path), k)?;
            }
            _ => {}
        }
        let existed = state != FileState::Missing;
        let conn = match open_file(
            path,
            key,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => c,
            Err(e) => {
                // On a read-only disk SQLite cannot make the WAL index it needs to read: with no
                // log left to replay, the file is read as it stands — every write is then
                // refused with disk.readonly, but the data can be seen and exported.
                let wal =
                    path.with_extension(format!("{}-wal", path.extension().and_then(|x| x.to_str()).unwrap_or("")));
                let no_log = std::fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true);
                if e.code() != "disk.readonly" || !existed || !no_log {
                    return Err(e);
                }
                let c = backup::open_read_only(path, key)?;
                c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                    .map_err(|e| Error::Db(e).with_errno(&c).with_errno_of(path))?;
                c
            }
        };
        configure(&conn).map_err(|e| e.with_errno(&conn))?;
        let mut store = Store { conn, path: Some(path.to_path_buf()), key: key.cloned(), access: Default::default() };
        let version = user_version(&store.conn)?;
        if version > latest_version() {
            return Err(Error::invalid("db.newer", &[]));
        }
        if existed && version > 0 && version < latest_version() {
            backup::create(&store, &format!("pre-migrate-v{version}"))?;
        }
        store.migrate()?;
        if !store.conn.is_readonly(rusqlite::MAIN_DB)? {
            crate::photos::ensure_file_key(&store.conn)?;
            // Best effort: a file that cannot be sealed now (a full disk) is tried at the next open.
            let _ = crate::photos::seal_plain_files(&store.conn, &crate::photos::dir(path));
        }
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Store { conn, path: None, key: None, access: Default::default() };
        store.migrate()?;
        crate::photos::ensure_file_key(&store.conn)?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        migrations().to_latest(&mut self.conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => Error::Db(err),
            other => Error::Internal(other.to_string()),
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    pub(crate) fn key(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// Who is working with the store (set on unlock and switch; the coordinator by default).
    pub fn access(&self) -> &crate::profiles::Access {
        &self.access
    }

    pub(crate) fn set_access(&mut self, access: crate::profiles::Access) {
        self.access = access;
    }

    /// Changes the passphrase (or sets one on a plain database): the live file and every
    /// backup are re-keyed. The database is reopened on the new key.
    /// Every captain's key slot is re-encrypted to the new passphrase. Coordinator only.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        self.require_coordinator("更换数据库口令")?;
        let path = self.path.clone().ok_or_else(|| Error::Internal("in-memory database has no passphrase".into()))?;
        let old = self.key.clone();
        if old.as_ref().is_some_and(|o| o.expose() == new.expose()) {
            return Ok(());
        }
        new.check_strength()?;
        backup::create(self, "pre-rekey")?;
        // Close the live connection so the file can be rewritten under it.
        let placeholder = Connection::open_in_memory()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let rewritten = rewrite_file(&path, old.as_ref(), Some(new));
        let key = if rewritten.is_ok() { Some(new) } else { old.as_ref() };
        self.conn = open_file(&path, key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        configure(&self.conn)?;
        rewritten?;
        self.key = Some(new.clone());
        // The captains' slots hold the database passphrase: re-encrypted to each recipient
        // here, so no caller can forget it.
        crate::profiles::rekey_slots(&path, new)?;
        backup::rekey_all(&crate::paths::backups_dir(&path), old.as_ref(), new)?;
        self.audit("passphrase", "", "数据库口令已更换，备份已同步重新加密")?;
        Ok(())
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` in one transaction: everything or nothing. A database on a read-only disk
    /// is refused before anything runs; a disk that fills up mid-way rolls it all back.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.writable()?;
        let r = (|| -> Result<T> {
            let tx = self.conn.transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        r.map_err(|e: Error| e.with_errno(&self.conn))
    }

    /// Refuses with `disk.readonly` when SQLite could open the file only for reading (a
    /// read-only disk or file): better said before a long import than at its commit.
    pub fn writable(&self) -> Result<()> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::Db(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                None,
            )));
        }
        Ok(())
    }

    /// Runs `f` in a transaction that is always rolled back: a preview of what a write would do.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx);
        tx.rollback()?;
        out
    }

    /// The folder holding the database file (photos live beside it).
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.path.as_ref().and_then(|p| p.parent()).map(Path::to_path_buf)
    }

    pub fn operator(&self) -> String {
        settings::get(&self.conn).map(|s| s.operator_name).unwrap_or_default()
    }

    /// Writes one audit entry in its own transaction.
    pub fn audit(&mut self, action: &str, target: &str, detail: &str) -> Result<()> {
        let operator = self.operator();
        self.write(|tx| audit::record(tx, &operator, action, target, detail))
    }

    /// True when the database holds no organisation units yet (first run).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM units)", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<usize> {
        user_version(&self.conn)
    }

    /// After a restore the schema may be older than this program: migrate it like a fresh open.
    pub(crate) fn reopen_after_restore(&mut self) -> Result<()> {
        configure(&self.conn)?;
        self.migrate()?;
        crate::photos::ensure_file_key(&self.conn)
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
