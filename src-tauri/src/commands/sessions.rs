//! Planning: sessions, series, templates, the topic library, targeting and ICS export.

use outreach_app::sessions as plan;

use outreach_core::error::Issue;
use outreach_core::series::{SeriesInput, SeriesOutcome};
use outreach_core::sessions::{self, PlanOutcome, Session, SessionFilter, SessionInput, SessionStatus, StatusChange};
use outreach_core::targeting::{self, Gap, Suggestions};
use outreach_core::templates::{self, Template};
use outreach_core::topics::{Topic, TopicInput};
use tauri::{AppHandle, State};

use super::files::{pick_save_file, DocKind};
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn sessions_list(state: State<'_, AppState>, filter: SessionFilter) -> CmdResult<Vec<Session>> {
    with_store(&state, move |s| sessions::list(s.conn(), &filter)).await
}

#[tauri::command]
pub async fn sessions_get(state: State<'_, AppState>, id: String) -> CmdResult<Session> {
    with_store(&state, move |s| sessions::get(s.conn(), &id)).await
}

#[tauri::command]
pub async fn sessions_history(state: State<'_, AppState>, id: String) -> CmdResult<Vec<StatusChange>> {
    with_store(&state, move |s| sessions::history(s.conn(), &id)).await
}

/// Warnings for the form while the planner types, without saving.
#[tauri::command]
pub async fn sessions_check(state: State<'_, AppState>, input: SessionInput) -> CmdResult<Vec<Issue>> {
    with_store(&state, move |s| sessions::warnings(s.conn(), &input)).await
}

/// The speaker picker's list: topics and availability at the session's time, best first.
#[tauri::command]
pub async fn sessions_candidates(
    state: State<'_, AppState>,
    query: sessions::CandidateQuery,
) -> CmdResult<Vec<sessions::Candidate>> {
    with_store(&state, move |s| sessions::candidates(s.conn(), &query)).await
}

#[tauri::command]
pub async fn sessions_save(
    state: State<'_, AppState>,
    input: SessionInput,
    allow_warnings: bool,
) -> CmdResult<PlanOutcome> {
    with_store(&state, move |s| plan::save(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn sessions_reschedule(
    state: State<'_, AppState>,
    id: String,
    start: String,
    allow_warnings: bool,
) -> CmdResult<PlanOutcome> {
    with_store(&state, move |s| plan::reschedule(s, &id, &start, allow_warnings)).await
}

#[tauri::command]
pub async fn sessions_set_status(
    state: State<'_, AppState>,
    id: String,
    status: SessionStatus,
    reason: String,
) -> CmdResult<Session> {
    with_store(&state, move |s| plan::set_status(s, &id, status, &reason)).await
}

#[tauri::command]
pub async fn series_create(
    state: State<'_, AppState>,
    input: SeriesInput,
    allow_warnings: bool,
) -> CmdResult<SeriesOutcome> {
    with_store(&state, move |s| plan::create_series(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn series_edit_later(
    state: State<'_, AppState>,
    input: SessionInput,
    allow_warnings: bool,
) -> CmdResult<SeriesOutcome> {
    with_store(&state, move |s| plan::edit_series_later(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn templates_list(state: State<'_, AppState>) -> CmdResult<Vec<Template>> {
    with_store(&state, move |s| templates::list(s.conn())).await
}

#[tauri::command]
pub async fn templates_save(state: State<'_, AppState>, template: Template) -> CmdResult<Template> {
    with_store(&state, move |s| plan::save_template(s, &template)).await
}

#[tauri::command]
pub async fn topics_save(state: State<'_, AppState>, input: TopicInput) -> CmdResult<Topic> {
    with_store(&state, move |s| plan::save_topic(s, &input)).await
}

#[tauri::command]
pub async fn targeting_suggest(state: State<'_, AppState>, unit_id: String) -> CmdResult<Suggestions> {
    with_store(&state, move |s| targeting::suggest(s.conn(), &unit_id)).await
}

#[tauri::command]
pub async fn targeting_gaps(state: State<'_, AppState>, unit_id: Option<String>, days: u32) -> CmdResult<Vec<Gap>> {
    with_store(&state, move |s| targeting::gaps(s.conn(), unit_id.as_deref(), days, None)).await
}

/// Saves the sessions of a unit (and below) or of a person as an .ics file.
#[tauri::command]
pub async fn plan_export_ics(
    app: AppHandle,
    state: State<'_, AppState>,
    unit_id: Option<String>,
    person_id: Option<String>,
) -> CmdResult<Option<String>> {
    let (unit_id2, person_id2) = (unit_id.clone(), person_id.clone());
    let label =
        with_store(&state, move |s| plan::calendar_label(s, unit_id2.as_deref(), person_id2.as_deref())).await?;
    let name = if super::files::english(&state) {
        format!("outreach-sessions-{label}.ics")
    } else {
        format!("反诈宣传活动-{label}.ics")
    };
    let Some(path) = pick_save_file(&app, &state, DocKind::Calendar, name, "ics").await else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        plan::export_ics(s, unit_id, person_id, &path).map(|_| Some(path.display().to_string()))
    })
    .await
}
