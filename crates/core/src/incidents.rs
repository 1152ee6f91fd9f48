//! Incidents (发案): the fraud cases a station's case system reports, read beside the outreach
//! so the work is judged by its effect — the weekly case review (每周研判), the precision gaps,
//! re-victimisation of warned residents, and the outcome figures of the reports.
//!
//! The rules (also in docs/COVERAGE.md):
//! - An incident **belongs to** its grid, or to the community or station the case system named
//!   when the grid is unknown; it counts for that unit and every unit above it, by its filing
//!   date. Rates per 10,000 residents count only incidents placed in a grid.
//! - **Re-victimised**: an incident whose victim's phone matched a warned resident (a follow-up
//!   case not yet purged) warned before the filing date. The phone is compared during the import
//!   and never stored; the case and its warning date are.
//! - A **precision gap**: a grid with incidents of a fraud type in the last 90 days and no held
//!   session on that type's topic reaching it (coverage's reach rule) in those 90 days.
//! - A **rising grid**: over the three calendar months ending with today's, incidents per 10,000
//!   residents up on the three months before while its coverage (person-times ÷ residents, as
//!   `coverage` defines it) fell. Whole months, because the coverage roll-up holds whole months.
//! - The chart's **high incidents, low coverage** quadrant: grids with cases whose rate is at or
//!   above the median rate of the grids with cases, and whose coverage is at or below the median.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::codes::str_enum;
use crate::coverage::{self, Period, Tree};
use crate::error::{issue, Code, Error, Issue, Result};
use crate::sessions::{Audience, SessionKind};
use crate::units::{Saved, UnitKind};
use crate::util::now;

str_enum!(AgeGroup {
    Under18 = "under18" / "18岁以下",
    Age18to59 = "age18to59" / "18-59岁",
    Age60plus = "age60plus" / "60岁以上",
    Unknown = "unknown" / "不详",
});

str_enum!(Occupation {
    Student = "student" / "学生",
    Employee = "employee" / "企业职工",
    Finance = "finance" / "财务人员",
    Merchant = "merchant" / "个体工商户",
    Retired = "retired" / "离退休人员",
    Unemployed = "unemployed" / "无业人员",
    Other = "other" / "其他",
    Unknown = "unknown" / "不详",
});

impl AgeGroup {
    /// "60岁以上", "60+", "老年", or an age in years ("67", "67岁").
    pub fn read(cell: &str) -> Option<AgeGroup> {
        let c = cell.trim();
        if c.is_empty() {
            return Some(AgeGroup::Unknown);
        }
        if let Some(g) = AgeGroup::parse(c) {
            return Some(g);
        }
        let t = c.replace(['～', '~', '至', '—', '－'], "-").replace(' ', "");
        match t.as_str() {
            "未成年" | "未成年人" | "18岁以下" | "0-17岁" | "0-17" | "<18" => {
                return Some(AgeGroup::Under18)
            }
            "18-59" | "18-59岁" | "青壮年" | "中青年" | "成年人" => return Some(AgeGroup::Age18to59),
            "60+" | "60岁及以上" | "60以上" | "老年" | "老年人" | ">=60" => {
                return Some(AgeGroup::Age60plus)
            }
            "未知" | "不详" | "-" => return Some(AgeGroup::Unknown),
            _ => {}
        }
        let years = t.trim_end_matches('岁').trim_end_matches(".0");
        match years.parse::<u32>() {
            Ok(a) if a < 18 => Some(AgeGroup::Under18),
            Ok(a) if a < 60 => Some(AgeGroup::Age18to59),
            Ok(a) if a < 130 => Some(AgeGroup::Age60plus),
            _ => None,
        }
    }
}

impl Occupation {
    pub fn read(cell: &str) -> Option<Occupation> {
        let c = cell.trim();
        if c.is_empty() {
            return Some(Occupation::Unknown);
        }
        Occupation::parse(c).or(match c {
            "在校学生" | "大学生" | "中学生" | "小学生" => Some(Occupation::Student),
            "企业员工" | "职工" | "公司职员" | "企业人员" | "工人" | "务工人员" => {
                Some(Occupation::Employee)
            }
            "会计" | "出纳" | "财务" | "企业财务人员" => Some(Occupation::Finance),
            "个体" | "个体户" | "商户" | "个体经营" | "经商" => Some(Occupation::Merchant),
            "退休" | "退休人员" | "离退休" => Some(Occupation::Retired),
            "无业" | "待业" | "失业" => Some(Occupation::Unemployed),
            "农民" | "自由职业" | "公务员" | "教师" | "医生" | "其它" => Some(Occupation::Other),
            "未知" => Some(Occupation::Unknown),
            _ => None,
        })
    }
}

/// The audience a victim belongs to, as sessions and topics name them.
pub fn audience_of(age: AgeGroup, occupation: Occupation) -> Audience {
    match (age, occupation) {
        (AgeGroup::Age60plus, _) | (_, Occupation::Retired) => Audience::Elderly,
        (_, Occupation::Student) | (AgeGroup::Under18, _) => Audience::Students,
        (_, Occupation::Finance) => Audience::FinanceStaff,
        (_, Occupation::Merchant) => Audience::Merchants,
        (_, Occupation::Employee) => Audience::EnterpriseStaff,
        _ => Audience::Public,
    }
}

// ---------- money ----------

/// "12,345.6", "1.2万", "800元" → fen. Refused when negative or not a number.
pub fn parse_yuan(field: &str, cell: &str) -> Result<i64> {
    let c = cell.trim();
    if c.is_empty() {
        return Ok(0);
    }
    let refuse = || Error::invalid(Code::IncidentsMoney, &[("field", field), ("value", c)]);
    let t: String = c.replace([',', '，', ' ', '¥', '￥'], "");
    let t = t.trim_end_matches('元');
    let (t, factor) = match t.strip_suffix('万') {
        Some(rest) => (rest, 10_000.0),
        None => (t, 1.0),
    };
    let v: f64 = t.parse().map_err(|_| refuse())?;
    if !v.is_finite() || v < 0.0 || v * factor > 1e12 {
        return Err(refuse());
    }
    Ok((v * factor * 100.0).round() as i64)
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

// ---------- labels ----------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TypeLabel {
    pub label: String,
    pub topic_id: String,
    pub topic_name: String,
}

pub fn labels(conn: &Connection) -> Result<Vec<TypeLabel>> {
    let mut st = conn.prepare_cached(
        "SELECT l.label, l.topic_id, t.name FROM incident_labels l JOIN topics t ON t.id = l.topic_id ORDER BY t.sort, l.label",
    )?;
    let rows = st
        .query_map([], |r| Ok(TypeLabel { label: r.get(0)?, topic_id: r.get(1)?, topic_name: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Maps a case system's label onto a topic (adds or changes the mapping).
pub fn save_label(conn: &Connection, label: &str, topic_id: &str) -> Result<TypeLabel> {
    let label = crate::util::check_name("typeLabel", label, 40)?;
    let topic_name: String = conn
        .query_row("SELECT name FROM topics WHERE id = ?1", [topic_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::invalid(Code::ImportUnknownTopic, &[("value", topic_id)]))?;
    conn.execute(
        "INSERT INTO incident_labels(label, topic_id, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(label) DO UPDATE SET topic_id = excluded.topic_id, updated_at = excluded.updated_at",
        params![label, topic_id, now()],
    )?;
    Ok(TypeLabel { label, topic_id: topic_id.to_string(), topic_name })
}

pub fn remove_label(conn: &Connection, label: &str) -> Result<()> {
    if conn.execute("DELETE FROM incident_labels WHERE label = ?1", [label])? == 0 {
        return Err(Error::not_found("label", label));
    }
    Ok(())
}

/// The labels of the case system as written ("冒充公检法及政府机关类"), then the topic's own name,
/// then the label without its "类"/"诈骗"/"案" ending.
fn topic_of(labels: &HashMap<String, String>, topics: &[crate::topics::Topic], label: &str) -> Option<String> {
    let l = label.trim();
    if let Some(t) = labels.get(l) {
        return Some(t.clone());
    }
    if let Some(t) = crate::topics::resolve(topics, l) {
        return Some(t);
    }
    let stem = l.trim_end_matches('案').trim_end_matches("诈骗").trim_end_matches('类').trim_end_matches("诈骗");
    labels
        .iter()
        .find(|(k, _)| k.trim_end_matches('类').trim_end_matches("诈骗") == stem)
        .map(|(_, v)| v.clone())
        .or_else(|| crate::topics::resolve(topics, stem))
}

// ---------- import ----------

/// The columns of a case system's export (the template's headers); aliases in `alias`.
pub const HEADERS: &[&str] = &[
    "编号",
    "立案日期",
    "诈骗类型",
    "损失金额（元）",
    "止付金额（元）",
    "受害人年龄段",
    "受害人职业",
    "派出所",
    "社区",
    "网格",
    "单位编号",
    "受害人电话",
    "受害人身份证号",
];
pub const REQUIRED: &[&str] = &["立案日期", "诈骗类型"];

pub fn alias(h: &str) -> Option<&'static str> {
    Some(match h {
        "案件编号" | "警情编号" | "案号" | "立案编号" => "编号",
        "立案时间" | "发案日期" | "发案时间" | "报案日期" => "立案日期",
        "案件类别" | "案件类型" | "诈骗类别" | "类型" => "诈骗类型",
        "损失金额" | "损失（元）" | "涉案金额" | "被骗金额" => "损失金额（元）",
        "止付金额" | "止付（元）" | "挽损金额" | "拦截金额" => "止付金额（元）",
        "年龄段" | "受害人年龄" | "年龄" => "受害人年龄段",
        "职业" | "受害人身份" | "人员类别" => "受害人职业",
        "所属派出所" | "管辖派出所" | "辖区派出所" => "派出所",
        "所属社区" | "社区（村）" | "村（社区）" => "社区",
        "所属网格" | "发案网格" => "网格",
        "电话" | "手机号" | "联系电话" | "受害人手机号" => "受害人电话",
        "身份证号" | "证件号码" | "受害人证件号" => "受害人身份证号",
        _ => return None,
    })
}

/// What one import needs to keep between rows: the places by name, the labels, and how often
/// a content without a case number was already seen (two identical rows are two cases).
pub(crate) struct ImportState {
    labels: HashMap<String, String>,
    topics: Vec<crate::topics::Topic>,
    places: HashMap<String, Vec<(String, UnitKind, Vec<String>)>>,
    live: HashSet<String>,
    seen: RefCell<HashMap<String, u32>>,
}

impl ImportState {
    pub(crate) fn load(conn: &Connection) -> Result<ImportState> {
        let labels = labels(conn)?.into_iter().map(|l| (l.label, l.topic_id)).collect();
        let list = crate::units::list(conn, false)?;
        let by_id: HashMap<&str, &crate::units::Unit> = list.iter().map(|u| (u.id.as_str(), u)).collect();
        let mut places: HashMap<String, Vec<(String, UnitKind, Vec<String>)>> = HashMap::new();
        for u in &list {
            let mut names = vec![];
            let mut p = u.parent_id.as_deref();
            while let Some(id) = p {
                let Some(a) = by_id.get(id) else { break };
                names.push(a.name.clone());
                p = a.parent_id.as_deref();
            }
            places.entry(u.name.clone()).or_default().push((u.id.clone(), u.kind, names));
        }
        Ok(ImportState {
            labels,
            topics: crate::topics::list(conn)?,
            live: list.iter().map(|u| u.id.clone()).collect(),
            places,
            seen: RefCell::new(HashMap::new()),
        })
    }

    /// The most specific place named: the grid within the community and station given, else the
    /// community within the station, else the station.
    fn place(&self, unit_id: &str, station: &str, community: &str, grid: &str) -> Result<String> {
        if !unit_id.is_empty() {
            return if self.live.contains(unit_id) {
                Ok(unit_id.to_string())
            } else {
                Err(Error::invalid(Code::ImportUnknownUnit, &[("value", unit_id)]))
            };
        }
        let (name, above): (&str, Vec<&str>) = if !grid.is_empty() {
            (grid, vec![community, station])
        } else if !community.is_empty() {
            (community, vec![station])
        } else if !station.is_empty() {
            (station, vec![])
        } else {
            return Err(Error::invalid(Code::IncidentsNoPlace, &[]));
        };
        let above: Vec<&str> = above.into_iter().filter(|a| !a.is_empty()).collect();
        let found: Vec<&String> = self
            .places
            .get(name)
            .into_iter()
            .flatten()
            .filter(|(_, _, names)| above.iter().all(|a| names.iter().any(|n| n == a)))
            .map(|(id, _, _)| id)
            .collect();
        match found.as_slice() {
            [] => Err(Error::invalid(Code::ImportUnknownUnit, &[("value", name)])),
            [one] => Ok((*one).clone()),
            _ => Err(Error::invalid(Code::ImportAmbiguousUnit, &[("value", name)])),
        }
    }
}

fn hash_id(prefix: &str, text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    let hex: String = d.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// One row of a case file, read by `get(header)`. Added, changed (same case number, new
/// content) or unchanged; refused with every problem of the row. The victim's phone, if any, is
/// compared with the warned residents here and goes no further.
pub(crate) fn import_row<'a>(conn: &Connection, st: &ImportState, get: impl Fn(&str) -> &'a str) -> Result<Saved> {
    let g = |h: &str| get(h).trim();
    let mut iss: Vec<Issue> = vec![];
    fn take<T>(iss: &mut Vec<Issue>, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Invalid(mut v)) => {
                iss.append(&mut v);
                None
            }
            Err(e) => {
                iss.push(issue(Code::Internal, &[("detail", &e.to_string())]));
                None
            }
        }
    }
    let case_no = g("编号");
    let case_no = (!case_no.is_empty()).then(|| case_no.to_string());
    if case_no.as_ref().is_some_and(|c| c.chars().count() > 64) {
        take::<()>(&mut iss, Err(Error::invalid(Code::ValidationTooLong, &[("field", "caseNo"), ("max", "64")])));
    }
    let filed_on = match take(&mut iss, crate::util::parse_date("filedOn", g("立案日期"))) {
        Some(None) => {
            take::<()>(&mut iss, Err(Error::invalid(Code::ValidationRequired, &[("field", "filedOn")])));
            None
        }
        Some(Some(d)) => Some(d),
        None => None,
    };
    let label = g("诈骗类型").to_string();
    let topic_id = if label.is_empty() {
        take::<()>(&mut iss, Err(Error::invalid(Code::ValidationRequired, &[("field", "fraudType")])));
        None
    } else {
        let t = topic_of(&st.labels, &st.topics, &label);
        if t.is_none() {
            take::<()>(&mut iss, Err(Error::invalid(Code::IncidentsUnknownType, &[("value", &label)])));
        }
        t
    };
    let loss = take(&mut iss, parse_yuan("loss", g("损失金额（元）")));
    let stopped = take(&mut iss, parse_yuan("stopped", g("止付金额（元）")));
    let age = AgeGroup::read(g("受害人年龄段"));
    if age.is_none() {
        take::<()>(
            &mut iss,
            Err(Error::invalid(Code::ValidationChoice, &[("field", "ageGroup"), ("value", g("受害人年龄段"))])),
        );
    }
    let occupation = Occupation::read(g("受害人职业"));
    if occupation.is_none() {
        take::<()>(
            &mut iss,
            Err(Error::invalid(Code::ValidationChoice, &[("field", "occupation"), ("value", g("受害人职业"))])),
        );
    }
    let unit_id = take(&mut iss, st.place(g("单位编号"), g("派出所"), g("社区"), g("网格")));
    if !iss.is_empty() {
        return Err(Error::Invalid(iss));
    }
    let (Some(filed_on), Some(topic_id), Some(loss), Some(stopped), Some(age), Some(occupation), Some(unit_id)) =
        (filed_on, topic_id, loss, stopped, age, occupation, unit_id)
    else {
        return Err(Error::Internal("incident row without its fields".into()));
    };
    let content =
        format!("{filed_on}|{label}|{topic_id}|{loss}|{stopped}|{}|{}|{unit_id}", age.as_str(), occupation.as_str());
    let id = match &case_no {
        Some(c) => hash_id("inc-", c),
        None => {
            let mut seen = st.seen.borrow_mut();
            let n = seen.entry(content.clone()).or_insert(0);
            *n += 1;
            hash_id("inc-h", &format!("{content}#{n}"))
        }
    };
    // The phone never leaves this function: only the warning it matches is kept.
    let warned: Option<(String, String)> = match crate::phone::normalize(g("受害人电话")) {
        Ok(p) if !p.is_empty() => conn
            .prepare_cached(
                "SELECT id, warned_on FROM cases WHERE phone = ?1 AND purged_at IS NULL AND warned_on < ?2
                 ORDER BY warned_on DESC LIMIT 1",
            )?
            .query_row(params![p, filed_on], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        _ => None,
    };
    let stored: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT filed_on || '|' || label || '|' || topic_id || '|' || loss_fen || '|' || stopped_fen || '|' ||
                    age_group || '|' || occupation || '|' || unit_id, warned_case_id FROM incidents WHERE id = ?1",
        )?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let t = now();
    match stored {
        Some((old, old_warned)) => {
            let warned_changes = warned.as_ref().is_some_and(|(c, _)| old_warned.as_deref() != Some(c.as_str()));
            if old == content && !warned_changes {
                return Ok(Saved::Unchanged);
            }
            conn.execute(
                "UPDATE incidents SET filed_on=?2, label=?3, topic_id=?4, loss_fen=?5, stopped_fen=?6, age_group=?7,
                 occupation=?8, unit_id=?9, warned_case_id=coalesce(?10, warned_case_id),
                 warned_on=coalesce(?11, warned_on), updated_at=?12 WHERE id=?1",
                params![
                    id,
                    filed_on,
                    label,
                    topic_id,
                    loss,
                    stopped,
                    age.as_str(),
                    occupation.as_str(),
                    unit_id,
                    warned.as_ref().map(|w| &w.0),
                    warned.as_ref().map(|w| &w.1),
                    t
                ],
            )?;
            Ok(Saved::Updated)
        }
        None => {
            conn.execute(
                "INSERT INTO incidents(id, case_no, filed_on, label, topic_id, loss_fen, stopped_fen, age_group, occupation,
                 unit_id, warned_case_id, warned_on, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                params![
                    id,
                    case_no,
                    filed_on,
                    label,
                    topic_id,
                    loss,
                    stopped,
                    age.as_str(),
                    occupation.as_str(),
                    unit_id,
                    warned.as_ref().map(|w| &w.0),
                    warned.as_ref().map(|w| &w.1),
                    t
                ],
            )?;
            Ok(Saved::Added)
        }
    }
}

// ---------- rows read for the figures ----------

#[derive(Debug, Clone)]
struct Row {
    unit_id: String,
    topic_id: String,
    filed_on: String,
    loss: i64,
    stopped: i64,
    age: AgeGroup,
    occupation: Occupation,
    warned_on: Option<String>,
}

/// The incidents filed in `[from, to]` that belong to `unit_id` or below.
fn rows_in(conn: &Connection, tree: &Tree, unit_id: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<Row>> {
    let mut st = conn.prepare_cached(
        "SELECT unit_id, topic_id, filed_on, loss_fen, stopped_fen, age_group, occupation, warned_on
         FROM incidents WHERE filed_on >= ?1 AND filed_on <= ?2",
    )?;
    let mut rows = st.query(params![from.to_string(), to.to_string()])?;
    let mut out = vec![];
    while let Some(r) = rows.next()? {
        let unit: String = r.get(0)?;
        if !tree.contains(unit_id, &unit) {
            continue;
        }
        out.push(Row {
            unit_id: unit,
            topic_id: r.get(1)?,
            filed_on: r.get(2)?,
            loss: r.get(3)?,
            stopped: r.get(4)?,
            age: AgeGroup::parse(&r.get::<_, String>(5)?).unwrap_or(AgeGroup::Unknown),
            occupation: Occupation::parse(&r.get::<_, String>(6)?).unwrap_or(Occupation::Unknown),
            warned_on: r.get(7)?,
        });
    }
    Ok(out)
}

fn topic_names(conn: &Connection) -> Result<HashMap<String, (String, i64)>> {
    let mut st = conn.prepare_cached("SELECT id, name, sort FROM topics")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get::<_, String>(1)?, r.get::<_, i64>(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn unit_exists(tree: &Tree, unit_id: &str) -> Result<()> {
    if tree.units.contains_key(unit_id) {
        Ok(())
    } else {
        Err(Error::not_found("unit", unit_id))
    }
}

// ---------- outcome figures (reports, dashboard) ----------

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TypeFigures {
    /// The topic the fraud type maps onto.
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub topic_id: String,
    pub name: String,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub count_last_year: u64,
    pub loss_yuan: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct UnitIncidents {
    pub unit_id: String,
    pub unit_name: String,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub count_last_year: u64,
    pub loss_yuan: f64,
    pub loss_last_year_yuan: f64,
}

/// The outcome of a unit's period beside the same period last year: what the JSON report
/// carries as `incidents` (snake_case, the names its readers were promised).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct IncidentFigures {
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub count_last_year: u64,
    pub loss_yuan: f64,
    pub loss_last_year_yuan: f64,
    pub stopped_yuan: f64,
    /// Incidents whose victim had been warned before (see the module's rules).
    #[ts(type = "number")]
    pub revictimised: u64,
    pub by_type: Vec<TypeFigures>,
    /// By child unit, in the order of the tree's codes and names.
    pub by_unit: Vec<UnitIncidents>,
}

impl IncidentFigures {
    /// Whether there is anything to say: no incident this year or last means no case data.
    pub fn is_empty(&self) -> bool {
        self.count == 0 && self.count_last_year == 0
    }
}

pub fn figures(conn: &Connection, unit_id: &str, p: Period) -> Result<IncidentFigures> {
    let tree = Tree::cached(conn)?;
    unit_exists(&tree, unit_id)?;
    let ly = p.last_year();
    let now_rows = rows_in(conn, &tree, unit_id, p.from, p.to)?;
    let last_rows = rows_in(conn, &tree, unit_id, ly.from, ly.to)?;
    let names = topic_names(conn)?;
    let mut by_type: BTreeMap<String, TypeFigures> = BTreeMap::new();
    let entry = |t: &str| -> TypeFigures {
        let (name, _) = names.get(t).cloned().unwrap_or_default();
        TypeFigures { topic_id: t.to_string(), name, count: 0, count_last_year: 0, loss_yuan: 0.0 }
    };
    let mut loss_by_type: HashMap<String, i64> = HashMap::new();
    for r in &now_rows {
        by_type.entry(r.topic_id.clone()).or_insert_with(|| entry(&r.topic_id)).count += 1;
        *loss_by_type.entry(r.topic_id.clone()).or_default() += r.loss;
    }
    for r in &last_rows {
        by_type.entry(r.topic_id.clone()).or_insert_with(|| entry(&r.topic_id)).count_last_year += 1;
    }
    let mut by_type: Vec<TypeFigures> = by_type
        .into_values()
        .map(|mut t| {
            t.loss_yuan = yuan(loss_by_type.get(&t.topic_id).copied().unwrap_or(0));
            t
        })
        .collect();
    by_type.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.count_last_year.cmp(&a.count_last_year))
            .then_with(|| names.get(&a.topic_id).map(|n| n.1).cmp(&names.get(&b.topic_id).map(|n| n.1)))
    });
    let mut children: Vec<&crate::units::Unit> =
        tree.units.values().filter(|u| !u.archived && u.parent_id.as_deref() == Some(unit_id)).collect();
    children.sort_by(|x, y| (x.code.is_empty(), &x.code, &x.name).cmp(&(y.code.is_empty(), &y.code, &y.name)));
    let index: HashMap<String, usize> = children.iter().enumerate().map(|(i, u)| (u.id.clone(), i)).collect();
    let mut by_unit: Vec<UnitIncidents> = children
        .iter()
        .map(|u| UnitIncidents {
            unit_id: u.id.clone(),
            unit_name: u.name.clone(),
            count: 0,
            count_last_year: 0,
            loss_yuan: 0.0,
            loss_last_year_yuan: 0.0,
        })
        .collect();
    let (mut loss_now, mut loss_last) = (vec![0i64; children.len()], vec![0i64; children.len()]);
    for r in &now_rows {
        if let Some(&i) = tree.owner(&r.unit_id, &index) {
            by_unit[i].count += 1;
            loss_now[i] += r.loss;
        }
    }
    for r in &last_rows {
        if let Some(&i) = tree.owner(&r.unit_id, &index) {
            by_unit[i].count_last_year += 1;
            loss_last[i] += r.loss;
        }
    }
    for (i, u) in by_unit.iter_mut().enumerate() {
        u.loss_yuan = yuan(loss_now[i]);
        u.loss_last_year_yuan = yuan(loss_last[i]);
    }
    Ok(IncidentFigures {
        count: now_rows.len() as u64,
        count_last_year: last_rows.len() as u64,
        loss_yuan: yuan(now_rows.iter().map(|r| r.loss).sum()),
        loss_last_year_yuan: yuan(last_rows.iter().map(|r| r.loss).sum()),
        stopped_yuan: yuan(now_rows.iter().map(|r| r.stopped).sum()),
        revictimised: now_rows.iter().filter(|r| r.warned_on.as_ref().is_some_and(|w| *w < r.filed_on)).count() as u64,
        by_type,
        by_unit,
    })
}

/// Change against last year in per cent, one decimal; None when last year had none.
pub fn change_pct(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| ((now - before) * 1000.0 / before).round() / 10.0)
}

/// The report's sentences on the outcome, in the seeds' words ("全区电信网络诈骗立案数同比下降
/// 36.9%，损失金额同比下降57%"), only when there are cases to compare.
pub fn summary_zh(f: &IncidentFigures, unit_name: &str) -> String {
    if f.is_empty() {
        return String::new();
    }
    let dir = |d: f64| {
        if d < 0.0 {
            format!("同比下降{}%", crate::util::decimal(-d))
        } else if d > 0.0 {
            format!("同比上升{}%", crate::util::decimal(d))
        } else {
            "与去年同期持平".to_string()
        }
    };
    let mut s = format!("期内{unit_name}电信网络诈骗立案{}起", f.count);
    if let Some(d) = change_pct(f.count as f64, f.count_last_year as f64) {
        s.push_str(&format!("，{}", dir(d)));
    }
    s.push_str(&format!("；损失金额{}元", money_text(f.loss_yuan)));
    if let Some(d) = change_pct(f.loss_yuan, f.loss_last_year_yuan) {
        s.push_str(&format!("，{}", dir(d)));
    }
    if f.stopped_yuan > 0.0 {
        s.push_str(&format!("；止付{}元", money_text(f.stopped_yuan)));
    }
    if f.revictimised == 0 {
        s.push_str("；预警后无复骗案例。");
    } else {
        s.push_str(&format!("；曾获预警后再次被骗{}起。", f.revictimised));
    }
    s
}

pub fn summary_en(f: &IncidentFigures, unit_name: &str) -> String {
    if f.is_empty() {
        return String::new();
    }
    let dir = |d: f64| {
        if d < 0.0 {
            format!("down {}% on last year", crate::util::decimal(-d))
        } else if d > 0.0 {
            format!("up {}% on last year", crate::util::decimal(d))
        } else {
            "level with last year".to_string()
        }
    };
    let mut s = format!("{} fraud cases were filed in {unit_name}", f.count);
    if let Some(d) = change_pct(f.count as f64, f.count_last_year as f64) {
        s.push_str(&format!(" ({})", dir(d)));
    }
    s.push_str(&format!(", with losses of ¥{}", money_text(f.loss_yuan)));
    if let Some(d) = change_pct(f.loss_yuan, f.loss_last_year_yuan) {
        s.push_str(&format!(" ({})", dir(d)));
    }
    if f.stopped_yuan > 0.0 {
        s.push_str(&format!("; ¥{} was stopped", money_text(f.stopped_yuan)));
    }
    if f.revictimised == 0 {
        s.push_str("; no warned resident was defrauded again.");
    } else {
        s.push_str(&format!("; {} warned residents were defrauded again.", f.revictimised));
    }
    s
}

/// Yuan as reports print them: whole yuan with thousands separators, cents only when present.
pub fn money_text(y: f64) -> String {
    let whole = y.trunc() as u64;
    let cents = ((y - y.trunc()) * 100.0).round() as u64;
    let s = whole.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if cents > 0 {
        out.push_str(&format!(".{cents:02}"));
    }
    out
}

// ---------- re-victimisation ----------

/// Warned residents defrauded again, within 3 and 12 months of their warning. A resident counts
/// in a window's denominator once the window has passed (warned at least that long ago), so a
/// fresh warning does not look like a success before its time.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Revictimisation {
    #[ts(type = "number")]
    pub warned: u64,
    #[ts(type = "number")]
    pub warned_3m: u64,
    #[ts(type = "number")]
    pub again_3m: u64,
    pub pct_3m: Option<f64>,
    #[ts(type = "number")]
    pub warned_12m: u64,
    #[ts(type = "number")]
    pub again_12m: u64,
    pub pct_12m: Option<f64>,
    /// Every flagged incident, whenever it came.
    #[ts(type = "number")]
    pub again_ever: u64,
}

/// For the warned residents of the grids in `scope` (None: all), as of `as_of`.
pub fn revictimisation(conn: &Connection, scope: Option<&str>, as_of: NaiveDate) -> Result<Revictimisation> {
    let d3 = as_of.checked_sub_months(chrono::Months::new(3)).unwrap_or(as_of).to_string();
    let d12 = as_of.checked_sub_months(chrono::Months::new(12)).unwrap_or(as_of).to_string();
    let in_scope = "(?4 IS NULL OR c.grid_id IN (SELECT value FROM json_each(?4)))";
    // The warned, counted over the cases; the victims again, from the few incidents that carry
    // a warning (a partial index) — not three lookups for each of a city's 100,000 cases.
    let warned_sql = format!(
        "SELECT count(*), coalesce(sum(c.warned_on <= ?2), 0), coalesce(sum(c.warned_on <= ?3), 0)
         FROM cases c WHERE c.warned_on <= ?1 AND {in_scope}"
    );
    let (warned, w3, w12): (i64, i64, i64) = conn
        .prepare_cached(&warned_sql)?
        .query_row(params![as_of.to_string(), d3, d12, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let again_sql = format!(
        "SELECT coalesce(sum(a3), 0), coalesce(sum(a12), 0), count(*) FROM (
           SELECT max(c.warned_on <= ?2 AND i.filed_on <= date(c.warned_on, '+3 months')) a3,
                  max(c.warned_on <= ?3 AND i.filed_on <= date(c.warned_on, '+12 months')) a12
           FROM incidents i JOIN cases c ON c.id = i.warned_case_id
           WHERE i.warned_case_id IS NOT NULL AND i.filed_on > c.warned_on AND c.warned_on <= ?1 AND {in_scope}
           GROUP BY c.id)"
    );
    let (a3, a12, ever): (i64, i64, i64) = conn
        .prepare_cached(&again_sql)?
        .query_row(params![as_of.to_string(), d3, d12, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
    Ok(Revictimisation {
        warned: warned as u64,
        warned_3m: w3 as u64,
        again_3m: a3 as u64,
        pct_3m: pct(a3, w3),
        warned_12m: w12 as u64,
        again_12m: a12 as u64,
        pct_12m: pct(a12, w12),
        again_ever: ever as u64,
    })
}

// ---------- the weekly review ----------

/// "2026-W49" → its Monday and Sunday.
pub fn parse_week(s: &str) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || Error::invalid(Code::IncidentsWeek, &[("value", s)]);
    let t = s.trim().to_ascii_uppercase();
    let (y, w) = t.split_once("-W").ok_or_else(bad)?;
    let (y, w): (i32, u32) = (y.parse().map_err(|_| bad())?, w.parse().map_err(|_| bad())?);
    let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).ok_or_else(bad)?;
    Ok((monday, monday + Duration::days(6)))
}

pub fn week_of(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TypeWeek {
    pub topic_id: String,
    pub name: String,
    pub count: u32,
    pub loss_yuan: f64,
    /// The average week of the four before.
    pub avg4: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct GroupCount {
    pub audience: Audience,
    pub count: u32,
}

str_enum!(ActionKind {
    Talk = "talk" / "专题宣讲",
    Visits = "visits" / "入户走访",
    Push = "push" / "定向推送",
});

impl ActionKind {
    pub fn session_kind(self) -> SessionKind {
        match self {
            ActionKind::Talk => SessionKind::Talk,
            ActionKind::Visits => SessionKind::DoorToDoor,
            ActionKind::Push => SessionKind::OnlinePush,
        }
    }
}

/// What the review suggests for one place, and why (in both languages, from the figures).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Suggestion {
    pub action: ActionKind,
    pub session_kind: SessionKind,
    pub topic_ids: Vec<String>,
    pub audiences: Vec<Audience>,
    pub title: String,
    pub reason: String,
    pub reason_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PlaceWeek {
    pub unit_id: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    /// Names from the root down to the place's parent.
    pub path: String,
    pub count: u32,
    pub loss_yuan: f64,
    pub avg4: f64,
    pub topic_ids: Vec<String>,
    pub groups: Vec<GroupCount>,
    pub suggestion: Suggestion,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Review {
    pub unit_id: String,
    pub unit_name: String,
    pub week: String,
    pub from: String,
    pub to: String,
    pub count: u32,
    pub loss_yuan: f64,
    pub stopped_yuan: f64,
    pub avg4: f64,
    pub change_pct: Option<f64>,
    pub by_type: Vec<TypeWeek>,
    pub groups: Vec<GroupCount>,
    pub by_age: Vec<(AgeGroup, u32)>,
    pub by_occupation: Vec<(Occupation, u32)>,
    /// The places hit this week, most incidents first, each with its suggested action.
    pub places: Vec<PlaceWeek>,
    /// Places beyond the first `PLACES_MAX`.
    pub more_places: u32,
}

/// The review lists at most this many places (the rest are counted): a city's week can touch
/// hundreds of grids, the brief has one page.
pub const PLACES_MAX: usize = 200;

fn groups_of<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<GroupCount> {
    let mut m: BTreeMap<Audience, u32> = BTreeMap::new();
    for r in rows {
        *m.entry(audience_of(r.age, r.occupation)).or_default() += 1;
    }
    let mut v: Vec<GroupCount> = m.into_iter().map(|(audience, count)| GroupCount { audience, count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.audience.cmp(&b.audience)));
    v
}

fn path_of(tree: &Tree, id: &str) -> String {
    let chain = tree.chain.get(id).cloned().unwrap_or_default();
    chain[..chain.len().saturating_sub(1)]
        .iter()
        .filter_map(|a| tree.units.get(a))
        .map(|u| u.name.clone())
        .collect::<Vec<_>>()
        .join(" / ")
}

pub fn review(conn: &Connection, unit_id: &str, week: &str) -> Result<Review> {
    let (from, to) = parse_week(week)?;
    let tree = Tree::cached(conn)?;
    unit_exists(&tree, unit_id)?;
    let all = rows_in(conn, &tree, unit_id, from - Duration::days(28), to)?;
    let this_from = from.to_string();
    let (week_rows, before): (Vec<&Row>, Vec<&Row>) = all.iter().partition(|r| r.filed_on >= this_from);
    let names = topic_names(conn)?;
    let name = |t: &str| names.get(t).map(|n| n.0.clone()).unwrap_or_default();
    let mut types: HashMap<&str, (u32, i64, u32)> = HashMap::new();
    for r in &week_rows {
        let e = types.entry(&r.topic_id).or_default();
        e.0 += 1;
        e.1 += r.loss;
    }
    for r in &before {
        types.entry(&r.topic_id).or_default().2 += 1;
    }
    let mut by_type: Vec<TypeWeek> = types
        .iter()
        .map(|(t, (n, loss, b))| TypeWeek {
            topic_id: t.to_string(),
            name: name(t),
            count: *n,
            loss_yuan: yuan(*loss),
            avg4: *b as f64 / 4.0,
        })
        .collect();
    by_type.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.avg4.partial_cmp(&a.avg4).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.name.cmp(&b.name))
    });
    let mut by_age: BTreeMap<AgeGroup, u32> = BTreeMap::new();
    let mut by_occupation: BTreeMap<Occupation, u32> = BTreeMap::new();
    for r in &week_rows {
        *by_age.entry(r.age).or_default() += 1;
        *by_occupation.entry(r.occupation).or_default() += 1;
    }
    // Places: each incident at its grid, or at the community/station the case system named.
    let mut per_place: HashMap<&str, (Vec<&Row>, u32)> = HashMap::new();
    for r in &week_rows {
        per_place.entry(&r.unit_id).or_default().0.push(r);
    }
    for r in &before {
        if let Some(e) = per_place.get_mut(r.unit_id.as_str()) {
            e.1 += 1;
        }
    }
    let until = format!("{}T24:00", to);
    let since = format!("{}T00:00", to - Duration::days(89));
    let topic_reach = coverage::last_reached_by_topic(conn, &until)?;
    let mut places: Vec<PlaceWeek> = per_place
        .into_iter()
        .filter_map(|(place, (rows, before_n))| {
            let u = tree.units.get(place)?;
            let loss: i64 = rows.iter().map(|r| r.loss).sum();
            let mut topics: Vec<(String, u32)> = vec![];
            for r in &rows {
                match topics.iter_mut().find(|(t, _)| *t == r.topic_id) {
                    Some(e) => e.1 += 1,
                    None => topics.push((r.topic_id.clone(), 1)),
                }
            }
            topics.sort_by(|a, b| b.1.cmp(&a.1).then(names.get(&a.0).map(|n| n.1).cmp(&names.get(&b.0).map(|n| n.1))));
            let groups = groups_of(rows.iter().copied());
            let profile = tree.totals.get(place).map(|t| t.0.clone()).unwrap_or_default();
            let grids: Vec<&String> = tree.reach.get(place).map(|g| g.iter().collect()).unwrap_or_default();
            let last_on_topic = |t: &str| -> Option<String> {
                grids.iter().filter_map(|g| topic_reach.get(&((*g).clone(), t.to_string()))).max().cloned()
            };
            let suggestion =
                suggest(&u.name, &topics, &groups, &rows, profile.elderly_alone, &since, &last_on_topic, &name);
            Some(PlaceWeek {
                unit_id: place.to_string(),
                unit_name: u.name.clone(),
                unit_kind: u.kind,
                path: path_of(&tree, place),
                count: rows.len() as u32,
                loss_yuan: yuan(loss),
                avg4: before_n as f64 / 4.0,
                topic_ids: topics.into_iter().map(|(t, _)| t).collect(),
                groups,
                suggestion,
            })
        })
        .collect();
    places.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.loss_yuan.partial_cmp(&a.loss_yuan).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let more_places = places.len().saturating_sub(PLACES_MAX) as u32;
    places.truncate(PLACES_MAX);
    let count = week_rows.len() as u32;
    let avg4 = before.len() as f64 / 4.0;
    Ok(Review {
        unit_id: unit_id.to_string(),
        unit_name: tree.units[unit_id].name.clone(),
        week: week_of(from),
        from: from.to_string(),
        to: to.to_string(),
        count,
        loss_yuan: yuan(week_rows.iter().map(|r| r.loss).sum()),
        stopped_yuan: yuan(week_rows.iter().map(|r| r.stopped).sum()),
        avg4,
        change_pct: change_pct(count as f64, avg4),
        by_type,
        groups: groups_of(week_rows.iter().copied()),
        by_age: by_age.into_iter().collect(),
        by_occupation: by_occupation.into_iter().collect(),
        places,
        more_places,
    })
}

/// The review's rule for one place: elderly victims where elderly live alone → a visit round
/// to them; a fraud type nobody talked about here in 90 days → a talk on it; otherwise the
/// talk was given and cases still came → a tailored push in the grid's WeChat group.
#[allow(clippy::too_many_arguments)]
fn suggest(
    place: &str,
    topics: &[(String, u32)],
    groups: &[GroupCount],
    rows: &[&Row],
    elderly_alone: u64,
    since: &str,
    last_on_topic: &dyn Fn(&str) -> Option<String>,
    name: &dyn Fn(&str) -> String,
) -> Suggestion {
    let (top, n) = topics.first().cloned().unwrap_or_default();
    let top_name = name(&top);
    let elderly = rows.iter().filter(|r| audience_of(r.age, r.occupation) == Audience::Elderly).count();
    let audience = groups.first().map(|g| g.audience).unwrap_or(Audience::Public);
    let uncovered: Vec<&(String, u32)> =
        topics.iter().filter(|(t, _)| last_on_topic(t).is_none_or(|d| d.as_str() < since)).collect();
    let topic_ids: Vec<String> = topics.iter().take(3).map(|(t, _)| t.clone()).collect();
    if elderly > 0 && elderly_alone > 0 {
        return Suggestion {
            action: ActionKind::Visits,
            session_kind: SessionKind::DoorToDoor,
            topic_ids,
            audiences: vec![Audience::Elderly],
            title: format!("{place}独居老人入户反诈提醒（{top_name}）"),
            reason: format!(
                "本周{elderly}名受害人为老年人（{top_name}等）；辖区独居老人{elderly_alone}人，建议上门逐户提醒"
            ),
            reason_en: format!(
                "{} this week {} elderly ({top_name} and others); {elderly_alone} elderly live alone here: visit them door to door",
                en_count(elderly as u64, "victim", "victims"),
                if elderly == 1 { "was" } else { "were" }
            ),
        };
    }
    if let Some((t, k)) = uncovered.first() {
        let tn = name(t);
        let last = last_on_topic(t).map(|d| crate::time::day_text(&d));
        let (when, when_en) = match &last {
            Some(d) => (format!("最近一次为{d}"), format!("last on {d}")),
            None => ("此前未讲过".to_string(), "never before".to_string()),
        };
        return Suggestion {
            action: ActionKind::Talk,
            session_kind: SessionKind::Talk,
            topic_ids: std::iter::once(t.clone()).chain(topic_ids.into_iter().filter(|x| x != t)).collect(),
            audiences: vec![audience],
            title: format!("{place}「{tn}」专题反诈宣讲"),
            reason: format!(
                "本周发生{tn}诈骗{k}起，近90天辖区未开展该专题宣讲（{when}），受害人多为{}",
                audience.label()
            ),
            reason_en: format!(
                "{} this week and no talk on it here in 90 days ({when_en}); most victims: {}",
                en_count(*k as u64, &format!("{tn} case"), &format!("{tn} cases")),
                audience_en(audience)
            ),
        };
    }
    Suggestion {
        action: ActionKind::Push,
        session_kind: SessionKind::OnlinePush,
        topic_ids,
        audiences: vec![audience],
        title: format!("{place}网格群定向预警（{top_name}）"),
        reason: format!("近90天已开展「{top_name}」宣讲，本周仍发案{n}起：建议在网格微信群定向预警"),
        reason_en: format!(
            "{top_name} was covered here in the last 90 days but {} came this week: push a tailored warning to the grid's WeChat group",
            en_count(n as u64, "case", "cases")
        ),
    }
}

/// "1 case", "2 cases": the English reasons count like the window's English does.
fn en_count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn audience_en(a: Audience) -> &'static str {
    match a {
        Audience::Elderly => "the elderly",
        Audience::Students => "students",
        Audience::Parents => "parents",
        Audience::EnterpriseStaff => "company staff",
        Audience::FinanceStaff => "finance staff",
        Audience::Merchants => "shopkeepers",
        Audience::Public => "the public",
    }
}

// ---------- tailored pushes ----------

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PushDraft {
    pub unit_id: String,
    pub unit_name: String,
    pub week: String,
    pub text: String,
    pub topic_ids: Vec<String>,
    pub audiences: Vec<Audience>,
}

/// A short WeChat message for one place's group: the week's fraud types around it (its own, else
/// its station's, else the city's), their tips, and a line for the residents it has most of.
pub fn push_draft(conn: &Connection, unit_id: &str, week: &str) -> Result<PushDraft> {
    let (from, to) = parse_week(week)?;
    let tree = Tree::cached(conn)?;
    unit_exists(&tree, unit_id)?;
    let chain = tree.chain.get(unit_id).cloned().unwrap_or_default();
    // Its own week first; where it had none, the nearest unit above that had some.
    let mut rows = vec![];
    let mut area = unit_id.to_string();
    for a in chain.iter().rev() {
        rows = rows_in(conn, &tree, a, from, to)?;
        area = a.clone();
        if !rows.is_empty() {
            break;
        }
    }
    let names = topic_names(conn)?;
    let mut counts: Vec<(String, u32)> = vec![];
    for r in &rows {
        match counts.iter_mut().find(|(t, _)| *t == r.topic_id) {
            Some(e) => e.1 += 1,
            None => counts.push((r.topic_id.clone(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.truncate(2);
    let topics = crate::topics::list(conn)?;
    let u = &tree.units[unit_id];
    let area_name = &tree.units[&area].name;
    let profile = tree.totals.get(unit_id).map(|t| t.0.clone()).unwrap_or_default();
    let groups = groups_of(rows.iter());
    let mut text = format!("【反诈预警】{}的居民朋友们：", u.name);
    if counts.is_empty() {
        text.push_str("近期电信网络诈骗仍然高发，请提高警惕。");
    } else {
        let list: Vec<String> = counts
            .iter()
            .map(|(t, n)| format!("{}{}起", names.get(t).map(|x| x.0.as_str()).unwrap_or(""), n))
            .collect();
        text.push_str(&format!("本周{area_name}发生{}诈骗案件", list.join("、")));
        if let Some(g) = groups.first() {
            text.push_str(&format!("，受害人多为{}", g.audience.label()));
        }
        text.push('。');
    }
    let mut tips: Vec<String> = vec![];
    for (t, _) in &counts {
        if let Some(tp) = topics.iter().find(|x| x.id == *t) {
            tips.extend(tp.tips.iter().take(2).cloned());
        }
    }
    if tips.is_empty() {
        tips.push("不点陌生链接，不向陌生账户转账".into());
    }
    text.push_str(&format!("提醒您：{}。", tips.join("；")));
    let elderly_share = (profile.age60plus * 100).checked_div(profile.residents).unwrap_or(0);
    if profile.elderly_alone > 0 || elderly_share >= 20 {
        text.push_str("家中有老人的，请转告他们：陌生来电谈钱先挂断，转账前先问子女。");
    } else if profile.students > 0 && profile.students * 100 / profile.residents.max(1) >= 15 {
        text.push_str("家有学生的，请提醒孩子：不刷单、不出借银行卡和手机卡。");
    }
    text.push_str("如遇可疑情况，请拨打96110咨询或110报警。");
    let audiences = match groups.first() {
        Some(g) => vec![g.audience],
        None => vec![Audience::Public],
    };
    Ok(PushDraft {
        unit_id: unit_id.to_string(),
        unit_name: u.name.clone(),
        week: week_of(from),
        text,
        topic_ids: counts.into_iter().map(|(t, _)| t).collect(),
        audiences,
    })
}

// ---------- precision gaps ----------

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct TopicGap {
    pub grid_id: String,
    pub grid_name: String,
    pub path: String,
    pub topic_id: String,
    pub topic_name: String,
    pub incidents: u32,
    pub loss_yuan: f64,
    pub last_incident: String,
    /// The last held session on the topic that reached the grid, before the 90 days.
    pub last_session: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct GridPoint {
    pub grid_id: String,
    pub grid_name: String,
    pub path: String,
    pub residents: u32,
    pub incidents: u32,
    /// Incidents per 10,000 residents in the 90 days.
    pub rate: f64,
    pub rate_before: f64,
    pub coverage_pct: f64,
    pub coverage_before_pct: f64,
    /// High incidents and low coverage: at or above the median rate of the grids hit, at or
    /// below the median coverage of all grids shown.
    pub exposed: bool,
    /// Incidents rose while coverage fell.
    pub rising: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Gaps {
    pub unit_id: String,
    pub from: String,
    pub to: String,
    /// The most incidents first, at most `TOPIC_GAPS_MAX`; the rest counted.
    pub topic_gaps: Vec<TopicGap>,
    pub more_topic_gaps: u32,
    /// The three whole months the chart's rates and coverage are over.
    pub months_from: String,
    pub months_to: String,
    /// Grids with residents under the unit, for the chart (every one has a profile).
    pub points: Vec<GridPoint>,
    /// The chart's quadrant lines.
    pub rate_line: f64,
    pub coverage_line: f64,
}

pub const GAP_DAYS: i64 = 90;
pub const TOPIC_GAPS_MAX: usize = 500;

/// The three calendar months ending with `day`'s.
fn months_window(day: NaiveDate) -> Period {
    let first = day.with_day(1).unwrap_or(day);
    let from = first.checked_sub_months(chrono::Months::new(2)).unwrap_or(first);
    let to = first.checked_add_months(chrono::Months::new(1)).map(|d| d - Duration::days(1)).unwrap_or(day);
    Period { from, to }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

pub fn gaps(conn: &Connection, unit_id: &str, as_of: NaiveDate) -> Result<Gaps> {
    let tree = Tree::cached(conn)?;
    unit_exists(&tree, unit_id)?;
    let from = as_of - Duration::days(GAP_DAYS - 1);
    // Rates and coverage over whole months (the roll-up's cache answers those; days at a
    // period's edge come from the raw rows and cost seconds at city scale): the three months
    // ending with `as_of`'s, against the three before. One read of the cases covers them and
    // the 90 days.
    let months = months_window(as_of);
    let months_before = months_window(months.from - Duration::days(1));
    let all = rows_in(conn, &tree, unit_id, months_before.from.min(from), months.to)?;
    let within = |p: Period| {
        let (a, b) = (p.from.to_string(), p.to.to_string());
        all.iter().filter(move |r| r.filed_on >= a && r.filed_on <= b)
    };
    let recent: Vec<&Row> = within(Period { from, to: as_of }).collect();
    let names = topic_names(conn)?;
    let until = format!("{}T24:00", as_of);
    let since = format!("{}T00:00", from);
    let topic_reach = coverage::last_reached_by_topic(conn, &until)?;
    let grid = |id: &str| tree.units.get(id).filter(|u| u.kind == UnitKind::Grid && !u.archived);
    let mut per: BTreeMap<(String, String), (u32, i64, String)> = BTreeMap::new();
    for r in recent.iter().filter(|r| grid(&r.unit_id).is_some()) {
        let e = per.entry((r.unit_id.clone(), r.topic_id.clone())).or_default();
        e.0 += 1;
        e.1 += r.loss;
        if r.filed_on > e.2 {
            e.2 = r.filed_on.clone();
        }
    }
    let mut topic_gaps: Vec<TopicGap> = per
        .into_iter()
        .filter_map(|((g, t), (n, loss, last))| {
            let session = topic_reach.get(&(g.clone(), t.clone()));
            if session.is_some_and(|s| *s >= since) {
                return None;
            }
            let u = grid(&g)?;
            Some(TopicGap {
                grid_id: g.clone(),
                grid_name: u.name.clone(),
                path: path_of(&tree, &g),
                topic_name: names.get(&t).map(|x| x.0.clone()).unwrap_or_default(),
                topic_id: t,
                incidents: n,
                loss_yuan: yuan(loss),
                last_incident: last,
                last_session: session.map(|s| crate::time::day_text(s)),
            })
        })
        .collect();
    topic_gaps.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then(b.loss_yuan.partial_cmp(&a.loss_yuan).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.grid_name.cmp(&b.grid_name))
    });
    let count = |p: Period| {
        let mut m: HashMap<&str, u32> = HashMap::new();
        for r in within(p) {
            *m.entry(r.unit_id.as_str()).or_default() += 1;
        }
        m
    };
    let (n_now, n_before) = (count(months), count(months_before));
    let cov_now = coverage::grid_coverage(conn, unit_id, months)?;
    let cov_before = coverage::grid_coverage(conn, unit_id, months_before)?;
    let per10k = |n: u32, residents: u64| {
        if residents == 0 {
            0.0
        } else {
            (n as f64 * 100_000.0 / residents as f64).round() / 10.0
        }
    };
    let mut points: Vec<GridPoint> = cov_now
        .iter()
        .filter_map(|(g, &coverage_pct)| {
            let residents = tree.totals.get(g).map(|t| t.0.residents).unwrap_or(0);
            if residents == 0 {
                return None;
            }
            let incidents = n_now.get(g.as_str()).copied().unwrap_or(0);
            let rate = per10k(incidents, residents);
            let rate_before = per10k(n_before.get(g.as_str()).copied().unwrap_or(0), residents);
            let coverage_before_pct = cov_before.get(g).copied().unwrap_or(0.0);
            Some(GridPoint {
                path: path_of(&tree, g),
                grid_id: g.clone(),
                grid_name: tree.units[g].name.clone(),
                residents: residents as u32,
                incidents,
                rate,
                rate_before,
                coverage_pct,
                coverage_before_pct,
                exposed: false,
                rising: rate > rate_before && coverage_pct < coverage_before_pct,
            })
        })
        .collect();
    points.sort_by(|a, b| {
        (&tree.units[&a.grid_id].code, &a.path, &a.grid_name).cmp(&(
            &tree.units[&b.grid_id].code,
            &b.path,
            &b.grid_name,
        ))
    });
    let rate_line = median(points.iter().filter(|p| p.incidents > 0).map(|p| p.rate).collect());
    let coverage_line = median(points.iter().map(|p| p.coverage_pct).collect());
    for p in &mut points {
        // At or below: where most grids had no talk of their own, the median coverage is 0 and
        // those grids are exactly the exposed ones.
        p.exposed = p.incidents > 0 && p.rate >= rate_line && p.coverage_pct <= coverage_line;
    }
    let more_topic_gaps = topic_gaps.len().saturating_sub(TOPIC_GAPS_MAX) as u32;
    topic_gaps.truncate(TOPIC_GAPS_MAX);
    Ok(Gaps {
        unit_id: unit_id.to_string(),
        from: from.to_string(),
        to: as_of.to_string(),
        topic_gaps,
        more_topic_gaps,
        months_from: months.from.to_string(),
        months_to: months.to.to_string(),
        points,
        rate_line,
        coverage_line,
    })
}

// ---------- the list ----------

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Incident {
    pub id: String,
    pub case_no: Option<String>,
    pub filed_on: String,
    pub label: String,
    pub topic_id: String,
    pub topic_name: String,
    pub loss_yuan: f64,
    pub stopped_yuan: f64,
    pub age_group: AgeGroup,
    pub occupation: Occupation,
    pub unit_id: String,
    pub unit_name: String,
    pub warned_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct IncidentPage {
    pub rows: Vec<Incident>,
    pub total: u32,
}

pub const PAGE_MAX: u32 = 500;

/// A page of the incidents filed in `[from, to]` under a unit, newest first.
pub fn list(conn: &Connection, unit_id: &str, from: &str, to: &str, limit: u32, offset: u32) -> Result<IncidentPage> {
    let tree = Tree::cached(conn)?;
    unit_exists(&tree, unit_id)?;
    let ids: Vec<&String> = tree.chain.iter().filter(|(_, c)| c.iter().any(|a| a == unit_id)).map(|(k, _)| k).collect();
    let scope = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    let filter = "i.filed_on >= ?1 AND i.filed_on <= ?2 AND i.unit_id IN (SELECT value FROM json_each(?3))";
    let total: u32 = conn
        .prepare_cached(&format!("SELECT count(*) FROM incidents i WHERE {filter}"))?
        .query_row(params![from, to, scope], |r| r.get(0))?;
    let mut st = conn.prepare_cached(&format!(
        "SELECT i.id, i.case_no, i.filed_on, i.label, i.topic_id, t.name, i.loss_fen, i.stopped_fen, i.age_group,
                i.occupation, i.unit_id, u.name, i.warned_on
         FROM incidents i JOIN topics t ON t.id = i.topic_id JOIN units u ON u.id = i.unit_id
         WHERE {filter} ORDER BY i.filed_on DESC, i.id LIMIT ?4 OFFSET ?5"
    ))?;
    let rows = st
        .query_map(params![from, to, scope, limit.clamp(1, PAGE_MAX), offset], |r| {
            Ok(Incident {
                id: r.get(0)?,
                case_no: r.get(1)?,
                filed_on: r.get(2)?,
                label: r.get(3)?,
                topic_id: r.get(4)?,
                topic_name: r.get(5)?,
                loss_yuan: yuan(r.get(6)?),
                stopped_yuan: yuan(r.get(7)?),
                age_group: AgeGroup::parse(&r.get::<_, String>(8)?).unwrap_or(AgeGroup::Unknown),
                occupation: Occupation::parse(&r.get::<_, String>(9)?).unwrap_or(Occupation::Unknown),
                unit_id: r.get(10)?,
                unit_name: r.get(11)?,
                warned_on: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(IncidentPage { rows, total })
}

/// Every incident as the template's columns (the phone and ID columns stay empty: neither is
/// kept): exported, it imports back unchanged.
pub fn export_rows(conn: &Connection) -> Result<Vec<Vec<crate::sheets::Cell>>> {
    use crate::sheets::Cell;
    let tree = Tree::cached(conn)?;
    let of_kind = |id: &str, kind: UnitKind| -> String {
        tree.chain
            .get(id)
            .and_then(|c| c.iter().rev().find(|a| tree.units.get(*a).is_some_and(|u| u.kind == kind)))
            .map(|a| tree.units[a].name.clone())
            .unwrap_or_default()
    };
    let mut st = conn.prepare(
        "SELECT case_no, filed_on, label, loss_fen, stopped_fen, age_group, occupation, unit_id FROM incidents
         ORDER BY filed_on, id",
    )?;
    let mut rows = st.query([])?;
    let mut out = vec![];
    while let Some(r) = rows.next()? {
        let unit: String = r.get(7)?;
        let money = |fen: i64| Cell::Number(yuan(fen));
        out.push(vec![
            Cell::opt(r.get::<_, Option<String>>(0)?),
            Cell::text(r.get::<_, String>(1)?),
            Cell::text(r.get::<_, String>(2)?),
            money(r.get(3)?),
            money(r.get(4)?),
            Cell::text(AgeGroup::parse(&r.get::<_, String>(5)?).map(|a| a.label()).unwrap_or("")),
            Cell::text(Occupation::parse(&r.get::<_, String>(6)?).map(|a| a.label()).unwrap_or("")),
            Cell::text(of_kind(&unit, UnitKind::Station)),
            Cell::text(of_kind(&unit, UnitKind::Community)),
            Cell::text(of_kind(&unit, UnitKind::Grid)),
            Cell::text(&unit),
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    Ok(out)
}
