//! The SQLite store: one file, WAL, foreign keys on, migrations as SQL files applied in
//! one transaction after a backup of the existing file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::{audit, backup, settings};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_foundation.sql"),
    include_str!("../migrations/002_topics.sql"),
    include_str!("../migrations/003_sessions.sql"),
    include_str!("../migrations/004_records.sql"),
    include_str!("../migrations/005_coverage.sql"),
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
    /// Opens (creating if needed) the database file and brings its schema up to date.
    /// An existing file that needs migrating is first copied into its backups folder.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        }
        let existed = path.exists() && std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Db(e).with_errno_of(path))?;
        // A file that is not a database fails here with a clear code instead of later; a
        // disk that cannot be written says so.
        let probe = |conn: &Connection| {
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => Error::invalid("backup.invalid", &[("fileName", &path.display().to_string())]),
                _ => Error::Db(e).with_errno(conn).with_errno_of(path),
            })
        };
        if let Err(e) = probe(&conn) {
            // On a read-only disk SQLite cannot make the WAL index it needs to read: with no
            // log left to replay, the file is read as it stands — every write is then
            // refused with disk.readonly, but the data can be seen and exported.
            let wal = path.with_extension(format!("{}-wal", path.extension().and_then(|x| x.to_str()).unwrap_or("")));
            let no_log = std::fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true);
            if e.code() != "disk.readonly" || !existed || !no_log {
                return Err(e);
            }
            conn = backup::open_read_only(path)?;
            probe(&conn)?;
        }
        configure(&conn).map_err(|e| e.with_errno(&conn))?;
        let mut store = Store { conn, path: Some(path.to_path_buf()) };
        let version = user_version(&store.conn)?;
        if version > latest_version() {
            return Err(Error::invalid("db.newer", &[]));
        }
        if existed && version > 0 && version < latest_version() {
            backup::create(&store, &format!("pre-migrate-v{version}"))?;
        }
        store.migrate()?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Store { conn, path: None };
        store.migrate()?;
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
            return Err(Error::Db(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY), None)));
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
        self.migrate()
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
