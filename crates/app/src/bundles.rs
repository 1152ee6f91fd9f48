//! Hand-over bundles: the conflicts an import left are the coordinator's to see and settle
//! (they show both machines' values of residents' rows).

use outreach_core::audit::Note;
use outreach_core::bundles::{self, Conflict, Take};
use outreach_core::{Action, Result, Store};

pub fn conflicts(store: &Store, include_resolved: bool) -> Result<Vec<Conflict>> {
    store.authorize(Action::BundlesResolve)?;
    bundles::conflicts(store.conn(), include_resolved)
}

/// Settles one conflict, taking the bundle's version or keeping ours; audited.
pub fn resolve(store: &mut Store, id: &str, take: Take) -> Result<()> {
    store.authorize(Action::BundlesResolve)?;
    store.write(|tx| bundles::resolve(tx, id, take))?;
    let note = if take == Take::Incoming { "bundle.take_incoming" } else { "bundle.keep_ours" };
    store.audit("bundle.resolve", &format!("conflict/{id}"), Note::new(note))
}
