//! Import and export behind native dialogs: the web view names a table, Rust asks the user
//! for the file, reads or writes it, and hands back only a summary.

use outreach_core::access::Action;
use outreach_core::error::Code;
use std::path::PathBuf;

use outreach_core::sheets;
use outreach_core::transfer::{self, FileFormat, ImportOutcome, ImportPreview, Progress, TableKind};
use outreach_core::Error;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

use super::files::{pick_save_file, DocKind};
use super::with_store;
use crate::error::{AppError, CmdResult};
use crate::state::{AppState, PendingImport};

/// End-to-end tests cannot click a native dialog; they name the file in these variables,
/// which only the process environment (the person running it) can set.
fn test_open_path() -> Option<PathBuf> {
    std::env::var_os("OUTREACH_TEST_OPEN_FILE").map(PathBuf::from)
}

async fn pick_open(app: &AppHandle) -> Option<PathBuf> {
    pick_open_file(app, "选择要导入的表格", ("表格 (xlsx, csv)", &["xlsx", "xls", "csv"])).await
}

/// The native "open" dialog, run off the main thread.
pub async fn pick_open_file(
    app: &AppHandle,
    title: &'static str,
    filter: (&'static str, &'static [&'static str]),
) -> Option<PathBuf> {
    if let Some(p) = test_open_path() {
        // A folder stands for a dialog in which the test "chooses" the first file of the
        // right kind, so one app run can open a photo and then a bundle.
        if p.is_dir() {
            let mut files: Vec<PathBuf> =
                std::fs::read_dir(&p).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            return files.into_iter().find(|f| {
                f.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| filter.1.iter().any(|x| x.eq_ignore_ascii_case(e)))
            });
        }
        return Some(p);
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter(filter.0, filter.1)
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok())
    })
    .await
    .ok()
    .flatten()
}

async fn pick_save(
    app: &AppHandle,
    state: &AppState,
    kind: TableKind,
    format: FileFormat,
    template: bool,
) -> Option<PathBuf> {
    let name = default_name(kind, format, template, super::files::english(state));
    pick_save_file(app, state, DocKind::Table, name, format.extension()).await
}

#[tauri::command]
pub async fn import_pick(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: TableKind,
) -> CmdResult<Option<ImportPreview>> {
    super::authorized(&state, Action::TableImport).await?;
    let Some(path) = pick_open(&app).await else { return Ok(None) };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let emitter = app.clone();
    let (preview, sheet) = with_store(&state, move |s| {
        let _ = emitter.emit("import-progress", Progress { done: 0, total: 0 });
        let sheet = sheets::read(&path)?;
        let mut progress = |p: Progress| {
            let _ = emitter.emit("import-progress", p);
        };
        let preview = transfer::preview(s, kind, &sheet, &file_name, &mut progress)?;
        Ok((preview, sheet))
    })
    .await?;
    let token = outreach_core::util::new_id();
    let mut pending = crate::state::lock(&state.imports);
    pending.clear(); // one preview at a time; an older one is stale once a new file is chosen
    pending.insert(token.clone(), PendingImport { kind, sheet, file_name: preview.file_name.clone() });
    Ok(Some(ImportPreview { token, ..preview }))
}

#[tauri::command]
pub async fn import_commit(
    app: AppHandle,
    state: State<'_, AppState>,
    token: String,
    skip_invalid: bool,
) -> CmdResult<ImportOutcome> {
    let pending = crate::state::lock(&state.imports)
        .remove(&token)
        .ok_or_else(|| AppError::from(Error::invalid(Code::ImportExpired, &[])))?;
    super::with_action(&state, Action::TableImport, move |s| {
        let mut progress = |p: Progress| {
            let _ = app.emit("import-progress", p);
        };
        transfer::commit(s, pending.kind, &pending.sheet, &pending.file_name, skip_invalid, &mut progress).map_err(
            |e| match e {
                Error::Invalid(issues)
                    if issues.len() > 1 || issues.first().is_some_and(|i| i.params.contains_key("row")) =>
                {
                    Error::invalid(Code::ImportHasProblems, &[("count", &issues.len().to_string())])
                }
                other => other,
            },
        )
    })
    .await
}

#[tauri::command]
pub async fn import_cancel(state: State<'_, AppState>, token: String) -> CmdResult<()> {
    crate::state::lock(&state.imports).remove(&token);
    Ok(())
}

fn default_name(kind: TableKind, format: FileFormat, template: bool, english: bool) -> String {
    let (label, template_word) = if english {
        let label = match kind {
            TableKind::Units => "units-and-grids",
            TableKind::People => "people",
            TableKind::Venues => "venues",
            TableKind::Sessions => "sessions",
            TableKind::Incidents => "fraud-cases",
        };
        (label.to_string(), "import-template")
    } else {
        (kind.label().replace('与', "和"), "导入模板")
    };
    let suffix = if template { template_word.to_string() } else { outreach_core::util::today() };
    format!("{label}-{suffix}.{}", format.extension())
}

#[tauri::command]
pub async fn export_table(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: TableKind,
    format: FileFormat,
    full_phones: bool,
) -> CmdResult<Option<String>> {
    super::authorized(&state, Action::TableExport).await?;
    let Some(path) = pick_save(&app, &state, kind, format, false).await else { return Ok(None) };
    with_store(&state, move |s| {
        outreach_app::transfer::export(s, kind, format, &path, full_phones)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn export_template(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: TableKind,
    format: FileFormat,
) -> CmdResult<Option<String>> {
    super::authorized(&state, Action::TableTemplate).await?;
    let Some(path) = pick_save(&app, &state, kind, format, true).await else { return Ok(None) };
    let p = path.clone();
    tauri::async_runtime::spawn_blocking(move || transfer::template(kind, format, &p))
        .await
        .map_err(|e| AppError::from(Error::Internal(e.to_string())))??;
    Ok(Some(path.display().to_string()))
}
