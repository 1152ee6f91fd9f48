import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { VueWrapper } from "@vue/test-utils";
import UnlockScreen from "../components/security/UnlockScreen.vue";
import SettingsView from "../views/SettingsView.vue";
import { setLocale } from "../i18n";
import { app } from "../stores/app";
import { afterUnlock, resetSecurity, security } from "../stores/security";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const PASS = "反诈宣防-e2e-2026";
const NEW_PASS = "齐都网格-2026秋季宣防";
/** What db_unlock / db_setup answer: the identity the database is open as. */
const COORDINATOR = { role: "coordinator" as const, profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

/** Rust's strength rule, as far as these tests need it. */
function strength(p: string) {
  const issues = [];
  if ([...p].length < 10) issues.push({ code: "passphrase.too_short", params: { min: "10", len: String([...p].length) }, message: "" });
  if (/^[a-z]*$/.test(p) || /^[0-9]*$/.test(p)) issues.push({ code: "passphrase.one_class", params: {}, message: "" });
  return issues;
}

/** An AppError as Rust sends it: the first issue's code, message and params, and every issue. */
function appError(...codes: [string, Record<string, string>?][]) {
  const issues = codes.map(([code, params]) => ({ code, params: params ?? {}, message: `(${code})` }));
  return { ...issues[0], issues };
}

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "passphrase_check":
        return strength(String((args as { passphrase?: string } | undefined)?.passphrase ?? ""));
      case "db_unlock":
        if ((args as { passphrase: string }).passphrase !== PASS) throw appError(["db.passphrase_wrong"]);
        return COORDINATOR;
      case "db_setup":
        return COORDINATOR;
      case "backups_list":
      case "audit_list":
      case "units_tree":
        return [];
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

function calls(cmd: string) {
  return invokeMock.mock.calls.filter(([c]) => c === cmd);
}
function byTest(id: string): HTMLElement | null {
  return document.querySelector(`[data-test="${id}"]`);
}
function input(id: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`input[data-test="${id}"]`);
  expect(el, id).not.toBeNull();
  return el!;
}
async function typeInto(id: string, value: string) {
  const el = input(id);
  el.value = value;
  el.dispatchEvent(new Event("input"));
  await settle();
}
/** What Enter in a field (or a click on the submit button) does: submits the form. */
async function submitForm(id = "unlock-form") {
  byTest(id)!.dispatchEvent(new Event("submit", { cancelable: true }));
  await settle();
}
const mode = () => byTest("unlock-screen")?.getAttribute("data-mode");

function mountScreen(file: "missing" | "plain" | "encrypted" | null, extra: Record<string, unknown> = {}) {
  return mountApp(UnlockScreen, { props: { file, ...extra } });
}

let w: VueWrapper | null = null;
beforeEach(() => {
  invokeMock.mockReset();
  backend();
  document.body.innerHTML = "";
  setLocale("zh-CN");
});
afterEach(() => {
  w?.unmount();
  w = null;
  setLocale("zh-CN");
});

describe("UnlockScreen — first run (no database yet)", () => {
  it("asks who works at this desk, then a new passphrase twice, with the explanation and the name focused", async () => {
    w = mountScreen("missing");
    await settle();
    expect(mode()).toBe("missing");
    expect(byTest("unlock-title")?.textContent).toContain("首次使用：设置数据库口令");
    expect(byTest("unlock-screen")?.textContent).toContain("反诈宣防工作台");
    expect(byTest("unlock-no-recovery")?.textContent).toContain("口令无法找回");
    expect(byTest("unlock-no-recovery")?.textContent).toContain("这台电脑上的数据将无法读取");
    expect(byTest("unlock-backup-note")).toBeNull();
    expect(input("unlock-passphrase").type).toBe("password");
    expect(input("unlock-confirm").type).toBe("password");
    expect(input("unlock-operator").type).toBe("text");
    expect(byTest("unlock-form")?.textContent).toContain("您的姓名");
    expect(byTest("unlock-form")?.textContent).toContain("记入操作日志");
    expect(document.activeElement).toBe(input("unlock-operator"));
    expect(byTest("unlock-submit")?.textContent).toContain("设置口令并进入");
  });

  it("shows Rust's strength rule while typing, and the mismatch", async () => {
    w = mountScreen("missing");
    await settle();
    await typeInto("unlock-passphrase", "abc");
    await waitUntil(() => byTest("unlock-issues") !== null);
    const issues = byTest("unlock-issues")!.textContent ?? "";
    expect(issues).toContain("口令至少需要 10 个字符（现在 3 个）");
    expect(issues).toContain("口令不能只用一类字符");
    expect(byTest("unlock-strong")).toBeNull();

    await typeInto("unlock-passphrase", PASS);
    await waitUntil(() => byTest("unlock-strong") !== null);
    expect(byTest("unlock-strong")?.textContent).toContain("口令强度合格");
    expect(byTest("unlock-issues")).toBeNull();
    expect(calls("passphrase_check").map((c) => c[1])).toEqual([{ passphrase: "abc" }, { passphrase: PASS }]);

    await typeInto("unlock-confirm", PASS + "x");
    expect(byTest("unlock-mismatch")?.textContent).toContain("两次输入的口令不一致");
    await typeInto("unlock-confirm", PASS);
    expect(byTest("unlock-mismatch")).toBeNull();
  });

  it("validates before asking Rust: no name, Enter moves on through the fields, mismatch", async () => {
    w = mountScreen("missing");
    await settle();
    await submitForm();
    expect(byTest("unlock-error")?.textContent).toContain("请填写您的姓名。");
    expect(document.activeElement).toBe(input("unlock-operator"));

    await typeInto("unlock-operator", "王警官");
    await submitForm(); // Enter in the name field
    expect(byTest("unlock-error")).toBeNull();
    expect(document.activeElement).toBe(input("unlock-passphrase"));

    await typeInto("unlock-passphrase", PASS);
    await submitForm(); // Enter in the first field, the second still empty
    expect(byTest("unlock-error")).toBeNull();
    expect(document.activeElement).toBe(input("unlock-confirm"));

    await typeInto("unlock-confirm", "反诈宣防-e2e-2025");
    await submitForm();
    expect(byTest("unlock-error")?.textContent).toContain("两次输入的口令不一致。");
    expect(calls("db_setup")).toHaveLength(0);
    expect(w.emitted("unlocked")).toBeUndefined();
  });

  it("translates every refusal Rust sends back and stays on the screen", async () => {
    backend({ db_setup: () => Promise.reject(appError(["passphrase.too_short", { min: "10", len: "8" }], ["passphrase.repetitive", { min: "5" }])) });
    w = mountScreen("missing");
    await settle();
    await typeInto("unlock-operator", "王警官");
    await typeInto("unlock-passphrase", "aaaa1111");
    await typeInto("unlock-confirm", "aaaa1111");
    await submitForm();
    await waitUntil(() => byTest("unlock-error") !== null);
    const text = byTest("unlock-error")!.textContent ?? "";
    expect(text).toContain("口令至少需要 10 个字符（现在 8 个）");
    expect(text).toContain("口令中不同的字符太少（至少 5 个不同字符）");
    expect(text).not.toContain("(passphrase.");
    expect(calls("db_setup")[0][1]).toEqual({ passphrase: "aaaa1111", confirm: "aaaa1111" });
    expect(w.emitted("unlocked")).toBeUndefined();
    expect(mode()).toBe("missing");
  });

  it("sets the passphrase with db_setup and reports the database open, the operator to be stored", async () => {
    w = mountScreen("missing");
    await settle();
    await typeInto("unlock-operator", " 王警官 ");
    await typeInto("unlock-passphrase", PASS);
    await typeInto("unlock-confirm", PASS);
    byTest("unlock-submit")!.click();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("db_setup")).toHaveLength(1);
    expect(calls("db_setup")[0][1]).toEqual({ passphrase: PASS, confirm: PASS });
    expect(calls("db_unlock")).toHaveLength(0);
    expect(security.pendingOperator).toBe("王警官");
    // what was typed is wiped
    expect(input("unlock-passphrase").value).toBe("");
    expect(input("unlock-confirm").value).toBe("");
  });
});

describe("the first run's operator", () => {
  it("is stored in the settings once the database is open, so the first audit entry names someone", async () => {
    const settings = { operatorName: "", operatorUnitId: null, locale: "zh-CN" };
    backend({
      access_current: () => COORDINATOR,
      app_info: () => ({ version: "0", dataDir: "/d", dbPath: "/d/x.db", isEmpty: true, settings }),
      settings_save: (a) => a.settings,
    });
    resetSecurity({ pendingOperator: "王警官" });
    await afterUnlock(COORDINATOR);
    expect(calls("settings_save").map((c) => c[1])).toEqual([{ settings: { ...settings, operatorName: "王警官" } }]);
    expect(app.info?.settings.operatorName).toBe("王警官");
    expect(security.pendingOperator).toBeNull();
    resetSecurity();
  });
});

describe("UnlockScreen — an older, unencrypted database", () => {
  it("offers to encrypt it, saying a backup is taken first", async () => {
    w = mountScreen("plain");
    await settle();
    expect(mode()).toBe("plain");
    expect(byTest("unlock-title")?.textContent).toContain("加密现有数据");
    expect(byTest("unlock-backup-note")?.textContent).toContain("加密前会先自动备份现有数据");
    expect(byTest("unlock-no-recovery")?.textContent).toContain("口令无法找回");
    expect(byTest("unlock-submit")?.textContent).toContain("加密并进入");
    await typeInto("unlock-passphrase", PASS);
    await typeInto("unlock-confirm", PASS);
    await submitForm();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("db_setup")[0][1]).toEqual({ passphrase: PASS, confirm: PASS });
  });

  it("asks for the status again when the file changed state meanwhile", async () => {
    backend({ db_setup: () => Promise.reject(appError(["db.state_changed"])) });
    w = mountScreen("plain");
    await settle();
    await typeInto("unlock-passphrase", PASS);
    await typeInto("unlock-confirm", PASS);
    await submitForm();
    await waitUntil(() => w!.emitted("refresh") !== undefined);
    expect(byTest("unlock-error")?.textContent).toContain("数据库文件的状态已变化");
    expect(input("unlock-passphrase").value).toBe("");
    // the new state arrives: the unlock form, still saying what happened
    await w.setProps({ file: "encrypted" });
    await settle();
    expect(mode()).toBe("encrypted");
    expect(document.querySelector('input[data-test="unlock-confirm"]')).toBeNull();
  });
});

describe("UnlockScreen — unlocking", () => {
  it("has one focused field and never sends the passphrase to the strength check", async () => {
    w = mountScreen("encrypted");
    await settle();
    expect(mode()).toBe("encrypted");
    expect(byTest("unlock-title")?.textContent).toContain("输入口令解锁");
    expect(document.querySelector('input[data-test="unlock-confirm"]')).toBeNull();
    expect(byTest("unlock-no-recovery")).toBeNull();
    expect(document.activeElement).toBe(input("unlock-passphrase"));
    await typeInto("unlock-passphrase", "反诈宣防");
    expect(calls("passphrase_check")).toHaveLength(0);
    expect(byTest("unlock-issues")).toBeNull();
  });

  it("refuses an empty passphrase without asking Rust", async () => {
    w = mountScreen("encrypted");
    await settle();
    await submitForm();
    expect(byTest("unlock-error")?.textContent).toContain("请输入口令。");
    expect(calls("db_unlock")).toHaveLength(0);
  });

  it("says 口令不正确 for a wrong passphrase, empties and refocuses the field, and stays locked", async () => {
    w = mountScreen("encrypted");
    await settle();
    await typeInto("unlock-passphrase", "反诈宣防-e2e-2025");
    await submitForm();
    await waitUntil(() => byTest("unlock-error") !== null);
    expect(byTest("unlock-error")?.textContent).toContain("口令不正确");
    expect(input("unlock-passphrase").value).toBe("");
    expect(document.activeElement).toBe(input("unlock-passphrase"));
    expect(w.emitted("unlocked")).toBeUndefined();
    // nothing on the page repeats what was typed
    expect(document.body.innerHTML).not.toContain("反诈宣防-e2e-2025");

    await typeInto("unlock-passphrase", PASS);
    await submitForm();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("db_unlock").map((c) => c[1])).toEqual([
      { passphrase: "反诈宣防-e2e-2025", profileId: null },
      { passphrase: PASS, profileId: null },
    ]);
  });

  it("is busy while Rust derives the key, and takes no second submit", async () => {
    let release: () => void = () => {};
    backend({ db_unlock: () => new Promise<null>((r) => (release = () => r(null))) });
    w = mountScreen("encrypted");
    await settle();
    await typeInto("unlock-passphrase", PASS);
    await submitForm();
    expect(byTest("unlock-busy")?.textContent).toContain("正在验证口令");
    expect(byTest("unlock-submit")?.classList.contains("is-loading")).toBe(true);
    expect(byTest("unlock-submit")?.textContent).toContain("正在解锁");
    expect(input("unlock-passphrase").disabled).toBe(true);
    await submitForm();
    expect(calls("db_unlock")).toHaveLength(1);
    release();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(byTest("unlock-busy")).toBeNull();
  });

  it("speaks English when switched", async () => {
    w = mountScreen("encrypted");
    await settle();
    setLocale("en");
    await settle();
    expect(byTest("unlock-title")?.textContent).toContain("Enter the passphrase to unlock");
    await typeInto("unlock-passphrase", "wrong passphrase 1");
    await submitForm();
    await waitUntil(() => byTest("unlock-error") !== null);
    expect(byTest("unlock-error")?.textContent).toContain("Wrong passphrase");
  });

  it("shows the boot error with a retry", async () => {
    w = mountScreen(null, { bootError: { code: "internal", message: "Tauri runtime not available", params: {} } });
    await settle();
    expect(mode()).toBe("error");
    expect(byTest("unlock-boot-error")?.textContent).toContain("未连接到应用核心");
    byTest("unlock-retry")!.click();
    await settle();
    expect(w.emitted("refresh")).toHaveLength(1);
  });
});

describe("设置 → 更换口令", () => {
  beforeEach(() => {
    resetLookups();
    app.info = {
      version: "0.1.0",
      dataDir: "/tmp/d",
      dbPath: "/tmp/d/outreach.db",
      isEmpty: false,
      settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" },
    };
  });

  async function openDialog() {
    w = mountApp(SettingsView);
    await settle();
    byTest("settings-change-passphrase")!.click();
    await waitUntil(() => document.querySelector('input[data-test="change-passphrase-current"]') !== null);
    await settle();
  }

  it("asks for the current passphrase and the new one twice, with the strength rule", async () => {
    backend({ db_change_passphrase: () => null });
    await openDialog();
    expect(byTest("change-passphrase-dialog")?.textContent).toContain("更换数据库口令");
    expect(document.activeElement).toBe(input("change-passphrase-current"));
    for (const id of ["change-passphrase-current", "change-passphrase-new", "change-passphrase-confirm"]) expect(input(id).type).toBe("password");

    await typeInto("change-passphrase-current", PASS);
    await typeInto("change-passphrase-new", "abc");
    await waitUntil(() => byTest("change-passphrase-issues") !== null);
    expect(byTest("change-passphrase-issues")?.textContent).toContain("口令至少需要 10 个字符（现在 3 个）");
    await typeInto("change-passphrase-new", NEW_PASS);
    await waitUntil(() => byTest("change-passphrase-strong") !== null);
    await typeInto("change-passphrase-confirm", NEW_PASS + "!");
    expect(byTest("change-passphrase-mismatch")?.textContent).toContain("两次输入的口令不一致");
    byTest("change-passphrase-submit")!.click();
    await settle();
    expect(calls("db_change_passphrase")).toHaveLength(0);

    await typeInto("change-passphrase-confirm", NEW_PASS);
    const backupsBefore = calls("backups_list").length;
    byTest("change-passphrase-submit")!.click();
    await waitUntil(() => document.querySelector(".el-message--success") !== null);
    expect(calls("db_change_passphrase")[0][1]).toEqual({ current: PASS, passphrase: NEW_PASS, confirm: NEW_PASS });
    expect(document.querySelector(".el-message--success")?.textContent).toContain("口令已更换");
    // the lists are read again (the audit entry of the change)
    expect(calls("backups_list").length).toBeGreaterThan(backupsBefore);
    // closed, and what was typed is gone
    await waitUntil(() => input("change-passphrase-current").value === "");
    expect(input("change-passphrase-new").value).toBe("");
    expect(input("change-passphrase-confirm").value).toBe("");
  });

  it("says when the current passphrase is wrong and changes nothing", async () => {
    backend({ db_change_passphrase: () => Promise.reject(appError(["db.passphrase_wrong"])) });
    await openDialog();
    await typeInto("change-passphrase-current", "反诈宣防-e2e-2025");
    await typeInto("change-passphrase-new", NEW_PASS);
    await typeInto("change-passphrase-confirm", NEW_PASS);
    await submitForm("change-passphrase-form");
    await waitUntil(() => byTest("change-passphrase-error") !== null);
    expect(byTest("change-passphrase-error")?.textContent).toContain("口令不正确");
    expect(input("change-passphrase-current").value).toBe("");
    expect(input("change-passphrase-new").value).toBe(NEW_PASS);
    expect(document.activeElement).toBe(input("change-passphrase-current"));
    expect(document.querySelector(".el-message--success")).toBeNull();
  });

  it("refuses a new passphrase equal to the current one before asking Rust", async () => {
    backend({ db_change_passphrase: () => null });
    await openDialog();
    await typeInto("change-passphrase-current", PASS);
    await typeInto("change-passphrase-new", PASS);
    await typeInto("change-passphrase-confirm", PASS);
    await submitForm("change-passphrase-form");
    expect(byTest("change-passphrase-error")?.textContent).toContain("新口令不能与当前口令相同");
    expect(calls("db_change_passphrase")).toHaveLength(0);
  });
});
