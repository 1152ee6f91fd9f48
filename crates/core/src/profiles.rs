//! Roles on one machine: the coordinator (who holds the database passphrase) and captain
//! profiles, each with a database of their own holding only their grids' data, unlocked by
//! the captain's own passphrase; a captain may write only in their grids.
//!
//! A captain profile is a row in the coordinator's `profiles` (label, the recipient of its
//! key slot, the captain database's data key) with its units in `profile_units`; a **key
//! slot** in `<database file>.keys` (the X25519 identity sealed by the captain's passphrase,
//! and the captain database's key sealed to it); and the captain's database
//! `profiles/<id>/outreach.db`, whose marker (settings `profile`) names the profile, its
//! units and the slot's recipient. The coordinator's key is in none of these: a captain with
//! any tool gets their own database and nothing else. The captain's work reaches the
//! coordinator's database through the bundle merge when the coordinator unlocks or switches
//! ([`sync_all`]), and the coordinator's latest (their grids only) goes back the same way.
//!
//! On unlock the slot's identity is decrypted and its *public key* must equal the recipient
//! in the captain database's marker: an edited slot file (ids, labels or recipients swapped)
//! cannot lend one captain's database to another. The open [`Store`] carries the current
//! [`Access`]; the guards [`Store::require_unit`] (and the `guard_*` helpers below, which find
//! a row's unit) are called by the core where a function takes the store, and by every shell
//! command and CLI subcommand otherwise.

use crate::error::Code;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

pub use crate::sessions::unit_of as session_unit;

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
    archived: bool,
}

fn row(conn: &Connection, id: &str) -> Result<Option<Row>> {
    Ok(conn
        .query_row("SELECT archived_at IS NOT NULL FROM profiles WHERE id = ?1", [id], |r| {
            Ok(Row { archived: r.get(0)? })
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

// ---------------------------------------------------------------- a captain's own database

/// `<data folder>/profiles/<id>/outreach.db` (the coordinator's file name): the captain's database, with its own backups
/// and photos beside it, encrypted with its own data key. That key is in the captain's slot
/// (sealed by the captain's passphrase) and in the coordinator's database (`profiles.db_key`,
/// so the coordinator's unlock can bring the captain's work in); the coordinator's key is in
/// neither, so a captain holds nothing that opens the coordinator's database or its backups.
pub fn captain_db(db_path: &Path, profile_id: &str) -> PathBuf {
    // Named as the coordinator's file, so the captain's finds it again (three folders up).
    captain_dir(db_path, profile_id).join(db_path.file_name().unwrap_or_else(|| "outreach.db".as_ref()))
}

fn captain_dir(db_path: &Path, profile_id: &str) -> PathBuf {
    db_path.parent().map(Path::to_path_buf).unwrap_or_default().join("profiles").join(profile_id)
}

/// What a captain's database says of itself (settings key `profile`): who it belongs to,
/// their units, and the recipient of the slot that may open it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Marker {
    id: String,
    label: String,
    units: Vec<String>,
    recipient: String,
}

const MARKER: &str = "profile";

fn marker(conn: &Connection) -> Result<Option<Marker>> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [MARKER], |r| r.get(0)).optional()?;
    Ok(v.and_then(|v| serde_json::from_str(&v).ok()))
}

fn set_marker(conn: &Connection, m: &Marker) -> Result<()> {
    let v = serde_json::to_string(m).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![MARKER, v],
    )?;
    Ok(())
}

/// Whether the open store is a captain's own database (its marker names the profile).
pub fn is_captain_db(conn: &Connection) -> Result<bool> {
    Ok(marker(conn)?.is_some())
}

// ---------------------------------------------------------------- unlock and switch

fn captain_access_of(conn: &Connection, m: &Marker) -> Result<Access> {
    Ok(Access {
        role: Role::Captain,
        profile_id: Some(m.id.clone()),
        label: m.label.clone(),
        unit_ids: m.units.clone(),
        scope_unit_ids: scope(conn, &m.units)?,
    })
}

fn find_slot(db_path: &Path, profile_id: &str) -> Result<Slot> {
    read_slots(db_path)?
        .slots
        .into_iter()
        .find(|s| s.id == profile_id)
        .ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", profile_id)]))
}

fn who(profile_id: &str) -> String {
    format!("profile:{profile_id}")
}

/// Opens a captain's slot with their passphrase: failures counted and slowed down like the
/// coordinator's ([`crate::unlocks`], in the coordinator's folder, so its log sees them).
fn open_slot_counted(db_path: &Path, profile_id: &str, captain: &Passphrase) -> Result<(String, Passphrase)> {
    let who = who(profile_id);
    crate::unlocks::check(db_path, &who)?;
    let slot = find_slot(db_path, profile_id)?;
    open_slot(&slot, captain).inspect_err(|e| {
        if e.code() == "db.passphrase_wrong" {
            crate::unlocks::failed(db_path, &who);
        }
    })
}

/// Opens the captain's own database with the key their slot gives; the database's marker must
/// name this profile and the recipient actually decrypted (an edited slot file cannot lend
/// one captain's database to another's slot).
fn open_captain(db_path: &Path, profile_id: &str, recipient: Option<&str>, key: &Passphrase) -> Result<Store> {
    let denied = || Error::invalid(Code::ProfileNotFound, &[("id", profile_id)]);
    let path = captain_db(db_path, profile_id);
    if !path.exists() {
        return Err(Error::invalid(Code::ProfileNeedsReset, &[("id", profile_id)]));
    }
    // A slot whose key does not open this database was moved from another profile.
    let mut store =
        Store::open_with(&path, Some(key)).map_err(|e| if e.code() == "db.passphrase_wrong" { denied() } else { e })?;
    let m = marker(store.conn())?.filter(|m| m.id == profile_id).ok_or_else(denied)?;
    if recipient.is_some_and(|r| r != m.recipient) {
        return Err(denied());
    }
    let access = captain_access_of(store.conn(), &m)?;
    store.set_access(access);
    Ok(store)
}

/// Opens a captain's own database with the captain's passphrase: the store carries the
/// captain's access. Audited in the captain's database.
pub fn unlock(db_path: &Path, profile_id: &str, captain: &Passphrase) -> Result<Store> {
    let (recipient, key) = open_slot_counted(db_path, profile_id, captain)?;
    let mut store = open_captain(db_path, profile_id, Some(&recipient), &key)?;
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
    open_slot_counted(db_path, profile_id, captain).map(|_| ())
}

/// The coordinator's database beside a captain's (`profiles/<id>/outreach.db` → `outreach.db`).
fn coordinator_db(store: &Store) -> Result<PathBuf> {
    let path = store.path().ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    if store.access().is_coordinator() {
        return Ok(path.to_path_buf());
    }
    path.parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(|d| d.join(path.file_name().unwrap_or_default()))
        .ok_or_else(|| Error::Internal("captain database outside its folder".into()))
}

/// Switches who is working; the store is replaced by the other identity's database. To the
/// coordinator (`None`): the coordinator's passphrase (counted as an unlock). Coordinator →
/// captain: no passphrase (dropping privileges; the coordinator holds the captain's key).
/// Captain → another captain: that captain's passphrase. Audited in the database switched to.
pub fn switch(store: &mut Store, profile_id: Option<&str>, passphrase: Option<&Passphrase>) -> Result<Access> {
    let coordinator = coordinator_db(store)?;
    let next = match profile_id {
        None if store.access().is_coordinator() => None,
        None => {
            let p =
                passphrase.filter(|p| !p.is_empty()).ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
            let mut s = Store::open_with(&coordinator, Some(p))?;
            sync_all(&mut s)?;
            Some(s)
        }
        Some(id) if store.access().profile_id.as_deref() == Some(id) => None,
        Some(id) if store.access().is_coordinator() => {
            let key = captain_key(store.conn(), id)?;
            // The coordinator's latest goes down before the captain starts.
            sync_one(store, id)?;
            Some(open_captain(&coordinator, id, None, &key)?)
        }
        Some(id) => {
            let p =
                passphrase.filter(|p| !p.is_empty()).ok_or_else(|| Error::invalid(Code::DbPassphraseRequired, &[]))?;
            let (recipient, key) = open_slot_counted(&coordinator, id, p)?;
            Some(open_captain(&coordinator, id, Some(&recipient), &key)?)
        }
    };
    if let Some(s) = next {
        *store = s;
    }
    let access = store.access().clone();
    store.audit(
        "access",
        &access.profile_id.as_ref().map(|i| format!("profiles/{i}")).unwrap_or_default(),
        crate::audit::Note::new("access.switched").with("label", &access.label),
    )?;
    Ok(access)
}

/// The captain's data key, from the coordinator's database. A profile from before captains
/// had databases of their own has none: the coordinator sets a new passphrase for it.
fn captain_key(conn: &Connection, id: &str) -> Result<Passphrase> {
    let k: Option<Option<String>> = conn
        .query_row("SELECT db_key FROM profiles WHERE id = ?1 AND archived_at IS NULL", [id], |r| r.get(0))
        .optional()?;
    match k {
        None => Err(Error::invalid(Code::ProfileNotFound, &[("id", id)])),
        Some(None) => Err(Error::invalid(Code::ProfileNeedsReset, &[("id", id)])),
        Some(Some(k)) => Ok(Passphrase::new(k)),
    }
}

// ---------------------------------------------------------------- bringing the work across

/// Carries one database's rows into another through the bundle merge (signed by the sender's
/// key, checked against the receiver's signers, validated, a captain's rows limited to their
/// grids, conflicts listed for the coordinator), inside the receiver's transaction.
fn carry(
    from: &mut Store,
    to: &mut Store,
    units: Option<&[String]>,
    target: &str,
) -> Result<crate::bundles::ImportSummary> {
    let from_photos = from.data_dir().map(|d| d.join("photos"));
    let to_photos = to.data_dir().map(|d| d.join("photos"));
    // To a captain: their grids' data and work only, other grids' phones masked.
    let filter = crate::bundles::Filter { units: units.map(<[String]>::to_vec), full_phones: true };
    let bytes = from.write(|tx| {
        crate::bundles::export_with(tx, crate::bundles::Scope::All, None, "sync", from_photos.as_deref(), &filter)
            .map(|(b, _)| b)
    })?;
    let bundle = crate::bundles::parse(to.conn(), &bytes)?;
    let sender = crate::bundles::sender_of(to.conn(), &bundle)?;
    let (operator, actor) = (to.operator(), to.actor());
    // Audited in the merge's transaction when anything came in (not at every quiet unlock).
    to.write(|tx| {
        let s = crate::bundles::merge(tx, &bundle, to_photos.as_deref(), &sender)?;
        if s.added + s.updated + s.conflicts > 0 {
            crate::audit::record(tx, &operator, &actor, "bundle.import", target, &s.note())?;
        }
        Ok(s)
    })
}

/// Registers (or updates the grids of) a signer the other database must accept: the captain's
/// key in the coordinator's database, the coordinator's in the captain's. A revoked signer
/// stays revoked: that captain's work then waits, refused, until the coordinator decides.
fn ensure_signer(
    conn: &Connection,
    who: &crate::identity::Identity,
    label: &str,
    role: crate::identity::SignerRole,
    units: &[String],
) -> Result<()> {
    match crate::identity::find(conn, &who.public)? {
        None => {
            let input =
                crate::identity::SignerInput { key: who.text(), label: label.into(), role, units: units.to_vec() };
            crate::identity::register(conn, &input).map(|_| ())
        }
        Some(s) if s.units != units => {
            let json = serde_json::to_string(units).map_err(|e| Error::Internal(e.to_string()))?;
            conn.execute("UPDATE signers SET units = ?2 WHERE public_key = ?1", params![who.text(), json])?;
            Ok(())
        }
        Some(_) => Ok(()),
    }
}

/// Brings a captain's work into the coordinator's database and the coordinator's latest into
/// the captain's (the store is the coordinator's). A captain without a database yet is skipped.
pub fn sync_one(store: &mut Store, id: &str) -> Result<()> {
    let coordinator = coordinator_db(store)?;
    let key = captain_key(store.conn(), id)?;
    if !captain_db(&coordinator, id).exists() {
        return Ok(());
    }
    let mut captain = open_captain(&coordinator, id, None, &key)?;
    let (units, label) = (captain.access().unit_ids.clone(), captain.access().label.clone());
    // The two databases know each other's signing keys before anything crosses.
    let captain_id = captain.write(|tx| crate::identity::own(tx))?;
    let coordinator_id = store.write(|tx| crate::identity::own(tx))?;
    store.write(|tx| ensure_signer(tx, &captain_id, &label, crate::identity::SignerRole::Captain, &units))?;
    captain.write(|tx| {
        ensure_signer(
            tx,
            &coordinator_id,
            crate::access::COORDINATOR_LABEL,
            crate::identity::SignerRole::Coordinator,
            &[],
        )
    })?;
    captain.set_access(Access::coordinator());
    let target = format!("profiles/{id}");
    carry(&mut captain, store, None, &target)?;
    carry(store, &mut captain, Some(&units), &target)?;
    Ok(())
}

/// [`sync_one`] for every captain with a database on this machine, after the coordinator
/// unlocked. One captain's refused work does not hold back the others': it stays in their
/// database, and the error is returned after the rest.
pub fn sync_all(store: &mut Store) -> Result<()> {
    if !store.access().is_coordinator() || store.path().is_none() {
        return Ok(());
    }
    let ids: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM profiles WHERE archived_at IS NULL AND db_key IS NOT NULL ORDER BY label")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut first_error = None;
    for id in ids {
        if let Err(e) = sync_one(store, &id) {
            // Said where the coordinator looks (the audit log): the work waits in the captain's
            // database, refused whole, until the coordinator sees to it.
            let label = get(store.conn(), &id).map(|p| p.label).unwrap_or_else(|_| id.clone());
            let note = crate::audit::Note::new("profile.sync_refused")
                .with("label", &label)
                .with("code", e.code())
                .with("reason", e.to_string());
            store.audit("profile", &format!("profiles/{id}"), note)?;
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

// ---------------------------------------------------------------- managing profiles

/// Whether `p` is the coordinator's passphrase (not counted as a failed unlock: it is the
/// check that a captain's new passphrase differs from it).
fn is_coordinator_passphrase(coordinator: &Path, p: &Passphrase) -> bool {
    crate::keyfile::exists(coordinator) && crate::keyfile::unwrap(coordinator, p).is_ok()
}

fn check_captain_passphrase(coordinator: &Path, p: &Passphrase) -> Result<()> {
    p.check_strength()?;
    if is_coordinator_passphrase(coordinator, p) {
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

/// Makes or updates a captain's own database: its marker (who, units, the slot's recipient).
fn prepare_captain_db(db_path: &Path, id: &str, key: &Passphrase, m: &Marker) -> Result<()> {
    let path = captain_db(db_path, id);
    let mut captain = Store::open_with(&path, Some(key))?;
    let now = util::now();
    captain.write(|tx| {
        set_marker(tx, m)?;
        // Its own row, so what names a profile by its id (the audit log's 身份) reads there too.
        tx.execute(
            "INSERT INTO profiles (id, label, recipient, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT(id) DO UPDATE SET label = excluded.label, recipient = excluded.recipient, updated_at = excluded.updated_at",
            params![m.id, m.label, m.recipient, now],
        )?;
        Ok(())
    })
}

/// Adds (`id` None; passphrase required) or edits a captain profile; a passphrase given on
/// an edit resets the captain's passphrase (a new slot for the same database). A new captain
/// gets a database of their own with a new data key, filled with their grids' data.
/// Coordinator only.
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
    if !store.is_encrypted() {
        return Err(Error::invalid(Code::DbPassphraseRequired, &[]));
    }
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
    let id = id.unwrap_or_else(util::new_id);
    // A profile from before captains had databases (no key) needs a passphrase to get one.
    let old_key = match existing {
        Some(_) => captain_key(store.conn(), &id).ok(),
        None => None,
    };
    if old_key.is_none() && passphrase.is_none() {
        return Err(Error::invalid(Code::ValidationRequired, &[("field", "passphrase")]));
    }
    if let Some(p) = passphrase {
        check_captain_passphrase(&db_path, p)?;
    }
    let key = old_key.unwrap_or_else(crate::keyfile::random_key);
    let mut file = read_slots(&db_path)?;
    let slot = match passphrase {
        Some(p) => new_slot(&id, &label, p, &key)?,
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
    let fresh_db = !captain_db(&db_path, &id).exists();
    prepare_captain_db(
        &db_path,
        &id,
        &key,
        &Marker { id: id.clone(), label: label.clone(), units: units.clone(), recipient: recipient.clone() },
    )?;
    let now = util::now();
    let is_new = existing.is_none();
    let actor = store.actor();
    let saved = store.write(|tx| {
        if is_new {
            tx.execute(
                "INSERT INTO profiles (id, label, recipient, db_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![id, label, recipient, key.expose(), now],
            )?;
        } else {
            tx.execute(
                "UPDATE profiles SET label = ?2, recipient = ?3, db_key = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, label, recipient, key.expose(), now],
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
    });
    if let Err(e) = saved {
        if fresh_db {
            let _ = std::fs::remove_dir_all(captain_dir(&db_path, &id));
        }
        return Err(e);
    }
    sync_one(store, &id)?;
    get(store.conn(), &id)
}

/// Removes a profile: the captain's last work is brought in first, then the profile is
/// archived, its slot deleted and its database (with its backups and photos) deleted — its
/// passphrase opens nothing any more. Coordinator only.
pub fn remove(store: &mut Store, id: &str) -> Result<()> {
    store.authorize(crate::access::Action::ProfilesManage)?;
    let db_path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Internal("in-memory database has no profiles".into()))?;
    let p = get(store.conn(), id)?;
    if captain_key(store.conn(), id).is_ok() {
        sync_one(store, id)?;
    }
    let mut file = read_slots(&db_path)?;
    let now = util::now();
    let actor = store.actor();
    store.write(|tx| {
        tx.execute(
            "UPDATE profiles SET archived_at = coalesce(archived_at, ?2), updated_at = ?2, db_key = NULL WHERE id = ?1",
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
    })?;
    // Its signing key is revoked too: a bundle file it wrote earlier is refused from now on.
    if let Ok(mut captain) = captain_key(store.conn(), id).and_then(|k| open_captain(&db_path, id, None, &k)) {
        if let Some(me) = crate::identity::own_if_made(captain.conn())? {
            if crate::identity::find(store.conn(), &me.public)?.is_some_and(|s| s.revoked_at.is_none()) {
                store.write(|tx| crate::identity::revoke(tx, &me.fingerprint).map(|_| ()))?;
            }
        }
        captain.set_access(Access::coordinator());
    }
    let dir = captain_dir(&db_path, id);
    std::fs::remove_dir_all(&dir).or_else(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(Error::io(dir.display().to_string(), e)),
    })
}

/// The current captain changes their own passphrase (the current one asked again): a new slot
/// for the same database key.
pub fn change_own_passphrase(store: &mut Store, current: &Passphrase, new: &Passphrase) -> Result<()> {
    let id = store.access().profile_id.clone().ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", "")]))?;
    let coordinator = coordinator_db(store)?;
    let (_, key) = open_slot_counted(&coordinator, &id, current)?;
    if store.key().map(|k| k.expose()) != Some(key.expose()) {
        return Err(Error::invalid(Code::ProfileNotFound, &[("id", &id)]));
    }
    check_captain_passphrase(&coordinator, new)?;
    let mut file = read_slots(&coordinator)?;
    let label = store.access().label.clone();
    let fresh = new_slot(&id, &label, new, &key)?;
    let recipient = fresh.recipient.clone();
    let actor = store.actor();
    store.write(|tx| {
        let mut m = marker(tx)?.ok_or_else(|| Error::invalid(Code::ProfileNotFound, &[("id", &id)]))?;
        m.recipient = recipient.clone();
        set_marker(tx, &m)?;
        crate::audit::record(
            tx,
            &crate::settings::get(tx).map(|s| s.operator_name).unwrap_or_default(),
            &actor,
            "passphrase",
            &format!("profiles/{id}"),
            &crate::audit::Note::new("passphrase.captain").with("label", &label),
        )?;
        for s in &mut file.slots {
            if s.id == id {
                *s = fresh.clone();
            }
        }
        write_slots(&coordinator, &file)
    })
}
