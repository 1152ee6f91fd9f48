//! Every row of a bundle checked before the merge writes any, by the rules the forms apply
//! (text limits, codes, times, numbers), plus what only a bundle can break: a unit made its
//! own ancestor, a photo named by a path, a reviewed record replaced without a correction.
//! A captain's bundle is also held to what the access table lets a captain write, in the
//! captain's grids. A bundle is refused whole, naming the first few rows and the count.
//!
//! A row equal to ours, or one we already know and moved past (kept), is not a change: it is
//! neither checked nor held to a captain's scope — a captain's export may carry reference
//! rows it did not change, and nothing of it is written.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::{entity, entity_code, known, read_local, Bundle, Item, Sender};
use crate::error::{issue, Code, Error, Result};
use crate::followups::{Method, Outcome, Risk, VisitResult};
use crate::kinds::{AssignRole, Audience, SessionKind, SessionStatus};
use crate::people::PersonRole;
use crate::rules;
use crate::teams::TeamKind;
use crate::units::UnitKind;
use crate::venues::VenueKind;

/// How many refused rows an error names; the rest are counted.
const NAMED: usize = 3;

/// The tables a captain writes (the access table's `InGrids` writes: sessions they plan,
/// records with their hand-outs, corrections, photos, door-to-door visits, follow-ups).
const CAPTAIN_TABLES: &[&str] =
    &["series", "sessions", "records", "record_corrections", "photos", "visits", "cases", "case_visits"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Add,
    Same,
    Update,
    Kept,
    Conflict,
}

struct Bad {
    table: &'static str,
    id: String,
    field: &'static str,
    reason: &'static str,
}

/// Refuses the bundle (nothing written yet) when a row breaks a rule or, for a captain's
/// bundle, lies outside what the captain may write.
pub fn validate(conn: &Connection, bundle: &Bundle, sender: &Sender) -> Result<()> {
    let items = &bundle.body.items;
    let mut fates = Vec::with_capacity(items.len());
    let mut locals: Vec<Option<Map<String, Value>>> = Vec::with_capacity(items.len());
    for item in items {
        let e = entity(&item.t).ok_or_else(|| Error::invalid(Code::BundleSchema, &[]))?;
        let local = read_local(conn, e, &item.id)?;
        let restored = local.as_ref().and_then(|l| super::keep_phone(e.table, item, &l.row));
        let fate = match &local {
            None => Fate::Add,
            Some(l) if l.hash == item.hash || super::is_masked_ours(restored.as_ref(), Some(l)) => Fate::Same,
            Some(l) if item.known.contains(&l.hash) => Fate::Update,
            Some(_) if known(conn, e.table, &item.id)?.contains(&item.hash) => Fate::Kept,
            Some(_) => Fate::Conflict,
        };
        fates.push(fate);
        locals.push(local.filter(|_| !matches!(fate, Fate::Same | Fate::Kept)).map(|l| l.row));
    }
    // Looked up per row below: indexed once, so a bundle of a city's year stays linear.
    let mut changing = HashMap::new();
    let mut corrected = HashSet::new();
    for (item, fate) in items.iter().zip(&fates) {
        if !matches!(fate, Fate::Same | Fate::Kept) {
            changing.insert((item.t.as_str(), item.id.as_str()), &item.row);
        }
        if item.t == "record_corrections" && *fate == Fate::Add {
            if let Some(r) = text(&item.row, "record_id") {
                corrected.insert(r);
            }
        }
    }
    let view = View { conn, changing, corrected };

    if let Sender::Captain { units } = sender {
        let grids = subtree(conn, units)?;
        let mut out: Vec<(&Item, String)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if matches!(fates[i], Fate::Same | Fate::Kept) {
                continue;
            }
            let inside = CAPTAIN_TABLES.contains(&item.t.as_str()) && {
                let mut units = view.units_of(&item.t, &item.row)?;
                if let Some(l) = &locals[i] {
                    units.extend(view.units_of(&item.t, l)?);
                }
                !units.is_empty() && units.iter().all(|u| u.as_ref().is_some_and(|u| grids.contains(u)))
            };
            if !inside {
                out.push((item, super::label_of(conn, &item.t, &item.id, &serde_json::json!({ "row": item.row }))));
            }
        }
        if !out.is_empty() {
            let mut issues: Vec<_> = out
                .iter()
                .take(NAMED)
                .map(|(item, label)| {
                    issue(
                        Code::BundleOutOfScope,
                        &[("entity", entity_code(&item.t)), ("id", &item.id), ("label", label)],
                    )
                })
                .collect();
            more(&mut issues, out.len());
            return Err(Error::Invalid(issues));
        }
    }

    let mut bad = Vec::new();
    let mut parents: Vec<(&str, Option<String>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if matches!(fates[i], Fate::Same | Fate::Kept) {
            continue;
        }
        let e = entity(&item.t).expect("checked above");
        let mut r = Row { table: e.table, id: &item.id, bad: &mut bad };
        r.common(&item.row);
        r.table_rules(&item.row);
        for (t, rows) in &item.children {
            for c in rows {
                r.child(t, c);
            }
        }
        if e.table == "units" && fates[i] != Fate::Conflict {
            parents.push((&item.id, item.row.get("parent_id").and_then(Value::as_str).map(String::from)));
        }
        // A reviewed (reported) record changes only through a correction, which travels as a
        // record_corrections row of its own: an overwrite without a new one is refused.
        if e.table == "records" && fates[i] == Fate::Update {
            let reviewed = locals[i].as_ref().and_then(|l| l.get("reviewed_at")).is_some_and(|v| !v.is_null());
            if reviewed && !view.new_correction_for(&item.id) {
                bad.push(Bad { table: "records", id: item.id.clone(), field: "reviewedAt", reason: "locked" });
            }
        }
    }
    if !parents.is_empty() {
        let mut map = local_parents(conn)?;
        for (id, p) in parents {
            map.insert(id.to_string(), p);
        }
        if let Some(id) = crate::units::find_cycle(&map) {
            bad.push(Bad { table: "units", id, field: "parent", reason: "cycle" });
        }
    }
    for name in bundle.body.files.keys() {
        if !crate::photos::is_file_name(name) {
            bad.push(Bad { table: "photos", id: name.clone(), field: "file", reason: "file_name" });
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    let mut issues: Vec<_> = bad
        .iter()
        .take(NAMED)
        .map(|b| {
            issue(
                Code::BundleRowInvalid,
                &[("entity", entity_code(b.table)), ("id", &b.id), ("field", b.field), ("reason", b.reason)],
            )
        })
        .collect();
    more(&mut issues, bad.len());
    Err(Error::Invalid(issues))
}

fn more(issues: &mut Vec<crate::error::Issue>, count: usize) {
    if count > NAMED {
        issues.push(issue(
            Code::BundleRowsMore,
            &[("more", &(count - NAMED).to_string()), ("count", &count.to_string())],
        ));
    }
}

/// Every unit at or below `units`, from this database's tree, walked in memory.
pub(super) fn subtree(conn: &Connection, units: &[String]) -> Result<HashSet<String>> {
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for (id, parent) in local_parents(conn)? {
        if let Some(p) = parent {
            children.entry(p).or_default().push(id);
        }
    }
    let mut out = HashSet::new();
    let mut todo: Vec<String> = units.to_vec();
    while let Some(u) = todo.pop() {
        if out.insert(u.clone()) {
            todo.extend(children.get(&u).cloned().unwrap_or_default());
        }
    }
    Ok(out)
}

/// Refuses (`bundle.row_invalid`, reason `cycle`) when the units table, as it now stands in
/// the transaction, makes a unit its own ancestor.
pub(super) fn no_cycle(conn: &Connection, id: &str) -> Result<()> {
    match crate::units::find_cycle(&local_parents(conn)?) {
        None => Ok(()),
        Some(_) => Err(Error::invalid(
            Code::BundleRowInvalid,
            &[("entity", "unit"), ("id", id), ("field", "parent"), ("reason", "cycle")],
        )),
    }
}

fn local_parents(conn: &Connection) -> Result<HashMap<String, Option<String>>> {
    let mut st = conn.prepare_cached("SELECT id, parent_id FROM units")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// The bundle beside this database: a row's unit is read from the bundle's version when the
/// bundle changes it, and from ours as well.
struct View<'a> {
    conn: &'a Connection,
    /// The rows the bundle changes (added, updated or in conflict), by table and id.
    changing: HashMap<(&'a str, &'a str), &'a Map<String, Value>>,
    /// The records the bundle brings a new correction of.
    corrected: HashSet<&'a str>,
}

impl View<'_> {
    fn incoming(&self, table: &str, id: &str) -> Option<&Map<String, Value>> {
        self.changing.get(&(table, id)).copied()
    }

    fn local(&self, sql: &str, id: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row(sql, [id], |r| r.get::<_, Option<String>>(0)).optional()?.flatten())
    }

    /// A session's unit: its own, else its venue's (as `sessions::unit_of`), for the
    /// bundle's version and ours.
    fn session_units(&self, id: &str) -> Result<Vec<Option<String>>> {
        let mut out = Vec::new();
        if let Some(row) = self.incoming("sessions", id) {
            out.push(self.session_row_unit(row)?);
        }
        let exists: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM sessions WHERE id = ?1)", [id], |r| r.get(0))?;
        if exists {
            out.push(crate::sessions::unit_of(self.conn, id)?);
        }
        Ok(out)
    }

    fn session_row_unit(&self, row: &Map<String, Value>) -> Result<Option<String>> {
        if let Some(u) = text(row, "unit_id") {
            return Ok(Some(u.to_string()));
        }
        match text(row, "venue_id") {
            Some(v) => self.local("SELECT unit_id FROM venues WHERE id = ?1", v),
            None => Ok(None),
        }
    }

    /// The units a row belongs to, resolved as the row guards in `profiles` resolve them.
    fn units_of(&self, table: &str, row: &Map<String, Value>) -> Result<Vec<Option<String>>> {
        let id = |k: &str| text(row, k).unwrap_or("").to_string();
        Ok(match table {
            "sessions" => vec![self.session_row_unit(row)?],
            // A series (a captain plans recurring talks too) is where its sessions are: every
            // one, in the bundle and ours; a series with none is nobody's grid.
            "series" => {
                let sid = id("id");
                let mut out = Vec::new();
                for ((t, _), r) in &self.changing {
                    if *t == "sessions" && text(r, "series_id") == Some(sid.as_str()) {
                        out.push(self.session_row_unit(r)?);
                    }
                }
                let ours: Vec<String> = self
                    .conn
                    .prepare_cached("SELECT id FROM sessions WHERE series_id = ?1")?
                    .query_map([&sid], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for s in ours {
                    out.extend(self.session_units(&s)?);
                }
                out
            }
            "records" => self.session_units(&id("id"))?,
            "record_corrections" | "photos" => self.session_units(&id("record_id"))?,
            "visits" | "cases" => vec![text(row, "grid_id").map(String::from)],
            "case_visits" => {
                let case = id("case_id");
                let mut out: Vec<Option<String>> =
                    self.incoming("cases", &case).map(|c| text(c, "grid_id").map(String::from)).into_iter().collect();
                if let Some(g) = self.local("SELECT grid_id FROM cases WHERE id = ?1", &case)? {
                    out.push(Some(g));
                }
                out
            }
            _ => vec![None],
        })
    }

    /// Whether the bundle brings a correction of the record that we do not have yet.
    fn new_correction_for(&self, record_id: &str) -> bool {
        self.corrected.contains(record_id)
    }
}

fn text<'a>(row: &'a Map<String, Value>, col: &str) -> Option<&'a str> {
    row.get(col).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Whether `s` is the stored code of one of an enum's values (the code, not its label).
macro_rules! code_of {
    ($ty:ty, $s:expr) => {{
        let s: &str = $s;
        <$ty>::parse(s).is_some_and(|k| k.as_str() == s)
    }};
}

/// One row's checks, collecting what is wrong with it.
struct Row<'a, 'b> {
    table: &'static str,
    id: &'a str,
    bad: &'b mut Vec<Bad>,
}

impl Row<'_, '_> {
    fn push(&mut self, field: &'static str, reason: &'static str) {
        self.bad.push(Bad { table: self.table, id: self.id.to_string(), field, reason });
    }

    /// A text column: a string (or NULL where `optional`), not over `max` characters.
    fn text(&mut self, row: &Map<String, Value>, col: &str, field: &'static str, max: usize, required: bool) {
        match row.get(col) {
            Some(Value::String(s)) => {
                if required && s.trim().is_empty() {
                    self.push(field, "required");
                } else if s.chars().count() > max {
                    self.push(field, "too_long");
                }
            }
            Some(Value::Null) if !required => {}
            // A column the table does not have is the schema's refusal (`bundle.schema`).
            None => {}
            _ => self.push(field, if required { "required" } else { "format" }),
        }
    }

    fn str_of<'r>(&mut self, row: &'r Map<String, Value>, col: &str, field: &'static str) -> Option<&'r str> {
        match row.get(col) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) | None => None,
            _ => {
                self.push(field, "format");
                None
            }
        }
    }

    fn code(&mut self, row: &Map<String, Value>, col: &str, field: &'static str, ok: fn(&str) -> bool) {
        if let Some(s) = self.str_of(row, col, field) {
            if !ok(s) {
                self.push(field, "choice");
            }
        }
    }

    fn date(&mut self, row: &Map<String, Value>, col: &str, field: &'static str) {
        if let Some(s) = self.str_of(row, col, field) {
            if s.len() != 10 || crate::time::day(s).is_none() {
                self.push(field, "format");
            }
        }
    }

    fn stamp(&mut self, row: &Map<String, Value>, col: &str) {
        if let Some(s) = self.str_of(row, col, "stamp") {
            if s.len() > 40 || crate::time::day(s).is_none() {
                self.push("stamp", "format");
            }
        }
    }

    fn id_ref(&mut self, row: &Map<String, Value>, col: &str, field: &'static str) {
        if let Some(s) = self.str_of(row, col, field) {
            if crate::util::check_id(s).is_err() {
                self.push(field, "format");
            }
        }
    }

    /// A whole number in `min..=max` (NULL passes; the schema says where it may be NULL).
    fn int(&mut self, row: &Map<String, Value>, col: &str, field: &'static str, min: i64, max: i64) {
        match row.get(col) {
            Some(Value::Null) | None => {}
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if (min..=max).contains(&i) => {}
                _ => self.push(field, "range"),
            },
            _ => self.push(field, "format"),
        }
    }

    /// A JSON list in a text column, each element checked by `ok`.
    fn list(&mut self, row: &Map<String, Value>, col: &str, field: &'static str, ok: impl Fn(&str) -> bool) {
        let Some(s) = self.str_of(row, col, field) else { return };
        match serde_json::from_str::<Vec<String>>(s) {
            Ok(v) if v.iter().all(|x| ok(x)) => {}
            Ok(_) => self.push(field, "choice"),
            Err(_) => self.push(field, "format"),
        }
    }

    fn phone(&mut self, row: &Map<String, Value>, col: &str, field: &'static str) {
        if let Some(s) = self.str_of(row, col, field) {
            if !crate::phone::is_stored(s) {
                self.push(field, "format");
            }
        }
    }

    /// Two times to the minute as stored, the end after the start and not too long.
    fn span(
        &mut self,
        row: &Map<String, Value>,
        cols: (&str, &str),
        fields: (&'static str, &'static str),
        record: bool,
    ) {
        let (Some(s), Some(e)) = (self.str_of(row, cols.0, fields.0), self.str_of(row, cols.1, fields.1)) else {
            return;
        };
        if !crate::time::is_minute(s) {
            return self.push(fields.0, "format");
        }
        if !crate::time::is_minute(e) {
            return self.push(fields.1, "format");
        }
        let ok =
            if record { crate::records::check_span(s, e).is_ok() } else { crate::sessions::check_times(s, e).is_ok() };
        if !ok {
            self.push(fields.1, "order");
        }
    }

    fn common(&mut self, row: &Map<String, Value>) {
        if text(row, "id") != Some(self.id) {
            self.push("id", "mismatch");
        }
        for col in ["created_at", "updated_at"] {
            if row.get(col).is_some_and(Value::is_null) {
                self.push("stamp", "format");
            }
            self.stamp(row, col);
        }
        for col in ["archived_at", "removed_at", "voided_at", "reviewed_at", "purged_at"] {
            self.stamp(row, col);
        }
    }

    fn table_rules(&mut self, row: &Map<String, Value>) {
        let id_ok = |s: &str| crate::util::check_id(s).is_ok();
        match self.table {
            "units" => {
                self.text(row, "name", "name", rules::UNIT_NAME, true);
                self.text(row, "code", "code", rules::UNIT_CODE, false);
                self.text(row, "notes", "notes", rules::GRID_NOTES, false);
                self.code(row, "kind", "kind", |s| code_of!(UnitKind, s));
                self.id_ref(row, "parent_id", "parent");
                if text(row, "parent_id") == Some(self.id) {
                    self.push("parent", "cycle");
                }
                for (col, field) in [
                    ("households", "households"),
                    ("residents", "residents"),
                    ("under18", "under18"),
                    ("age18to59", "age18to59"),
                    ("age60plus", "age60plus"),
                    ("students", "students"),
                    ("elderly_alone", "elderlyAlone"),
                    ("finance_staff", "financeStaff"),
                ] {
                    self.int(row, col, field, 0, i64::from(u32::MAX));
                }
            }
            "topics" => {
                self.text(row, "name", "name", rules::TOPIC_NAME, true);
                self.list(row, "audiences", "audiences", |s| code_of!(Audience, s));
                self.list(row, "tips", "notes", |s| s.chars().count() <= rules::TOPIC_TIP);
            }
            "people" => {
                self.text(row, "name", "name", rules::PERSON_NAME, true);
                self.text(row, "notes", "notes", rules::PERSON_NOTES, false);
                self.phone(row, "phone", "phone");
                self.id_ref(row, "unit_id", "unit");
                self.list(row, "roles", "roles", |s| code_of!(PersonRole, s));
                self.list(row, "topic_ids", "topics", id_ok);
                self.date(row, "joined_on", "joinedOn");
                self.int(row, "active", "active", 0, 1);
            }
            "teams" => {
                self.text(row, "name", "name", rules::TEAM_NAME, true);
                self.code(row, "kind", "kind", |s| code_of!(TeamKind, s));
                self.id_ref(row, "unit_id", "unit");
                self.id_ref(row, "captain_id", "captain");
            }
            "venues" => {
                self.text(row, "name", "name", rules::VENUE_NAME, true);
                self.code(row, "kind", "kind", |s| code_of!(VenueKind, s));
                self.text(row, "address", "address", rules::VENUE_ADDRESS, false);
                self.text(row, "contact_name", "contactName", rules::VENUE_CONTACT, false);
                self.text(row, "notes", "notes", rules::VENUE_NOTES, false);
                self.phone(row, "contact_phone", "contactPhone");
                self.id_ref(row, "unit_id", "unit");
                self.id_ref(row, "vice_principal_id", "vicePrincipal");
                self.date(row, "letter_signed_on", "letterSignedOn");
                self.int(row, "staff_count", "staffCount", 0, i64::from(u32::MAX));
            }
            "materials" => {
                self.text(row, "name", "name", rules::MATERIAL_NAME, true);
                self.text(row, "unit_label", "unitLabel", rules::MATERIAL_UNIT_LABEL, true);
                self.int(row, "low_stock", "lowStock", 0, i64::from(u32::MAX));
            }
            "templates" => {
                self.text(row, "name", "name", rules::TEMPLATE_NAME, true);
                self.code(row, "kind", "kind", |s| code_of!(SessionKind, s));
                self.code(row, "venue_kind", "kind", |s| s.is_empty() || code_of!(VenueKind, s));
                self.int(row, "duration_minutes", "durationMinutes", 1, rules::SESSION_MAX_HOURS * 60);
                self.list(row, "audiences", "audiences", |s| code_of!(Audience, s));
                self.list(row, "roles", "role", |s| code_of!(AssignRole, s));
            }
            "series" => {
                if let Some(rule) = self.str_of(row, "rule", "rule") {
                    if serde_json::from_str::<crate::series::Repeat>(rule).is_err() {
                        self.push("rule", "format");
                    }
                }
                self.int(row, "count", "quantity", 1, i64::from(rules::SERIES_MAX));
            }
            "sessions" => {
                self.text(row, "title", "title", rules::SESSION_TITLE, true);
                self.text(row, "notes", "notes", rules::SESSION_NOTES, false);
                self.text(row, "channel", "channel", rules::SESSION_CHANNEL, false);
                self.text(row, "cancel_reason", "cancelReason", rules::SESSION_REASON, false);
                self.code(row, "kind", "kind", |s| code_of!(SessionKind, s));
                self.code(row, "status", "status", |s| code_of!(SessionStatus, s));
                self.span(row, ("starts_at", "ends_at"), ("start", "end"), false);
                self.list(row, "audiences", "audiences", |s| code_of!(Audience, s));
                self.list(row, "topic_ids", "topics", id_ok);
                for (col, field) in [("unit_id", "unit"), ("venue_id", "venue"), ("series_id", "rule")] {
                    self.id_ref(row, col, field);
                }
                self.int(row, "expected_audience", "headcount", 0, crate::records::MAX_HEADCOUNT);
                self.int(row, "messages", "messages", 0, crate::records::MAX_HEADCOUNT);
                self.int(row, "revision", "stamp", 0, i64::from(u32::MAX));
                self.int(row, "series_index", "rule", 0, i64::from(rules::SERIES_MAX));
            }
            "records" => {
                self.span(row, ("actual_start", "actual_end"), ("actualStart", "actualEnd"), true);
                self.int(row, "headcount", "headcount", 0, crate::records::MAX_HEADCOUNT);
                self.text(row, "notes", "notes", rules::RECORD_NOTES, false);
                // The operator as `Store::operator` writes it: a name and, for a captain, the profile's label.
                self.text(row, "recorded_by", "operatorName", rules::OPERATOR_NAME + rules::PROFILE_LABEL + 2, false);
                self.int(row, "corrections", "stamp", 0, i64::from(u32::MAX));
                if let Some(s) = self.str_of(row, "signin_names", "signinNames") {
                    match serde_json::from_str::<Vec<String>>(s) {
                        Ok(v) if v.len() > crate::records::MAX_SIGNIN_NAMES => self.push("signinNames", "range"),
                        Ok(v) if v.iter().any(|n| n.chars().count() > 40) => self.push("signinNames", "too_long"),
                        Ok(_) => {}
                        Err(_) => self.push("signinNames", "format"),
                    }
                }
            }
            "record_corrections" => {
                self.id_ref(row, "record_id", "id");
                self.text(row, "reason", "reason", rules::RECORD_REASON, true);
            }
            "photos" => {
                self.id_ref(row, "record_id", "id");
                match row.get("sha256").and_then(Value::as_str) {
                    Some(s) if crate::photos::is_sha(s) => {}
                    _ => self.push("sha256", "file_name"),
                }
                self.code(row, "ext", "ext", |s| crate::photos::EXTS.contains(&s));
                self.text(row, "caption", "caption", rules::PHOTO_CAPTION, false);
                for col in ["width", "height", "bytes"] {
                    self.int(row, col, "file", 0, i64::from(u32::MAX));
                }
                match row.get("thumb").and_then(Value::as_str) {
                    Some(t) if t.starts_with("data:image/jpeg;base64,") => {}
                    _ => self.push("file", "format"),
                }
            }
            "visits" => {
                self.id_ref(row, "grid_id", "unit");
                self.id_ref(row, "session_id", "sessionId");
                self.text(row, "building", "building", rules::VISIT_BUILDING, false);
                self.text(row, "notes", "notes", rules::VISIT_NOTES, false);
                self.date(row, "visited_on", "visitedOn");
                for (col, field) in
                    [("visited", "visited"), ("not_home", "notHome"), ("refused", "refused"), ("warnings", "warnings")]
                {
                    self.int(row, col, field, 0, crate::records::MAX_HEADCOUNT);
                }
                self.list(row, "visitor_ids", "person", id_ok);
            }
            "cases" => {
                self.id_ref(row, "grid_id", "unit");
                self.id_ref(row, "worker_id", "person");
                self.text(row, "name", "residentName", rules::CASE_NAME, false);
                self.phone(row, "phone", "phone");
                self.text(row, "notes", "notes", rules::CASE_NOTES, false);
                self.code(row, "risk", "risk", |s| code_of!(Risk, s));
                self.code(row, "method", "method", |s| code_of!(Method, s));
                self.code(row, "outcome", "outcome", |s| code_of!(Outcome, s));
                self.int(row, "money_stopped", "outcome", 0, 1);
                self.date(row, "warned_on", "warnedOn");
                self.date(row, "closed_on", "doneOn");
                self.date(row, "purge_on", "purgeDays");
            }
            "case_visits" => {
                self.id_ref(row, "case_id", "id");
                self.id_ref(row, "visitor_id", "person");
                self.int(row, "seq", "dueOn", 1, 100);
                self.date(row, "due_on", "dueOn");
                self.date(row, "done_on", "doneOn");
                self.code(row, "method", "method", |s| code_of!(Method, s));
                self.code(row, "result", "result", |s| code_of!(VisitResult, s));
                self.text(row, "notes", "notes", rules::CASE_NOTES, false);
            }
            "stock_moves" => {
                self.id_ref(row, "material_id", "material");
                self.id_ref(row, "to_unit_id", "unit");
                self.id_ref(row, "from_unit_id", "fromUnit");
                self.int(row, "quantity", "quantity", 1, i64::from(u32::MAX));
                self.date(row, "moved_on", "movedOn");
                self.text(row, "source", "source", rules::MOVE_SOURCE, false);
                self.text(row, "notes", "notes", rules::MOVE_NOTES, false);
            }
            "targets" => {
                self.id_ref(row, "unit_id", "unit");
                self.date(row, "period_from", "periodFrom");
                self.date(row, "period_to", "periodTo");
                match row.get("value").and_then(Value::as_f64) {
                    Some(v) if v >= 0.0 && v.is_finite() => {}
                    _ => self.push("target", "range"),
                }
            }
            _ => {}
        }
    }

    fn child(&mut self, table: &str, row: &Map<String, Value>) {
        match table {
            "session_people" => {
                self.id_ref(row, "person_id", "person");
                self.code(row, "role", "role", |s| code_of!(AssignRole, s));
            }
            "team_members" => self.id_ref(row, "person_id", "person"),
            "record_audiences" => {
                self.code(row, "audience", "audience", |s| code_of!(Audience, s));
                self.int(row, "count", "audience", 0, crate::records::MAX_HEADCOUNT);
            }
            "record_speakers" => {
                self.id_ref(row, "person_id", "person");
                match row.get("hours").and_then(Value::as_f64) {
                    Some(h) if (0.0..=24.0).contains(&h) => {}
                    _ => self.push("hours", "range"),
                }
            }
            "record_materials" => {
                self.id_ref(row, "material_id", "material");
                self.int(row, "quantity", "quantity", 1, crate::records::MAX_HEADCOUNT);
            }
            _ => {}
        }
    }
}
