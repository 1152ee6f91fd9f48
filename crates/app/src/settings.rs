//! The operator's settings and the print settings: the coordinator's.

use outreach_core::settings::{self, PrintSettings, Settings};
use outreach_core::{Action, Result, Store};

pub fn save(store: &mut Store, input: &Settings) -> Result<Settings> {
    crate::act(store, Action::SettingsSave, |tx| settings::save(tx, input))
}

pub fn save_print(store: &mut Store, input: &PrintSettings) -> Result<PrintSettings> {
    let dir = store.data_dir();
    crate::act(store, Action::PrintSettings, |tx| settings::save_print(tx, input, dir.as_deref()))
}
