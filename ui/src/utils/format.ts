function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO timestamp -> "2024-03-15 14:02" in local time; anything unparsable is returned as is. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** Lower-cased, trimmed, for case-insensitive "contains" search. */
export function norm(s: string | null | undefined): string {
  return (s ?? "").trim().toLowerCase();
}

/** Chinese-aware comparison for sorting names. */
const collator = new Intl.Collator(["zh-CN", "en"], { numeric: true, sensitivity: "base" });
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/** "123" -> 123; "" / " " / "1.5" / "-1" -> null. */
export function parseNonNegativeInt(value: string | number | null | undefined): number | null {
  const s = String(value ?? "").trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Yuan as "¥12,345.6", grouped in thousands (cents only when there are any). */
export function formatYuan(yuan: number, locale: string): string {
  const nf = new Intl.NumberFormat(locale === "en" ? "en-US" : "zh-CN", { maximumFractionDigits: 2 });
  return `¥${nf.format(yuan)}`;
}
