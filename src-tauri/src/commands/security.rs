//! Unlocking the encrypted database, setting its passphrase on first run (or encrypting an
//! older plain database in place), and changing it. The passphrase lives only in the open
//! store's memory; it is never written, logged or sent back to the window.

use outreach_core::db::{file_state, FileState};
use outreach_core::error::Code;
use outreach_core::keychain;
use outreach_core::profiles::{self, Access, SlotInfo};
use outreach_core::{Error, Passphrase, Store};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{AppError, CmdResult};
use crate::state::AppState;

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DbStatus {
    /// missing (first run), plain (from an older version, to be encrypted) or encrypted.
    #[ts(type = "\"missing\" | \"plain\" | \"encrypted\"")]
    pub file: &'static str,
    pub unlocked: bool,
    /// Captain key slots (id and label, readable before unlock).
    pub profiles: Vec<SlotInfo>,
    /// The OS keychain holds a passphrase for this database (the window then unlocks with
    /// `db_unlock_remembered` without asking).
    pub remembered: bool,
    /// An OS keychain is there to offer "remember on this computer".
    pub keychain: bool,
    /// The language last chosen on this computer: the unlock screen speaks it before the
    /// database (which holds the settings) is open.
    #[ts(type = "string | null")]
    pub locale: Option<String>,
}

fn file_name(state: FileState) -> &'static str {
    match state {
        FileState::Missing => "missing",
        FileState::Plain => "plain",
        FileState::Encrypted => "encrypted",
    }
}

#[tauri::command]
pub async fn db_status(state: State<'_, AppState>) -> CmdResult<DbStatus> {
    let unlocked = crate::state::lock(&state.store).is_some();
    let file = file_state(&state.db_path).map_err(AppError::from)?;
    let profiles = profiles::slots(&state.db_path).map_err(AppError::from)?;
    // D-Bus round trips: off the async runtime's threads.
    let path = state.db_path.clone();
    let early = state.early.take_remembered();
    let (keychain, remembered) = tauri::async_runtime::spawn_blocking(move || {
        // Asked at process start (lib.rs): its answer, when the keychain gave one.
        if let Some(Ok(remembered)) = early.map(|answer| answer.recv()) {
            return (true, remembered && file == FileState::Encrypted);
        }
        let available = keychain::available();
        (available, available && file == FileState::Encrypted && keychain::is_remembered(&path))
    })
    .await
    .unwrap_or((false, false));
    let locale = super::files::remembered_locale(&state);
    Ok(DbStatus { file: file_name(file), unlocked, profiles, remembered, keychain, locale })
}

/// Opens the database with what the OS keychain remembers for it (as the coordinator or the
/// captain it was remembered for). A remembered passphrase that no longer opens it is
/// forgotten and reported (`keychain.stale`): the unlock screen then asks as usual.
#[tauri::command]
pub async fn db_unlock_remembered(state: State<'_, AppState>) -> CmdResult<Access> {
    let early = state.early.take_store();
    let path = state.db_path.clone();
    let opened = tauri::async_runtime::spawn_blocking(move || {
        // Opened at process start with what the keychain remembers (lib.rs), while the window
        // loaded; else recalled and opened now.
        if let Some(Ok(opened)) = early.map(|answer| answer.recv()) {
            return opened;
        }
        let remembered = keychain::recall(&path)?.ok_or_else(|| Error::invalid(Code::KeychainNone, &[]))?;
        crate::timing::mark_first("keychain: passphrase recalled");
        open_store(&path, &remembered.secret, false, remembered.profile)
    })
    .await
    .map_err(|e| AppError::from(Error::Internal(e.to_string())))?;
    match opened {
        Ok(store) => Ok(keep(&state, store)),
        Err(e) if e.code() == "db.passphrase_wrong" || e.code() == "profile.not_found" => {
            Err(AppError::from(keychain::stale(&state.db_path)))
        }
        Err(e) => Err(AppError::from(e)),
    }
}

/// Keeps the passphrase the database was just unlocked with in the OS keychain, for the
/// current identity (the coordinator's database passphrase, or the captain's own). Checked
/// against the file or the key slot first.
#[tauri::command]
pub async fn keychain_remember(state: State<'_, AppState>, passphrase: String) -> CmdResult<()> {
    crate::commands::with_store(&state, move |s| {
        outreach_app::security::remember(s, Some(&Passphrase::new(passphrase)))
    })
    .await
}

/// Removes what the OS keychain holds for this database.
#[tauri::command]
pub async fn keychain_forget(state: State<'_, AppState>) -> CmdResult<()> {
    crate::commands::with_store(&state, outreach_app::security::forget).await
}

/// Opens the store with `passphrase` on a worker thread (key derivation takes a moment) and
/// keeps it. `setting` says the user is choosing a new passphrase, typed twice.
/// With `profile_id`, `passphrase` is that captain's and opens their key slot.
async fn open(
    state: &State<'_, AppState>,
    passphrase: String,
    confirm: Option<String>,
    setting: bool,
    profile_id: Option<String>,
) -> CmdResult<Access> {
    if let Some(c) = confirm {
        if c != passphrase {
            return Err(Error::invalid(Code::PassphraseMismatch, &[]).into());
        }
    }
    open_key(state, Passphrase::new(passphrase), setting, profile_id).await
}

async fn open_key(
    state: &State<'_, AppState>,
    key: Passphrase,
    setting: bool,
    profile_id: Option<String>,
) -> CmdResult<Access> {
    let path = state.db_path.clone();
    let store = tauri::async_runtime::spawn_blocking(move || open_store(&path, &key, setting, profile_id))
        .await
        .map_err(|e| AppError::from(Error::Internal(e.to_string())))?
        .map_err(AppError::from)?;
    Ok(keep(state, store))
}

/// Opens the store with `key` (blocking: key derivation takes a moment), as the captain
/// `profile_id` when given. `setting`: a passphrase is being set on a new or plain file.
pub(crate) fn open_store(
    path: &std::path::Path,
    key: &Passphrase,
    setting: bool,
    profile_id: Option<String>,
) -> outreach_core::Result<Store> {
    let file = file_state(path)?;
    if setting != (file != FileState::Encrypted) {
        return Err(Error::invalid(Code::DbStateChanged, &[]));
    }
    let mut store = match profile_id.filter(|p| !p.is_empty()) {
        Some(id) if !setting => profiles::unlock(path, &id, key)?,
        _ => Store::open_with(path, Some(key))?,
    };
    crate::timing::mark_first("database opened (key, migrations)");
    // The captains' work on this machine comes in (and the coordinator's latest goes to them).
    // A captain's refused bundle is kept in their database and does not keep the coordinator out.
    if let Err(e) = profiles::sync_all(&mut store) {
        eprintln!("outreach-desk: captains' work not brought in: {}", e.code());
    }
    if setting {
        store.audit(
            "passphrase",
            "",
            outreach_core::audit::Note::new(if file == FileState::Plain {
                "passphrase.encrypted"
            } else {
                "passphrase.created"
            }),
        )?;
    }
    Ok(store)
}

/// Keeps the opened store for the commands and wakes the maintenance thread (backups,
/// follow-up purge), which runs now that there is a store.
fn keep(state: &State<'_, AppState>, store: Store) -> Access {
    let access = store.access().clone();
    *crate::state::lock(&state.store) = Some(store);
    state.poke_maintenance();
    access
}

/// `profileId` null: the coordinator, with the database passphrase; else that captain's.
#[tauri::command]
pub async fn db_unlock(
    state: State<'_, AppState>,
    passphrase: String,
    profile_id: Option<String>,
) -> CmdResult<Access> {
    open(&state, passphrase, None, false, profile_id).await
}

#[tauri::command]
pub async fn db_setup(state: State<'_, AppState>, passphrase: String, confirm: String) -> CmdResult<Access> {
    open(&state, passphrase, Some(confirm), true, None).await
}

#[tauri::command]
pub async fn access_current(state: State<'_, AppState>) -> CmdResult<Access> {
    crate::commands::with_store(&state, |s| Ok(s.access().clone())).await
}

/// To the coordinator (null): the database passphrase; coordinator → captain: none;
/// captain → another captain: that captain's passphrase. Audited by the core.
#[tauri::command]
pub async fn access_switch(
    state: State<'_, AppState>,
    profile_id: Option<String>,
    passphrase: Option<String>,
) -> CmdResult<Access> {
    crate::commands::with_store(&state, move |s| {
        let p = passphrase.map(Passphrase::new);
        profiles::switch(s, profile_id.as_deref().filter(|i| !i.is_empty()), p.as_ref())
    })
    .await
}

#[tauri::command]
pub async fn db_change_passphrase(
    state: State<'_, AppState>,
    current: String,
    passphrase: String,
    confirm: String,
) -> CmdResult<()> {
    crate::commands::with_store(&state, move |s| {
        s.authorize(outreach_core::access::Action::PassphraseChange)?;
        if passphrase != confirm {
            return Err(Error::invalid(Code::PassphraseMismatch, &[]));
        }
        // The current passphrase is asked again: an unattended unlocked laptop must not be re-keyed.
        s.confirm_passphrase(&Passphrase::new(current))?;
        // The data key stays: what the OS keychain keeps (the data key) still opens the database.
        s.change_passphrase(&Passphrase::new(passphrase))
    })
    .await
}

/// Moves the database and every backup to a new data key (the current passphrase asked again).
/// Journalled in the key file: an interruption is finished by the next unlock. Coordinator only.
#[tauri::command]
pub async fn db_rekey(state: State<'_, AppState>, current: String) -> CmdResult<()> {
    crate::commands::with_store(&state, move |s| s.rekey_data(&Passphrase::new(current))).await
}
