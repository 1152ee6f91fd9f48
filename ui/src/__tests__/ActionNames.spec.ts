import { describe, expect, it } from "vitest";
import { ACTION_CODES } from "../bindings/actionCodes";
import { i18n, setLocale } from "../i18n";
import { translateCode } from "../api/errors";

describe("the access table's actions", () => {
  it("every action code has a name in both languages", () => {
    const missing: string[] = [];
    for (const locale of ["zh-CN", "en"] as const) {
      for (const code of ACTION_CODES) {
        if (!i18n.global.te(`actions.${code}`, locale)) missing.push(`${locale}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("a coordinator-only refusal names the action in the window's language", () => {
    setLocale("en");
    const en = translateCode("role.coordinator_only", { action: "security.profiles" }, undefined);
    expect(en).toContain("Manage captain profiles");
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
    setLocale("zh-CN");
    expect(translateCode("role.coordinator_only", { action: "security.profiles" }, undefined)).toContain("管理队长身份");
  });
});
