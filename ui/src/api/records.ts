import { call } from "./invoke";
import type { Correction } from "../bindings/Correction";
import type { Photo } from "../bindings/Photo";
import type { Record as SessionRecord } from "../bindings/Record";
import type { RecordInput } from "../bindings/RecordInput";
import type { RecordOutcome } from "../bindings/RecordOutcome";
import type { Visit } from "../bindings/Visit";
import type { VisitFilter } from "../bindings/VisitFilter";
import type { VisitInput } from "../bindings/VisitInput";

// One record per session: a record's id is its session's id. Times are local "YYYY-MM-DDTHH:mm".

/** The record of a session, or null when nothing has been recorded yet. */
export const recordsGet = (id: string) => call<SessionRecord | null>("records_get", { id });
/**
 * Records (or corrects) what happened. Planned / confirmed sessions move to "held". A reported
 * session takes the change only with `reason` (kept as a correction). `warnings` are not
 * refusals (stock running low or negative after the hand-outs).
 */
export const recordsSave = (input: RecordInput) => call<RecordOutcome>("records_save", { input });
/** The coordinator's review: held → reported; the record locks (later saves are corrections). */
export const recordsReview = (id: string) => call<SessionRecord>("records_review", { id });
/** Corrections of a reported record, oldest first, with the before / after summaries. */
export const recordsCorrections = (id: string) => call<Correction[]>("records_corrections", { id });

/** Rust opens the native file dialog; null = cancelled. The record must exist (save first). */
export const photosAdd = (recordId: string, caption: string) => call<Photo | null>("photos_add", { recordId, caption });
export const photosRemove = (id: string) => call<null>("photos_remove", { id });
/** A screen-sized JPEG of the original, as a data URL. */
export const photosPreview = (id: string) => call<string>("photos_preview", { id });

/** Door-to-door logs (入户走访), by session and / or grid. */
export const visitsList = (filter: VisitFilter) => call<Visit[]>("visits_list", { filter });
export const visitsSave = (input: VisitInput) => call<Visit>("visits_save", { input });
export const visitsRemove = (id: string) => call<null>("visits_remove", { id });
