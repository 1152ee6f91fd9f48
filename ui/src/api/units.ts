import { call } from "./invoke";
import type { Unit } from "../bindings/Unit";
import type { UnitInput } from "../bindings/UnitInput";
import type { UnitNode } from "../bindings/UnitNode";

export const unitsTree = (includeArchived: boolean) => call<UnitNode[]>("units_tree", { includeArchived });
export const unitsSave = (input: UnitInput) => call<Unit>("units_save", { input });
export const unitsMove = (id: string, newParentId: string | null) => call<Unit>("units_move", { id, newParentId });
export const unitsArchive = (id: string) => call<Unit>("units_archive", { id });
export const unitsRestore = (id: string) => call<Unit>("units_restore", { id });
