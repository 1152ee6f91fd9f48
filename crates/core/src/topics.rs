//! The topic library: fraud types, the audiences they hit hardest and plain tips for flyers.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::util::parse_json_list;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub audiences: Vec<String>,
    pub tips: Vec<String>,
}

pub fn list(conn: &Connection) -> Result<Vec<Topic>> {
    let mut st = conn.prepare_cached(
        "SELECT id, name, audiences, tips FROM topics WHERE archived_at IS NULL ORDER BY sort, name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Topic {
            id: r.get(0)?,
            name: r.get(1)?,
            audiences: parse_json_list(&r.get::<_, String>(2)?),
            tips: parse_json_list(&r.get::<_, String>(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Resolves a topic written in a spreadsheet (its name, or its id) to its id.
pub fn resolve(topics: &[Topic], cell: &str) -> Option<String> {
    topics.iter().find(|t| t.name == cell || t.id == cell).map(|t| t.id.clone())
}
