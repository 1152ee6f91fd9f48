//! Tauri commands, one module per domain area. Every command is async and does its work
//! on a blocking worker thread, so the window never waits on SQLite or a file.

pub mod bundles;
pub mod files;
pub mod followups;
pub mod incidents;
pub mod materials;
pub mod people;
pub mod print;
pub mod profiles;
pub mod records;
pub mod reports;
pub mod rules;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod transfer;
pub mod units;
pub mod venues;

use outreach_core::access::Action;
use outreach_core::Store;
use tauri::State;

use crate::error::{AppError, CmdResult};
use crate::state::AppState;

/// Runs `f` with the store on a worker thread. With `OUTREACH_TIMING` set, each run is traced
/// with where it was called from (the command's file and line), how long it waited for the
/// store and how long it held it: the Rust half of a slow action (the UI's half is in the
/// page's performance timeline, `api/invoke.ts`).
#[track_caller]
pub fn with_store<'a, T: Send + 'static>(
    state: &State<'a, AppState>,
    f: impl FnOnce(&mut Store) -> outreach_core::Result<T> + Send + 'static,
) -> impl std::future::Future<Output = CmdResult<T>> + 'a {
    let store = state.store.clone();
    let caller = std::panic::Location::caller();
    async move {
        let asked = std::time::Instant::now();
        tauri::async_runtime::spawn_blocking(move || {
            let queued = asked.elapsed();
            let mut waited = std::time::Duration::ZERO;
            let r = crate::state::run_on_store(&store, f, &mut waited);
            if crate::timing::enabled() {
                crate::timing::mark(&format!(
                    "store {}:{} queued {} ms, waited for the store {} ms, held it {} ms",
                    caller.file().trim_start_matches("src/"),
                    caller.line(),
                    queued.as_millis(),
                    waited.as_millis(),
                    asked.elapsed().saturating_sub(queued + waited).as_millis()
                ));
            }
            r
        })
        .await
        .map_err(|e| AppError::from(outreach_core::Error::Internal(e.to_string())))?
        .map_err(AppError::from)
    }
}

/// Applies the access table to `action` (asked before a file dialog opens, so a captain is
/// told at once).
pub async fn authorized(state: &State<'_, AppState>, action: Action) -> CmdResult<()> {
    with_store(state, move |s| s.authorize(action)).await
}

/// Runs `f` with the store once the access table allows `action`.
pub async fn with_action<T: Send + 'static>(
    state: &State<'_, AppState>,
    action: Action,
    f: impl FnOnce(&mut Store) -> outreach_core::Result<T> + Send + 'static,
) -> CmdResult<T> {
    with_store(state, move |s| {
        s.authorize(action)?;
        f(s)
    })
    .await
}
