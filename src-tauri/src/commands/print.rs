//! Printing: documents rendered in Rust (outreach-print), previewed in the window as PDF
//! bytes, saved behind the native dialog, every print audited. Batches report progress and
//! can be cancelled.

use outreach_core::access::Action;
use std::sync::atomic::Ordering;

use base64::Engine;
use outreach_core::settings::{self, PrintSettings};
use outreach_core::{photos, Error, Store};
use outreach_print::documents;
use outreach_print::Paper;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, State};

use super::transfer::{pick_open_file, pick_save_file};
use super::with_store;
use crate::error::CmdResult;
use crate::state::AppState;

/// What to print. Mirrors the Print view's document choices.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrintRequest {
    #[serde(rename_all = "camelCase")]
    Flyer { session_id: String, paper: Paper, photo_id: Option<String> },
    #[serde(rename_all = "camelCase")]
    GridFlyers { unit_id: String },
    #[serde(rename_all = "camelCase")]
    Signin { session_id: String, phone_column: bool },
    #[serde(rename_all = "camelCase")]
    Letters { venue_ids: Vec<String> },
    #[serde(rename_all = "camelCase")]
    Certificate { person_id: String, from: String, to: String },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
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

fn render(
    store: &Store,
    app: &AppHandle,
    state_cancel: &std::sync::atomic::AtomicBool,
    req: &PrintRequest,
) -> outreach_core::Result<(Vec<u8>, String, String)> {
    let conn = store.conn();
    let dir = store.data_dir();
    let today = chrono::Local::now().date_naive();
    let pe = documents::to_error;
    let mut progress = |done: usize, total: usize| {
        let _ = app.emit("print-progress", Progress { done, total });
        !state_cancel.load(Ordering::Relaxed)
    };
    let stamp = today.format("%Y%m%d");
    Ok(match req {
        PrintRequest::Flyer { session_id, paper, photo_id } => {
            let photo = match (photo_id, &dir) {
                (Some(id), Some(d)) => Some(photos::original(conn, &photos::dir(&d.join("outreach.db")), id)?),
                _ => None,
            };
            let f = documents::session_flyer(conn, dir.as_deref(), session_id, *paper, photo)?;
            let name = format!("宣传单-{}.pdf", f.title);
            (outreach_print::flyer(&f).map_err(pe)?, f.title, name)
        }
        PrintRequest::GridFlyers { unit_id } => {
            let items = documents::unit_grid_flyers(conn, dir.as_deref(), unit_id)?;
            let unit = outreach_core::units::get(conn, unit_id)?.name;
            let title = format!("{unit} 网格宣传单（{} 个网格）", items.len());
            (
                outreach_print::grid_flyers(&items, &mut progress).map_err(pe)?,
                title,
                format!("网格宣传单-{unit}-{stamp}.pdf"),
            )
        }
        PrintRequest::Signin { session_id, phone_column } => {
            let s = documents::session_signin(conn, session_id, *phone_column)?;
            let name = format!("{}.pdf", s.title);
            (outreach_print::signin(&s).map_err(pe)?, s.title, name)
        }
        PrintRequest::Letters { venue_ids } => {
            let items = documents::enterprise_letters(conn, venue_ids, today)?;
            let title = format!("反电信网络诈骗告知书（{} 家企业）", items.len());
            (outreach_print::letters(&items, &mut progress).map_err(pe)?, title, format!("告知书-{stamp}.pdf"))
        }
        PrintRequest::Certificate { person_id, from, to } => {
            let c = documents::service_certificate(conn, person_id, from, to, today)?;
            let title = format!("志愿服务证明-{}", c.person);
            (outreach_print::certificate(&c).map_err(pe)?, title.clone(), format!("{title}.pdf"))
        }
    })
}

/// Renders the document for the preview: the PDF's bytes, which the view draws page by page.
#[tauri::command]
pub async fn print_preview(app: AppHandle, state: State<'_, AppState>, request: PrintRequest) -> CmdResult<Rendered> {
    let cancel = state.print_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    with_store(&state, move |s| {
        let (bytes, title, file_name) = render(s, &app, &cancel, &request)?;
        Ok(Rendered {
            pages: outreach_print::page_count(&bytes),
            bytes: bytes.len(),
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
            title,
            file_name,
        })
    })
    .await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub file_name: String,
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
    let Some(path) = pick_save_file(&app, file_name, ("PDF 文档", "pdf")).await else { return Ok(None) };
    let cancel = state.print_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    with_store(&state, move |s| {
        let (bytes, title, _) = render(s, &app, &cancel, &request)?;
        outreach_core::util::write_atomic(&path, &bytes)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let pages = outreach_print::page_count(&bytes);
        s.audit("print", &file_name, &format!("{title}（{pages} 页）"))?;
        Ok(Some(Saved { file_name, pages }))
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
    super::with_action(&state, Action::PrintSettings, move |s| {
        let dir = s.data_dir();
        s.write(|tx| settings::save_print(tx, &settings, dir.as_deref()))
    })
    .await
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
