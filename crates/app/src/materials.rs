//! Materials: the item list and the stock book (receipts, allocations, voids) are the
//! coordinator's.

use outreach_core::materials::{self, Material, MaterialInput, StockMove, StockMoveInput};
use outreach_core::{Action, Result, Store};

pub fn save(store: &mut Store, input: &MaterialInput) -> Result<Material> {
    crate::act(store, Action::MaterialsEdit, |tx| materials::save(tx, input))
}

/// A receipt or an allocation.
pub fn add_move(store: &mut Store, input: &StockMoveInput) -> Result<StockMove> {
    crate::act(store, Action::StockMove, |tx| materials::add_move(tx, input))
}

pub fn void_move(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(Action::StockVoid)?;
    crate::act_on(store, Action::StockVoid, format!("stock/{id}"), |tx| materials::void_move(tx, id))
}
