//! What the shell keeps between commands: the one store (behind a mutex, used only from
//! blocking worker threads) and the imports waiting for the user to confirm their preview.

use outreach_core::error::Code;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};

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
    /// Asked of the keychain, and opened with it, at process start (lib.rs `open_early`).
    pub early: Early,
}

/// What the shell starts at process start, while the window is still loading: the OS
/// keychain's answer for this database and, when it remembers a passphrase, the database
/// opened with it (key derivation, migrations). Each is taken once, by the first `db_status`
/// and the first `db_unlock_remembered`, which otherwise ask as they always did. The store
/// stays here, out of every other command's reach, until the window asks to unlock with the
/// keychain.
#[derive(Default)]
pub struct Early {
    /// Whether a passphrase is remembered; no answer (the sender dropped): the keychain failed.
    pub remembered: Mutex<Option<Receiver<bool>>>,
    /// The database opened with the remembered passphrase (sent only when there is one).
    pub store: Mutex<Option<Receiver<outreach_core::Result<Store>>>>,
}

impl Early {
    pub fn take_remembered(&self) -> Option<Receiver<bool>> {
        lock(&self.remembered).take()
    }

    pub fn take_store(&self) -> Option<Receiver<outreach_core::Result<Store>>> {
        lock(&self.store).take()
    }
}

/// Whether the window has shown its first screen (`app_ready`).
static FIRST_SCREEN: AtomicBool = AtomicBool::new(false);
/// An unlock whose maintenance waits for the first screen.
static MAINTENANCE_DUE: AtomicBool = AtomicBool::new(false);
/// How long an unlock's maintenance waits for a first screen that does not come.
const MAINTENANCE_FALLBACK: std::time::Duration = std::time::Duration::from_secs(10);

impl AppState {
    /// Wakes the maintenance thread (backup, purge) after an unlock — once the first screen is
    /// up: its short holds of the store and its disk work must not delay the first screen.
    /// Should the first screen not come (its query failed), it runs a few seconds later.
    pub fn poke_maintenance(&self) {
        if FIRST_SCREEN.load(Ordering::SeqCst) {
            let _ = self.maintenance.send(());
            return;
        }
        MAINTENANCE_DUE.store(true, Ordering::SeqCst);
        let tx = self.maintenance.clone();
        std::thread::spawn(move || {
            std::thread::sleep(MAINTENANCE_FALLBACK);
            if MAINTENANCE_DUE.swap(false, Ordering::SeqCst) {
                let _ = tx.send(());
            }
        });
    }

    /// The first screen is up (`app_ready`): an unlock's maintenance runs now.
    pub fn first_screen_shown(&self) {
        FIRST_SCREEN.store(true, Ordering::SeqCst);
        if MAINTENANCE_DUE.swap(false, Ordering::SeqCst) {
            let _ = self.maintenance.send(());
        }
    }
}

/// The window, once it exists: told when maintenance starts and ends (the event
/// `maintenance`, true or false), so the header can say quietly that it is running.
pub static APP: std::sync::OnceLock<tauri::AppHandle> = std::sync::OnceLock::new();

pub fn maintenance_running(running: bool) {
    use tauri::Emitter;
    if let Some(app) = APP.get() {
        let _ = app.emit("maintenance", running);
    }
}

/// Locks `m` even when an earlier holder panicked. Poisoning would otherwise refuse every
/// later command until the app restarts; what the mutexes guard stays consistent through a
/// panic (the store's writes are SQLite transactions, rolled back as the panic unwinds, and
/// the pending imports and bundles are whole entries).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| {
        m.clear_poison();
        poisoned.into_inner()
    })
}

/// Runs `f` with the unlocked store. A panic inside `f` (a bug) becomes an `internal` error
/// for this one command: it never poisons the lock, and a transaction it left open is rolled
/// back, so the next command finds the store as the last finished write left it. `waited`
/// is set to how long it waited for the store (another command holding it).
pub fn run_on_store<T>(
    store: &Mutex<Option<Store>>,
    f: impl FnOnce(&mut Store) -> outreach_core::Result<T>,
    waited: &mut std::time::Duration,
) -> outreach_core::Result<T> {
    let asked = std::time::Instant::now();
    let mut guard = lock(store);
    *waited = asked.elapsed();
    let s = guard.as_mut().ok_or_else(|| outreach_core::Error::invalid(Code::DbLocked, &[]))?;
    match catch_unwind(AssertUnwindSafe(|| f(&mut *s))) {
        Ok(r) => r,
        Err(_) => {
            if !s.conn().is_autocommit() {
                let _ = s.conn().execute_batch("ROLLBACK");
            }
            Err(outreach_core::Error::Internal("a command panicked; its work was rolled back".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_one_command_leaves_the_next_one_working() {
        let store = Mutex::new(Some(Store::open_in_memory().unwrap()));
        let units = |s: &mut Store| -> outreach_core::Result<i64> {
            Ok(s.conn().query_row("SELECT count(*) FROM units", [], |r| r.get(0))?)
        };
        let before = run_on_store(&store, units, &mut std::time::Duration::default()).unwrap();
        // A bug that panics halfway through a transaction, holding the lock.
        let r: outreach_core::Result<()> = run_on_store(
            &store,
            |s| {
                s.conn().execute_batch("BEGIN; DELETE FROM units;").unwrap();
                let t: Vec<&str> = vec![];
                let _ = t[0];
                Ok(())
            },
            &mut std::time::Duration::default(),
        );
        assert!(matches!(r, Err(outreach_core::Error::Internal(_))), "{r:?}");
        assert!(!store.is_poisoned());
        assert_eq!(
            run_on_store(&store, units, &mut std::time::Duration::default()).unwrap(),
            before,
            "the half-done delete was rolled back"
        );
        // And a plain poisoned mutex (a panic outside run_on_store) is recovered too.
        let _ = std::thread::scope(|sc| {
            sc.spawn(|| {
                let _g = store.lock().unwrap();
                panic!("held the lock");
            })
            .join()
        });
        assert!(store.is_poisoned());
        assert_eq!(run_on_store(&store, units, &mut std::time::Duration::default()).unwrap(), before);
        assert!(!store.is_poisoned());
    }
}
