//! Follow-ups of warned residents (预警回访). A case keeps the minimum: name or alias,
//! phone, grid, risk, warning date, how the resident was dissuaded, the outcome and whether
//! money was stopped. Follow-up visits are scheduled from the warning date (by default
//! +7 days, +1 month, +3 months); after the last visit the case closes, and its personal
//! fields are purged a set number of days later (default 30), leaving the anonymous fields
//! that reports count. Time is always passed in (`today`), so tests inject it.

use crate::error::Code;
use chrono::{Days, Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issues, Result};
use crate::settings::SCRUBBED;
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
    let bad = || Error::invalid(Code::FollowupsSchedule, &[("value", s)]);
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
        purge_days: settings::get_key(conn, "followup_purge_days")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_PURGE_DAYS),
    })
}

pub fn save_settings(conn: &Connection, s: &FollowupSettings) -> Result<FollowupSettings> {
    let mut is = Issues::default();
    is.take(parse_schedule(&s.schedule))?;
    if s.purge_days > 3650 {
        is.push(issue(Code::ValidationTooLarge, &[("field", "purgeDays"), ("max", "3650")]));
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

const CASE_COLS: &str =
    "c.id, coalesce(c.name, ''), coalesce(c.phone, ''), c.grid_id, u.name, c.worker_id, coalesce(p.name, ''), c.risk,
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
        .ok_or_else(|| Error::not_found("case", id))?;
    c.visits = visits_of(conn, id)?;
    Ok(c)
}

/// The unmasked phone, for the case page only. Callers write an audit entry.
pub fn reveal_phone(conn: &Connection, id: &str) -> Result<String> {
    conn.query_row("SELECT coalesce(phone, '') FROM cases WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("case", id))
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
    /// The units a captain may read (a JSON array, `Access::scope_json`); set by the use-case
    /// layer from who is working, never read from the window.
    #[serde(skip)]
    #[ts(skip)]
    pub within: Option<String>,
    /// A page of at most this many (up to `PAGE_MAX`), from `offset`: a city holds 100,000 cases.
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// The most cases one page holds.
pub const PAGE_MAX: u32 = 500;

/// A page of cases and how many the filter finds in all.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct CasePage {
    pub rows: Vec<Case>,
    pub total: u32,
}

/// The filter's WHERE over `cases c JOIN units u … LEFT JOIN people p`, with `under` its
/// unit's subtree; parameters ?1 unit, ?2 worker, ?3 state, ?4 the captain's grids.
const CASE_WHERE: &str =
    "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM units u JOIN under ON u.parent_id = under.id)
     SELECT {cols} FROM cases c JOIN units u ON u.id = c.grid_id LEFT JOIN people p ON p.id = c.worker_id
     WHERE (?1 IS NULL OR c.grid_id IN (SELECT id FROM under)) AND (?2 IS NULL OR c.worker_id = ?2)
       AND (?3 IS NULL OR (?3 = 'open' AND c.closed_on IS NULL) OR (?3 = 'closed' AND c.closed_on IS NOT NULL))
       AND (?4 IS NULL OR c.grid_id IN (SELECT value FROM json_each(?4)))";

fn case_params(f: &CaseFilter) -> [Option<&str>; 4] {
    [
        f.unit_id.as_deref().filter(|s| !s.is_empty()),
        f.worker_id.as_deref().filter(|s| !s.is_empty()),
        f.state.as_deref().filter(|s| *s == "open" || *s == "closed"),
        f.within.as_deref(),
    ]
}

/// The cases the filter finds, open first and the latest warned first; a page of them when
/// it has a `limit`.
pub fn list(conn: &Connection, f: &CaseFilter) -> Result<Vec<Case>> {
    let mut sql = CASE_WHERE.replace("{cols}", CASE_COLS);
    sql.push_str(" ORDER BY c.closed_on IS NOT NULL, c.warned_on DESC, c.id");
    if let Some(limit) = f.limit {
        sql.push_str(&format!(" LIMIT {} OFFSET {}", limit.clamp(1, PAGE_MAX), f.offset.unwrap_or(0)));
    }
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows: Vec<Case> = st.query_map(case_params(f), case_row)?.collect::<std::result::Result<_, _>>()?;
    for c in &mut rows {
        c.visits = visits_of(conn, &c.id)?;
    }
    Ok(rows)
}

/// How many cases the filter finds in all (its page left aside).
pub fn count(conn: &Connection, f: &CaseFilter) -> Result<u32> {
    let sql = CASE_WHERE.replace("{cols}", "COUNT(*)");
    Ok(conn.prepare_cached(&sql)?.query_row(case_params(f), |r| r.get(0))?)
}

pub fn save(conn: &Connection, input: &CaseInput, today: NaiveDate) -> Result<Case> {
    let mut is = Issues::default();
    let existing = match input.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Some(get(conn, id)?),
        None => None,
    };
    if existing.as_ref().is_some_and(|c| c.purged) {
        return Err(Error::invalid(Code::FollowupsPurged, &[]));
    }
    let name = is.take(check_name("residentName", &input.name, crate::rules::CASE_NAME))?;
    let stored = match &existing {
        Some(c) => reveal_phone(conn, &c.id)?,
        None => String::new(),
    };
    let phone_digits = match (&existing, input.phone.as_deref()) {
        (None, None) => {
            is.push(issue(Code::ValidationRequired, &[("field", "phone")]));
            None
        }
        _ => is.take(phone::updated(&stored, input.phone.as_deref()))?,
    };
    if phone_digits.as_deref() == Some("") {
        is.push(issue(Code::ValidationRequired, &[("field", "phone")]));
    }
    if let Some(u) = is.take(crate::units::get(conn, &input.grid_id))? {
        if u.kind != UnitKind::Grid {
            is.push(issue(Code::VisitsNotGrid, &[("name", &u.name)]));
        }
    }
    let worker = input.worker_id.clone().filter(|s| !s.is_empty());
    if let Some(w) = &worker {
        is.take(crate::people::get(conn, w))?;
    }
    let warned = match is.take(parse_date("warnedOn", &input.warned_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue(Code::ValidationRequired, &[("field", "warnedOn")]));
            None
        }
        None => None,
    };
    if let Some(d) = &warned {
        if d.as_str() > today.format("%Y-%m-%d").to_string().as_str() {
            is.push(issue(Code::ValidationFuture, &[("field", "warnedOn"), ("value", d)]));
        }
    }
    let notes = is.take(check_text("notes", &input.notes, crate::rules::CASE_NOTES))?.unwrap_or_default();
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
                        conn.execute(
                            "UPDATE case_visits SET due_on=?2, updated_at=?3 WHERE id=?1",
                            params![v.id, o.apply(base).to_string(), ts],
                        )?;
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
        .ok_or_else(|| Error::not_found("caseVisit", &input.visit_id))?;
    let c = get(conn, &case_id)?;
    if c.purged {
        return Err(Error::invalid(Code::FollowupsPurged, &[]));
    }
    let mut is = Issues::default();
    let done = match is.take(parse_date("doneOn", &input.done_on))? {
        Some(Some(d)) => Some(d),
        Some(None) => {
            is.push(issue(Code::ValidationRequired, &[("field", "doneOn")]));
            None
        }
        None => None,
    };
    if let Some(d) = &done {
        if d.as_str() > today.to_string().as_str() {
            is.push(issue(Code::ValidationFuture, &[("field", "doneOn"), ("value", d)]));
        }
        if d.as_str() < c.warned_on.as_str() {
            is.push(issue(Code::FollowupsBeforeWarning, &[]));
        }
    }
    let visitor = input.visitor_id.clone().filter(|s| !s.is_empty());
    if let Some(v) = &visitor {
        is.take(crate::people::get(conn, v))?;
    }
    let notes = is.take(check_text("notes", &input.notes, crate::rules::CASE_NOTES))?.unwrap_or_default();
    is.finish()?;
    let done = done.unwrap();
    let ts = now();
    conn.execute(
        "UPDATE case_visits SET done_on=?2, method=?3, result=?4, notes=?5, visitor_id=?6, updated_at=?7 WHERE id=?1",
        params![input.visit_id, done, input.method.as_str(), input.result.as_str(), notes, visitor, ts],
    )?;
    let open: i64 =
        conn.query_row("SELECT count(*) FROM case_visits WHERE case_id = ?1 AND done_on IS NULL", [&case_id], |r| {
            r.get(0)
        })?;
    if open == 0 {
        close(conn, &case_id, today)?;
    } else {
        conn.execute("UPDATE cases SET updated_at = ?2 WHERE id = ?1", params![case_id, ts])?;
    }
    get(conn, &case_id)
}

fn close(conn: &Connection, case_id: &str, _today: NaiveDate) -> Result<()> {
    let last: String =
        conn.query_row("SELECT max(done_on) FROM case_visits WHERE case_id = ?1", [case_id], |r| r.get(0))?;
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
/// Returns how many cases were purged (a count only — never who). This is the purge of one
/// database inside the caller's transaction; [`purge`] runs it on the live database and
/// carries it into the backups.
pub fn purge_due(conn: &Connection, today: NaiveDate) -> Result<u32> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM cases WHERE purged_at IS NULL AND purge_on IS NOT NULL AND purge_on <= ?1")?
        .query_map([today.to_string()], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    purge_cases(conn, &ids)?;
    Ok(ids.len() as u32)
}

/// Blanks the personal fields of these cases and of their visits, and of the copies of
/// them that bundle conflicts hold (those conflicts are settled for the purged side: taking
/// the incoming version would bring the name back).
fn purge_cases(conn: &Connection, ids: &[String]) -> Result<()> {
    let ts = now();
    let conflicts = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bundle_conflicts'",
        [],
        |r| r.get::<_, i64>(0),
    )? > 0;
    for id in ids {
        conn.execute(
            "UPDATE cases SET name=NULL, phone=NULL, notes='', purged_at=?2, updated_at=?2 WHERE id=?1",
            params![id, ts],
        )?;
        conn.execute("UPDATE case_visits SET notes='', updated_at=?2 WHERE case_id=?1", params![id, ts])?;
        if conflicts {
            conn.execute(
                "UPDATE bundle_conflicts SET
                   local_row = json_set(local_row, '$.row.name', NULL, '$.row.phone', NULL, '$.row.notes', ''),
                   incoming_row = json_set(incoming_row, '$.row.name', NULL, '$.row.phone', NULL, '$.row.notes', ''),
                   resolved_at = coalesce(resolved_at, ?2), resolution = coalesce(resolution, 'local')
                 WHERE tbl = 'cases' AND row_id = ?1",
                params![id, ts],
            )?;
            conn.execute(
                "UPDATE bundle_conflicts SET
                   local_row = json_set(local_row, '$.row.notes', ''), incoming_row = json_set(incoming_row, '$.row.notes', ''),
                   resolved_at = coalesce(resolved_at, ?2), resolution = coalesce(resolution, 'local')
                 WHERE tbl = 'case_visits' AND row_id IN (SELECT id FROM case_visits WHERE case_id = ?1)",
                params![id, ts],
            )?;
        }
    }
    Ok(())
}

/// What a purge did, in counts only: it never says who.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    /// Cases purged in the live database.
    pub cases_purged: u32,
    /// Backups rewritten without the purged data.
    pub backups_rewritten: u32,
    /// Cases purged inside those backups (a case counts once in every backup that held it).
    pub backup_cases_purged: u32,
    /// Backups deleted because they could not be rewritten.
    pub backups_dropped: u32,
    /// Backups that could be neither rewritten nor deleted; tried again at the next purge.
    pub backups_failed: u32,
    /// Backups that could not be opened (another key, e.g. after a re-key that failed half
    /// way, or a damaged file): kept as they are, never deleted, and named in the log.
    pub backups_unopenable: u32,
}

impl PurgeReport {
    /// What the audit log says of it.
    pub fn note(&self) -> crate::audit::Note {
        crate::audit::Note::new("followups.purged")
            .with("cases", self.cases_purged)
            .with("rewritten", self.backups_rewritten)
            .with("backupCases", self.backup_cases_purged)
            .with("dropped", self.backups_dropped)
            .with("failed", self.backups_failed)
    }

    /// One line for the CLI, as the audit log has it.
    pub fn text(&self) -> String {
        let mut s = self.note().text();
        if self.backups_unopenable > 0 {
            s.push('\n');
            s.push_str(&crate::audit::Note::new("followups.backups_kept").with("n", self.backups_unopenable).text());
        }
        s
    }

    /// Nothing done (backups kept unopened have their own entry, `purge_audit`).
    pub fn is_empty(&self) -> bool {
        *self == PurgeReport { backups_unopenable: self.backups_unopenable, ..Default::default() }
    }
}

/// The purge the app runs at start and hourly, and `outreach followup purge`: the live
/// database first (one transaction), then every backup in its backups folder, so personal
/// data past its date survives in none of them. Each backup that holds such data is
/// rewritten — the same purge, then VACUUM with secure delete, into a temporary file that
/// replaces it — and one that cannot be rewritten is deleted when it holds such data or is
/// older than the purge window. A backup never rewritten before is rewritten once too
/// (it may hold the bytes of earlier purges in its free space). An audit entry with the
/// counts is written when anything was done.
pub fn purge(store: &mut crate::Store, today: NaiveDate) -> Result<PurgeReport> {
    let (mut report, backups) = purge_live(store, today)?;
    if let Some(b) = backups {
        b.run(today, &mut report)?;
    }
    purge_audit(store, &report)?;
    Ok(report)
}

/// The purge's first half, on the live database (one transaction, then the log emptied).
/// What it returns holds what the second half needs — the backups folder, the key and the
/// purged cases — so the backups can be rewritten without the store (`PurgeBackups::run`,
/// which may take minutes at a city's size) while the window keeps working with it.
pub fn purge_live(store: &mut crate::Store, today: NaiveDate) -> Result<(PurgeReport, Option<PurgeBackups>)> {
    let report = PurgeReport { cases_purged: store.write(|tx| purge_due(tx, today))?, ..Default::default() };
    let Some(path) = store.path().map(|p| p.to_path_buf()) else { return Ok((report, None)) };
    scrub_live(store, report.cases_purged > 0)?;
    let purged: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM cases WHERE purged_at IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let window = get_settings(store.conn())?.purge_days;
    let backups = PurgeBackups { dir: crate::paths::backups_dir(&path), key: store.key().cloned(), purged, window };
    Ok((report, Some(backups)))
}

/// The purge's audit entry (counts only), written when anything was done.
pub fn purge_audit(store: &mut crate::Store, report: &PurgeReport) -> Result<()> {
    if !report.is_empty() {
        store.audit("followups.purge", "cases", report.note())?;
    }
    // Said once a day while it lasts (the purge runs hourly), and again when the count changes.
    let n = report.backups_unopenable.to_string();
    let said_today: bool = store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'followups.purge' AND target = 'backups'
           AND substr(at, 1, 10) = substr(?1, 1, 10) AND json_extract(params, '$.n') = ?2)",
        [now(), n.clone()],
        |r| r.get(0),
    )?;
    if report.backups_unopenable > 0 && !said_today {
        let note = crate::audit::Note::new("followups.backups_kept").with("n", n);
        store.audit("followups.purge", "backups", note)?;
    }
    Ok(())
}

/// The purge's second half: every backup in the folder, without the store.
pub struct PurgeBackups {
    dir: std::path::PathBuf,
    key: Option<crate::Passphrase>,
    purged: Vec<String>,
    window: u32,
}

impl PurgeBackups {
    pub fn run(self, today: NaiveDate, report: &mut PurgeReport) -> Result<()> {
        backups(&self, today, report)
    }
}

/// Old page images of purged rows may still sit in the write-ahead log: it is emptied. A
/// database that has never been rewritten under secure delete is vacuumed once.
fn scrub_live(store: &mut crate::Store, purged: bool) -> Result<()> {
    let scrubbed = settings::get_key(store.conn(), SCRUBBED)?.is_some();
    if !scrubbed {
        store.write(|tx| settings::set_key(tx, SCRUBBED, &now()))?;
        store.conn().execute_batch("VACUUM").map_err(|e| crate::Error::Db(e).with_errno(store.conn()))?;
    }
    if purged || !scrubbed {
        store.conn().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(())
}

fn backups(job: &PurgeBackups, today: NaiveDate, report: &mut PurgeReport) -> Result<()> {
    // A case purged here is purged in every backup, whatever state the backup caught it in.
    let (dir, key, purged) = (&job.dir, job.key.as_ref(), &job.purged);
    for b in crate::dbfile::list_dir(dir)? {
        let path = dir.join(&b.file_name);
        let age = crate::time::day(&b.created_at).map(|d| (today - d).num_days()).unwrap_or(i64::MAX);
        let old = age > job.window as i64;
        // A backup that does not open with this key may be the only copy of something: it is
        // not ours to judge, let alone delete. It stays, and the log says so.
        if !opens(&path, key) {
            report.backups_unopenable += 1;
            continue;
        }
        let due = match inspect(&path, key, today, purged) {
            Ok(None) => continue,
            Ok(Some((0, true))) => continue,
            Ok(Some((due, _))) => Some(due),
            Err(_) => None,
        };
        match rewrite(&path, key, today, purged) {
            Ok(n) => {
                report.backups_rewritten += 1;
                report.backup_cases_purged += n;
            }
            Err(_) if old || due != Some(0) => match crate::dbfile::remove_backup(&path) {
                Ok(()) => report.backups_dropped += 1,
                Err(_) => report.backups_failed += 1,
            },
            Err(_) => report.backups_failed += 1,
        }
    }
    Ok(())
}

/// The cases of a backup whose personal data is due to go: by their own purge date, or
/// because they are purged in the live database.
fn due_in(conn: &Connection, today: NaiveDate, purged: &[String]) -> Result<Vec<String>> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS live_purged(id TEXT PRIMARY KEY); DELETE FROM temp.live_purged;",
    )?;
    {
        let mut st = conn.prepare("INSERT OR IGNORE INTO temp.live_purged(id) VALUES (?1)")?;
        for id in purged {
            st.execute([id])?;
        }
    }
    let ids = conn
        .prepare(
            "SELECT id FROM main.cases WHERE purged_at IS NULL
               AND ((purge_on IS NOT NULL AND purge_on <= ?1) OR id IN (SELECT id FROM temp.live_purged))",
        )?
        .query_map([today.to_string()], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(ids)
}

fn has_cases(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cases'", [], |r| {
        r.get::<_, i64>(0)
    })? > 0)
}

/// Whether a backup opens with the key: its schema can be read.
fn opens(path: &std::path::Path, key: Option<&crate::Passphrase>) -> bool {
    crate::dbfile::open_read_only(path, key)
        .and_then(|c| Ok(c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?))
        .is_ok()
}

/// Reads a backup without changing it: `None` when it predates follow-ups, else how many
/// cases are due in it and whether it was rewritten under secure delete already.
fn inspect(
    path: &std::path::Path,
    key: Option<&crate::Passphrase>,
    today: NaiveDate,
    purged: &[String],
) -> Result<Option<(u32, bool)>> {
    let conn = crate::dbfile::open_read_only(path, key)?;
    if !has_cases(&conn)? {
        return Ok(None);
    }
    let due = due_in(&conn, today, purged)?.len() as u32;
    let scrubbed = settings::get_key(&conn, SCRUBBED)?.is_some();
    Ok(Some((due, scrubbed)))
}

/// Rewrites one backup: a copy beside it is purged and vacuumed with secure delete on,
/// then renamed over it. Returns how many cases were purged in it.
fn rewrite(
    path: &std::path::Path,
    key: Option<&crate::Passphrase>,
    today: NaiveDate,
    purged: &[String],
) -> Result<u32> {
    let tmp = path.with_extension("purging");
    let r = (|| -> Result<u32> {
        std::fs::copy(path, &tmp).map_err(|e| crate::Error::io(tmp.display().to_string(), e))?;
        let conn = Connection::open(&tmp)?;
        if let Some(k) = key {
            conn.pragma_update(None, "key", k.expose())?;
        }
        let r = (|| -> Result<u32> {
            let _: String = conn.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
            conn.pragma_update(None, "secure_delete", "ON")?;
            let tx = conn.unchecked_transaction()?;
            let ids = due_in(&tx, today, purged)?;
            purge_cases(&tx, &ids)?;
            settings::set_key(&tx, SCRUBBED, &now())?;
            tx.commit()?;
            conn.execute_batch("VACUUM")?;
            Ok(ids.len() as u32)
        })();
        let n = r.map_err(|e| e.with_errno(&conn))?;
        conn.close().map_err(|(_, e)| crate::Error::Db(e))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| crate::Error::io(tmp.display().to_string(), e))?;
        std::fs::rename(&tmp, path).map_err(|e| crate::Error::io(path.display().to_string(), e))?;
        Ok(n)
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
        for ext in ["purging-journal", "purging-wal", "purging-shm"] {
            let _ = std::fs::remove_file(tmp.with_extension(ext));
        }
    }
    r
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

/// Which visits are due, over `case_visits v JOIN cases c`; parameters ?1 the horizon, ?2 the
/// worker, ?3 the captain's grids. The page and the totals read the same rows.
const DUE_WHERE: &str =
    "WHERE v.done_on IS NULL AND c.closed_on IS NULL AND v.due_on <= ?1 AND (?2 IS NULL OR c.worker_id = ?2)
       AND (?3 IS NULL OR c.grid_id IN (SELECT value FROM json_each(?3)))";

/// Most urgent first: by due date, high risk first, then by id so that pages join up.
const DUE_ORDER: &str = "ORDER BY v.due_on, c.risk = 'high' DESC, v.id";

/// The most workers a due page's totals name one by one (the rest are counted).
pub const DUE_WORKERS_MAX: u32 = 200;

/// Which due visits: those due within `days` of today and every overdue one, for one worker
/// or everyone; a page of `limit` (1 to `PAGE_MAX`) from `offset`.
#[derive(Debug, Clone, Default)]
pub struct DueFilter {
    pub days: u32,
    pub worker_id: Option<String>,
    /// The units a captain may read (`Access::scope_json`), `None` for all.
    pub within: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

/// How many visits one grid worker has due (`worker_id` `None`: the cases with no worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DueWorker {
    pub worker_id: Option<String>,
    pub worker_name: String,
    pub total: u32,
    pub overdue: u32,
}

/// A page of due visits and the totals of all of them: how many are due and overdue, and per
/// grid worker — the `DUE_WORKERS_MAX` with the most due, and every worker on this page,
/// most due first; `workers_left_out` counts the workers not named.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DuePage {
    pub rows: Vec<DueVisit>,
    pub total: u32,
    pub overdue: u32,
    pub workers: Vec<DueWorker>,
    pub workers_left_out: u32,
}

/// The last due date a list of visits due within `days` of `today` takes in (?1 of `DUE_WHERE`).
fn horizon(today: NaiveDate, days: u32) -> String {
    today.checked_add_days(Days::new(days as u64)).unwrap_or(today).to_string()
}

fn due_rows(
    conn: &Connection,
    today: NaiveDate,
    days: u32,
    worker_id: Option<&str>,
    within: Option<&str>,
    page: Option<(u32, u32)>,
) -> Result<Vec<DueVisit>> {
    let horizon = horizon(today, days);
    let t = today.to_string();
    let sql = format!(
        "SELECT v.id, v.case_id, v.seq, v.due_on, coalesce(c.name, ''), coalesce(c.phone, ''), u.name, c.risk, c.worker_id, coalesce(p.name, '')
         FROM case_visits v JOIN cases c ON c.id = v.case_id JOIN units u ON u.id = c.grid_id LEFT JOIN people p ON p.id = c.worker_id
         {DUE_WHERE} {DUE_ORDER} LIMIT ?4 OFFSET ?5"
    );
    // No page: LIMIT -1, all of them.
    let (limit, offset) = page.map_or((-1, 0), |(l, o)| (l.clamp(1, PAGE_MAX) as i64, o as i64));
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map(params![horizon, worker_id.filter(|s| !s.is_empty()), within, limit, offset], |r| {
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

/// Visits not yet made that are due within `days` of today (and all overdue ones), for one
/// worker or everyone, most urgent first — all of them (the CLI's list; the window takes
/// [`due_page`]). `within`: the units a captain may read (`Access::scope_json`), `None` for all.
pub fn due(
    conn: &Connection,
    today: NaiveDate,
    days: u32,
    worker_id: Option<&str>,
    within: Option<&str>,
) -> Result<Vec<DueVisit>> {
    due_rows(conn, today, days, worker_id, within, None)
}

/// A page of the due visits, in the order of [`due`], with the totals of all of them counted
/// in SQL (a city holds 100,000 cases).
pub fn due_page(conn: &Connection, today: NaiveDate, f: &DueFilter) -> Result<DuePage> {
    let worker = f.worker_id.as_deref().filter(|s| !s.is_empty());
    let within = f.within.as_deref();
    let rows = due_rows(conn, today, f.days, worker, within, Some((f.limit, f.offset)))?;
    // The workers on this page are named whatever their rank ('' for no worker).
    let mut on_page: Vec<&str> = rows.iter().map(|r| r.worker_id.as_deref().unwrap_or("")).collect();
    on_page.sort_unstable();
    on_page.dedup();
    let on_page = serde_json::to_string(&on_page).map_err(|e| Error::Internal(e.to_string()))?;
    let horizon = horizon(today, f.days);
    // Counted over the visits and their cases only (a grid is always a unit); the workers'
    // names are looked up for the workers named, not for every visit.
    let sql = format!(
        "WITH g AS (SELECT c.worker_id AS w, count(*) AS n, sum(v.due_on < ?4) AS late
                    FROM case_visits v JOIN cases c ON c.id = v.case_id {DUE_WHERE} GROUP BY c.worker_id),
              r AS (SELECT w, n, late, row_number() OVER (ORDER BY n DESC, late DESC, w) AS rk,
                           count(*) OVER () AS workers, sum(n) OVER () AS total, sum(late) OVER () AS total_late FROM g)
         SELECT w, coalesce(p.name, ''), n, late, workers, total, total_late FROM r LEFT JOIN people p ON p.id = r.w
         WHERE rk <= ?5 OR coalesce(w, '') IN (SELECT value FROM json_each(?6)) ORDER BY rk"
    );
    let mut page = DuePage { rows, total: 0, overdue: 0, workers: vec![], workers_left_out: 0 };
    let mut groups = 0;
    let mut st = conn.prepare_cached(&sql)?;
    let mut q = st.query(params![horizon, worker, within, today.to_string(), DUE_WORKERS_MAX, on_page])?;
    while let Some(r) = q.next()? {
        page.workers.push(DueWorker {
            worker_id: r.get(0)?,
            worker_name: r.get(1)?,
            total: r.get(2)?,
            overdue: r.get(3)?,
        });
        (groups, page.total, page.overdue) = (r.get(4)?, r.get(5)?, r.get(6)?);
    }
    page.workers_left_out = groups - page.workers.len() as u32;
    Ok(page)
}
