//! The organisation tree and the coverage targets: the coordinator's.

use outreach_core::coverage::{self, Target};
use outreach_core::units::{self, Unit, UnitInput};
use outreach_core::{Action, Result, Store};

pub fn save(store: &mut Store, input: &UnitInput) -> Result<Unit> {
    crate::act(store, Action::UnitsEdit, |tx| units::save(tx, input))
}

pub fn move_unit(store: &mut Store, id: &str, new_parent_id: Option<&str>) -> Result<Unit> {
    crate::act(store, Action::UnitsMove, |tx| units::move_unit(tx, id, new_parent_id))
}

pub fn archive(store: &mut Store, id: &str) -> Result<Unit> {
    crate::act(store, Action::UnitsArchive, |tx| units::archive(tx, id))
}

pub fn restore(store: &mut Store, id: &str) -> Result<Unit> {
    crate::act(store, Action::UnitsRestore, |tx| units::restore(tx, id))
}

pub fn save_target(store: &mut Store, target: &Target) -> Result<Target> {
    crate::act(store, Action::TargetsEdit, |tx| coverage::save_target(tx, target))
}

pub fn delete_target(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(Action::TargetsRemove)?;
    crate::act_on(store, Action::TargetsRemove, format!("targets/{id}"), |tx| coverage::delete_target(tx, id))
}
