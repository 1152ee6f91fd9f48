//! Spreadsheets out: a table with full phone numbers (or masked), audited.

use outreach_core::audit::Note;
use std::path::Path;

use outreach_core::transfer::{self, FileFormat, TableKind};
use outreach_core::{Action, Result, Store};

/// Writes the table to `path` (chosen by the user); the number of rows. Phones are masked
/// (138****8000) unless `full_phones` is asked for, which its audit entry says
/// (`export.table_full`, apart from `export.table_masked` and, for tables without phones,
/// `export.table`).
pub fn export(store: &mut Store, kind: TableKind, format: FileFormat, path: &Path, full_phones: bool) -> Result<usize> {
    store.authorize(Action::TableExport)?;
    let mask_phones = !full_phones;
    crate::save_audited(
        store,
        path,
        |store, tmp| transfer::export(store.conn(), kind, format, tmp, mask_phones),
        |n| {
            let note = Note::new(match (kind.has_phones(), full_phones) {
                (false, _) => "export.table",
                (true, false) => "export.table_masked",
                (true, true) => "export.table_full",
            });
            ("export".into(), kind.as_str().into(), note.with("n", n).with("path", path.display()))
        },
    )
}
