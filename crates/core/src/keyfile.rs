//! The database's key, and the file that holds it: `<database file>.key`.
//!
//! The database and its backups are encrypted with a random 256-bit **data key** used as
//! SQLCipher's raw key (`x'…'`: no key derivation at open). The key file holds the data key
//! wrapped by the coordinator's passphrase: Argon2id (64 MiB, 3 passes) turns the passphrase
//! into a key-encryption key, and ChaCha20-Poly1305 seals the **ring** with it. Changing the
//! passphrase re-wraps the ring; neither the database nor a backup is rewritten.
//!
//! The ring is the journal of a re-key: `current` opens the files, `next` is a key being
//! moved to, `old` are keys some file may still need (a backup not yet rewritten, or a
//! database from before data keys, whose passphrase was its key). A re-key writes `next`
//! into the file *before* it rewrites anything, so a crash at any moment leaves every file
//! openable with a key of the ring; a key leaves the ring only once no file needs it.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use serde::{Deserialize, Serialize};

use crate::dbfile::{file_state, FileState};
use crate::error::{Code, Error, Result};
use crate::passphrase::{Passphrase, Zeroizing};

/// Argon2id's memory in KiB, passes and lanes: OWASP's first choice for Argon2id is 46 MiB,
/// 1 pass; this is more, and still a fraction of a second on an office laptop.
const M_KIB: u32 = 64 * 1024;
const T: u32 = 3;
const P: u32 = 1;
/// The most a key file may ask for when read (a tampered file must not tie the machine up).
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T: u32 = 10;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kdf {
    alg: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    version: u32,
    kdf: Kdf,
    /// nonce (12 bytes) ‖ ChaCha20-Poly1305(ring JSON), base64.
    wrapped: String,
}

/// The keys of the database's files (each as SQLCipher's key text), wiped on drop.
#[derive(Clone, Serialize, Deserialize)]
pub struct Ring {
    current: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    old: Vec<String>,
}

impl Drop for Ring {
    fn drop(&mut self) {
        drop(Zeroizing::new(std::mem::take(&mut self.current)));
        if let Some(n) = self.next.take() {
            drop(Zeroizing::new(n));
        }
        for o in self.old.drain(..) {
            drop(Zeroizing::new(o));
        }
    }
}

impl std::fmt::Debug for Ring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ring(current, next: {}, old: {})", self.next.is_some(), self.old.len())
    }
}

/// A fresh random data key as SQLCipher's raw-key text.
pub(crate) fn random_key() -> Passphrase {
    let key = ChaCha20Poly1305::generate_key(&mut OsRng);
    let text = Zeroizing::new(format!("x'{}'", hex::encode_upper(key)));
    Passphrase::new(text.as_str())
}

/// Whether a key text is a raw data key (`x'` and 64 hex digits) rather than a passphrase.
pub fn is_raw(key: &Passphrase) -> bool {
    let k = key.expose();
    k.len() == 67 && k.starts_with("x'") && k.ends_with('\'') && k[2..66].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Ring {
    pub(crate) fn new(current: Passphrase) -> Ring {
        Ring { current: current.expose().to_string(), next: None, old: vec![] }
    }

    pub(crate) fn current(&self) -> Passphrase {
        Passphrase::new(self.current.as_str())
    }

    pub(crate) fn next(&self) -> Option<Passphrase> {
        self.next.as_deref().map(Passphrase::new)
    }

    /// Every key of the ring, in the order a file is tried with them.
    pub(crate) fn keys(&self) -> Vec<Passphrase> {
        std::iter::once(&self.current).chain(&self.next).chain(&self.old).map(|k| Passphrase::new(k.as_str())).collect()
    }

    /// Starts a move to `next` (written to the file before any file is rewritten).
    pub(crate) fn begin(&mut self, next: &Passphrase) {
        self.next = Some(next.expose().to_string());
    }

    /// The live database is on `next`: it becomes current, the former current joins `old`.
    pub(crate) fn promote(&mut self) {
        if let Some(n) = self.next.take() {
            let prev = std::mem::replace(&mut self.current, n);
            if !self.old.contains(&prev) {
                self.old.push(prev);
            }
        }
    }

    /// Keeps only the old keys some file still needs.
    pub(crate) fn retain_old(&mut self, needed: impl Fn(&str) -> bool) {
        self.old.retain(|k| needed(k));
    }

    pub(crate) fn old_count(&self) -> usize {
        self.old.len()
    }

    pub(crate) fn in_progress(&self) -> bool {
        self.next.is_some() || !self.old.is_empty()
    }
}

/// `<database file>.key`.
pub fn path_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push(".key");
    PathBuf::from(s)
}

pub fn exists(db: &Path) -> bool {
    path_of(db).exists()
}

fn invalid() -> Error {
    Error::invalid(Code::DbKeyFileInvalid, &[])
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn kek(passphrase: &Passphrase, kdf: &Kdf) -> Result<Zeroizing<[u8; 32]>> {
    if kdf.alg != "argon2id" || kdf.m_kib > MAX_M_KIB || kdf.t > MAX_T || kdf.p == 0 || kdf.p > 8 {
        return Err(invalid());
    }
    let salt = b64().decode(&kdf.salt).map_err(|_| invalid())?;
    let params = Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32)).map_err(|_| invalid())?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.expose().as_bytes(), &salt, out.as_mut())
        .map_err(|_| invalid())?;
    Ok(out)
}

/// Unwraps the ring with the passphrase. A wrong passphrase fails the seal's check:
/// `db.passphrase_wrong`, nothing written.
pub(crate) fn unwrap(db: &Path, passphrase: &Passphrase) -> Result<Ring> {
    let path = path_of(db);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
    let file: File = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if file.version != 1 {
        return Err(invalid());
    }
    let key = kek(passphrase, &file.kdf)?;
    let sealed = b64().decode(&file.wrapped).map_err(|_| invalid())?;
    if sealed.len() < 12 + 16 {
        return Err(invalid());
    }
    let (nonce, ct) = sealed.split_at(12);
    let cipher = ChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|_| invalid())?;
    let plain = Zeroizing::new(
        cipher.decrypt(Nonce::from_slice(nonce), ct).map_err(|_| Error::invalid(Code::DbPassphraseWrong, &[]))?,
    );
    serde_json::from_slice(&plain).map_err(|_| invalid())
}

/// The data key the coordinator's passphrase unwraps (what opens the database and its
/// backups) — for tests that check which keys open which files, and for nothing else.
pub fn data_key(db: &Path, passphrase: &Passphrase) -> Result<Passphrase> {
    Ok(unwrap(db, passphrase)?.current())
}

/// Every key of the ring the passphrase unwraps: what the re-key crash harness checks each
/// file against (every file must open with one of them).
pub fn ring_keys(db: &Path, passphrase: &Passphrase) -> Result<Vec<Passphrase>> {
    Ok(unwrap(db, passphrase)?.keys())
}

/// Wraps the ring with the passphrase (a fresh salt) and writes the file atomically: beside
/// it, synced, renamed over it, the folder synced — a crash leaves the old file or the new.
pub(crate) fn write(db: &Path, passphrase: &Passphrase, ring: &Ring) -> Result<()> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    // A passphrase made with a lowered work factor (tests only, as for age's scrypt) gets a
    // cheap Argon2id too.
    let test = passphrase.work_factor() < crate::passphrase::WORK_FACTOR;
    let kdf = Kdf {
        alg: "argon2id".into(),
        m_kib: if test { 1024 } else { M_KIB },
        t: if test { 1 } else { T },
        p: P,
        salt: b64().encode(salt),
    };
    let key = kek(passphrase, &kdf)?;
    let cipher = ChaCha20Poly1305::new_from_slice(key.as_ref()).map_err(|_| invalid())?;
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let plain = Zeroizing::new(serde_json::to_vec(ring).map_err(|e| Error::Internal(e.to_string()))?);
    let ct = cipher.encrypt(&nonce, plain.as_slice()).map_err(|_| Error::Internal("key wrap".into()))?;
    let mut sealed = nonce.to_vec();
    sealed.extend_from_slice(&ct);
    let file = File { version: 1, kdf, wrapped: b64().encode(sealed) };
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Internal(e.to_string()))?;
    crate::util::write_atomic(&path_of(db), &bytes)
}

// ---------------------------------------------------------------- the files and the ring

fn opens(file: &Path, key: &Passphrase) -> bool {
    crate::dbfile::check_passphrase(file, key).is_ok()
}

fn wrong_passphrase(db: &Path, who: &str, e: Error) -> Error {
    if e.code() == "db.passphrase_wrong" {
        crate::unlocks::failed(db, who);
    }
    e
}

/// The data key that opens the database at `db` for what the user gave: a raw key (the OS
/// keychain keeps the data key) is used as it is; a passphrase unwraps the key file, or makes
/// one for a new or plain file, or — for a database from before data keys, whose passphrase
/// was its key — moves the file and its backups to a new data key (journalled in the ring).
/// Failed passphrases are counted and slowed down ([`crate::unlocks`]).
pub(crate) fn resolve(db: &Path, state: FileState, given: &Passphrase) -> Result<(Passphrase, Option<Ring>)> {
    if is_raw(given) {
        return Ok((given.clone(), None));
    }
    const WHO: &str = "coordinator";
    crate::unlocks::check(db, WHO)?;
    if exists(db) {
        let ring = unwrap(db, given).map_err(|e| wrong_passphrase(db, WHO, e))?;
        let ring = settle(db, given, ring)?;
        return Ok((ring.current(), Some(ring)));
    }
    match state {
        FileState::Missing | FileState::Plain => {
            given.check_strength()?;
            let ring = Ring::new(random_key());
            write(db, given, &ring)?;
            Ok((ring.current(), Some(ring)))
        }
        FileState::Encrypted => {
            crate::dbfile::check_passphrase(db, given).map_err(|e| wrong_passphrase(db, WHO, e))?;
            let mut ring = Ring::new(given.clone());
            ring.begin(&random_key());
            write(db, given, &ring)?;
            let ring = settle(db, given, ring)?;
            // The captains' slots of that time hold this passphrase: void. Their profiles ask
            // the coordinator for a new passphrase (and get databases of their own).
            let _ = std::fs::remove_file(crate::keyslots::keys_path(db));
            Ok((ring.current(), Some(ring)))
        }
    }
}

/// Whether `given` (a passphrase, or the data key) is the coordinator's, without opening the
/// store; a wrong passphrase is counted as a failed unlock.
pub fn check(db: &Path, given: &Passphrase) -> Result<()> {
    const WHO: &str = "coordinator";
    if is_raw(given) {
        return crate::dbfile::check_passphrase(db, given);
    }
    crate::unlocks::check(db, WHO)?;
    let r = if exists(db) { unwrap(db, given).map(|_| ()) } else { crate::dbfile::check_passphrase(db, given) };
    r.map_err(|e| wrong_passphrase(db, WHO, e))
}

/// Finishes whatever move the ring records: the live file onto `next` (then current), every
/// backup onto the current key, and the old keys dropped once no file needs them. Each file
/// is rewritten beside itself and renamed over, and the ring is written before and after, so
/// a crash anywhere leaves every file openable with a key of the ring. A backup that opens
/// with no key of the ring is left as it is — never deleted.
pub(crate) fn settle(db: &Path, passphrase: &Passphrase, mut ring: Ring) -> Result<Ring> {
    if !ring.in_progress() {
        return Ok(ring);
    }
    if let Some(next) = ring.next() {
        if file_state(db)? == FileState::Encrypted {
            let keys = ring.keys();
            let live = keys.iter().find(|k| opens(db, k)).ok_or_else(invalid)?;
            if live.expose() != next.expose() {
                crate::dbfile::rewrite_file(db, Some(live), Some(&next))?;
            }
        }
        ring.promote();
        write(db, passphrase, &ring)?;
    }
    let current = ring.current();
    let mut needed: Vec<String> = vec![];
    for b in crate::dbfile::backup_files(&crate::paths::backups_dir(db)) {
        if file_state(&b)? != FileState::Encrypted || opens(&b, &current) {
            continue;
        }
        let Some(k) = ring.keys().into_iter().find(|k| opens(&b, k)) else { continue };
        if crate::dbfile::rewrite_file(&b, Some(&k), Some(&current)).is_err() {
            needed.push(k.expose().to_string());
        }
    }
    let before = ring.old_count();
    ring.retain_old(|k| needed.iter().any(|n| n == k));
    if ring.old_count() != before {
        write(db, passphrase, &ring)?;
    }
    Ok(ring)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_unwraps_and_refuses_a_wrong_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("outreach.db");
        let k = random_key();
        assert!(is_raw(&k));
        assert!(!is_raw(&Passphrase::new("x'12'")));
        let ring = Ring::new(k.clone());
        write(&db, &Passphrase::new("长城-Great-Wall-2026"), &ring).unwrap();
        let back = unwrap(&db, &Passphrase::new("长城-Great-Wall-2026")).unwrap();
        assert_eq!(back.current().expose(), k.expose());
        let e = unwrap(&db, &Passphrase::new("长城-Great-Wall-2027")).unwrap_err();
        assert_eq!(e.code(), "db.passphrase_wrong");
        // The file holds neither the key nor the passphrase in clear.
        let text = std::fs::read_to_string(path_of(&db)).unwrap();
        assert!(!text.contains(&k.expose()[2..66]) && !text.contains("Great-Wall"));
    }

    #[test]
    fn a_ring_moves_to_a_new_key_and_keeps_the_old_until_told() {
        let a = random_key();
        let b = random_key();
        let mut ring = Ring::new(a.clone());
        ring.begin(&b);
        assert_eq!(ring.keys().len(), 2);
        ring.promote();
        assert_eq!(ring.current().expose(), b.expose());
        assert_eq!(ring.keys()[1].expose(), a.expose());
        ring.retain_old(|_| false);
        assert!(!ring.in_progress());
    }
}
