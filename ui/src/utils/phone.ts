// Client-side mirror of crates/core/src/phone.rs (`normalize`), so the form refuses exactly
// what Rust refuses with validation.phone. Accepted: full-width digits, spaces (incl. U+3000
// and no-break space), dashes (- － —), dots, brackets ( ) （ ） and a +86 / 0086 / 86 prefix;
// then a mainland mobile 1[3-9]xxxxxxxxx or a landline 0 + area code + number (10–12 digits,
// not starting 00). Extensions are not accepted.

const SKIP = new Set([" ", "\u3000", "\u00a0", "-", "\uff0d", "\u2014", ".", "(", ")", "\uff08", "\uff09"]);

/** Digits of a valid number, "" for an empty input, null when Rust would refuse it. */
export function normalizePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return "";
  let digits = "";
  let plus = false;
  for (const c of trimmed) {
    if (c >= "0" && c <= "9") digits += c;
    else if (c >= "\uff10" && c <= "\uff19") digits += String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48);
    else if ((c === "+" || c === "\uff0b") && digits === "") plus = true;
    else if (!SKIP.has(c)) return null;
  }
  let national: string;
  let fromAbroad = true;
  if (plus) {
    if (!digits.startsWith("86")) return null;
    national = digits.slice(2);
  } else if (digits.startsWith("0086")) {
    national = digits.slice(4);
  } else if (digits.length === 13 && digits.startsWith("861")) {
    national = digits.slice(2);
  } else {
    national = digits;
    fromAbroad = false;
  }
  if (/^1[3-9]\d{9}$/.test(national)) return national;
  // Landline: 0 + area code (2–3 digits) + 7–8 digits. Dialled from abroad the 0 is dropped.
  const landline = !national.startsWith("0") && fromAbroad ? `0${national}` : national;
  if (landline.startsWith("0") && !landline.startsWith("00") && landline.length >= 10 && landline.length <= 12) {
    return landline;
  }
  return null;
}

export function isValidPhone(raw: string): boolean {
  const n = normalizePhone(raw);
  return n !== null && n !== "";
}

/** 13800138000 -> 138****8000 (same rule as Rust's `mask`). */
export function maskPhone(digits: string): string {
  const n = [...digits].length;
  if (n === 0) return "";
  if (n <= 7) return "*".repeat(n);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
