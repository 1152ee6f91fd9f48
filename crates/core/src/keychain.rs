//! Remembering a database passphrase in the OS keychain, where the user asks for it: the
//! Secret Service (GNOME Keyring, KWallet) on Linux, the login keychain on macOS, the
//! Credential Manager on Windows. The keychain is unlocked with the user's OS login, so anyone
//! logged into that account opens the database without typing: a choice, never the default.
//!
//! One entry per database file: service `outreach-desk`, user `db-<hash of its path>`. The
//! stored password is a small JSON holding the secret and whose it is: for the coordinator the
//! database's data key (what the passphrase unwraps, so a start needs no key derivation and a
//! change of passphrase leaves it valid), for a captain profile their own passphrase.

use crate::error::Code;
use std::path::Path;

use keyring::Entry;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::passphrase::{Passphrase, Zeroizing};

const SERVICE: &str = "outreach-desk";

/// What the keychain gave back for a database.
pub struct Remembered {
    /// The captain profile the secret unlocks; `None`: the coordinator (the database passphrase).
    pub profile: Option<String>,
    pub secret: Passphrase,
}

impl std::fmt::Debug for Remembered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered").field("profile", &self.profile).field("secret", &self.secret).finish()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    profile: Option<String>,
    secret: String,
}

impl Drop for Stored {
    fn drop(&mut self) {
        // Wipe the copy this struct held.
        drop(Zeroizing::new(std::mem::take(&mut self.secret)));
    }
}

/// The entry's user name: the same file reached by another path is the same entry.
fn user_of(db_path: &Path) -> String {
    let canonical = match (db_path.parent(), db_path.file_name()) {
        // The file may not exist yet (first run); its folder does.
        (Some(dir), Some(name)) => dir.canonicalize().map(|d| d.join(name)).unwrap_or_else(|_| db_path.to_path_buf()),
        _ => db_path.to_path_buf(),
    };
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("db-{}", &hex::encode(digest)[..16])
}

fn entry(db_path: &Path) -> Result<Entry> {
    Entry::new(SERVICE, &user_of(db_path)).map_err(map_err)
}

fn map_err(e: keyring::Error) -> Error {
    match e {
        // No Secret Service on the bus, a locked store that cannot be unlocked, no D-Bus at all.
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            Error::invalid(Code::KeychainUnavailable, &[])
        }
        _ => Error::invalid(Code::KeychainFailed, &[]),
    }
}

/// Whether this machine has a keychain we can use (asked without storing anything).
pub fn available() -> bool {
    match Entry::new(SERVICE, "probe").and_then(|e| e.get_password()) {
        Ok(_) | Err(keyring::Error::NoEntry) => true,
        Err(_) => false,
    }
}

/// Stores `secret` for the database at `db_path`, replacing what was there. The caller has
/// proved the secret opens the database.
pub fn remember(db_path: &Path, profile: Option<&str>, secret: &Passphrase) -> Result<()> {
    let stored = Stored { profile: profile.map(String::from), secret: secret.expose().to_string() };
    let json = Zeroizing::new(serde_json::to_string(&stored).map_err(|e| Error::Internal(e.to_string()))?);
    entry(db_path)?.set_password(&json).map_err(map_err)
}

/// The secret remembered for the database, if any.
pub fn recall(db_path: &Path) -> Result<Option<Remembered>> {
    let json = match entry(db_path)?.get_password() {
        Ok(j) => Zeroizing::new(j),
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(map_err(e)),
    };
    match serde_json::from_str::<Stored>(&json) {
        Ok(mut s) => {
            let secret = Passphrase::new(std::mem::take(&mut s.secret));
            Ok(Some(Remembered { profile: s.profile.take(), secret }))
        }
        // Not ours, or damaged: as good as nothing, and not kept.
        Err(_) => {
            forget(db_path)?;
            Ok(None)
        }
    }
}

/// Whether a secret is remembered for the database (false when there is no keychain).
pub fn is_remembered(db_path: &Path) -> bool {
    entry(db_path).is_ok_and(|e| e.get_password().is_ok())
}

/// Removes what is remembered for the database; nothing there is fine.
pub fn forget(db_path: &Path) -> Result<()> {
    match entry(db_path)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(map_err(e)),
    }
}

/// The error for a remembered secret that no longer opens the database: it is forgotten
/// first, so the next start asks for the passphrase instead of failing again.
pub fn stale(db_path: &Path) -> Error {
    let _ = forget(db_path);
    Error::invalid(Code::KeychainStale, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_file_whatever_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("outreach.db");
        let b = dir.path().join(".").join("outreach.db");
        assert_eq!(user_of(&a), user_of(&b));
        assert_ne!(user_of(&a), user_of(&dir.path().join("other.db")));
        assert!(user_of(&a).starts_with("db-") && user_of(&a).len() == 19);
    }
}
