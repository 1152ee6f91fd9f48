// Helpers of the 发案研判 view shared by its panels and the tests: enums in display order and
// the one-click plan's time.
import type { ActionKind } from "../bindings/ActionKind";
import type { AgeGroup } from "../bindings/AgeGroup";
import type { Occupation } from "../bindings/Occupation";
import { addDays, fmtDate } from "./plan";

export const ACTION_KINDS: ActionKind[] = ["talk", "visits", "push"];
export const AGE_GROUPS: AgeGroup[] = ["under18", "age18to59", "age60plus", "unknown"];
export const OCCUPATIONS: Occupation[] = ["student", "employee", "finance", "merchant", "retired", "unemployed", "other", "unknown"];

/**
 * 09:30–10:30 of the next working day (Monday to Friday) after `now`: a suggestion planned in
 * one click lands in the first morning the grid's staff can hold it, never today or a weekend.
 */
export function nextWorkingMorning(now: Date = new Date()): { start: string; end: string } {
  let d = addDays(now, 1);
  while (d.getDay() === 0 || d.getDay() === 6) d = addDays(d, 1);
  const day = fmtDate(d);
  return { start: `${day}T09:30`, end: `${day}T10:30` };
}

/** ↑ / ↓ / → of a count against its average of the weeks before. */
export function trendArrow(count: number, avg: number): "up" | "down" | "flat" {
  return count > avg ? "up" : count < avg ? "down" : "flat";
}
