//! What the shell keeps between commands: the one store (behind a mutex, used only from
//! blocking worker threads) and the imports waiting for the user to confirm their preview.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use outreach_core::sheets::Sheet;
use outreach_core::transfer::TableKind;
use outreach_core::Store;

pub struct PendingImport {
    pub kind: TableKind,
    pub sheet: Sheet,
    pub file_name: String,
}

/// A bundle file picked for import: still encrypted (`sealed`) until `bundles_unlock`, then
/// the plaintext bundle. The passphrase is never kept.
pub struct PendingBundle {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sealed: bool,
}

pub struct AppState {
    /// Empty until the database is unlocked (or, on first run, its passphrase set).
    pub store: Arc<Mutex<Option<Store>>>,
    pub imports: Arc<Mutex<HashMap<String, PendingImport>>>,
    /// Bundle files read and previewed, waiting for the coordinator's go-ahead.
    pub bundles: Arc<Mutex<HashMap<String, PendingBundle>>>,
    /// Set by `print_cancel`; a batch being rendered stops at its next page.
    pub print_cancel: Arc<std::sync::atomic::AtomicBool>,
    pub data_dir: PathBuf,
    pub db_path: PathBuf,
    /// Held for the life of the process: one instance per data folder.
    pub _lock: std::fs::File,
    /// Wakes the maintenance thread (backups, follow-up purge) after an unlock.
    pub maintenance: std::sync::mpsc::Sender<()>,
}

impl AppState {
    pub fn poke_maintenance(&self) {
        let _ = self.maintenance.send(());
    }
}
