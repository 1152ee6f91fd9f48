//! The key-slot file `<database file>.keys` beside the database (JSON, written atomically):
//! per captain profile the X25519 identity encrypted with the captain's passphrase (age
//! scrypt) and the data key of the captain's *own* database encrypted to that identity (age
//! X25519) — never the coordinator's key. The slot's id and label are in clear — the unlock
//! screen lists them — and nothing else is.

use crate::error::Code;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::passphrase::{Passphrase, MAX_WORK_FACTOR};

/// A key slot as the unlock screen lists it, before anything is decrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SlotInfo {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Slot {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) recipient: String,
    /// The X25519 identity, age-encrypted with the captain's passphrase (scrypt), base64.
    pub(crate) identity: String,
    /// The captain's database key, age-encrypted to `recipient`, base64.
    pub(crate) key: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SlotFile {
    pub(crate) version: u32,
    pub(crate) slots: Vec<Slot>,
}

/// `<database file>.keys`.
pub fn keys_path(db_path: &Path) -> PathBuf {
    let mut s = db_path.as_os_str().to_os_string();
    s.push(".keys");
    PathBuf::from(s)
}

pub(crate) fn read_slots(db_path: &Path) -> Result<SlotFile> {
    let path = keys_path(db_path);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| Error::invalid(Code::ProfileSlotsInvalid, &[])),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SlotFile { version: 1, slots: vec![] }),
        Err(e) => Err(Error::io(path.display().to_string(), e)),
    }
}

pub(crate) fn write_slots(db_path: &Path, file: &SlotFile) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(file).map_err(|e| Error::Internal(e.to_string()))?;
    crate::util::write_atomic(&keys_path(db_path), &bytes)
}

/// The slots the unlock screen can list (id and label); none when there is no slot file.
pub fn slots(db_path: &Path) -> Result<Vec<SlotInfo>> {
    Ok(read_slots(db_path)?.slots.into_iter().map(|s| SlotInfo { id: s.id, label: s.label }).collect())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|_| Error::invalid(Code::ProfileSlotsInvalid, &[]))
}

fn seal_to(recipient: &str, plain: &[u8]) -> Result<String> {
    let r = age::x25519::Recipient::from_str(recipient).map_err(|_| Error::invalid(Code::ProfileSlotsInvalid, &[]))?;
    Ok(b64(&age::encrypt(&r, plain).map_err(|e| Error::Internal(format!("slot encryption: {e}")))?))
}

pub(crate) fn new_slot(id: &str, label: &str, captain: &Passphrase, db_key: &Passphrase) -> Result<Slot> {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let mut scrypt = age::scrypt::Recipient::new(captain.secret().clone());
    scrypt.set_work_factor(captain.work_factor());
    let sealed_identity = age::encrypt(&scrypt, identity.to_string().expose_secret().as_bytes())
        .map_err(|e| Error::Internal(format!("slot encryption: {e}")))?;
    Ok(Slot {
        id: id.into(),
        label: label.into(),
        key: seal_to(&recipient, db_key.expose().as_bytes())?,
        recipient,
        identity: b64(&sealed_identity),
    })
}

/// Opens a slot with the captain's passphrase: the identity (whose public key is returned
/// as the recipient actually held) and the database passphrase.
pub(crate) fn open_slot(slot: &Slot, captain: &Passphrase) -> Result<(String, Passphrase)> {
    let wrong = || Error::invalid(Code::DbPassphraseWrong, &[]);
    let mut scrypt = age::scrypt::Identity::new(captain.secret().clone());
    scrypt.set_max_work_factor(MAX_WORK_FACTOR);
    let text = age::decrypt(&scrypt, &unb64(&slot.identity)?).map_err(|_| wrong())?;
    let text = SecretString::from(String::from_utf8(text).map_err(|_| wrong())?);
    let identity = age::x25519::Identity::from_str(text.expose_secret()).map_err(|_| wrong())?;
    let key = age::decrypt(&identity, &unb64(&slot.key)?).map_err(|_| wrong())?;
    let key = Passphrase::new(String::from_utf8(key).map_err(|_| wrong())?);
    Ok((identity.to_public().to_string(), key))
}
