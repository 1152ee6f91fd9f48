//! Teams — speaker corps (宣讲团), troupes (文艺小分队), community squads — each with a captain.

use crate::error::Code;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::util::{check_name, new_id, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum TeamKind {
    SpeakerCorps,
    Troupe,
    Squad,
}

impl TeamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::SpeakerCorps => "speaker_corps",
            TeamKind::Troupe => "troupe",
            TeamKind::Squad => "squad",
        }
    }

    pub fn parse(s: &str) -> Option<TeamKind> {
        match s {
            "speaker_corps" | "宣讲团" => Some(TeamKind::SpeakerCorps),
            "troupe" | "文艺小分队" | "文艺队" => Some(TeamKind::Troupe),
            "squad" | "社区小分队" | "小分队" => Some(TeamKind::Squad),
            _ => None,
        }
    }

    /// A team first met by name in an imported roster gets its kind from the name.
    pub fn guess(name: &str) -> TeamKind {
        if name.contains("文艺") || name.contains("演出") {
            TeamKind::Troupe
        } else if name.contains("小分队") || name.contains("网格") {
            TeamKind::Squad
        } else {
            TeamKind::SpeakerCorps
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: TeamKind,
    pub unit_id: Option<String>,
    pub captain_id: Option<String>,
    pub captain_name: String,
    pub member_count: u32,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TeamInput {
    pub id: Option<String>,
    pub name: String,
    pub kind: TeamKind,
    pub unit_id: Option<String>,
    pub captain_id: Option<String>,
}

const SELECT: &str = "SELECT t.id, t.name, t.kind, t.unit_id, t.captain_id, coalesce(p.name, ''),
        (SELECT count(*) FROM team_members m JOIN people mp ON mp.id = m.person_id WHERE m.team_id = t.id AND mp.archived_at IS NULL),
        t.archived_at
     FROM teams t LEFT JOIN people p ON p.id = t.captain_id";

fn from_row(r: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: TeamKind::parse(&r.get::<_, String>(2)?).unwrap_or(TeamKind::SpeakerCorps),
        unit_id: r.get(3)?,
        captain_id: r.get(4)?,
        captain_name: r.get(5)?,
        member_count: r.get(6)?,
        archived: r.get::<_, Option<String>>(7)?.is_some(),
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Team>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} ORDER BY t.archived_at IS NOT NULL, t.name"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Team> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE t.id = ?1"))?;
    st.query_row([id], from_row).optional()?.ok_or_else(|| Error::not_found("team", id))
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    let mut st = conn
        .prepare_cached("SELECT id FROM teams WHERE name = ?1 AND archived_at IS NULL ORDER BY created_at LIMIT 1")?;
    Ok(st.query_row([name], |r| r.get(0)).optional()?)
}

pub fn save(conn: &Connection, input: &TeamInput) -> Result<Team> {
    let name = check_name("name", &input.name, crate::rules::TEAM_NAME)?;
    let unit_id = input.unit_id.as_deref().filter(|s| !s.is_empty());
    if let Some(u) = unit_id {
        crate::units::get(conn, u)?;
    }
    let captain = input.captain_id.as_deref().filter(|s| !s.is_empty());
    if let Some(c) = captain {
        crate::people::get(conn, c)?;
    }
    let ts = now();
    let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => {
            get(conn, id)?;
            conn.execute(
                "UPDATE teams SET name=?2, kind=?3, unit_id=?4, captain_id=?5, updated_at=?6 WHERE id=?1",
                params![id, name, input.kind.as_str(), unit_id, captain, ts],
            )?;
            id.to_string()
        }
        None => {
            if find_by_name(conn, &name)?.is_some() {
                return Err(Error::invalid(Code::Duplicate, &[("field", "name"), ("value", &name)]));
            }
            let id = new_id();
            conn.execute(
                "INSERT INTO teams(id, name, kind, unit_id, captain_id, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?6)",
                params![id, name, input.kind.as_str(), unit_id, captain, ts],
            )?;
            id
        }
    };
    // The captain is always a member of the team.
    if let Some(c) = captain {
        conn.execute(
            "INSERT OR IGNORE INTO team_members(team_id, person_id, created_at) VALUES (?1, ?2, ?3)",
            params![id, c, ts],
        )?;
    }
    get(conn, &id)
}

pub fn archive(conn: &Connection, id: &str) -> Result<Team> {
    get(conn, id)?;
    conn.execute(
        "UPDATE teams SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    get(conn, id)
}
