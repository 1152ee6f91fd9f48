import type { StockLine } from "../bindings/StockLine";

/** Material categories (crates/core materials::CATEGORIES). */
export const MATERIAL_CATEGORIES = ["flyer", "poster", "banner", "gift", "letter", "other"] as const;
export type MaterialCategory = (typeof MATERIAL_CATEGORIES)[number];

export type StockState = "ok" | "low" | "negative";
export const STOCK_STATES: StockState[] = ["negative", "low", "ok"];

export function stockState(line: Pick<StockLine, "state">): StockState {
  return line.state === "negative" || line.state === "low" ? line.state : "ok";
}

/** How many lines are in each state. */
export function stockCounts(lines: StockLine[]): Record<StockState, number> {
  const out: Record<StockState, number> = { ok: 0, low: 0, negative: 0 };
  for (const l of lines) out[stockState(l)]++;
  return out;
}
