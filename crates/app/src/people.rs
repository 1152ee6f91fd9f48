//! The speaker corps and grid workers: a full phone number is shown on request, audited, and
//! to a captain only for people of their units.

use outreach_core::audit::Note;
use outreach_core::{people, teams, Action, Result, Store};

pub fn reveal_phone(store: &mut Store, id: &str) -> Result<String> {
    store.authorize(Action::PeopleRevealPhone)?;
    let person = people::get(store.conn(), id)?;
    store.require_unit_opt(person.unit_id.as_deref())?;
    let phone = people::reveal_phone(store.conn(), id)?;
    store.audit("view_phone", &format!("people/{id}"), Note::new("phone.person").with("name", &person.name))?;
    Ok(phone)
}

pub fn save(store: &mut Store, input: &people::PersonInput) -> Result<people::Person> {
    crate::act(store, Action::PeopleEdit, |tx| people::save(tx, input))
}

pub fn archive(store: &mut Store, id: &str) -> Result<people::Person> {
    crate::act(store, Action::PeopleArchive, |tx| people::archive(tx, id))
}

pub fn restore(store: &mut Store, id: &str) -> Result<people::Person> {
    crate::act(store, Action::PeopleRestore, |tx| people::restore(tx, id))
}

pub fn save_team(store: &mut Store, input: &teams::TeamInput) -> Result<teams::Team> {
    crate::act(store, Action::TeamsEdit, |tx| teams::save(tx, input))
}

pub fn archive_team(store: &mut Store, id: &str) -> Result<teams::Team> {
    crate::act(store, Action::TeamsArchive, |tx| teams::archive(tx, id))
}
