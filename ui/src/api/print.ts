import { call } from "./invoke";
import type { PrintSettings } from "../bindings/PrintSettings";

// Printing: Rust renders the documents (crates/print) and hands the PDF over as base64 for the
// preview; saving renders again behind the native save dialog and writes an audit entry.
// The request and results are written from Rust (bindings/: PrintRequest, Rendered, Saved).

import type { Paper } from "../bindings/Paper";
import type { PrintRequest } from "../bindings/PrintRequest";
import type { Rendered } from "../bindings/Rendered";
import type { Saved } from "../bindings/Saved";
export type { Paper, PrintRequest };
export type PrintKind = PrintRequest["kind"];
export type PrintRendered = Rendered;
export type PrintSaved = Saved;
/** Payload of the "print-progress" event while a batch (grid flyers, letters) renders. */
export type PrintProgress = { done: number; total: number };
export const PRINT_PROGRESS_EVENT = "print-progress";

export const printPreview = (request: PrintRequest) => call("print_preview", { request });
/** Rust's save dialog (suggesting `fileName`); null = cancelled. Audited. */
export const printSave = (request: PrintRequest, fileName: string) => call("print_save", { request, fileName });
/** A running batch stops after its current page; the command then fails with print.cancelled. */
export const printCancel = () => call("print_cancel");

export const printSettings = () => call("print_settings");
export const printSettingsSave = (settings: PrintSettings) => call("print_settings_save", { settings });
/** Rust's open dialog; the image is checked (print.image_invalid / print.image_too_large). null = cancelled. */
export const printPickLogo = () => call("print_pick_logo");
export const printRemoveLogo = () => call("print_remove_logo");
