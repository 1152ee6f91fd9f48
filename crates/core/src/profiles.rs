//! Roles on one machine: the coordinator (who holds the database passphrase) and captain
//! profiles that unlock the same database with their own passphrase and may write only in
//! their own grids.
//!
//! A captain profile is a row in `profiles` (label, the age X25519 recipient of its key
//! slot) with its units in `profile_units`, plus a **key slot** in `<database file>.keys`
//! (JSON, written atomically): the X25519 identity encrypted with the captain's passphrase
//! (age scrypt) and the database passphrase encrypted to that identity (age X25519). The
//! slot's id and label are in clear — the unlock screen lists them — and nothing else is.
//!
//! On unlock the slot's identity is decrypted, its *public key* must equal the recipient
//! stored in the (encrypted) database row for the slot's id, and the row must not be
//! archived: an edited slot file (ids, labels or recipients swapped) cannot grant another
//! profile's grids. The open [`Store`] carries the current [`Access`]; the guards
//! [`Store::require_coordinator`] and [`Store::require_unit`] (and the `guard_*` helpers
//! below, which find a row's unit) are called by the core where a function takes the store,
//! and by every shell command and CLI subcommand otherwise.

use crate::error::Code;
use std::collections::BTreeSet;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use crate::{util, Store};

pub use crate::access::{Access, Action, Role, Rule, COORDINATOR_LABEL};
pub use crate::keyslots::{keys_path, slots, SlotInfo};
use crate::keyslots::{new_slot, open_slot, read_slots, write_slots, Slot};

/// Every unit at or below the given ones, through the units' parent chain.
pub fn scope(conn: &Connection, unit_ids: &[String]) -> Result<Vec<String>> {
    let mut out = BTreeSet::new();
    let mut stmt = conn.prepare(
        "WITH RECURSIVE s(id) AS (SELECT id FROM units WHERE id = ?1 UNION SELECT u.id FROM units u JOIN s ON u.parent_id = s.id) SELECT id FROM s",
    )?;
    for u in unit_ids {
        for id in stmt.query_map([u], |r| r.get::<_, String>(0))? {
            out.insert(id?);
        }
    }
    Ok(out.into_iter().collect())
}

fn outside() -> Error {
    Error::invalid(Code::RoleOutsideGrids, &[])
}

impl Store {
    /// Applies the access table ([`Action::rule`]) at the start of an action: a coordinator-only
    /// action refuses a captain with `role.coordinator_only` (the action's code as `action`).
    /// Actions a captain may take in their grids pass here; their rows are checked by the guards
    /// below and their reads filtered by [`Access::scope_json`].
    pub fn authorize(&self, action: Action) -> Result<()> {
        match action.rule() {
            Rule::Coordinator if !self.access().is_coordinator() => {
                Err(Error::invalid(Code::RoleCoordinatorOnly, &[("action", action.code())]))
            }
            _ => Ok(()),
        }
    }

    /// Refuses with `role.outside_grids` unless the unit is at or below one of the captain's.
    pub fn require_unit(&self, unit_id: &str) -> Result<()> {
        if self.access().covers(unit_id) {
            Ok(())
        } else {
            Err(outside())
        }
    }

    /// As [`Store::require_unit`]; a row with no unit is the coordinator's alone.
    pub fn require_unit_opt(&self, unit_id: Option<&str>) -> Result<()> {
        match unit_id {
            Some(u) => self.require_unit(u),
            None if self.access().is_coordinator() => Ok(()),
            None => Err(outside()),
        }
    }
}

// ---------------------------------------------------------------- the unit of a row

fn unit_query(conn: &Connection, sql: &str, id: &str) -> Result<Option<String>> {
    Ok(conn.query_row(sql, [id], |r| r.get::<_, Option<String>>(0)).optional()?.flatten())
}

/// A session's unit: its own, else its venue's.
pub fn session_unit(conn: &Connection, session_id: &str) -> Result<Option<String>> {
    unit_query(
        conn,
        "SELECT coalesce(s.unit_id, v.unit_id) FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id WHERE s.id = ?1",
        session_id,
    )
}

fn venue_unit(conn: &Connection, venue_id: &str) -> Result<Option<String>> {
    unit_query(conn, "SELECT unit_id FROM venues WHERE id = ?1", venue_id)
}

impl Store {
    /// A write to an existing session (reschedule, status, record, photos): its unit in scope.
    /// An id that does not exist is left to the function that will say so.
    pub fn guard_session(&self, session_id: &str) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        let exists: bool =
            self.conn()
                .query_row("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ?1)", [session_id], |r| r.get(0))?;
        if !exists {
            return Ok(());
        }
        self.require_unit_opt(session_unit(self.conn(), session_id)?.as_deref())
    }

    /// Saving a session: the new unit (or the venue's) in scope and, for an edit, the stored
    /// session's too — a captain can neither plan in another grid nor move a session across.
    pub fn guard_session_input(&self, input: &crate::sessions::SessionInput) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        if let Some(id) = input.id.as_deref().filter(|i| !i.is_empty()) {
            self.guard_session(id)?;
        }
        let unit = match (&input.unit_id, &input.venue_id) {
            (Some(u), _) if !u.is_empty() => Some(u.clone()),
            (_, Some(v)) if !v.is_empty() => venue_unit(self.conn(), v)?,
            _ => None,
        };
        self.require_unit_opt(unit.as_deref())
    }

    /// A photo's record's session in scope.
    pub fn guard_photo(&self, photo_id: &str) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        match unit_query(self.conn(), "SELECT record_id FROM photos WHERE id = ?1", photo_id)? {
            Some(record) => self.guard_session(&record),
            None => Ok(()),
        }
    }

    /// A door-to-door visit: the stored row's grid (edit, remove) and the new one.
    pub fn guard_visit(&self, visit_id: Option<&str>, new_grid: Option<&str>) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        if let Some(id) = visit_id.filter(|i| !i.is_empty()) {
            if let Some(g) = unit_query(self.conn(), "SELECT grid_id FROM visits WHERE id = ?1", id)? {
                self.require_unit(&g)?;
            }
        }
        match new_grid {
            Some(g) => self.require_unit(g),
            None => Ok(()),
        }
    }

    /// A follow-up case: the stored row's grid (edit) and the new one.
    pub fn guard_case(&self, case_id: Option<&str>, new_grid: Option<&str>) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        if let Some(id) = case_id.filter(|i| !i.is_empty()) {
            if let Some(g) = unit_query(self.conn(), "SELECT grid_id FROM cases WHERE id = ?1", id)? {
                self.require_unit(&g)?;
            }
        }
        match new_grid {
            Some(g) => self.require_unit(g),
            None => Ok(()),
        }
    }

    /// A follow-up visit (by the scheduled visit's id): its case's grid.
    pub fn guard_case_visit(&self, visit_id: &str) -> Result<()> {
        if self.access().is_coordinator() {
            return Ok(());
        }
        match unit_query(
            self.conn(),
            "SELECT c.grid_id FROM case_visits v JOIN cases c ON c.id = v.case_id WHERE v.id = ?1",
            visit_id,
        )? {
            Some(g) => self.require_unit(&g),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- profiles (rows)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Profile {
    pub id: String,
    pub label: String,
    pub unit_ids: Vec<String>,
    pub unit_names: Vec<String>,
    pub created_at: String,
    pub archived: bool,
}

/// A new captain (`id` null: passphrase and confirm required) or an edit (label, units; a
/// passphrase given resets the captain's passphrase).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ProfileInput {
    pub id: Option<String>,
    pub label: String,
    pub unit_ids: Vec<String>,
    #[serde(default)]
    pub passphrase: Option<String>,
    #[serde(default)]
    pub confirm: Option<String>,
}

struct Row {
    recipient: String,
    archived: bool,
}

fn row(conn: &Connection, id: &str) -> Result<Option<Row>> {
    Ok(conn
        .query_row("SELECT recipient, archived_at IS NOT NULL FROM profiles WHERE id = ?1", [id], |r| {
            Ok(Row { recipient: r.get(0)?, archived: r.get(1)? })
        })
        .optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Profile> {
    let p = conn
        .query_row("SELECT id, label, created_at, archived_at IS NOT NULL FROM profiles WHERE id = ?1", [id], |r| {
            Ok(Profile {
                id: r.get(0)?,
                label: r.get(1)?,
                unit_ids: vec![],
                unit_names: vec![],
                created_at: r.get(2)?,
                archived: r.get(3)?,
            })
        })
        .optional()?;
    let mut p = p.ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", id)]))?;
    let mut stmt = conn.prepare("SELECT u.id, u.name FROM profile_units pu JOIN units u ON u.id = pu.unit_id WHERE pu.profile_id = ?1 ORDER BY u.name, u.id")?;
    for r in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (uid, name) = r?;
        p.unit_ids.push(uid);
        p.unit_names.push(name);
    }
    Ok(p)
}

/// Every profile, archived ones last.
pub fn list(conn: &Connection) -> Result<Vec<Profile>> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM profiles ORDER BY archived_at IS NOT NULL, label, id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

/// Lists the profiles (coordinator only).
pub fn list_for(store: &Store) -> Result<Vec<Profile>> {
    store.authorize(crate::access::Action::ProfilesManage)?;
    list(store.conn())
}

// ---------------------------------------------------------------- the key-slot file

// ---------------------------------------------------------------- unlock and switch

/// A captain's access from the profile row (assigned units and everything below them).
fn captain(conn: &Connection, profile: &Profile) -> Result<Access> {
    Ok(Access {
        role: Role::Captain,
        profile_id: Some(profile.id.clone()),
        label: profile.label.clone(),
        unit_ids: profile.unit_ids.clone(),
        scope_unit_ids: scope(conn, &profile.unit_ids)?,
    })
}

/// Checks an opened slot against the database: the row for the slot's id exists, is not
/// archived, and holds the recipient of the identity that was actually decrypted.
fn captain_access(conn: &Connection, slot_id: &str, recipient: &str) -> Result<Access> {
    let denied = || Error::invalid(Code::ProfileNotFound, &[("id", slot_id)]);
    let row = row(conn, slot_id)?.ok_or_else(denied)?;
    if row.archived || row.recipient != recipient {
        return Err(denied());
    }
    captain(conn, &get(conn, slot_id)?)
}

fn find_slot(db_path: &Path, profile_id: &str) -> Result<Slot> {
    read_slots(db_path)?
        .slots
        .into_iter()
        .find(|s| s.id == profile_id)
        .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", profile_id)]))
}

/// Opens the database as a captain: the slot gives the database passphrase, the row is
/// checked, and the store carries the captain's access.
pub fn unlock(db_path: &Path, profile_id: &str, captain: &Passphrase) -> Result<Store> {
    let slot = find_slot(db_path, profile_id)?;
    let (recipient, key) = open_slot(&slot, captain)?;
    let mut store = Store::open_with(db_path, Some(&key))?;
    let access = captain_access(store.conn(), &slot.id, &recipient)?;
    store.set_access(access);
    let label = store.access().label.clone();
    store.audit(
        "access",
        &format!("profiles/{profile_id}"),
        crate::audit::Note::new("access.captain").with("label", &label),
    )?;
    Ok(store)
}

/// Whether `captain` opens the profile's key slot (the passphrase the OS keychain is asked to
/// keep for a captain is checked first, as the database passphrase is).
pub fn check_passphrase(db_path: &Path, profile_id: &str, captain: &Passphrase) -> Result<()> {
    open_slot(&find_slot(db_path, profile_id)?, captain).map(|_| ())
}

/// Switches the open store's access. To the coordinator (`None`): the database passphrase.
/// Coordinator → captain: no passphrase (dropping privileges). Captain → another captain:
/// that captain's passphrase. Audited.
pub fn switch(store: &mut Store, profile_id: Option<&str>, passphrase: Option<&Passphrase>) -> Result<Access> {
    let path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    let access = match profile_id {
        None => {
            let p =
                passphrase.filter(|p| !p.is_empty()).ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
            if store.key().map(|k| k.expose()) != Some(p.expose()) {
                return Err(Error::invalid(Code::DbPassphraseWrong, &[]));
            }
            Access::coordinator()
        }
        Some(id) if store.access().is_coordinator() => {
            let slot = find_slot(&path, id)?;
            captain_access(store.conn(), &slot.id, &slot.recipient)?
        }
        Some(id) if store.access().profile_id.as_deref() == Some(id) => store.access().clone(),
        Some(id) => {
            let p =
                passphrase.filter(|p| !p.is_empty()).ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
            let slot = find_slot(&path, id)?;
            let (recipient, _) = open_slot(&slot, p)?;
            captain_access(store.conn(), &slot.id, &recipient)?
        }
    };
    store.set_access(access.clone());
    store.audit(
        "access",
        &access.profile_id.as_ref().map(|i| format!("profiles/{i}")).unwrap_or_default(),
        crate::audit::Note::new("access.switched").with("label", &access.label),
    )?;
    Ok(access)
}

// ---------------------------------------------------------------- managing profiles

fn check_captain_passphrase(store: &Store, p: &Passphrase) -> Result<()> {
    p.check_strength()?;
    if store.key().is_some_and(|k| k.expose() == p.expose()) {
        return Err(Error::invalid(Code::ProfilePassphraseSameAsDb, &[]));
    }
    Ok(())
}

/// Saves a profile from the window's input (passphrase typed twice for a new one).
pub fn save(store: &mut Store, input: &ProfileInput) -> Result<Profile> {
    let p = input.passphrase.as_deref().filter(|p| !p.is_empty());
    if let Some(p) = p {
        crate::passphrase::check_confirmation(p, input.confirm.as_deref().unwrap_or(""))?;
    }
    let p = p.map(Passphrase::new);
    save_with(store, input.id.as_deref(), &input.label, &input.unit_ids, p.as_ref())
}

/// Adds (`id` None; passphrase required) or edits a captain profile; a passphrase given on
/// an edit resets the captain's passphrase (a new slot). Coordinator only.
pub fn save_with(
    store: &mut Store,
    id: Option<&str>,
    label: &str,
    unit_ids: &[String],
    passphrase: Option<&Passphrase>,
) -> Result<Profile> {
    store.authorize(crate::access::Action::ProfilesManage)?;
    let db_path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    let db_key = store.key().cloned().ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::invalid(Code::ProfileLabelRequired, &[]));
    }
    let label = util::check_name("label", label, crate::rules::PROFILE_LABEL)?;
    let mut units: Vec<String> = unit_ids.iter().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()).collect();
    units.sort();
    units.dedup();
    if units.is_empty() {
        return Err(Error::invalid(Code::ProfileUnitsRequired, &[]));
    }
    for u in &units {
        crate::units::get(store.conn(), u)?;
    }
    let id = id.filter(|i| !i.is_empty()).map(str::to_string);
    let existing = match &id {
        Some(i) => Some(
            row(store.conn(), i)?
                .filter(|r| !r.archived)
                .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", i)]))?,
        ),
        None => None,
    };
    let taken: Option<String> = store
        .conn()
        .query_row(
            "SELECT id FROM profiles WHERE label = ?1 AND archived_at IS NULL AND id IS NOT ?2",
            params![label, id],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(Error::invalid(Code::ProfileLabelTaken, &[("label", &label)]));
    }
    if existing.is_none() && passphrase.is_none() {
        return Err(Error::invalid(Code::ValidationRequired, &[("field", "passphrase")]));
    }
    if let Some(p) = passphrase {
        check_captain_passphrase(store, p)?;
    }
    let id = id.unwrap_or_else(util::new_id);
    let mut file = read_slots(&db_path)?;
    let slot = match passphrase {
        Some(p) => new_slot(&id, &label, p, &db_key)?,
        None => {
            let mut s = file
                .slots
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", &id)]))?;
            s.label = label.clone();
            s
        }
    };
    let recipient = slot.recipient.clone();
    let now = util::now();
    let is_new = existing.is_none();
    let actor = store.actor();
    store.write(|tx| {
        if is_new {
            tx.execute(
                "INSERT INTO profiles (id, label, recipient, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, label, recipient, now],
            )?;
        } else {
            tx.execute(
                "UPDATE profiles SET label = ?2, recipient = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, label, recipient, now],
            )?;
        }
        tx.execute("DELETE FROM profile_units WHERE profile_id = ?1", [&id])?;
        for u in &units {
            tx.execute("INSERT INTO profile_units (profile_id, unit_id) VALUES (?1, ?2)", params![id, u])?;
        }
        let what = if is_new {
            "profile.added"
        } else if passphrase.is_some() {
            "profile.changed_rekeyed"
        } else {
            "profile.changed"
        };
        crate::audit::record(
            tx,
            &crate::settings::get(tx).map(|s| s.operator_name).unwrap_or_default(),
            &actor,
            "profile",
            &format!("profiles/{id}"),
            &crate::audit::Note::new(what).with("label", &label),
        )?;
        // The slot file is written inside the transaction: if it cannot be, nothing is saved.
        file.slots.retain(|s| s.id != id);
        file.slots.push(slot);
        file.version = 1;
        write_slots(&db_path, &file)
    })?;
    get(store.conn(), &id)
}

/// Archives a profile and deletes its slot: it can no longer unlock. Coordinator only.
pub fn remove(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(crate::access::Action::ProfilesManage)?;
    let db_path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    let p = get(store.conn(), id)?;
    let mut file = read_slots(&db_path)?;
    let now = util::now();
    let actor = store.actor();
    store.write(|tx| {
        tx.execute(
            "UPDATE profiles SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        crate::audit::record(
            tx,
            &crate::settings::get(tx).map(|s| s.operator_name).unwrap_or_default(),
            &actor,
            "profile",
            &format!("profiles/{id}"),
            &crate::audit::Note::new("profile.removed").with("label", &p.label),
        )?;
        file.slots.retain(|s| s.id != id);
        write_slots(&db_path, &file)
    })
}

/// The current captain changes their own passphrase (the current one asked again).
pub fn change_own_passphrase(store: &mut Store, current: &Passphrase, new: &Passphrase) -> Result<()> {
    let id = store.access().profile_id.clone().ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", "")]))?;
    let db_path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    let db_key = store.key().cloned().ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
    let mut file = read_slots(&db_path)?;
    let slot = file
        .slots
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", &id)]))?;
    let (recipient, _) = open_slot(&slot, current)?;
    captain_access(store.conn(), &id, &recipient)?;
    check_captain_passphrase(store, new)?;
    let fresh = new_slot(&id, &slot.label, new, &db_key)?;
    let recipient = fresh.recipient.clone();
    let now = util::now();
    let actor = store.actor();
    store.write(|tx| {
        tx.execute("UPDATE profiles SET recipient = ?2, updated_at = ?3 WHERE id = ?1", params![id, recipient, now])?;
        crate::audit::record(
            tx,
            &crate::settings::get(tx).map(|s| s.operator_name).unwrap_or_default(),
            &actor,
            "passphrase",
            &format!("profiles/{id}"),
            &crate::audit::Note::new("passphrase.captain").with("label", &slot.label),
        )?;
        for s in &mut file.slots {
            if s.id == id {
                *s = fresh.clone();
            }
        }
        write_slots(&db_path, &file)
    })
}
