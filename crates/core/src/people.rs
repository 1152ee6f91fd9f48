//! The speaker corps and grid workers: police, auxiliary police, grid workers, property
//! staff, retired cadres, teachers, bank staff and volunteers. Phones are personal data.

use crate::error::Code;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Issues, Result};
use crate::phone;
use crate::units::Saved;
use crate::util::{check_name, check_text, json_list, new_id, now, parse_date, parse_json_list};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum PersonRole {
    Police,
    Auxiliary,
    GridWorker,
    PropertyStaff,
    RetiredCadre,
    Teacher,
    BankStaff,
    Volunteer,
}

impl PersonRole {
    pub const ALL: [PersonRole; 8] = [
        PersonRole::Police,
        PersonRole::Auxiliary,
        PersonRole::GridWorker,
        PersonRole::PropertyStaff,
        PersonRole::RetiredCadre,
        PersonRole::Teacher,
        PersonRole::BankStaff,
        PersonRole::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Police => "police",
            PersonRole::Auxiliary => "auxiliary",
            PersonRole::GridWorker => "grid_worker",
            PersonRole::PropertyStaff => "property_staff",
            PersonRole::RetiredCadre => "retired_cadre",
            PersonRole::Teacher => "teacher",
            PersonRole::BankStaff => "bank_staff",
            PersonRole::Volunteer => "volunteer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PersonRole::Police => "民警",
            PersonRole::Auxiliary => "辅警",
            PersonRole::GridWorker => "网格员",
            PersonRole::PropertyStaff => "物业人员",
            PersonRole::RetiredCadre => "退休干部",
            PersonRole::Teacher => "教师",
            PersonRole::BankStaff => "银行职员",
            PersonRole::Volunteer => "志愿者",
        }
    }

    pub fn parse(s: &str) -> Option<PersonRole> {
        let s = s.trim();
        PersonRole::ALL.into_iter().find(|r| r.as_str() == s || r.label() == s).or(match s {
            "警察" | "社区民警" => Some(PersonRole::Police),
            "楼院长" | "网格长" => Some(PersonRole::GridWorker),
            "物业" => Some(PersonRole::PropertyStaff),
            "老干部" => Some(PersonRole::RetiredCadre),
            "老师" => Some(PersonRole::Teacher),
            "银行" | "银行工作人员" => Some(PersonRole::BankStaff),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Person {
    pub id: String,
    pub name: String,
    pub roles: Vec<PersonRole>,
    /// e.g. 138****0000; the digits need `reveal_phone`, which is audited.
    pub phone_masked: String,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub team_ids: Vec<String>,
    pub topic_ids: Vec<String>,
    pub active: bool,
    pub joined_on: Option<String>,
    pub notes: String,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PersonInput {
    pub id: Option<String>,
    pub name: String,
    pub roles: Vec<PersonRole>,
    /// None keeps the stored phone; "" clears it; anything else is normalised.
    pub phone: Option<String>,
    pub unit_id: Option<String>,
    pub team_ids: Vec<String>,
    pub topic_ids: Vec<String>,
    pub active: bool,
    pub joined_on: Option<String>,
    #[serde(default)]
    pub notes: String,
}

const SELECT: &str = "SELECT p.id, p.name, p.roles, p.phone, p.unit_id, coalesce(u.name, ''), p.topic_ids, p.active, p.joined_on, p.notes,
        p.archived_at, p.created_at, p.updated_at,
        (SELECT group_concat(team_id, ',') FROM (SELECT team_id FROM team_members WHERE person_id = p.id ORDER BY team_id))
     FROM people p LEFT JOIN units u ON u.id = p.unit_id";

fn from_row(r: &Row) -> rusqlite::Result<(Person, String)> {
    let phone: String = r.get(3)?;
    let roles = parse_json_list(&r.get::<_, String>(2)?).iter().filter_map(|s| PersonRole::parse(s)).collect();
    let teams: Option<String> = r.get(13)?;
    Ok((
        Person {
            id: r.get(0)?,
            name: r.get(1)?,
            roles,
            phone_masked: phone::mask(&phone),
            unit_id: r.get(4)?,
            unit_name: r.get(5)?,
            team_ids: teams.map(|t| t.split(',').map(str::to_string).collect()).unwrap_or_default(),
            topic_ids: parse_json_list(&r.get::<_, String>(6)?),
            active: r.get(7)?,
            joined_on: r.get(8)?,
            notes: r.get(9)?,
            archived: r.get::<_, Option<String>>(10)?.is_some(),
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
        },
        phone,
    ))
}

pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<Person>> {
    Ok(list_with_phones(conn, include_archived)?.into_iter().map(|(p, _)| p).collect())
}

/// People with their phone digits — only for exports, which are audited.
pub fn list_with_phones(conn: &Connection, include_archived: bool) -> Result<Vec<(Person, String)>> {
    let filter = if include_archived { "" } else { " WHERE p.archived_at IS NULL" };
    let mut st = conn.prepare_cached(&format!("{SELECT}{filter} ORDER BY p.name, p.id"))?;
    let rows = st.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find(conn: &Connection, id: &str) -> Result<Option<(Person, String)>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?;
    Ok(st.query_row([id], from_row).optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Person> {
    find(conn, id)?.map(|(p, _)| p).ok_or_else(|| Error::not_found("person", id))
}

/// The unmasked phone. Callers write an audit entry: this is a view of personal data.
pub fn reveal_phone(conn: &Connection, id: &str) -> Result<String> {
    find(conn, id)?.map(|(_, ph)| ph).ok_or_else(|| Error::not_found("person", id))
}

pub fn save(conn: &Connection, input: &PersonInput) -> Result<Person> {
    save_counted(conn, input).map(|(p, _)| p)
}

pub fn save_counted(conn: &Connection, input: &PersonInput) -> Result<(Person, Saved)> {
    let mut iss = Issues::default();
    let name = iss.take(check_name("name", &input.name, crate::rules::PERSON_NAME))?.unwrap_or_default();
    let notes = iss.take(check_text("notes", &input.notes, crate::rules::PERSON_NOTES))?.unwrap_or_default();
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => find(conn, id)?,
        None => None,
    };
    let stored = existing.as_ref().map(|(_, ph)| ph.clone()).unwrap_or_default();
    let phone_digits = iss.take(phone::updated(&stored, input.phone.as_deref()))?.unwrap_or(stored);
    let joined_on = iss.take(parse_date("joinedOn", input.joined_on.as_deref().unwrap_or("")))?.flatten();
    let unit_id = input.unit_id.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(u) = &unit_id {
        iss.take(crate::units::get(conn, u))?;
    }
    for t in &input.topic_ids {
        let exists: bool =
            conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM topics WHERE id = ?1)")?.query_row([t], |r| r.get(0))?;
        if !exists {
            iss.push(crate::error::issue(Code::ImportUnknownTopic, &[("value", t)]));
        }
    }
    for t in &input.team_ids {
        let exists: bool =
            conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?1)")?.query_row([t], |r| r.get(0))?;
        if !exists {
            iss.push(crate::error::issue(Code::ImportUnknownTeam, &[("value", t)]));
        }
    }
    if !phone_digits.is_empty() {
        let mut st = conn
            .prepare_cached("SELECT name FROM people WHERE phone = ?1 AND archived_at IS NULL AND id <> ?2 LIMIT 1")?;
        let own_id = existing.as_ref().map(|(p, _)| p.id.clone()).unwrap_or_default();
        if st.query_row(params![phone_digits, own_id], |r| r.get::<_, String>(0)).optional()?.is_some() {
            iss.push(crate::error::issue(
                Code::Duplicate,
                &[("field", "phone"), ("value", &phone::mask(&phone_digits))],
            ));
        }
    }
    iss.finish()?;
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    let roles_json = json_list(&roles.iter().map(|r| r.as_str().to_string()).collect::<Vec<_>>());
    let mut topics = input.topic_ids.clone();
    topics.dedup();
    let mut teams = input.team_ids.clone();
    teams.sort();
    teams.dedup();
    let ts = now();
    let (id, saved) = match existing {
        Some((old, old_phone)) => {
            let same = old.name == name
                && old.roles == roles
                && old_phone == phone_digits
                && old.unit_id == unit_id
                && old.team_ids == teams
                && old.topic_ids == topics
                && old.active == input.active
                && old.joined_on == joined_on
                && old.notes == notes;
            if same {
                return Ok((old, Saved::Unchanged));
            }
            conn.prepare_cached(
                "UPDATE people SET name=?2, roles=?3, phone=?4, unit_id=?5, topic_ids=?6, active=?7, joined_on=?8, notes=?9, updated_at=?10 WHERE id=?1",
            )?
            .execute(params![old.id, name, roles_json, phone_digits, unit_id, json_list(&topics), input.active, joined_on, notes, ts])?;
            (old.id, Saved::Updated)
        }
        None => {
            let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
                Some(id) => crate::util::check_id(id)?,
                None => new_id(),
            };
            conn.prepare_cached(
                "INSERT INTO people (id, name, roles, phone, unit_id, topic_ids, active, joined_on, notes, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
            )?
            .execute(params![id, name, roles_json, phone_digits, unit_id, json_list(&topics), input.active, joined_on, notes, ts])?;
            (id, Saved::Added)
        }
    };
    conn.prepare_cached("DELETE FROM team_members WHERE person_id = ?1")?.execute([&id])?;
    for t in &teams {
        conn.prepare_cached("INSERT INTO team_members(team_id, person_id, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![t, id, ts])?;
    }
    Ok((get(conn, &id)?, saved))
}

pub fn archive(conn: &Connection, id: &str) -> Result<Person> {
    get(conn, id)?;
    conn.execute(
        "UPDATE people SET archived_at = coalesce(archived_at, ?2), updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    get(conn, id)
}

pub fn restore(conn: &Connection, id: &str) -> Result<Person> {
    get(conn, id)?;
    conn.execute("UPDATE people SET archived_at = NULL, updated_at = ?2 WHERE id = ?1", params![id, now()])?;
    get(conn, id)
}
