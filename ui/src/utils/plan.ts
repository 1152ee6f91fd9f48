// Planning helpers shared by the plan view, the session form and the tests: the enums in
// display order, colours per kind, local-time strings "YYYY-MM-DDTHH:mm" and the repeat rule
// of a series. The rules themselves are Rust's: bindings/rules.ts (limits, the status
// lifecycle) and api/rules.ts (a session's times).
import type { AssignRole } from "../bindings/AssignRole";
import type { Audience } from "../bindings/Audience";
import type { Repeat } from "../bindings/Repeat";
import type { SessionKind } from "../bindings/SessionKind";
import type { SessionStatus } from "../bindings/SessionStatus";

export const SESSION_KINDS: SessionKind[] = [
  "talk",
  "bench_talk",
  "door_to_door",
  "booth",
  "performance",
  "training",
  "online_push",
];
export const SESSION_STATUSES: SessionStatus[] = ["planned", "confirmed", "held", "reported", "cancelled"];
export const AUDIENCES: Audience[] = [
  "elderly",
  "students",
  "parents",
  "enterprise_staff",
  "finance_staff",
  "merchants",
  "public",
];
export const ASSIGN_ROLES: AssignRole[] = ["lead_speaker", "speaker", "grid_worker", "captain", "performer"];

/** Calendar colours per kind (cancelled sessions are grey whatever their kind). */
export const KIND_COLOR: Record<SessionKind, string> = {
  talk: "#2f6fd6",
  bench_talk: "#d08a0c",
  door_to_door: "#2e9d5b",
  booth: "#c8501e",
  performance: "#9b3fbf",
  training: "#0f8c95",
  online_push: "#5d6b8a",
};
export const CANCELLED_COLOR = "#b4bac6";

export const STATUS_TAG: Record<SessionStatus, "primary" | "success" | "warning" | "info" | "danger"> = {
  planned: "info",
  confirmed: "primary",
  held: "success",
  reported: "warning",
  cancelled: "danger",
};

// ---------- local times ----------

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Date -> "YYYY-MM-DDTHH:mm" in local time. */
export function fmtLocal(d: Date): string {
  return `${fmtDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Date -> "YYYY-MM-DD" in local time. */
export function fmtDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "YYYY-MM-DDTHH:mm" (or with a space) -> Date in local time; null if it is not a real time. */
export function parseLocal(s: string | null | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec((s ?? "").trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const out = new Date(y, mo - 1, d, h, mi);
  if (out.getFullYear() !== y || out.getMonth() !== mo - 1 || out.getDate() !== d || out.getHours() !== h || out.getMinutes() !== mi) {
    return null;
  }
  return out;
}

/** "YYYY-MM-DD" -> Date at local midnight, or null. */
export function parseDate(s: string | null | undefined): Date | null {
  return parseLocal(`${(s ?? "").trim()}T00:00`);
}

export function addMinutes(s: string, minutes: number): string {
  const d = parseLocal(s);
  if (!d) return s;
  return fmtLocal(new Date(d.getTime() + minutes * 60_000));
}

export function addDays(d: Date, days: number): Date {
  const out = new Date(d);
  out.setDate(out.getDate() + days);
  return out;
}

/** Whole minutes from a to b, or null if either is not a time. */
export function minutesBetween(a: string, b: string): number | null {
  const da = parseLocal(a);
  const db = parseLocal(b);
  if (!da || !db) return null;
  return Math.round((db.getTime() - da.getTime()) / 60_000);
}

/** "2026-03-07T09:00" -> "2026-03-07 09:00". */
export function showTime(s: string): string {
  return s.replace("T", " ");
}

/** "09:00–10:30", or with the end's date when it ends on another day. */
export function timeRange(start: string, end: string): string {
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start.slice(11, 16)}–${sameDay ? end.slice(11, 16) : showTime(end).slice(5)}`;
}

/** ISO weekday 1 = Monday … 7 = Sunday (as series::Repeat). */
export function isoWeekday(d: Date): number {
  return d.getDay() === 0 ? 7 : d.getDay();
}

/** Which occurrence of its weekday a date is in its month: 1–4, or -1 for the 5th (= the last). */
export function nthOfMonth(d: Date): number {
  const n = Math.ceil(d.getDate() / 7);
  return n >= 5 ? -1 : n;
}

// ---------- repeat ----------

export type RepeatMode = "none" | "weekly" | "monthly_weekday" | "monthly_day";
export type RepeatModel = { mode: RepeatMode; every: number; nth: number; weekday: number; count: number };

/** The Repeat of a SeriesInput for the form's repeat section; null when the session does not repeat. */
export function buildRepeat(r: RepeatModel): Repeat | null {
  switch (r.mode) {
    case "none":
      return null;
    case "weekly":
      return { type: "weekly", every: r.every };
    case "monthly_weekday":
      return { type: "monthly_weekday", nth: r.nth, weekday: r.weekday };
    case "monthly_day":
      return { type: "monthly_day" };
  }
}
