//! The cold-start trace. With `OUTREACH_TIMING` set, marks are printed to stderr as
//! "outreach-desk: trace N ms <mark>", N from process start; `OUTREACH_TIMING=exit` also
//! quits once the first screen is up (scripts/coldstart.sh). A mark is a fixed name or a
//! command's name — never data, a path or anything personal. Unset, nothing is printed.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// When the process started (`run()`'s first line).
pub(crate) static STARTED: OnceLock<Instant> = OnceLock::new();

pub fn start() {
    STARTED.get_or_init(Instant::now);
}

pub fn ms() -> u128 {
    STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0)
}

fn mode() -> Option<&'static str> {
    static MODE: OnceLock<Option<String>> = OnceLock::new();
    MODE.get_or_init(|| std::env::var("OUTREACH_TIMING").ok()).as_deref()
}

pub fn enabled() -> bool {
    mode().is_some()
}

/// `OUTREACH_TIMING=exit`: quit after reporting the first screen.
pub fn exit_when_ready() -> bool {
    mode() == Some("exit")
}

pub fn mark(what: &str) {
    if enabled() {
        eprintln!("outreach-desk: trace {:>5} ms  {what}", ms());
    }
}

/// A mark only the first time (the first call of each command).
pub fn mark_first(what: &str) {
    if !enabled() {
        return;
    }
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let first = crate::state::lock(&SEEN).get_or_insert_with(HashSet::new).insert(what.to_string());
    if first {
        mark(what);
    }
}
