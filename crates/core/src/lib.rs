//! Outreach Desk core: the domain, its validation and the SQLite store. No UI, no Tauri —
//! the desktop shell and the `outreach` CLI are both thin layers over this crate.

pub mod access;
pub mod audit;
pub mod backup;
pub mod bundles;
pub mod calendar;
pub mod cityyear;
mod codes;
pub mod coverage;
pub mod db;
mod dbfile;
pub mod demo;
pub mod error;
pub mod followups;
pub mod identity;
pub mod incidents;
pub mod keychain;
pub mod keyfile;
mod keyslots;
pub mod kinds;
pub mod materials;
pub mod passphrase;
pub mod paths;
pub mod people;
pub mod phone;
pub mod photos;
pub mod picture;
pub mod profiles;
pub mod records;
pub mod reports;
pub mod rules;
pub mod series;
pub mod sessions;
pub mod settings;
pub mod sheets;
pub mod targeting;
pub mod teams;
pub mod templates;
pub mod time;
pub mod topics;
pub mod transfer;
pub mod units;
pub mod unlocks;
pub mod util;
pub mod venues;
pub mod visits;

pub use access::{Access, Action};
pub use db::Store;
pub use error::{Error, Issue, Result};
pub use passphrase::Passphrase;

/// Writes a generated file of `ui/src/bindings/` (as ts-rs writes the types), only when its
/// text changed, so a test run leaves the tree as it was when nothing did.
#[cfg(test)]
pub(crate) fn write_ui_binding(file: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings").join(file);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).unwrap();
    }
}
