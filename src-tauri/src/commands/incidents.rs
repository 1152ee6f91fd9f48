//! Incidents: the weekly case review, the precision gaps, the case list, re-victimisation, the
//! fraud-type labels and the tailored pushes. The case file comes in through `transfer` (kind
//! `incidents`), like every spreadsheet.

use outreach_app::incidents::{self, PushInput};
use outreach_app::today;
use outreach_core::incidents::{Gaps, IncidentPage, PushDraft, Revictimisation, Review, TypeLabel};
use outreach_core::sessions::Session;
use tauri::{AppHandle, State};

use super::files::{pick_save_file, DocKind};
use super::reports::SavedReport;
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

/// The week's review for a unit ("2026-W49"), with a suggested action per place.
#[tauri::command]
pub async fn incidents_review(state: State<'_, AppState>, unit_id: String, week: String) -> CmdResult<Review> {
    with_store(&state, move |s| incidents::review(s, &unit_id, &week)).await
}

/// The week's review as the one-page brief (PDF) where the user chooses; audited. None when
/// the dialog was cancelled.
#[tauri::command]
pub async fn incidents_brief_save(
    app: AppHandle,
    state: State<'_, AppState>,
    unit_id: String,
    week: String,
) -> CmdResult<Option<SavedReport>> {
    let english = super::files::english(&state);
    let suggested = with_store(&state, {
        let (u, w) = (unit_id.clone(), week.clone());
        move |s| incidents::brief_file_name(s, &u, &w, english)
    })
    .await?;
    let Some(path) = pick_save_file(&app, &state, DocKind::Report, suggested, "pdf").await else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        incidents::save_brief(s, &unit_id, &week, &path)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        Ok(Some(SavedReport { file_name, path: path.display().to_string() }))
    })
    .await
}

/// Precision gaps and the grids' chart points for the 90 days up to today.
#[tauri::command]
pub async fn incidents_gaps(state: State<'_, AppState>, unit_id: String) -> CmdResult<Gaps> {
    with_store(&state, move |s| incidents::gaps(s, &unit_id, today())).await
}

/// A page of the incidents filed in `[from, to]` under a unit, newest first.
#[tauri::command]
pub async fn incidents_list(
    state: State<'_, AppState>,
    unit_id: String,
    from: String,
    to: String,
    limit: u32,
    offset: u32,
) -> CmdResult<IncidentPage> {
    with_store(&state, move |s| incidents::list(s, &unit_id, &from, &to, limit, offset)).await
}

#[tauri::command]
pub async fn incidents_revictimisation(state: State<'_, AppState>) -> CmdResult<Revictimisation> {
    with_store(&state, move |s| incidents::revictimisation(s, today())).await
}

#[tauri::command]
pub async fn incidents_labels(state: State<'_, AppState>) -> CmdResult<Vec<TypeLabel>> {
    with_store(&state, move |s| incidents::labels(s)).await
}

#[tauri::command]
pub async fn incidents_label_save(state: State<'_, AppState>, label: String, topic_id: String) -> CmdResult<TypeLabel> {
    with_store(&state, move |s| incidents::save_label(s, &label, &topic_id)).await
}

#[tauri::command]
pub async fn incidents_label_remove(state: State<'_, AppState>, label: String) -> CmdResult<()> {
    with_store(&state, move |s| incidents::remove_label(s, &label)).await
}

/// The text of a tailored WeChat warning for a place and week, to edit and copy.
#[tauri::command]
pub async fn incidents_push_draft(state: State<'_, AppState>, unit_id: String, week: String) -> CmdResult<PushDraft> {
    with_store(&state, move |s| incidents::push_draft(s, &unit_id, &week)).await
}

/// Records a push as sent: an online-push session, held and recorded.
#[tauri::command]
pub async fn incidents_push_record(state: State<'_, AppState>, input: PushInput) -> CmdResult<Session> {
    with_store(&state, move |s| incidents::record_push(s, &input)).await
}
