//! Warned residents and their follow-up visits: names, phones and notes of people a fraud
//! warning reached, so a captain writes and reads only their own grids' cases.

use chrono::NaiveDate;
use outreach_core::audit::Note;
use outreach_core::followups::{
    self, Case, CaseFilter, CaseInput, CasePage, DueFilter, DuePage, DueVisit, FollowupSettings, PurgeReport, VisitDone,
};
use outreach_core::{Action, Result, Store};

pub fn save(store: &mut Store, input: &CaseInput, today: NaiveDate) -> Result<Case> {
    store.authorize(Action::CasesSave)?;
    store.guard_case(input.id.as_deref(), Some(&input.grid_id))?;
    crate::act_guarded(store, Action::CasesSave, |tx| followups::save(tx, input, today))
}

pub fn record_visit(store: &mut Store, input: &VisitDone, today: NaiveDate) -> Result<Case> {
    store.authorize(Action::CasesVisit)?;
    store.guard_case_visit(&input.visit_id)?;
    crate::act_guarded(store, Action::CasesVisit, |tx| followups::record_visit(tx, input, today))
}

/// The cases the filter asks for, of the captain's grids only.
pub fn list(store: &Store, filter: &CaseFilter) -> Result<Vec<Case>> {
    store.authorize(Action::CasesView)?;
    let filter = CaseFilter { within: store.access().scope_json(), ..filter.clone() };
    followups::list(store.conn(), &filter)
}

/// A page of those cases (the filter's `limit`, 50 when it has none) and how many there are
/// in all: what the window shows.
pub fn page(store: &Store, filter: &CaseFilter) -> Result<CasePage> {
    store.authorize(Action::CasesView)?;
    let filter =
        CaseFilter { within: store.access().scope_json(), limit: Some(filter.limit.unwrap_or(50)), ..filter.clone() };
    Ok(CasePage { rows: followups::list(store.conn(), &filter)?, total: followups::count(store.conn(), &filter)? })
}

pub fn get(store: &Store, id: &str) -> Result<Case> {
    store.authorize(Action::CasesView)?;
    store.guard_case(Some(id), None)?;
    followups::get(store.conn(), id)
}

/// The visits due within `days`, of the captain's grids only.
pub fn due(store: &Store, today: NaiveDate, days: u32, worker_id: Option<&str>) -> Result<Vec<DueVisit>> {
    store.authorize(Action::CasesView)?;
    followups::due(store.conn(), today, days, worker_id, store.access().scope_json().as_deref())
}

/// A page of those visits (`limit`, 50 when none, from `offset`) with how many are due and
/// overdue in all and per grid worker, of the captain's grids only: what the window shows.
pub fn due_page(
    store: &Store,
    today: NaiveDate,
    days: u32,
    worker_id: Option<&str>,
    limit: Option<u32>,
    offset: Option<u32>,
) -> Result<DuePage> {
    store.authorize(Action::CasesView)?;
    let filter = DueFilter {
        days,
        worker_id: worker_id.map(str::to_owned),
        within: store.access().scope_json(),
        limit: limit.unwrap_or(50),
        offset: offset.unwrap_or(0),
    };
    followups::due_page(store.conn(), today, &filter)
}

/// The full phone of a warned resident, audited; a captain only in their grids.
pub fn reveal_phone(store: &mut Store, id: &str) -> Result<String> {
    store.authorize(Action::CasesRevealPhone)?;
    let case = followups::get(store.conn(), id)?;
    store.require_unit(&case.grid_id)?;
    let phone = followups::reveal_phone(store.conn(), id)?;
    store.audit("view_phone", &format!("cases/{id}"), Note::new("phone.case"))?;
    Ok(phone)
}

pub fn save_settings(store: &mut Store, settings: &FollowupSettings) -> Result<FollowupSettings> {
    store.authorize(Action::FollowupSettings)?;
    crate::act_guarded(store, Action::FollowupSettings, |tx| followups::save_settings(tx, settings))
}

/// Clears the personal fields of cases whose purpose has ended, here and in every backup.
pub fn purge(store: &mut Store, today: NaiveDate) -> Result<PurgeReport> {
    store.authorize(Action::CasesPurge)?;
    followups::purge(store, today)
}
