//! Session records: what actually happened at a held session — times, headcount and its
//! split by audience, speakers present (their hours credited), materials handed out, a
//! sign-in list for staff trainings, notes and photos. Recording moves the session to
//! "held"; a coordinator's review moves it to "reported" and locks it, after which a
//! change is a correction with a reason, kept with what it replaced.

use crate::error::Code;
use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issues, Result};
use crate::sessions::{self, fmt_time, parse_time, Audience, SessionStatus};
use crate::util::{check_text, json_list, new_id, now, parse_json_list};
use crate::{materials, people, photos};

pub const MAX_HEADCOUNT: i64 = 1_000_000;
pub const MAX_SIGNIN_NAMES: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AudienceCount {
    pub audience: Audience,
    #[ts(type = "number")]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SpeakerHours {
    pub person_id: String,
    /// Empty on the way in means "the length of the session".
    pub hours: Option<f64>,
    #[serde(default)]
    pub person_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct HandOut {
    pub material_id: String,
    #[ts(type = "number")]
    pub quantity: i64,
    #[serde(default)]
    pub material_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Record {
    /// The session's id: one record per session.
    pub id: String,
    pub session_title: String,
    pub session_status: SessionStatus,
    pub actual_start: String,
    pub actual_end: String,
    pub headcount: u32,
    pub audiences: Vec<AudienceCount>,
    pub speakers: Vec<SpeakerHours>,
    pub materials: Vec<HandOut>,
    pub notes: String,
    pub signin_names: Vec<String>,
    pub recorded_by: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub corrections: u32,
    pub photos: Vec<photos::Photo>,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct RecordInput {
    pub session_id: String,
    pub actual_start: String,
    pub actual_end: String,
    /// Signed so that a negative number reaches validation and gets a clear message.
    #[ts(type = "number")]
    pub headcount: i64,
    #[serde(default)]
    pub audiences: Vec<AudienceCount>,
    #[serde(default)]
    pub speakers: Vec<SpeakerHours>,
    #[serde(default)]
    pub materials: Vec<HandOut>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub signin_names: Vec<String>,
    /// Required when correcting a reported record.
    #[serde(default)]
    pub reason: String,
}

impl From<&Record> for RecordInput {
    fn from(r: &Record) -> Self {
        RecordInput {
            session_id: r.id.clone(),
            actual_start: r.actual_start.clone(),
            actual_end: r.actual_end.clone(),
            headcount: r.headcount as i64,
            audiences: r.audiences.clone(),
            speakers: r.speakers.clone(),
            materials: r.materials.clone(),
            notes: r.notes.clone(),
            signin_names: r.signin_names.clone(),
            reason: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct RecordOutcome {
    pub record: Record,
    /// Not refusals: e.g. a hand-out that takes a unit's stock below zero.
    pub warnings: Vec<crate::error::Issue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Correction {
    pub id: String,
    pub reason: String,
    pub before: String,
    pub after: String,
    pub operator: String,
    pub created_at: String,
}

pub fn find(conn: &Connection, id: &str) -> Result<Option<Record>> {
    let row = conn
        .prepare_cached(
            "SELECT r.id, s.title, s.status, r.actual_start, r.actual_end, r.headcount, r.notes, r.signin_names, r.recorded_by,
                    r.reviewed_by, r.reviewed_at, r.corrections, r.updated_at
             FROM records r JOIN sessions s ON s.id = r.id WHERE r.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Record {
                id: r.get(0)?,
                session_title: r.get(1)?,
                session_status: SessionStatus::parse(&r.get::<_, String>(2)?).unwrap_or(SessionStatus::Held),
                actual_start: r.get(3)?,
                actual_end: r.get(4)?,
                headcount: r.get(5)?,
                notes: r.get(6)?,
                signin_names: parse_json_list(&r.get::<_, String>(7)?),
                recorded_by: r.get(8)?,
                reviewed_by: r.get(9)?,
                reviewed_at: r.get(10)?,
                corrections: r.get(11)?,
                updated_at: r.get(12)?,
                audiences: vec![],
                speakers: vec![],
                materials: vec![],
                photos: vec![],
            })
        })
        .optional()?;
    let Some(mut rec) = row else { return Ok(None) };
    let mut st = conn.prepare_cached("SELECT audience, count FROM record_audiences WHERE record_id = ?1")?;
    let mut audiences: Vec<AudienceCount> = st
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .filter_map(|r| r.ok())
        .filter_map(|(a, count)| Audience::parse(&a).map(|audience| AudienceCount { audience, count }))
        .collect();
    audiences.sort_by_key(|a| a.audience);
    rec.audiences = audiences;
    let mut st = conn.prepare_cached(
        "SELECT rs.person_id, rs.hours, p.name FROM record_speakers rs JOIN people p ON p.id = rs.person_id WHERE rs.record_id = ?1 ORDER BY p.name",
    )?;
    rec.speakers = st
        .query_map([id], |r| Ok(SpeakerHours { person_id: r.get(0)?, hours: Some(r.get(1)?), person_name: r.get(2)? }))?
        .collect::<std::result::Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT rm.material_id, rm.quantity, m.name FROM record_materials rm JOIN materials m ON m.id = rm.material_id WHERE rm.record_id = ?1 ORDER BY m.name",
    )?;
    rec.materials = st
        .query_map([id], |r| Ok(HandOut { material_id: r.get(0)?, quantity: r.get(1)?, material_name: r.get(2)? }))?
        .collect::<std::result::Result<_, _>>()?;
    rec.photos = photos::list(conn, id)?;
    Ok(Some(rec))
}

pub fn get(conn: &Connection, id: &str) -> Result<Record> {
    find(conn, id)?.ok_or_else(|| Error::not_found("record", id))
}

struct Checked {
    start: NaiveDateTime,
    end: NaiveDateTime,
    headcount: u32,
    audiences: Vec<(Audience, u32)>,
    speakers: Vec<(String, f64)>,
    materials: Vec<(String, u32)>,
    notes: String,
    signin: Vec<String>,
}

/// What a session really took: both times given and well formed, the end after the start,
/// less than `MAX_HOURS`, and not starting in the future (ten minutes' grace). Every refusal at
/// once; the record form asks it through `rules_check_record_times` as the times are typed.
pub fn check_times(actual_start: &str, actual_end: &str) -> Result<()> {
    let mut is = Issues::default();
    check_times_into(&mut is, actual_start, actual_end, true)?;
    is.finish()
}

/// `check_times` without the clock: for a record made on another laptop (a bundle), whose
/// clock may run ahead of ours.
pub fn check_span(actual_start: &str, actual_end: &str) -> Result<()> {
    let mut is = Issues::default();
    check_times_into(&mut is, actual_start, actual_end, false)?;
    is.finish()
}

fn check_times_into(
    is: &mut Issues,
    actual_start: &str,
    actual_end: &str,
    clock: bool,
) -> Result<(Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> {
    let start = is.take(parse_time("actualStart", actual_start))?;
    let end = is.take(parse_time("actualEnd", actual_end))?;
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            is.push(issue(Code::SessionsEndBeforeStart, &[]));
        } else if (e - s).num_hours() >= sessions::MAX_HOURS {
            is.push(issue(Code::SessionsTooLong, &[("hours", &sessions::MAX_HOURS.to_string())]));
        }
        if clock && !crate::rules::has_started(s, chrono::Local::now().naive_local()) {
            is.push(issue(Code::RecordsNotYet, &[]));
        }
    }
    Ok((start, end))
}

fn validate(conn: &Connection, input: &RecordInput) -> Result<Checked> {
    let mut is = Issues::default();
    let (start, end) = check_times_into(&mut is, &input.actual_start, &input.actual_end, true)?;
    let headcount = input.headcount;
    if headcount < 0 {
        is.push(issue(Code::ValidationNegative, &[("field", "headcount"), ("value", &headcount.to_string())]));
    } else if headcount > MAX_HEADCOUNT {
        is.push(issue(Code::ValidationTooLarge, &[("field", "headcount"), ("max", &MAX_HEADCOUNT.to_string())]));
    }
    let mut audiences: Vec<(Audience, u32)> = Vec::new();
    let mut split_sum: i64 = 0;
    for a in &input.audiences {
        if a.count < 0 {
            is.push(issue(
                Code::ValidationNegative,
                &[("field", a.audience.as_str()), ("value", &a.count.to_string())],
            ));
            continue;
        }
        if audiences.iter().any(|(x, _)| *x == a.audience) {
            is.push(issue(Code::Duplicate, &[("field", "audience"), ("value", a.audience.as_str())]));
            continue;
        }
        split_sum += a.count;
        if a.count > 0 {
            audiences.push((a.audience, a.count.min(MAX_HEADCOUNT) as u32));
        }
    }
    if headcount >= 0 && split_sum > headcount {
        is.push(issue(
            Code::RecordsSplitOverTotal,
            &[("sum", &split_sum.to_string()), ("total", &headcount.to_string())],
        ));
    }
    let default_hours = match (start, end) {
        (Some(s), Some(e)) if e > s => ((e - s).num_minutes() as f64 / 30.0).round() / 2.0,
        _ => 0.0,
    };
    let mut speakers: Vec<(String, f64)> = Vec::new();
    for sp in &input.speakers {
        if is.take(people::get(conn, &sp.person_id))?.is_none() {
            continue;
        }
        let hours = sp.hours.unwrap_or(default_hours);
        if !(0.0..=24.0).contains(&hours) || hours.is_nan() {
            is.push(issue(Code::RecordsHours, &[("value", &hours.to_string())]));
            continue;
        }
        if !speakers.iter().any(|(p, _)| p == &sp.person_id) {
            speakers.push((sp.person_id.clone(), hours));
        }
    }
    let mut handouts: Vec<(String, u32)> = Vec::new();
    for m in &input.materials {
        if is.take(materials::get(conn, &m.material_id))?.is_none() {
            continue;
        }
        if m.quantity < 0 {
            is.push(issue(Code::ValidationNegative, &[("field", "material"), ("value", &m.quantity.to_string())]));
            continue;
        }
        if m.quantity == 0 {
            continue;
        }
        if handouts.iter().any(|(x, _)| x == &m.material_id) {
            is.push(issue(Code::Duplicate, &[("field", "material"), ("value", &m.material_id)]));
            continue;
        }
        handouts.push((m.material_id.clone(), m.quantity.min(MAX_HEADCOUNT) as u32));
    }
    let notes = is.take(check_text("notes", &input.notes, crate::rules::RECORD_NOTES))?.unwrap_or_default();
    let mut signin: Vec<String> = Vec::new();
    for n in &input.signin_names {
        let n = n.trim();
        if n.is_empty() {
            continue;
        }
        if n.chars().count() > 40 {
            is.push(issue(Code::ValidationTooLong, &[("field", "signinNames"), ("max", "40")]));
            break;
        }
        signin.push(n.to_string());
    }
    if signin.len() > MAX_SIGNIN_NAMES {
        is.push(issue(Code::ValidationTooLarge, &[("field", "signinNames"), ("max", &MAX_SIGNIN_NAMES.to_string())]));
    }
    is.finish()?;
    Ok(Checked {
        start: start.unwrap(),
        end: end.unwrap(),
        headcount: headcount as u32,
        audiences,
        speakers,
        materials: handouts,
        notes,
        signin,
    })
}

/// Records (or corrects) what happened at a session. Planned and confirmed sessions move to
/// "held"; a reported session takes the change only with a reason, and keeps the old version.
pub fn save(conn: &Connection, input: &RecordInput, operator: &str, actor: &str) -> Result<RecordOutcome> {
    let session = sessions::get(conn, &input.session_id)?;
    if session.status == SessionStatus::Cancelled {
        return Err(Error::invalid(Code::RecordsSessionCancelled, &[]));
    }
    let c = validate(conn, input)?;
    let existing = find(conn, &session.id)?;
    let reason = check_text("reason", &input.reason, crate::rules::RECORD_REASON)?;
    let correcting = session.status == SessionStatus::Reported;
    if correcting && reason.is_empty() {
        return Err(Error::invalid(Code::RecordsReasonRequired, &[]));
    }
    let ts = now();
    let id = session.id.clone();
    match &existing {
        Some(_) => {
            conn.prepare_cached(
                "UPDATE records SET actual_start=?2, actual_end=?3, headcount=?4, notes=?5, signin_names=?6,
                 corrections = corrections + ?7, updated_at=?8 WHERE id=?1",
            )?
            .execute(params![
                id,
                fmt_time(c.start),
                fmt_time(c.end),
                c.headcount,
                c.notes,
                json_list(&c.signin),
                correcting as i64,
                ts
            ])?;
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO records(id, actual_start, actual_end, headcount, notes, signin_names, recorded_by, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)",
            )?
            .execute(params![id, fmt_time(c.start), fmt_time(c.end), c.headcount, c.notes, json_list(&c.signin), operator, ts])?;
        }
    }
    conn.prepare_cached("DELETE FROM record_audiences WHERE record_id = ?1")?.execute([&id])?;
    for (a, n) in &c.audiences {
        conn.prepare_cached("INSERT INTO record_audiences(record_id, audience, count) VALUES (?1,?2,?3)")?
            .execute(params![id, a.as_str(), n])?;
    }
    conn.prepare_cached("DELETE FROM record_speakers WHERE record_id = ?1")?.execute([&id])?;
    for (p, h) in &c.speakers {
        conn.prepare_cached("INSERT INTO record_speakers(record_id, person_id, hours) VALUES (?1,?2,?3)")?
            .execute(params![id, p, h])?;
    }
    conn.prepare_cached("DELETE FROM record_materials WHERE record_id = ?1")?.execute([&id])?;
    for (m, q) in &c.materials {
        conn.prepare_cached("INSERT INTO record_materials(record_id, material_id, quantity) VALUES (?1,?2,?3)")?
            .execute(params![id, m, q])?;
    }
    if matches!(session.status, SessionStatus::Planned | SessionStatus::Confirmed) {
        sessions::set_status(conn, &id, SessionStatus::Held, "", operator)?;
    } else {
        conn.prepare_cached("UPDATE sessions SET updated_at = ?2 WHERE id = ?1")?.execute(params![id, ts])?;
    }
    let record = get(conn, &id)?;
    if correcting {
        let before = existing.as_ref().map(summary).unwrap_or_default();
        conn.prepare_cached(
            "INSERT INTO record_corrections(id, record_id, reason, before, after, operator, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?7)",
        )?
        .execute(params![new_id(), id, reason, before, summary(&record), operator, ts])?;
        crate::audit::record(
            conn,
            operator,
            actor,
            "records.correct",
            &id,
            &crate::audit::Note::new("records.corrected").with("reason", &reason),
        )?;
    }
    let unit = session.unit_id.clone().or_else(|| venue_unit(conn, session.venue_id.as_deref()));
    let warnings = match unit {
        Some(u) => materials::shortfalls(conn, &u, &c.materials)?,
        None => vec![],
    };
    Ok(RecordOutcome { record, warnings })
}

fn venue_unit(conn: &Connection, venue: Option<&str>) -> Option<String> {
    let v = venue?;
    conn.query_row("SELECT unit_id FROM venues WHERE id = ?1", [v], |r| r.get::<_, Option<String>>(0)).ok().flatten()
}

/// A one-line, human-readable summary: what a correction log shows before and after.
fn summary(r: &Record) -> String {
    let split: Vec<String> = r.audiences.iter().map(|a| format!("{}{}", a.audience.label(), a.count)).collect();
    let mats: Vec<String> = r.materials.iter().map(|m| format!("{}{}", m.material_name, m.quantity)).collect();
    format!(
        "{}–{}；{}人（{}）；讲师{}人；物资：{}",
        r.actual_start,
        r.actual_end,
        r.headcount,
        split.join("、"),
        r.speakers.len(),
        if mats.is_empty() { "无".to_string() } else { mats.join("、") }
    )
}

/// The coordinator's review: the session moves to "reported" and the record locks.
pub fn review(conn: &Connection, id: &str, operator: &str) -> Result<Record> {
    let rec = get(conn, id)?;
    if rec.session_status != SessionStatus::Held {
        return Err(Error::invalid(
            Code::SessionsBadTransition,
            &[("from", rec.session_status.as_str()), ("to", SessionStatus::Reported.as_str())],
        ));
    }
    sessions::set_status(conn, id, SessionStatus::Reported, "", operator)?;
    conn.prepare_cached("UPDATE records SET reviewed_by = ?2, reviewed_at = ?3, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, operator, now()])?;
    get(conn, id)
}

pub fn corrections(conn: &Connection, id: &str) -> Result<Vec<Correction>> {
    let mut st = conn.prepare_cached(
        "SELECT id, reason, before, after, operator, created_at FROM record_corrections WHERE record_id = ?1 ORDER BY created_at",
    )?;
    let rows = st
        .query_map([id], |r| {
            Ok(Correction {
                id: r.get(0)?,
                reason: r.get(1)?,
                before: r.get(2)?,
                after: r.get(3)?,
                operator: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// Hours and sessions a person is credited with over a period (inclusive dates), from records.
pub fn service(
    conn: &Connection,
    person_id: &str,
    from: &str,
    to: &str,
) -> Result<(f64, u32, Vec<(String, String, f64)>)> {
    let mut st = conn.prepare_cached(
        "SELECT s.title, r.actual_start, rs.hours FROM record_speakers rs JOIN records r ON r.id = rs.record_id JOIN sessions s ON s.id = r.id
         WHERE rs.person_id = ?1 AND substr(r.actual_start, 1, 10) BETWEEN ?2 AND ?3 AND s.status IN ('held','reported')
         ORDER BY r.actual_start",
    )?;
    let rows: Vec<(String, String, f64)> = st
        .query_map(params![person_id, from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let hours = rows.iter().map(|r| r.2).sum();
    Ok((hours, rows.len() as u32, rows))
}

/// Recorded headcount per session id, for the sessions export.
pub fn headcounts(conn: &Connection) -> Result<std::collections::HashMap<String, u32>> {
    let mut st = conn.prepare_cached("SELECT id, headcount FROM records")?;
    let map = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    Ok(map)
}
