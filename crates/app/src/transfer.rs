//! Spreadsheets out: a table with full phone numbers (or masked), audited.

use outreach_core::audit::Note;
use std::path::Path;

use outreach_core::transfer::{self, FileFormat, TableKind};
use outreach_core::{Action, Result, Store};

/// Writes the table to `path` (chosen by the user); the number of rows, audited with whether
/// the phones were masked.
pub fn export(store: &mut Store, kind: TableKind, format: FileFormat, path: &Path, mask_phones: bool) -> Result<usize> {
    store.authorize(Action::TableExport)?;
    crate::save_audited(
        store,
        path,
        |store, tmp| transfer::export(store.conn(), kind, format, tmp, mask_phones),
        |n| {
            let note = Note::new(if mask_phones { "export.table_masked" } else { "export.table_full" });
            ("export".into(), kind.as_str().into(), note.with("n", n).with("path", path.display()))
        },
    )
}
