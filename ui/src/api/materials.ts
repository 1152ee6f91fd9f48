import { call } from "./invoke";
import type { MaterialInput } from "../bindings/MaterialInput";
import type { StockMoveInput } from "../bindings/StockMoveInput";

// Materials (宣传物资): the item list, stock moves and the per-unit reconciliation.

export const materialsList = () => call("materials_list");
export const materialsSave = (input: MaterialInput) => call("materials_save", { input });
/** Stock moves of a unit (null = every unit). */
export const materialsMoves = (unitId: string | null) => call("materials_moves", { unitId });
export const materialsAddMove = (input: StockMoveInput) => call("materials_add_move", { input });
export const materialsVoidMove = (id: string) => call("materials_void_move", { id });
/** received − allocated out + allocated in − handed out, per unit and material. */
export const materialsStock = (unitId: string | null) => call("materials_stock", { unitId });
