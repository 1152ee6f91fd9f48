import type { PersonRole } from "../bindings/PersonRole";
import type { TeamKind } from "../bindings/TeamKind";
import type { VenueKind } from "../bindings/VenueKind";

export const PERSON_ROLES: PersonRole[] = [
  "police",
  "auxiliary",
  "grid_worker",
  "property_staff",
  "retired_cadre",
  "teacher",
  "bank_staff",
  "volunteer",
];
export const TEAM_KINDS: TeamKind[] = ["speaker_corps", "troupe", "squad"];
export const VENUE_KINDS: VenueKind[] = ["school", "enterprise", "community", "market", "square", "bank", "other"];
