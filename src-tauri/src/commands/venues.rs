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
    with_store(&state, move |s| outreach_app::venues::save(s, &input)).await
}

#[tauri::command]
pub async fn venues_archive(state: State<'_, AppState>, id: String) -> CmdResult<Venue> {
    with_store(&state, move |s| outreach_app::venues::archive(s, &id)).await
}

#[tauri::command]
pub async fn venues_restore(state: State<'_, AppState>, id: String) -> CmdResult<Venue> {
    with_store(&state, move |s| outreach_app::venues::restore(s, &id)).await
}

#[tauri::command]
pub async fn venues_reveal_phone(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| outreach_app::venues::reveal_phone(s, &id)).await
}
