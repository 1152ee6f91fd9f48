//! Where documents go. The "save as" dialog opens in the folder this kind of document was
//! last saved to (at first the user's Documents folder, not the process's working folder),
//! speaks the window's language, and the file just saved can be opened, or its folder
//! shown, from the one message that says where it went.
//!
//! The remembered folders and the language live in `prefs.json` beside the database, not in
//! it: they belong to this computer (a bundle or a backup does not carry where a laptop
//! saves its PDFs), and the unlock screen needs the language before the database is open.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{AppError, CmdResult};
use crate::state::AppState;
use outreach_core::error::Code;
use outreach_core::Error;

/// The kinds of document saved from the window, each with its own remembered folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A table exported for Excel (or its import template).
    Table,
    /// The quarter's (or any period's) report.
    Report,
    /// Flyers, sign-in sheets, certificates: what goes to the printer.
    Print,
    /// The plan as a calendar file.
    Calendar,
    /// A hand-over bundle for another machine.
    Bundle,
}

impl DocKind {
    fn key(self) -> &'static str {
        match self {
            DocKind::Table => "table",
            DocKind::Report => "report",
            DocKind::Print => "print",
            DocKind::Calendar => "calendar",
            DocKind::Bundle => "bundle",
        }
    }
}

/// The file-type filter's name for an extension, in the window's language.
fn filter_label(ext: &str, english: bool) -> &'static str {
    match (ext, english) {
        ("pdf", false) => "PDF 文档",
        ("pdf", true) => "PDF document",
        ("xlsx", false) => "Excel 工作簿",
        ("xlsx", true) => "Excel workbook",
        ("csv", _) => "CSV (Excel)",
        ("ics", false) => "日历 (ics)",
        ("ics", true) => "Calendar (ics)",
        ("outreach", false) => "反诈宣防交接包",
        ("outreach", true) => "Outreach Desk bundle",
        ("json", _) => "JSON",
        (_, false) => "文件",
        (_, true) => "File",
    }
}

/// This computer's preferences (see the module's note).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The window's language, as last chosen ("zh-CN" or "en").
    pub locale: Option<String>,
    /// The folder each kind of document was last saved to.
    pub folders: BTreeMap<String, PathBuf>,
}

const PREFS_FILE: &str = "prefs.json";

impl Prefs {
    /// What `dir` holds; a missing or damaged file is the defaults (it only ever held hints).
    pub fn load(dir: &Path) -> Prefs {
        std::fs::read(dir.join(PREFS_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Written whole to a temporary file and renamed, so a crash leaves the old or the new.
    pub fn store(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{PREFS_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, dir.join(PREFS_FILE))
    }

    pub fn english(&self) -> bool {
        self.locale.as_deref() == Some("en")
    }

    /// Where the dialog for `kind` opens: the folder last used for it while it still exists,
    /// else `documents` (the user's Documents folder) when there is one.
    pub fn start_dir(&self, kind: DocKind, documents: Option<PathBuf>) -> Option<PathBuf> {
        self.folders.get(kind.key()).filter(|d| d.is_dir()).cloned().or(documents.filter(|d| d.is_dir()))
    }

    /// `saved` went into its folder: the next dialog for `kind` opens there.
    pub fn remember(&mut self, kind: DocKind, saved: &Path) {
        if let Some(parent) = saved.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.folders.insert(kind.key().to_string(), parent.to_path_buf());
        }
    }
}

/// Updates `prefs.json` in `dir`; a failure only means the hint is not kept.
pub fn update_prefs(dir: &Path, f: impl FnOnce(&mut Prefs)) {
    let mut prefs = Prefs::load(dir);
    f(&mut prefs);
    if let Err(e) = prefs.store(dir) {
        eprintln!("outreach-desk: could not keep the preferences: {}", e.kind());
    }
}

/// The files this window saved in this run: the only ones it may open or show. The web view
/// names a path, and a path it merely names is no reason to hand it to the desktop.
static SAVED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

fn mark_saved(path: &Path) {
    crate::state::lock(&SAVED).get_or_insert_with(HashSet::new).insert(path.to_path_buf());
}

fn was_saved(path: &Path) -> bool {
    crate::state::lock(&SAVED).as_ref().is_some_and(|s| s.contains(path))
}

/// End-to-end tests cannot click a native dialog; they name the folder in this variable,
/// which only the process environment (the person running it) can set.
fn test_save_dir() -> Option<PathBuf> {
    std::env::var_os("OUTREACH_TEST_SAVE_DIR").map(PathBuf::from)
}

/// Whether the window speaks English (for the names Rust gives files and dialogs).
pub fn english(state: &AppState) -> bool {
    Prefs::load(&state.data_dir).english()
}

/// The native "save as" dialog, run off the main thread, opening where this kind of
/// document went last time. The chosen file is remembered as one the window may open.
pub async fn pick_save_file(
    app: &AppHandle,
    state: &AppState,
    kind: DocKind,
    default_name: String,
    ext: &'static str,
) -> Option<PathBuf> {
    let dir = state.data_dir.clone();
    let prefs = Prefs::load(&dir);
    let path = match test_save_dir() {
        Some(d) => Some(d.join(&default_name)),
        None => {
            let app = app.clone();
            let start = prefs.start_dir(kind, app.path().document_dir().ok());
            let english = prefs.english();
            tauri::async_runtime::spawn_blocking(move || {
                let mut dialog = app
                    .dialog()
                    .file()
                    .set_title(if english { "Save as" } else { "保存为" })
                    .set_file_name(&default_name)
                    .add_filter(filter_label(ext, english), &[ext]);
                if let Some(start) = start {
                    dialog = dialog.set_directory(start);
                }
                dialog.blocking_save_file().and_then(|f| f.into_path().ok())
            })
            .await
            .ok()
            .flatten()
        }
    }?;
    update_prefs(&dir, |p| p.remember(kind, &path));
    mark_saved(&path);
    Some(path)
}

fn saved_file(path: &str) -> CmdResult<PathBuf> {
    let p = PathBuf::from(path);
    if !was_saved(&p) || !p.is_file() {
        return Err(AppError::from(Error::invalid(Code::FileNotSaved, &[])));
    }
    Ok(p)
}

fn open_detached(target: &Path) -> CmdResult<()> {
    if std::env::var_os("OUTREACH_TEST_SAVE_DIR").is_some() {
        // Under test there is no desktop to hand the file to; the check above is what runs.
        return Ok(());
    }
    open::that_detached(target).map_err(|_| AppError::from(Error::invalid(Code::FileOpenFailed, &[])))
}

/// Opens a file the window just saved with the desktop's application for it.
#[tauri::command]
pub async fn file_open(path: String) -> CmdResult<()> {
    open_detached(&saved_file(&path)?)
}

/// Shows the folder of a file the window just saved in the desktop's file manager.
#[tauri::command]
pub async fn folder_open(path: String) -> CmdResult<()> {
    let p = saved_file(&path)?;
    open_detached(p.parent().unwrap_or(Path::new("/")))
}

/// The language the unlock screen starts in (the database, which holds the settings, is
/// still closed then).
pub fn remembered_locale(state: &State<'_, AppState>) -> Option<String> {
    Prefs::load(&state.data_dir).locale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_opens_where_this_kind_went_last_and_in_documents_at_first() {
        let tmp = std::env::temp_dir().join(format!("outreach-prefs-{}", std::process::id()));
        let (docs, reports, flyers) = (tmp.join("Documents"), tmp.join("reports"), tmp.join("flyers"));
        for d in [&docs, &reports, &flyers] {
            std::fs::create_dir_all(d).unwrap();
        }
        let mut p = Prefs::load(&tmp);
        assert_eq!(p, Prefs::default(), "no file: the defaults");
        assert_eq!(p.start_dir(DocKind::Report, Some(docs.clone())), Some(docs.clone()), "first time: Documents");

        p.remember(DocKind::Report, &reports.join("季度报告.pdf"));
        p.remember(DocKind::Print, &flyers.join("传单.pdf"));
        p.locale = Some("en".into());
        p.store(&tmp).unwrap();

        let back = Prefs::load(&tmp);
        assert_eq!(back.start_dir(DocKind::Report, Some(docs.clone())), Some(reports.clone()));
        assert_eq!(back.start_dir(DocKind::Print, Some(docs.clone())), Some(flyers.clone()));
        assert_eq!(back.start_dir(DocKind::Table, Some(docs.clone())), Some(docs.clone()), "each kind its own");
        assert!(back.english());

        // A folder that has gone (a USB stick taken out) falls back to Documents.
        std::fs::remove_dir_all(&reports).unwrap();
        assert_eq!(back.start_dir(DocKind::Report, Some(docs.clone())), Some(docs.clone()));

        // A damaged file is the defaults, not an error.
        std::fs::write(tmp.join(PREFS_FILE), b"{ not json").unwrap();
        assert_eq!(Prefs::load(&tmp), Prefs::default());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn only_a_file_this_window_saved_can_be_opened() {
        let tmp = std::env::temp_dir().join(format!("outreach-saved-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        let saved = tmp.join("report.pdf");
        let other = tmp.join("other.pdf");
        std::fs::write(&saved, b"%PDF").unwrap();
        std::fs::write(&other, b"%PDF").unwrap();
        mark_saved(&saved);
        assert!(saved_file(saved.to_str().unwrap()).is_ok());
        assert!(saved_file(other.to_str().unwrap()).is_err(), "a path the web view names is not enough");
        assert!(saved_file("/etc/passwd").is_err());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
