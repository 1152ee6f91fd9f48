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
pub mod incidents;
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
use outreach_core::audit::Note;
pub use outreach_core::{Error, Result, Store};

/// An action that is one write: the access table's check, then the write and its audit entry
/// in one transaction (a refused write leaves no entry; a written one always has one).
pub(crate) fn act<T: Subject>(
    store: &mut Store,
    action: Action,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    store.authorize(action)?;
    act_guarded(store, action, f)
}

/// The write of an action whose access and row guards the caller checked, audited like `act`.
pub(crate) fn act_guarded<T: Subject>(
    store: &mut Store,
    action: Action,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    write_audited(store, action, f, |out| Some(out.subject()))
}

/// A write that returns nothing (a removal, a void), audited by the row it names; access and
/// row guards checked by the caller.
pub(crate) fn act_on(
    store: &mut Store,
    action: Action,
    target: String,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<()>,
) -> Result<()> {
    write_audited(store, action, f, |_| Some((target, String::new())))
}

/// The write of an action whose access was checked by the caller (with its row guards), and its
/// audit entry in the same transaction. `subject` names what was written — `None` when nothing
/// was (a plan refused for its warnings).
pub(crate) fn write_audited<T>(
    store: &mut Store,
    action: Action,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
    subject: impl FnOnce(&T) -> Option<(String, String)>,
) -> Result<T> {
    let (operator, actor) = (store.operator(), store.actor());
    store.write(|tx| {
        let out = f(tx)?;
        if let Some((target, name)) = subject(&out) {
            let note = Note::new("action.done").with("action", action.label_zh()).with("name", name);
            outreach_core::audit::record(tx, &operator, &actor, action.code(), &target, &note)?;
        }
        Ok(out)
    })
}

/// Writes a file the user chose and its audit entry, so that there is never the file without
/// its entry: `write` fills a temporary file beside it, the entry is recorded, and only then is
/// the file renamed into place. If the entry cannot be written the temporary file is removed
/// and nothing is left under the user's name.
pub(crate) fn save_audited<T>(
    store: &mut Store,
    path: &std::path::Path,
    write: impl FnOnce(&Store, &std::path::Path) -> Result<T>,
    entry: impl FnOnce(&T) -> (String, String, Note),
) -> Result<T> {
    let mut name = path.as_os_str().to_owned();
    name.push(".part");
    let tmp = std::path::PathBuf::from(name);
    let out = write(store, &tmp).and_then(|out| {
        let (action, target, note) = entry(&out);
        store.audit(&action, &target, note)?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display().to_string(), e))?;
        Ok(out)
    });
    if out.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    out
}

/// The file name of a path, as an audit entry names what was saved.
pub(crate) fn file_name_of(path: &std::path::Path) -> String {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string()
}

/// What an audit entry names: the row (`people/<id>`) and words a person recognises. Residents'
/// names are not among them: the log outlives the purge of a closed case.
pub(crate) trait Subject {
    fn subject(&self) -> (String, String);
}

macro_rules! subject {
    ($($t:ty => |$v:ident| $target:expr, $name:expr;)*) => {
        $(impl Subject for $t {
            fn subject(&self) -> (String, String) {
                let $v = self;
                ($target, $name)
            }
        })*
    };
}

subject! {
    outreach_core::units::Unit => |u| format!("units/{}", u.id), u.name.clone();
    outreach_core::people::Person => |p| format!("people/{}", p.id), p.name.clone();
    outreach_core::teams::Team => |t| format!("teams/{}", t.id), t.name.clone();
    outreach_core::venues::Venue => |v| format!("venues/{}", v.id), v.name.clone();
    outreach_core::templates::Template => |t| format!("templates/{}", t.id), t.name.clone();
    outreach_core::topics::Topic => |t| format!("topics/{}", t.id), t.name.clone();
    outreach_core::materials::Material => |m| format!("materials/{}", m.id), m.name.clone();
    outreach_core::materials::StockMove => |m| format!("stock/{}", m.id),
        format!("{} × {} → {}", m.material_name, m.quantity, m.to_unit_name);
    outreach_core::coverage::Target => |t| format!("targets/{}", t.id.as_deref().unwrap_or("")), t.from.clone() + "–" + &t.to;
    outreach_core::visits::Visit => |v| format!("visits/{}", v.id), format!("{} {} {}", v.grid_name, v.building, v.visited_on);
    outreach_core::followups::Case => |c| format!("cases/{}", c.id), c.grid_name.clone();
    outreach_core::records::Record => |r| format!("records/{}", r.id), r.session_title.clone();
    outreach_core::sessions::Session => |s| format!("sessions/{}", s.id), s.title.clone();
    outreach_core::photos::Photo => |p| format!("photos/{}", p.id), format!("records/{}", p.record_id);
    outreach_core::settings::Settings => |_s| "settings".to_string(), String::new();
    outreach_core::settings::PrintSettings => |_s| "settings/print".to_string(), String::new();
    outreach_core::followups::FollowupSettings => |_s| "settings/followups".to_string(), String::new();
    outreach_core::identity::Signer => |s| format!("signers/{}", s.fingerprint), format!("{}（{}）", s.label, s.fingerprint);
    outreach_core::incidents::TypeLabel => |l| format!("incident_labels/{}", l.label), format!("{} → {}", l.label, l.topic_name);
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
