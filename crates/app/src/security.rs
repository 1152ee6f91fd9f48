//! Protection shared by the front ends: keeping the database's data key (the coordinator) or a
//! captain's own passphrase in the OS keychain.

use outreach_core::audit::Note;
use outreach_core::error::Code;
use outreach_core::{db, keychain, profiles, Action, Error, Passphrase, Result, Store};

/// Keeps a passphrase in the OS keychain for whoever is working: the coordinator's database
/// passphrase, or a captain's own — never the database passphrase a captain's slot unlocked,
/// which would make the next start the coordinator's. `passphrase`: the one the user typed
/// (checked against the file or the key slot first); `None`, for the coordinator only, the one
/// the store was opened with. Audited.
pub fn remember(store: &mut Store, passphrase: Option<&Passphrase>) -> Result<()> {
    store.authorize(Action::PassphraseRemember)?;
    if !store.is_encrypted() {
        return Err(Error::invalid(Code::KeychainPlain, &[]));
    }
    let path = store.path().map(|p| p.to_path_buf()).ok_or_else(|| Error::Internal("no database file".into()))?;
    let profile = store.access().profile_id.clone();
    match (&profile, passphrase) {
        (None, None) => store.remember_key_in_keychain()?,
        // The data key the passphrase unwraps is what is kept: the next start opens without
        // the key derivation, and a later change of passphrase leaves it valid.
        (None, Some(p)) => {
            db::check_passphrase(&path, p)?;
            store.remember_key_in_keychain()?;
        }
        (Some(id), Some(p)) => {
            profiles::check_passphrase(&path, id, p)?;
            keychain::remember(&path, Some(id), p)?;
        }
        (Some(_), None) => return Err(Error::invalid(Code::DbPassphraseRequired, &[])),
    }
    store.audit("keychain", "", Note::new("keychain.saved"))
}

/// Removes what the OS keychain holds for this database, and audits it.
pub fn forget(store: &mut Store) -> Result<()> {
    store.authorize(Action::PassphraseForget)?;
    let path = store.path().map(|p| p.to_path_buf()).ok_or_else(|| Error::Internal("no database file".into()))?;
    keychain::forget(&path)?;
    store.audit("keychain", "", Note::new("keychain.forgotten"))
}
