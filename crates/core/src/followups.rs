//! Follow-ups of warned residents (预警回访). A case keeps the minimum: name or alias,
//! phone, grid, risk, warning date, how the resident was dissuaded, the outcome and whether
//! money was stopped. Follow-up visits are scheduled from the warning date (by default
//! +7 days, +1 month, +3 months); after the last visit the case closes, and its personal
//! fields are purged a set number of days later (default 30), leaving the anonymous fields
//! that reports count. Time is always passed in (`today`), so tests inject it.

use chrono::{Days, Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issues, Result};
use crate::units::UnitKind;
use crate::util::{check_name, check_text, new_id, now, parse_date};
use crate::{phone, settings};

pub const DEFAULT_SCHEDULE: &str = "7d,1m,3m";
pub const DEFAULT_PURGE_DAYS: u32 = 30;

/// One step of the schedule, counted from the warning date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Offset {
    pub fn apply(self, d: NaiveDate) -> NaiveDate {
        match self {
            Offset::Days(n) => d.checked_add_days(Days::new(n as u64)),
            Offset::Weeks(n) => d.checked_add_days(Days::new(7 * n as u64)),
            Offset::Months(n) => d.checked_add_months(Months::new(n)),
        }
        .unwrap_or(d)
    }
}

/// "7d,1m,3m" (also 2w; 天/周/月 accepted): 1 to 6 steps, each 1 to 730 days out, in order.
pub fn parse_schedule(s: &str) -> Result<Vec<Offset>> {
    let bad = || Error::invalid("followups.schedule", &[("value", s)]);
    let mut out = Vec::new();
    for part in s.split([',', '，', '、', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let (num, unit) = part.split_at(part.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
        let n: u32 = num.parse().map_err(|_| bad())?;
        let o = match unit {
            "d" | "天" => Offset::Days(n),
            "w" | "周" => Offset::Weeks(n),
            "m" | "月" | "个月" => Offset::Months(n),
            _ => return Err(bad()),
        };
        let days = match o {
            Offset::Days(n) => n,
            Offset::Weeks(n) => n * 7,
            Offset::Months(n) => n * 31,
        };
        if n == 0 || days > 730 {
            return Err(bad());
        }
        out.push(o);
    }
    let base = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let ordered = out.windows(2).all(|w| w[0].apply(base) < w[1].apply(base));
    if out.is_empty() || out.len() > 6 || !ordered {
        return Err(bad());
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct FollowupSettings {
    pub schedule: String,
    pub purge_days: u32,
}

pub fn get_settings(conn: &Connection) -> Result<FollowupSettings> {
    Ok(FollowupSettings {
        schedule: settings::get_key(conn, "followup_schedule")?.unwrap_or_else(|| DEFAULT_SCHEDULE.into()),
        purge_days: settings::get_key(conn, "followup_purge_days")?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PURGE_DAYS),
    })
}

pub fn save_settings(conn: &Connection, s: &FollowupSettings) -> Result<FollowupSettings> {
    let mut is = Issues::default();
    is.take(parse_schedule(&s.schedule))?;
    if s.purge_days > 3650 {
        is.push(issue("validation.too_large", &[("field", "purgeDays"), ("max", "3650")]));
    }
    is.finish()?;
    settings::set_key(conn, "followup_schedule", s.schedule.trim())?;
    settings::set_key(conn, "followup_purge_days", &s.purge_days.to_string())?;
    get_settings(conn)
}

use crate::codes::str_enum;

str_enum!(Risk { High = "high" / "高", Medium = "medium" / "中", Low = "low" / "低" });
str_enum!(Method { Phone = "phone" / "电话劝阻", InPerson = "in_person" / "上门劝阻" });
str_enum!(Outcome {
    Dissuaded = "dissuaded" / "劝阻成功",
    NotReached = "not_reached" / "未联系上",
    Refused = "refused" / "不听劝阻",
    Victimised = "victimised" / "已被骗",
});
str_enum!(VisitResult {
    Safe = "safe" / "情况正常",
    NeedsHelp = "needs_help" / "需要帮扶",
    NotReached = "not_reached" / "未联系上",
    Victimised = "victimised" / "已被骗",
});

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CaseVisit {
    pub id: String,
    pub case_id: String,
    pub seq: u32,
    pub due_on: String,
    pub done_on: Option<String>,
    pub method: Option<Method>,
    pub result: Option<VisitResult>,
    pub notes: String,
    pub visitor_id: Option<String>,
    pub visitor_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Case {
    pub id: String,
    /// Empty once purged.
    pub name: String,
    pub phone_masked: String,
    pub grid_id: String,
    pub grid_name: String,
    pub worker_id: Option<String>,
    pub worker_name: String,
    pub risk: Risk,
    pub warned_on: String,
    pub method: Method,
    pub outcome: Outcome,
    pub money_stopped: bool,
    pub notes: String,
    pub closed_on: Option<String>,
    pub purge_on: Option<String>,
    pub purged: bool,
    pub visits: Vec<CaseVisit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CaseInput {
    pub id: Option<String>,
    pub name: String,
    /// None keeps the stored phone on edit.
    pub phone: Option<String>,
    pub grid_id: String,
    pub worker_id: Option<String>,
    pub risk: Risk,
    pub warned_on: String,
    pub method: Method,
    pub outcome: Outcome,
    #[serde(default)]
    pub money_stopped: bool,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct VisitDone {
    pub visit_id: String,
    pub done_on: String,
    pub method: Method,
    pub result: VisitResult,
    #[serde(default)]
    pub notes: String,
    pub visitor_id: Option<String>,
}

const CASE_COLS: &str = "c.id, coalesce(c.name, ''), coalesce(c.phone, ''), c.grid_id, u.name, c.worker_id, coalesce(p.name, ''), c.risk,
     c.warned_on, c.method, c.outcome, c.money_stopped, c.notes, c.closed_on, c.purge_on, c.purged_at";

fn case_row(r: &rusqlite::Row) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        name: r.get(1)?,
        phone_masked: phone::mask(&r.get::<_, String>(2)?),
        grid_id: r.get(3)?,
        grid_name: r.get(4)?,
        worker_id: r.get(5)?,
        worker_name: r.get(6)?,
        risk: Risk::parse(&r.get::<_, String>(7)?).unwrap_or(Risk::Medium),
        warned_on: r.get(8)?,
        method: Method::parse(&r.get::<_, String>(9)?).unwrap_or(Method::Phone),
        outcome: Outcome::parse(&r.get::<_, String>(10)?).unwrap_or(Outcome::Dissuaded),
        money_stopped: r.get::<_, i64>(11)? != 0,
        notes: r.get(12)?,
        closed_on: r.get(13)?,
        purge_on: r.get(14)?,
        purged: r.get::<_, Option<String>>(15)?.is_some(),
        visits: vec![],
    })
}

fn visits_of(conn: &Connection, case_id: &str) -> Result<Vec<CaseVisit>> {
    let mut st = conn.prepare_cached(
        "SELECT v.id, v.case_id, v.seq, v.due_on, v.done_on, v.method, v.result, v.notes, v.visitor_id, coalesce(p.name, '')
         FROM case_visits v LEFT JOIN people p ON p.id = v.visitor_id WHERE v.case_id = ?1 ORDER BY v.seq",
    )?;
    let rows = st
        .query_map([case_id], |r| {
            Ok(CaseVisit {
                id: r.get(0)?,
                case_id: r.get(1)?,
                seq: r.get(2)?,
                due_on: r.get(3)?,
                done_on: r.get(4)?,
                method: r.get::<_, Option<String>>(5)?.and_then(|m| Method::parse(&m)),
                result: r.get::<_, Option<String>>(6)?.and_then(|m| VisitResult::parse(&m)),
                notes: r.get(7)?,
                visitor_id: r.get(8)?,
                visitor_name: r.get(9)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: &str) -> Result<Case> {
    let mut c = conn
        .prepare_cached(&format!(
            "SELECT {CASE_COLS} FROM cases c JOIN units u ON u.id = c.grid_id LEFT JOIN people p ON p.id = c.worker_id WHERE c.id = ?1"
        ))?
        .query_row([id], case_row)
        .optional()?
        .ok_or_else(|| Error::not_found("预警对象", id))?;
    c.visits = visits_of(conn, id)?;
    Ok(c)
}

/// The unmasked phone, for the case page only. Callers write an audit entry.
pub fn reveal_phone(conn: &Connection, id: &str) -> Result<String> {
    conn.query_row("SELECT coalesce(phone, '') FROM cases WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("预警对象", id))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CaseFilter {
    /// Cases in grids under this unit.
    pub unit_id: Option<String>,
    pub worker_id: Option<String>,
    /// "open", "closed" or all.
    pub state: Option<String>,
}

pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<Case>> {
    let sql = format!(
        "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM units u JOIN under ON u.parent_id = under.id)
         SELECT {CASE_COLS} FROM cases c JOIN units u ON u.id = c.grid_id LEFT JOIN people p ON p.id = c.worker_id
         WHERE (?1 IS NULL OR c.grid_id IN (SELECT id FROM under)) AND (?2 IS NULL OR c.worker_id = ?2)
           AND (?3 IS NULL OR (?3 = 'open' AND c.closed_on IS NULL) OR (?3 = 'closed' AND c.closed_on IS NOT NULL))
         ORDER BY c.closed_on IS NOT NULL, c.warned_on DESC"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let f_unit = f.unit_id.as_deref().filter(|s| !s.is_empty());
    let f_worker = f.worker_id.as_deref().filter(|s| !s.is_empty());
    let f_state = f.state.as_deref().filter(|s| *s == "open" || *s == "closed");
    let mut rows: Vec<Case> = st.query_map(params![f_unit, f_worker, f_state], case_row)?.collect::<std::result::Result<_, _>>()?;
    for c in &mut rows {
        c.visits = visits_of(conn, &c.id)?;
    }
    Ok(rows)
}

pub fn save(conn: &Connection, input: &CaseInput, today: NaiveDate) -> Result<Case> {
    let mut is = Issues::default();
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Some(get(conn, id)?),
        None => None,
    };
    if existing.as_ref().is_some_and(|c| c.purged) {
        return Err(Error::invalid("followups.purged", &[]));
    }
    let name = is.take(check_name("residentName", &input.name, 40))?;
    let stored = match &existing {
        Some(c) => reveal_phone(conn, &c.id)?,
        None => String::new(),
    };
    let phone_digits = match (&existing, input.phone.as_deref()) {
        (None, None) => {
            is.push(issue("validation.required", &[("field", "phone")]));
            None
        }
        _ => is.take(phone::updated(&stored, input.phone.as_deref()))?,
    };
    if phone_digits.as_deref() == Some("") {
        is.push(issue("validation.required", &[("field", "phone")]));
    }
    if let Some(u) = is.take(crate::units::get(conn, &input.grid_id))? {
        if u.kind != UnitKind::Grid {
            is.push(issue("visits.not_grid", &[("name", &u.name)]));
        }
    }
    let worker = input.worker_id.clone().filter(|s| !s.is_empty());
    if let Some(w) = &worker {
        is.take(crate::people::get(conn, w))?;
    }
    let warned = match is.take(parse_date("warnedOn", &input.warned_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue("validation.required", &[("field", "warnedOn")]));
            None
        }
        None => None,
    };
    if let Some(d) = &warned {
        if d.as_str() > today.format("%Y-%m-%d").to_string().as_str() {
            is.push(issue("validation.future", &[("field", "warnedOn"), ("value", d)]));
        }
    }
    let notes = is.take(check_text("notes", &input.notes, 500))?.unwrap_or_default();
    let schedule = parse_schedule(&get_settings(conn)?.schedule)?;
    is.finish()?;
    let (name, phone_digits, warned) = (name.unwrap(), phone_digits.unwrap(), warned.unwrap());
    let ts = now();
    let id = match &existing {
        Some(c) => {
            conn.execute(
                "UPDATE cases SET name=?2, phone=?3, grid_id=?4, worker_id=?5, risk=?6, warned_on=?7, method=?8, outcome=?9, money_stopped=?10,
                 notes=?11, updated_at=?12 WHERE id=?1",
                params![c.id, name, phone_digits, input.grid_id, worker, input.risk.as_str(), warned, input.method.as_str(),
                    input.outcome.as_str(), input.money_stopped as i64, notes, ts],
            )?;
            // Visits not yet made follow a changed warning date.
            if c.warned_on != warned {
                let base = NaiveDate::parse_from_str(&warned, "%Y-%m-%d").expect("validated");
                for v in c.visits.iter().filter(|v| v.done_on.is_none()) {
                    if let Some(o) = schedule.get(v.seq as usize - 1) {
                        conn.execute("UPDATE case_visits SET due_on=?2, updated_at=?3 WHERE id=?1", params![v.id, o.apply(base).to_string(), ts])?;
                    }
                }
            }
            c.id.clone()
        }
        None => {
            let id = new_id();
            conn.execute(
                "INSERT INTO cases(id, name, phone, grid_id, worker_id, risk, warned_on, method, outcome, money_stopped, notes, created_at, updated_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)",
                params![id, name, phone_digits, input.grid_id, worker, input.risk.as_str(), warned, input.method.as_str(),
                    input.outcome.as_str(), input.money_stopped as i64, notes, ts],
            )?;
            let base = NaiveDate::parse_from_str(&warned, "%Y-%m-%d").expect("validated");
            for (i, o) in schedule.iter().enumerate() {
                conn.execute(
                    "INSERT INTO case_visits(id, case_id, seq, due_on, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?5)",
                    params![new_id(), id, i as u32 + 1, o.apply(base).to_string(), ts],
                )?;
            }
            id
        }
    };
    get(conn, &id)
}

/// Records a follow-up visit. When every visit is done the case closes and its purge date
/// is set.
pub fn record_visit(conn: &Connection, input: &VisitDone, today: NaiveDate) -> Result<Case> {
    let case_id: String = conn
        .query_row("SELECT case_id FROM case_visits WHERE id = ?1", [&input.visit_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("回访", &input.visit_id))?;
    let c = get(conn, &case_id)?;
    if c.purged {
        return Err(Error::invalid("followups.purged", &[]));
    }
    let mut is = Issues::default();
    let done = match is.take(parse_date("doneOn", &input.done_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue("validation.required", &[("field", "doneOn")]));
            None
        }
        None => None,
    };
    if let Some(d) = &done {
        if d.as_str() > today.to_string().as_str() {
            is.push(issue("validation.future", &[("field", "doneOn"), ("value", d)]));
        }
        if d.as_str() < c.warned_on.as_str() {
            is.push(issue("followups.before_warning", &[]));
        }
    }
    let visitor = input.visitor_id.clone().filter(|s| !s.is_empty());
    if let Some(v) = &visitor {
        is.take(crate::people::get(conn, v))?;
    }
    let notes = is.take(check_text("notes", &input.notes, 500))?.unwrap_or_default();
    is.finish()?;
    let done = done.unwrap();
    let ts = now();
    conn.execute(
        "UPDATE case_visits SET done_on=?2, method=?3, result=?4, notes=?5, visitor_id=?6, updated_at=?7 WHERE id=?1",
        params![input.visit_id, done, input.method.as_str(), input.result.as_str(), notes, visitor, ts],
    )?;
    let open: i64 = conn.query_row("SELECT count(*) FROM case_visits WHERE case_id = ?1 AND done_on IS NULL", [&case_id], |r| r.get(0))?;
    if open == 0 {
        close(conn, &case_id, today)?;
    } else {
        conn.execute("UPDATE cases SET updated_at = ?2 WHERE id = ?1", params![case_id, ts])?;
    }
    get(conn, &case_id)
}

fn close(conn: &Connection, case_id: &str, _today: NaiveDate) -> Result<()> {
    let last: String = conn.query_row("SELECT max(done_on) FROM case_visits WHERE case_id = ?1", [case_id], |r| r.get(0))?;
    let days = get_settings(conn)?.purge_days;
    let closed = NaiveDate::parse_from_str(&last, "%Y-%m-%d").map_err(|_| Error::Internal("bad date".into()))?;
    let purge_on = closed.checked_add_days(Days::new(days as u64)).unwrap_or(closed);
    conn.execute(
        "UPDATE cases SET closed_on=?2, purge_on=?3, updated_at=?4 WHERE id=?1",
        params![case_id, last, purge_on.to_string(), now()],
    )?;
    Ok(())
}

/// Purges the personal fields of every case whose purge date has come: name, phone and
/// free-text notes go; grid, risk, dates, outcome and money-stopped stay for reports.
/// Returns how many cases were purged (a count only — never who).
pub fn purge_due(conn: &Connection, today: NaiveDate) -> Result<u32> {
    let ts = now();
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM cases WHERE purged_at IS NULL AND purge_on IS NOT NULL AND purge_on <= ?1")?
        .query_map([today.to_string()], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for id in &ids {
        conn.execute("UPDATE cases SET name=NULL, phone=NULL, notes='', purged_at=?2, updated_at=?2 WHERE id=?1", params![id, ts])?;
        conn.execute("UPDATE case_visits SET notes='', updated_at=?2 WHERE case_id=?1", params![id, ts])?;
    }
    Ok(ids.len() as u32)
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DueVisit {
    pub visit_id: String,
    pub case_id: String,
    pub seq: u32,
    pub due_on: String,
    pub overdue: bool,
    pub name: String,
    pub phone_masked: String,
    pub grid_name: String,
    pub risk: Risk,
    pub worker_id: Option<String>,
    pub worker_name: String,
}

/// Visits not yet made that are due within `days` of today (and all overdue ones), for one
/// worker or everyone, most urgent first.
pub fn due(conn: &Connection, today: NaiveDate, days: u32, worker_id: Option<&str>) -> Result<Vec<DueVisit>> {
    let horizon = today.checked_add_days(Days::new(days as u64)).unwrap_or(today).to_string();
    let t = today.to_string();
    let mut st = conn.prepare_cached(
        "SELECT v.id, v.case_id, v.seq, v.due_on, coalesce(c.name, ''), coalesce(c.phone, ''), u.name, c.risk, c.worker_id, coalesce(p.name, '')
         FROM case_visits v JOIN cases c ON c.id = v.case_id JOIN units u ON u.id = c.grid_id LEFT JOIN people p ON p.id = c.worker_id
         WHERE v.done_on IS NULL AND c.closed_on IS NULL AND v.due_on <= ?1 AND (?2 IS NULL OR c.worker_id = ?2)
         ORDER BY v.due_on, c.risk = 'high' DESC",
    )?;
    let rows = st
        .query_map(params![horizon, worker_id.filter(|s| !s.is_empty())], |r| {
            let due_on: String = r.get(3)?;
            Ok(DueVisit {
                visit_id: r.get(0)?,
                case_id: r.get(1)?,
                seq: r.get(2)?,
                overdue: due_on < t,
                due_on,
                name: r.get(4)?,
                phone_masked: phone::mask(&r.get::<_, String>(5)?),
                grid_name: r.get(6)?,
                risk: Risk::parse(&r.get::<_, String>(7)?).unwrap_or(Risk::Medium),
                worker_id: r.get(8)?,
                worker_name: r.get(9)?,
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}
