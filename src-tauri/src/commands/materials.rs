//! Materials: the item list, stock moves and the per-unit reconciliation.

use outreach_core::materials::{self, Material, MaterialInput, StockLine, StockMove, StockMoveInput};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn materials_list(state: State<'_, AppState>) -> CmdResult<Vec<Material>> {
    with_store(&state, move |s| materials::list(s.conn())).await
}

#[tauri::command]
pub async fn materials_save(state: State<'_, AppState>, input: MaterialInput) -> CmdResult<Material> {
    with_store(&state, move |s| outreach_app::materials::save(s, &input)).await
}

#[tauri::command]
pub async fn materials_moves(state: State<'_, AppState>, unit_id: Option<String>) -> CmdResult<Vec<StockMove>> {
    with_store(&state, move |s| materials::moves(s.conn(), unit_id.as_deref())).await
}

#[tauri::command]
pub async fn materials_add_move(state: State<'_, AppState>, input: StockMoveInput) -> CmdResult<StockMove> {
    with_store(&state, move |s| outreach_app::materials::add_move(s, &input)).await
}

#[tauri::command]
pub async fn materials_void_move(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| outreach_app::materials::void_move(s, &id)).await
}

#[tauri::command]
pub async fn materials_stock(state: State<'_, AppState>, unit_id: Option<String>) -> CmdResult<Vec<StockLine>> {
    with_store(&state, move |s| materials::stock(s.conn(), unit_id.as_deref())).await
}
