//! The SQLite store: one file, WAL, foreign keys on, migrations as SQL files applied in
//! one transaction after a backup of the existing file.

use crate::error::Code;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{Migrations, M};

use crate::dbfile::{self, open_file, user_version};
pub use crate::dbfile::{encrypt_file, file_state, rewrite_file, FileState};
use crate::error::{Error, Result};
pub use crate::keyfile::check as check_passphrase;
use crate::passphrase::Passphrase;
use crate::{audit, settings};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_foundation.sql"),
    include_str!("../migrations/002_topics.sql"),
    include_str!("../migrations/003_sessions.sql"),
    include_str!("../migrations/004_records.sql"),
    include_str!("../migrations/005_coverage.sql"),
    include_str!("../migrations/006_rollup.sql"),
    include_str!("../migrations/007_profiles.sql"),
    include_str!("../migrations/008_audit_params.sql"),
    include_str!("../migrations/009_reach_rule.sql"),
    include_str!("../migrations/010_incidents.sql"),
    include_str!("../migrations/011_profile_db.sql"),
    include_str!("../migrations/012_identity.sql"),
    include_str!("../migrations/013_audit_actor.sql"),
    include_str!("../migrations/014_bundle_checks.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Brings a connection's schema to this program's (a restore prepares its copy with it).
pub(crate) fn migrate_conn(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::Db(err),
        other => Error::Internal(other.to_string()),
    })
}

pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The data key the files are encrypted with (SQLCipher's raw key), if encrypted.
    key: Option<Passphrase>,
    /// The key file's ring, when this store was unlocked with the passphrase (not with the
    /// data key the OS keychain keeps): what changing the passphrase re-wraps.
    ring: Option<crate::keyfile::Ring>,
    /// Who is working: the coordinator unless a captain profile unlocked (or switched to) it.
    access: crate::access::Access,
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
    // Pages stay decrypted in memory once read: with SQLite's default 2 MB, a list over a
    // city's 100,000 follow-up cases decrypted most of its pages again at every page turn.
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    Ok(())
}

/// The page cache, in KiB (negative: a size, not a page count): 64 MB at most, taken only as
/// pages are read.
pub(crate) const CACHE_KIB: i64 = -65_536;

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
        if let (FileState::Encrypted, None) = (state, key) {
            return Err(Error::invalid(Code::DbPassphraseRequired, &[]));
        }
        // The passphrase unwraps the data key (or makes one); the files are opened with that.
        let (key, ring) = match key {
            Some(k) => {
                let (data, ring) = crate::keyfile::resolve(path, state, k)?;
                (Some(data), ring)
            }
            None => (None, None),
        };
        let key = key.as_ref();
        if let (FileState::Plain, Some(k)) = (state, key) {
            // The plain file is copied aside first, then encrypted; once that worked,
            // every backup is encrypted too, so no plain copy stays behind.
            {
                let plain = Store::open_with(path, None)?;
                dbfile::snapshot(&plain.conn, None, &crate::paths::backups_dir(path), "pre-encrypt")?;
            }
            encrypt_file(path, k)?;
            dbfile::encrypt_all(&crate::paths::backups_dir(path), k)?;
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
                let c = dbfile::open_read_only(path, key)?;
                c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                    .map_err(|e| Error::Db(e).with_errno(&c).with_errno_of(path))?;
                c
            }
        };
        configure(&conn).map_err(|e| e.with_errno(&conn))?;
        let mut store =
            Store { conn, path: Some(path.to_path_buf()), key: key.cloned(), ring, access: Default::default() };
        let version = user_version(&store.conn)?;
        if version > latest_version() {
            return Err(Error::invalid(Code::DbNewer, &[]));
        }
        if existed && version > 0 && version < latest_version() {
            dbfile::snapshot(&store.conn, key, &crate::paths::backups_dir(path), &format!("pre-migrate-v{version}"))?;
        }
        store.migrate()?;
        if !existed {
            crate::settings::mark_scrubbed(&store.conn)?;
        }
        if !store.conn.is_readonly(rusqlite::MAIN_DB)? {
            if key.is_some() {
                store.record_failed_unlocks(path)?;
            }
            crate::photos::ensure_file_key(&store.conn)?;
            // Best effort: a file that cannot be sealed now (a full disk) is tried at the next open.
            let _ = crate::photos::seal_plain_files(&store.conn, &crate::photos::dir(path));
        }
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        configure(&conn)?;
        let mut store = Store { conn, path: None, key: None, ring: None, access: Default::default() };
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
    pub fn access(&self) -> &crate::access::Access {
        &self.access
    }

    pub(crate) fn set_access(&mut self, access: crate::access::Access) {
        self.access = access;
    }

    /// Sets a passphrase on a plain database (a data key is made, the file and every backup
    /// encrypted with it) or changes it: the key file is re-wrapped, nothing else rewritten —
    /// the database and its backups keep their data key. Coordinator only; a store unlocked
    /// with the keychain's data key has no ring in hand, so [`Store::confirm_passphrase`] first.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        self.authorize(crate::access::Action::PassphraseChange)?;
        let path = self.path.clone().ok_or_else(|| Error::Internal("in-memory database has no passphrase".into()))?;
        new.check_strength()?;
        if self.key.is_none() {
            let ring = crate::keyfile::Ring::new(crate::keyfile::random_key());
            let data = ring.current();
            dbfile::snapshot(&self.conn, None, &crate::paths::backups_dir(&path), "pre-encrypt")?;
            crate::keyfile::write(&path, new, &ring)?;
            // Close the live connection so the file can be rewritten under it.
            let placeholder = Connection::open_in_memory()?;
            drop(std::mem::replace(&mut self.conn, placeholder));
            let rewritten = rewrite_file(&path, None, Some(&data));
            let key = if rewritten.is_ok() { Some(&data) } else { None };
            self.conn = open_file(&path, key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            configure(&self.conn)?;
            rewritten?;
            dbfile::encrypt_all(&crate::paths::backups_dir(&path), &data)?;
            self.key = Some(data);
            self.ring = Some(ring);
            return self.audit("passphrase", "", audit::Note::new("passphrase.encrypted"));
        }
        let ring = self.ring.clone().ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
        crate::keyfile::write(&path, new, &ring)?;
        self.audit("passphrase", "", audit::Note::new("passphrase.changed"))
    }

    /// Checks the coordinator's passphrase against the key file (a failure counted as a failed
    /// unlock) and keeps the ring it unwraps for a change of passphrase or a re-key.
    pub fn confirm_passphrase(&mut self, passphrase: &Passphrase) -> Result<()> {
        let path = self.path.clone().ok_or_else(|| Error::Internal("in-memory database has no passphrase".into()))?;
        let state = file_state(&path)?;
        let (data, ring) = crate::keyfile::resolve(&path, state, passphrase)?;
        if self.key.as_ref().map(|k| k.expose()) != Some(data.expose()) {
            return Err(Error::invalid(Code::DbPassphraseWrong, &[]));
        }
        self.ring = ring;
        Ok(())
    }

    /// Moves the database and every backup to a new data key (after a key may have leaked):
    /// journalled in the key file's ring, so a crash at any moment leaves every file openable
    /// with the old key or the new one, and the next unlock finishes the move. Coordinator only.
    pub fn rekey_data(&mut self, passphrase: &Passphrase) -> Result<()> {
        self.authorize(crate::access::Action::PassphraseChange)?;
        let path = self.path.clone().ok_or_else(|| Error::Internal("in-memory database has no passphrase".into()))?;
        if self.key.is_none() {
            return Err(Error::invalid(Code::DbPassphraseRequired, &[]));
        }
        self.confirm_passphrase(passphrase)?;
        let mut ring = self.ring.clone().ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
        dbfile::snapshot(&self.conn, self.key.as_ref(), &crate::paths::backups_dir(&path), "pre-rekey")?;
        ring.begin(&crate::keyfile::random_key());
        crate::keyfile::write(&path, passphrase, &ring)?;
        let placeholder = Connection::open_in_memory()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let settled = crate::keyfile::settle(&path, passphrase, ring);
        // Whatever happened, the live file opens with a key of the ring on disk (read back
        // only when the move stopped half-way).
        let on_disk = match &settled {
            Ok(ring) => ring.clone(),
            Err(_) => crate::keyfile::unwrap(&path, passphrase)?,
        };
        let live = on_disk
            .keys()
            .into_iter()
            .find(|k| dbfile::check_passphrase(&path, k).is_ok())
            .ok_or_else(|| Error::invalid(Code::DbKeyFileInvalid, &[]))?;
        self.conn = open_file(&path, Some(&live), OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        configure(&self.conn)?;
        self.key = Some(live);
        self.ring = Some(on_disk);
        settled?;
        self.audit("passphrase", "", audit::Note::new("passphrase.rekeyed"))
    }

    /// Keeps the passphrase this store was opened with in the OS keychain, as the
    /// coordinator's (the caller checks that the coordinator is working). A plain database has
    /// none to keep.
    pub fn remember_key_in_keychain(&self) -> Result<()> {
        let (Some(path), Some(key)) = (self.path(), self.key()) else {
            return Err(Error::invalid(Code::KeychainPlain, &[]));
        };
        crate::keychain::remember(path, None, key)
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

    /// Who is acting, as the audit log, a session's history and a record name them: the
    /// operator's name from the settings and, for a captain, the profile the database is unlocked
    /// as — so an entry says who, even on a laptop where nobody set a name.
    pub fn operator(&self) -> String {
        let name = settings::get(&self.conn).map(|s| s.operator_name.trim().to_string()).unwrap_or_default();
        let access = self.access();
        match (access.is_coordinator(), name.is_empty()) {
            (true, _) => name,
            (false, true) => access.label.clone(),
            (false, false) => format!("{name}（{}）", access.label),
        }
    }

    /// The identity the database is unlocked as, as the audit log names it: `coordinator` or
    /// `profile:<id>` (the operator name beside it is free text anyone may set).
    pub fn actor(&self) -> String {
        self.access.actor()
    }

    /// Writes one audit entry in its own transaction.
    pub fn audit(&mut self, action: &str, target: &str, note: audit::Note) -> Result<()> {
        let (operator, actor) = (self.operator(), self.actor());
        self.write(|tx| audit::record(tx, &operator, &actor, action, target, &note))
    }

    /// The failed unlocks noted beside the file since the last unlock (the coordinator's and,
    /// since their slots are beside it, the captains'): one audit entry per identity.
    fn record_failed_unlocks(&mut self, path: &Path) -> Result<()> {
        let failures = crate::unlocks::take_all(path);
        let mut by_who: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for f in failures {
            by_who.entry(f.who).or_default().push(f.at);
        }
        for (who, times) in by_who {
            let label = match who.strip_prefix("profile:") {
                Some(id) => self
                    .conn
                    .query_row("SELECT label FROM profiles WHERE id = ?1", [id], |r| r.get::<_, String>(0))
                    .unwrap_or_else(|_| id.to_string()),
                None => crate::access::COORDINATOR_LABEL.to_string(),
            };
            let note = audit::Note::new("unlock.failed")
                .with("who", &label)
                .with("count", times.len())
                .with("first", times.first().cloned().unwrap_or_default())
                .with("last", times.last().cloned().unwrap_or_default());
            self.audit("unlock", &who, note)?;
        }
        Ok(())
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
