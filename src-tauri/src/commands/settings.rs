use outreach_core::access::Action;
use outreach_core::audit::{self, AuditEntry, Verification};
use outreach_core::backup::{self, BackupInfo};
use outreach_core::demo::{self, DemoSummary};
use outreach_core::error::Code;
use outreach_core::settings::{self, Settings};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct AppInfo {
    version: String,
    data_dir: String,
    db_path: String,
    is_empty: bool,
    settings: Settings,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let data_dir = state.data_dir.display().to_string();
    let db_path = state.db_path.display().to_string();
    with_store(&state, move |s| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir,
            db_path,
            is_empty: s.is_empty()?,
            settings: settings::get(s.conn())?,
        })
    })
    .await
}

#[tauri::command]
pub async fn settings_save(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    let saved = with_store(&state, move |s| outreach_app::settings::save(s, &settings)).await?;
    let locale = saved.locale.clone();
    super::files::update_prefs(&state.data_dir, |p| p.locale = Some(locale));
    Ok(saved)
}

#[tauri::command]
pub async fn demo_load(state: State<'_, AppState>) -> CmdResult<DemoSummary> {
    super::with_action(&state, Action::DemoLoad, demo::load).await
}

#[tauri::command]
pub async fn backups_list(state: State<'_, AppState>) -> CmdResult<Vec<BackupInfo>> {
    with_store(&state, |s| backup::list(s)).await
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupInfo> {
    super::with_action(&state, Action::BackupCreate, |s| {
        let b = backup::create(s, "manual")?;
        s.audit("backup", &b.file_name, outreach_core::audit::Note::new("backup.manual"))?;
        Ok(b)
    })
    .await
}

#[tauri::command]
pub async fn backup_restore(state: State<'_, AppState>, file_name: String) -> CmdResult<()> {
    // Only names from the backups list: the UI never hands the shell a path.
    if file_name.contains(['/', '\\']) {
        return Err(outreach_core::Error::invalid(Code::BackupNotFound, &[("fileName", &file_name)]).into());
    }
    with_store(&state, move |s| backup::restore(s, &file_name).map(|_| ())).await
}

#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, limit: u32, offset: u32) -> CmdResult<Vec<AuditEntry>> {
    super::with_action(&state, Action::AuditList, move |s| audit::list(s.conn(), limit, offset)).await
}

/// Walks the hash chain of the audit log; a broken link is a result to show, not an error.
#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> CmdResult<Verification> {
    super::with_action(&state, Action::AuditVerify, move |s| audit::verify(s.conn())).await
}

/// Called by the UI once the first screen shows its data: the maintenance an unlock asked for
/// runs now (state.rs). With OUTREACH_TIMING set, the
/// shell prints how long that took from process start (the cold-start measurement); with
/// OUTREACH_TIMING=exit it then quits (scripts/coldstart.sh starts it again and again).
#[tauri::command]
pub async fn app_ready(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    state.first_screen_shown();
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if crate::timing::enabled() {
            eprintln!("outreach-desk: first screen after {} ms", crate::timing::ms());
            if crate::timing::exit_when_ready() {
                app.exit(0);
            }
        }
    });
    Ok(())
}
