import { describe, expect, it } from "vitest";
import { AUDIT_NOTES } from "../bindings/auditNotes";
import { i18n } from "../i18n";

describe("the audit log's notes", () => {
  it("both languages say every note Rust writes", () => {
    const missing: string[] = [];
    for (const locale of ["zh-CN", "en"] as const) {
      for (const code of AUDIT_NOTES) {
        if (!i18n.global.te(`auditNotes.${code.replace(/\./g, "_")}`, locale)) missing.push(`${locale}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("no English note is left in Chinese", () => {
    const en = i18n.global.getLocaleMessage("en") as { auditNotes: Record<string, string> };
    const chinese = Object.entries(en.auditNotes).filter(([, v]) => /[\u3400-\u9fff]/.test(v));
    expect(chinese).toEqual([]);
  });
});
