//! Ids, timestamps and small parsing helpers shared by the domain modules.

use crate::error::Code;
use chrono::{NaiveDate, SecondsFormat, Utc};

use crate::error::{Error, Result};

/// Time-ordered, globally unique ids: records made on different machines never collide.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn today() -> String {
    chrono::Local::now().date_naive().format("%Y-%m-%d").to_string()
}

pub fn check_name(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(Code::ValidationRequired, &[("field", field)]));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(Code::ValidationTooLong, &[("field", field), ("max", &max.to_string())]));
    }
    Ok(v.to_string())
}

pub fn check_text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(Code::ValidationTooLong, &[("field", field), ("max", &max.to_string())]));
    }
    Ok(v.to_string())
}

/// Accepts 2024-03-05, 2024/3/5, 2024.3.5 and 2024年3月5日; returns YYYY-MM-DD.
pub fn parse_date(field: &str, value: &str) -> Result<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let norm: String = v.replace(['年', '月', '/', '.'], "-").trim_end_matches('日').to_string();
    // Excel may hand over a datetime "2024-03-05 00:00:00".
    let date_part = norm.split([' ', 'T']).next().unwrap_or("");
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .map_err(|_| Error::invalid(Code::ValidationDate, &[("field", field), ("value", v)]))
}

pub fn parse_count(field: &str, value: &str) -> Result<u32> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(0);
    }
    // Spreadsheets often store whole numbers as "12.0".
    let t = v.strip_suffix(".0").unwrap_or(v);
    t.parse::<u32>().map_err(|_| Error::invalid(Code::ValidationNumber, &[("field", field), ("value", v)]))
}

pub fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub fn parse_json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Splits a spreadsheet cell like "宣讲团、文艺小分队" or "a; b" into items.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(['、', ';', '；', ',', '，', '|']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Ids given in an imported file must look like ids: they travel between machines.
pub fn check_id(id: &str) -> Result<String> {
    let ok = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(id.to_string())
    } else {
        Err(Error::invalid(Code::ValidationChoice, &[("field", "id"), ("value", id)]))
    }
}

/// Writes a whole file beside its final name (`<name>.part`), syncs it, renames it into place
/// and syncs the folder, so a crash or a full disk never leaves half a file under the name —
/// and the key file, the key slots and the unlock log are the old one or the new one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e| Error::io(path.display().to_string(), e);
    let mut tmp = path.as_os_str().to_os_string();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// A percentage as the window, the PDF and the summaries print it: always one decimal ("12.0").
pub fn pct_text(x: f64) -> String {
    format!("{x:.1}")
}

/// A number with at most one decimal, "12" rather than "12.0".
pub fn decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    s.trim_end_matches(".0").to_string()
}
