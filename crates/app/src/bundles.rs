//! Hand-over bundles: the conflicts an import left are the coordinator's to see and settle
//! (they show both machines' values of residents' rows).

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
    let which = if take == Take::Incoming { "采用交接包版本" } else { "保留本机版本" };
    store.audit("bundle.resolve", &format!("conflict/{id}"), which)
}
