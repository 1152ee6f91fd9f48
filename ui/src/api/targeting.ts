import { call } from "./invoke";
import type { Gap } from "../bindings/Gap";
import type { Suggestions } from "../bindings/Suggestions";

/** Audiences (weighted) and topics (scored), each with a reason, for a unit or grid. */
export const targetingSuggest = (unitId: string) => call<Suggestions>("targeting_suggest", { unitId });
/** Grids (under unitId, or all) with no held session in the last `days` days, most residents first. */
export const targetingGaps = (unitId: string | null, days: number) =>
  call<Gap[]>("targeting_gaps", { unitId, days });
