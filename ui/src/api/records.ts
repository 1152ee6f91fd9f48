import { call } from "./invoke";
import type { RecordInput } from "../bindings/RecordInput";
import type { VisitFilter } from "../bindings/VisitFilter";
import type { VisitInput } from "../bindings/VisitInput";

// One record per session: a record's id is its session's id. Times are local "YYYY-MM-DDTHH:mm".

/** The record of a session, or null when nothing has been recorded yet. */
export const recordsGet = (id: string) => call("records_get", { id });
/**
 * Records (or corrects) what happened. Planned / confirmed sessions move to "held". A reported
 * session takes the change only with `reason` (kept as a correction). `warnings` are not
 * refusals (stock running low or negative after the hand-outs).
 */
export const recordsSave = (input: RecordInput) => call("records_save", { input });
/** The coordinator's review: held → reported; the record locks (later saves are corrections). */
export const recordsReview = (id: string) => call("records_review", { id });
/** Corrections of a reported record, oldest first, with the before / after summaries. */
export const recordsCorrections = (id: string) => call("records_corrections", { id });

/** Rust opens the native file dialog; null = cancelled. The record must exist (save first). */
export const photosAdd = (recordId: string, caption: string) => call("photos_add", { recordId, caption });
export const photosRemove = (id: string) => call("photos_remove", { id });
/** A screen-sized JPEG of the original, as a data URL. */
export const photosPreview = (id: string) => call("photos_preview", { id });

/** Door-to-door logs (入户走访), by session and / or grid. */
export const visitsList = (filter: VisitFilter) => call("visits_list", { filter });
export const visitsSave = (input: VisitInput) => call("visits_save", { input });
export const visitsRemove = (id: string) => call("visits_remove", { id });
