import { createI18n } from "vue-i18n";
import zhCN from "./zh-CN";
import en from "./en";

export type Locale = "zh-CN" | "en";
export const LOCALES: Locale[] = ["zh-CN", "en"];

export const i18n = createI18n({
  legacy: false,
  locale: "zh-CN" as Locale,
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
});

/** Any stored locale string -> one we support (default zh-CN). */
export function normalizeLocale(value: string | null | undefined): Locale {
  return value && value.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

export function setLocale(value: string): Locale {
  const locale = normalizeLocale(value);
  i18n.global.locale.value = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  return locale;
}

/** Shorthands for code outside components (stores, api helpers). */
export const t = (key: string, params?: Record<string, unknown>): string =>
  params ? i18n.global.t(key, params) : i18n.global.t(key);
export const te = (key: string): boolean => i18n.global.te(key);
