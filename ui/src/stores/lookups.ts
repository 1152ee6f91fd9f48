// Shared, lazily loaded lists used by selects in several views (units tree, people, teams,
// topics, venues, session templates). Reloaded when app.dataVersion changes.
import { shallowRef } from "vue";
import type { Person } from "../bindings/Person";
import type { Team } from "../bindings/Team";
import type { Template } from "../bindings/Template";
import type { Topic } from "../bindings/Topic";
import type { UnitNode } from "../bindings/UnitNode";
import type { Venue } from "../bindings/Venue";
import { peopleList, topicsList } from "../api/people";
import { templatesList } from "../api/sessions";
import { teamsList } from "../api/teams";
import { unitsTree } from "../api/units";
import { venuesList } from "../api/venues";
import { app } from "./app";

export const lookups = {
  units: shallowRef<UnitNode[]>([]),
  people: shallowRef<Person[]>([]),
  teams: shallowRef<Team[]>([]),
  topics: shallowRef<Topic[]>([]),
  venues: shallowRef<Venue[]>([]),
  templates: shallowRef<Template[]>([]),
};
export type LookupKey = keyof typeof lookups;

const loaded: Record<LookupKey, number> = { units: -1, people: -1, teams: -1, topics: -1, venues: -1, templates: -1 };
const pending: Partial<Record<LookupKey, Promise<void>>> = {};

const loaders: { [K in LookupKey]: () => Promise<(typeof lookups)[K]["value"]> } = {
  units: () => unitsTree(false),
  people: () => peopleList(false),
  teams: () => teamsList(),
  topics: () => topicsList(),
  venues: () => venuesList(false),
  templates: () => templatesList(),
};

async function loadOne<K extends LookupKey>(key: K, force: boolean): Promise<void> {
  const version = app.dataVersion;
  if (!force && loaded[key] === version) return;
  const running = pending[key];
  if (running && !force) return running;
  const p = (async () => {
    const value = await loaders[key]();
    (lookups[key] as { value: unknown }).value = value;
    loaded[key] = version;
  })();
  pending[key] = p;
  try {
    await p;
  } finally {
    if (pending[key] === p) delete pending[key];
  }
}

/** Loads the given lists if stale. Rejects with the first AppError. */
export async function ensureLookups(keys: LookupKey[], force = false): Promise<void> {
  await Promise.all(keys.map((k) => loadOne(k, force)));
}

/**
 * A list a view has loaded anyway (单位与网格's unit tree), as of data version `version`: the
 * other views take it instead of asking Rust again (at city scale the tree is megabytes).
 */
export function shareLookup<K extends LookupKey>(key: K, value: (typeof lookups)[K]["value"], version: number): void {
  if (version !== app.dataVersion) return;
  (lookups[key] as { value: unknown }).value = value;
  loaded[key] = version;
}

/** For tests. */
export function resetLookups(): void {
  for (const k of Object.keys(loaded) as LookupKey[]) {
    loaded[k] = -1;
    delete pending[k];
  }
  lookups.units.value = [];
  lookups.people.value = [];
  lookups.teams.value = [];
  lookups.topics.value = [];
  lookups.venues.value = [];
  lookups.templates.value = [];
}
