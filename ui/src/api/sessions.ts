import { call } from "./invoke";
import type { CandidateQuery } from "../bindings/CandidateQuery";
import type { SeriesInput } from "../bindings/SeriesInput";
import type { SessionFilter } from "../bindings/SessionFilter";
import type { SessionInput } from "../bindings/SessionInput";
import type { SessionStatus } from "../bindings/SessionStatus";
import type { Template } from "../bindings/Template";

// Times are local wall-clock strings "YYYY-MM-DDTHH:mm" (Asia/Shanghai).

export const sessionsList = (filter: SessionFilter) => call("sessions_list", { filter });
export const sessionsGet = (id: string) => call("sessions_get", { id });
export const sessionsHistory = (id: string) => call("sessions_history", { id });
/** Warnings only (double bookings, speaker without the topic, …); nothing is written. */
export const sessionsCheck = (input: SessionInput) => call("sessions_check", { input });
/** The speaker picker: people with their topics and whether they are booked at that time, best first. */
export const sessionsCandidates = (query: CandidateQuery) => call("sessions_candidates", { query });
/** With warnings and allowWarnings false, nothing is written: `session` is null and `warnings` lists them. */
export const sessionsSave = (input: SessionInput, allowWarnings: boolean) =>
  call("sessions_save", { input, allowWarnings });
/** Moves a session to a new start, keeping its length (drag and drop); same checks as a save. */
export const sessionsReschedule = (id: string, start: string, allowWarnings: boolean) =>
  call("sessions_reschedule", { id, start, allowWarnings });
/** Cancelling needs a reason; a reported session is locked. */
export const sessionsSetStatus = (id: string, status: SessionStatus, reason: string) =>
  call("sessions_set_status", { id, status, reason });

export const seriesCreate = (input: SeriesInput, allowWarnings: boolean) =>
  call("series_create", { input, allowWarnings });
/** Applies an edited occurrence to it and every later planned/confirmed occurrence of its series. */
export const seriesEditLater = (input: SessionInput, allowWarnings: boolean) =>
  call("series_edit_later", { input, allowWarnings });

export const templatesList = () => call("templates_list");
export const templatesSave = (template: Template) => call("templates_save", { template });

/** Saves the sessions of a unit (and below) or of a person as .ics; path written, null = cancelled. */
export const planExportIcs = (unitId: string | null, personId: string | null) =>
  call("plan_export_ics", { unitId, personId });
