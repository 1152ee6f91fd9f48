import { call } from "./invoke";
import type { FileFormat } from "../bindings/FileFormat";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { TableKind } from "../bindings/TableKind";

/** Opens the native file dialog in Rust; null = cancelled. Emits "import-progress". */
export const importPick = (kind: TableKind) => call<ImportPreview | null>("import_pick", { kind });
export const importCommit = (token: string, skipInvalid: boolean) =>
  call<ImportOutcome>("import_commit", { token, skipInvalid });
export const importCancel = (token: string) => call<null>("import_cancel", { token });
/** Path written, or null when the save dialog was cancelled. */
export const exportTable = (kind: TableKind, format: FileFormat) =>
  call<string | null>("export_table", { kind, format });
export const exportTemplate = (kind: TableKind, format: FileFormat) =>
  call<string | null>("export_template", { kind, format });

export const IMPORT_PROGRESS_EVENT = "import-progress";
