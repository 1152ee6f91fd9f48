//! Coverage and reports: the dashboard's figures, drill-down lists, targets, and report
//! files (PDF, Excel, JSON) behind the save dialog — all from `outreach_core::coverage`.

use outreach_app::{reports, today};
use outreach_core::coverage::{self, Coverage, HeldSession, Level, MonthPoint, Period, Target, TargetProgress};
use outreach_core::error::Code;
use outreach_core::incidents::IncidentFigures;
use outreach_core::Error;
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use super::files::{pick_save_file, DocKind};
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Dashboard {
    pub coverage: Coverage,
    pub last_year: coverage::Figures,
    pub months: Vec<MonthPoint>,
    pub targets: Vec<TargetProgress>,
    pub least_covered: Vec<coverage::Figures>,
    /// The outcome beside the work: cases and losses against last year (snake_case inside).
    pub incidents: IncidentFigures,
    /// The report's summary paragraph, in Chinese and in English (the window shows its own).
    pub summary: String,
    pub summary_en: String,
}

/// Everything the dashboard shows for a unit and period, in one round trip: the report's
/// own data, so the dashboard and the report cannot disagree.
#[tauri::command]
pub async fn coverage_dashboard(
    state: State<'_, AppState>,
    unit_id: String,
    from: String,
    to: String,
) -> CmdResult<Dashboard> {
    with_store(&state, move |s| {
        let d = reports::build(s, &unit_id, Period::parse(&from, &to)?, today())?;
        Ok(Dashboard {
            coverage: Coverage { total: d.total, parts: d.parts },
            last_year: d.last_year,
            months: d.months,
            targets: d.targets,
            least_covered: d.least_covered,
            incidents: d.incidents,
            summary: d.summary,
            summary_en: d.summary_en,
        })
    })
    .await
}

#[tauri::command]
pub async fn coverage_get(
    state: State<'_, AppState>,
    unit_id: String,
    from: String,
    to: String,
    level: Level,
) -> CmdResult<Coverage> {
    with_store(&state, move |s| reports::coverage(s, &unit_id, Period::parse(&from, &to)?, today(), level)).await
}

/// The held sessions behind a unit's figures.
#[tauri::command]
pub async fn coverage_sessions(
    state: State<'_, AppState>,
    unit_id: String,
    from: String,
    to: String,
) -> CmdResult<Vec<HeldSession>> {
    with_store(&state, move |s| reports::held_sessions(s, &unit_id, Period::parse(&from, &to)?)).await
}

#[tauri::command]
pub async fn targets_save(state: State<'_, AppState>, target: Target) -> CmdResult<Target> {
    with_store(&state, move |s| outreach_app::units::save_target(s, &target)).await
}

#[tauri::command]
pub async fn targets_delete(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    with_store(&state, move |s| outreach_app::units::delete_target(s, &id)).await
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SavedReport {
    pub file_name: String,
    /// Where it went, in full.
    pub path: String,
}

/// Writes the report as "pdf", "xlsx" or "json" where the user chooses; audited.
#[tauri::command]
pub async fn report_save(
    app: AppHandle,
    state: State<'_, AppState>,
    unit_id: String,
    from: String,
    to: String,
    format: String,
) -> CmdResult<Option<SavedReport>> {
    let ext = match format.as_str() {
        "pdf" => "pdf",
        "xlsx" => "xlsx",
        "json" => "json",
        other => return Err(Error::invalid(Code::ReportFormat, &[("value", other)]).into()),
    };
    let english = super::files::english(&state);
    let suggested = with_store(&state, {
        let (u, f, t) = (unit_id.clone(), from.clone(), to.clone());
        move |s| reports::file_name(s, &u, Period::parse(&f, &t)?, ext, english)
    })
    .await?;
    let Some(path) = pick_save_file(&app, &state, DocKind::Report, suggested, ext).await else {
        return Ok(None);
    };
    with_store(&state, move |s| {
        reports::save(s, &unit_id, Period::parse(&from, &to)?, today(), &path)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        Ok(Some(SavedReport { file_name, path: path.display().to_string() }))
    })
    .await
}
