import type { Session } from "../bindings/Session";
import type { Paper, PrintKind, PrintRequest } from "../api/print";
import { compareText } from "./format";
import { isoWeekday, parseDate, parseLocal, timeRange } from "./plan";

/** The documents of the Print view, in the order of its cards. */
export const PRINT_KINDS: PrintKind[] = ["flyer", "grid_flyers", "signin", "letters", "certificate"];
/** Documents rendered in a batch: Rust reports "print-progress" and they can be cancelled. */
export const BATCH_KINDS = new Set<PrintKind>(["grid_flyers", "letters"]);

/** What the form holds; buildRequest turns it into the command's request. */
export type PrintForm = {
  kind: PrintKind;
  sessionId: string | null;
  paper: Paper;
  photoId: string | null;
  unitId: string | null;
  phoneColumn: boolean;
  venueIds: string[];
  personId: string | null;
  from: string | null;
  to: string | null;
};

/** A refusal before anything is sent: an i18n key (print.need.*) and its params. */
export type FormProblem = { key: string; params?: Record<string, string> };

export function buildRequest(f: PrintForm): { request: PrintRequest } | { problem: FormProblem } {
  switch (f.kind) {
    case "flyer":
      if (!f.sessionId) return { problem: { key: "print.need.session" } };
      return { request: { kind: "flyer", sessionId: f.sessionId, paper: f.paper, photoId: f.photoId || null } };
    case "signin":
      if (!f.sessionId) return { problem: { key: "print.need.session" } };
      return { request: { kind: "signin", sessionId: f.sessionId, phoneColumn: f.phoneColumn } };
    case "grid_flyers":
      if (!f.unitId) return { problem: { key: "print.need.unit" } };
      return { request: { kind: "grid_flyers", unitId: f.unitId } };
    case "letters":
      return { request: { kind: "letters", venueIds: [...f.venueIds] } };
    case "certificate":
      if (!f.personId) return { problem: { key: "print.need.person" } };
      if (!f.from || !parseDate(f.from)) return { problem: { key: "print.need.from" } };
      if (!f.to || !parseDate(f.to)) return { problem: { key: "print.need.to" } };
      if (f.from > f.to) return { problem: { key: "print.need.order", params: { from: f.from, to: f.to } } };
      return { request: { kind: "certificate", personId: f.personId, from: f.from, to: f.to } };
  }
}

export type SessionOption = { value: string; label: string; date: string; time: string; title: string; upcoming: boolean; kind: Session["kind"] };

/**
 * Session picker options: upcoming sessions first (soonest first), then the ones that have
 * started (latest first); cancelled ones are left out. The label (date, weekday, time, title)
 * is what the filter searches.
 */
export function sessionOptions(sessions: Session[], weekday: (n: number) => string, now: Date = new Date()): SessionOption[] {
  const out: SessionOption[] = [];
  for (const s of sessions) {
    if (s.status === "cancelled") continue;
    const start = parseLocal(s.start);
    const date = s.start.slice(0, 10);
    const wd = start ? weekday(isoWeekday(start)) : "";
    const time = timeRange(s.start, s.end);
    const upcoming = !!start && start.getTime() >= now.getTime();
    out.push({ value: s.id, label: `${date} ${wd} ${time} ${s.title}`.replace(/\s+/g, " "), date, time, title: s.title, upcoming, kind: s.kind });
  }
  const startOf = new Map(sessions.map((s) => [s.id, s.start]));
  return out.sort((a, b) => {
    if (a.upcoming !== b.upcoming) return a.upcoming ? -1 : 1;
    const sa = startOf.get(a.value) ?? "";
    const sb = startOf.get(b.value) ?? "";
    const cmp = sa < sb ? -1 : sa > sb ? 1 : 0;
    const byTime = a.upcoming ? cmp : -cmp;
    return byTime || compareText(a.title, b.title);
  });
}

/** The first day of this year and today, "YYYY-MM-DD": the certificate's default period. */
export function defaultPeriod(now: Date = new Date()): { from: string; to: string } {
  const p = (n: number) => String(n).padStart(2, "0");
  return { from: `${now.getFullYear()}-01-01`, to: `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}` };
}
