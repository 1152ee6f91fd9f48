use outreach_core::access::Action;
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
    super::with_action(&state, Action::PeopleEdit, move |s| s.write(|tx| people::save(tx, &input))).await
}

#[tauri::command]
pub async fn people_archive(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    super::with_action(&state, Action::PeopleArchive, move |s| s.write(|tx| people::archive(tx, &id))).await
}

#[tauri::command]
pub async fn people_restore(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    super::with_action(&state, Action::PeopleRestore, move |s| s.write(|tx| people::restore(tx, &id))).await
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
    super::with_action(&state, Action::TeamsEdit, move |s| s.write(|tx| teams::save(tx, &input))).await
}

#[tauri::command]
pub async fn teams_archive(state: State<'_, AppState>, id: String) -> CmdResult<Team> {
    super::with_action(&state, Action::TeamsArchive, move |s| s.write(|tx| teams::archive(tx, &id))).await
}

#[tauri::command]
pub async fn topics_list(state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    with_store(&state, move |s| topics::list(s.conn())).await
}
