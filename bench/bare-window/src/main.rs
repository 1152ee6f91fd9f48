//! A bare Tauri 2 window. With OUTREACH_TIMING set it prints
//! "bare-window: first paint after N ms" (from process start) when the page's first frame
//! is up; with OUTREACH_TIMING=exit it then quits, so scripts/coldstart.sh can time it the
//! same way as Outreach Desk.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn ready(app: tauri::AppHandle) {
    let timing = std::env::var("OUTREACH_TIMING").ok();
    if let Some(t) = &timing {
        let ms = STARTED.get().map(|s| s.elapsed().as_millis()).unwrap_or(0);
        eprintln!("bare-window: first paint after {ms} ms");
        if t == "exit" {
            app.exit(0);
        }
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
