//! Venues: a contact's full phone number is shown on request, audited, and to a captain only
//! for venues of their units.

use outreach_core::audit::Note;
use outreach_core::{venues, Action, Result, Store};

pub fn reveal_phone(store: &mut Store, id: &str) -> Result<String> {
    store.authorize(Action::VenuesRevealPhone)?;
    let venue = venues::get(store.conn(), id)?;
    store.require_unit_opt(venue.unit_id.as_deref())?;
    let phone = venues::reveal_phone(store.conn(), id)?;
    store.audit("view_phone", &format!("venues/{id}"), Note::new("phone.venue").with("name", &venue.name))?;
    Ok(phone)
}

pub fn save(store: &mut Store, input: &venues::VenueInput) -> Result<venues::Venue> {
    crate::act(store, Action::VenuesEdit, |tx| venues::save(tx, input))
}

pub fn archive(store: &mut Store, id: &str) -> Result<venues::Venue> {
    crate::act(store, Action::VenuesArchive, |tx| venues::archive(tx, id))
}

pub fn restore(store: &mut Store, id: &str) -> Result<venues::Venue> {
    crate::act(store, Action::VenuesRestore, |tx| venues::restore(tx, id))
}
