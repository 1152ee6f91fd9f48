//! Outreach Desk core: the domain, its validation and the SQLite store. No UI, no Tauri —
//! the desktop shell and the `outreach` CLI are both thin layers over this crate.

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod db;
pub mod demo;
pub mod error;
pub mod paths;
pub mod people;
pub mod phone;
pub mod series;
pub mod sessions;
pub mod settings;
pub mod sheets;
pub mod targeting;
pub mod teams;
pub mod templates;
pub mod topics;
pub mod transfer;
pub mod units;
pub mod util;
pub mod venues;

pub use db::Store;
pub use error::{Error, Issue, Result};
