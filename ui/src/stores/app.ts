import { reactive } from "vue";
import type { AppInfo } from "../bindings/AppInfo";
import type { Settings } from "../bindings/Settings";
import { appInfo as fetchAppInfo, settingsSave } from "../api/settings";
import { setLocale, type Locale } from "../i18n";

export type ViewName = "units" | "people" | "venues" | "plan" | "record" | "print" | "reports" | "incidents" | "settings";
export const VIEWS: ViewName[] = ["units", "people", "venues", "plan", "record", "print", "reports", "incidents", "settings"];

export const app = reactive({
  info: null as AppInfo | null,
  infoError: null as unknown,
  loadingInfo: false,
  view: "units" as ViewName,
  /** Bumped whenever data changes in a way other views must reload for (demo, import, restore, saves). */
  dataVersion: 0,
});

export async function loadAppInfo(): Promise<void> {
  app.loadingInfo = true;
  try {
    const info = await fetchAppInfo();
    app.info = info;
    app.infoError = null;
    setLocale(info.settings.locale);
  } catch (e) {
    app.infoError = e;
  } finally {
    app.loadingInfo = false;
  }
}

export function dataChanged(): void {
  app.dataVersion++;
  if (app.info) app.info.isEmpty = false;
}

/** Saves the settings through Rust and keeps app.info in step. Throws AppError. */
export async function saveSettings(settings: Settings): Promise<Settings> {
  const saved = await settingsSave(settings);
  if (app.info) app.info.settings = saved;
  setLocale(saved.locale);
  return saved;
}

/** Language switch: applied at once, then stored via settings_save. */
export async function switchLocale(locale: Locale): Promise<void> {
  setLocale(locale);
  if (!app.info) return;
  await saveSettings({ ...app.info.settings, locale });
}
