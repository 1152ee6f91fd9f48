// Written by `cargo test -p outreach-core` (rules::tests) from crates/core/src/rules.rs. Do not edit.
import type { SessionStatus } from "./SessionStatus";

/** Text limits in characters, by `<module>.<field>`. */
export const LIMITS = {
  "units.name": 60,
  "units.code": 40,
  "units.notes": 500,
  "people.name": 40,
  "people.notes": 500,
  "teams.name": 40,
  "venues.name": 60,
  "venues.address": 120,
  "venues.contactName": 40,
  "venues.notes": 500,
  "sessions.title": 80,
  "sessions.channel": 60,
  "sessions.notes": 1000,
  "sessions.reason": 200,
  "templates.name": 40,
  "topics.name": 30,
  "topics.tip": 80,
  "records.notes": 2000,
  "records.reason": 200,
  "photos.caption": 100,
  "visits.building": 60,
  "visits.notes": 500,
  "followups.residentName": 40,
  "followups.notes": 500,
  "materials.name": 40,
  "materials.unitLabel": 4,
  "materials.source": 100,
  "materials.notes": 500,
  "settings.operatorName": 40,
  "settings.qrText": 300,
  "settings.qrCaption": 30,
  "profiles.label": 40,
} as const;

/** The statuses a session may move to by the status action. */
export const NEXT_STATUSES: Record<SessionStatus, readonly SessionStatus[]> = {
  planned: ["confirmed", "held", "cancelled"],
  confirmed: ["planned", "held", "cancelled"],
  held: ["confirmed", "cancelled"],
  reported: [],
  cancelled: ["planned"],
};

/** Statuses whose sessions may be moved in time. */
export const MOVABLE_STATUSES: readonly SessionStatus[] = ["planned", "confirmed"];

/** The longest a session may last, in hours. */
export const SESSION_MAX_HOURS = 24;

/** The most sessions one series may make. */
export const SERIES_MAX = 120;

/** How many minutes before its start a session may be recorded or marked held. */
export const EARLY_START_MINUTES = 10;
