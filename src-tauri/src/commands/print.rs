//! Printing: documents rendered in Rust (outreach-print), previewed in the window as PDF
//! bytes, saved behind the native dialog, every print audited. Batches report progress and
//! can be cancelled.

use outreach_core::access::Action;
use std::sync::atomic::Ordering;

use base64::Engine;
use outreach_app::print::documents;
use outreach_app::print::{self, PrintRequest};
use outreach_core::settings::{self, PrintSettings};
use outreach_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use ts_rs::TS;

use super::files::{pick_save_file, DocKind};
use super::transfer::pick_open_file;
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Rendered {
    pub pdf_base64: String,
    pub pages: usize,
    pub bytes: usize,
    pub title: String,
    pub file_name: String,
}

#[derive(Clone, Serialize)]
struct Progress {
    done: usize,
    total: usize,
}

/// Tells the window of each page of a batch; the Cancel button stops it.
/// The window as the print use case's host: each page is an event; 取消 sets the flag.
fn host<'a>(
    app: &'a AppHandle,
    cancel: &'a std::sync::atomic::AtomicBool,
) -> outreach_app::Progress<impl FnMut(usize, usize) -> bool + 'a> {
    outreach_app::Progress(move |done, total| {
        let _ = app.emit("print-progress", Progress { done, total });
        !cancel.load(Ordering::Relaxed)
    })
}

/// Renders the document for the preview: the PDF's bytes, which the view draws page by page.
#[tauri::command]
pub async fn print_preview(app: AppHandle, state: State<'_, AppState>, request: PrintRequest) -> CmdResult<Rendered> {
    let cancel = state.print_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    with_store(&state, move |s| {
        let r = print::render(s, &request, None, &mut host(&app, &cancel))?;
        Ok(Rendered {
            pages: r.pages,
            bytes: r.bytes.len(),
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&r.bytes),
            title: r.title,
            file_name: r.file_name,
        })
    })
    .await
}

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Saved {
    pub file_name: String,
    /// Where it went, in full (said once, with 打开文件 / 打开所在文件夹).
    pub path: String,
    pub pages: usize,
}

/// Renders and saves the document where the user chooses, with an audit entry. `None` when
/// the dialog was closed.
#[tauri::command]
pub async fn print_save(
    app: AppHandle,
    state: State<'_, AppState>,
    request: PrintRequest,
    file_name: String,
) -> CmdResult<Option<Saved>> {
    let Some(path) = pick_save_file(&app, &state, DocKind::Print, file_name, "pdf").await else { return Ok(None) };
    let cancel = state.print_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    with_store(&state, move |s| {
        let r = print::save(s, &request, None, &mut host(&app, &cancel), &path)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        Ok(Some(Saved { file_name, path: path.display().to_string(), pages: r.pages }))
    })
    .await
}

/// Asks a running batch to stop after the current page.
#[tauri::command]
pub async fn print_cancel(state: State<'_, AppState>) -> CmdResult<()> {
    state.print_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command]
pub async fn print_settings(state: State<'_, AppState>) -> CmdResult<PrintSettings> {
    with_store(&state, move |s| settings::get_print(s.conn(), s.data_dir().as_deref())).await
}

#[tauri::command]
pub async fn print_settings_save(state: State<'_, AppState>, settings: PrintSettings) -> CmdResult<PrintSettings> {
    with_store(&state, move |s| outreach_app::settings::save_print(s, &settings)).await
}

/// Asks for the organiser's logo; checked as an image before it is kept.
#[tauri::command]
pub async fn print_pick_logo(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<PrintSettings>> {
    super::authorized(&state, Action::LogoChange).await?;
    let Some(path) =
        pick_open_file(&app, "选择单位标志", ("图片 (png, jpg, webp)", &["png", "jpg", "jpeg", "webp"])).await
    else {
        return Ok(None);
    };
    let dir = state.data_dir.clone();
    with_store(&state, move |s| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let bytes = std::fs::read(&path).map_err(|e| Error::io(name.clone(), e))?;
        outreach_print::check_image(&bytes).map_err(documents::to_error)?;
        settings::save_logo(&dir, &bytes, &name)?;
        settings::get_print(s.conn(), Some(&dir)).map(Some)
    })
    .await
}

#[tauri::command]
pub async fn print_remove_logo(state: State<'_, AppState>) -> CmdResult<PrintSettings> {
    let dir = state.data_dir.clone();
    super::with_action(&state, Action::LogoRemove, move |s| {
        settings::remove_logo(&dir)?;
        settings::get_print(s.conn(), Some(&dir))
    })
    .await
}
