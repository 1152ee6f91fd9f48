//! Reports (C11): the figures of `coverage` for a unit and period, arranged the way a
//! report to superiors reads — a summary paragraph written from the figures, tables by
//! child unit — and written as JSON or Excel here (PDF in `outreach-print`). All three
//! carry the same numbers: they are made from one `ReportData`.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use ts_rs::TS;

use crate::coverage::{self, Coverage, Figures, Level, MonthPoint, Period, TargetProgress};
use crate::error::{Error, Result};
use crate::incidents::{self, IncidentFigures};
use crate::sessions::SessionKind;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct ReportData {
    pub title: String,
    pub period_text: String,
    pub issuer: String,
    pub date_text: String,
    /// The summary paragraph as the report prints it (Chinese).
    pub summary: String,
    /// The same paragraph for the English window (the report itself is Chinese).
    pub summary_en: String,
    pub total: Figures,
    pub parts: Vec<Figures>,
    pub last_year: Figures,
    pub months: Vec<MonthPoint>,
    pub targets: Vec<TargetProgress>,
    /// Grids with the lowest coverage in the period (not reached first).
    pub least_covered: Vec<Figures>,
    /// The outcome: fraud cases and losses against the same period last year (empty when the
    /// case system's file was never imported). Its fields keep their snake_case names.
    pub incidents: IncidentFigures,
}

fn date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// What a period is, as a report names it: a whole year, a month, a quarter, or just dates.
enum Span {
    Year(i32),
    Month(NaiveDate),
    Quarter(i32, u32),
    Dates(NaiveDate, NaiveDate),
}

fn span(p: Period) -> Span {
    let month_end = |d: NaiveDate| (d + chrono::Duration::days(1)).day() == 1;
    if p.from.day() == 1 && month_end(p.to) && p.from.year() == p.to.year() {
        let (m1, m2) = (p.from.month(), p.to.month());
        if m1 == 1 && m2 == 12 {
            return Span::Year(p.from.year());
        }
        if m1 == m2 {
            return Span::Month(p.from);
        }
        if m2 == m1 + 2 && (m1 - 1) % 3 == 0 {
            return Span::Quarter(p.from.year(), (m1 - 1) / 3 + 1);
        }
    }
    Span::Dates(p.from, p.to)
}

/// "2026年第四季度", "2026年11月", "2026年度", or the dates.
pub fn period_name(p: Period) -> String {
    match span(p) {
        Span::Year(y) => format!("{y}年度"),
        Span::Month(d) => format!("{}年{}月", d.year(), d.month()),
        Span::Quarter(y, q) => format!("{y}年第{}季度", ["一", "二", "三", "四"][(q - 1) as usize]),
        Span::Dates(from, to) => format!("{}至{}", date_cn(from), date_cn(to)),
    }
}

/// Numbers the way the seeds write them: "150余场", "4.8万人次".
pub fn approx(n: u64, unit: &str) -> String {
    if n >= 10_000 {
        let wan = (n as f64 / 1000.0).floor() / 10.0;
        return format!("{}万{unit}", decimal(wan));
    }
    if n >= 100 {
        let step = if n >= 1000 { 100 } else { 10 };
        let floor = n / step * step;
        return if floor == n { format!("{n}{unit}") } else { format!("{floor}余{unit}") };
    }
    format!("{n}{unit}")
}

// How a figure is written (in `util`, below `coverage`, which writes a target's values too).
pub use crate::util::{decimal, pct_text};

/// The change from last year's `b` to this year's `a` in per cent, to one decimal; none when
/// last year had nothing to compare with.
fn change_pct(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| ((a as f64 - b as f64) / b as f64 * 1000.0).round() / 10.0)
}

fn summary(f: &Figures, period: &str, last: &Figures) -> String {
    let mut parts = vec![format!(
        "{period}，{}共开展反诈宣传活动{}，覆盖群众{}，覆盖率{}%",
        f.unit_name,
        approx(f.sessions_held, "场"),
        approx(f.person_times, "人次"),
        pct_text(f.coverage_pct)
    )];
    let kinds: Vec<String> =
        f.by_kind.iter().filter(|k| k.count > 0).map(|k| format!("{}{}场", k.kind.label(), k.count)).collect();
    if !kinds.is_empty() {
        parts.push(format!("其中{}", kinds.join("、")));
    }
    if f.households_visited > 0 {
        parts.push(format!("入户走访{}", approx(f.households_visited, "户次")));
    }
    if f.grids > 0 {
        parts.push(format!("覆盖网格{}个（共{}个）", f.grids_reached, f.grids));
    }
    if f.active_speakers > 0 {
        parts.push(format!("{}名宣讲员累计服务{}小时", f.active_speakers, decimal(f.speaker_hours)));
    }
    if f.flyers > 0 {
        parts.push(format!("发放宣传资料{}", approx(f.flyers + f.letters, "份")));
    }
    let mut text = parts.join("，") + "。";
    // the on-time rate only where something fell due: "按时率0%" would read as failure
    match (f.warned_residents > 0, f.followups_on_time_pct) {
        (_, Some(on_time)) => text.push_str(&format!(
            "预警劝阻{}人，其中成功止付{}人；应回访{}人次，按时回访{}人次，按时率{}%。",
            f.warned_residents,
            f.money_stopped,
            f.followups_due,
            f.followups_on_time,
            pct_text(on_time)
        )),
        (true, None) => text.push_str(&format!(
            "预警劝阻{}人，其中成功止付{}人；本期无到期回访。",
            f.warned_residents, f.money_stopped
        )),
        (false, None) => {}
    }
    if last.sessions_held > 0 || last.person_times > 0 {
        let change = |a: u64, b: u64| match change_pct(a, b) {
            None => "持平".to_string(),
            Some(d) if d >= 0.0 => format!("增长{}%", decimal(d)),
            Some(d) => format!("下降{}%", decimal(-d)),
        };
        text.push_str(&format!(
            "与去年同期相比，开展场次{}，覆盖人次{}。",
            change(f.sessions_held, last.sessions_held),
            change(f.person_times, last.person_times)
        ));
    }
    text
}

/// "Q4 2026", "November 2026", "2026", or the dates.
pub fn period_name_en(p: Period) -> String {
    match span(p) {
        Span::Year(y) => y.to_string(),
        Span::Month(d) => d.format("%B %Y").to_string(),
        Span::Quarter(y, q) => format!("Q{q} {y}"),
        Span::Dates(from, to) => format!("{from} to {to}"),
    }
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// As `approx`, in English: "150+", "48,000+".
fn approx_en(n: u64) -> String {
    let step = match n {
        0..=99 => 1,
        100..=999 => 10,
        1000..=9999 => 100,
        _ => 1000,
    };
    let floor = n / step * step;
    if floor == n {
        thousands(n)
    } else {
        format!("{}+", thousands(floor))
    }
}

fn kind_en(k: SessionKind) -> &'static str {
    match k {
        SessionKind::Talk => "talks",
        SessionKind::BenchTalk => "bench talks",
        SessionKind::DoorToDoor => "door-to-door rounds",
        SessionKind::Booth => "street booths",
        SessionKind::Performance => "performances",
        SessionKind::Training => "trainings",
        SessionKind::OnlinePush => "online pushes",
    }
}

/// The summary paragraph in English: the same facts, in the same order, as `summary`.
fn summary_en(f: &Figures, period: &str, last: &Figures) -> String {
    let mut text = format!(
        "In {period}, {} held {} anti-fraud outreach sessions, reaching {} person-times (coverage {}%)",
        f.unit_name,
        approx_en(f.sessions_held),
        approx_en(f.person_times),
        pct_text(f.coverage_pct)
    );
    let kinds: Vec<String> =
        f.by_kind.iter().filter(|k| k.count > 0).map(|k| format!("{} {}", k.count, kind_en(k.kind))).collect();
    if !kinds.is_empty() {
        text.push_str(&format!(": {}", kinds.join(", ")));
    }
    text.push('.');
    let mut more = vec![];
    if f.households_visited > 0 {
        more.push(format!("{} household visits were made", approx_en(f.households_visited)));
    }
    if f.grids > 0 {
        more.push(format!("{} of {} grids were reached", f.grids_reached, f.grids));
    }
    if f.active_speakers > 0 {
        more.push(format!("{} speakers served {} hours", f.active_speakers, decimal(f.speaker_hours)));
    }
    if f.flyers > 0 {
        more.push(format!("{} leaflets and letters were handed out", approx_en(f.flyers + f.letters)));
    }
    if !more.is_empty() {
        let mut s = more.join("; ");
        s[..1].make_ascii_uppercase();
        text.push_str(&format!(" {s}."));
    }
    match (f.warned_residents > 0, f.followups_on_time_pct) {
        (_, Some(on_time)) => text.push_str(&format!(
            " {} warned residents were dissuaded, {} of them stopped a payment; {} follow-up visits were due, {} made on time ({}%).",
            f.warned_residents,
            f.money_stopped,
            f.followups_due,
            f.followups_on_time,
            pct_text(on_time)
        )),
        (true, None) => text.push_str(&format!(
            " {} warned residents were dissuaded, {} of them stopped a payment; no follow-up visit fell due.",
            f.warned_residents, f.money_stopped
        )),
        (false, None) => {}
    }
    if last.sessions_held > 0 || last.person_times > 0 {
        let change = |a: u64, b: u64| match change_pct(a, b) {
            None => "unchanged".to_string(),
            Some(d) if d >= 0.0 => format!("up {}%", decimal(d)),
            Some(d) => format!("down {}%", decimal(-d)),
        };
        text.push_str(&format!(
            " Against the same period last year, sessions are {} and person-times {}.",
            change(f.sessions_held, last.sessions_held),
            change(f.person_times, last.person_times)
        ));
    }
    text
}

pub fn build(conn: &Connection, unit_id: &str, p: Period, as_of: NaiveDate) -> Result<ReportData> {
    let snapshot = coverage::Snapshot::take(conn, p, as_of)?;
    let Coverage { total, parts } = snapshot.coverage(unit_id, Level::Children)?;
    let least = coverage::least_covered(snapshot.coverage(unit_id, Level::Grids)?.parts, 10);
    let last_year = coverage::figures(conn, unit_id, p.last_year(), as_of)?;
    let months = coverage::monthly(conn, unit_id, p)?;
    let targets = coverage::progress(conn, unit_id, p, as_of)?;
    let settings = crate::settings::get(conn)?;
    let issuer = settings
        .operator_unit_id
        .as_deref()
        .and_then(|u| crate::units::get(conn, u).ok())
        .map(|u| u.name)
        .unwrap_or_else(|| total.unit_name.clone());
    let period_text = period_name(p);
    let incidents = incidents::figures(conn, unit_id, p)?;
    // The outreach first, then what it is for: the cases against last year.
    let mut summary = summary(&total, &period_text, &last_year);
    summary.push_str(&incidents::summary_zh(&incidents, &total.unit_name));
    let mut summary_en = summary_en(&total, &period_name_en(p), &last_year);
    let outcome_en = incidents::summary_en(&incidents, &total.unit_name);
    if !outcome_en.is_empty() {
        summary_en.push(' ');
        summary_en.push_str(&outcome_en);
    }
    Ok(ReportData {
        title: format!("{}反诈宣传工作报告", total.unit_name),
        summary,
        summary_en,
        period_text,
        issuer,
        date_text: date_cn(as_of),
        total,
        parts,
        last_year,
        months,
        targets,
        least_covered: least,
        incidents,
    })
}

/// The table of the report by child unit: header and rows, numbers as numbers. The PDF, the
/// Excel sheet and the dashboard's table all use it.
pub fn parts_table(d: &ReportData) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let header = vec![
        "单位",
        "开展场次",
        "覆盖人次",
        "常住人口",
        "覆盖率(%)",
        "走访户次",
        "覆盖网格",
        "网格数",
        "宣讲员",
        "服务时长",
        "按时回访率(%)",
    ];
    let row = |f: &Figures| {
        vec![
            Cell::Text(f.unit_name.clone()),
            Cell::Int(f.sessions_held),
            Cell::Int(f.person_times),
            Cell::Int(f.residents),
            Cell::Pct(Some(f.coverage_pct)),
            Cell::Int(f.households_visited),
            Cell::Int(f.grids_reached),
            Cell::Int(f.grids),
            Cell::Int(f.active_speakers),
            Cell::Num(f.speaker_hours),
            Cell::Pct(f.followups_on_time_pct),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = d.parts.iter().map(row).collect();
    let mut total = row(&d.total);
    total[0] = Cell::Text("合计".into());
    rows.push(total);
    (header, rows)
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(u64),
    Num(f64),
    /// A percentage; None when there was nothing to count ("—"; an empty cell in Excel).
    Pct(Option<f64>),
    /// A value of a target's metric (per cent or count, `Metric::format`).
    Metric(crate::coverage::Metric, f64),
    /// Money in yuan, written with thousands separators ("461,412").
    Yuan(f64),
    /// A change on last year in per cent, signed ("-36.9", "+12.5"); None when last year had
    /// nothing to compare with ("—").
    Change(Option<f64>),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => decimal(*x),
            Cell::Pct(Some(x)) => pct_text(*x),
            Cell::Pct(None) => "—".into(),
            Cell::Metric(m, x) => m.format(*x),
            Cell::Yuan(y) => incidents::money_text(*y),
            Cell::Change(Some(x)) if *x > 0.0 => format!("+{}", pct_text(*x)),
            Cell::Change(Some(x)) => pct_text(*x),
            Cell::Change(None) => "—".into(),
        }
    }
}

/// Reach by audience: the person-times each group made up (as recorded with each session,
/// e.g. 老年人 50 / 普通群众 35), its share of all, and against the resident group of that
/// kind where the grid profiles count one. The same rows for the PDF, the workbook and the
/// window (which reads `total.audiences`).
pub fn audiences_table(d: &ReportData) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let header = vec!["人群", "覆盖人次", "占总人次(%)", "该人群常住人数", "人群覆盖率(%)"];
    let f = &d.total;
    let share = |n: u64| (f.person_times > 0).then(|| n as f64 * 100.0 / f.person_times as f64);
    let mut rows: Vec<Vec<Cell>> = f
        .audiences
        .iter()
        .filter(|a| a.reached > 0 || a.group.is_some_and(|g| g > 0))
        .map(|a| {
            vec![
                Cell::Text(a.audience.label().to_string()),
                Cell::Int(a.reached),
                Cell::Pct(share(a.reached)),
                a.group.map_or(Cell::Text("—".into()), Cell::Int),
                Cell::Pct(a.group.filter(|g| *g > 0).map(|g| a.reached as f64 * 100.0 / g as f64)),
            ]
        })
        .collect();
    let split: u64 = f.audiences.iter().map(|a| a.reached).sum();
    rows.push(vec![
        Cell::Text("合计".into()),
        Cell::Int(split),
        Cell::Pct(share(split)),
        Cell::Text("—".into()),
        Cell::Pct(None),
    ]);
    (header, rows)
}

/// The outcome by child unit: cases filed and losses against the same period last year, with
/// a 合计 row. The PDF's 发案情况, the workbook's sheet of that name and the window's table.
pub fn incidents_table(d: &ReportData) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let header = vec!["单位", "立案数", "去年同期", "同比(%)", "损失金额（元）", "去年同期损失", "同比(%)"];
    let row = |name: &str, n: u64, n_last: u64, loss: f64, loss_last: f64| {
        vec![
            Cell::Text(name.to_string()),
            Cell::Int(n),
            Cell::Int(n_last),
            Cell::Change(incidents::change_pct(n as f64, n_last as f64)),
            Cell::Yuan(loss),
            Cell::Yuan(loss_last),
            Cell::Change(incidents::change_pct(loss, loss_last)),
        ]
    };
    let f = &d.incidents;
    let mut rows: Vec<Vec<Cell>> = f
        .by_unit
        .iter()
        .map(|u| row(&u.unit_name, u.count, u.count_last_year, u.loss_yuan, u.loss_last_year_yuan))
        .collect();
    rows.push(row("合计", f.count, f.count_last_year, f.loss_yuan, f.loss_last_year_yuan));
    (header, rows)
}

/// The outcome by fraud type (the topic each case system's label maps onto), most cases first.
pub fn incident_types_table(d: &ReportData) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let header = vec!["类型", "立案数", "去年同期", "损失金额（元）"];
    let rows = d
        .incidents
        .by_type
        .iter()
        .map(|t| {
            vec![Cell::Text(t.name.clone()), Cell::Int(t.count), Cell::Int(t.count_last_year), Cell::Yuan(t.loss_yuan)]
        })
        .collect();
    (header, rows)
}

pub fn kinds_table(d: &ReportData) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut header = vec!["单位".to_string()];
    header.extend(SessionKind::ALL.iter().map(|k| k.label().to_string()));
    let row = |f: &Figures, name: String| {
        let mut r = vec![Cell::Text(name)];
        r.extend(f.by_kind.iter().map(|k| Cell::Int(k.count)));
        r
    };
    let mut rows: Vec<Vec<Cell>> = d.parts.iter().map(|f| row(f, f.unit_name.clone())).collect();
    rows.push(row(&d.total, "合计".into()));
    (header, rows)
}

pub fn write_json(d: &ReportData, path: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(d).map_err(|e| Error::Internal(e.to_string()))?;
    std::fs::write(path, text).map_err(|e| Error::io(path.display().to_string(), e))
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("xlsx: {e}"))
}

/// The same tables, one sheet each, numbers as numbers.
pub fn write_xlsx(d: &ReportData, path: &Path) -> Result<()> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    // A table from row `top`: its title, a blank row, the header, the rows; returns the row
    // after the last.
    let table_at = |ws: &mut rust_xlsxwriter::Worksheet,
                    top: u32,
                    title: &str,
                    header: &[String],
                    rows: &[Vec<Cell>]|
     -> Result<u32> {
        ws.write_string_with_format(top, 0, title, &bold).map_err(xerr)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(top + 2, c as u16, h, &bold).map_err(xerr)?;
            ws.set_column_width(c as u16, if c == 0 { 22 } else { 12 }).map_err(xerr)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (rr, cc) = (top + r as u32 + 3, c as u16);
                match cell {
                    Cell::Text(s) => ws.write_string(rr, cc, crate::sheets::escape(s)).map(|_| ()),
                    Cell::Int(n) => ws.write_number(rr, cc, *n as f64).map(|_| ()),
                    Cell::Num(x) | Cell::Pct(Some(x)) | Cell::Metric(_, x) | Cell::Yuan(x) | Cell::Change(Some(x)) => {
                        ws.write_number(rr, cc, *x).map(|_| ())
                    }
                    Cell::Pct(None) | Cell::Change(None) => Ok(()),
                }
                .map_err(xerr)?;
            }
        }
        Ok(top + rows.len() as u32 + 3)
    };
    let write_table = |ws: &mut rust_xlsxwriter::Worksheet, title: &str, header: &[String], rows: &[Vec<Cell>]| {
        table_at(ws, 0, title, header, rows).map(|_| ())
    };
    {
        let ws = wb.add_worksheet().set_name("概况").map_err(xerr)?;
        ws.write_string_with_format(0, 0, format!("{}（{}）", d.title, d.period_text), &bold).map_err(xerr)?;
        ws.write_string(1, 0, format!("{} · {}", d.issuer, d.date_text)).map_err(xerr)?;
        ws.write_string(3, 0, &d.summary).map_err(xerr)?;
        ws.set_column_width(0, 24).map_err(xerr)?;
        let f = &d.total;
        let lines: Vec<(&str, Option<f64>)> = vec![
            ("开展场次", Some(f.sessions_held as f64)),
            ("计划中场次", Some(f.sessions_planned as f64)),
            ("取消场次", Some(f.sessions_cancelled as f64)),
            ("覆盖人次", Some(f.person_times as f64)),
            ("常住人口", Some(f.residents as f64)),
            ("覆盖率(%)", Some(f.coverage_pct)),
            ("走访户次", Some(f.households_visited as f64)),
            ("户数", Some(f.households as f64)),
            ("户均走访(次)", Some(f.visits_per_household)),
            ("覆盖网格", Some(f.grids_reached as f64)),
            ("网格数", Some(f.grids as f64)),
            ("宣讲员", Some(f.active_speakers as f64)),
            ("服务时长(小时)", Some(f.speaker_hours)),
            ("宣传彩页", Some(f.flyers as f64)),
            ("海报", Some(f.posters as f64)),
            ("横幅", Some(f.banners as f64)),
            ("礼品", Some(f.gifts as f64)),
            ("告知书", Some(f.letters as f64)),
            ("预警劝阻人数", Some(f.warned_residents as f64)),
            ("成功止付", Some(f.money_stopped as f64)),
            ("应回访", Some(f.followups_due as f64)),
            ("按时回访", Some(f.followups_on_time as f64)),
            ("逾期未回访", Some(f.followups_overdue as f64)),
            // nothing due: an empty cell, not 0
            ("按时回访率(%)", f.followups_on_time_pct),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            ws.write_string(5 + i as u32, 0, *k).map_err(xerr)?;
            if let Some(v) = v {
                ws.write_number(5 + i as u32, 1, *v).map_err(xerr)?;
            }
        }
    }
    let (h, rows) = parts_table(d);
    let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
    write_table(wb.add_worksheet().set_name("分单位").map_err(xerr)?, "各单位宣传开展情况", &h, &rows)?;
    let (h, rows) = kinds_table(d);
    write_table(wb.add_worksheet().set_name("活动类型").map_err(xerr)?, "各单位活动类型", &h, &rows)?;
    let (h, rows) = audiences_table(d);
    let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
    write_table(wb.add_worksheet().set_name("分人群").map_err(xerr)?, "分人群覆盖情况", &h, &rows)?;
    if !d.incidents.is_empty() {
        let ws = wb.add_worksheet().set_name("发案情况").map_err(xerr)?;
        let (h, rows) = incidents_table(d);
        let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
        let next = table_at(ws, 0, "各单位发案情况", &h, &rows)?;
        // The types under the units, on the same sheet: one outcome, read together.
        let (h, rows) = incident_types_table(d);
        let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
        table_at(ws, next + 1, "分类型发案情况", &h, &rows)?;
    }
    let months: Vec<Vec<Cell>> = d
        .months
        .iter()
        .map(|m| vec![Cell::Text(m.month.clone()), Cell::Int(m.sessions_held), Cell::Int(m.person_times)])
        .collect();
    write_table(
        wb.add_worksheet().set_name("按月").map_err(xerr)?,
        "按月开展情况",
        &["月份".into(), "开展场次".into(), "覆盖人次".into()],
        &months,
    )?;
    let least: Vec<Vec<Cell>> = d
        .least_covered
        .iter()
        .map(|g| {
            vec![
                Cell::Text(g.unit_name.clone()),
                Cell::Int(g.residents),
                Cell::Int(g.person_times),
                Cell::Pct(Some(g.coverage_pct)),
            ]
        })
        .collect();
    write_table(
        wb.add_worksheet().set_name("覆盖最低网格").map_err(xerr)?,
        "覆盖率最低的网格",
        &["网格".into(), "常住人口".into(), "覆盖人次".into(), "覆盖率(%)".into()],
        &least,
    )?;
    if !d.targets.is_empty() {
        let rows: Vec<Vec<Cell>> = d
            .targets
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.label.clone()),
                    Cell::Metric(t.target.metric, t.target.value),
                    Cell::Metric(t.target.metric, t.actual),
                    Cell::Pct(Some(t.pct)),
                ]
            })
            .collect();
        write_table(
            wb.add_worksheet().set_name("目标").map_err(xerr)?,
            "目标完成情况",
            &["指标".into(), "目标".into(), "完成".into(), "完成率(%)".into()],
            &rows,
        )?;
    }
    wb.save(path).map_err(|e| Error::Internal(format!("xlsx: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(from: &str, to: &str) -> Period {
        Period::parse(from, to).unwrap()
    }

    #[test]
    fn periods_are_named_in_both_languages() {
        assert_eq!(period_name(p("2026-10-01", "2026-12-31")), "2026年第四季度");
        assert_eq!(period_name_en(p("2026-10-01", "2026-12-31")), "Q4 2026");
        assert_eq!(period_name_en(p("2026-11-01", "2026-11-30")), "November 2026");
        assert_eq!(period_name_en(p("2026-01-01", "2026-12-31")), "2026");
        assert_eq!(period_name_en(p("2026-03-05", "2026-04-02")), "2026-03-05 to 2026-04-02");
    }

    #[test]
    fn english_numbers_round_down_like_the_chinese_ones() {
        assert_eq!(approx_en(13), "13");
        assert_eq!(approx_en(1834), "1,800+");
        assert_eq!(approx_en(1800), "1,800");
        assert_eq!(approx_en(48_321), "48,000+");
        assert_eq!(approx(1834, "人次"), "1800余人次");
    }
}
