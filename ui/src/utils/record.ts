// Recording helpers shared by the record view, its forms and the tests: where a session stands
// in recording, the audience split sum, sign-in names, grid options and the follow-up enums.
import type { Method } from "../bindings/Method";
import type { Outcome } from "../bindings/Outcome";
import type { Risk } from "../bindings/Risk";
import type { Session } from "../bindings/Session";
import type { UnitNode } from "../bindings/UnitNode";
import type { VisitResult } from "../bindings/VisitResult";
import { compareText } from "./format";
import { parseLocal } from "./plan";

/** 待登记 (started, nothing recorded yet — also a session marked held by hand), 待审核 (recorded),
 * 已上报 (reported); null = not for the record list. */
export type RecordState = "toRecord" | "toReview" | "reported";
export const RECORD_STATES: RecordState[] = ["toRecord", "toReview", "reported"];
export const RECORD_STATE_TAG: Record<RecordState, "warning" | "primary" | "success"> = {
  toRecord: "warning",
  toReview: "primary",
  reported: "success",
};

/** Where a session stands in recording at `now`; null for cancelled and future sessions. */
export function recordState(s: Pick<Session, "status" | "start" | "recorded">, now: Date = new Date()): RecordState | null {
  switch (s.status) {
    case "held":
      return s.recorded ? "toReview" : "toRecord";
    case "reported":
      return "reported";
    case "planned":
    case "confirmed": {
      const start = parseLocal(s.start);
      return start && start.getTime() <= now.getTime() ? "toRecord" : null;
    }
    default:
      return null;
  }
}

/** "YYYY-MM" -> first and last day ("YYYY-MM-DD"), for a sessions_list filter. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(y, m, 0).getDate();
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, "0")}` };
}

/** The sum of the split counts (empty rows count as 0). */
export function splitSum(rows: { count: number | null }[]): number {
  return rows.reduce((sum, r) => sum + (typeof r.count === "number" && Number.isFinite(r.count) ? r.count : 0), 0);
}

/** A textarea with one name per line (commas and 、 also separate) -> trimmed, non-empty names. */
export function parseNames(text: string): string[] {
  return text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export type GridOption = { value: string; label: string; disabled?: boolean };

/** Every grid of the tree (not archived), labelled "网格（社区）", by name. */
export function gridOptions(roots: UnitNode[], keep?: { id: string; name: string } | null): GridOption[] {
  const out: GridOption[] = [];
  const walk = (nodes: UnitNode[], parent: string) => {
    for (const n of nodes) {
      if (n.unit.kind === "grid" && !n.unit.archived) {
        out.push({ value: n.unit.id, label: parent ? `${n.unit.name}（${parent}）` : n.unit.name });
      }
      walk(n.children, n.unit.name);
    }
  };
  walk(roots, "");
  out.sort((a, b) => compareText(a.label, b.label));
  if (keep && keep.id && !out.some((o) => o.value === keep.id)) out.unshift({ value: keep.id, label: keep.name || keep.id });
  return out;
}

// ---------- follow-ups ----------

export const RISKS: Risk[] = ["high", "medium", "low"];
export const RISK_TAG: Record<Risk, "danger" | "warning" | "info"> = { high: "danger", medium: "warning", low: "info" };
export const METHODS: Method[] = ["phone", "in_person"];
export const OUTCOMES: Outcome[] = ["dissuaded", "not_reached", "refused", "victimised"];
export const VISIT_RESULTS: VisitResult[] = ["safe", "needs_help", "not_reached", "victimised"];

/** Today as "YYYY-MM-DD" in local time. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
