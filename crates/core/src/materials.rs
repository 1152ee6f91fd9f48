//! Materials: the list of items (flyers by design, posters, banners, gifts, letters) and
//! their stock. Receipts (print runs, purchases) come into a unit, allocations move stock
//! from one unit to another, hand-outs are read from session records. A unit's stock of an
//! item is received + allocated in − allocated out − handed out; nothing here is stored
//! twice, so the reconciliation can never disagree with the records.

use crate::error::Code;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issue, Issues, Result};
use crate::util::{check_name, check_text, new_id, now, parse_date};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Material {
    pub id: String,
    pub name: String,
    pub category: String,
    pub unit_label: String,
    pub low_stock: u32,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct MaterialInput {
    pub id: Option<String>,
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub unit_label: String,
    #[serde(default)]
    #[ts(type = "number")]
    pub low_stock: i64,
}

pub const CATEGORIES: &[(&str, &str)] = &[
    ("flyer", "宣传彩页"),
    ("poster", "海报"),
    ("banner", "横幅"),
    ("gift", "礼品"),
    ("letter", "告知书"),
    ("other", "其他"),
];

fn row(r: &rusqlite::Row) -> rusqlite::Result<Material> {
    Ok(Material {
        id: r.get(0)?,
        name: r.get(1)?,
        category: r.get(2)?,
        unit_label: r.get(3)?,
        low_stock: r.get(4)?,
        archived: r.get::<_, Option<String>>(5)?.is_some(),
    })
}

const COLS: &str = "id, name, category, unit_label, low_stock, archived_at";

pub fn list(conn: &Connection) -> Result<Vec<Material>> {
    let mut st =
        conn.prepare_cached(&format!("SELECT {COLS} FROM materials ORDER BY archived_at IS NOT NULL, category, name"))?;
    let rows = st.query_map([], row)?.collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: &str) -> Result<Material> {
    conn.prepare_cached(&format!("SELECT {COLS} FROM materials WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?
        .ok_or_else(|| Error::not_found("material", id))
}

/// By id or by exact name — the CLI and planned-material lists use names.
pub fn resolve(conn: &Connection, key: &str) -> Result<Material> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM materials WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
            [key.trim()],
            |r| r.get(0),
        )
        .optional()?;
    get(conn, id.as_deref().unwrap_or(key))
}

pub fn save(conn: &Connection, input: &MaterialInput) -> Result<Material> {
    let mut is = Issues::default();
    let name = is.take(check_name("name", &input.name, crate::rules::MATERIAL_NAME))?;
    if !CATEGORIES.iter().any(|(c, _)| *c == input.category) {
        is.push(issue(Code::ValidationChoice, &[("field", "category"), ("value", &input.category)]));
    }
    let label =
        is.take(check_text("unitLabel", &input.unit_label, crate::rules::MATERIAL_UNIT_LABEL))?.unwrap_or_default();
    if input.low_stock < 0 {
        is.push(issue(Code::ValidationNegative, &[("field", "lowStock"), ("value", &input.low_stock.to_string())]));
    }
    is.finish()?;
    let name = name.unwrap();
    let id = input.id.clone().filter(|s| !s.is_empty());
    let clash: Option<String> = conn
        .query_row("SELECT id FROM materials WHERE name = ?1 AND id IS NOT ?2", params![name, id], |r| r.get(0))
        .optional()?;
    if clash.is_some() {
        return Err(Error::invalid(Code::Duplicate, &[("field", "name"), ("value", &name)]));
    }
    let label = if label.is_empty() { "份".to_string() } else { label };
    let ts = now();
    let id = match id {
        Some(id) => {
            get(conn, &id)?;
            conn.execute(
                "UPDATE materials SET name=?2, category=?3, unit_label=?4, low_stock=?5, updated_at=?6 WHERE id=?1",
                params![id, name, input.category, label, input.low_stock, ts],
            )?;
            id
        }
        None => {
            let id = new_id();
            conn.execute(
                "INSERT INTO materials(id, name, category, unit_label, low_stock, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?6)",
                params![id, name, input.category, label, input.low_stock, ts],
            )?;
            id
        }
    };
    get(conn, &id)
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct StockMove {
    pub id: String,
    pub material_id: String,
    pub material_name: String,
    pub kind: String,
    pub from_unit_id: Option<String>,
    pub from_unit_name: String,
    pub to_unit_id: String,
    pub to_unit_name: String,
    pub quantity: u32,
    pub moved_on: String,
    pub source: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct StockMoveInput {
    pub material_id: String,
    /// "receipt" or "allocation".
    pub kind: String,
    pub from_unit_id: Option<String>,
    pub to_unit_id: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub moved_on: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub notes: String,
}

pub fn add_move(conn: &Connection, input: &StockMoveInput) -> Result<StockMove> {
    let mut is = Issues::default();
    is.take(get(conn, &input.material_id))?;
    let receipt = match input.kind.as_str() {
        "receipt" => true,
        "allocation" => false,
        other => {
            is.push(issue(Code::ValidationChoice, &[("field", "kind"), ("value", other)]));
            true
        }
    };
    is.take(crate::units::get(conn, &input.to_unit_id))?;
    let from = input.from_unit_id.clone().filter(|s| !s.is_empty());
    if !receipt {
        match &from {
            None => is.push(issue(Code::ValidationRequired, &[("field", "fromUnit")])),
            Some(f) if f == &input.to_unit_id => is.push(issue(Code::MaterialsSameUnit, &[])),
            Some(f) => {
                is.take(crate::units::get(conn, f))?;
            }
        }
    }
    if input.quantity <= 0 {
        is.push(issue(Code::ValidationPositive, &[("field", "quantity"), ("value", &input.quantity.to_string())]));
    }
    let date = match is.take(parse_date("movedOn", &input.moved_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue(Code::ValidationRequired, &[("field", "movedOn")]));
            None
        }
        None => None,
    };
    let source = is.take(check_text("source", &input.source, crate::rules::MOVE_SOURCE))?.unwrap_or_default();
    let notes = is.take(check_text("notes", &input.notes, crate::rules::MOVE_NOTES))?.unwrap_or_default();
    is.finish()?;
    let id = new_id();
    let ts = now();
    conn.execute(
        "INSERT INTO stock_moves(id, material_id, kind, from_unit_id, to_unit_id, quantity, moved_on, source, notes, created_at, updated_at)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
        params![
            id,
            input.material_id,
            if receipt { "receipt" } else { "allocation" },
            if receipt { None } else { from },
            input.to_unit_id,
            input.quantity,
            date,
            source,
            notes,
            ts
        ],
    )?;
    moves(conn, None)?.into_iter().find(|m| m.id == id).ok_or_else(|| Error::Internal("move vanished".into()))
}

/// Voids a move (kept, so a bundle carries the change).
pub fn void_move(conn: &Connection, id: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE stock_moves SET voided_at = ?2, updated_at = ?2 WHERE id = ?1 AND voided_at IS NULL",
        params![id, now()],
    )?;
    if n == 0 {
        return Err(Error::not_found("stockMove", id));
    }
    Ok(())
}

pub fn moves(conn: &Connection, unit: Option<&str>) -> Result<Vec<StockMove>> {
    let mut st = conn.prepare_cached(
        "SELECT m.id, m.material_id, mt.name, m.kind, m.from_unit_id, coalesce(fu.name, ''), m.to_unit_id, tu.name, m.quantity,
                m.moved_on, m.source, m.notes
         FROM stock_moves m JOIN materials mt ON mt.id = m.material_id JOIN units tu ON tu.id = m.to_unit_id
         LEFT JOIN units fu ON fu.id = m.from_unit_id
         WHERE m.voided_at IS NULL AND (?1 IS NULL OR m.to_unit_id = ?1 OR m.from_unit_id = ?1)
         ORDER BY m.moved_on DESC, m.created_at DESC",
    )?;
    let rows = st
        .query_map([unit], |r| {
            Ok(StockMove {
                id: r.get(0)?,
                material_id: r.get(1)?,
                material_name: r.get(2)?,
                kind: r.get(3)?,
                from_unit_id: r.get(4)?,
                from_unit_name: r.get(5)?,
                to_unit_id: r.get(6)?,
                to_unit_name: r.get(7)?,
                quantity: r.get(8)?,
                moved_on: r.get(9)?,
                source: r.get(10)?,
                notes: r.get(11)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// One line of the reconciliation: received − allocated out + allocated in − handed out.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct StockLine {
    pub unit_id: String,
    pub unit_name: String,
    pub material_id: String,
    pub material_name: String,
    pub unit_label: String,
    #[ts(type = "number")]
    pub received: i64,
    #[ts(type = "number")]
    pub allocated_in: i64,
    #[ts(type = "number")]
    pub allocated_out: i64,
    #[ts(type = "number")]
    pub handed_out: i64,
    #[ts(type = "number")]
    pub balance: i64,
    /// "ok", "low" (below the item's threshold) or "negative".
    pub state: String,
}

/// The hand-outs of held and reported sessions, attributed to the session's unit (or its
/// venue's unit when the session names only a venue).
const HANDOUTS: &str = "SELECT coalesce(s.unit_id, v.unit_id) AS unit_id, rm.material_id, rm.quantity
     FROM record_materials rm JOIN sessions s ON s.id = rm.record_id LEFT JOIN venues v ON v.id = s.venue_id
     WHERE s.status IN ('held','reported')";

pub fn stock(conn: &Connection, unit: Option<&str>) -> Result<Vec<StockLine>> {
    let sql = format!(
        "WITH flows AS (
            SELECT to_unit_id AS unit_id, material_id, quantity AS received, 0 AS ain, 0 AS aout, 0 AS handed FROM stock_moves WHERE kind='receipt' AND voided_at IS NULL
            UNION ALL SELECT to_unit_id, material_id, 0, quantity, 0, 0 FROM stock_moves WHERE kind='allocation' AND voided_at IS NULL
            UNION ALL SELECT from_unit_id, material_id, 0, 0, quantity, 0 FROM stock_moves WHERE kind='allocation' AND voided_at IS NULL
            UNION ALL SELECT unit_id, material_id, 0, 0, 0, quantity FROM ({HANDOUTS}) WHERE unit_id IS NOT NULL
         )
         SELECT f.unit_id, u.name, f.material_id, m.name, m.unit_label, sum(received), sum(ain), sum(aout), sum(handed), m.low_stock
         FROM flows f JOIN units u ON u.id = f.unit_id JOIN materials m ON m.id = f.material_id
         WHERE ?1 IS NULL OR f.unit_id = ?1
         GROUP BY f.unit_id, f.material_id ORDER BY u.name, m.category, m.name"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map([unit], |r| {
            let (received, ain, aout, handed): (i64, i64, i64, i64) = (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?);
            let low: i64 = r.get(9)?;
            let balance = received + ain - aout - handed;
            let state = if balance < 0 {
                "negative"
            } else if balance < low {
                "low"
            } else {
                "ok"
            };
            Ok(StockLine {
                unit_id: r.get(0)?,
                unit_name: r.get(1)?,
                material_id: r.get(2)?,
                material_name: r.get(3)?,
                unit_label: r.get(4)?,
                received,
                allocated_in: ain,
                allocated_out: aout,
                handed_out: handed,
                balance,
                state: state.into(),
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// Warnings for a record's hand-outs: items whose stock in the unit is now below zero or
/// below its threshold. Units that never received an item are not warned about — they
/// do not keep stock of it in this app.
pub fn shortfalls(conn: &Connection, unit: &str, handed: &[(String, u32)]) -> Result<Vec<Issue>> {
    let mut out = Vec::new();
    if handed.is_empty() {
        return Ok(out);
    }
    for line in stock(conn, Some(unit))? {
        if !handed.iter().any(|(m, _)| m == &line.material_id) || line.received + line.allocated_in == 0 {
            continue;
        }
        match line.state.as_str() {
            "negative" => out.push(issue(
                Code::MaterialsNegative,
                &[("material", &line.material_name), ("unit", &line.unit_name), ("balance", &line.balance.to_string())],
            )),
            "low" => out.push(issue(
                Code::MaterialsLow,
                &[("material", &line.material_name), ("unit", &line.unit_name), ("balance", &line.balance.to_string())],
            )),
            _ => {}
        }
    }
    Ok(out)
}
