//! Failed unlocks: counted per identity in `<database file>.unlocks` beside the database (the
//! database cannot be written without its key), slowed down after a few, and written into the
//! audit log at the next unlock that succeeds.
//!
//! The file holds times and who was tried (`coordinator` or `profile:<id>`), never what was
//! typed. Deleting it resets the delay; it slows down a person at the keyboard, while someone
//! with a copy of the files is slowed by Argon2id instead (docs/SECURITY.md).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Code, Error, Result};

/// Tries without delay before the first wait.
const FREE: usize = 5;
/// The first wait, doubled at every further failure, and the longest.
const FIRST_WAIT_S: i64 = 30;
const MAX_WAIT_S: i64 = 15 * 60;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Failure {
    pub at: String,
    pub who: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Log {
    failures: Vec<Failure>,
}

fn path_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push(".unlocks");
    PathBuf::from(s)
}

fn read(db: &Path) -> Log {
    // A damaged log is as good as an empty one: it must never keep the owner out.
    std::fs::read(path_of(db)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn write(db: &Path, log: &Log) {
    if let Ok(bytes) = serde_json::to_vec(log) {
        // Best effort: a read-only disk must not turn a wrong passphrase into another error.
        let _ = crate::util::write_atomic(&path_of(db), &bytes);
    }
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn parse(at: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").ok()
}

/// The seconds `who` must still wait before the next try (0: may try now).
pub fn wait_seconds(db: &Path, who: &str) -> i64 {
    let log = read(db);
    let mine: Vec<&Failure> = log.failures.iter().filter(|f| f.who == who).collect();
    if mine.len() < FREE {
        return 0;
    }
    let shift = (mine.len() - FREE).min(16) as u32;
    let wait = (FIRST_WAIT_S << shift).min(MAX_WAIT_S);
    let Some(last) = mine.last().and_then(|f| parse(&f.at)) else { return 0 };
    let passed = (now() - last).num_seconds().max(0);
    (wait - passed).max(0)
}

/// Refuses at once, before any key derivation, while `who` must wait.
pub fn check(db: &Path, who: &str) -> Result<()> {
    match wait_seconds(db, who) {
        0 => Ok(()),
        s => Err(Error::invalid(Code::DbUnlockThrottled, &[("seconds", &s.to_string())])),
    }
}

/// Notes a failed try.
pub fn failed(db: &Path, who: &str) {
    let mut log = read(db);
    log.failures.push(Failure { at: now().format("%Y-%m-%d %H:%M:%S").to_string(), who: who.into() });
    // Bounded: a script hammering the screen cannot grow the file without end.
    let excess = log.failures.len().saturating_sub(1000);
    log.failures.drain(..excess);
    write(db, &log);
}

/// After `who` unlocked: their failures, taken out of the file, for the audit log.
pub fn take(db: &Path, who: &str) -> Vec<Failure> {
    let mut log = read(db);
    if log.failures.is_empty() {
        return vec![];
    }
    let (mine, rest): (Vec<Failure>, Vec<Failure>) = log.failures.drain(..).partition(|f| f.who == who);
    log.failures = rest;
    if !mine.is_empty() {
        write(db, &log);
    }
    mine
}

/// Every failure still waiting for the audit log (the coordinator's unlock takes them all:
/// captains' failures too, since only the coordinator's log sees the whole machine).
pub fn take_all(db: &Path) -> Vec<Failure> {
    let log = read(db);
    if !log.failures.is_empty() {
        write(db, &Log::default());
    }
    log.failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_free_tries_then_a_wait_that_doubles() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("outreach.db");
        for _ in 0..5 {
            check(&db, "coordinator").unwrap();
            failed(&db, "coordinator");
        }
        let w = wait_seconds(&db, "coordinator");
        assert!((25..=30).contains(&w), "{w}");
        assert_eq!(check(&db, "coordinator").unwrap_err().code(), "db.unlock_throttled");
        // Another identity is not held back by the coordinator's failures.
        check(&db, "profile:a").unwrap();
        failed(&db, "coordinator");
        assert!(wait_seconds(&db, "coordinator") > 30);
        let taken = take(&db, "coordinator");
        assert_eq!(taken.len(), 6);
        assert_eq!(wait_seconds(&db, "coordinator"), 0);
    }
}
