//! Where the data lives. `OUTREACH_DATA_DIR` moves the whole folder (tests always use a fresh one).

use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    match std::env::var_os("OUTREACH_DATA_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("outreach-desk"),
    }
}

pub fn default_db_path() -> PathBuf {
    data_dir().join("outreach.db")
}

/// Backups sit in a `backups` folder beside the database file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().map(|p| p.to_path_buf()).unwrap_or_default().join("backups")
}
