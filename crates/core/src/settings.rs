//! Operator settings: who is at the keyboard and for which unit. They sign the audit log
//! and appear as the organiser on printed documents.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::util::check_text;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Settings {
    pub operator_name: String,
    pub operator_unit_id: Option<String>,
    pub locale: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { operator_name: String::new(), operator_unit_id: None, locale: "zh-CN".into() }
    }
}

pub(crate) fn get_key(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Settings key set once a database file has been rewritten with secure delete on: from
/// then on nothing deleted from it lingers in its free space. A backup without it was
/// copied from a database that may still hold the bytes of earlier purges.
pub(crate) const SCRUBBED: &str = "purge_scrubbed";

/// A database made with secure delete on from its first page has nothing of earlier purges
/// in its free space: it is marked scrubbed at birth (else the first purge would VACUUM it,
/// which at a city's size holds the store for many seconds).
pub(crate) fn mark_scrubbed(conn: &Connection) -> Result<()> {
    set_key(conn, SCRUBBED, &crate::util::now())
}

pub(crate) fn set_key(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn get(conn: &Connection) -> Result<Settings> {
    let d = Settings::default();
    Ok(Settings {
        operator_name: get_key(conn, "operator_name")?.unwrap_or(d.operator_name),
        operator_unit_id: get_key(conn, "operator_unit_id")?.filter(|s| !s.is_empty()),
        locale: get_key(conn, "locale")?.unwrap_or(d.locale),
    })
}

pub fn save(conn: &Connection, s: &Settings) -> Result<Settings> {
    let name = check_text("operatorName", &s.operator_name, crate::rules::OPERATOR_NAME)?;
    if let Some(unit) = s.operator_unit_id.as_deref().filter(|u| !u.is_empty()) {
        crate::units::get(conn, unit)?;
    }
    let locale = if s.locale == "en" { "en" } else { "zh-CN" };
    set_key(conn, "operator_name", &name)?;
    set_key(conn, "operator_unit_id", s.operator_unit_id.as_deref().unwrap_or(""))?;
    set_key(conn, "locale", locale)?;
    get(conn)
}

/// What printed flyers carry besides the session: the QR code's text (e.g. the anti-fraud
/// app's download page or a community chat group) and its caption. The organiser's logo is
/// a file in the data folder (`branding/`), checked like a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct PrintSettings {
    pub qr_text: String,
    pub qr_caption: String,
    /// Filled in on the way out: whether a logo has been chosen.
    #[serde(default)]
    pub has_logo: bool,
}

pub const DEFAULT_QR_TEXT: &str = "https://www.mps.gov.cn/";
pub const DEFAULT_QR_CAPTION: &str = "扫码下载国家反诈中心App";

pub fn get_print(conn: &Connection, data_dir: Option<&std::path::Path>) -> Result<PrintSettings> {
    Ok(PrintSettings {
        qr_text: get_key(conn, "print_qr_text")?.unwrap_or_else(|| DEFAULT_QR_TEXT.into()),
        qr_caption: get_key(conn, "print_qr_caption")?.unwrap_or_else(|| DEFAULT_QR_CAPTION.into()),
        has_logo: data_dir.is_some_and(|d| logo_path(d).is_some()),
    })
}

pub fn save_print(conn: &Connection, s: &PrintSettings, data_dir: Option<&std::path::Path>) -> Result<PrintSettings> {
    let mut is = crate::error::Issues::default();
    let text = is.take(check_text("qrText", &s.qr_text, crate::rules::QR_TEXT))?.unwrap_or_default();
    let caption = is.take(check_text("qrCaption", &s.qr_caption, crate::rules::QR_CAPTION))?.unwrap_or_default();
    is.finish()?;
    set_key(conn, "print_qr_text", &text)?;
    set_key(conn, "print_qr_caption", &caption)?;
    get_print(conn, data_dir)
}

fn branding(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("branding")
}

pub fn logo_path(data_dir: &std::path::Path) -> Option<std::path::PathBuf> {
    ["png", "jpg", "webp"].iter().map(|e| branding(data_dir).join(format!("logo.{e}"))).find(|p| p.exists())
}

/// Checks and stores the organiser's logo (PNG, JPEG or WebP), replacing any earlier one; a
/// JPEG without its metadata (`picture::strip_metadata`).
pub fn save_logo(data_dir: &std::path::Path, bytes: &[u8], name: &str) -> Result<()> {
    let d = crate::picture::decode(bytes, name)?;
    let bytes = &crate::picture::strip_metadata(bytes);
    let dir = branding(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| crate::error::Error::io(dir.display().to_string(), e))?;
    let target = dir.join(format!("logo.{}", d.ext));
    let tmp = dir.join("logo.part");
    std::fs::write(&tmp, bytes).map_err(|e| crate::error::Error::io(tmp.display().to_string(), e))?;
    remove_logo(data_dir)?;
    std::fs::rename(&tmp, &target).map_err(|e| crate::error::Error::io(target.display().to_string(), e))?;
    Ok(())
}

pub fn remove_logo(data_dir: &std::path::Path) -> Result<()> {
    while let Some(p) = logo_path(data_dir) {
        std::fs::remove_file(&p).map_err(|e| crate::error::Error::io(p.display().to_string(), e))?;
    }
    Ok(())
}

/// The logo as printed: a JPEG without its metadata (one saved before it was taken out at
/// upload may still carry it).
pub fn logo(data_dir: &std::path::Path) -> Option<Vec<u8>> {
    logo_path(data_dir).and_then(|p| std::fs::read(p).ok()).map(|b| crate::picture::strip_metadata(&b))
}
