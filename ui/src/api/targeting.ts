import { call } from "./invoke";

/** Audiences (weighted) and topics (scored), each with a reason, for a unit or grid. */
export const targetingSuggest = (unitId: string) => call("targeting_suggest", { unitId });
/** Grids (under unitId, or all) with no held session in the last `days` days, most residents first. */
export const targetingGaps = (unitId: string | null, days: number) =>
  call("targeting_gaps", { unitId, days });
