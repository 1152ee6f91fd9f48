import { ElMessage } from "element-plus";
import { currentLocale, t, te } from "../i18n";
import { isAppError } from "./invoke";

/** Which kind of record a message is about, for field names that read differently (姓名 vs 名称). */
export type ErrorContext = "unit" | "person" | "team" | "venue" | "topic" | "template";

type Params = Record<string, string | undefined> | null | undefined;
type IssueLike = { code: string; params?: Params; message?: string };

function statusLabel(value: string): string {
  return te(`sessionStatus.${value}`) ? t(`sessionStatus.${value}`) : value;
}

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Translates a field name from Rust ("name", "elderlyAlone", "elderly_alone") via fields.*; unknown names pass through. */
export function fieldLabel(field: string, ctx?: ErrorContext): string {
  for (const f of [field, camel(field)]) {
    if (ctx && te(`fieldsFor.${ctx}.${f}`)) return t(`fieldsFor.${ctx}.${f}`);
    if (te(`fields.${f}`)) return t(`fields.${f}`);
  }
  // Rust names an audience group by its code (elderly, students, …).
  if (te(`audiences.${field}`)) return t(`audiences.${field}`);
  return field;
}

function listSep(): string {
  return currentLocale() === "en" ? ", " : "、";
}

function translateParams(params: Params, ctx?: ErrorContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  if (out.field !== undefined) out.field = fieldLabel(out.field, ctx);
  if (out.entity !== undefined && te(`entities.${out.entity}`)) out.entity = t(`entities.${out.entity}`);
  if (params?.field === "audience" && out.value !== undefined && te(`audiences.${out.value}`)) {
    out.value = t(`audiences.${out.value}`);
  }
  // bundle.row_invalid says what is wrong with the row by a reason code.
  if (out.reason !== undefined && te(`errors.bundle.reasons.${out.reason}`)) {
    out.reason = t(`errors.bundle.reasons.${out.reason}`);
  }
  // role.coordinator_only names the action by its code in the access table.
  if (out.action !== undefined && te(`actions.${out.action}`)) out.action = t(`actions.${out.action}`);
  for (const k of ["from", "to"]) if (out[k] !== undefined) out[k] = statusLabel(out[k]);
  if (out.missing !== undefined) {
    out.missing = out.missing
      .split(/\s*[,，、;；]\s*/)
      .filter((s) => s.length > 0)
      .map((f) => fieldLabel(f, ctx))
      .join(listSep());
  }
  return out;
}

/**
 * Print errors whose `detail` param is Rust's precise message in Chinese (which image, what is
 * wrong with it): shown as it is in Chinese; other languages get the generic sentence.
 */
const DETAIL_CODES = new Set(["print.image_invalid", "print.image_too_large", "print.font"]);

/** Translates an error / issue code with its params; unknown codes fall back to errors.unknown + message. */
export function translateCode(code: string, params: Params, message: string | undefined, ctx?: ErrorContext): string {
  const detail = params?.detail;
  if (DETAIL_CODES.has(code) && typeof detail === "string" && detail.trim() && currentLocale() === "zh-CN") return detail;
  const key = `errors.${code}`;
  if (code && code !== "unknown" && te(key)) return t(key, translateParams(params, ctx));
  return t("errors.unknown", { message: message || code });
}

/** One warning or issue in the current language; a series' warnings are prefixed with their date. */
export function issueMessage(i: IssueLike, ctx?: ErrorContext): string {
  const text = translateCode(i.code, i.params, i.message, ctx);
  const date = i.params?.date;
  return date ? `${date}${currentLocale() === "en" ? ": " : "："}${text}` : text;
}

/** The issues of a rejection from Rust (an AppError may carry several); none for anything else. */
export function issuesOf(e: unknown): IssueLike[] {
  const list = (e as { issues?: unknown }).issues;
  if (!Array.isArray(list)) return [];
  return list.filter((i): i is IssueLike => typeof i === "object" && i !== null && typeof (i as IssueLike).code === "string");
}

/** Every message of a rejection: an AppError from Rust may carry several issues (e.g. two invalid fields). */
export function errorMessages(e: unknown, ctx?: ErrorContext): string[] {
  if (isAppError(e)) {
    const issues = issuesOf(e);
    if (issues.length > 1) return issues.map((i) => translateCode(i.code, i.params, i.message, ctx));
    return [translateCode(e.code, e.params, e.message, ctx)];
  }
  if (typeof e === "string") return [t("errors.unknown", { message: e })];
  if (e instanceof Error) return [t("errors.unknown", { message: e.message })];
  return [t("errors.unknown", { message: String(e) })];
}

/** Any rejection of invoke (AppError object, string, Error) -> one message in the current language. */
export function errorMessage(e: unknown, ctx?: ErrorContext): string {
  return errorMessages(e, ctx).join(currentLocale() === "en" ? " " : "");
}

export function showError(e: unknown, ctx?: ErrorContext): void {
  ElMessage({ type: "error", message: errorMessage(e, ctx), showClose: true, duration: 6000, grouping: true });
}

export function showSuccess(message: string): void {
  ElMessage({ type: "success", message, showClose: true, duration: 4000 });
}
