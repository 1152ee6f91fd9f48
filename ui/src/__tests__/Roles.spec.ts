import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { VueWrapper } from "@vue/test-utils";
import type { UnitNode } from "../bindings/UnitNode";
import type { Access, Profile } from "../api/profiles";
import App from "../App.vue";
import UnlockScreen from "../components/security/UnlockScreen.vue";
import PhoneField from "../components/PhoneField.vue";
import UnitMultiSelect from "../components/UnitMultiSelect.vue";
import BundlePanel from "../components/bundles/BundlePanel.vue";
import SettingsView from "../views/SettingsView.vue";
import UnitsView from "../views/UnitsView.vue";
import { setLocale } from "../i18n";
import { app } from "../stores/app";
import { access, canActOnUnit, isCoordinator, resetAccess } from "../stores/access";
import { resetLookups } from "../stores/lookups";
import { resetSecurity } from "../stores/security";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const DB_PASS = "反诈宣防-e2e-2026";
const CAPTAIN_PASS = "城关一网格-队长2026";
const OTHER_PASS = "城关二网格-队长2026";

const COORD: Access = { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };
const CAPTAIN: Access = { role: "captain", profileId: "p1", label: "城关一网格队长", unitIds: ["g1"], scopeUnitIds: ["g1"] };
const CAPTAIN2: Access = { role: "captain", profileId: "p2", label: "城关二网格队长", unitIds: ["g2"], scopeUnitIds: ["g2"] };
const SLOTS = [
  { id: "p1", label: "城关一网格队长" },
  { id: "p2", label: "城关二网格队长" },
];

const totals = { grids: 1, households: 10, residents: 30, under18: 5, age18to59: 20, age60plus: 5, students: 4, elderlyAlone: 1, financeStaff: 0 };
function unit(id: string, parentId: string | null, name: string, kind: "city" | "grid") {
  return { id, parentId, name, kind, code: "", profile: kind === "grid" ? { ...totals, notes: "" } : null, archived: false, createdAt: "", updatedAt: "" };
}
const tree: UnitNode[] = [
  {
    unit: unit("c", null, "江城市", "city"),
    totals,
    children: [
      { unit: unit("g1", "c", "城关一网格", "grid"), totals, children: [] },
      { unit: unit("g2", "c", "城关二网格", "grid"), totals, children: [] },
    ],
  },
];
const PROFILE: Profile = { id: "p1", label: "城关一网格队长", unitIds: ["g1"], unitNames: ["城关一网格"], createdAt: "2026-03-01T08:00:00Z", archived: false };

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

/** Rust's strength rule, as far as these tests need it. */
function strength(p: string) {
  const issues = [];
  if ([...p].length < 10) issues.push({ code: "passphrase.too_short", params: { min: "10", len: String([...p].length) }, message: "" });
  return issues;
}
function appError(code: string, params: Record<string, string> = {}) {
  const issue = { code, params, message: `(${code})` };
  return { ...issue, issues: [issue] };
}

/** Rust's side of the roles: who is current, and the switch rules of the contract. */
let current: Access = COORD;
function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    const h = overrides[cmd];
    if (h) return h(a);
    switch (cmd) {
      case "db_status":
        return { file: "encrypted", unlocked: true, profiles: SLOTS, remembered: false };
      case "passphrase_check":
        return strength(String(a.passphrase ?? ""));
      case "db_unlock": {
        const id = a.profileId as string | null;
        if (id === null && a.passphrase === DB_PASS) return (current = COORD);
        if (id === "p1" && a.passphrase === CAPTAIN_PASS) return (current = CAPTAIN);
        throw appError("db.passphrase_wrong");
      }
      case "access_current":
        return current;
      case "access_switch": {
        const id = a.profileId as string | null;
        if (id === null) {
          if (a.passphrase !== DB_PASS) throw appError("db.passphrase_wrong");
          return (current = COORD);
        }
        const next = id === "p1" ? CAPTAIN : CAPTAIN2;
        if (current.role === "coordinator") return (current = next);
        if (a.passphrase !== (id === "p1" ? CAPTAIN_PASS : OTHER_PASS)) throw appError("db.passphrase_wrong");
        return (current = next);
      }
      case "app_info":
        return { version: "0.1.0", dataDir: "/tmp/d", dbPath: "/tmp/d/outreach.db", isEmpty: false, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
      case "units_tree":
        return tree;
      case "profiles_list":
        if (current.role !== "coordinator") throw appError("role.coordinator_only", { action: "队长身份管理" });
        return [PROFILE];
      case "audit_list":
        if (current.role !== "coordinator") throw appError("role.coordinator_only", { action: "审计日志" });
        return [];
      default:
        return [];
    }
  });
}

function calls(cmd: string) {
  return invokeMock.mock.calls.filter(([c]) => c === cmd);
}
function byTest(id: string): HTMLElement | null {
  return document.querySelector(`[data-test="${id}"]`);
}
function allByTest(id: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(`[data-test="${id}"]`)];
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
async function submitForm(id: string) {
  byTest(id)!.dispatchEvent(new Event("submit", { cancelable: true }));
  await settle();
}
/** Clicks a radio (an el-radio's <label>). */
async function choose(el: HTMLElement) {
  const radio = el.querySelector<HTMLInputElement>("input[type=radio]")!;
  radio.checked = true;
  radio.dispatchEvent(new Event("change"));
  await settle();
}
function button(id: string): HTMLButtonElement {
  const el = document.querySelector<HTMLButtonElement>(`button[data-test="${id}"]`);
  expect(el, id).not.toBeNull();
  return el!;
}

let w: VueWrapper | null = null;
beforeEach(() => {
  current = COORD;
  invokeMock.mockReset();
  backend();
  resetLookups();
  resetSecurity();
  document.body.innerHTML = "";
  setLocale("zh-CN");
  app.info = null;
  app.infoError = null;
  app.view = "units";
});
afterEach(() => {
  w?.unmount();
  w = null;
  resetAccess(null);
  vi.restoreAllMocks();
});

describe("the access store", () => {
  it("lets the coordinator act anywhere and a captain only inside the scope", () => {
    resetAccess(COORD);
    expect(isCoordinator.value).toBe(true);
    expect(canActOnUnit("g2")).toBe(true);
    resetAccess(CAPTAIN);
    expect(isCoordinator.value).toBe(false);
    expect(canActOnUnit("g1")).toBe(true);
    expect(canActOnUnit("g2")).toBe(false);
    expect(canActOnUnit(null)).toBe(false);
  });
});

describe("unlock as a captain", () => {
  it("offers 以谁的身份解锁 (coordinator by default) and sends the chosen profile's id", async () => {
    w = mountApp(UnlockScreen, { props: { file: "encrypted", profiles: SLOTS } });
    await settle();
    expect(byTest("unlock-screen")?.textContent).toContain("以谁的身份解锁");
    const coordinator = byTest("unlock-profile-coordinator")!;
    expect(coordinator.textContent).toContain("协调员");
    expect(coordinator.querySelector<HTMLInputElement>("input")!.checked).toBe(true);
    const captains = allByTest("unlock-profile-captain");
    expect(captains.map((c) => c.textContent?.trim())).toEqual(["队长：城关一网格队长", "队长：城关二网格队长"]);
    expect(captains[0].getAttribute("data-profile-id")).toBe("p1");

    await choose(captains[0]);
    expect(byTest("unlock-form")?.textContent).toContain("城关一网格队长的口令");
    // a wrong one: the same message as today
    await typeInto("unlock-passphrase", DB_PASS);
    await submitForm("unlock-form");
    await waitUntil(() => byTest("unlock-error") !== null);
    expect(byTest("unlock-error")?.textContent).toContain("口令不正确");

    await typeInto("unlock-passphrase", CAPTAIN_PASS);
    await submitForm("unlock-form");
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("db_unlock").map((c) => c[1])).toEqual([
      { passphrase: DB_PASS, profileId: "p1" },
      { passphrase: CAPTAIN_PASS, profileId: "p1" },
    ]);
    expect(w.emitted("unlocked")![0]).toEqual([CAPTAIN]);
    expect(calls("passphrase_check")).toHaveLength(0);
  });

  it("unlocks as the coordinator (profileId null) and shows no choice without captains", async () => {
    w = mountApp(UnlockScreen, { props: { file: "encrypted", profiles: [] } });
    await settle();
    expect(byTest("unlock-profile")).toBeNull();
    await typeInto("unlock-passphrase", DB_PASS);
    await submitForm("unlock-form");
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("db_unlock")[0][1]).toEqual({ passphrase: DB_PASS, profileId: null });
  });

  it("opens the shell as the captain the unlock answered with", async () => {
    invokeMock.mockReset();
    backend({ db_status: () => ({ file: "encrypted", unlocked: false, profiles: SLOTS, remembered: false }) });
    resetSecurity({ status: { file: "encrypted", unlocked: false, profiles: SLOTS, remembered: false, keychain: false, locale: null } });
    w = mountApp(App);
    await settle();
    await choose(allByTest("unlock-profile-captain")[0]);
    await typeInto("unlock-passphrase", CAPTAIN_PASS);
    await submitForm("unlock-form");
    await waitUntil(() => byTest("identity-badge") !== null);
    expect(byTest("identity-badge")?.textContent?.trim()).toBe("队长：城关一网格队长");
    expect(byTest("identity-badge")?.getAttribute("data-role")).toBe("captain");
    expect(access.current).toEqual(CAPTAIN);
  });
});

describe("identity badge and 切换身份", () => {
  async function mountShell(as: Access) {
    current = as;
    resetSecurity({ status: { file: "encrypted", unlocked: true, profiles: SLOTS, remembered: false, keychain: false, locale: null }, unlocked: true });
    resetAccess(as);
    app.info = { version: "0.1.0", dataDir: "", dbPath: "", isEmpty: false, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
    w = mountApp(App);
    await settle();
  }
  async function openSwitch() {
    button("identity-switch").click();
    await waitUntil(() => byTest("identity-switch-dialog") !== null && allByTest("identity-switch-captain").length > 0);
    await settle();
  }

  it("coordinator → captain needs no passphrase, then the data reloads", async () => {
    await mountShell(COORD);
    expect(byTest("identity-badge")?.textContent?.trim()).toBe("协调员");
    await openSwitch();
    expect(byTest("identity-switch-current")?.textContent).toBe("协调员");
    expect(byTest("identity-switch-coordinator")?.querySelector("input")?.disabled).toBe(true);
    await choose(allByTest("identity-switch-captain")[0]);
    expect(document.querySelector('input[data-test="identity-switch-passphrase"]')).toBeNull();
    expect(byTest("identity-switch-no-passphrase")?.textContent).toContain("无需口令");

    const version = app.dataVersion;
    const infos = calls("app_info").length;
    await submitForm("identity-switch-form");
    await waitUntil(() => byTest("identity-badge")?.textContent?.trim() === "队长：城关一网格队长");
    expect(calls("access_switch")[0][1]).toEqual({ profileId: "p1", passphrase: null });
    expect(app.dataVersion).toBeGreaterThan(version);
    expect(calls("app_info").length).toBeGreaterThan(infos);
    expect(document.querySelector(".el-message--success")?.textContent).toContain("已切换为队长：城关一网格队长");
  });

  it("captain → coordinator needs the database passphrase", async () => {
    await mountShell(CAPTAIN);
    expect(byTest("identity-badge")?.textContent?.trim()).toBe("队长：城关一网格队长");
    await openSwitch();
    // the coordinator is chosen by default, with its passphrase field
    expect(byTest("identity-switch-coordinator")?.querySelector<HTMLInputElement>("input")?.checked).toBe(true);
    expect(byTest("identity-switch-dialog")?.textContent).toContain("协调员口令（数据库口令）");
    await submitForm("identity-switch-form");
    expect(byTest("identity-switch-error")?.textContent).toContain("请输入口令。");
    expect(calls("access_switch")).toHaveLength(0);

    await typeInto("identity-switch-passphrase", "反诈宣防-e2e-2025");
    await submitForm("identity-switch-form");
    await waitUntil(() => byTest("identity-switch-error") !== null);
    expect(byTest("identity-switch-error")?.textContent).toContain("口令不正确");
    expect(input("identity-switch-passphrase").value).toBe("");
    expect(byTest("identity-badge")?.textContent?.trim()).toBe("队长：城关一网格队长");

    await typeInto("identity-switch-passphrase", DB_PASS);
    await submitForm("identity-switch-form");
    await waitUntil(() => byTest("identity-badge")?.textContent?.trim() === "协调员");
    expect(calls("access_switch").map((c) => c[1])).toEqual([
      { profileId: null, passphrase: "反诈宣防-e2e-2025" },
      { profileId: null, passphrase: DB_PASS },
    ]);
    expect(document.body.innerHTML).not.toContain(DB_PASS);
  });

  it("captain → another captain needs that captain's passphrase", async () => {
    await mountShell(CAPTAIN);
    await openSwitch();
    const [self, other] = allByTest("identity-switch-captain");
    expect(self.querySelector("input")?.disabled).toBe(true);
    await choose(other);
    expect(byTest("identity-switch-dialog")?.textContent).toContain("城关二网格队长的口令");
    await typeInto("identity-switch-passphrase", OTHER_PASS);
    await submitForm("identity-switch-form");
    await waitUntil(() => byTest("identity-badge")?.textContent?.trim() === "队长：城关二网格队长");
    expect(calls("access_switch")[0][1]).toEqual({ profileId: "p2", passphrase: OTHER_PASS });
  });
});

describe("captain mode", () => {
  beforeEach(() => {
    current = CAPTAIN;
    resetAccess(CAPTAIN);
    app.info = { version: "0.1.0", dataDir: "/tmp/d", dbPath: "/tmp/d/outreach.db", isEmpty: false, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
  });

  it("settings: read-only, own passphrase instead of the database one, no profiles and no audit", async () => {
    w = mountApp(SettingsView);
    await settle();
    expect(button("settings-save").disabled).toBe(true);
    expect(button("backup-now").disabled).toBe(true);
    expect(button("backup-now").closest('[data-test="coordinator-only"]')).not.toBeNull();
    expect(byTest("settings-change-passphrase")).toBeNull();
    expect(byTest("profiles-section")).toBeNull();
    expect(byTest("settings-audit")).toBeNull();
    expect(calls("audit_list")).toHaveLength(0);
    expect(calls("profiles_list")).toHaveLength(0);
    expect(byTest("settings-my-passphrase-section")?.textContent).toContain("当前为队长身份：城关一网格队长");
  });

  it("a captain changes their own passphrase with profiles_change_passphrase", async () => {
    backend({ profiles_change_passphrase: () => null });
    w = mountApp(SettingsView);
    await settle();
    button("settings-my-passphrase").click();
    await waitUntil(() => document.querySelector('input[data-test="my-passphrase-current"]') !== null);
    expect(byTest("my-passphrase-dialog")?.textContent).toContain("修改我的口令");
    await typeInto("my-passphrase-current", CAPTAIN_PASS);
    await typeInto("my-passphrase-new", OTHER_PASS);
    await typeInto("my-passphrase-confirm", OTHER_PASS);
    await submitForm("my-passphrase-form");
    await waitUntil(() => calls("profiles_change_passphrase").length > 0);
    expect(calls("profiles_change_passphrase")[0][1]).toEqual({ current: CAPTAIN_PASS, passphrase: OTHER_PASS, confirm: OTHER_PASS });
    expect(calls("db_change_passphrase")).toHaveLength(0);
  });

  it("units: adding, importing, exporting and editing are disabled with 仅限协调员", async () => {
    w = mountApp(UnitsView);
    await settle();
    for (const id of ["unit-add-root", "unit-import", "unit-export", "unit-template"]) {
      expect(button(id).disabled, id).toBe(true);
      expect(button(id).closest('[data-test="coordinator-only"]'), id).not.toBeNull();
    }
  });

  it("the captain's bundle export needs 自某日起", async () => {
    w = mountApp(BundlePanel);
    await settle();
    expect(byTest("bundle-since-required")?.textContent).toContain("不能导出整个数据库");
    expect(button("bundle-export").disabled).toBe(true);
    expect(button("bundle-import").disabled).toBe(true);
    expect(calls("bundles_export")).toHaveLength(0);
  });

  it("reveals a phone only inside the captain's grids", async () => {
    const reveal = vi.fn(async () => "13800000001");
    w = mountApp(PhoneField, { props: { modelValue: null, masked: "138****0001", reveal, unitId: "g2" } });
    await settle();
    expect(byTest("phone-reveal")).toBeNull();
    expect(byTest("phone-reveal-outside")?.textContent).toContain("不在您负责的网格内");
    await w.setProps({ unitId: "g1" });
    await settle();
    expect(byTest("phone-reveal-outside")).toBeNull();
    button("phone-reveal").click();
    await waitUntil(() => byTest("phone-revealed")?.textContent === "13800000001");
    expect(reveal).toHaveBeenCalledTimes(1);
  });

  it("the coordinator reveals any phone and sees every action", async () => {
    resetAccess(COORD);
    current = COORD;
    w = mountApp(PhoneField, { props: { modelValue: null, masked: "138****0001", reveal: async () => "13800000001", unitId: "g2" } });
    await settle();
    expect(byTest("phone-reveal")).not.toBeNull();
    w.unmount();
    w = mountApp(UnitsView);
    await settle();
    expect(button("unit-add-root").disabled).toBe(false);
    expect(byTest("coordinator-only")).toBeNull();
  });
});

describe("设置 → 队长身份", () => {
  beforeEach(() => {
    current = COORD;
    resetAccess(COORD);
    app.info = { version: "0.1.0", dataDir: "/tmp/d", dbPath: "/tmp/d/outreach.db", isEmpty: false, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
  });

  async function openAdd() {
    w = mountApp(SettingsView);
    await waitUntil(() => byTest("profile-row") !== null);
    button("profiles-add").click();
    await waitUntil(() => document.querySelector('input[data-test="profile-label"]') !== null);
    await settle();
  }

  it("lists the captains with their grids", async () => {
    w = mountApp(SettingsView);
    await waitUntil(() => byTest("profile-row") !== null);
    expect(byTest("profiles-section")?.textContent).toContain("队长身份");
    expect(byTest("profile-row")?.textContent).toBe("城关一网格队长");
    expect(byTest("profile-units-cell")?.textContent).toBe("城关一网格");
  });

  it("validates a new captain before asking Rust: label, units, passphrase, mismatch, strength", async () => {
    backend({ profiles_save: (a) => ({ ...PROFILE, id: "p3", label: (a.input as { label: string }).label }) });
    await openAdd();
    expect(byTest("profile-label-hint")?.textContent).toContain("此名称未加密，会显示在解锁界面上");
    await submitForm("profile-form");
    await waitUntil(() => byTest("profile-error") !== null);
    let text = byTest("profile-error")!.textContent ?? "";
    expect(text).toContain("请填写名称。");
    expect(text).toContain("请至少选择一个负责的网格或社区。");
    expect(text).toContain("请设置队长口令。");

    await typeInto("profile-label", "城关二网格队长");
    await typeInto("profile-passphrase-new", "abc");
    await typeInto("profile-passphrase-confirm", "abd");
    await waitUntil(() => byTest("profile-passphrase-issues") !== null);
    expect(byTest("profile-passphrase-mismatch")?.textContent).toContain("两次输入的口令不一致");
    await submitForm("profile-form");
    await waitUntil(() => byTest("profile-error") !== null);
    text = byTest("profile-error")!.textContent ?? "";
    expect(text).not.toContain("请填写名称。");
    expect(text).toContain("请至少选择一个负责的网格或社区。");
    expect(text).toContain("两次输入的口令不一致");
    expect(text).toContain("口令强度不够：口令至少需要 10 个字符（现在 3 个）");
    expect(calls("profiles_save")).toHaveLength(0);

    w!.findComponent(UnitMultiSelect).vm.$emit("update:modelValue", ["g2"]);
    await typeInto("profile-passphrase-new", OTHER_PASS);
    await typeInto("profile-passphrase-confirm", OTHER_PASS);
    await waitUntil(() => byTest("profile-passphrase-strong") !== null);
    button("profile-save").click();
    await waitUntil(() => calls("profiles_save").length > 0);
    expect(calls("profiles_save")[0][1]).toEqual({
      input: { id: null, label: "城关二网格队长", unitIds: ["g2"], passphrase: OTHER_PASS, confirm: OTHER_PASS },
    });
    await waitUntil(() => document.querySelector(".el-message--success") !== null);
    expect(document.querySelector(".el-message--success")?.textContent).toContain("已保存队长身份「城关二网格队长」");
  });

  it("shows Rust's refusal (label taken) in the dialog", async () => {
    backend({ profiles_save: () => Promise.reject(appError("profile.label_taken", { label: "城关一网格队长" })) });
    await openAdd();
    await typeInto("profile-label", "城关一网格队长");
    w!.findComponent(UnitMultiSelect).vm.$emit("update:modelValue", ["g1"]);
    await typeInto("profile-passphrase-new", OTHER_PASS);
    await typeInto("profile-passphrase-confirm", OTHER_PASS);
    await submitForm("profile-form");
    await waitUntil(() => byTest("profile-error") !== null);
    expect(byTest("profile-error")?.textContent).toContain("已有名为「城关一网格队长」的队长身份");
  });

  it("edits without a passphrase (kept) and removes after a confirmation", async () => {
    backend({ profiles_save: () => PROFILE, profiles_remove: () => null });
    w = mountApp(SettingsView);
    await waitUntil(() => byTest("profile-row") !== null);
    button("profile-edit").click();
    await waitUntil(() => document.querySelector('input[data-test="profile-label"]') !== null);
    await settle();
    expect(input("profile-label").value).toBe("城关一网格队长");
    expect(byTest("profile-dialog")?.textContent).toContain("留空则不修改");
    await submitForm("profile-form");
    await waitUntil(() => calls("profiles_save").length > 0);
    expect(calls("profiles_save")[0][1]).toEqual({ input: { id: "p1", label: "城关一网格队长", unitIds: ["g1"], passphrase: null, confirm: null } });

    const confirm = vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    button("profile-remove").click();
    await waitUntil(() => calls("profiles_remove").length > 0);
    expect(String(confirm.mock.calls[0][0])).toContain("该队长将无法再解锁本机数据库");
    expect(calls("profiles_remove")[0][1]).toEqual({ id: "p1" });
  });
});

describe("设置 → 审计日志 → 核验完整性 (coordinator)", () => {
  beforeEach(() => {
    current = COORD;
    resetAccess(COORD);
  });

  it("shows a whole chain as success and a broken link with the entry where it breaks", async () => {
    let answer = { entries: 128, firstBroken: null as number | null };
    backend({ audit_verify: () => answer });
    w = mountApp(SettingsView);
    await settle();
    expect(byTest("audit-verify-result")).toBeNull();
    button("audit-verify").click();
    await waitUntil(() => byTest("audit-verify-result") !== null);
    let verdict = byTest("audit-verify-result")!;
    expect(verdict.textContent).toContain("审计日志完整：共 128 条记录");
    expect(verdict.dataset.broken).toBe("false");
    // (The test renders transitions as stubs: the attributes sit on the stub around the alert.)
    const kind = () => byTest("audit-verify-result")!.closest(".el-alert") ?? byTest("audit-verify-result")!.querySelector(".el-alert");
    expect(kind()?.classList.contains("el-alert--success")).toBe(true);

    answer = { entries: 57, firstBroken: 57 };
    button("audit-verify").click();
    await waitUntil(() => byTest("audit-verify-result")?.dataset.broken === "true");
    verdict = byTest("audit-verify-result")!;
    expect(verdict.textContent).toContain("审计日志在第 57 条处断裂");
    expect(verdict.textContent).toContain("报告数据管理员");
    expect(kind()?.classList.contains("el-alert--error")).toBe(true);
    expect(calls("audit_verify")).toHaveLength(2);
  });

  it("a refusal from Rust is shown as an error, not as a verdict", async () => {
    backend({ audit_verify: () => { throw appError("role.coordinator_only", { action: "核验审计日志" }); } });
    w = mountApp(SettingsView);
    await settle();
    button("audit-verify").click();
    await waitUntil(() => document.querySelector(".el-message--error") !== null);
    expect(document.querySelector(".el-message--error")?.textContent).toContain("“核验审计日志”仅限协调员身份");
    expect(byTest("audit-verify-result")).toBeNull();
  });
});
