//! Sessions: one outreach activity each — a talk, a bench talk, a door-to-door campaign,
//! a booth, a performance, a staff training or an online push — with who is assigned,
//! its audiences and topics, and its status from planned to reported (or cancelled).
//!
//! Times are local wall-clock times in Asia/Shanghai, "YYYY-MM-DDTHH:MM".

use crate::error::Code;
use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issue, Issues, Result};
use crate::time::{clock_text, minute_text};
use crate::util::{check_name, check_text, json_list, new_id, now, parse_json_list};
use crate::venues::VenueKind;
use crate::{people, units, venues};

pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";
pub const MAX_HOURS: i64 = crate::rules::SESSION_MAX_HOURS;

pub use crate::kinds::{AssignRole, Audience, SessionKind, SessionStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Assignment {
    pub person_id: String,
    pub role: AssignRole,
    /// Filled in on the way out; ignored on the way in.
    #[serde(default)]
    pub person_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PlannedMaterial {
    pub item: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Session {
    pub id: String,
    pub series_id: Option<String>,
    pub series_index: Option<u32>,
    pub title: String,
    pub kind: SessionKind,
    pub venue_id: Option<String>,
    pub venue_name: String,
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub start: String,
    pub end: String,
    pub audiences: Vec<Audience>,
    pub topic_ids: Vec<String>,
    pub people: Vec<Assignment>,
    pub materials: Vec<PlannedMaterial>,
    pub expected_audience: Option<u32>,
    pub channel: String,
    pub messages: Option<u32>,
    pub notes: String,
    pub status: SessionStatus,
    pub cancel_reason: String,
    /// A record of what happened has been saved (a `held` session without one was marked by hand
    /// and is still to be recorded).
    pub recorded: bool,
    pub revision: u32,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SessionInput {
    pub id: Option<String>,
    pub title: String,
    pub kind: SessionKind,
    pub venue_id: Option<String>,
    pub unit_id: Option<String>,
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub topic_ids: Vec<String>,
    #[serde(default)]
    pub people: Vec<Assignment>,
    #[serde(default)]
    pub materials: Vec<PlannedMaterial>,
    pub expected_audience: Option<u32>,
    #[serde(default)]
    pub channel: String,
    pub messages: Option<u32>,
    #[serde(default)]
    pub notes: String,
}

impl From<&Session> for SessionInput {
    fn from(s: &Session) -> Self {
        SessionInput {
            id: Some(s.id.clone()),
            title: s.title.clone(),
            kind: s.kind,
            venue_id: s.venue_id.clone(),
            unit_id: s.unit_id.clone(),
            start: s.start.clone(),
            end: s.end.clone(),
            audiences: s.audiences.clone(),
            topic_ids: s.topic_ids.clone(),
            people: s.people.clone(),
            materials: s.materials.clone(),
            expected_audience: s.expected_audience,
            channel: s.channel.clone(),
            messages: s.messages,
            notes: s.notes.clone(),
        }
    }
}

/// The result of a save: the session if it was written, and the warnings the planner
/// must see. With warnings and no `allow_warnings`, nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PlanOutcome {
    pub session: Option<Session>,
    pub warnings: Vec<Issue>,
}

// A session's times are `time`'s minutes; the planning code knows them by these names.
pub use crate::time::{fmt_minute as fmt_time, parse_minute as parse_time};

const SELECT: &str = "SELECT s.id, s.series_id, s.series_index, s.title, s.kind, s.venue_id, coalesce(v.name, ''), s.unit_id, coalesce(u.name, ''),
        s.starts_at, s.ends_at, s.audiences, s.topic_ids, s.materials, s.expected_audience, s.channel, s.messages, s.notes,
        s.status, s.cancel_reason, s.revision, s.created_at, s.updated_at,
        EXISTS (SELECT 1 FROM records r WHERE r.id = s.id)
     FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id LEFT JOIN units u ON u.id = s.unit_id";

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        series_id: r.get(1)?,
        series_index: r.get(2)?,
        title: r.get(3)?,
        kind: SessionKind::parse(&r.get::<_, String>(4)?).unwrap_or(SessionKind::Talk),
        venue_id: r.get(5)?,
        venue_name: r.get(6)?,
        unit_id: r.get(7)?,
        unit_name: r.get(8)?,
        start: r.get(9)?,
        end: r.get(10)?,
        audiences: parse_json_list(&r.get::<_, String>(11)?).iter().filter_map(|a| Audience::parse(a)).collect(),
        topic_ids: parse_json_list(&r.get::<_, String>(12)?),
        people: Vec::new(),
        materials: serde_json::from_str(&r.get::<_, String>(13)?).unwrap_or_default(),
        expected_audience: r.get(14)?,
        channel: r.get(15)?,
        messages: r.get(16)?,
        notes: r.get(17)?,
        status: SessionStatus::parse(&r.get::<_, String>(18)?).unwrap_or(SessionStatus::Planned),
        cancel_reason: r.get(19)?,
        revision: r.get(20)?,
        created_at: r.get(21)?,
        updated_at: r.get(22)?,
        recorded: r.get(23)?,
    })
}

fn attach_people(conn: &Connection, sessions: &mut [Session]) -> Result<()> {
    if sessions.is_empty() {
        return Ok(());
    }
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, s) in sessions.iter().enumerate() {
        by_id.insert(s.id.clone(), i);
    }
    // One query for a page of sessions; a temp table keeps it fast for thousands.
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS wanted_sessions(id TEXT PRIMARY KEY); DELETE FROM wanted_sessions;",
    )?;
    {
        let mut ins = conn.prepare_cached("INSERT OR IGNORE INTO wanted_sessions(id) VALUES (?1)")?;
        for s in sessions.iter() {
            ins.execute([&s.id])?;
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT sp.session_id, sp.person_id, sp.role, coalesce(p.name, '') FROM session_people sp
         JOIN wanted_sessions w ON w.id = sp.session_id LEFT JOIN people p ON p.id = sp.person_id
         ORDER BY CASE sp.role WHEN 'lead_speaker' THEN 0 WHEN 'speaker' THEN 1 WHEN 'captain' THEN 2 WHEN 'grid_worker' THEN 3 ELSE 4 END, p.name",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let sid: String = r.get(0)?;
        if let Some(&i) = by_id.get(&sid) {
            sessions[i].people.push(Assignment {
                person_id: r.get(1)?,
                role: AssignRole::parse(&r.get::<_, String>(2)?).unwrap_or(AssignRole::Speaker),
                person_name: r.get(3)?,
            });
        }
    }
    conn.execute_batch("DELETE FROM wanted_sessions;")?;
    Ok(())
}

/// A session's unit: its own, else its venue's (what the access guards and a captain's
/// bundle scope go by).
pub fn unit_of(conn: &Connection, session_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT coalesce(s.unit_id, v.unit_id) FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id WHERE s.id = ?1",
            [session_id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

pub fn find(conn: &Connection, id: &str) -> Result<Option<Session>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))?;
    let Some(s) = st.query_row([id], from_row).optional()? else { return Ok(None) };
    let mut v = vec![s];
    attach_people(conn, &mut v)?;
    Ok(v.pop())
}

pub fn get(conn: &Connection, id: &str) -> Result<Session> {
    find(conn, id)?.ok_or_else(|| Error::not_found("session", id))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
#[serde(default)]
pub struct SessionFilter {
    /// Sessions that end after this time (inclusive day start if a date is given).
    #[ts(optional)]
    pub from: Option<String>,
    /// Sessions that start before this time (a date means the end of that day).
    #[ts(optional)]
    pub to: Option<String>,
    /// This unit and every unit below it, by the session's unit or its venue's unit.
    #[ts(optional)]
    pub unit_id: Option<String>,
    #[ts(optional)]
    pub kinds: Option<Vec<SessionKind>>,
    #[ts(optional)]
    pub person_id: Option<String>,
    #[ts(optional)]
    pub statuses: Option<Vec<SessionStatus>>,
    /// Words in the title, the venue's or the unit's name, or the day ("2026-12-05"): a picker's search.
    #[ts(optional)]
    pub search: Option<String>,
    /// At most this many (up to `LIST_LIMIT_MAX`): a picker asks for a page, not a city's year.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// The latest first (past sessions in a picker); else in time order.
    #[ts(optional)]
    pub newest_first: Option<bool>,
}

/// The most sessions one `list` call with a `limit` returns.
pub const LIST_LIMIT_MAX: u32 = 500;

/// `%words%` for `LIKE … ESCAPE '\'`, the user's `%`, `_` and `\` taken literally.
fn like_pattern(words: &str) -> String {
    format!("%{}%", words.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

fn bound(s: &str, end_of_day: bool) -> Result<String> {
    let s = s.trim();
    if s.len() == 10 {
        let d = crate::util::parse_date("date", s)?.unwrap_or_default();
        return Ok(if end_of_day { format!("{d}T24:00") } else { format!("{d}T00:00") });
    }
    Ok(fmt_time(parse_time("date", s)?))
}

pub fn list(conn: &Connection, f: &SessionFilter) -> Result<Vec<Session>> {
    let mut sql = format!("{SELECT} WHERE s.archived_at IS NULL");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(from) = f.from.as_deref().filter(|s| !s.is_empty()) {
        args.push(bound(from, false)?.into());
        sql.push_str(&format!(" AND s.ends_at > ?{}", args.len()));
    }
    if let Some(to) = f.to.as_deref().filter(|s| !s.is_empty()) {
        args.push(bound(to, true)?.into());
        sql.push_str(&format!(" AND s.starts_at < ?{}", args.len()));
    }
    if let Some(unit) = f.unit_id.as_deref().filter(|s| !s.is_empty()) {
        units::get(conn, unit)?;
        args.push(unit.to_string().into());
        let n = args.len();
        sql.push_str(&format!(
            " AND (s.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT ?{n} UNION ALL SELECT c.id FROM units c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)
               OR v.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT ?{n} UNION ALL SELECT c.id FROM units c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub))"
        ));
    }
    if let Some(kinds) = f.kinds.as_ref().filter(|k| !k.is_empty()) {
        let list: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
        sql.push_str(&format!(" AND s.kind IN ({})", list.join(",")));
    }
    if let Some(statuses) = f.statuses.as_ref().filter(|k| !k.is_empty()) {
        let list: Vec<String> = statuses.iter().map(|k| format!("'{}'", k.as_str())).collect();
        sql.push_str(&format!(" AND s.status IN ({})", list.join(",")));
    }
    if let Some(p) = f.person_id.as_deref().filter(|s| !s.is_empty()) {
        args.push(p.to_string().into());
        sql.push_str(&format!(
            " AND s.id IN (SELECT session_id FROM session_people WHERE person_id = ?{})",
            args.len()
        ));
    }
    if let Some(q) = f.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        args.push(like_pattern(q).into());
        let n = args.len();
        sql.push_str(&format!(
            " AND (s.title LIKE ?{n} ESCAPE '\\' OR v.name LIKE ?{n} ESCAPE '\\' OR u.name LIKE ?{n} ESCAPE '\\'
                   OR s.starts_at LIKE ?{n} ESCAPE '\\')"
        ));
    }
    sql.push_str(if f.newest_first == Some(true) {
        " ORDER BY s.starts_at DESC, s.id DESC"
    } else {
        " ORDER BY s.starts_at, s.id"
    });
    if let Some(limit) = f.limit {
        sql.push_str(&format!(" LIMIT {}", limit.clamp(1, LIST_LIMIT_MAX)));
    }
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args), from_row)?;
    let mut out: Vec<Session> = rows.collect::<rusqlite::Result<_>>()?;
    attach_people(conn, &mut out)?;
    Ok(out)
}

/// A session's two times: both given and well formed, the end after the start, at most
/// `MAX_HOURS` apart. Every refusal at once (the form shows each beside its field); the
/// window's form asks this through `sessions_check_times` as the planner types.
pub fn check_times(start: &str, end: &str) -> Result<(NaiveDateTime, NaiveDateTime)> {
    let mut iss = Issues::default();
    let s = iss.take(parse_time("start", start))?;
    let e = iss.take(parse_time("end", end))?;
    if let (Some(s), Some(e)) = (s, e) {
        if e <= s {
            iss.push(issue(Code::SessionsEndBeforeStart, &[]));
        } else if e - s > Duration::hours(MAX_HOURS) {
            iss.push(issue(Code::SessionsTooLong, &[("hours", &MAX_HOURS.to_string())]));
        }
        iss.finish()?;
        return Ok((s, e));
    }
    // A time that did not parse was collected as an issue, so this is always the refusal.
    Err(iss.finish().err().unwrap_or_else(|| Error::Internal("session times".into())))
}

struct Checked {
    title: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
    venue: Option<(venues::Venue, String)>,
    unit_id: Option<String>,
    notes: String,
    channel: String,
}

/// Refusals: what no planner can mean (end before start, over 24 hours, unknown ids).
fn validate(conn: &Connection, input: &SessionInput) -> Result<Checked> {
    let mut iss = Issues::default();
    let title = iss.take(check_name("title", &input.title, crate::rules::SESSION_TITLE))?.unwrap_or_default();
    let notes = iss.take(check_text("notes", &input.notes, crate::rules::SESSION_NOTES))?.unwrap_or_default();
    let channel = iss.take(check_text("channel", &input.channel, crate::rules::SESSION_CHANNEL))?.unwrap_or_default();
    let times = iss.take(check_times(&input.start, &input.end))?;
    let venue_id = input.venue_id.as_deref().filter(|s| !s.is_empty());
    let venue = match venue_id {
        Some(v) => iss.take(venues::find(conn, v)?.ok_or_else(|| Error::not_found("venue", v)))?,
        None => None,
    };
    let unit_id = input.unit_id.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(u) = &unit_id {
        iss.take(units::get(conn, u))?;
    }
    if input.kind == SessionKind::OnlinePush {
        if channel.is_empty() {
            iss.push(issue(Code::ValidationRequired, &[("field", "channel")]));
        }
    } else if venue_id.is_none() && unit_id.is_none() {
        iss.push(issue(Code::SessionsNoPlace, &[]));
    }
    let mut seen = std::collections::HashSet::new();
    for a in &input.people {
        if !seen.insert(a.person_id.clone()) {
            iss.push(issue(Code::Duplicate, &[("field", "person"), ("value", &a.person_id)]));
            continue;
        }
        iss.take(people::get(conn, &a.person_id))?;
    }
    for t in &input.topic_ids {
        let exists: bool =
            conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM topics WHERE id = ?1)")?.query_row([t], |r| r.get(0))?;
        if !exists {
            iss.push(issue(Code::NotFound, &[("entity", "topic"), ("id", t)]));
        }
    }
    for m in &input.materials {
        if m.item.trim().is_empty() {
            iss.push(issue(Code::ValidationRequired, &[("field", "material")]));
        }
    }
    iss.finish()?;
    // Online pushes have no venue; a venue without a unit borrows none.
    let unit_id = unit_id.or_else(|| venue.as_ref().and_then(|(v, _)| v.unit_id.clone()));
    let Some((start, end)) = times else { return Err(Error::Internal("session times".into())) };
    Ok(Checked { title, start, end, venue, unit_id, notes, channel })
}

/// Warnings: what a planner may mean but should see first.
pub fn warnings(conn: &Connection, input: &SessionInput) -> Result<Vec<Issue>> {
    let c = validate(conn, input)?;
    warnings_checked(conn, input, &c)
}

fn warnings_checked(conn: &Connection, input: &SessionInput, c: &Checked) -> Result<Vec<Issue>> {
    let own = input.id.clone().unwrap_or_default();
    let (start, end) = (fmt_time(c.start), fmt_time(c.end));
    let mut out = Vec::new();
    // Overlap means start < other.end and other.start < end: touching is not overlapping.
    let mut busy = conn.prepare_cached(
        "SELECT s.title, s.starts_at, s.ends_at FROM session_people sp JOIN sessions s ON s.id = sp.session_id
         WHERE sp.person_id = ?1 AND s.id <> ?2 AND s.status <> 'cancelled' AND s.archived_at IS NULL
           AND s.starts_at < ?4 AND ?3 < s.ends_at ORDER BY s.starts_at LIMIT 1",
    )?;
    for a in &input.people {
        let p = people::get(conn, &a.person_id)?;
        if let Some((title, s, e)) = busy
            .query_row(params![a.person_id, own, start, end], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?
        {
            out.push(issue(
                Code::SessionsPersonBusy,
                &[("name", &p.name), ("title", &title), ("start", &minute_text(&s)), ("end", &clock_text(&e))],
            ));
        }
        if !p.active {
            out.push(issue(Code::SessionsInactivePerson, &[("name", &p.name)]));
        }
        if matches!(a.role, AssignRole::LeadSpeaker | AssignRole::Speaker) {
            for t in &input.topic_ids {
                if !p.topic_ids.contains(t) {
                    let name: String = conn.query_row("SELECT name FROM topics WHERE id = ?1", [t], |r| r.get(0))?;
                    out.push(issue(Code::SessionsSpeakerTopic, &[("name", &p.name), ("topic", &name)]));
                }
            }
        }
    }
    if let Some((v, phone)) = &c.venue {
        let mut st = conn.prepare_cached(
            "SELECT title, starts_at, ends_at FROM sessions WHERE venue_id = ?1 AND id <> ?2 AND status <> 'cancelled' AND archived_at IS NULL
               AND starts_at < ?4 AND ?3 < ends_at ORDER BY starts_at LIMIT 1",
        )?;
        if let Some((title, s, e)) = st
            .query_row(params![v.id, own, start, end], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?
        {
            out.push(issue(
                Code::SessionsVenueBusy,
                &[("venue", &v.name), ("title", &title), ("start", &minute_text(&s)), ("end", &clock_text(&e))],
            ));
        }
        if matches!(v.kind, VenueKind::School | VenueKind::Enterprise)
            && (v.contact_name.is_empty() || phone.is_empty())
        {
            out.push(issue(Code::SessionsNoContact, &[("venue", &v.name)]));
        }
    }
    Ok(out)
}

/// Saves a session. With warnings and `allow_warnings` false, nothing is written and the
/// warnings come back for the planner to confirm.
pub fn save(conn: &Connection, input: &SessionInput, allow_warnings: bool, operator: &str) -> Result<PlanOutcome> {
    let c = validate(conn, input)?;
    let warnings = warnings_checked(conn, input, &c)?;
    if !warnings.is_empty() && !allow_warnings {
        return Ok(PlanOutcome { session: None, warnings });
    }
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => find(conn, id)?,
        None => None,
    };
    if let Some(old) = &existing {
        if old.status == SessionStatus::Reported {
            return Err(Error::invalid(Code::SessionsLocked, &[]));
        }
    }
    let mut audiences = input.audiences.clone();
    audiences.sort();
    audiences.dedup();
    let audiences_json = json_list(&audiences.iter().map(|a| a.as_str().to_string()).collect::<Vec<_>>());
    let materials_json = serde_json::to_string(&input.materials).unwrap_or_else(|_| "[]".into());
    let venue_id = c.venue.as_ref().map(|(v, _)| v.id.clone());
    let ts = now();
    let id = match existing {
        Some(old) => {
            conn.prepare_cached(
                "UPDATE sessions SET title=?2, kind=?3, venue_id=?4, unit_id=?5, starts_at=?6, ends_at=?7, audiences=?8, topic_ids=?9,
                 materials=?10, expected_audience=?11, channel=?12, messages=?13, notes=?14, revision = revision + 1, updated_at=?15 WHERE id=?1",
            )?
            .execute(params![
                old.id, c.title, input.kind.as_str(), venue_id, c.unit_id, fmt_time(c.start), fmt_time(c.end), audiences_json,
                json_list(&input.topic_ids), materials_json, input.expected_audience, c.channel, input.messages, c.notes, ts
            ])?;
            old.id
        }
        None => {
            let id = match input.id.as_deref().filter(|s| !s.is_empty()) {
                Some(id) => crate::util::check_id(id)?,
                None => new_id(),
            };
            conn.prepare_cached(
                "INSERT INTO sessions (id, title, kind, venue_id, unit_id, starts_at, ends_at, audiences, topic_ids, materials,
                 expected_audience, channel, messages, notes, status, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,'planned',?15,?15)",
            )?
            .execute(params![
                id, c.title, input.kind.as_str(), venue_id, c.unit_id, fmt_time(c.start), fmt_time(c.end), audiences_json,
                json_list(&input.topic_ids), materials_json, input.expected_audience, c.channel, input.messages, c.notes, ts
            ])?;
            log_status(conn, &id, None, SessionStatus::Planned, "", operator)?;
            id
        }
    };
    conn.prepare_cached("DELETE FROM session_people WHERE session_id = ?1")?.execute([&id])?;
    for a in &input.people {
        conn.prepare_cached("INSERT INTO session_people(session_id, person_id, role) VALUES (?1, ?2, ?3)")?
            .execute(params![id, a.person_id, a.role.as_str()])?;
    }
    Ok(PlanOutcome { session: Some(get(conn, &id)?), warnings })
}

fn log_status(
    conn: &Connection,
    id: &str,
    from: Option<SessionStatus>,
    to: SessionStatus,
    reason: &str,
    operator: &str,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO session_status_log(session_id, from_status, to_status, reason, operator, at) VALUES (?1,?2,?3,?4,?5,?6)")?
        .execute(params![id, from.map(|s| s.as_str()), to.as_str(), reason, operator, now()])?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct StatusChange {
    pub from: Option<SessionStatus>,
    pub to: SessionStatus,
    pub reason: String,
    pub operator: String,
    pub at: String,
}

pub fn history(conn: &Connection, id: &str) -> Result<Vec<StatusChange>> {
    let mut st = conn.prepare_cached("SELECT from_status, to_status, reason, operator, at FROM session_status_log WHERE session_id = ?1 ORDER BY seq")?;
    let rows = st.query_map([id], |r| {
        Ok(StatusChange {
            from: r.get::<_, Option<String>>(0)?.and_then(|s| SessionStatus::parse(&s)),
            to: SessionStatus::parse(&r.get::<_, String>(1)?).unwrap_or(SessionStatus::Planned),
            reason: r.get(2)?,
            operator: r.get(3)?,
            at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// planned → confirmed → held → reported, or cancelled (with a reason) from anything not
/// yet reported; a cancelled session can be planned again. Each change is logged.
/// The status action of a person (the session drawer, `plan status`): the lifecycle table, and
/// `held` by hand only once the session has started and with a reason; a mistaken `held` goes
/// back to `confirmed` only while nothing is recorded for it.
pub fn change_status(
    conn: &Connection,
    id: &str,
    to: SessionStatus,
    reason: &str,
    operator: &str,
    now: chrono::NaiveDateTime,
) -> Result<Session> {
    use SessionStatus::*;
    let s = get(conn, id)?;
    if s.status == to {
        return Ok(s);
    }
    if !crate::rules::next_statuses(s.status).contains(&to) {
        return Err(Error::invalid(Code::SessionsBadTransition, &[("from", s.status.as_str()), ("to", to.as_str())]));
    }
    if to == Held {
        if !crate::rules::has_started(parse_time("start", &s.start)?, now) {
            return Err(Error::invalid(Code::SessionsNotStarted, &[]));
        }
        if reason.trim().is_empty() {
            return Err(Error::invalid(Code::ValidationRequired, &[("field", "heldReason")]));
        }
    }
    if s.status == Held && s.recorded {
        return Err(Error::invalid(Code::SessionsHasRecord, &[]));
    }
    set_status(conn, id, to, reason, operator)
}

/// A status move: the person's lifecycle table, and review's `held` → `reported`. Recording and
/// reviewing call it directly; people go through `change_status`.
pub fn set_status(conn: &Connection, id: &str, to: SessionStatus, reason: &str, operator: &str) -> Result<Session> {
    use SessionStatus::*;
    let s = get(conn, id)?;
    let reason = check_text("reason", reason, crate::rules::SESSION_REASON)?;
    if s.status == to {
        return Ok(s);
    }
    let allowed = crate::rules::next_statuses(s.status).contains(&to) || (s.status, to) == (Held, Reported);
    if !allowed {
        return Err(Error::invalid(Code::SessionsBadTransition, &[("from", s.status.as_str()), ("to", to.as_str())]));
    }
    if to == Cancelled && reason.is_empty() {
        return Err(Error::invalid(Code::ValidationRequired, &[("field", "cancelReason")]));
    }
    conn.prepare_cached(
        "UPDATE sessions SET status = ?2, cancel_reason = ?3, revision = revision + 1, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, to.as_str(), if to == Cancelled { reason.as_str() } else { "" }, now()])?;
    log_status(conn, id, Some(s.status), to, &reason, operator)?;
    get(conn, id)
}

/// Moves a session to a new start (keeping its length), with the same checks as a save.
pub fn reschedule(
    conn: &Connection,
    id: &str,
    new_start: &str,
    allow_warnings: bool,
    operator: &str,
) -> Result<PlanOutcome> {
    let s = get(conn, id)?;
    if !crate::rules::is_movable(s.status) {
        return Err(Error::invalid(Code::SessionsNotMovable, &[("from", s.status.as_str())]));
    }
    let old_start = parse_time("start", &s.start)?;
    let length = parse_time("end", &s.end)? - old_start;
    let start = parse_time("start", new_start)?;
    let mut input = SessionInput::from(&s);
    input.start = fmt_time(start);
    input.end = fmt_time(start + length);
    save(conn, &input, allow_warnings, operator)
}

/// What the speaker picker asks: who could take this session.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CandidateQuery {
    /// The session being edited (its own assignments do not make anyone busy).
    #[serde(default)]
    pub session_id: Option<String>,
    /// "YYYY-MM-DDTHH:MM"; when either is missing or unreadable, nobody is shown as busy.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    /// The session's topics: a candidate who can speak on all of them is qualified.
    #[serde(default)]
    pub topic_ids: Vec<String>,
    /// Part of a name or of a unit's name; empty: everyone (the first `limit`).
    #[serde(default)]
    pub search: String,
    /// At most this many (1–200; 0 means 50).
    #[serde(default)]
    pub limit: u32,
}

/// One person as the picker shows them: what they can speak on and whether they are free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Candidate {
    pub person_id: String,
    pub name: String,
    pub unit_name: String,
    /// Every topic they can speak on, the session's first.
    pub topics: Vec<String>,
    /// The session's topics they cannot speak on (empty: qualified).
    pub missing_topics: Vec<String>,
    /// The session they are already booked for at that time: "title 09:30–11:00".
    pub busy_with: Option<String>,
    pub active: bool,
}

impl Candidate {
    /// Qualified, free and active: the first to be offered.
    pub fn fits(&self) -> bool {
        self.missing_topics.is_empty() && self.busy_with.is_none() && self.active
    }
}

/// The people who could take a session, best first: qualified for all its topics and free
/// at its time, then free but missing a topic, then the busy and the inactive; by name
/// within each. Searched and limited here, so the picker never holds a city's roster.
pub fn candidates(conn: &Connection, q: &CandidateQuery) -> Result<Vec<Candidate>> {
    let limit = match q.limit {
        0 => 50,
        n => n.min(200),
    };
    let times = match (parse_time("start", &q.start), parse_time("end", &q.end)) {
        (Ok(s), Ok(e)) if s < e => Some((fmt_time(s), fmt_time(e))),
        _ => None,
    };
    let (start, end) = times.unwrap_or_default();
    let wanted = json_list(&q.topic_ids);
    let search = q.search.trim();
    let pattern = like_pattern(search);
    // covered: how many of the session's topics they can speak on; busy: the first
    // overlapping session (touching is not overlapping, as in `warnings`).
    let mut st = conn.prepare_cached(
        "WITH wanted(id) AS (SELECT DISTINCT value FROM json_each(?1)),
         c AS (
           SELECT p.id, p.name, COALESCE(u.name, '') AS unit_name, p.active, p.topic_ids,
             (SELECT COUNT(*) FROM json_each(p.topic_ids) j WHERE j.value IN (SELECT id FROM wanted)) AS covered,
             CASE WHEN ?3 = '' THEN NULL ELSE
               (SELECT s.title || char(31) || s.starts_at || char(31) || s.ends_at
                  FROM session_people sp JOIN sessions s ON s.id = sp.session_id
                 WHERE sp.person_id = p.id AND s.id <> ?2 AND s.status <> 'cancelled' AND s.archived_at IS NULL
                   AND s.starts_at < ?4 AND ?3 < s.ends_at ORDER BY s.starts_at LIMIT 1) END AS busy
           FROM people p LEFT JOIN units u ON u.id = p.unit_id
           WHERE p.archived_at IS NULL
             AND (?5 = '' OR p.name LIKE ?6 ESCAPE '\\' OR u.name LIKE ?6 ESCAPE '\\'))
         SELECT id, name, unit_name, active, topic_ids, busy FROM c
         ORDER BY CASE WHEN busy IS NOT NULL OR active = 0 THEN 2
                       WHEN covered < (SELECT COUNT(*) FROM wanted) THEN 1 ELSE 0 END,
                  covered DESC, name, id
         LIMIT ?7",
    )?;
    let own = q.session_id.clone().unwrap_or_default();
    let rows = st.query_map(params![wanted, own, start, end, search, pattern, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut topic_name = conn.prepare_cached("SELECT name FROM topics WHERE id = ?1")?;
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut name_of = |id: &str| -> Result<Option<String>> {
        if let Some(n) = names.get(id) {
            return Ok(n.clone());
        }
        let n = topic_name.query_row([id], |r| r.get::<_, String>(0)).optional()?;
        names.insert(id.to_string(), n.clone());
        Ok(n)
    };
    let mut out = Vec::new();
    for row in rows {
        let (person_id, name, unit_name, active, topic_json, busy) = row?;
        let own_topics = parse_json_list(&topic_json);
        let mut topics = Vec::new();
        let mut missing_topics = Vec::new();
        for t in &q.topic_ids {
            match (own_topics.contains(t), name_of(t)?) {
                (true, Some(n)) => topics.push(n),
                (false, Some(n)) => missing_topics.push(n),
                (_, None) => {}
            }
        }
        for t in own_topics.iter().filter(|t| !q.topic_ids.contains(t)) {
            if let Some(n) = name_of(t)? {
                topics.push(n);
            }
        }
        let busy_with = busy.map(|b| {
            let mut parts = b.split('\u{1f}');
            let (title, s, e) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            format!("{title} {}–{}", clock_text(s), clock_text(e))
        });
        out.push(Candidate { person_id, name, unit_name, topics, missing_topics, busy_with, active });
    }
    Ok(out)
}
