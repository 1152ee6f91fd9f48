import { call } from "./invoke";
import type { PushInput } from "../bindings/PushInput";

// Incidents (发案研判, src-tauri commands/incidents.rs): the case system's fraud cases beside the
// outreach. Weeks are ISO weeks "2026-W49"; periods are "YYYY-MM-DD" dates, both ends included.
// The case file itself comes in through the table import (api/transfer.ts, kind "incidents").

/** The week's cases under a unit by type, group and place, with a suggested action per place. */
export const incidentsReview = (unitId: string, week: string) => call("incidents_review", { unitId, week });
/** Precision gaps and the grids' rate / coverage points of the 90 days up to today. */
export const incidentsGaps = (unitId: string) => call("incidents_gaps", { unitId });
/** A page of the incidents filed in [from, to] under a unit, newest first, with the total. */
export const incidentsList = (unitId: string, from: string, to: string, limit: number, offset: number) =>
  call("incidents_list", { unitId, from, to, limit, offset });
/** Warned residents defrauded again within 3 and 12 months (a captain's own grids). */
export const incidentsRevictimisation = () => call("incidents_revictimisation");
/** The case system's fraud-type labels and the topic each is counted under. */
export const incidentsLabels = () => call("incidents_labels");
export const incidentsLabelSave = (label: string, topicId: string) => call("incidents_label_save", { label, topicId });
export const incidentsLabelRemove = (label: string) => call("incidents_label_remove", { label });
/** Rust's save dialog, then the week's review as a one-page brief (PDF); null = cancelled. Audited. */
export const incidentsBriefSave = (unitId: string, week: string) => call("incidents_brief_save", { unitId, week });
/** The tailored WeChat warning for a place and week, to edit and copy. */
export const incidentsPushDraft = (unitId: string, week: string) => call("incidents_push_draft", { unitId, week });
/** Records a push as sent: an online-push session, held and recorded in one go. */
export const incidentsPushRecord = (input: PushInput) => call("incidents_push_record", { input });
