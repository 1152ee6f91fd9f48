import { call } from "./invoke";
import type { FileFormat } from "../bindings/FileFormat";
import type { TableKind } from "../bindings/TableKind";

/** Opens the native file dialog in Rust; null = cancelled. Emits "import-progress". */
export const importPick = (kind: TableKind) => call("import_pick", { kind });
export const importCommit = (token: string, skipInvalid: boolean) =>
  call("import_commit", { token, skipInvalid });
export const importCancel = (token: string) => call("import_cancel", { token });
/** Path written, or null when the save dialog was cancelled. */
export const exportTable = (kind: TableKind, format: FileFormat, fullPhones = false) =>
  call("export_table", { kind, format, fullPhones });
export const exportTemplate = (kind: TableKind, format: FileFormat) =>
  call("export_template", { kind, format });

export const IMPORT_PROGRESS_EVENT = "import-progress";
