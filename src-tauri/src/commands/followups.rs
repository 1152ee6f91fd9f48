//! Follow-ups of warned residents: cases, their visits, the due list and the settings.

use outreach_core::followups::{self, Case, CaseFilter, CaseInput, DueVisit, FollowupSettings, VisitDone};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;
use outreach_core::profiles;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn followups_list(state: State<'_, AppState>, filter: CaseFilter) -> CmdResult<Vec<Case>> {
    with_store(&state, move |s| followups::list(s.conn(), &filter)).await
}

#[tauri::command]
pub async fn followups_get(state: State<'_, AppState>, id: String) -> CmdResult<Case> {
    with_store(&state, move |s| followups::get(s.conn(), &id)).await
}

#[tauri::command]
pub async fn followups_save(state: State<'_, AppState>, input: CaseInput) -> CmdResult<Case> {
    with_store(&state, move |s| profiles::save_case(s, &input, today())).await
}

#[tauri::command]
pub async fn followups_record_visit(state: State<'_, AppState>, input: VisitDone) -> CmdResult<Case> {
    with_store(&state, move |s| profiles::record_case_visit(s, &input, today())).await
}

#[tauri::command]
pub async fn followups_due(
    state: State<'_, AppState>,
    days: u32,
    worker_id: Option<String>,
) -> CmdResult<Vec<DueVisit>> {
    with_store(&state, move |s| followups::due(s.conn(), today(), days, worker_id.as_deref())).await
}

/// The full phone, on the case page only; every view is written to the audit log.
#[tauri::command]
pub async fn followups_reveal_phone(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| outreach_core::profiles::reveal_case_phone(s, &id)).await
}

#[tauri::command]
pub async fn followups_settings(state: State<'_, AppState>) -> CmdResult<FollowupSettings> {
    with_store(&state, move |s| followups::get_settings(s.conn())).await
}

#[tauri::command]
pub async fn followups_settings_save(
    state: State<'_, AppState>,
    settings: FollowupSettings,
) -> CmdResult<FollowupSettings> {
    super::with_coordinator(&state, "回访设置", move |s| s.write(|tx| followups::save_settings(tx, &settings))).await
}
