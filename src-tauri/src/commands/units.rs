use outreach_core::units::{self, Unit, UnitInput, UnitNode};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn units_tree(state: State<'_, AppState>, include_archived: bool) -> CmdResult<Vec<UnitNode>> {
    with_store(&state, move |s| units::tree(s.conn(), include_archived)).await
}

#[tauri::command]
pub async fn units_save(state: State<'_, AppState>, input: UnitInput) -> CmdResult<Unit> {
    with_store(&state, move |s| outreach_app::units::save(s, &input)).await
}

#[tauri::command]
pub async fn units_move(state: State<'_, AppState>, id: String, new_parent_id: Option<String>) -> CmdResult<Unit> {
    with_store(&state, move |s| outreach_app::units::move_unit(s, &id, new_parent_id.as_deref())).await
}

#[tauri::command]
pub async fn units_archive(state: State<'_, AppState>, id: String) -> CmdResult<Unit> {
    with_store(&state, move |s| outreach_app::units::archive(s, &id)).await
}

#[tauri::command]
pub async fn units_restore(state: State<'_, AppState>, id: String) -> CmdResult<Unit> {
    with_store(&state, move |s| outreach_app::units::restore(s, &id)).await
}
