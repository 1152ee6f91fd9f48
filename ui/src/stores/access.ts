// Who the open database is used as (docs/ARCHITECTURE.md, Roles): the coordinator, or a captain limited
// to the units of their profile (scopeUnitIds = those units and every unit below them). Rust
// enforces every limit (role.coordinator_only / role.outside_grids); the UI only mirrors it:
// coordinator-only actions are hidden or disabled with "仅限协调员", phone reveals and unit
// pickers for new records are limited to the scope.
import { computed, reactive } from "vue";
import { accessCurrent, accessSwitch, type Access } from "../api/profiles";
import { setLocale, type Locale } from "../i18n";
import { app, loadAppInfo, switchLocale } from "./app";

export const COORDINATOR: Access = { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };

export const access = reactive({
  /** null until known (before the unlock): treated as the coordinator, Rust refuses anyway. */
  current: null as Access | null,
});

function isAccess(a: unknown): a is Access {
  return typeof a === "object" && a !== null && ((a as Access).role === "coordinator" || (a as Access).role === "captain");
}

export function setAccess(a: Access | null | undefined): void {
  access.current = isAccess(a) ? { ...a, unitIds: [...(a.unitIds ?? [])], scopeUnitIds: [...(a.scopeUnitIds ?? [])] } : null;
}

/** The coordinator (or not known yet): every action is offered. */
export const isCoordinator = computed(() => access.current === null || access.current.role === "coordinator");
export const isCaptain = computed(() => !isCoordinator.value);
const scope = computed(() => new Set(access.current?.scopeUnitIds ?? []));

/** May the current identity act on (record for, reveal phones of) this unit? */
export function canActOnUnit(unitId: string | null | undefined): boolean {
  if (isCoordinator.value) return true;
  return !!unitId && scope.value.has(unitId);
}

/** The units a picker for new records offers: null = no limit (coordinator). */
export const scopeUnitIds = computed<string[] | null>(() => (isCoordinator.value ? null : [...scope.value]));

/** Asks Rust who the open database is used as (after a reload of the window). */
export async function loadAccess(): Promise<void> {
  try {
    setAccess(await accessCurrent());
  } catch {
    setAccess(null);
  }
}

/**
 * Everything the views show may differ for the new identity (phones revealable, actions
 * offered): app_info again, and app.dataVersion bumped so the view on screen (and every shared
 * lookup list) reloads now and each kept-alive view on its next activation.
 */
export async function reloadForNewAccess(): Promise<void> {
  app.dataVersion++;
  await loadAppInfo();
}

/** Switches the identity (see accessSwitch), then reloads what the views show. */
export async function switchAccess(profileId: string | null, passphrase: string | null): Promise<Access> {
  const next = await accessSwitch(profileId, passphrase);
  setAccess(next);
  if (!isAccess(next)) await loadAccess();
  await reloadForNewAccess();
  return access.current ?? COORDINATOR;
}

/**
 * The language switch: the coordinator stores it in the settings (settings_save); for a captain
 * (who may not save the settings) it applies to this window only.
 */
export async function chooseLocale(locale: Locale): Promise<void> {
  if (isCoordinator.value) await switchLocale(locale);
  else setLocale(locale);
}

/** For tests. */
export function resetAccess(a: Access | null = null): void {
  setAccess(a);
}
