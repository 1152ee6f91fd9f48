//! Spreadsheets out: a table with full phone numbers (or masked), audited.

use std::path::Path;

use outreach_core::transfer::{self, FileFormat, TableKind};
use outreach_core::{Action, Result, Store};

/// Writes the table to `path` (chosen by the user); the number of rows, audited with whether
/// the phones were masked.
pub fn export(store: &mut Store, kind: TableKind, format: FileFormat, path: &Path, mask_phones: bool) -> Result<usize> {
    store.authorize(Action::TableExport)?;
    let n = transfer::export(store.conn(), kind, format, path, mask_phones)?;
    let phones = if mask_phones { "（电话已遮挡）" } else { "（含完整电话）" };
    store.audit("export", kind.as_str(), &format!("{n} 行 → {}{phones}", path.display()))?;
    Ok(n)
}
