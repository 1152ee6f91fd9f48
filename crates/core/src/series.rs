//! Recurring series: a bench talk on the first Saturday of every month, a talk every
//! Wednesday for eight weeks. Each occurrence is an ordinary session that remembers its
//! series, so one can be edited or cancelled alone without breaking the rest.
//!
//! Months without the day: a monthly series "on the 31st" falls on the last day of
//! shorter months (30 April, 28 or 29 February); "the fifth Saturday" is not offered —
//! use "the last Saturday" (`nth = -1`) instead.

use crate::error::Code;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::sessions::{self, fmt_time, parse_time, SessionInput, SessionStatus};
use crate::util::{new_id, now};

pub const MAX_OCCURRENCES: u32 = crate::rules::SERIES_MAX;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Repeat {
    /// Every `every` weeks on the weekday of the first occurrence.
    Weekly { every: u32 },
    /// The nth (1–4, or -1 for the last) `weekday` (1 = Monday … 7 = Sunday) of every month.
    MonthlyWeekday { nth: i32, weekday: u32 },
    /// The same day of every month as the first occurrence (clamped to the month's last day).
    MonthlyDay,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SeriesInput {
    /// The first occurrence's details; its start and end give the time of day and length.
    pub first: SessionInput,
    pub repeat: Repeat,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SeriesOutcome {
    pub series_id: Option<String>,
    pub created: u32,
    pub warnings: Vec<crate::error::Issue>,
}

fn weekday_of(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

/// The number of days in a month, which is also its last day.
pub fn last_day(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap().pred_opt().unwrap().day()
}

fn add_months(year: i32, month: u32, k: u32) -> (i32, u32) {
    let idx = year * 12 + (month as i32 - 1) + k as i32;
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

fn nth_weekday(year: i32, month: u32, nth: i32, wd: Weekday) -> Option<NaiveDate> {
    if nth == -1 {
        let mut d = NaiveDate::from_ymd_opt(year, month, last_day(year, month))?;
        while d.weekday() != wd {
            d = d.pred_opt()?;
        }
        return Some(d);
    }
    NaiveDate::from_weekday_of_month_opt(year, month, wd, nth as u8)
}

/// The dates of the occurrences. For monthly weekday series the first occurrence's own
/// month counts if its date is on or before that month's matching day.
pub fn dates(first: NaiveDate, repeat: &Repeat, count: u32) -> Result<Vec<NaiveDate>> {
    if count == 0 || count > MAX_OCCURRENCES {
        return Err(Error::invalid(Code::SeriesCount, &[("max", &MAX_OCCURRENCES.to_string())]));
    }
    let mut out = Vec::with_capacity(count as usize);
    match repeat {
        Repeat::Weekly { every } => {
            if *every == 0 || *every > 52 {
                return Err(Error::invalid(Code::SeriesRule, &[]));
            }
            for k in 0..count {
                out.push(first + Duration::weeks((*every * k) as i64));
            }
        }
        Repeat::MonthlyDay => {
            let day = first.day();
            for k in 0..count {
                let (y, m) = add_months(first.year(), first.month(), k);
                out.push(NaiveDate::from_ymd_opt(y, m, day.min(last_day(y, m))).unwrap());
            }
        }
        Repeat::MonthlyWeekday { nth, weekday } => {
            let wd = weekday_of(*weekday).ok_or_else(|| Error::invalid(Code::SeriesRule, &[]))?;
            if !(1..=4).contains(nth) && *nth != -1 {
                return Err(Error::invalid(Code::SeriesRule, &[]));
            }
            let mut k = 0;
            while out.len() < count as usize {
                let (y, m) = add_months(first.year(), first.month(), k);
                let d = nth_weekday(y, m, *nth, wd).ok_or_else(|| Error::invalid(Code::SeriesRule, &[]))?;
                if d >= first {
                    out.push(d);
                }
                k += 1;
            }
        }
    }
    Ok(out)
}

/// Creates every occurrence in one go. Warnings of all occurrences are gathered; with
/// any and no `allow_warnings`, nothing is written.
pub fn create(conn: &Connection, input: &SeriesInput, allow_warnings: bool, operator: &str) -> Result<SeriesOutcome> {
    let start = parse_time("start", &input.first.start)?;
    let end = parse_time("end", &input.first.end)?;
    let length = end - start;
    let ds = dates(start.date(), &input.repeat, input.count)?;
    let occurrences: Vec<SessionInput> = ds
        .iter()
        .map(|d| {
            let s = NaiveDateTime::new(*d, start.time());
            SessionInput { id: None, start: fmt_time(s), end: fmt_time(s + length), ..input.first.clone() }
        })
        .collect();
    let mut warnings = Vec::new();
    for (i, o) in occurrences.iter().enumerate() {
        for mut w in sessions::warnings(conn, o)? {
            w.params.insert("date".into(), ds[i].to_string());
            w.message = format!("{}：{}", ds[i], w.message);
            warnings.push(w);
        }
    }
    if !warnings.is_empty() && !allow_warnings {
        return Ok(SeriesOutcome { series_id: None, created: 0, warnings });
    }
    let id = new_id();
    let ts = now();
    conn.execute(
        "INSERT INTO series(id, rule, count, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, serde_json::to_string(&input.repeat).unwrap_or_default(), input.count, ts],
    )?;
    for (i, o) in occurrences.iter().enumerate() {
        let out = sessions::save(conn, o, true, operator)?;
        let sid = out.session.expect("saved").id;
        conn.execute(
            "UPDATE sessions SET series_id = ?2, series_index = ?3 WHERE id = ?1",
            params![sid, id, i as u32 + 1],
        )?;
    }
    Ok(SeriesOutcome { series_id: Some(id), created: occurrences.len() as u32, warnings })
}

/// Applies an edit of one occurrence to it and every later one of its series that is still
/// only planned or confirmed. A change of date or time moves each of them by the same
/// amount; the other fields are copied as they are.
pub fn edit_this_and_later(
    conn: &Connection,
    input: &SessionInput,
    allow_warnings: bool,
    operator: &str,
) -> Result<SeriesOutcome> {
    let id = input.id.as_deref().ok_or_else(|| Error::invalid(Code::ValidationRequired, &[("field", "id")]))?;
    let this = sessions::get(conn, id)?;
    let Some(series_id) = this.series_id.clone() else {
        let out = sessions::save(conn, input, allow_warnings, operator)?;
        return Ok(SeriesOutcome { series_id: None, created: out.session.is_some() as u32, warnings: out.warnings });
    };
    let shift = parse_time("start", &input.start)? - parse_time("start", &this.start)?;
    let length = parse_time("end", &input.end)? - parse_time("start", &input.start)?;
    let later: Vec<String> = {
        let mut st = conn.prepare(
            "SELECT id FROM sessions WHERE series_id = ?1 AND starts_at >= ?2 AND status IN ('planned','confirmed') AND archived_at IS NULL ORDER BY starts_at",
        )?;
        let rows = st.query_map(params![series_id, this.start], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut edits = Vec::new();
    for sid in &later {
        let s = sessions::get(conn, sid)?;
        let start = parse_time("start", &s.start)? + shift;
        edits.push(SessionInput {
            id: Some(s.id.clone()),
            start: fmt_time(start),
            end: fmt_time(start + length),
            ..input.clone()
        });
    }
    let mut warnings = Vec::new();
    for e in &edits {
        for mut w in sessions::warnings(conn, e)? {
            w.message = format!("{}：{}", crate::time::day_text(&e.start), w.message);
            warnings.push(w);
        }
    }
    if !warnings.is_empty() && !allow_warnings {
        return Ok(SeriesOutcome { series_id: Some(series_id), created: 0, warnings });
    }
    for e in &edits {
        sessions::save(conn, e, true, operator)?;
    }
    Ok(SeriesOutcome { series_id: Some(series_id), created: edits.len() as u32, warnings })
}

/// The sessions of a series, in order.
pub fn occurrences(conn: &Connection, series_id: &str) -> Result<Vec<sessions::Session>> {
    let ids: Vec<String> = {
        let mut st = conn.prepare("SELECT id FROM sessions WHERE series_id = ?1 ORDER BY starts_at")?;
        let rows = st.query_map([series_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.iter().map(|id| sessions::get(conn, id)).collect()
}

pub fn cancel_one(conn: &Connection, id: &str, reason: &str, operator: &str) -> Result<sessions::Session> {
    sessions::set_status(conn, id, SessionStatus::Cancelled, reason, operator)
}
