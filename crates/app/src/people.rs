//! The speaker corps and grid workers: a full phone number is shown on request, audited, and
//! to a captain only for people of their units.

use outreach_core::{people, Action, Result, Store};

pub fn reveal_phone(store: &mut Store, id: &str) -> Result<String> {
    store.authorize(Action::PeopleRevealPhone)?;
    let person = people::get(store.conn(), id)?;
    store.require_unit_opt(person.unit_id.as_deref())?;
    let phone = people::reveal_phone(store.conn(), id)?;
    store.audit("view_phone", &format!("people/{id}"), &format!("查看 {} 的完整电话", person.name))?;
    Ok(phone)
}
