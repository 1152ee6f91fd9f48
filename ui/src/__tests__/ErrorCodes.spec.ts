import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../bindings/errorCodes";
import { i18n } from "../i18n";

// Rust writes every error code of its message table to bindings/errorCodes.ts (and checks that
// every code the product raises is in it): each must read in both of the window's languages,
// or the window would fall back to "unknown error".
describe("error codes", () => {
  it("every code Rust can send has a message in both languages", () => {
    const missing: string[] = [];
    for (const locale of ["zh-CN", "en"] as const) {
      for (const code of ERROR_CODES) {
        if (!i18n.global.te(`errors.${code}`, locale)) missing.push(`${locale}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
