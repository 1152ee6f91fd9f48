// Period presets of the reports view: 本月 / 本季度 / 本年 / 上季度 (custom = a date range).

export type Preset = "month" | "quarter" | "year" | "lastQuarter" | "custom";
export const PRESETS: Preset[] = ["month", "quarter", "lastQuarter", "year", "custom"];
export type Range = [string, string];

const pad = (n: number) => String(n).padStart(2, "0");
export const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** Last day of month m (0-based) of year y. */
const lastDay = (y: number, m: number) => new Date(y, m + 1, 0);

export function presetRange(p: Exclude<Preset, "custom">, today: Date = new Date()): Range {
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (p) {
    case "month":
      return [ymd(new Date(y, m, 1)), ymd(lastDay(y, m))];
    case "quarter": {
      const q = Math.floor(m / 3) * 3;
      return [ymd(new Date(y, q, 1)), ymd(lastDay(y, q + 2))];
    }
    case "lastQuarter": {
      const start = new Date(y, Math.floor(m / 3) * 3 - 3, 1);
      return [ymd(start), ymd(lastDay(start.getFullYear(), start.getMonth() + 2))];
    }
    case "year":
      return [ymd(new Date(y, 0, 1)), ymd(new Date(y, 11, 31))];
  }
}

/** Change against last year in %, one decimal; null when last year had nothing to compare with. */
export function change(current: number, last: number): number | null {
  if (!last) return null;
  return Math.round(((current - last) / last) * 1000) / 10;
}

import type { Metric } from "../../bindings/Metric";
export const METRICS: Metric[] = ["sessions", "person_times", "coverage_pct", "grids_reached", "followups_on_time_pct", "households_visited"];
