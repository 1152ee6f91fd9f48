//! Door-to-door visit logs (入户走访): per grid, optionally per building — households talked
//! to, not at home, refused, warning notices handed out, by whom and when. A campaign
//! session carries many of them.

use crate::error::Code;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issues, Result};
use crate::units::UnitKind;
use crate::util::{check_text, json_list, new_id, now, parse_date, parse_json_list};

pub const MAX_HOUSEHOLDS: i64 = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Visit {
    pub id: String,
    pub session_id: Option<String>,
    pub grid_id: String,
    pub grid_name: String,
    pub building: String,
    pub visited_on: String,
    pub visited: u32,
    pub not_home: u32,
    pub refused: u32,
    pub warnings: u32,
    pub visitor_ids: Vec<String>,
    pub visitor_names: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct VisitInput {
    pub id: Option<String>,
    pub session_id: Option<String>,
    pub grid_id: String,
    #[serde(default)]
    pub building: String,
    pub visited_on: String,
    #[ts(type = "number")]
    pub visited: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub not_home: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub refused: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub warnings: i64,
    #[serde(default)]
    pub visitor_ids: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct VisitFilter {
    pub session_id: Option<String>,
    pub grid_id: Option<String>,
    /// The units a captain may read (a JSON array, `Access::scope_json`); set by the use-case
    /// layer from who is working, never read from the window.
    #[serde(skip)]
    #[ts(skip)]
    pub within: Option<String>,
}

pub fn save(conn: &Connection, input: &VisitInput) -> Result<Visit> {
    let mut is = Issues::default();
    if let Some(u) = is.take(crate::units::get(conn, &input.grid_id))? {
        if u.kind != UnitKind::Grid {
            is.push(issue(Code::VisitsNotGrid, &[("name", &u.name)]));
        }
    }
    let session = input.session_id.clone().filter(|s| !s.is_empty());
    if let Some(s) = &session {
        if let Some(sess) = is.take(crate::sessions::get(conn, s))? {
            if sess.status == crate::sessions::SessionStatus::Cancelled {
                is.push(issue(Code::RecordsSessionCancelled, &[]));
            }
        }
    }
    let building = is.take(check_text("building", &input.building, crate::rules::VISIT_BUILDING))?.unwrap_or_default();
    let date = match is.take(parse_date("visitedOn", &input.visited_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue(Code::ValidationRequired, &[("field", "visitedOn")]));
            None
        }
        None => None,
    };
    if let Some(d) = &date {
        if d.as_str() > crate::util::today().as_str() {
            is.push(issue(Code::ValidationFuture, &[("field", "visitedOn"), ("value", d)]));
        }
    }
    for (field, v) in [
        ("visited", input.visited),
        ("notHome", input.not_home),
        ("refused", input.refused),
        ("warnings", input.warnings),
    ] {
        if v < 0 {
            is.push(issue(Code::ValidationNegative, &[("field", field), ("value", &v.to_string())]));
        } else if v > MAX_HOUSEHOLDS {
            is.push(issue(Code::ValidationTooLarge, &[("field", field), ("max", &MAX_HOUSEHOLDS.to_string())]));
        }
    }
    if input.visited + input.not_home + input.refused == 0
        && input.visited >= 0
        && input.not_home >= 0
        && input.refused >= 0
    {
        is.push(issue(Code::VisitsEmpty, &[]));
    }
    for p in &input.visitor_ids {
        is.take(crate::people::get(conn, p))?;
    }
    let notes = is.take(check_text("notes", &input.notes, crate::rules::VISIT_NOTES))?.unwrap_or_default();
    is.finish()?;
    let ts = now();
    let id = match input.id.clone().filter(|s| !s.is_empty()) {
        Some(id) => {
            let n = conn.execute(
                "UPDATE visits SET session_id=?2, grid_id=?3, building=?4, visited_on=?5, visited=?6, not_home=?7, refused=?8, warnings=?9,
                 visitor_ids=?10, notes=?11, updated_at=?12 WHERE id=?1 AND removed_at IS NULL",
                params![id, session, input.grid_id, building, date, input.visited, input.not_home, input.refused, input.warnings,
                    json_list(&input.visitor_ids), notes, ts],
            )?;
            if n == 0 {
                return Err(Error::not_found("visit", &id));
            }
            id
        }
        None => {
            let id = new_id();
            conn.execute(
                "INSERT INTO visits(id, session_id, grid_id, building, visited_on, visited, not_home, refused, warnings, visitor_ids, notes, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)",
                params![id, session, input.grid_id, building, date, input.visited, input.not_home, input.refused, input.warnings,
                    json_list(&input.visitor_ids), notes, ts],
            )?;
            id
        }
    };
    get(conn, &id)
}

pub fn get(conn: &Connection, id: &str) -> Result<Visit> {
    list_where(conn, "v.id = ?1", params![id])?.pop().ok_or_else(|| Error::not_found("visit", id))
}

pub fn list(conn: &Connection, f: &VisitFilter) -> Result<Vec<Visit>> {
    list_where(
        conn,
        "(?1 IS NULL OR v.session_id = ?1) AND (?2 IS NULL OR v.grid_id = ?2)
         AND (?3 IS NULL OR v.grid_id IN (SELECT value FROM json_each(?3)))",
        params![
            f.session_id.as_deref().filter(|s| !s.is_empty()),
            f.grid_id.as_deref().filter(|s| !s.is_empty()),
            f.within
        ],
    )
}

fn list_where(conn: &Connection, cond: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT v.id, v.session_id, v.grid_id, u.name, v.building, v.visited_on, v.visited, v.not_home, v.refused, v.warnings, v.visitor_ids, v.notes
         FROM visits v JOIN units u ON u.id = v.grid_id WHERE v.removed_at IS NULL AND {cond} ORDER BY v.visited_on DESC, u.name, v.building"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows: Vec<Visit> = st
        .query_map(p, |r| {
            Ok(Visit {
                id: r.get(0)?,
                session_id: r.get(1)?,
                grid_id: r.get(2)?,
                grid_name: r.get(3)?,
                building: r.get(4)?,
                visited_on: r.get(5)?,
                visited: r.get(6)?,
                not_home: r.get(7)?,
                refused: r.get(8)?,
                warnings: r.get(9)?,
                visitor_ids: parse_json_list(&r.get::<_, String>(10)?),
                visitor_names: vec![],
                notes: r.get(11)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut name = conn.prepare_cached("SELECT name FROM people WHERE id = ?1")?;
    for v in &mut rows {
        for p in &v.visitor_ids {
            if let Some(n) = name.query_row([p], |r| r.get::<_, String>(0)).optional()? {
                v.visitor_names.push(n);
            }
        }
    }
    Ok(rows)
}

pub fn remove(conn: &Connection, id: &str) -> Result<()> {
    let n = conn.execute(
        "UPDATE visits SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
        params![id, now()],
    )?;
    if n == 0 {
        return Err(Error::not_found("visit", id));
    }
    Ok(())
}
