//! Hand-over bundles (C7): a captain's laptop exports what it holds, the coordinator
//! imports it; the coordinator can also hand a captain the reference data.
//!
//! A bundle is one file: a magic line, a header line (format, schema version, byte length
//! and SHA-256 of the body) and a JSON body. The body lists entities — a row of one of the
//! synced tables with its child rows — each with its version (the SHA-256 of its canonical
//! JSON, `updated_at` left out) and every version of it the sender has known.
//!
//! Merging one entity, with L our version and I the incoming one:
//! - we have no such row: it is added;
//! - L = I: nothing to do;
//! - L is among I's known versions: the sender built on ours, so I is taken;
//! - I is among our known versions: we already had it and moved on, so L is kept;
//! - otherwise both sides changed it: a conflict is listed for the coordinator and
//!   nothing is overwritten.
//!
//! Taking and keeping record the versions as known here, so importing the same bundle
//! twice changes nothing and disjoint changes from several captains merge in any order.
//!
//! Nothing is trusted for being well formed: before the first write, [`validate`]
//! (`bundles/check.rs`) holds every row that would change to the forms' rules, and a
//! captain's bundle ([`Sender::Captain`]) to what a captain writes in their grids.
//!
//! A bundle carrying personal data (scope all) is encrypted with a passphrase chosen at
//! export: the file is then a binary age v1 file (first line `age-encryption.org/v1`, one
//! scrypt stanza, header MAC, ChaCha20-Poly1305 in 64 KiB chunks) whose plaintext is the
//! bundle above, so `age -d` opens it too. [`open`] authenticates every byte of it before
//! [`parse`] sees any; reference bundles stay plaintext unless a passphrase is given.
//!
//! Every bundle is signed (format 2): the header names the signer (`ed25519:<base64>`, the
//! exporting database's own key, see `identity`) and carries an Ed25519 signature of the header
//! without its signature field; the header holds the body's SHA-256, so the signature covers the
//! body too. [`parse`] checks the signature and looks the signer up before the body is read: the
//! database's own key and registered, unrevoked signers are accepted, anyone else refused
//! (`bundle.signer_unknown`, naming the fingerprint to compare on the phone). An unsigned
//! bundle of format 1 is refused as `bundle.unsigned`.

use crate::error::Code;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use base64::Engine;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::passphrase::{Passphrase, MAX_WORK_FACTOR};
use crate::util::{new_id, now};

mod check;
pub use check::validate;

pub const MAGIC: &str = "OUTREACH-DESK-BUNDLE";
pub const FORMAT_VERSION: u32 = 2;
/// The last format without signatures.
const UNSIGNED_VERSION: u32 = 1;
/// The first line of an encrypted bundle: that of every age v1 file.
pub const AGE_MAGIC: &str = "age-encryption.org/v1";

/// A synced table, the child tables that belong to its rows, and the column that names a
/// row for people reading a conflict.
struct Entity {
    table: &'static str,
    children: &'static [(&'static str, &'static str)],
    label: &'static str,
    reference: bool,
}

/// In an order that satisfies foreign keys (they are also deferred during an import).
const ENTITIES: &[Entity] = &[
    Entity { table: "units", children: &[], label: "name", reference: true },
    Entity { table: "topics", children: &[], label: "name", reference: true },
    Entity { table: "people", children: &[], label: "name", reference: true },
    Entity { table: "teams", children: &[("team_members", "team_id")], label: "name", reference: true },
    Entity { table: "venues", children: &[], label: "name", reference: true },
    Entity { table: "materials", children: &[], label: "name", reference: true },
    Entity { table: "templates", children: &[], label: "name", reference: true },
    Entity { table: "series", children: &[], label: "id", reference: true },
    Entity { table: "sessions", children: &[("session_people", "session_id")], label: "title", reference: true },
    Entity {
        table: "records",
        children: &[
            ("record_audiences", "record_id"),
            ("record_speakers", "record_id"),
            ("record_materials", "record_id"),
        ],
        label: "actual_start",
        reference: false,
    },
    Entity { table: "record_corrections", children: &[], label: "reason", reference: false },
    Entity { table: "photos", children: &[], label: "caption", reference: false },
    Entity { table: "visits", children: &[], label: "visited_on", reference: false },
    Entity { table: "cases", children: &[], label: "warned_on", reference: false },
    Entity { table: "case_visits", children: &[], label: "due_on", reference: false },
    Entity { table: "stock_moves", children: &[], label: "moved_on", reference: false },
    Entity { table: "targets", children: &[], label: "metric", reference: true },
];

fn entity(table: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.table == table)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema: usize,
    pub created_at: String,
    pub origin: String,
    pub scope: String,
    pub since: Option<String>,
    pub entities: usize,
    pub body_bytes: usize,
    pub sha256: String,
    /// The signing database's public key, `ed25519:<base64>`.
    #[serde(default)]
    pub signer: String,
    /// The sender's audit chain head when it exported (`audit::head`).
    #[serde(default)]
    pub audit_head: Option<String>,
    /// Ed25519 signature (base64) of the header as written with this field left out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub t: String,
    pub id: String,
    pub hash: String,
    pub known: Vec<String>,
    pub row: Map<String, Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub children: BTreeMap<String, Vec<Map<String, Value>>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Body {
    pub items: Vec<Item>,
    /// Photo originals, named `<sha256>.<ext>`, base64.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

pub struct Bundle {
    pub header: Header,
    pub body: Body,
}

/// Who a bundle comes from, which decides what it may change: the coordinator's may carry
/// any synced table; a captain's only what a captain writes, in the captain's units.
pub enum Sender {
    Coordinator,
    Captain { units: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Scope {
    /// Everything in the database.
    All,
    /// What a captain's fresh laptop needs: the organisation, people, venues, the libraries
    /// and the sessions still to be held.
    Reference,
}

// ---------------------------------------------------------------- canonical form and hashing

fn canon(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, &Value> = m.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                canon(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canon(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap_or_default()),
    }
}

fn canon_string(v: &Value) -> String {
    let mut s = String::new();
    canon(v, &mut s);
    s
}

/// The version of an entity: its row without `updated_at` (two sides making the same edit
/// at different moments agree) and its child rows in a fixed order.
pub fn version(row: &Map<String, Value>, children: &BTreeMap<String, Vec<Map<String, Value>>>) -> String {
    let mut r = row.clone();
    r.remove("updated_at");
    let mut kids = Map::new();
    for (t, rows) in children {
        let mut list: Vec<String> = rows.iter().map(|c| canon_string(&Value::Object(c.clone()))).collect();
        list.sort();
        kids.insert(t.clone(), Value::Array(list.into_iter().map(Value::String).collect()));
    }
    let v = serde_json::json!({ "row": Value::Object(r), "children": Value::Object(kids) });
    hex::encode(Sha256::digest(canon_string(&v).as_bytes()))
}

// ---------------------------------------------------------------- reading and writing rows

fn to_json(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => serde_json::json!({ "$b": base64::engine::general_purpose::STANDARD.encode(b) }),
    }
}

fn to_sql(v: &Value) -> Result<SqlValue> {
    Ok(match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Object(m) => match m.get("$b").and_then(Value::as_str) {
            Some(b) => SqlValue::Blob(base64::engine::general_purpose::STANDARD.decode(b).map_err(|_| tampered())?),
            None => return Err(tampered()),
        },
        Value::Array(_) => return Err(tampered()),
    })
}

fn rows_where(conn: &Connection, table: &str, col: &str, id: &str) -> Result<Vec<Map<String, Value>>> {
    let mut st = conn.prepare_cached(&format!("SELECT * FROM {table} WHERE {col} = ?1"))?;
    let names: Vec<String> = st.column_names().into_iter().map(String::from).collect();
    let mut rows = st.query([id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut m = Map::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.clone(), to_json(r.get_ref(i)?));
        }
        out.push(m);
    }
    Ok(out)
}

struct Local {
    row: Map<String, Value>,
    children: BTreeMap<String, Vec<Map<String, Value>>>,
    hash: String,
}

fn read_local(conn: &Connection, e: &Entity, id: &str) -> Result<Option<Local>> {
    let Some(row) = rows_where(conn, e.table, "id", id)?.pop() else { return Ok(None) };
    let mut children = BTreeMap::new();
    for (t, fk) in e.children {
        children.insert(t.to_string(), rows_where(conn, t, fk, id)?);
    }
    let hash = version(&row, &children);
    Ok(Some(Local { row, children, hash }))
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let cols = st.query_map([], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(cols)
}

fn check_columns(cols: &[String], row: &Map<String, Value>) -> Result<()> {
    if row.len() != cols.len() || !cols.iter().all(|c| row.contains_key(c)) {
        return Err(Error::invalid(Code::BundleSchema, &[]));
    }
    Ok(())
}

fn write_entity(conn: &Connection, e: &Entity, item: &Item) -> Result<()> {
    let cols = columns(conn, e.table)?;
    check_columns(&cols, &item.row)?;
    let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = cols.iter().filter(|c| *c != "id").map(|c| format!("{c}=excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT(id) DO UPDATE SET {}",
        e.table,
        cols.join(","),
        placeholders.join(","),
        updates.join(",")
    );
    let values: Vec<SqlValue> = cols.iter().map(|c| to_sql(&item.row[c])).collect::<Result<_>>()?;
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values)).map_err(|err| clash(err, e, item))?;
    for (t, fk) in e.children {
        conn.prepare_cached(&format!("DELETE FROM {t} WHERE {fk} = ?1"))?.execute([&item.id])?;
        let ccols = columns(conn, t)?;
        let ph: Vec<String> = (1..=ccols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO {t} ({}) VALUES ({})", ccols.join(","), ph.join(","));
        for child in item.children.get(*t).map(Vec::as_slice).unwrap_or(&[]) {
            check_columns(&ccols, child)?;
            if child.get(*fk).and_then(Value::as_str) != Some(item.id.as_str()) {
                return Err(tampered());
            }
            let values: Vec<SqlValue> = ccols.iter().map(|c| to_sql(&child[c])).collect::<Result<_>>()?;
            conn.prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values))
                .map_err(|err| clash(err, e, item))?;
        }
    }
    Ok(())
}

/// A unique name taken by a different row here (two machines named a new item alike).
fn clash(err: rusqlite::Error, e: &Entity, item: &Item) -> Error {
    if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        let label = item.row.get(e.label).and_then(Value::as_str).unwrap_or(&item.id).to_string();
        return Error::invalid(Code::BundleConstraint, &[("entity", entity_code(e.table)), ("name", &label)]);
    }
    Error::Db(err)
}

fn known(conn: &Connection, table: &str, id: &str) -> Result<BTreeSet<String>> {
    let mut st = conn.prepare_cached("SELECT hash FROM sync_known WHERE tbl = ?1 AND row_id = ?2")?;
    let set = st.query_map([table, id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    Ok(set)
}

fn remember<'a>(conn: &Connection, table: &str, id: &str, hashes: impl IntoIterator<Item = &'a String>) -> Result<()> {
    let mut st = conn.prepare_cached("INSERT OR IGNORE INTO sync_known(tbl, row_id, hash) VALUES (?1, ?2, ?3)")?;
    for h in hashes {
        st.execute(params![table, id, h])?;
    }
    Ok(())
}

/// The entity code of a table, as errors carry it (`Error::not_found`'s codes).
pub fn entity_code(table: &str) -> &'static str {
    match table {
        "units" => "unit",
        "topics" => "topic",
        "people" => "person",
        "teams" => "team",
        "venues" => "venue",
        "materials" => "material",
        "templates" => "template",
        "series" => "series",
        "sessions" => "session",
        "records" => "record",
        "record_corrections" => "correction",
        "photos" => "photo",
        "visits" => "visit",
        "cases" => "case",
        "case_visits" => "caseVisit",
        "stock_moves" => "stockMove",
        "targets" => "target",
        _ => "row",
    }
}

pub fn entity_zh(table: &str) -> &'static str {
    match table {
        "units" => "单位",
        "topics" => "宣讲主题",
        "people" => "人员",
        "teams" => "队伍",
        "venues" => "场所",
        "materials" => "物资",
        "templates" => "活动模板",
        "series" => "重复活动",
        "sessions" => "活动",
        "records" => "活动记录",
        "record_corrections" => "更正记录",
        "photos" => "照片",
        "visits" => "走访记录",
        "cases" => "预警对象",
        "case_visits" => "回访",
        "stock_moves" => "出入库",
        "targets" => "工作目标",
        _ => "记录",
    }
}

// ---------------------------------------------------------------- export

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ExportSummary {
    pub entities: u32,
    pub files: u32,
    pub bytes: u32,
    /// Encrypted with the passphrase given at export.
    pub encrypted: bool,
}

/// Writes a bundle of the database (rows changed at or after `since`, when given). The
/// versions sent are remembered as known here, which is what lets the next bundle from the
/// other side be recognised as built on them.
pub fn export(
    conn: &Connection,
    scope: Scope,
    since: Option<&str>,
    origin: &str,
    photos_dir: Option<&Path>,
) -> Result<(Vec<u8>, ExportSummary)> {
    export_with(conn, scope, since, origin, photos_dir, &Filter { units: None, full_phones: true })
}

/// What a reference bundle carries (a bundle of everything carries everything, in full).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// One captain's units: only what those grids need — the units below them and above them
    /// (so the tree hangs together), their venues, their sessions still to be held, the people
    /// of those grids and sessions, the teams made of them; topics, templates and materials whole.
    pub units: Option<Vec<String>>,
    /// Phones in full (a passphrase is then required): for one captain, only in the captain's
    /// own grids; otherwise every phone is masked.
    pub full_phones: bool,
}

/// `export`, for a reference bundle limited by `filter` (ignored for a bundle of everything).
/// A masked row is sent with its masked version, remembered as sent; when a change made on top
/// of it comes back, the merge keeps our phone where the bundle's is its mask (`keep_phone`).
pub fn export_with(
    conn: &Connection,
    scope: Scope,
    since: Option<&str>,
    origin: &str,
    photos_dir: Option<&Path>,
    filter: &Filter,
) -> Result<(Vec<u8>, ExportSummary)> {
    // The key is made (on a first export) inside the caller's write, with the versions sent.
    let key = crate::identity::signing_key(conn)?;
    let audit_head = crate::audit::head(conn)?;
    let reference = scope == Scope::Reference;
    // One captain's units: their reference data, or (a bundle of everything) all their grids'
    // work too — what a captain's own database is filled with.
    let only = match &filter.units {
        Some(units) => Some(reference_rows(conn, units, !reference)?),
        None => None,
    };
    let mut body = Body::default();
    for e in ENTITIES.iter().filter(|e| scope == Scope::All || e.reference) {
        let mut cond = String::from("1=1");
        if since.is_some() {
            cond.push_str(" AND updated_at >= ?1");
        }
        if scope == Scope::Reference && e.table == "sessions" {
            cond.push_str(" AND status IN ('planned','confirmed')");
        }
        let ids: Vec<String> = {
            let mut st = conn.prepare(&format!("SELECT id FROM {} WHERE {cond} ORDER BY rowid", e.table))?;
            let rows = match since {
                Some(s) => st.query_map([s], |r| r.get(0))?.collect::<std::result::Result<Vec<String>, _>>()?,
                None => st.query_map([], |r| r.get(0))?.collect::<std::result::Result<Vec<String>, _>>()?,
            };
            rows
        };
        let keep = only.as_ref().and_then(|o| o.ids.get(e.table));
        for id in ids {
            if keep.is_some_and(|k| !k.contains(&id)) {
                continue;
            }
            let Some(mut local) = read_local(conn, e, &id)? else { continue };
            remember(conn, e.table, &id, [&local.hash])?;
            let mut known: Vec<String> = known(conn, e.table, &id)?.into_iter().collect();
            if (reference || only.is_some()) && mask_phone(e.table, &mut local.row, filter, only.as_ref()) {
                local.hash = version(&local.row, &local.children);
                remember(conn, e.table, &id, [&local.hash])?;
                known.push(local.hash.clone());
            }
            if e.table == "photos" {
                if let (Some(dir), Some(sha), Some(ext)) = (
                    photos_dir,
                    local.row.get("sha256").and_then(Value::as_str),
                    local.row.get("ext").and_then(Value::as_str),
                ) {
                    let name = crate::photos::file_name(sha, ext);
                    if let Ok(Some(bytes)) = crate::photos::read_file(conn, dir, &name) {
                        body.files.insert(name, base64::engine::general_purpose::STANDARD.encode(bytes));
                    }
                }
            }
            body.items.push(Item {
                t: e.table.into(),
                id,
                hash: local.hash,
                known,
                row: local.row,
                children: local.children,
            });
        }
    }
    let scope = match scope {
        Scope::All => "all",
        Scope::Reference => "reference",
    };
    let out = pack_signed(&body, origin, scope, since, &key, audit_head.as_deref())?;
    let summary = ExportSummary {
        entities: body.items.len() as u32,
        files: body.files.len() as u32,
        bytes: out.len() as u32,
        encrypted: false,
    };
    Ok((out, summary))
}

/// The rows of one captain's reference bundle, by table, and the grids (at or below the
/// captain's units) where phones may go in full.
struct Only {
    ids: BTreeMap<&'static str, BTreeSet<String>>,
    grids: std::collections::HashSet<String>,
}

fn ids_of(conn: &Connection, sql: &str) -> Result<Vec<(String, Option<String>)>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// `work`: the grids' work too (sessions of every status, their records, corrections and
/// photos, the door-to-door visits, the follow-up cases and their visits) — a captain's own
/// database; otherwise the reference data only.
fn reference_rows(conn: &Connection, units: &[String], work: bool) -> Result<Only> {
    let grids = check::subtree(conn, units)?;
    let inside = |u: &Option<String>| u.as_ref().is_some_and(|u| grids.contains(u));
    let status = if work { "1=1" } else { "s.status IN ('planned','confirmed')" };
    let sessions: Vec<(String, Option<String>)> = ids_of(
        conn,
        &format!(
            "SELECT s.id, coalesce(s.unit_id, v.unit_id) FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id WHERE {status}"
        ),
    )?
    .into_iter()
    .filter(|(_, u)| inside(u))
    .collect();
    let mut session_ids: BTreeSet<String> = sessions.into_iter().map(|(id, _)| id).collect();
    let mut work_ids: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut work_people: BTreeSet<String> = BTreeSet::new();
    if work {
        let in_grids = |sql: &str| -> Result<Vec<(String, Option<String>)>> {
            Ok(ids_of(conn, sql)?.into_iter().filter(|(_, u)| inside(u)).collect())
        };
        let visits = in_grids("SELECT id, grid_id FROM visits")?;
        let visit_ids: BTreeSet<String> = visits.iter().map(|(id, _)| id.clone()).collect();
        // A visit may name a session (a talk given during the round): it goes too.
        for (v, s) in ids_of(conn, "SELECT id, session_id FROM visits")? {
            if let (true, Some(s)) = (visit_ids.contains(&v), s) {
                session_ids.insert(s);
            }
        }
        let cases: BTreeSet<String> =
            in_grids("SELECT id, grid_id FROM cases")?.into_iter().map(|(id, _)| id).collect();
        let of = |sql: &str, parents: &BTreeSet<String>| -> Result<BTreeSet<String>> {
            Ok(ids_of(conn, sql)?
                .into_iter()
                .filter(|(_, p)| p.as_ref().is_some_and(|p| parents.contains(p)))
                .map(|(id, _)| id)
                .collect())
        };
        let records = of("SELECT id, id FROM records", &session_ids)?;
        work_ids.insert("records", records.clone());
        work_ids.insert("record_corrections", of("SELECT id, record_id FROM record_corrections", &records)?);
        work_ids.insert("photos", of("SELECT id, record_id FROM photos", &records)?);
        work_ids.insert("visits", visit_ids);
        work_ids.insert("case_visits", of("SELECT id, case_id FROM case_visits", &cases)?);
        work_ids.insert("cases", cases.clone());
        // The stock allocated to their grids (the rest of the stock book stays the coordinator's).
        work_ids.insert(
            "stock_moves",
            in_grids("SELECT id, to_unit_id FROM stock_moves")?.into_iter().map(|(id, _)| id).collect(),
        );
        // The people those rows name (speakers, follow-up workers and visitors).
        for (sql, parents) in [
            ("SELECT record_id, person_id FROM record_speakers", &records),
            ("SELECT id, worker_id FROM cases", &cases),
        ] {
            work_people
                .extend(ids_of(conn, sql)?.into_iter().filter(|(p, _)| parents.contains(p)).filter_map(|(_, x)| x));
        }
        work_people.extend(
            ids_of(conn, "SELECT case_id, visitor_id FROM case_visits")?
                .into_iter()
                .filter(|(c, _)| cases.contains(c))
                .filter_map(|(_, x)| x),
        );
    }
    let in_sessions = |sql: &str| -> Result<BTreeSet<String>> {
        Ok(ids_of(conn, sql)?.into_iter().filter(|(s, _)| session_ids.contains(s)).filter_map(|(_, x)| x).collect())
    };
    let mut venues: BTreeSet<String> = ids_of(conn, "SELECT id, unit_id FROM venues")?
        .into_iter()
        .filter(|(_, u)| inside(u))
        .map(|(id, _)| id)
        .collect();
    venues.extend(in_sessions("SELECT id, venue_id FROM sessions")?);
    let series = in_sessions("SELECT id, series_id FROM sessions")?;
    let mut people: BTreeSet<String> = ids_of(conn, "SELECT id, unit_id FROM people")?
        .into_iter()
        .filter(|(_, u)| inside(u))
        .map(|(id, _)| id)
        .collect();
    people.extend(in_sessions("SELECT session_id, person_id FROM session_people")?);
    people.extend(work_people);
    people.extend(
        ids_of(conn, "SELECT id, vice_principal_id FROM venues")?
            .into_iter()
            .filter(|(v, _)| venues.contains(v))
            .filter_map(|(_, p)| p),
    );
    // A team goes when every member and its captain go (its rows would point at nobody otherwise).
    let mut teams = BTreeSet::new();
    for (team, captain) in ids_of(conn, "SELECT id, captain_id FROM teams")? {
        let members: Vec<String> = conn
            .prepare_cached("SELECT person_id FROM team_members WHERE team_id = ?1")?
            .query_map([&team], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        if captain.iter().chain(&members).all(|p| people.contains(p)) && !members.is_empty() {
            teams.insert(team);
        }
    }
    // Units: the grids, and every unit a row sent points at, each with its ancestors.
    let parents: BTreeMap<String, Option<String>> =
        ids_of(conn, "SELECT id, parent_id FROM units")?.into_iter().collect();
    let mut wanted: Vec<String> = grids.iter().cloned().collect();
    let mut referenced = |sql: &str, set: &BTreeSet<String>| -> Result<()> {
        wanted.extend(ids_of(conn, sql)?.into_iter().filter(|(id, _)| set.contains(id)).filter_map(|(_, u)| u));
        Ok(())
    };
    referenced("SELECT id, unit_id FROM people", &people)?;
    referenced("SELECT id, unit_id FROM venues", &venues)?;
    referenced("SELECT id, unit_id FROM teams", &teams)?;
    referenced("SELECT id, unit_id FROM sessions", &session_ids)?;
    let mut unit_ids = BTreeSet::new();
    for mut at in wanted {
        // `insert` is false once a unit is in: its ancestors are too (and a cycle ends here).
        while unit_ids.insert(at.clone()) {
            match parents.get(&at).cloned().flatten() {
                Some(p) => at = p,
                None => break,
            }
        }
    }
    let targets: BTreeSet<String> = ids_of(conn, "SELECT id, unit_id FROM targets")?
        .into_iter()
        .filter(|(_, u)| inside(u))
        .map(|(id, _)| id)
        .collect();
    let mut ids = BTreeMap::from([
        ("units", unit_ids),
        ("people", people),
        ("teams", teams),
        ("venues", venues),
        ("series", series),
        ("sessions", session_ids),
        ("targets", targets),
    ]);
    ids.extend(work_ids);
    Ok(Only { ids, grids })
}

/// Masks a reference row's phone where the filter says so; true when it changed the row.
fn mask_phone(table: &str, row: &mut Map<String, Value>, filter: &Filter, only: Option<&Only>) -> bool {
    let (col, unit) = match table {
        "people" => ("phone", "unit_id"),
        "venues" => ("contact_phone", "unit_id"),
        _ => return false,
    };
    let own = only.is_none_or(|o| row.get(unit).and_then(Value::as_str).is_some_and(|u| o.grids.contains(u)));
    if filter.full_phones && own {
        return false;
    }
    let Some(Value::String(phone)) = row.get(col) else { return false };
    let masked = crate::phone::mask(phone);
    if masked == *phone {
        return false;
    }
    row.insert(col.into(), Value::String(masked));
    true
}

/// The bundle file of a body: magic line, header (with the body's length and checksum, signed
/// with `key`), body. Export uses it with the database's own key; so do the fuzzer and the
/// tests, with a key of their own, to get made-up bodies past the checksum and the signature.
pub fn pack_signed(
    body: &Body,
    origin: &str,
    scope: &str,
    since: Option<&str>,
    key: &crate::identity::SigningKey,
    audit_head: Option<&str>,
) -> Result<Vec<u8>> {
    let body_bytes = serde_json::to_vec(body).map_err(|e| Error::Internal(e.to_string()))?;
    let mut header = Header {
        format: "outreach-bundle".into(),
        version: FORMAT_VERSION,
        schema: crate::db::latest_version(),
        created_at: now(),
        origin: origin.into(),
        scope: scope.into(),
        since: since.map(String::from),
        entities: body.items.len(),
        body_bytes: body_bytes.len(),
        sha256: String::new(),
        signer: crate::identity::public_text(&key.verifying_key().to_bytes()),
        audit_head: audit_head.map(String::from),
        signature: String::new(),
    };
    header.sha256 = checksum(&header, &body_bytes);
    header.signature = crate::identity::sign(key, &signed_bytes(&header)?);
    let mut out = format!("{MAGIC}\n").into_bytes();
    out.extend(serde_json::to_vec(&header).map_err(|e| Error::Internal(e.to_string()))?);
    out.push(b'\n');
    out.extend(&body_bytes);
    Ok(out)
}

// ---------------------------------------------------------------- encryption

/// What a file is, from its first line alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Plain,
    /// An age file: a passphrase is needed to read it.
    Encrypted,
    Foreign,
}

pub fn file_kind(bytes: &[u8]) -> FileKind {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if bytes.len() > first.len() && first == MAGIC.as_bytes() {
        FileKind::Plain
    } else if bytes.len() > first.len() && first == AGE_MAGIC.as_bytes() {
        FileKind::Encrypted
    } else {
        FileKind::Foreign
    }
}

/// Encrypts a bundle to a passphrase: a binary age file with one scrypt stanza.
pub fn seal(plain: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.secret().clone());
    recipient.set_work_factor(passphrase.work_factor());
    age::encrypt(&recipient, plain).map_err(|e| Error::Internal(format!("bundle encryption: {e}")))
}

/// The plaintext bundle of a file: a plaintext bundle as it is; an encrypted one decrypted
/// and authenticated whole (every chunk, the end included) before anything reads it. A
/// missing passphrase is refused before any key derivation; a wrong one, or a changed salt,
/// work factor or wrapped key, as `bundle.passphrase_wrong`; any other changed byte as
/// `bundle.tampered` (or `bundle.truncated`).
pub fn open<'a>(bytes: &'a [u8], passphrase: Option<&Passphrase>) -> Result<Cow<'a, [u8]>> {
    match file_kind(bytes) {
        FileKind::Plain => return Ok(Cow::Borrowed(bytes)),
        FileKind::Foreign => return Err(Error::invalid(Code::BundleForeign, &[])),
        FileKind::Encrypted => {}
    }
    let decryptor = age::Decryptor::new_buffered(bytes).map_err(decrypt_error)?;
    if !decryptor.is_scrypt() {
        // Encrypted to keys rather than to a passphrase: not one of ours.
        return Err(Error::invalid(Code::BundleForeign, &[]));
    }
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        return Err(Error::invalid(Code::BundlePassphraseRequired, &[]));
    };
    let mut identity = age::scrypt::Identity::new(passphrase.secret().clone());
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(decrypt_error)?;
    let mut plain = Vec::with_capacity(bytes.len());
    reader.read_to_end(&mut plain).map_err(io_error)?;
    if file_kind(&plain) != FileKind::Plain {
        return Err(Error::invalid(Code::BundleForeign, &[]));
    }
    Ok(Cow::Owned(plain))
}

fn io_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        Error::invalid(Code::BundleTruncated, &[])
    } else {
        tampered()
    }
}

fn decrypt_error(e: age::DecryptError) -> Error {
    match e {
        age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed
        | age::DecryptError::NoMatchingKeys => Error::invalid(Code::BundlePassphraseWrong, &[]),
        age::DecryptError::Io(e) => io_error(e),
        // A bad header or MAC, a work factor beyond what we accept, an unknown version.
        _ => tampered(),
    }
}

// ---------------------------------------------------------------- reading a bundle file

/// The checksum covers the header (with an empty checksum field) and the body, so no byte
/// of either can change unnoticed.
fn checksum(header: &Header, body: &[u8]) -> String {
    let mut h = header.clone();
    h.sha256 = String::new();
    h.signature = String::new();
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&h).unwrap_or_default());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

fn tampered() -> Error {
    Error::invalid(Code::BundleTampered, &[])
}

/// What the signature covers: the header as written, without the signature field (its
/// checksum covers the body).
fn signed_bytes(header: &Header) -> Result<Vec<u8>> {
    let mut h = header.clone();
    h.signature = String::new();
    serde_json::to_vec(&h).map_err(|e| Error::Internal(e.to_string()))
}

/// A signer this database accepts, named for the import preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trusted {
    pub fingerprint: String,
    /// The label it was registered with; empty for this database's own key.
    pub label: String,
    /// This database's own key (a bundle it exported itself).
    pub own: bool,
    /// `None` for this database's own key.
    pub signer: Option<crate::identity::Signer>,
}

/// Whether this database accepts bundles signed by the header's signer: its own key always, a
/// registered signer unless revoked. The signature itself is checked by `parse`.
pub fn trusted(conn: &Connection, header: &Header) -> Result<Trusted> {
    let public = crate::identity::parse_public(&header.signer).map_err(|_| tampered())?;
    let fingerprint = crate::identity::fingerprint(&public);
    if crate::identity::own_if_made(conn)?.is_some_and(|me| me.public == public) {
        return Ok(Trusted { fingerprint, label: String::new(), own: true, signer: None });
    }
    match crate::identity::find(conn, &public)? {
        None => Err(Error::invalid(Code::BundleSignerUnknown, &[("fingerprint", &fingerprint)])),
        Some(s) if s.revoked_at.is_some() => {
            Err(Error::invalid(Code::BundleSignerRevoked, &[("fingerprint", &fingerprint), ("label", &s.label)]))
        }
        Some(s) => Ok(Trusted { fingerprint, label: s.label.clone(), own: false, signer: Some(s) }),
    }
}

/// Who sent a parsed bundle: this database itself or a registered coordinator, or a captain
/// with the units it was registered for. Refused as `parse` refuses (unknown or revoked).
pub fn sender_of(conn: &Connection, bundle: &Bundle) -> Result<Sender> {
    Ok(trusted(conn, &bundle.header)?.sender())
}

impl Trusted {
    /// What the signer may change: a captain their grids, anyone else everything.
    pub fn sender(&self) -> Sender {
        match &self.signer {
            Some(s) if s.role == crate::identity::SignerRole::Captain => Sender::Captain { units: s.units.clone() },
            _ => Sender::Coordinator,
        }
    }
}

/// Checks everything that can be checked before touching the database: the magic line, the
/// schema, the length (truncation), the checksum (tampering), the signature and its signer
/// (read from `conn`, before the body is parsed) and every entity's version.
pub fn parse(conn: &Connection, bytes: &[u8]) -> Result<Bundle> {
    if file_kind(bytes) == FileKind::Encrypted {
        return Err(Error::invalid(Code::BundlePassphraseRequired, &[]));
    }
    let foreign = || Error::invalid(Code::BundleForeign, &[]);
    let magic_end = bytes.iter().position(|b| *b == b'\n').ok_or_else(foreign)?;
    if &bytes[..magic_end] != MAGIC.as_bytes() {
        return Err(foreign());
    }
    let rest = &bytes[magic_end + 1..];
    let header_end = rest.iter().position(|b| *b == b'\n').ok_or_else(|| Error::invalid(Code::BundleTruncated, &[]))?;
    let header: Header = serde_json::from_slice(&rest[..header_end]).map_err(|_| tampered())?;
    // Said before the exact-bytes check below: a format 1 header has no signature fields.
    if header.format == "outreach-bundle" && header.version == UNSIGNED_VERSION {
        return Err(Error::invalid(Code::BundleUnsigned, &[]));
    }
    // The checksum covers the header as we write it; a header that reads back to the same
    // values from other bytes (a flipped letter in the key of an optional field) is not ours.
    if serde_json::to_vec(&header).ok().as_deref() != Some(&rest[..header_end]) {
        return Err(tampered());
    }
    if header.format != "outreach-bundle" || header.version != FORMAT_VERSION {
        return Err(foreign());
    }
    if header.schema != crate::db::latest_version() {
        return Err(Error::invalid(
            Code::BundleSchemaVersion,
            &[("theirs", &header.schema.to_string()), ("ours", &crate::db::latest_version().to_string())],
        ));
    }
    let body_bytes = &rest[header_end + 1..];
    if body_bytes.len() < header.body_bytes {
        return Err(Error::invalid(Code::BundleTruncated, &[]));
    }
    if body_bytes.len() != header.body_bytes || checksum(&header, body_bytes) != header.sha256 {
        return Err(tampered());
    }
    let public = crate::identity::parse_public(&header.signer).map_err(|_| tampered())?;
    if !crate::identity::verify(&public, &signed_bytes(&header)?, &header.signature) {
        return Err(tampered());
    }
    trusted(conn, &header)?;
    let body: Body = serde_json::from_slice(body_bytes).map_err(|_| tampered())?;
    for item in &body.items {
        let e = entity(&item.t).ok_or_else(|| Error::invalid(Code::BundleSchema, &[]))?;
        if item.row.get("id").and_then(Value::as_str) != Some(item.id.as_str())
            || crate::util::check_id(&item.id).is_err()
            || version(&item.row, &item.children) != item.hash
            || item.children.keys().any(|k| !e.children.iter().any(|(t, _)| t == k))
        {
            return Err(tampered());
        }
    }
    for (name, data) in &body.files {
        let ok_name = name.len() < 80 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
        let decoded = base64::engine::general_purpose::STANDARD.decode(data).map_err(|_| tampered())?;
        let sha = name.split('.').next().unwrap_or("");
        if !ok_name || hex::encode(Sha256::digest(&decoded)) != sha {
            return Err(tampered());
        }
    }
    Ok(Bundle { header, body })
}

// ---------------------------------------------------------------- merging

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TableCounts {
    pub table: String,
    pub label: String,
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub kept: u32,
    pub conflicts: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ImportSummary {
    pub origin: String,
    pub created_at: String,
    pub scope: String,
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Rows we hold a newer version of.
    pub kept: u32,
    pub conflicts: u32,
    pub tables: Vec<TableCounts>,
    /// Who signed the bundle: its fingerprint, and the label it was registered with (empty
    /// when this database signed it itself).
    pub signer_fingerprint: String,
    pub signer_label: String,
}

impl ImportSummary {
    /// The audit entry's note of a merge: what it added, updated, left, kept and held as conflicts.
    pub fn note(&self) -> crate::audit::Note {
        crate::audit::Note::new("bundle.imported")
            .with("added", self.added)
            .with("updated", self.updated)
            .with("unchanged", self.unchanged)
            .with("kept", self.kept)
            .with("conflicts", self.conflicts)
    }
}

/// Merges a parsed bundle inside the caller's transaction (a preview rolls it back), once
/// [`validate`] has passed every row for `sender`: a refused bundle writes nothing. Photo
/// originals are written only when `photos_dir` is given — after a successful merge a
/// missing file would only cost a thumbnail-only photo, and the names are content hashes.
pub fn merge(conn: &Connection, bundle: &Bundle, photos_dir: Option<&Path>, sender: &Sender) -> Result<ImportSummary> {
    validate(conn, bundle, sender)?;
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    let mut s = ImportSummary {
        origin: bundle.header.origin.clone(),
        created_at: bundle.header.created_at.clone(),
        scope: bundle.header.scope.clone(),
        ..Default::default()
    };
    let mut tables: BTreeMap<usize, TableCounts> = BTreeMap::new();
    let ts = now();
    for item in &bundle.body.items {
        let e = entity(&item.t).expect("checked by parse");
        let order = ENTITIES.iter().position(|x| x.table == e.table).unwrap_or(0);
        let c = tables.entry(order).or_insert_with(|| TableCounts {
            table: e.table.into(),
            label: entity_zh(e.table).into(),
            ..Default::default()
        });
        let local = read_local(conn, e, &item.id)?;
        let restored = local.as_ref().and_then(|l| keep_phone(e.table, item, &l.row));
        let masked_ours = is_masked_ours(restored.as_ref(), local.as_ref());
        let item = restored.as_ref().unwrap_or(item);
        match local {
            // Ours but for a masked phone (a reference bundle coming back): no change.
            Some(_) if masked_ours => {
                remember(conn, e.table, &item.id, item.known.iter().chain([&item.hash]))?;
                c.unchanged += 1;
            }
            None => {
                write_entity(conn, e, item)?;
                remember(conn, e.table, &item.id, item.known.iter().chain([&item.hash]))?;
                c.added += 1;
            }
            Some(l) if l.hash == item.hash => {
                remember(conn, e.table, &item.id, item.known.iter())?;
                c.unchanged += 1;
            }
            Some(l) if item.known.contains(&l.hash) => {
                write_entity(conn, e, item)?;
                remember(conn, e.table, &item.id, item.known.iter().chain([&item.hash]))?;
                c.updated += 1;
            }
            Some(l) => {
                if known(conn, e.table, &item.id)?.contains(&item.hash) {
                    remember(conn, e.table, &item.id, item.known.iter())?;
                    c.kept += 1;
                } else {
                    let local_json = serde_json::json!({ "row": l.row, "children": l.children }).to_string();
                    let incoming_json = serde_json::to_string(item).map_err(|e| Error::Internal(e.to_string()))?;
                    conn.prepare_cached(
                        "INSERT OR IGNORE INTO bundle_conflicts(id, tbl, row_id, local_hash, incoming_hash, local_row, incoming_row, origin, created_at)
                         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                    )?
                    .execute(params![new_id(), e.table, item.id, l.hash, item.hash, local_json, incoming_json, bundle.header.origin, ts])?;
                    c.conflicts += 1;
                }
            }
        }
    }
    // Deferred foreign keys are checked at commit; checked here so the message is clear.
    let broken: Option<String> =
        conn.query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |r| r.get(0)).optional()?;
    if let Some(t) = broken {
        return Err(Error::invalid(Code::BundleMissingReference, &[("entity", entity_code(&t))]));
    }
    if let Some(dir) = photos_dir {
        for (name, data) in &bundle.body.files {
            let (sha, ext) = name.split_once('.').unwrap_or((name, ""));
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).map_err(|_| tampered())?;
            crate::photos::store_file(conn, dir, sha, ext, &bytes)?;
        }
    }
    let mut tables: Vec<TableCounts> = tables.into_values().collect();
    // What needs a decision first, then what changes; unchanged tables last.
    tables.sort_by_key(|c| (c.conflicts == 0, c.added + c.updated == 0));
    for c in tables {
        s.added += c.added;
        s.updated += c.updated;
        s.unchanged += c.unchanged;
        s.kept += c.kept;
        s.conflicts += c.conflicts;
        s.tables.push(c);
    }
    Ok(s)
}

/// Whether the incoming row, its phone restored by `keep_phone`, is exactly ours.
fn is_masked_ours(restored: Option<&Item>, local: Option<&Local>) -> bool {
    matches!((restored, local), (Some(r), Some(l)) if version(&r.row, &r.children) == l.hash)
}

/// The incoming row with our phone where its phone is our phone's mask (a reference bundle
/// masks phones; a row built on it must not overwrite the number): what `phone::updated`
/// does for a spreadsheet. None when there is nothing to restore.
fn keep_phone(table: &str, item: &Item, ours: &Map<String, Value>) -> Option<Item> {
    let col = match table {
        "people" => "phone",
        "venues" => "contact_phone",
        _ => return None,
    };
    let theirs = item.row.get(col)?.as_str()?;
    let ours = ours.get(col)?.as_str()?;
    if !theirs.contains('*') || ours.is_empty() || crate::phone::mask(ours) != theirs {
        return None;
    }
    let mut item = item.clone();
    item.row.insert(col.into(), Value::String(ours.to_string()));
    Some(item)
}

/// Imports a bundle file: checked first, then (unless `dry_run`) a backup, one transaction
/// for the merge, and an audit entry. A refused bundle changes nothing.
pub fn import(store: &mut crate::Store, bytes: &[u8], dry_run: bool) -> Result<ImportSummary> {
    import_with(store, bytes, dry_run, &mut |_| {})
}

/// `import`, telling `stage` when the merge transaction begins ("merge") and when it has
/// committed ("committed") — what a crash test needs to know where it struck.
pub fn import_with(
    store: &mut crate::Store,
    bytes: &[u8],
    dry_run: bool,
    stage: &mut dyn FnMut(&str),
) -> Result<ImportSummary> {
    store.authorize(crate::access::Action::BundlesImport)?;
    let bundle = parse(store.conn(), bytes)?;
    let signer = trusted(store.conn(), &bundle.header)?;
    let signed = |s: ImportSummary| ImportSummary {
        signer_fingerprint: signer.fingerprint.clone(),
        signer_label: signer.label.clone(),
        ..s
    };
    // Who sent it, and so what it may change: the one place the sender is chosen.
    let sender = signer.sender();
    if dry_run {
        return store.dry_run(|tx| merge(tx, &bundle, None, &sender)).map(signed);
    }
    // A read-only disk is said at once; a full one stops at the backup, before the merge.
    store.writable()?;
    if store.path().is_some() {
        crate::backup::create(store, "pre-bundle")?;
    }
    let photos = store.data_dir().map(|d| d.join("photos"));
    let (operator, actor) = (store.operator(), store.actor());
    stage("merge");
    // The audit entry is part of the merge's transaction: no merge without its entry.
    let s = store
        .write(|tx| {
            let s = merge(tx, &bundle, photos.as_deref(), &sender)?;
            let note = s.note();
            crate::audit::record(
                tx,
                &operator,
                &actor,
                "bundle.import",
                &format!("bundle/{}", bundle.header.origin),
                &note,
            )?;
            Ok(s)
        })
        .map(signed)?;
    stage("committed");
    Ok(s)
}

/// Exports a bundle (and remembers the versions sent), with an audit entry. A bundle of
/// everything carries personal data and needs a passphrase; the reference data is
/// encrypted only when one is given. A passphrase must pass the strength rule.
pub fn export_store(
    store: &mut crate::Store,
    scope: Scope,
    since: Option<&str>,
    passphrase: Option<&Passphrase>,
) -> Result<(Vec<u8>, ExportSummary)> {
    export_store_with(store, scope, since, passphrase, &Filter::default())
}

/// `export_store` with a reference bundle's filter (one captain's units, full phones). Full
/// phones, like a bundle of everything, need a passphrase.
pub fn export_store_with(
    store: &mut crate::Store,
    scope: Scope,
    since: Option<&str>,
    passphrase: Option<&Passphrase>,
    filter: &Filter,
) -> Result<(Vec<u8>, ExportSummary)> {
    // A captain hands over changes, never the whole database.
    if since.map(str::trim).unwrap_or("").is_empty() {
        store.authorize(crate::access::Action::BundlesExportAll)?;
    }
    let passphrase = passphrase.filter(|p| !p.is_empty());
    match passphrase {
        Some(p) => p.check_strength()?,
        None if scope == Scope::All || filter.full_phones => {
            return Err(Error::invalid(Code::BundleEncryptionRequired, &[]))
        }
        None => {}
    }
    let since = match since.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(crate::util::parse_date("since", s)?.unwrap_or_default()),
        None => None,
    };
    let origin = {
        let op = store.operator();
        if op.is_empty() {
            "未署名".to_string()
        } else {
            op
        }
    };
    let photos = store.data_dir().map(|d| d.join("photos"));
    let (operator, actor) = (store.operator(), store.actor());
    // Sealed inside the transaction: if encryption failed, the versions would not be
    // remembered as sent. The audit entry is written in it too.
    let (bytes, mut summary) = store.write(|tx| {
        let (plain, mut summary) = export_with(tx, scope, since.as_deref(), &origin, photos.as_deref(), filter)?;
        let out = match passphrase {
            Some(p) => {
                summary.encrypted = true;
                seal(&plain, p)?
            }
            None => plain,
        };
        let note = if summary.encrypted { "bundle.exported" } else { "bundle.exported_plain" };
        let note = crate::audit::Note::new(note).with("entities", summary.entities).with("files", summary.files);
        crate::audit::record(tx, &operator, &actor, "bundle.export", "bundle", &note)?;
        Ok((out, summary))
    })?;
    summary.bytes = bytes.len() as u32;
    Ok((bytes, summary))
}

// ---------------------------------------------------------------- conflicts

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct FieldDiff {
    pub field: String,
    pub local: String,
    pub incoming: String,
    pub differs: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Conflict {
    pub id: String,
    pub table: String,
    pub entity: String,
    pub row_id: String,
    pub label: String,
    pub origin: String,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
    /// Both versions side by side, field by field; personal fields are masked.
    pub fields: Vec<FieldDiff>,
}

/// A value as a person reads it: times without the "T", lists as 、-joined text, codes as
/// their Chinese labels, phones masked.
fn show(v: Option<&Value>, field: &str) -> String {
    let s = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => match serde_json::from_str::<Vec<String>>(s) {
            Ok(list) if s.starts_with('[') => list.iter().map(|x| code_label(x)).collect::<Vec<_>>().join("、"),
            _ => s.clone(),
        },
        Some(other) => canon_string(other),
    };
    if field.contains("phone") {
        return crate::phone::mask(&s);
    }
    if crate::time::is_minute(&s) {
        crate::time::minute_text(&s)
    } else {
        code_label(&s)
    }
}

fn code_label(s: &str) -> String {
    if let Some(a) = crate::sessions::Audience::parse(s) {
        return a.label().into();
    }
    if let Some(k) = crate::sessions::SessionStatus::parse(s) {
        return k.label().into();
    }
    if let Some(k) = crate::sessions::SessionKind::parse(s) {
        return k.label().into();
    }
    s.to_string()
}

/// Child rows in one line per table: each row's values (the parent key left out), names for ids.
fn show_children(conn: &Connection, rows: Option<&Value>) -> String {
    let Some(Value::Array(rows)) = rows else { return String::new() };
    let mut out: Vec<String> = rows
        .iter()
        .filter_map(Value::as_object)
        .map(|r| {
            r.iter()
                .filter(|(k, _)| {
                    !k.ends_with("created_at") && !matches!(k.as_str(), "record_id" | "session_id" | "team_id")
                })
                .map(|(k, v)| match (k.as_str(), v.as_str()) {
                    ("person_id", Some(id)) => name_of(conn, "people", id),
                    ("material_id", Some(id)) => name_of(conn, "materials", id),
                    _ => show(Some(v), k),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    out.sort();
    out.join("；")
}

fn name_of(conn: &Connection, table: &str, id: &str) -> String {
    conn.query_row(&format!("SELECT name FROM {table} WHERE id = ?1"), [id], |r| r.get(0))
        .unwrap_or_else(|_| id.to_string())
}

fn diff(conn: &Connection, local: &Value, incoming: &Value) -> Vec<FieldDiff> {
    let empty = Map::new();
    let lr = local.get("row").and_then(Value::as_object).unwrap_or(&empty);
    let ir = incoming.get("row").and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: BTreeSet<&String> = lr.keys().collect();
    keys.extend(ir.keys());
    // Bookkeeping columns differ whenever anything does; they are not what is decided on.
    let mut out: Vec<FieldDiff> = keys
        .into_iter()
        .filter(|k| !matches!(k.as_str(), "id" | "created_at" | "updated_at" | "revision"))
        .map(|k| {
            let (l, i) = (show(lr.get(k), k), show(ir.get(k), k));
            FieldDiff { field: k.clone(), differs: l != i, local: l, incoming: i }
        })
        .collect();
    let lc = local.get("children").and_then(Value::as_object).cloned().unwrap_or_default();
    let ic = incoming.get("children").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut tables: BTreeSet<&String> = lc.keys().collect();
    tables.extend(ic.keys());
    for t in tables {
        let (l, i) = (show_children(conn, lc.get(t)), show_children(conn, ic.get(t)));
        out.push(FieldDiff { field: t.clone(), differs: l != i, local: l, incoming: i });
    }
    // Differences first: that is what the coordinator decides on.
    out.sort_by_key(|f| !f.differs);
    out
}

/// What names the row for a person: its name or title, or for records and logs the session
/// or grid they belong to.
fn label_of(conn: &Connection, table: &str, row_id: &str, row: &Value) -> String {
    let get = |k: &str| row.get("row").and_then(|r| r.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
    let session_title = |id: &str| {
        conn.query_row("SELECT title || ' ' || substr(starts_at, 1, 10) FROM sessions WHERE id = ?1", [id], |r| {
            r.get::<_, String>(0)
        })
        .ok()
    };
    let unit_name =
        |id: &str| conn.query_row("SELECT name FROM units WHERE id = ?1", [id], |r| r.get::<_, String>(0)).ok();
    let label = match table {
        "records" => session_title(row_id),
        "record_corrections" | "photos" => session_title(&get("record_id")),
        "visits" => unit_name(&get("grid_id")).map(|g| format!("{g} {} {}", get("building"), get("visited_on"))),
        "cases" => unit_name(&get("grid_id")).map(|g| format!("{g} {}", get("warned_on"))),
        "case_visits" => Some(format!(
            "第 {} 次回访 {}",
            row.get("row").and_then(|r| r.get("seq")).map(|v| v.to_string()).unwrap_or_default(),
            get("due_on")
        )),
        "stock_moves" => Some(format!("{} {}", get("moved_on"), get("quantity"))),
        _ => None,
    };
    label
        .or_else(|| entity(table).map(|e| get(e.label)).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| row_id.to_string())
}

pub fn conflicts(conn: &Connection, include_resolved: bool) -> Result<Vec<Conflict>> {
    let mut st = conn.prepare_cached(
        "SELECT id, tbl, row_id, local_row, incoming_row, origin, created_at, resolved_at, resolution FROM bundle_conflicts
         WHERE ?1 OR resolved_at IS NULL ORDER BY created_at, tbl, row_id",
    )?;
    let rows = st
        .query_map([include_resolved], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, table, row_id, local, incoming, origin, created_at, resolved_at, resolution)| {
            let l: Value = serde_json::from_str(&local).unwrap_or(Value::Null);
            let i: Value = serde_json::from_str(&incoming).unwrap_or(Value::Null);
            let label = label_of(conn, &table, &row_id, &l);
            Conflict {
                entity: entity_zh(&table).into(),
                fields: diff(conn, &l, &i),
                id,
                table,
                row_id,
                label,
                origin,
                created_at,
                resolved_at,
                resolution,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Take {
    Local,
    Incoming,
}

/// Settles a conflict by keeping ours or taking theirs. Refused when our row has changed
/// since the conflict was found: the coordinator must look again.
pub fn resolve(conn: &Connection, conflict_id: &str, take: Take) -> Result<()> {
    let (table, row_id, local_hash, incoming, resolved): (String, String, String, String, Option<String>) = conn
        .query_row(
            "SELECT tbl, row_id, local_hash, incoming_row, resolved_at FROM bundle_conflicts WHERE id = ?1",
            [conflict_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| Error::not_found("conflict", conflict_id))?;
    if resolved.is_some() {
        return Err(Error::invalid(Code::BundleConflictResolved, &[]));
    }
    let e = entity(&table).ok_or_else(|| Error::Internal("unknown table".into()))?;
    let item: Item = serde_json::from_str(&incoming).map_err(|e| Error::Internal(e.to_string()))?;
    let current = read_local(conn, e, &row_id)?.map(|l| l.hash);
    if current.as_deref() != Some(local_hash.as_str()) {
        return Err(Error::invalid(Code::BundleConflictStale, &[]));
    }
    if take == Take::Incoming {
        conn.pragma_update(None, "defer_foreign_keys", "ON")?;
        write_entity(conn, e, &item)?;
        // Its rows were checked at the import; its parent only now meets the tree as it is.
        if table == "units" {
            check::no_cycle(conn, &row_id)?;
        }
    }
    remember(conn, &table, &row_id, item.known.iter().chain([&item.hash, &local_hash]))?;
    conn.execute(
        "UPDATE bundle_conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1",
        params![conflict_id, now(), if take == Take::Incoming { "incoming" } else { "local" }],
    )?;
    Ok(())
}

/// Every entity's version, for tests and checks: equal fingerprints mean equal databases
/// as far as bundles are concerned.
pub fn fingerprint(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for e in ENTITIES {
        let ids: Vec<String> = conn
            .prepare(&format!("SELECT id FROM {}", e.table))?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for id in ids {
            if let Some(l) = read_local(conn, e, &id)? {
                out.insert(format!("{}/{}", e.table, id), l.hash);
            }
        }
    }
    Ok(out)
}
