//! Coverage (C10): every figure the dashboard, the reports and the CLI show, defined once.
//!
//! The rules (also in docs/COVERAGE.md):
//! - A **session belongs to a unit** through its own unit, else its venue's unit; it counts
//!   for that unit and every unit above it. It falls in a period by its planned start date.
//! - **Sessions held** = sessions in the period with status held or reported. Planned counts
//!   planned + confirmed; cancelled counts cancelled.
//! - **Person-times** (覆盖人次) = the sum of recorded headcounts of held sessions; the
//!   **audience split** is the sum of their recorded splits (partial splits stay partial).
//! - **Coverage %** = person-times ÷ residents of the non-archived grids below × 100
//!   (person-times, not people: the same resident reached twice counts twice).
//! - **Household visits** (走访户次) = the sum of door-to-door logs' households talked to, by
//!   visit date. Logs count visits, not distinct households (a household visited twice counts
//!   twice, and no log names its household), so this is no share of the households: it is
//!   given beside them as **visits per household** = that ÷ households of the grids below
//!   (two decimals), which may well exceed 1.
//! - A **grid is reached** when a held session or a door-to-door log belongs to it, or a held
//!   session belongs to its community (or to a unit between the two): a talk in the community
//!   reaches every grid of it, as the offices count. A talk at a station, district or city
//!   reaches no grid in particular. `Tree::reach` is this rule; the gap list uses it too.
//! - **Active speakers** = distinct people credited on held sessions' records; **hours** =
//!   the sum of their credited hours.
//! - **Materials handed out** = the sum of held sessions' hand-outs, by item category.
//! - **Follow-ups**: visits falling due in the period; **on time** = done on or before the
//!   due date; **late** = done after it; **overdue** = not done and due before the as-of date.
//!   On-time % = on time ÷ due × 100. **Warned residents** = cases warned in the period.

use crate::error::Code;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::sessions::{Audience, SessionKind};
use crate::units::{self, UnitKind};
use crate::util::{new_id, now, parse_date};

mod rollup;

const KINDS: usize = 7;
const AUDIENCES: usize = 7;
pub const MATERIAL_CATEGORIES: [&str; 6] = ["flyer", "poster", "banner", "gift", "letter", "other"];

#[derive(Debug, Clone, Default)]
struct Raw {
    held: u64,
    planned: u64,
    cancelled: u64,
    by_kind: [u64; KINDS],
    person_times: u64,
    audience: [u64; AUDIENCES],
    visit_logs: u64,
    households_visited: u64,
    not_home: u64,
    refused: u64,
    warnings: u64,
    speakers: HashSet<String>,
    hours: f64,
    materials: [u64; 6],
    fu_due: u64,
    fu_on_time: u64,
    fu_late: u64,
    fu_overdue: u64,
    /// Follow-up visits due in the period and not done yet (overdue once the period is over).
    fu_open: u64,
    warned: u64,
    money_stopped: u64,
    /// A held session or a door-to-door log was attributed here (set on attributed units).
    reached: bool,
    /// The non-archived grids reached at or below this unit.
    grids: HashSet<String>,
}

impl Raw {
    fn add(&mut self, o: &Raw) {
        self.held += o.held;
        self.planned += o.planned;
        self.cancelled += o.cancelled;
        for i in 0..KINDS {
            self.by_kind[i] += o.by_kind[i];
        }
        self.person_times += o.person_times;
        for i in 0..AUDIENCES {
            self.audience[i] += o.audience[i];
        }
        self.visit_logs += o.visit_logs;
        self.households_visited += o.households_visited;
        self.not_home += o.not_home;
        self.refused += o.refused;
        self.warnings += o.warnings;
        self.speakers.extend(o.speakers.iter().cloned());
        self.hours += o.hours;
        for i in 0..6 {
            self.materials[i] += o.materials[i];
        }
        self.fu_due += o.fu_due;
        self.fu_on_time += o.fu_on_time;
        self.fu_late += o.fu_late;
        self.fu_overdue += o.fu_overdue;
        self.fu_open += o.fu_open;
        self.grids.extend(o.grids.iter().cloned());
        self.warned += o.warned;
        self.money_stopped += o.money_stopped;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct KindCount {
    pub kind: SessionKind,
    #[ts(type = "number")]
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AudienceReach {
    pub audience: Audience,
    #[ts(type = "number")]
    pub reached: u64,
    /// The matching resident group of the grids below, where the profile has one.
    #[ts(type = "number | null")]
    pub group: Option<u64>,
}

/// The figures of one unit for one period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Figures {
    pub unit_id: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub sessions_held: u64,
    #[ts(type = "number")]
    pub sessions_planned: u64,
    #[ts(type = "number")]
    pub sessions_cancelled: u64,
    pub by_kind: Vec<KindCount>,
    #[ts(type = "number")]
    pub person_times: u64,
    pub audiences: Vec<AudienceReach>,
    #[ts(type = "number")]
    pub residents: u64,
    #[ts(type = "number")]
    pub households: u64,
    pub coverage_pct: f64,
    #[ts(type = "number")]
    pub visit_logs: u64,
    #[ts(type = "number")]
    pub households_visited: u64,
    #[ts(type = "number")]
    pub not_home: u64,
    #[ts(type = "number")]
    pub refused: u64,
    #[ts(type = "number")]
    pub warning_notices: u64,
    /// Household visits ÷ households (not a share: a household is often visited twice).
    pub visits_per_household: f64,
    #[ts(type = "number")]
    pub grids: u64,
    #[ts(type = "number")]
    pub grids_reached: u64,
    #[ts(type = "number")]
    pub active_speakers: u64,
    pub speaker_hours: f64,
    #[ts(type = "number")]
    pub flyers: u64,
    #[ts(type = "number")]
    pub posters: u64,
    #[ts(type = "number")]
    pub banners: u64,
    #[ts(type = "number")]
    pub gifts: u64,
    #[ts(type = "number")]
    pub letters: u64,
    #[ts(type = "number")]
    pub other_materials: u64,
    #[ts(type = "number")]
    pub followups_due: u64,
    #[ts(type = "number")]
    pub followups_on_time: u64,
    #[ts(type = "number")]
    pub followups_late: u64,
    #[ts(type = "number")]
    pub followups_overdue: u64,
    /// None when no follow-up fell due: "—" in every front end and document, never 0%.
    pub followups_on_time_pct: Option<f64>,
    #[ts(type = "number")]
    pub warned_residents: u64,
    #[ts(type = "number")]
    pub money_stopped: u64,
}

/// `a ÷ b` to two decimals; 0 when there is nothing to divide by.
fn per(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 * 100.0 / b as f64).round() / 100.0
    }
}

fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 * 1000.0 / b as f64).round() / 10.0
    }
}

/// A period: inclusive dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn parse(from: &str, to: &str) -> Result<Period> {
        let f =
            parse_date("from", from)?.ok_or_else(|| Error::invalid(Code::ValidationRequired, &[("field", "from")]))?;
        let t = parse_date("to", to)?.ok_or_else(|| Error::invalid(Code::ValidationRequired, &[("field", "to")]))?;
        let (from, to) =
            (NaiveDate::parse_from_str(&f, "%Y-%m-%d").unwrap(), NaiveDate::parse_from_str(&t, "%Y-%m-%d").unwrap());
        if to < from {
            return Err(Error::invalid(Code::CoveragePeriod, &[("from", &f), ("to", &t)]));
        }
        Ok(Period { from, to })
    }

    /// The same period a year earlier.
    pub fn last_year(self) -> Period {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        Period { from: back(self.from), to: back(self.to) }
    }

    /// Whole months inside the period (as YYYY-MM bounds) and the day ranges left at its edges.
    fn split(self) -> (Option<(String, String)>, Vec<(NaiveDate, NaiveDate)>) {
        let first_full = if self.from.day() == 1 { self.from } else { first_of_next(self.from) };
        let after_last_full = first_of(self.to + chrono::Duration::days(1));
        if first_full >= after_last_full {
            return (None, vec![(self.from, self.to)]);
        }
        let last_full = after_last_full.checked_sub_months(Months::new(1)).unwrap();
        let mut edges = Vec::new();
        if self.from < first_full {
            edges.push((self.from, first_full - chrono::Duration::days(1)));
        }
        if after_last_full <= self.to {
            edges.push((after_last_full, self.to));
        }
        (Some((first_full.format("%Y-%m").to_string(), last_full.format("%Y-%m").to_string())), edges)
    }
}

fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap()
}

fn first_of_next(d: NaiveDate) -> NaiveDate {
    first_of(d).checked_add_months(Months::new(1)).unwrap()
}

/// The organisation as the roll-up needs it: each unit's chain from the root. `incidents`
/// reads it too, so a case counts for the same units as a session does.
pub(crate) struct Tree {
    pub(crate) units: HashMap<String, units::Unit>,
    pub(crate) chain: HashMap<String, Vec<String>>,
    /// Residents, households and key groups of the non-archived grids at or below each unit.
    pub(crate) totals: HashMap<String, (units::Totals, u64)>,
    /// The live grids a held session belonging to each unit reaches (see the rules above): a grid
    /// itself, and a community or a unit under one all its grids; other units are absent.
    pub(crate) reach: HashMap<String, Vec<String>>,
}

/// Trees recently read, by the token that changes with every write to the units table
/// (migration 006): reading 6,000 units takes tens of milliseconds, comparing a token does not.
static TREES: Mutex<Vec<(String, Arc<Tree>)>> = Mutex::new(Vec::new());

impl Tree {
    pub(crate) fn cached(conn: &Connection) -> Result<Arc<Tree>> {
        let token: String = conn.prepare_cached("SELECT token FROM units_version")?.query_row([], |r| r.get(0))?;
        if let Some((_, t)) = TREES.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == token) {
            return Ok(t.clone());
        }
        let tree = Arc::new(Tree::load(conn)?);
        let mut cache = TREES.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|(k, _)| *k != token);
        cache.insert(0, (token, tree.clone()));
        cache.truncate(4);
        Ok(tree)
    }

    fn load(conn: &Connection) -> Result<Tree> {
        let list = units::list(conn, true)?;
        let units: HashMap<String, units::Unit> = list.iter().map(|u| (u.id.clone(), u.clone())).collect();
        let mut chain: HashMap<String, Vec<String>> = HashMap::new();
        // `list` gives parents before children, so a parent's chain is always ready.
        for u in &list {
            let mut c = u.parent_id.as_ref().and_then(|p| chain.get(p)).cloned().unwrap_or_default();
            c.push(u.id.clone());
            chain.insert(u.id.clone(), c);
        }
        let mut totals: HashMap<String, (units::Totals, u64)> = HashMap::new();
        for u in &list {
            let c = &chain[&u.id];
            if u.kind != UnitKind::Grid || c.iter().any(|a| units[a].archived) {
                continue;
            }
            for a in c {
                let e = totals.entry(a.clone()).or_default();
                e.1 += 1;
                if let Some(pr) = &u.profile {
                    e.0.households += pr.households as u64;
                    e.0.residents += pr.residents as u64;
                    e.0.age60plus += pr.age60plus as u64;
                    e.0.students += pr.students as u64;
                    e.0.elderly_alone += pr.elderly_alone as u64;
                    e.0.finance_staff += pr.finance_staff as u64;
                    e.0.under18 += pr.under18 as u64;
                }
            }
        }
        let reach = reach_of(&units, &chain);
        Ok(Tree { units, chain, totals, reach })
    }

    /// Attributed units that were reached reach their grids (`reach`).
    fn mark_reached(&self, raw: &mut HashMap<String, Raw>) {
        for (id, r) in raw.iter_mut() {
            if r.reached {
                r.grids.extend(self.reach.get(id).into_iter().flatten().cloned());
            }
        }
    }

    /// The community a unit lies in (itself when it is one); none above community level.
    fn community_of(&self, id: &str) -> Option<&str> {
        self.chain.get(id)?.iter().rev().find(|a| self.units[*a].kind == UnitKind::Community).map(String::as_str)
    }

    pub(crate) fn contains(&self, ancestor: &str, attributed: &str) -> bool {
        self.chain.get(attributed).is_some_and(|c| c.iter().any(|a| a == ancestor))
    }

    /// Which of `targets` (units) the attributed unit counts for.
    pub(crate) fn owner<'a>(&self, attributed: &str, targets: &'a HashMap<String, usize>) -> Option<&'a usize> {
        self.chain.get(attributed)?.iter().rev().find_map(|a| targets.get(a))
    }
}

/// `Tree::reach`: each live grid is reached from itself and, when it lies in a community, from
/// the community and every unit between the two.
fn reach_of(
    units: &HashMap<String, units::Unit>,
    chain: &HashMap<String, Vec<String>>,
) -> HashMap<String, Vec<String>> {
    let mut reach: HashMap<String, Vec<String>> = HashMap::new();
    for (id, u) in units {
        let c = &chain[id];
        if u.kind != UnitKind::Grid || c.iter().any(|a| units[a].archived) {
            continue;
        }
        let from = c.iter().rposition(|a| units[a].kind == UnitKind::Community).unwrap_or(c.len() - 1);
        for a in &c[from..] {
            reach.entry(a.clone()).or_default().push(id.clone());
        }
    }
    reach
}

/// The live grids reached by a held session at each place, with the latest start there: the
/// gap list's "when was this grid last reached", by the same rule as the figures.
pub fn last_reached(conn: &Connection, until: &str) -> Result<HashMap<String, String>> {
    let tree = Tree::cached(conn)?;
    let mut last: HashMap<String, String> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT coalesce(s.unit_id, v.unit_id), max(s.starts_at) FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id
         WHERE s.status IN ('held','reported') AND s.archived_at IS NULL AND s.starts_at < ?1
         GROUP BY 1",
    )?;
    let mut rows = st.query([until])?;
    while let Some(r) = rows.next()? {
        let (place, t): (Option<String>, String) = (r.get(0)?, r.get(1)?);
        for g in place.and_then(|p| tree.reach.get(&p)).into_iter().flatten() {
            let e = last.entry(g.clone()).or_default();
            if t > *e {
                *e = t.clone();
            }
        }
    }
    Ok(last)
}

/// Coverage % (`Figures::coverage_pct`: person-times ÷ residents) of every live grid under
/// `unit_id` over the whole months of `months`, from the roll-up's sums alone — the incidents
/// chart asks it of five thousand grids at once, where `Snapshot` would build every figure.
pub(crate) fn grid_coverage(conn: &Connection, unit_id: &str, months: Period) -> Result<HashMap<String, f64>> {
    rollup::refresh(conn)?;
    let tree = Tree::cached(conn)?;
    let grids: Vec<String> = tree
        .units
        .values()
        .filter(|u| u.kind == UnitKind::Grid && tree.totals.contains_key(&u.id) && tree.contains(unit_id, &u.id))
        .map(|u| u.id.clone())
        .collect();
    let sums = rollup::person_times(conn, &grids, (first_of(months.from), first_of(months.to)))?;
    Ok(grids
        .into_iter()
        .map(|g| {
            let residents = tree.totals.get(&g).map(|t| t.0.residents).unwrap_or(0);
            let p = pct(sums.get(&g).copied().unwrap_or(0), residents);
            (g, p)
        })
        .collect())
}

/// For each live grid and fraud topic, the latest start before `until` of a held session on
/// that topic that reached the grid (by `Tree::reach`): what the incidents' precision gaps and
/// the weekly review ask ("was this type talked about here lately?").
pub(crate) fn last_reached_by_topic(conn: &Connection, until: &str) -> Result<HashMap<(String, String), String>> {
    let tree = Tree::cached(conn)?;
    let mut last: HashMap<(String, String), String> = HashMap::new();
    // Nearly every held session is before `until`: a scan in table order reads each page once,
    // where the start-time index would fetch a page per session (`+` keeps SQLite off it).
    let mut st = conn.prepare_cached(
        "SELECT coalesce(s.unit_id, v.unit_id), t.value, max(s.starts_at)
         FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id, json_each(s.topic_ids) t
         WHERE s.status IN ('held','reported') AND s.archived_at IS NULL AND +s.starts_at < ?1
         GROUP BY 1, 2",
    )?;
    let mut rows = st.query([until])?;
    while let Some(r) = rows.next()? {
        let (place, topic, t): (Option<String>, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        for g in place.and_then(|p| tree.reach.get(&p)).into_iter().flatten() {
            let e = last.entry((g.clone(), topic.clone())).or_default();
            if t > *e {
                *e = t.clone();
            }
        }
    }
    Ok(last)
}

fn kind_index(k: &str) -> Option<usize> {
    SessionKind::ALL.iter().position(|x| x.as_str() == k)
}

fn audience_index(a: &str) -> Option<usize> {
    Audience::ALL.iter().position(|x| x.as_str() == a)
}

/// Sessions, records, audience splits, speakers and hand-outs of `[from, to]`, from their rows,
/// per attributed unit.
fn sessions_into(conn: &Connection, from: NaiveDate, to: NaiveDate, out: &mut HashMap<String, Raw>) -> Result<()> {
    let from = from.to_string();
    let to_next = (to + chrono::Duration::days(1)).to_string();
    let owner = "coalesce(s.unit_id, v.unit_id)";
    let join = "FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id";
    let window = "s.starts_at >= ?1 AND s.starts_at < ?2 AND s.archived_at IS NULL";
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {owner}, s.kind, s.status, count(*), coalesce(sum(r.headcount), 0) {join} LEFT JOIN records r ON r.id = s.id
             WHERE {window} AND {owner} IS NOT NULL GROUP BY 1, 2, 3"
        ))?;
        let mut rows = st.query(params![from, to_next])?;
        while let Some(r) = rows.next()? {
            let unit: String = r.get(0)?;
            let kind: String = r.get(1)?;
            let status: String = r.get(2)?;
            let (n, heads): (i64, i64) = (r.get(3)?, r.get(4)?);
            let e = out.entry(unit).or_default();
            match status.as_str() {
                "held" | "reported" => {
                    e.held += n as u64;
                    e.person_times += heads as u64;
                    e.reached = true;
                    if let Some(i) = kind_index(&kind) {
                        e.by_kind[i] += n as u64;
                    }
                }
                "planned" | "confirmed" => e.planned += n as u64,
                _ => e.cancelled += n as u64,
            }
        }
    }
    let held = "s.status IN ('held','reported')";
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {owner}, ra.audience, sum(ra.count) {join} JOIN record_audiences ra ON ra.record_id = s.id
             WHERE {window} AND {held} AND {owner} IS NOT NULL GROUP BY 1, 2"
        ))?;
        let mut rows = st.query(params![from, to_next])?;
        while let Some(r) = rows.next()? {
            let (unit, a, n): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Some(i) = audience_index(&a) {
                out.entry(unit).or_default().audience[i] += n as u64;
            }
        }
    }
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {owner}, rs.person_id, sum(rs.hours) {join} JOIN record_speakers rs ON rs.record_id = s.id
             WHERE {window} AND {held} AND {owner} IS NOT NULL GROUP BY 1, 2"
        ))?;
        let mut rows = st.query(params![from, to_next])?;
        while let Some(r) = rows.next()? {
            let (unit, person, h): (String, String, f64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let e = out.entry(unit).or_default();
            e.speakers.insert(person);
            e.hours += h;
        }
    }
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT {owner}, m.category, sum(rm.quantity) {join} JOIN record_materials rm ON rm.record_id = s.id JOIN materials m ON m.id = rm.material_id
             WHERE {window} AND {held} AND {owner} IS NOT NULL GROUP BY 1, 2"
        ))?;
        let mut rows = st.query(params![from, to_next])?;
        while let Some(r) = rows.next()? {
            let (unit, cat, n): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let i = MATERIAL_CATEGORIES.iter().position(|c| *c == cat).unwrap_or(5);
            out.entry(unit).or_default().materials[i] += n as u64;
        }
    }
    Ok(())
}

fn add_visits(out: &mut HashMap<String, Raw>, unit: String, v: [i64; 5]) {
    let e = out.entry(unit).or_default();
    e.visit_logs += v[0] as u64;
    e.households_visited += v[1] as u64;
    e.not_home += v[2] as u64;
    e.refused += v[3] as u64;
    e.warnings += v[4] as u64;
    if v[0] > 0 {
        e.reached = true;
    }
}

fn add_followups(out: &mut HashMap<String, Raw>, unit: String, due: i64, on_time: i64, late: i64, open: i64) {
    if due == 0 {
        return;
    }
    let e = out.entry(unit).or_default();
    e.fu_due += due as u64;
    e.fu_on_time += on_time as u64;
    e.fu_late += late as u64;
    e.fu_open += open as u64;
}

fn add_cases(out: &mut HashMap<String, Raw>, unit: String, n: i64, money: i64) {
    if n > 0 {
        let e = out.entry(unit).or_default();
        e.warned += n as u64;
        e.money_stopped += money as u64;
    }
}

/// Door-to-door logs, follow-up visits and warned residents of `[from, to]` from their rows,
/// per grid. Overdue counts visits not done and due before `as_of`.
fn field_rows_into(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    out: &mut HashMap<String, Raw>,
) -> Result<()> {
    let (a, b) = (from.to_string(), to.to_string());
    {
        let mut st = conn.prepare_cached(
            "SELECT grid_id, count(*), sum(visited), sum(not_home), sum(refused), sum(warnings) FROM visits
             WHERE visited_on BETWEEN ?1 AND ?2 AND removed_at IS NULL GROUP BY grid_id",
        )?;
        let mut rows = st.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            add_visits(out, r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]);
        }
    }
    {
        let mut st = conn.prepare_cached(
            "SELECT c.grid_id, count(*), sum(v.done_on IS NOT NULL AND v.done_on <= v.due_on), sum(v.done_on IS NOT NULL AND v.done_on > v.due_on), sum(v.done_on IS NULL)
             FROM case_visits v JOIN cases c ON c.id = v.case_id WHERE v.due_on BETWEEN ?1 AND ?2 GROUP BY c.grid_id",
        )?;
        let mut rows = st.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            add_followups(out, r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        }
    }
    overdue_into(conn, from, to.min(as_of - chrono::Duration::days(1)), out)?;
    let mut st = conn.prepare_cached(
        "SELECT grid_id, count(*), sum(money_stopped) FROM cases WHERE warned_on BETWEEN ?1 AND ?2 GROUP BY grid_id",
    )?;
    let mut rows = st.query(params![a, b])?;
    while let Some(r) = rows.next()? {
        add_cases(out, r.get(0)?, r.get(1)?, r.get(2)?);
    }
    Ok(())
}

/// Follow-up visits due in `[from, to]` and not done, per grid.
fn overdue_into(conn: &Connection, from: NaiveDate, to: NaiveDate, out: &mut HashMap<String, Raw>) -> Result<()> {
    if from > to {
        return Ok(());
    }
    let mut st = conn.prepare_cached(
        "SELECT c.grid_id, count(*) FROM case_visits v JOIN cases c ON c.id = v.case_id
         WHERE v.done_on IS NULL AND v.due_on >= ?1 AND v.due_on <= ?2 GROUP BY c.grid_id",
    )?;
    let mut rows = st.query(params![from.to_string(), to.to_string()])?;
    while let Some(r) = rows.next()? {
        let (unit, n): (String, i64) = (r.get(0)?, r.get(1)?);
        out.entry(unit).or_default().fu_overdue += n as u64;
    }
    Ok(())
}

/// The figures' definition: every raw sum of `[from, to]` per attributed unit, straight from
/// the rows. The cache in `rollup` must always agree with it (tests/coverage.rs checks).
fn rows_raw(
    conn: &Connection,
    tree: &Tree,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Result<HashMap<String, Raw>> {
    let mut out = HashMap::new();
    sessions_into(conn, from, to, &mut out)?;
    field_rows_into(conn, from, to, as_of, &mut out)?;
    tree.mark_reached(&mut out);
    Ok(out)
}

fn figures_of(tree: &Tree, unit_id: &str, p: Period, raw: &Raw) -> Figures {
    let u = &tree.units[unit_id];
    let (t, grids) = tree.totals.get(unit_id).cloned().unwrap_or_default();
    let group = |a: Audience| match a {
        Audience::Elderly => Some(t.age60plus),
        Audience::Students => Some(t.students),
        Audience::FinanceStaff => Some(t.finance_staff),
        Audience::Public => Some(t.residents),
        _ => None,
    };
    Figures {
        unit_id: u.id.clone(),
        unit_name: u.name.clone(),
        unit_kind: u.kind,
        from: p.from.to_string(),
        to: p.to.to_string(),
        sessions_held: raw.held,
        sessions_planned: raw.planned,
        sessions_cancelled: raw.cancelled,
        by_kind: SessionKind::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| KindCount { kind: *k, count: raw.by_kind[i] })
            .collect(),
        person_times: raw.person_times,
        audiences: Audience::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| AudienceReach { audience: *a, reached: raw.audience[i], group: group(*a) })
            .collect(),
        residents: t.residents,
        households: t.households,
        coverage_pct: pct(raw.person_times, t.residents),
        visit_logs: raw.visit_logs,
        households_visited: raw.households_visited,
        not_home: raw.not_home,
        refused: raw.refused,
        warning_notices: raw.warnings,
        visits_per_household: per(raw.households_visited, t.households),
        grids,
        grids_reached: raw.grids.len() as u64,
        active_speakers: raw.speakers.len() as u64,
        speaker_hours: (raw.hours * 10.0).round() / 10.0,
        flyers: raw.materials[0],
        posters: raw.materials[1],
        banners: raw.materials[2],
        gifts: raw.materials[3],
        letters: raw.materials[4],
        other_materials: raw.materials[5],
        followups_due: raw.fu_due,
        followups_on_time: raw.fu_on_time,
        followups_late: raw.fu_late,
        followups_overdue: raw.fu_overdue,
        followups_on_time_pct: (raw.fu_due > 0).then(|| pct(raw.fu_on_time, raw.fu_due)),
        warned_residents: raw.warned,
        money_stopped: raw.money_stopped,
    }
}

/// How to break a unit down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Level {
    /// Its direct child units.
    Children,
    /// Every grid below it.
    Grids,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Coverage {
    pub total: Figures,
    pub parts: Vec<Figures>,
}

/// The figures of a unit for a period and of its parts (children or grids), in one pass.
pub fn coverage(conn: &Connection, unit_id: &str, p: Period, as_of: NaiveDate, level: Level) -> Result<Coverage> {
    Snapshot::take(conn, p, as_of)?.coverage(unit_id, level)
}

/// The same figures straight from the rows, without the roll-up cache: the definition the
/// cache is tested against.
pub fn coverage_from_rows(
    conn: &Connection,
    unit_id: &str,
    p: Period,
    as_of: NaiveDate,
    level: Level,
) -> Result<Coverage> {
    Snapshot::from_rows(conn, p, as_of)?.coverage(unit_id, level)
}

/// The organisation and a period, read once: any number of units and levels can then be
/// figured from it. Whole months come from the roll-up cache (`rollup`, every unit with
/// everything below it); the days at the period's edges, and follow-up visits that are
/// not overdue in the cache because their month had not ended, come from the rows.
pub struct Snapshot<'c> {
    conn: &'c Connection,
    tree: Arc<Tree>,
    period: Period,
    as_of: NaiveDate,
    /// First days of the first and last whole month read from the cache.
    months: Option<(NaiveDate, NaiveDate)>,
    /// Sums per attributed unit that the cache does not give.
    extra: HashMap<String, Raw>,
}

fn month_start(m: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").expect("a YYYY-MM month")
}

impl<'c> Snapshot<'c> {
    pub fn take(conn: &'c Connection, p: Period, as_of: NaiveDate) -> Result<Snapshot<'c>> {
        if rollup::refresh(conn).is_err() {
            // A read-only database cannot bring its cache up to date; the rows still answer.
            return Self::from_rows(conn, p, as_of);
        }
        let tree = Tree::cached(conn)?;
        let (months, edges) = p.split();
        let months = months.map(|(a, b)| (month_start(&a), month_start(&b)));
        let mut extra = HashMap::new();
        for (a, b) in edges {
            sessions_into(conn, a, b, &mut extra)?;
            field_rows_into(conn, a, b, as_of, &mut extra)?;
        }
        if let Some((m1, m2)) = months {
            let last_day = first_of_next(m2) - chrono::Duration::days(1);
            overdue_into(conn, m1.max(first_of(as_of)), last_day.min(as_of - chrono::Duration::days(1)), &mut extra)?;
        }
        tree.mark_reached(&mut extra);
        Ok(Snapshot { conn, tree, period: p, as_of, months, extra })
    }

    pub fn from_rows(conn: &'c Connection, p: Period, as_of: NaiveDate) -> Result<Snapshot<'c>> {
        let tree = Arc::new(Tree::load(conn)?);
        let extra = rows_raw(conn, &tree, p.from, p.to, as_of)?;
        Ok(Snapshot { conn, tree, period: p, as_of, months: None, extra })
    }

    pub fn coverage(&self, unit_id: &str, level: Level) -> Result<Coverage> {
        let (tree, p) = (&*self.tree, self.period);
        if !tree.units.contains_key(unit_id) {
            return Err(Error::not_found("unit", unit_id));
        }
        let mut part_ids: Vec<String> = tree
            .units
            .values()
            .filter(|u| !u.archived)
            .filter(|u| match level {
                Level::Children => u.parent_id.as_deref() == Some(unit_id),
                Level::Grids => u.kind == UnitKind::Grid && tree.contains(unit_id, &u.id),
            })
            .map(|u| u.id.clone())
            .collect();
        part_ids.sort_by(|a, b| {
            let (x, y) = (&tree.units[a], &tree.units[b]);
            (x.code.is_empty(), &x.code, &x.name).cmp(&(y.code.is_empty(), &y.code, &y.name))
        });
        let index: HashMap<String, usize> = part_ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        let mut parts: Vec<Raw> = vec![Raw::default(); part_ids.len()];
        let mut total = Raw::default();
        for (attributed, r) in &self.extra {
            if !tree.contains(unit_id, attributed) {
                continue;
            }
            total.add(r);
            if let Some(&i) = tree.owner(attributed, &index) {
                parts[i].add(r);
            }
        }
        if let Some(months) = self.months {
            let mut ids = vec![unit_id.to_string()];
            ids.extend(part_ids.iter().cloned());
            for (id, r) in rollup::read(self.conn, &ids, months, self.as_of)? {
                if id == unit_id {
                    total.add(&r);
                }
                if let Some(&i) = index.get(&id) {
                    parts[i].add(&r);
                }
            }
        }
        // The reach rule reaches down too: a grid (or a unit between it and its community) is
        // reached by its community's talks, which are the community's, not the grid's.
        let below: Vec<(&str, &str)> = std::iter::once(unit_id)
            .chain(part_ids.iter().map(String::as_str))
            .filter_map(|u| tree.community_of(u).filter(|c| *c != u).map(|c| (u, c)))
            .collect();
        if !below.is_empty() {
            let mut wanted: Vec<String> = below.iter().map(|(_, c)| c.to_string()).collect();
            wanted.sort();
            wanted.dedup();
            let reached = self.grids_reached(&wanted)?;
            for (u, c) in below {
                let Some(grids) = reached.get(c) else { continue };
                let raw = if u == unit_id { &mut total } else { &mut parts[index[u]] };
                raw.grids.extend(tree.reach.get(u).into_iter().flatten().filter(|g| grids.contains(*g)).cloned());
            }
        }
        Ok(Coverage {
            total: figures_of(tree, unit_id, p, &total),
            parts: part_ids.iter().enumerate().map(|(i, id)| figures_of(tree, id, p, &parts[i])).collect(),
        })
    }
}

impl Snapshot<'_> {
    /// The grids reached in the period at or below each of `ids`.
    fn grids_reached(&self, ids: &[String]) -> Result<HashMap<String, HashSet<String>>> {
        let mut out: HashMap<String, HashSet<String>> = HashMap::new();
        for (attributed, r) in &self.extra {
            for id in ids.iter().filter(|id| self.tree.contains(id, attributed)) {
                out.entry(id.clone()).or_default().extend(r.grids.iter().cloned());
            }
        }
        if let Some(months) = self.months {
            for (id, r) in rollup::read(self.conn, ids, months, self.as_of)? {
                out.entry(id).or_default().extend(r.grids);
            }
        }
        Ok(out)
    }
}

/// Brings the roll-up cache up to date for the months that writes touched since it was last
/// read. Called before any figures are read; cheap when nothing changed.
pub fn refresh(conn: &Connection) -> Result<()> {
    rollup::refresh(conn)
}

/// The grids with the lowest coverage (residents known), most residents first among equals.
pub fn least_covered(grids: Vec<Figures>, n: usize) -> Vec<Figures> {
    let mut least: Vec<Figures> = grids.into_iter().filter(|g| g.residents > 0).collect();
    least.sort_by(|a, b| {
        a.coverage_pct
            .partial_cmp(&b.coverage_pct)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.residents.cmp(&a.residents))
    });
    least.truncate(n);
    least
}

/// The figures of one unit for a period.
pub fn figures(conn: &Connection, unit_id: &str, p: Period, as_of: NaiveDate) -> Result<Figures> {
    coverage(conn, unit_id, p, as_of, Level::Children).map(|c| c.total)
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct MonthPoint {
    pub month: String,
    #[ts(type = "number")]
    pub sessions_held: u64,
    #[ts(type = "number")]
    pub person_times: u64,
}

/// Sessions held and person-times by month — the dashboard's time series.
pub fn monthly(conn: &Connection, unit_id: &str, p: Period) -> Result<Vec<MonthPoint>> {
    let tree = Tree::cached(conn)?;
    let cached = if rollup::refresh(conn).is_ok() {
        Some(rollup::monthly(conn, unit_id, first_of(p.from), p.to)?)
    } else {
        None
    };
    let mut out = Vec::new();
    let mut m = first_of(p.from);
    while m <= p.to {
        let month = m.format("%Y-%m").to_string();
        let end = first_of_next(m) - chrono::Duration::days(1);
        let (a, b) = (m.max(p.from), end.min(p.to));
        let (sessions_held, person_times) = match &cached {
            Some(c) if a == m && b == end => c.get(&month).copied().unwrap_or((0, 0)),
            _ => {
                let mut raw = HashMap::new();
                sessions_into(conn, a, b, &mut raw)?;
                raw.iter()
                    .filter(|(id, _)| tree.contains(unit_id, id))
                    .fold((0, 0), |acc, (_, r)| (acc.0 + r.held, acc.1 + r.person_times))
            }
        };
        out.push(MonthPoint { month, sessions_held, person_times });
        m = first_of_next(m);
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct HeldSession {
    pub id: String,
    pub title: String,
    pub kind: SessionKind,
    pub start: String,
    pub unit_name: String,
    #[ts(type = "number")]
    pub headcount: u64,
}

/// The held sessions behind a unit's session and person-time figures (drill-down).
pub fn held_sessions(conn: &Connection, unit_id: &str, p: Period) -> Result<Vec<HeldSession>> {
    let tree = Tree::cached(conn)?;
    let mut st = conn.prepare_cached(
        "SELECT s.id, s.title, s.kind, s.starts_at, coalesce(s.unit_id, v.unit_id), coalesce(r.headcount, 0)
         FROM sessions s LEFT JOIN venues v ON v.id = s.venue_id LEFT JOIN records r ON r.id = s.id
         WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND s.archived_at IS NULL AND s.status IN ('held','reported') ORDER BY s.starts_at",
    )?;
    let mut out = Vec::new();
    let mut rows = st.query(params![p.from.to_string(), (p.to + chrono::Duration::days(1)).to_string()])?;
    while let Some(r) = rows.next()? {
        let unit: Option<String> = r.get(4)?;
        let Some(unit) = unit else { continue };
        if !tree.chain.get(&unit).is_some_and(|c| c.iter().any(|a| a == unit_id)) {
            continue;
        }
        out.push(HeldSession {
            id: r.get(0)?,
            title: r.get(1)?,
            kind: SessionKind::parse(&r.get::<_, String>(2)?).unwrap_or(SessionKind::Talk),
            start: r.get(3)?,
            unit_name: tree.units.get(&unit).map(|u| u.name.clone()).unwrap_or_default(),
            headcount: r.get::<_, i64>(5)? as u64,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- targets

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum Metric {
    Sessions,
    PersonTimes,
    CoveragePct,
    GridsReached,
    FollowupsOnTimePct,
    HouseholdsVisited,
}

impl Metric {
    pub fn is_pct(self) -> bool {
        matches!(self, Metric::CoveragePct | Metric::FollowupsOnTimePct)
    }

    /// A value of this metric as every document prints it (the window says the same, with its
    /// language's digit grouping): per cent to one decimal with the sign, counts whole.
    pub fn format(self, v: f64) -> String {
        if self.is_pct() {
            format!("{}%", crate::util::pct_text(v))
        } else {
            crate::util::decimal(v)
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Sessions => "sessions",
            Metric::PersonTimes => "person_times",
            Metric::CoveragePct => "coverage_pct",
            Metric::GridsReached => "grids_reached",
            Metric::FollowupsOnTimePct => "followups_on_time_pct",
            Metric::HouseholdsVisited => "households_visited",
        }
    }
    pub fn parse(s: &str) -> Option<Metric> {
        [
            Metric::Sessions,
            Metric::PersonTimes,
            Metric::CoveragePct,
            Metric::GridsReached,
            Metric::FollowupsOnTimePct,
            Metric::HouseholdsVisited,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Metric::Sessions => "开展场次",
            Metric::PersonTimes => "覆盖人次",
            Metric::CoveragePct => "覆盖率",
            Metric::GridsReached => "覆盖网格",
            Metric::FollowupsOnTimePct => "按时回访率",
            Metric::HouseholdsVisited => "走访户次",
        }
    }
    /// The figure this target is measured against (sessions of one kind when `kind` is set).
    pub fn actual(self, f: &Figures, kind: Option<SessionKind>) -> f64 {
        match self {
            Metric::Sessions => match kind {
                Some(k) => f.by_kind.iter().find(|x| x.kind == k).map(|x| x.count).unwrap_or(0) as f64,
                None => f.sessions_held as f64,
            },
            Metric::PersonTimes => f.person_times as f64,
            Metric::CoveragePct => f.coverage_pct,
            Metric::GridsReached => f.grids_reached as f64,
            Metric::FollowupsOnTimePct => f.followups_on_time_pct.unwrap_or(0.0),
            Metric::HouseholdsVisited => f.households_visited as f64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Target {
    pub id: Option<String>,
    pub unit_id: String,
    pub from: String,
    pub to: String,
    pub metric: Metric,
    pub kind: Option<SessionKind>,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TargetProgress {
    pub target: Target,
    pub label: String,
    pub actual: f64,
    /// actual ÷ target × 100, one decimal.
    pub pct: f64,
}

pub fn save_target(conn: &Connection, t: &Target) -> Result<Target> {
    units::get(conn, &t.unit_id)?;
    let p = Period::parse(&t.from, &t.to)?;
    if !(t.value >= 0.0 && t.value.is_finite()) {
        return Err(Error::invalid(Code::ValidationNegative, &[("field", "value"), ("value", &t.value.to_string())]));
    }
    let kind = t.kind.map(|k| k.as_str()).unwrap_or("");
    let ts = now();
    let id = t.id.clone().filter(|s| !s.is_empty()).unwrap_or_else(new_id);
    conn.execute(
        "INSERT INTO targets(id, unit_id, period_from, period_to, metric, kind, value, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)
         ON CONFLICT(unit_id, period_from, period_to, metric, kind) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![id, t.unit_id, p.from.to_string(), p.to.to_string(), t.metric.as_str(), kind, t.value, ts],
    )?;
    Ok(Target { id: Some(id), from: p.from.to_string(), to: p.to.to_string(), ..t.clone() })
}

/// Targets of a unit whose period overlaps the given one, each with its progress.
pub fn progress(conn: &Connection, unit_id: &str, p: Period, as_of: NaiveDate) -> Result<Vec<TargetProgress>> {
    let mut st = conn.prepare_cached(
        "SELECT id, period_from, period_to, metric, kind, value FROM targets WHERE unit_id = ?1 AND period_from <= ?3 AND period_to >= ?2 ORDER BY metric, kind",
    )?;
    let rows: Vec<(String, String, String, String, String, f64)> = st
        .query_map(params![unit_id, p.from.to_string(), p.to.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, from, to, metric, kind, value) in rows {
        let Some(metric) = Metric::parse(&metric) else { continue };
        let kind = SessionKind::parse(&kind);
        // Progress is measured over the target's own period.
        let f = figures(conn, unit_id, Period::parse(&from, &to)?, as_of)?;
        let actual = metric.actual(&f, kind);
        let label = match kind {
            Some(k) => format!("{}（{}）", metric.label(), k.label()),
            None => metric.label().to_string(),
        };
        out.push(TargetProgress {
            target: Target { id: Some(id), unit_id: unit_id.to_string(), from, to, metric, kind, value },
            label,
            actual,
            pct: if value > 0.0 { (actual / value * 1000.0).round() / 10.0 } else { 0.0 },
        });
    }
    Ok(out)
}

pub fn delete_target(conn: &Connection, id: &str) -> Result<()> {
    // Targets are settings, not records: removing one is a plain delete.
    conn.execute("DELETE FROM targets WHERE id = ?1", [id])?;
    Ok(())
}
