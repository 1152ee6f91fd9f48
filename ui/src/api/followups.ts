import { call } from "./invoke";
import type { CaseFilter } from "../bindings/CaseFilter";
import type { CaseInput } from "../bindings/CaseInput";
import type { FollowupSettings } from "../bindings/FollowupSettings";
import type { VisitDone } from "../bindings/VisitDone";

// Follow-ups of warned residents (预警回访). Phones come masked; a purged case has an empty name.

export const followupsList = (filter: CaseFilter) => call("followups_list", { filter });
export const followupsGet = (id: string) => call("followups_get", { id });
/** New cases get their visits scheduled from warnedOn. phone: null keeps the stored one on edit (required on create). */
export const followupsSave = (input: CaseInput) => call("followups_save", { input });
/** Records one follow-up visit; when the last one is done the case closes (closedOn, purgeOn). */
export const followupsRecordVisit = (input: VisitDone) => call("followups_record_visit", { input });
/**
 * A page of the visits due within `days` and every overdue one, most urgent first (`limit`, at
 * most 500, from `offset`), with how many are due and overdue in all and per grid worker (the
 * 200 with the most, and every worker on the page); workerId null = everyone.
 */
export const followupsDue = (days: number, workerId: string | null, limit: number, offset: number) =>
  call("followups_due", { days, workerId, limit, offset });
/** Full digits, for the case page only; Rust writes the look-up to the audit log. */
export const followupsRevealPhone = (id: string) => call("followups_reveal_phone", { id });
/** schedule like "7d,1m,3m"; purgeDays after closing. */
export const followupsSettings = () => call("followups_settings");
export const followupsSettingsSave = (settings: FollowupSettings) =>
  call("followups_settings_save", { settings });
