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
    let name = check_text("operatorName", &s.operator_name, 40)?;
    if let Some(unit) = s.operator_unit_id.as_deref().filter(|u| !u.is_empty()) {
        crate::units::get(conn, unit)?;
    }
    let locale = if s.locale == "en" { "en" } else { "zh-CN" };
    set_key(conn, "operator_name", &name)?;
    set_key(conn, "operator_unit_id", s.operator_unit_id.as_deref().unwrap_or(""))?;
    set_key(conn, "locale", locale)?;
    get(conn)
}
