// Whether the encrypted database is open. Nothing but db_status (and, on the unlock screen,
// passphrase_check / db_unlock / db_setup) may be sent before it is: every other command
// is refused with db.locked until then. main.ts calls boot() first; App.vue shows the unlock
// screen instead of the shell while `unlocked` is false.
import { reactive } from "vue";
import { dbStatus, dbUnlockRemembered, type DbStatus } from "../api/security";
import { currentLocale, setLocale, type Locale } from "../i18n";
import type { Access } from "../api/profiles";
import { app, loadAppInfo, saveSettings } from "./app";
import { chooseLocale, loadAccess, setAccess } from "./access";
import { prefetchUnitsTree } from "../api/units";

export const security = reactive({
  status: null as DbStatus | null,
  /** db_status failed (e.g. no Tauri runtime): shown with a retry on the unlock screen. */
  error: null as unknown,
  checking: false,
  unlocked: false,
  /** A language picked on the unlock screen, stored in the settings once the database is open. */
  chosenLocale: null as Locale | null,
  /** The operator's name typed on the first-run screen, stored once the database is open. */
  pendingOperator: null as string | null,
  /** The OS keychain is being asked to unlock (at start, when it remembers a passphrase). */
  keychainUnlocking: false,
  /** Why the keychain could not unlock (shown on the unlock screen, which then asks as usual). */
  keychainError: null as unknown,
});

/** Asks Rust how the database file is stored and whether it is open. */
export async function checkDbStatus(onStatus?: (s: DbStatus) => void): Promise<void> {
  security.checking = true;
  try {
    const s = await dbStatus();
    onStatus?.(s);
    // The language last chosen on this computer, before the database (and its settings) opens.
    if (!s.unlocked && s.locale && !security.chosenLocale) setLocale(s.locale);
    security.status = s;
    security.error = null;
    security.unlocked = s.unlocked;
  } catch (e) {
    security.error = e;
  } finally {
    security.checking = false;
  }
}

/** The app's start: the database status first, the rest (app_info …) only once it is open. */
export async function boot(): Promise<void> {
  // When the keychain remembers the passphrase, the unlock is asked in the turn the status
  // arrives, before the unlock screen draws (a frame of the cold start saved).
  let remembered: Promise<Access> | null = null;
  await checkDbStatus((s) => {
    if (!s.unlocked && s.remembered) remembered = dbUnlockRemembered();
  });
  if (security.unlocked) await Promise.all([loadAccess(), loadAppInfo()]);
  else if (remembered) await unlockFromKeychain(remembered);
}

/**
 * The passphrase the OS keychain remembers opens the database without a word typed;
 * `asked`: that unlock, already sent (boot).
 */
export async function unlockFromKeychain(asked?: Promise<Access>): Promise<void> {
  security.keychainUnlocking = true;
  security.keychainError = null;
  try {
    const opened = await (asked ?? dbUnlockRemembered());
    await afterUnlock(opened);
  } catch (e) {
    security.keychainError = e;
    // A stale entry was dropped by Rust: the screen no longer says it is remembered.
    if (security.status) security.status = { ...security.status, remembered: false };
  } finally {
    security.keychainUnlocking = false;
  }
}

/** The unlock screen opened the database (as `opened`, db_unlock's answer): show the shell and load what it needs. */
export async function afterUnlock(opened?: Access | null): Promise<void> {
  if (opened && typeof opened === "object" && "role" in opened) setAccess(opened);
  else await loadAccess();
  // The first screen's data is asked beside app_info, before the shell draws.
  const info = loadAppInfo();
  prefetchUnitsTree();
  security.unlocked = true;
  if (security.status) security.status = { ...security.status, file: "encrypted", unlocked: true };
  await info;
  const operator = security.pendingOperator;
  security.pendingOperator = null;
  if (operator && app.info) await saveSettings({ ...app.info.settings, operatorName: operator }).catch(() => undefined);
  const chosen = security.chosenLocale;
  security.chosenLocale = null;
  if (chosen && app.info && app.info.settings.locale !== chosen) {
    // stored for the coordinator; a captain (who may not save the settings) keeps it for this window
    await chooseLocale(chosen).catch(() => undefined);
  }
}

/** A language picked before the database is open: applied now, stored after the unlock. */
export function chooseLocaleWhileLocked(locale: Locale): void {
  setLocale(locale);
  security.chosenLocale = currentLocale();
}

/** For tests: back to the state before boot(). */
export function resetSecurity(state: Partial<typeof security> = {}): void {
  security.status = null;
  security.error = null;
  security.checking = false;
  security.unlocked = false;
  security.chosenLocale = null;
  security.pendingOperator = null;
  security.keychainUnlocking = false;
  security.keychainError = null;
  setAccess(null);
  Object.assign(security, state);
}
