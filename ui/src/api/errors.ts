import { ElMessage } from "element-plus";
import { currentLocale, t, te } from "../i18n";
import { isAppError } from "./invoke";

/** Which kind of record a message is about, for field names that read differently (姓名 vs 名称). */
export type ErrorContext = "unit" | "person" | "team" | "venue" | "topic" | "template";

type Params = Record<string, string | undefined> | null | undefined;
type IssueLike = { code: string; params?: Params; message?: string };

/** Rust's not_found carries the entity already in Chinese; map it back to an entities.* key. */
const ENTITY_ALIASES: Record<string, string> = {
  单位: "unit",
  上级单位: "parent",
  人员: "person",
  队伍: "team",
  场所: "venue",
  专题: "topic",
  宣讲主题: "topic",
  备份: "backup",
  活动: "session",
  模板: "template",
  周期活动: "series",
  重复活动: "series",
  活动模板: "template",
  活动记录: "record",
  更正记录: "correction",
  物资: "material",
  出入库记录: "stockMove",
  出入库: "stockMove",
  照片: "photo",
  走访记录: "visit",
  预警对象: "case",
  回访: "caseVisit",
  冲突: "conflict",
  记录: "row",
};

/** Rust names an audience group by its Chinese label in `field` (e.g. a negative count of 老年人). */
const AUDIENCE_ALIASES: Record<string, string> = {
  老年人: "elderly",
  学生: "students",
  家长: "parents",
  企业职工: "enterprise_staff",
  财务人员: "finance_staff",
  商户: "merchants",
  普通群众: "public",
};

/** Rust's sessions.bad_transition carries the statuses as Chinese labels (计划, 已确认, …). */
const STATUS_ALIASES: Record<string, string> = {
  计划: "planned",
  已确认: "confirmed",
  已开展: "held",
  已上报: "reported",
  已取消: "cancelled",
};

function statusLabel(value: string): string {
  const code = STATUS_ALIASES[value] ?? value;
  return te(`sessionStatus.${code}`) ? t(`sessionStatus.${code}`) : value;
}

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Translates a field name from Rust ("name", "elderlyAlone", "elderly_alone") via fields.*; unknown names pass through. */
export function fieldLabel(field: string, ctx?: ErrorContext): string {
  const audience = AUDIENCE_ALIASES[field];
  if (audience && te(`audiences.${audience}`)) return t(`audiences.${audience}`);
  for (const f of [field, camel(field)]) {
    if (ctx && te(`fieldsFor.${ctx}.${f}`)) return t(`fieldsFor.${ctx}.${f}`);
    if (te(`fields.${f}`)) return t(`fields.${f}`);
  }
  return field;
}

function listSep(): string {
  return currentLocale() === "en" ? ", " : "、";
}

function translateParams(params: Params, ctx?: ErrorContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  if (out.field !== undefined) out.field = fieldLabel(out.field, ctx);
  if (out.entity !== undefined) {
    const key = ENTITY_ALIASES[out.entity] ?? out.entity;
    if (te(`entities.${key}`)) out.entity = t(`entities.${key}`);
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

function issuesOf(e: unknown): IssueLike[] {
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
