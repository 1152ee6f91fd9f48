//! The topic library: fraud types, the audiences they hit hardest and plain tips for flyers.

use crate::error::Code;
use rusqlite::{Connection, OptionalExtension};
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
    let mut st = conn
        .prepare_cached("SELECT id, name, audiences, tips FROM topics WHERE archived_at IS NULL ORDER BY sort, name")?;
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

#[derive(Debug, Clone, PartialEq, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TopicInput {
    /// None adds a topic to the library.
    pub id: Option<String>,
    pub name: String,
    pub audiences: Vec<crate::sessions::Audience>,
    pub tips: Vec<String>,
}

/// Edits the library: name, the audiences a fraud type hits hardest, and its flyer tips.
pub fn save(conn: &Connection, input: &TopicInput) -> Result<Topic> {
    use crate::error::Error;
    let name = crate::util::check_name("name", &input.name, crate::rules::TOPIC_NAME)?;
    let tips: Vec<String> = input.tips.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    for t in &tips {
        crate::util::check_text("tip", t, crate::rules::TOPIC_TIP)?;
    }
    if tips.len() > 6 {
        return Err(Error::invalid(Code::ValidationTooLong, &[("field", "tips"), ("max", "6")]));
    }
    let audiences = crate::util::json_list(&input.audiences.iter().map(|a| a.as_str().to_string()).collect::<Vec<_>>());
    let ts = crate::util::now();
    let clash: Option<String> = conn
        .query_row(
            "SELECT id FROM topics WHERE name = ?1 AND id <> ?2",
            rusqlite::params![name, input.id.clone().unwrap_or_default()],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some() {
        return Err(Error::invalid(Code::Duplicate, &[("field", "name"), ("value", &name)]));
    }
    let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => {
            let n = conn.execute(
                "UPDATE topics SET name = ?2, audiences = ?3, tips = ?4, updated_at = ?5 WHERE id = ?1",
                rusqlite::params![id, name, audiences, crate::util::json_list(&tips), ts],
            )?;
            if n == 0 {
                return Err(Error::not_found("topic", id));
            }
            id.to_string()
        }
        None => {
            let id = format!("topic-{}", crate::util::new_id());
            conn.execute(
                "INSERT INTO topics(id, name, audiences, tips, sort, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), 0) + 10 FROM topics), ?5, ?5)",
                rusqlite::params![id, name, audiences, crate::util::json_list(&tips), ts],
            )?;
            id
        }
    };
    list(conn)?.into_iter().find(|t| t.id == id).ok_or_else(|| Error::not_found("topic", &id))
}
