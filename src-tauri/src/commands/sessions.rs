//! Planning: sessions, series, templates, the topic library, targeting and ICS export.

use std::collections::HashMap;

use outreach_core::error::Issue;
use outreach_core::series::{SeriesInput, SeriesOutcome};
use outreach_core::sessions::{self, PlanOutcome, Session, SessionFilter, SessionInput, SessionStatus, StatusChange};
use outreach_core::targeting::{self, Gap, Suggestions};
use outreach_core::templates::{self, Template};
use outreach_core::topics::{self, Topic, TopicInput};
use outreach_core::{calendar, people, units};
use tauri::{AppHandle, State};

use super::transfer::pick_save_file;
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;
use outreach_core::profiles;

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

#[tauri::command]
pub async fn sessions_save(
    state: State<'_, AppState>,
    input: SessionInput,
    allow_warnings: bool,
) -> CmdResult<PlanOutcome> {
    with_store(&state, move |s| profiles::save_session(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn sessions_reschedule(
    state: State<'_, AppState>,
    id: String,
    start: String,
    allow_warnings: bool,
) -> CmdResult<PlanOutcome> {
    with_store(&state, move |s| profiles::reschedule_session(s, &id, &start, allow_warnings)).await
}

#[tauri::command]
pub async fn sessions_set_status(
    state: State<'_, AppState>,
    id: String,
    status: SessionStatus,
    reason: String,
) -> CmdResult<Session> {
    with_store(&state, move |s| profiles::set_session_status(s, &id, status, &reason)).await
}

#[tauri::command]
pub async fn series_create(
    state: State<'_, AppState>,
    input: SeriesInput,
    allow_warnings: bool,
) -> CmdResult<SeriesOutcome> {
    with_store(&state, move |s| profiles::create_series(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn series_edit_later(
    state: State<'_, AppState>,
    input: SessionInput,
    allow_warnings: bool,
) -> CmdResult<SeriesOutcome> {
    with_store(&state, move |s| profiles::edit_series_later(s, &input, allow_warnings)).await
}

#[tauri::command]
pub async fn templates_list(state: State<'_, AppState>) -> CmdResult<Vec<Template>> {
    with_store(&state, move |s| templates::list(s.conn())).await
}

#[tauri::command]
pub async fn templates_save(state: State<'_, AppState>, template: Template) -> CmdResult<Template> {
    super::with_coordinator(&state, "编辑活动模板", move |s| s.write(|tx| templates::save(tx, &template))).await
}

#[tauri::command]
pub async fn topics_save(state: State<'_, AppState>, input: TopicInput) -> CmdResult<Topic> {
    super::with_coordinator(&state, "编辑宣讲主题", move |s| s.write(|tx| topics::save(tx, &input))).await
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
    let label = with_store(&state, move |s| {
        Ok(match (&unit_id2, &person_id2) {
            (_, Some(p)) => people::get(s.conn(), p)?.name,
            (Some(u), None) => units::get(s.conn(), u)?.name,
            (None, None) => "全部".into(),
        })
    })
    .await?;
    let Some(path) = pick_save_file(&app, format!("反诈宣传活动-{label}.ics"), ("日历 (ics)", "ics")).await
    else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        let filter = SessionFilter { unit_id, person_id, ..Default::default() };
        let list = sessions::list(s.conn(), &filter)?;
        let names: HashMap<String, String> = topics::list(s.conn())?.into_iter().map(|t| (t.id, t.name)).collect();
        let text = calendar::ics(&format!("反诈宣传活动 · {label}"), &list, &names)?;
        std::fs::write(&path, text).map_err(|e| outreach_core::Error::io(path.display().to_string(), e))?;
        s.audit("export", "sessions.ics", &format!("{} 场活动 → {}", list.len(), path.display()))?;
        Ok(Some(path.display().to_string()))
    })
    .await
}
