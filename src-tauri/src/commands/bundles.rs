//! Hand-over bundles: export behind a save dialog; import as pick → preview → commit, so
//! the coordinator sees added / updated / conflicts before anything changes.

use outreach_core::bundles::{self, Conflict, ExportSummary, ImportSummary, Scope, Take};
use outreach_core::Error;
use serde::Serialize;
use tauri::{AppHandle, State};

use super::transfer::{pick_open_file, pick_save_file};
use super::with_store;
use crate::error::{AppError, CmdResult};
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub file_name: String,
    pub summary: ExportSummary,
}

#[tauri::command]
pub async fn bundles_export(app: AppHandle, state: State<'_, AppState>, scope: Scope, since: Option<String>) -> CmdResult<Option<Exported>> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M");
    let name = match scope {
        Scope::All => format!("交接包-{stamp}.outreach"),
        Scope::Reference => format!("基础数据-{stamp}.outreach"),
    };
    let Some(path) = pick_save_file(&app, name, ("反诈宣防交接包", "outreach")).await else { return Ok(None) };
    with_store(&state, move |s| {
        let (bytes, summary) = bundles::export_store(s, scope, since.as_deref())?;
        outreach_core::util::write_atomic(&path, &bytes)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        Ok(Some(Exported { file_name, summary }))
    })
    .await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundlePreview {
    pub token: String,
    pub file_name: String,
    pub summary: ImportSummary,
}

#[tauri::command]
pub async fn bundles_pick(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<BundlePreview>> {
    let Some(path) = pick_open_file(&app, "选择交接包", ("反诈宣防交接包", &["outreach"])).await else { return Ok(None) };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let (summary, bytes) = with_store(&state, move |s| {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
        let summary = bundles::import(s, &bytes, true)?;
        Ok((summary, bytes))
    })
    .await?;
    let token = outreach_core::util::new_id();
    let mut pending = state.bundles.lock().map_err(|_| AppError::from(Error::Internal("bundles lock".into())))?;
    pending.clear();
    pending.insert(token.clone(), bytes);
    Ok(Some(BundlePreview { token, file_name, summary }))
}

#[tauri::command]
pub async fn bundles_commit(state: State<'_, AppState>, token: String) -> CmdResult<ImportSummary> {
    let bytes = state
        .bundles
        .lock()
        .map_err(|_| AppError::from(Error::Internal("bundles lock".into())))?
        .remove(&token)
        .ok_or_else(|| AppError::from(Error::invalid("bundle.expired", &[])))?;
    with_store(&state, move |s| bundles::import(s, &bytes, false)).await
}

#[tauri::command]
pub async fn bundles_cancel(state: State<'_, AppState>, token: String) -> CmdResult<()> {
    if let Ok(mut p) = state.bundles.lock() {
        p.remove(&token);
    }
    Ok(())
}

#[tauri::command]
pub async fn bundles_conflicts(state: State<'_, AppState>, include_resolved: bool) -> CmdResult<Vec<Conflict>> {
    with_store(&state, move |s| bundles::conflicts(s.conn(), include_resolved)).await
}

#[tauri::command]
pub async fn bundles_resolve(state: State<'_, AppState>, id: String, take: Take) -> CmdResult<()> {
    with_store(&state, move |s| {
        s.write(|tx| bundles::resolve(tx, &id, take))?;
        let which = if take == Take::Incoming { "采用交接包版本" } else { "保留本机版本" };
        s.audit("bundle.resolve", &format!("conflict/{id}"), which)
    })
    .await
}
