//! Door-to-door visit logs: a captain logs and reads only their own grids.

use outreach_core::visits::{self, Visit, VisitFilter, VisitInput};
use outreach_core::{Action, Result, Store};

pub fn save(store: &mut Store, input: &VisitInput) -> Result<Visit> {
    store.authorize(Action::VisitsSave)?;
    store.guard_visit(input.id.as_deref(), Some(&input.grid_id))?;
    if let Some(s) = input.session_id.as_deref().filter(|s| !s.is_empty()) {
        store.guard_session(s)?;
    }
    crate::act_guarded(store, Action::VisitsSave, |tx| visits::save(tx, input))
}

pub fn remove(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(Action::VisitsSave)?;
    store.guard_visit(Some(id), None)?;
    crate::act_on(store, Action::VisitsSave, format!("visits/{id}"), |tx| visits::remove(tx, id))
}

/// The logs the filter asks for, of the captain's grids only.
pub fn list(store: &Store, filter: &VisitFilter) -> Result<Vec<Visit>> {
    store.authorize(Action::VisitsView)?;
    let filter = VisitFilter { within: store.access().scope_json(), ..filter.clone() };
    visits::list(store.conn(), &filter)
}
