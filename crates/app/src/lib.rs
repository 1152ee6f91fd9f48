//! The use-case layer: every user action that more than one front end offers lives here once —
//! its access check (the table in `outreach_core::access`), its validation, its transaction,
//! its audit entry and the files it reads or writes. The window's commands (`src-tauri`) and
//! the CLI's subcommands call these and add only what differs per front end: who chooses a
//! file (a dialog, an argument), how progress and results are shown.
//!
//! Reads that return personal data (cases, visits, records with their sign-in names and
//! photos, full phone numbers) are limited here to a captain's units, in the queries.
//!
//! The modules carry the domain's names, as in the core, the shell and the UI.

pub mod bundles;
pub mod followups;
pub mod materials;
pub mod people;
pub mod print;
pub mod records;
pub mod reports;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod transfer;
pub mod units;
pub mod venues;
pub mod visits;

pub use outreach_core::access::{Action, Rule};
pub use outreach_core::{Error, Result, Store};

/// An action that is one write: the access table's check, then the write in one transaction.
pub(crate) fn act<T>(
    store: &mut Store,
    action: Action,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    store.authorize(action)?;
    store.write(f)
}

/// An image file the user chose (a record's photo, a flyer's picture): its name and bytes, the
/// size checked before anything is read.
pub fn read_chosen_image(file: &std::path::Path) -> Result<(String, Vec<u8>)> {
    let io = |e| Error::io(file.display().to_string(), e);
    outreach_core::photos::check_size(std::fs::metadata(file).map_err(io)?.len())?;
    let bytes = std::fs::read(file).map_err(io)?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    Ok((name, bytes))
}

/// Today, in the user's time zone: what "due" and "overdue" are counted from.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// What differs between the front ends, for the use cases that need it: the day it is, and
/// where a long job tells its progress and hears a cancel (the window's progress event and its
/// 取消 button; nothing in the CLI). The file read or written is chosen by the front end before
/// the use case runs (a dialog, an argument); who is acting is the store's (`Store::authorize`).
pub trait Host {
    fn today(&self) -> chrono::NaiveDate {
        today()
    }

    /// `done` of `total` steps finished; false stops the job (`print.cancelled`).
    fn progress(&mut self, _done: usize, _total: usize) -> bool {
        true
    }
}

/// Says nothing, never cancels, and works on today's date: the CLI.
pub struct Quiet;

impl Host for Quiet {}

/// A host from a progress callback (today's date): the window's, which emits an event and
/// reads the cancel flag.
pub struct Progress<F: FnMut(usize, usize) -> bool>(pub F);

impl<F: FnMut(usize, usize) -> bool> Host for Progress<F> {
    fn progress(&mut self, done: usize, total: usize) -> bool {
        (self.0)(done, total)
    }
}
