//! Follow-ups of warned residents: cases, their visits, the due list and the settings.

use outreach_app::{followups, today};
use outreach_core::followups::{Case, CaseFilter, CaseInput, CasePage, DuePage, FollowupSettings, VisitDone};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

/// A page of the cases (the filter's limit and offset) and how many there are in all.
#[tauri::command]
pub async fn followups_list(state: State<'_, AppState>, filter: CaseFilter) -> CmdResult<CasePage> {
    with_store(&state, move |s| followups::page(s, &filter)).await
}

#[tauri::command]
pub async fn followups_get(state: State<'_, AppState>, id: String) -> CmdResult<Case> {
    with_store(&state, move |s| followups::get(s, &id)).await
}

#[tauri::command]
pub async fn followups_save(state: State<'_, AppState>, input: CaseInput) -> CmdResult<Case> {
    with_store(&state, move |s| followups::save(s, &input, today())).await
}

#[tauri::command]
pub async fn followups_record_visit(state: State<'_, AppState>, input: VisitDone) -> CmdResult<Case> {
    with_store(&state, move |s| followups::record_visit(s, &input, today())).await
}

/// A page of the visits due within `days` (and every overdue one; `limit`, 50 when none, from
/// `offset`) with how many are due and overdue in all and per grid worker.
#[tauri::command]
pub async fn followups_due(
    state: State<'_, AppState>,
    days: u32,
    worker_id: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> CmdResult<DuePage> {
    with_store(&state, move |s| followups::due_page(s, today(), days, worker_id.as_deref(), limit, offset)).await
}

/// The full phone, on the case page only; every view is written to the audit log.
#[tauri::command]
pub async fn followups_reveal_phone(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| followups::reveal_phone(s, &id)).await
}

#[tauri::command]
pub async fn followups_settings(state: State<'_, AppState>) -> CmdResult<FollowupSettings> {
    with_store(&state, move |s| outreach_core::followups::get_settings(s.conn())).await
}

#[tauri::command]
pub async fn followups_settings_save(
    state: State<'_, AppState>,
    settings: FollowupSettings,
) -> CmdResult<FollowupSettings> {
    with_store(&state, move |s| followups::save_settings(s, &settings)).await
}
