//! Import and export of units, people and venues as spreadsheets.
//!
//! Import runs every row through the same `save` the forms use, each row inside a
//! savepoint, all in one transaction: the preview rolls that transaction back, the commit
//! keeps it. So a preview sees exactly what a commit would do, later rows can refer to
//! units added by earlier rows, and a refused import changes nothing.

use crate::error::Code;
use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{issue, Error, Issue, Issues, Result};
use crate::people::{PersonInput, PersonRole};
use crate::sheets::{self, Cell, Sheet};
use crate::teams::{TeamInput, TeamKind};
use crate::units::{GridProfile, Saved, UnitInput, UnitKind};
use crate::util::{parse_count, split_list};
use crate::venues::{VenueInput, VenueKind};
use crate::{db::Store, people, teams, topics, units, venues};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum TableKind {
    Units,
    People,
    Venues,
    /// Export only: sessions are planned in the app, not imported from spreadsheets.
    Sessions,
    /// The case system's fraud cases (`incidents`): no names, phones only compared on import.
    Incidents,
}

impl TableKind {
    /// Whether the table's export has a phone column (masked unless full numbers are asked for).
    pub fn has_phones(self) -> bool {
        matches!(self, TableKind::People | TableKind::Venues)
    }

    pub fn parse(s: &str) -> Option<TableKind> {
        match s {
            "units" => Some(TableKind::Units),
            "people" => Some(TableKind::People),
            "venues" => Some(TableKind::Venues),
            "sessions" => Some(TableKind::Sessions),
            "incidents" => Some(TableKind::Incidents),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Units => "units",
            TableKind::People => "people",
            TableKind::Venues => "venues",
            TableKind::Sessions => "sessions",
            TableKind::Incidents => "incidents",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TableKind::Units => "单位与网格",
            TableKind::People => "人员",
            TableKind::Venues => "场所",
            TableKind::Sessions => "活动",
            TableKind::Incidents => "发案数据",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn parse(s: &str) -> Option<FileFormat> {
        match s {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct RowProblem {
    /// Spreadsheet row number; the header is row 1.
    pub row: u32,
    pub issues: Vec<Issue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ImportPreview {
    pub token: String,
    pub file_name: String,
    pub kind: TableKind,
    pub total_rows: u32,
    pub valid_rows: u32,
    pub to_add: u32,
    pub to_update: u32,
    pub unchanged: u32,
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ImportOutcome {
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub skipped: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

// ---------- columns ----------

/// Column headers of each table, in file order. The first is always the record id.
pub fn headers(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Units => &[
            "编号",
            "上级编号",
            "上级单位",
            "名称",
            "类型",
            "代码",
            "户数",
            "常住人口",
            "18岁以下",
            "18至59岁",
            "60岁以上",
            "在校学生",
            "独居老人",
            "企业财务人员",
            "备注",
        ],
        TableKind::People => &[
            "编号",
            "姓名",
            "身份",
            "电话",
            "所属单位编号",
            "所属单位",
            "队伍",
            "可讲主题",
            "在岗",
            "加入日期",
            "备注",
        ],
        TableKind::Venues => &[
            "编号",
            "名称",
            "类型",
            "所属单位编号",
            "所属单位",
            "地址",
            "联系人",
            "联系电话",
            "法治副校长编号",
            "法治副校长",
            "职工人数",
            "告知书签订日期",
            "备注",
        ],
        TableKind::Sessions => &[
            "编号",
            "标题",
            "类型",
            "状态",
            "开始时间",
            "结束时间",
            "场所编号",
            "场所",
            "单位编号",
            "单位",
            "对象",
            "宣讲主题",
            "人员",
            "预计人数",
            "实到人数",
            "推送渠道",
            "推送条数",
            "系列编号",
            "取消原因",
            "备注",
        ],
        TableKind::Incidents => crate::incidents::HEADERS,
    }
}

fn required(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Units => &["名称", "类型"],
        TableKind::People => &["姓名"],
        TableKind::Venues => &["名称", "类型"],
        TableKind::Sessions => &["标题", "类型", "开始时间", "结束时间"],
        TableKind::Incidents => crate::incidents::REQUIRED,
    }
}

/// Other headers people write in their own rosters for the same column.
fn alias(h: &str) -> &str {
    match h {
        "ID" | "id" | "Id" | "序号编码" => "编号",
        "单位名称" | "网格名称" => "名称",
        "单位类型" | "层级" => "类型",
        "常住人数" | "人口" => "常住人口",
        "学生" => "在校学生",
        "财务人员" => "企业财务人员",
        "名字" => "姓名",
        "角色" | "人员类别" => "身份",
        "手机" | "手机号" | "手机号码" | "联系方式" => "电话",
        "单位" => "所属单位",
        "团队" | "所属队伍" => "队伍",
        "宣讲主题" | "主题" => "可讲主题",
        "状态" | "是否在岗" => "在岗",
        "入队日期" => "加入日期",
        "场所名称" => "名称",
        "场所类型" => "类型",
        "联系人电话" => "联系电话",
        "员工人数" | "规模" => "职工人数",
        other => other,
    }
}

struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    fn new(kind: TableKind, sheet_headers: &[String]) -> Result<Columns> {
        let mut index = HashMap::new();
        for (i, h) in sheet_headers.iter().enumerate() {
            let h = h.trim();
            let h = if kind == TableKind::Incidents { crate::incidents::alias(h).unwrap_or(h) } else { alias(h) };
            // People files carry one phone column; venue files call theirs 联系电话.
            let h = if kind == TableKind::People && h == "联系电话" { "电话" } else { h };
            if let Some(known) = headers(kind).iter().find(|k| **k == h) {
                index.entry(*known).or_insert(i);
            }
        }
        let missing: Vec<&str> = required(kind).iter().copied().filter(|r| !index.contains_key(r)).collect();
        if !missing.is_empty() {
            return Err(Error::invalid(Code::ImportHeader, &[("missing", &missing.join("、"))]));
        }
        Ok(Columns { index })
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.index.get(name).and_then(|&i| row.get(i)).map(|s| s.as_str()).unwrap_or("")
    }

    fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }
}

// ---------- export ----------

fn num(n: u32) -> Cell {
    Cell::Number(n as f64)
}

pub fn rows(conn: &Connection, kind: TableKind, mask_phones: bool) -> Result<Vec<Vec<Cell>>> {
    let phone = |digits: &str| if mask_phones { crate::phone::mask(digits) } else { digits.to_string() };
    Ok(match kind {
        TableKind::Units => {
            let all = units::list(conn, false)?;
            let names: HashMap<&str, &str> = all.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
            all.iter()
                .map(|u| {
                    let parent_name = u.parent_id.as_deref().and_then(|p| names.get(p)).copied().unwrap_or("");
                    let mut r = vec![
                        Cell::text(&u.id),
                        Cell::opt(u.parent_id.clone()),
                        Cell::text(parent_name),
                        Cell::text(&u.name),
                        Cell::text(u.kind.label()),
                        Cell::text(&u.code),
                    ];
                    match &u.profile {
                        Some(p) => r.extend([
                            num(p.households),
                            num(p.residents),
                            num(p.under18),
                            num(p.age18to59),
                            num(p.age60plus),
                            num(p.students),
                            num(p.elderly_alone),
                            num(p.finance_staff),
                            Cell::text(&p.notes),
                        ]),
                        None => r.extend(std::iter::repeat_n(Cell::Empty, 9)),
                    }
                    r
                })
                .collect()
        }
        TableKind::People => {
            let team_names: HashMap<String, String> = teams::list(conn)?.into_iter().map(|t| (t.id, t.name)).collect();
            let topic_names: HashMap<String, String> =
                topics::list(conn)?.into_iter().map(|t| (t.id, t.name)).collect();
            people::list_with_phones(conn, false)?
                .iter()
                .map(|(p, digits)| {
                    vec![
                        Cell::text(&p.id),
                        Cell::text(&p.name),
                        Cell::text(p.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")),
                        Cell::text(phone(digits)),
                        Cell::opt(p.unit_id.clone()),
                        Cell::text(&p.unit_name),
                        Cell::text(
                            p.team_ids.iter().filter_map(|t| team_names.get(t)).cloned().collect::<Vec<_>>().join("、"),
                        ),
                        Cell::text(
                            p.topic_ids
                                .iter()
                                .filter_map(|t| topic_names.get(t))
                                .cloned()
                                .collect::<Vec<_>>()
                                .join("、"),
                        ),
                        Cell::text(if p.active { "是" } else { "否" }),
                        Cell::opt(p.joined_on.clone()),
                        Cell::text(&p.notes),
                    ]
                })
                .collect()
        }
        TableKind::Venues => venues::list_with_phones(conn, false)?
            .iter()
            .map(|(v, digits)| {
                vec![
                    Cell::text(&v.id),
                    Cell::text(&v.name),
                    Cell::text(v.kind.label()),
                    Cell::opt(v.unit_id.clone()),
                    Cell::text(&v.unit_name),
                    Cell::text(&v.address),
                    Cell::text(&v.contact_name),
                    Cell::text(phone(digits)),
                    Cell::opt(v.vice_principal_id.clone()),
                    Cell::text(&v.vice_principal_name),
                    v.staff_count.map(num).unwrap_or(Cell::Empty),
                    Cell::opt(v.letter_signed_on.clone()),
                    Cell::text(&v.notes),
                ]
            })
            .collect(),
        TableKind::Sessions => {
            let topic_names: HashMap<String, String> =
                topics::list(conn)?.into_iter().map(|t| (t.id, t.name)).collect();
            let headcounts = crate::records::headcounts(conn)?;
            crate::sessions::list(conn, &Default::default())?
                .iter()
                .map(|s| {
                    vec![
                        Cell::text(&s.id),
                        Cell::text(&s.title),
                        Cell::text(s.kind.label()),
                        Cell::text(s.status.label()),
                        Cell::text(s.start.replace('T', " ")),
                        Cell::text(s.end.replace('T', " ")),
                        Cell::opt(s.venue_id.clone()),
                        Cell::text(&s.venue_name),
                        Cell::opt(s.unit_id.clone()),
                        Cell::text(&s.unit_name),
                        Cell::text(s.audiences.iter().map(|a| a.label()).collect::<Vec<_>>().join("、")),
                        Cell::text(
                            s.topic_ids
                                .iter()
                                .filter_map(|t| topic_names.get(t))
                                .cloned()
                                .collect::<Vec<_>>()
                                .join("、"),
                        ),
                        Cell::text(
                            s.people
                                .iter()
                                .map(|p| format!("{}（{}）", p.person_name, p.role.label()))
                                .collect::<Vec<_>>()
                                .join("、"),
                        ),
                        s.expected_audience.map(num).unwrap_or(Cell::Empty),
                        headcounts.get(&s.id).copied().map(num).unwrap_or(Cell::Empty),
                        Cell::text(&s.channel),
                        s.messages.map(num).unwrap_or(Cell::Empty),
                        Cell::opt(s.series_id.clone()),
                        Cell::text(&s.cancel_reason),
                        Cell::text(&s.notes),
                    ]
                })
                .collect()
        }
        TableKind::Incidents => crate::incidents::export_rows(conn)?,
    })
}

/// Writes a table to `path`; returns the number of data rows. The caller audits it.
pub fn export(conn: &Connection, kind: TableKind, format: FileFormat, path: &Path, mask_phones: bool) -> Result<usize> {
    let data = rows(conn, kind, mask_phones)?;
    write(kind, format, path, &data)?;
    Ok(data.len())
}

/// A blank file with the headers, for people to fill in.
pub fn template(kind: TableKind, format: FileFormat, path: &Path) -> Result<()> {
    write(kind, format, path, &[])
}

fn write(kind: TableKind, format: FileFormat, path: &Path, data: &[Vec<Cell>]) -> Result<()> {
    match format {
        FileFormat::Csv => sheets::write_csv(path, headers(kind), data),
        FileFormat::Xlsx => sheets::write_xlsx(path, kind.label(), headers(kind), data),
    }
}

// ---------- import ----------

#[derive(Debug, Default)]
struct RunResult {
    added: u32,
    updated: u32,
    unchanged: u32,
    problems: Vec<RowProblem>,
}

fn resolve_unit(conn: &Connection, id: &str, name: &str) -> Result<Option<String>> {
    if !id.is_empty() {
        return Ok(Some(id.to_string()));
    }
    if name.is_empty() {
        return Ok(None);
    }
    let mut st = conn.prepare_cached("SELECT id FROM units WHERE name = ?1 AND archived_at IS NULL LIMIT 2")?;
    let ids: Vec<String> = st.query_map([name], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    match ids.len() {
        0 => Err(Error::invalid(Code::ImportUnknownUnit, &[("value", name)])),
        1 => Ok(ids.into_iter().next()),
        _ => Err(Error::invalid(Code::ImportAmbiguousUnit, &[("value", name)])),
    }
}

fn resolve_person(conn: &Connection, id: &str, name: &str) -> Result<Option<String>> {
    if !id.is_empty() {
        return Ok(Some(id.to_string()));
    }
    if name.is_empty() {
        return Ok(None);
    }
    let mut st = conn.prepare_cached("SELECT id FROM people WHERE name = ?1 AND archived_at IS NULL LIMIT 2")?;
    let ids: Vec<String> = st.query_map([name], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    match ids.len() {
        0 => Err(Error::invalid(Code::ImportUnknownPerson, &[("value", name)])),
        1 => Ok(ids.into_iter().next()),
        _ => Err(Error::invalid(Code::ImportAmbiguousPerson, &[("value", name)])),
    }
}

fn parse_active(s: &str) -> Result<bool> {
    match s.trim() {
        "" | "是" | "在岗" | "1" | "true" | "TRUE" | "Y" | "y" | "yes" | "活跃" => Ok(true),
        "否" | "离岗" | "0" | "false" | "FALSE" | "N" | "n" | "no" | "停用" => Ok(false),
        other => Err(Error::invalid(Code::ValidationChoice, &[("field", "active"), ("value", other)])),
    }
}

fn import_row(conn: &Connection, kind: TableKind, cols: &Columns, row: &[String], ctx: &ImportCtx) -> Result<Saved> {
    if let Some(state) = &ctx.incidents {
        return crate::incidents::import_row(conn, state, |h| cols.get(row, h));
    }
    let g = |name: &str| cols.get(row, name).trim();
    let mut iss = Issues::default();
    let id = match g("编号") {
        "" => None,
        s => iss.take(crate::util::check_id(s))?,
    };
    match kind {
        TableKind::Units => {
            let kind_cell = g("类型");
            let ukind = UnitKind::parse(kind_cell);
            if ukind.is_none() {
                iss.0.push(if kind_cell.is_empty() {
                    issue(Code::ValidationRequired, &[("field", "kind")])
                } else {
                    issue(Code::ValidationChoice, &[("field", "kind"), ("value", kind_cell)])
                });
            }
            let parent = iss.take(resolve_unit(conn, g("上级编号"), g("上级单位")))?.flatten();
            let mut counts = [0u32; 8];
            let names =
                ["户数", "常住人口", "18岁以下", "18至59岁", "60岁以上", "在校学生", "独居老人", "企业财务人员"];
            let fields = [
                "households",
                "residents",
                "under18",
                "age18to59",
                "age60plus",
                "students",
                "elderlyAlone",
                "financeStaff",
            ];
            for i in 0..8 {
                if let Some(v) = iss.take(parse_count(fields[i], g(names[i])))? {
                    counts[i] = v;
                }
            }
            if !iss.0.is_empty() {
                return Err(Error::Invalid(iss.0));
            }
            let profile = GridProfile {
                households: counts[0],
                residents: counts[1],
                under18: counts[2],
                age18to59: counts[3],
                age60plus: counts[4],
                students: counts[5],
                elderly_alone: counts[6],
                finance_staff: counts[7],
                notes: g("备注").to_string(),
            };
            let kind = ukind.unwrap_or(UnitKind::Grid);
            let input = UnitInput {
                id,
                parent_id: parent,
                name: g("名称").to_string(),
                kind,
                code: g("代码").to_string(),
                profile: (kind == UnitKind::Grid).then_some(profile),
            };
            Ok(units::save_counted(conn, &input)?.1)
        }
        TableKind::People => {
            let mut roles = Vec::new();
            for r in split_list(g("身份")) {
                match PersonRole::parse(&r) {
                    Some(role) => roles.push(role),
                    None => iss.0.push(issue(Code::ValidationChoice, &[("field", "roles"), ("value", &r)])),
                }
            }
            let unit_id = iss.take(resolve_unit(conn, g("所属单位编号"), g("所属单位")))?.flatten();
            let mut topic_ids = Vec::new();
            for t in split_list(g("可讲主题")) {
                match topics::resolve(&ctx.topics, &t) {
                    Some(id) => topic_ids.push(id),
                    None => iss.0.push(issue(Code::ImportUnknownTopic, &[("value", &t)])),
                }
            }
            let active = iss.take(parse_active(g("在岗")))?.unwrap_or(true);
            if !iss.0.is_empty() {
                return Err(Error::Invalid(iss.0));
            }
            let mut team_ids = Vec::new();
            for t in split_list(g("队伍")) {
                // A team first met in a roster is created with it (inside the same transaction).
                let tid = match teams::find_by_name(conn, &t)? {
                    Some(id) => id,
                    None => {
                        teams::save(
                            conn,
                            &TeamInput {
                                id: None,
                                name: t.clone(),
                                kind: TeamKind::guess(&t),
                                unit_id: None,
                                captain_id: None,
                            },
                        )?
                        .id
                    }
                };
                team_ids.push(tid);
            }
            let input = PersonInput {
                id,
                name: g("姓名").to_string(),
                roles,
                phone: if cols.has("电话") { Some(g("电话").to_string()) } else { None },
                unit_id,
                team_ids,
                topic_ids,
                active,
                joined_on: Some(g("加入日期").to_string()),
                notes: g("备注").to_string(),
            };
            Ok(people::save_counted(conn, &input)?.1)
        }
        TableKind::Venues => {
            let kind_cell = g("类型");
            let vkind = VenueKind::parse(kind_cell);
            if vkind.is_none() {
                iss.0.push(if kind_cell.is_empty() {
                    issue(Code::ValidationRequired, &[("field", "kind")])
                } else {
                    issue(Code::ValidationChoice, &[("field", "kind"), ("value", kind_cell)])
                });
            }
            let unit_id = iss.take(resolve_unit(conn, g("所属单位编号"), g("所属单位")))?.flatten();
            let vp = iss.take(resolve_person(conn, g("法治副校长编号"), g("法治副校长")))?.flatten();
            let staff = match g("职工人数") {
                "" => None,
                s => iss.take(parse_count("staffCount", s))?,
            };
            if !iss.0.is_empty() {
                return Err(Error::Invalid(iss.0));
            }
            let input = VenueInput {
                id,
                name: g("名称").to_string(),
                kind: vkind.unwrap_or(VenueKind::Other),
                unit_id,
                address: g("地址").to_string(),
                contact_name: g("联系人").to_string(),
                contact_phone: if cols.has("联系电话") { Some(g("联系电话").to_string()) } else { None },
                vice_principal_id: vp,
                staff_count: staff,
                letter_signed_on: Some(g("告知书签订日期").to_string()),
                notes: g("备注").to_string(),
            };
            Ok(venues::save_counted(conn, &input)?.1)
        }
        TableKind::Sessions | TableKind::Incidents => {
            Err(Error::invalid(Code::NotImplemented, &[("what", "import sessions")]))
        }
    }
}

struct ImportCtx {
    topics: Vec<topics::Topic>,
    incidents: Option<crate::incidents::ImportState>,
}

fn run(conn: &Connection, kind: TableKind, sheet: &Sheet, progress: &mut dyn FnMut(Progress)) -> Result<RunResult> {
    if kind == TableKind::Sessions {
        return Err(Error::invalid(Code::NotImplemented, &[("what", "import sessions")]));
    }
    let cols = Columns::new(kind, &sheet.headers)?;
    let incidents = if kind == TableKind::Incidents { Some(crate::incidents::ImportState::load(conn)?) } else { None };
    let ctx = ImportCtx { topics: topics::list(conn)?, incidents };
    let total = sheet.rows.len() as u32;
    let mut out = RunResult::default();
    let mut seen_ids: HashMap<&str, u32> = HashMap::new();
    for (i, row) in sheet.rows.iter().enumerate() {
        let row_no = i as u32 + 2;
        if i % 500 == 0 {
            progress(Progress { done: i as u32, total });
        }
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = cols.get(row, "编号").trim();
        if !id.is_empty() {
            if let Some(first) = seen_ids.get(id) {
                out.problems.push(RowProblem {
                    row: row_no,
                    issues: vec![issue(Code::ImportDuplicateId, &[("value", id), ("firstRow", &first.to_string())])],
                });
                continue;
            }
            seen_ids.insert(id, row_no);
        }
        conn.execute_batch("SAVEPOINT import_row")?;
        match import_row(conn, kind, &cols, row, &ctx) {
            Ok(saved) => {
                conn.execute_batch("RELEASE import_row")?;
                match saved {
                    Saved::Added => out.added += 1,
                    Saved::Updated => out.updated += 1,
                    Saved::Unchanged => out.unchanged += 1,
                }
            }
            Err(Error::Invalid(issues)) => {
                conn.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
                out.problems.push(RowProblem { row: row_no, issues });
            }
            Err(e) => {
                // After a full disk (and other I/O errors) SQLite has already rolled the
                // whole transaction back and the savepoint is gone: the cause is what counts.
                let _ = conn.execute_batch("ROLLBACK TO import_row; RELEASE import_row");
                return Err(e);
            }
        }
    }
    progress(Progress { done: total, total });
    Ok(out)
}

/// Validates the whole file against the database without changing it.
pub fn preview(
    store: &mut Store,
    kind: TableKind,
    sheet: &Sheet,
    file_name: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportPreview> {
    store.authorize(crate::access::Action::TableImport)?;
    let tx = store.conn_mut().transaction()?;
    let r = run(&tx, kind, sheet, progress)?;
    tx.rollback()?;
    let total = sheet.rows.iter().filter(|row| !row.iter().all(|c| c.trim().is_empty())).count() as u32;
    Ok(ImportPreview {
        token: String::new(),
        file_name: file_name.to_string(),
        kind,
        total_rows: total,
        valid_rows: r.added + r.updated + r.unchanged,
        to_add: r.added,
        to_update: r.updated,
        unchanged: r.unchanged,
        problems: r.problems,
    })
}

/// Imports all rows, or — with `skip_invalid` — only the valid ones. Refused rows make
/// the whole import fail (nothing written) unless skipped. A backup is taken first.
///
/// A full or read-only disk stops it with `disk.full` / `disk.readonly` and the database as
/// it was: when the backup cannot be written nothing else is tried.
pub fn commit(
    store: &mut Store,
    kind: TableKind,
    sheet: &Sheet,
    file_name: &str,
    skip_invalid: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportOutcome> {
    store.authorize(crate::access::Action::TableImport)?;
    store.writable()?;
    if store.path().is_some() {
        crate::backup::create(store, "pre-import")?;
    }
    let operator = store.operator();
    commit_after_backup(store, kind, sheet, file_name, skip_invalid, &operator, progress)
        .map_err(|e| e.with_errno(store.conn()))
}

fn commit_after_backup(
    store: &mut Store,
    kind: TableKind,
    sheet: &Sheet,
    file_name: &str,
    skip_invalid: bool,
    operator: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportOutcome> {
    let actor = store.actor();
    let tx = store.conn_mut().transaction()?;
    let r = run(&tx, kind, sheet, progress)?;
    if !r.problems.is_empty() && !skip_invalid {
        tx.rollback()?;
        return Err(Error::Invalid(problem_issues(&r.problems)));
    }
    let outcome =
        ImportOutcome { added: r.added, updated: r.updated, unchanged: r.unchanged, skipped: r.problems.len() as u32 };
    crate::audit::record(
        &tx,
        operator,
        &actor,
        "import",
        kind.as_str(),
        &crate::audit::Note::new("import.done")
            .with("file", file_name)
            .with("added", outcome.added)
            .with("updated", outcome.updated)
            .with("unchanged", outcome.unchanged)
            .with("skipped", outcome.skipped),
    )?;
    tx.commit()?;
    Ok(outcome)
}

/// One issue per refused row, its message prefixed with the row number, for the CLI.
pub fn problem_issues(problems: &[RowProblem]) -> Vec<Issue> {
    let mut out = Vec::new();
    for p in problems {
        for i in &p.issues {
            let mut params = i.params.clone();
            params.insert("row".into(), p.row.to_string());
            out.push(Issue { code: i.code, params, message: format!("第 {} 行：{}", p.row, i.message) });
        }
    }
    if out.is_empty() {
        out.push(issue(Code::ImportHasProblems, &[("count", "0")]));
    }
    out
}
