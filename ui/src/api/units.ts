import { call } from "./invoke";
import { app } from "../stores/app";
import type { UnitInput } from "../bindings/UnitInput";

export const unitsTree = (includeArchived: boolean) => call("units_tree", { includeArchived });

/**
 * The tree without archived units, asked as the database opens (stores/security.ts) when the
 * units view is the one to show; kept for the data as they were then (app.dataVersion).
 */
let prefetched: ReturnType<typeof unitsTree> | null = null;
let prefetchedAt = -1;
export function prefetchUnitsTree(): void {
  if (app.view !== "units") return;
  prefetchedAt = app.dataVersion;
  prefetched = unitsTree(false);
  // A failure is the units view's to show, when it takes this answer.
  prefetched.catch(() => undefined);
}
/** The prefetched tree, once (the units view's first load); later loads ask again. */
export function takePrefetchedTree(): ReturnType<typeof unitsTree> | null {
  const p = prefetchedAt === app.dataVersion ? prefetched : null;
  prefetched = null;
  return p;
}
export const unitsSave = (input: UnitInput) => call("units_save", { input });
export const unitsMove = (id: string, newParentId: string | null) => call("units_move", { id, newParentId });
export const unitsArchive = (id: string) => call("units_archive", { id });
export const unitsRestore = (id: string) => call("units_restore", { id });
