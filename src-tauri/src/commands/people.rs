use outreach_core::people::{self, Person, PersonInput};
use outreach_core::teams::{self, Team, TeamInput};
use outreach_core::topics::{self, Topic};
use tauri::State;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
pub async fn people_list(state: State<'_, AppState>, include_archived: bool) -> CmdResult<Vec<Person>> {
    with_store(&state, move |s| people::list(s.conn(), include_archived)).await
}

#[tauri::command]
pub async fn people_save(state: State<'_, AppState>, input: PersonInput) -> CmdResult<Person> {
    with_store(&state, move |s| outreach_app::people::save(s, &input)).await
}

#[tauri::command]
pub async fn people_archive(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    with_store(&state, move |s| outreach_app::people::archive(s, &id)).await
}

#[tauri::command]
pub async fn people_restore(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    with_store(&state, move |s| outreach_app::people::restore(s, &id)).await
}

/// The full number; every view of it is written to the audit log.
#[tauri::command]
pub async fn people_reveal_phone(state: State<'_, AppState>, id: String) -> CmdResult<String> {
    with_store(&state, move |s| outreach_app::people::reveal_phone(s, &id)).await
}

#[tauri::command]
pub async fn teams_list(state: State<'_, AppState>) -> CmdResult<Vec<Team>> {
    with_store(&state, move |s| teams::list(s.conn())).await
}

#[tauri::command]
pub async fn teams_save(state: State<'_, AppState>, input: TeamInput) -> CmdResult<Team> {
    with_store(&state, move |s| outreach_app::people::save_team(s, &input)).await
}

#[tauri::command]
pub async fn teams_archive(state: State<'_, AppState>, id: String) -> CmdResult<Team> {
    with_store(&state, move |s| outreach_app::people::archive_team(s, &id)).await
}

#[tauri::command]
pub async fn topics_list(state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    with_store(&state, move |s| topics::list(s.conn())).await
}
