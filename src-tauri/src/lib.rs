//! The desktop shell: opens the store, registers the commands and the window. It knows
//! no SQL — everything goes through outreach-core.

mod commands;
mod error;
mod state;
mod timing;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use outreach_core::{backup, followups, paths, Store};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::state::AppState;

fn lock_data_dir(dir: &std::path::Path) -> Result<std::fs::File, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".lock"))
        .map_err(|e| e.to_string())?;
    f.try_lock().map_err(|_| "locked".to_string())?;
    Ok(f)
}

pub fn run() {
    // The cold-start trace (OUTREACH_TIMING, timing.rs) counts from here.
    timing::start();
    timing::mark("process start");
    let data_dir = paths::data_dir();
    let db_path = paths::default_db_path();
    // The lock first: a second window must not even open (and maybe migrate) the database.
    // The database itself is opened by the unlock screen (commands/security.rs): it is
    // encrypted, and its passphrase is typed by the user, never stored.
    let opened = lock_data_dir(&data_dir).and_then(|lock| {
        outreach_core::db::file_state(&db_path)
            .map(|_| lock)
            .map_err(|e| e.issues().first().map(|i| i.message.clone()).unwrap_or_default())
    });

    timing::mark("data folder locked");

    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build());

    let lock = match opened {
        Ok(opened) => opened,
        Err(reason) => {
            // Show why in a native message box, then quit: there is nothing to work on.
            let text = if reason == "locked" {
                format!("另一个反诈宣防工作台窗口已打开此数据文件夹：\n{}", data_dir.display())
            } else {
                format!("无法打开数据库 {}：\n{}", db_path.display(), reason)
            };
            builder
                .setup(move |app| {
                    let handle = app.handle().clone();
                    app.dialog()
                        .message(text)
                        .kind(MessageDialogKind::Error)
                        .title("反诈宣防工作台")
                        .show(move |_| handle.exit(1));
                    Ok(())
                })
                .run(tauri::generate_context!())
                .expect("error while running tauri application");
            return;
        }
    };

    // The keychain lookup and the database open start now, beside the window's loading.
    let early = open_early(&db_path);
    let store: Arc<Mutex<Option<Store>>> = Arc::new(Mutex::new(None));
    // Daily rotating backups and the purge of closed follow-up cases' personal data (in
    // the database and in its backups): run as soon as the database is unlocked (the unlock
    // command pokes the channel) and every hour after. System maintenance: it runs under
    // any access, a captain's too.
    let (maintenance, poked) = std::sync::mpsc::channel::<()>();
    {
        let store = store.clone();
        std::thread::spawn(move || loop {
            match poked.recv_timeout(Duration::from_secs(3600)) {
                Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if crate::state::lock(&store).is_some() {
                timing::mark("maintenance: started");
                crate::state::maintenance_running(true);
                // A bug in it must not end the thread (no backup ever again) nor leave the
                // header saying it runs.
                if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| maintain(&store))).is_err() {
                    eprintln!("outreach-desk: maintenance failed (a bug); it is tried again in an hour");
                }
                crate::state::maintenance_running(false);
                timing::mark("maintenance: finished");
            }
        });
    }

    builder
        .setup(|app| {
            // The windows of tauri.conf.json exist by now.
            timing::mark("setup: window created");
            let _ = crate::state::APP.set(app.handle().clone());
            Ok(())
        })
        .on_page_load(|_, payload| {
            timing::mark_first(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page load started",
                tauri::webview::PageLoadEvent::Finished => "page load finished",
            })
        })
        .manage(AppState {
            store,
            imports: Arc::new(Mutex::new(HashMap::new())),
            bundles: Arc::new(Mutex::new(HashMap::new())),
            print_cancel: Default::default(),
            data_dir,
            db_path,
            _lock: lock,
            maintenance,
            early,
        })
        .invoke_handler(traced(tauri::generate_handler![
            commands::security::db_status,
            commands::security::db_unlock,
            commands::security::db_unlock_remembered,
            commands::security::keychain_remember,
            commands::security::keychain_forget,
            commands::security::db_setup,
            commands::security::db_change_passphrase,
            commands::security::db_rekey,
            commands::security::access_current,
            commands::security::access_switch,
            commands::profiles::profiles_list,
            commands::profiles::profiles_save,
            commands::profiles::profiles_remove,
            commands::profiles::profiles_change_passphrase,
            commands::settings::app_info,
            commands::settings::settings_save,
            commands::settings::demo_load,
            commands::settings::backups_list,
            commands::settings::backup_now,
            commands::settings::backup_restore,
            commands::settings::audit_list,
            commands::settings::audit_verify,
            commands::settings::app_ready,
            commands::files::file_open,
            commands::files::folder_open,
            commands::units::units_tree,
            commands::units::units_save,
            commands::units::units_move,
            commands::units::units_archive,
            commands::units::units_restore,
            commands::people::people_list,
            commands::people::people_save,
            commands::people::people_archive,
            commands::people::people_restore,
            commands::people::people_reveal_phone,
            commands::people::teams_list,
            commands::people::teams_save,
            commands::people::teams_archive,
            commands::people::topics_list,
            commands::venues::venues_list,
            commands::venues::venues_save,
            commands::venues::venues_archive,
            commands::venues::venues_restore,
            commands::venues::venues_reveal_phone,
            commands::transfer::import_pick,
            commands::transfer::import_commit,
            commands::transfer::import_cancel,
            commands::transfer::export_table,
            commands::transfer::export_template,
            commands::sessions::sessions_list,
            commands::sessions::sessions_get,
            commands::sessions::sessions_history,
            commands::sessions::sessions_check,
            commands::sessions::sessions_candidates,
            commands::rules::rules_check_phone,
            commands::rules::rules_check_session_times,
            commands::rules::rules_check_record_times,
            commands::rules::rules_check_grid_profile,
            commands::sessions::sessions_save,
            commands::sessions::sessions_reschedule,
            commands::sessions::sessions_set_status,
            commands::sessions::series_create,
            commands::sessions::series_edit_later,
            commands::sessions::templates_list,
            commands::sessions::templates_save,
            commands::sessions::topics_save,
            commands::sessions::targeting_suggest,
            commands::sessions::targeting_gaps,
            commands::sessions::plan_export_ics,
            commands::records::records_get,
            commands::records::records_save,
            commands::records::records_review,
            commands::records::records_corrections,
            commands::records::photos_add,
            commands::records::photos_remove,
            commands::records::photos_preview,
            commands::records::visits_list,
            commands::records::visits_save,
            commands::records::visits_remove,
            commands::incidents::incidents_review,
            commands::incidents::incidents_brief_save,
            commands::incidents::incidents_gaps,
            commands::incidents::incidents_list,
            commands::incidents::incidents_revictimisation,
            commands::incidents::incidents_labels,
            commands::incidents::incidents_label_save,
            commands::incidents::incidents_label_remove,
            commands::incidents::incidents_push_draft,
            commands::incidents::incidents_push_record,
            commands::followups::followups_list,
            commands::followups::followups_get,
            commands::followups::followups_save,
            commands::followups::followups_record_visit,
            commands::followups::followups_due,
            commands::followups::followups_reveal_phone,
            commands::followups::followups_settings,
            commands::followups::followups_settings_save,
            commands::materials::materials_list,
            commands::materials::materials_save,
            commands::materials::materials_moves,
            commands::materials::materials_add_move,
            commands::materials::materials_void_move,
            commands::materials::materials_stock,
            commands::bundles::bundles_export,
            commands::bundles::bundles_pick,
            commands::bundles::bundles_unlock,
            commands::bundles::passphrase_check,
            commands::bundles::bundles_commit,
            commands::bundles::bundles_cancel,
            commands::bundles::bundles_conflicts,
            commands::bundles::bundles_resolve,
            commands::bundles::identity_own,
            commands::bundles::signers_list,
            commands::bundles::signers_fingerprint,
            commands::bundles::signers_register,
            commands::bundles::signers_revoke,
            commands::print::print_preview,
            commands::print::print_save,
            commands::print::print_cancel,
            commands::print::print_settings,
            commands::print::print_settings_save,
            commands::print::print_pick_logo,
            commands::print::print_remove_logo,
            commands::reports::coverage_dashboard,
            commands::reports::coverage_get,
            commands::reports::coverage_sessions,
            commands::reports::targets_save,
            commands::reports::targets_delete,
            commands::reports::report_save,
        ]))
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}

/// Asks the OS keychain for the database's passphrase and, when it remembers one, opens the
/// database with it, on a thread of its own from process start: the window, still loading its
/// page, finds both done when it asks (`db_status`, `db_unlock_remembered`). Nothing to do for
/// a missing or plain database; a keychain that fails leaves the commands to ask as before.
fn open_early(db_path: &std::path::Path) -> state::Early {
    let early = state::Early::default();
    if !matches!(outreach_core::db::file_state(db_path), Ok(outreach_core::db::FileState::Encrypted)) {
        return early;
    }
    let (remembered_tx, remembered_rx) = std::sync::mpsc::channel();
    let (store_tx, store_rx) = std::sync::mpsc::channel();
    *state::lock(&early.remembered) = Some(remembered_rx);
    *state::lock(&early.store) = Some(store_rx);
    let path = db_path.to_path_buf();
    std::thread::spawn(move || {
        let recalled = outreach_core::keychain::recall(&path);
        timing::mark("keychain: passphrase recalled");
        if let Ok(Some(r)) = recalled {
            let _ = remembered_tx.send(true);
            let _ = store_tx.send(commands::security::open_store(&path, &r.secret, false, r.profile));
        } else if let Ok(None) = recalled {
            let _ = remembered_tx.send(false);
        }
    });
    early
}

/// One round of maintenance. The store is held only for moments — the due checks, the live
/// database's purge (one transaction), the audit entry — while the copies and rewrites of
/// backup files, which take many seconds at a city's size, run on connections of their own:
/// the window's commands go on meanwhile.
fn maintain(store: &Mutex<Option<Store>>) {
    let due = match crate::state::lock(store).as_ref() {
        Some(s) => backup::auto_due(s),
        None => return,
    };
    if let Err(e) = due.and_then(|job| job.map(backup::AutoBackup::run).transpose()) {
        eprintln!("outreach-desk: automatic backup failed: {}", e.code());
    }
    let today = chrono::Local::now().date_naive();
    let live = match crate::state::lock(store).as_mut() {
        Some(s) => followups::purge_live(s, today),
        None => return,
    };
    let report = live.and_then(|(mut report, backups)| {
        if let Some(b) = backups {
            b.run(today, &mut report)?;
        }
        match crate::state::lock(store).as_mut() {
            Some(s) => followups::purge_audit(s, &report).map(|()| report),
            None => Ok(report),
        }
    });
    // The live database and the backups; the audit entry (counts only) is the core's.
    match report {
        Ok(r) if r.is_empty() => {}
        Ok(r) => eprintln!("outreach-desk: follow-up purge: {}", r.text()),
        Err(e) => eprintln!("outreach-desk: follow-up purge failed: {}", e.code()),
    }
}

/// The command handler, marking each command in the cold-start trace the first time it comes.
fn traced(
    handler: impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    move |invoke| {
        if timing::enabled() {
            timing::mark_first(&format!("command {} received", invoke.message.command()));
        }
        handler(invoke)
    }
}
