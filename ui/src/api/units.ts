import { call } from "./invoke";
import type { UnitInput } from "../bindings/UnitInput";

export const unitsTree = (includeArchived: boolean) => call("units_tree", { includeArchived });
export const unitsSave = (input: UnitInput) => call("units_save", { input });
export const unitsMove = (id: string, newParentId: string | null) => call("units_move", { id, newParentId });
export const unitsArchive = (id: string) => call("units_archive", { id });
export const unitsRestore = (id: string) => call("units_restore", { id });
