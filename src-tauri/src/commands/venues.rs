use outreach_core::access::Action;
use outreach_core::venues::{self, Venue, VenueInput};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn venues_list(state: State<'_, AppState>, include_archived: bool) -> CmdResult<Vec<Venue>> {
    with_store(&state, move |s| venues::list(s.conn(), include_archived)).await
}

#[tauri::command]
pub async fn venues_save(state: State<'_, AppState>, input: VenueInput) -> CmdResult<Venue> {
    super::with_action(&state, Action::VenuesEdit, move |s| s.write(|tx| venues::save(tx, &input))).await
}

#[tauri::command]
pub async fn venues_archive(state: State<'_, AppState>, id: String) -> CmdResult<Venue> {
    super::with_action(&state, Action::VenuesArchive, move |s| s.write(|tx| venues::archive(tx, &id))).await
}

#[tauri::command]
pub async fn venues_restore(state: State<'_, AppState>, id: String) -> CmdResult<Venue> {
    super::with_action(&state, Action::VenuesRestore, move |s| s.write(|tx| venues::restore(tx, &id))).await
}

#[tauri::command]
pub async fn venues_reveal_phone(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| outreach_app::venues::reveal_phone(s, &id)).await
}
