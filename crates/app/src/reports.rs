//! Coverage figures and the work report: a captain sees the figures of their own units only
//! (another unit's figures, least-covered grids and held sessions are refused).

use outreach_core::audit::Note;
use std::path::Path;

use chrono::NaiveDate;
use outreach_core::coverage::{self, Coverage, HeldSession, Level, Period};
use outreach_core::reports::{self, ReportData};
use outreach_core::{units, Action, Result, Store};

fn check(store: &Store, unit_id: &str) -> Result<()> {
    store.authorize(Action::ReportsView)?;
    units::get(store.conn(), unit_id)?;
    store.require_unit(unit_id)
}

pub fn build(store: &Store, unit_id: &str, period: Period, today: NaiveDate) -> Result<ReportData> {
    check(store, unit_id)?;
    reports::build(store.conn(), unit_id, period, today)
}

pub fn coverage(store: &Store, unit_id: &str, period: Period, today: NaiveDate, level: Level) -> Result<Coverage> {
    check(store, unit_id)?;
    coverage::coverage(store.conn(), unit_id, period, today, level)
}

pub fn held_sessions(store: &Store, unit_id: &str, period: Period) -> Result<Vec<HeldSession>> {
    check(store, unit_id)?;
    coverage::held_sessions(store.conn(), unit_id, period)
}

/// The file name a save dialog suggests: 「<unit>反诈宣传工作报告（<period>）.<ext>」.
/// The report's own text stays Chinese (it is an official document); in an English window
/// only the suggested name is English.
pub fn file_name(store: &Store, unit_id: &str, period: Period, ext: &str, english: bool) -> Result<String> {
    check(store, unit_id)?;
    let unit = units::get(store.conn(), unit_id)?.name;
    Ok(if english {
        format!("{unit} outreach report {}_{}.{ext}", period.from, period.to)
    } else {
        format!("{unit}反诈宣传工作报告（{}）.{ext}", reports::period_name(period))
    })
}

/// Writes the report to `path` (PDF, Excel or JSON by its extension) and audits it by file name.
pub fn save(store: &mut Store, unit_id: &str, period: Period, today: NaiveDate, path: &Path) -> Result<ReportData> {
    let data = build(store, unit_id, period, today)?;
    let dir = store.data_dir();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let note = Note::new("report.saved")
        .with("title", &data.title)
        .with("period", &data.period_text)
        .with("unit", &data.total.unit_name)
        .with("from", period.from)
        .with("to", period.to);
    let entry = ("report".to_string(), crate::file_name_of(path), note);
    crate::save_audited(
        store,
        path,
        |store, tmp| crate::print::documents::write_report(store.conn(), dir.as_deref(), &data, &ext, tmp),
        |()| entry,
    )?;
    Ok(data)
}
