//! Session templates per venue kind (school, enterprise, community, market, bench talk):
//! default length, audiences, topics, roles and materials. Editable.

use crate::error::Code;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::sessions::{AssignRole, Audience, PlannedMaterial, SessionKind};
use crate::util::{check_name, json_list, now, parse_json_list};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Template {
    pub id: String,
    pub name: String,
    pub kind: SessionKind,
    /// The venue kind it suits ("school", "enterprise", …), or "" for any.
    pub venue_kind: String,
    pub duration_minutes: u32,
    pub audiences: Vec<Audience>,
    pub topic_ids: Vec<String>,
    pub roles: Vec<AssignRole>,
    pub materials: Vec<PlannedMaterial>,
}

fn from_row(r: &Row) -> rusqlite::Result<Template> {
    Ok(Template {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: SessionKind::parse(&r.get::<_, String>(2)?).unwrap_or(SessionKind::Talk),
        venue_kind: r.get(3)?,
        duration_minutes: r.get(4)?,
        audiences: parse_json_list(&r.get::<_, String>(5)?).iter().filter_map(|a| Audience::parse(a)).collect(),
        topic_ids: parse_json_list(&r.get::<_, String>(6)?),
        roles: parse_json_list(&r.get::<_, String>(7)?).iter().filter_map(|a| AssignRole::parse(a)).collect(),
        materials: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
    })
}

const SELECT: &str =
    "SELECT id, name, kind, venue_kind, duration_minutes, audiences, topic_ids, roles, materials FROM templates";

pub fn list(conn: &Connection) -> Result<Vec<Template>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} ORDER BY id"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Template> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    st.query_row([id], from_row).optional()?.ok_or_else(|| Error::not_found("template", id))
}

pub fn save(conn: &Connection, t: &Template) -> Result<Template> {
    get(conn, &t.id)?;
    let name = check_name("name", &t.name, crate::rules::TEMPLATE_NAME)?;
    if t.duration_minutes == 0 || t.duration_minutes > 24 * 60 {
        return Err(Error::invalid(Code::SessionsTooLong, &[("hours", "24")]));
    }
    conn.execute(
        "UPDATE templates SET name=?2, kind=?3, duration_minutes=?4, audiences=?5, topic_ids=?6, roles=?7, materials=?8, updated_at=?9 WHERE id=?1",
        params![
            t.id,
            name,
            t.kind.as_str(),
            t.duration_minutes,
            json_list(&t.audiences.iter().map(|a| a.as_str().to_string()).collect::<Vec<_>>()),
            json_list(&t.topic_ids),
            json_list(&t.roles.iter().map(|a| a.as_str().to_string()).collect::<Vec<_>>()),
            serde_json::to_string(&t.materials).unwrap_or_else(|_| "[]".into()),
            now()
        ],
    )?;
    get(conn, &t.id)
}
