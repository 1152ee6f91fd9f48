//! Captain profiles: the coordinator adds, edits and removes them; a captain changes their
//! own passphrase. Passphrases arrive as arguments, become `Passphrase` at once and are
//! neither logged nor kept.

use outreach_core::error::Code;
use outreach_core::profiles::{self, Profile, ProfileInput};
use outreach_core::{Error, Passphrase};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn profiles_list(state: State<'_, AppState>) -> CmdResult<Vec<Profile>> {
    with_store(&state, move |s| profiles::list_for(s)).await
}

#[tauri::command]
pub async fn profiles_save(state: State<'_, AppState>, input: ProfileInput) -> CmdResult<Profile> {
    with_store(&state, move |s| profiles::save(s, &input)).await
}

#[tauri::command]
pub async fn profiles_remove(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| profiles::remove(s, &id)).await
}

#[tauri::command]
pub async fn profiles_change_passphrase(
    state: State<'_, AppState>,
    current: String,
    passphrase: String,
    confirm: String,
) -> CmdResult<()> {
    with_store(&state, move |s| {
        if passphrase != confirm {
            return Err(Error::invalid(Code::PassphraseMismatch, &[]));
        }
        profiles::change_own_passphrase(s, &Passphrase::new(current), &Passphrase::new(passphrase))
    })
    .await
}
