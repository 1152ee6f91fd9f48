import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { UnitNode } from "../bindings/UnitNode";
import App from "../App.vue";
import { app, loadAppInfo } from "../stores/app";
import { resetLookups } from "../stores/lookups";
import { boot, resetSecurity, security } from "../stores/security";
import { currentLocale } from "../i18n";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const totals = { grids: 1, households: 10, residents: 30, under18: 5, age18to59: 20, age60plus: 5, students: 4, elderlyAlone: 1, financeStaff: 0 };
const demoTree: UnitNode[] = [
  {
    unit: { id: "c", parentId: null, name: "江城市", kind: "city", code: "", profile: null, archived: false, createdAt: "", updatedAt: "" },
    totals,
    children: [
      {
        unit: {
          id: "g",
          parentId: "c",
          name: "第1网格",
          kind: "grid",
          code: "",
          profile: { ...totals, notes: "" },
          archived: false,
          createdAt: "",
          updatedAt: "",
        },
        totals,
        children: [],
      },
    ],
  },
];

/** The commands sent, leaving out app_ready (the units view of an earlier test sends it a frame later). */
const sent = () => invokeMock.mock.calls.map(([cmd]) => cmd).filter((cmd) => cmd !== "app_ready");

let loaded = false;
function backend() {
  invokeMock.mockImplementation(async (cmd, args) => {
    switch (cmd) {
      case "app_info":
        return {
          version: "0.1.0",
          dataDir: "/tmp/d",
          dbPath: "/tmp/d/outreach.db",
          isEmpty: !loaded,
          settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" },
        };
      case "units_tree":
        return loaded ? demoTree : [];
      case "demo_load":
        loaded = true;
        return { units: 2, grids: 1, people: 3, teams: 1, venues: 1 };
      case "settings_save":
        return (args as { settings: unknown }).settings;
      case "db_status":
        return { file: "encrypted", unlocked: true, profiles: [], remembered: false };
      default:
        return [];
    }
  });
}

beforeEach(() => {
  loaded = false;
  invokeMock.mockReset();
  resetLookups();
  backend();
  app.info = null;
  app.infoError = null;
  app.view = "units";
  // These tests are about the shell: the database is open (UnlockScreen.spec covers the rest).
  resetSecurity({ status: { file: "encrypted", unlocked: true, profiles: [], remembered: false, keychain: false, locale: null }, unlocked: true });
  document.body.innerHTML = "";
});

describe("App", () => {
  it("shows the empty state, loads the demo data and then the tree", async () => {
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    expect(w.find('[data-test="operator-name"]').text()).toContain("张警官");
    expect(w.find('[data-test="empty-state"]').exists()).toBe(true);

    await w.find('[data-test="load-demo"]').trigger("click");
    await waitUntil(() => w.findAll('[data-test="unit-node"]').length > 0);
    expect(invokeMock).toHaveBeenCalledWith("demo_load", undefined);
    expect(w.find('[data-test="empty-state"]').exists()).toBe(false);
    expect(w.findAll('[data-test="unit-node"]').map((n) => n.text())).toContain("江城市");
    expect(w.find('[data-test="unit-total-residents"]').text()).toBe("30");
  });

  it("opens the reports view (no capability is marked coming soon any more)", async () => {
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    expect(w.findAll(".nav-item.soon")).toHaveLength(0);
    await w.find('[data-test="nav-reports"]').trigger("click");
    // the view's code is a chunk of its own, loaded on the first visit
    await waitUntil(() => w.find('[data-test="reports-unit"]').exists(), 10_000);
    await settle(2);
    expect(w.find('[data-test="coming-soon"]').exists()).toBe(false);
    expect(w.find('[data-test="reports-unit"]').exists()).toBe(true);
    expect(w.find('[data-test="report-export-pdf"]').text()).toContain("导出 PDF");
  });

  it("opens the print view with its documents and the materials stock", async () => {
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    await w.find('[data-test="nav-print"]').trigger("click");
    // the view's code is a chunk of its own, loaded on the first visit
    await waitUntil(() => w.find('[data-test="print-tab-documents"]').exists(), 10_000);
    await settle();
    expect(w.find('[data-test="coming-soon"]').exists()).toBe(false);
    expect(w.find('[data-test="print-tab-documents"]').text()).toBe("打印文档");
    expect(w.find('[data-test="print-tab-stock"]').text()).toBe("物资库存");
    expect(w.find('[data-test="print-doc-flyer"]').text()).toContain("活动宣传单");
    expect(w.find('[data-test="print-empty"]').exists()).toBe(true);
    await waitUntil(() => invokeMock.mock.calls.some(([cmd]) => cmd === "sessions_list"));
    await w.find('[data-test="print-tab-stock"]').trigger("click");
    await waitUntil(() => invokeMock.mock.calls.some(([cmd]) => cmd === "materials_stock"));
    await settle();
    expect(w.find('[data-test="stock-empty"]').text()).toContain("还没有库存记录");
  });

  it("opens the plan view with its calendar and new-session button", async () => {
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    await w.find('[data-test="nav-plan"]').trigger("click");
    // the view's code is a chunk of its own, loaded on the first visit
    await waitUntil(() => w.find('[data-test="plan-calendar"]').exists(), 10_000);
    await settle();
    expect(w.find('[data-test="coming-soon"]').exists()).toBe(false);
    expect(w.find('[data-test="plan-calendar"]').exists()).toBe(true);
    expect(w.find('[data-test="plan-new"]').text()).toContain("新建活动");
    await waitUntil(() => invokeMock.mock.calls.some(([cmd]) => cmd === "sessions_list"));
    const call = invokeMock.mock.calls.find(([cmd]) => cmd === "sessions_list");
    expect((call?.[1] as { filter: { from: string; to: string } }).filter.from).toMatch(/^\d{4}-\d{2}-\d{2}T00:00$/);
  });

  it("opens the record view with its tabs and lists the sessions to record", async () => {
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    await w.find('[data-test="nav-record"]').trigger("click");
    // the view's code is a chunk of its own, loaded on the first visit
    await waitUntil(() => w.find('[data-test="record-tab-sessions"]').exists(), 10_000);
    await settle();
    expect(w.find('[data-test="coming-soon"]').exists()).toBe(false);
    expect(w.find('[data-test="record-tab-sessions"]').text()).toBe("活动记录");
    expect(w.find('[data-test="record-tab-followups"]').text()).toBe("预警回访");
    expect(w.find('[data-test="record-tab-bundles"]').text()).toBe("交接");
    await waitUntil(() => invokeMock.mock.calls.some(([cmd]) => cmd === "sessions_list"));
    const call = invokeMock.mock.calls.find(([cmd]) => cmd === "sessions_list");
    const filter = (call?.[1] as { filter: { from: string; to: string; statuses: string[] } }).filter;
    expect(filter.statuses).toEqual(["planned", "confirmed", "held", "reported"]);
    expect(filter.from).toMatch(/^\d{4}-\d{2}-01$/);
    expect(w.find('[data-test="record-empty"]').text()).toContain("这个月没有需要登记的活动");
  });

  it("applies the stored locale at startup", async () => {
    invokeMock.mockImplementation(async (cmd) => {
      if (cmd === "app_info") {
        return {
          version: "0.1.0",
          dataDir: "",
          dbPath: "",
          isEmpty: true,
          settings: { operatorName: "", operatorUnitId: null, locale: "en" },
        };
      }
      return [];
    });
    await loadAppInfo();
    expect(currentLocale()).toBe("en");
  });

  it("renders an error state outside Tauri instead of crashing", async () => {
    resetSecurity();
    invokeMock.mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await boot();
    const w = mountApp(App);
    await settle();
    expect(w.find('[data-test="unlock-screen"]').attributes("data-mode")).toBe("error");
    expect(w.find('[data-test="unlock-boot-error"]').text()).toContain("未连接到应用核心");
    expect(w.find('[data-test="nav-units"]').exists()).toBe(false);
    // only db_status was tried
    expect(sent()).toEqual(["db_status"]);

    // the retry asks again and, once Rust answers, shows the unlock form
    invokeMock.mockReset();
    invokeMock.mockImplementation(async (cmd) => {
      if (cmd === "db_status") return { file: "encrypted", unlocked: false, profiles: [], remembered: false };
      throw new Error(`unexpected ${cmd}`);
    });
    await w.find('[data-test="unlock-retry"]').trigger("click");
    await waitUntil(() => w.find('input[data-test="unlock-passphrase"]').exists());
    expect(w.find('[data-test="unlock-screen"]').attributes("data-mode")).toBe("encrypted");
    w.unmount();
  });

  it("shows the unlock screen until the database is open, and sends nothing else before", async () => {
    resetSecurity();
    let open = false;
    invokeMock.mockImplementation(async (cmd, args) => {
      switch (cmd) {
        case "db_status":
          return { file: "encrypted", unlocked: open, profiles: [], remembered: false };
        case "db_unlock":
          if ((args as { passphrase: string }).passphrase !== "反诈宣防-e2e-2026") {
            throw { code: "db.passphrase_wrong", message: "口令不正确，数据库未被改动", params: {}, issues: [] };
          }
          open = true;
          return { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };
        default:
          if (!open) throw { code: "db.locked", message: "数据库尚未解锁", params: {}, issues: [] };
          if (cmd === "app_info") {
            return { version: "0.1.0", dataDir: "/tmp/d", dbPath: "/tmp/d/outreach.db", isEmpty: true, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
          }
          return [];
      }
    });
    await boot();
    expect(app.info).toBeNull();
    const w = mountApp(App);
    await settle();
    expect(w.find('[data-test="unlock-screen"]').attributes("data-mode")).toBe("encrypted");
    expect(w.find(".shell").exists()).toBe(false);
    expect(sent()).toEqual(["db_status"]);

    const input = w.find('input[data-test="unlock-passphrase"]');
    await input.setValue("反诈宣防-e2e-2026");
    await w.find('[data-test="unlock-form"]').trigger("submit");
    await waitUntil(() => w.find(".shell").exists());
    expect(security.unlocked).toBe(true);
    await waitUntil(() => w.find('[data-test="empty-state"]').exists());
    expect(sent().slice(0, 3)).toEqual(["db_status", "db_unlock", "app_info"]);
    expect(w.find('[data-test="operator-name"]').text()).toContain("张警官");
    // what was typed is gone with the unlock screen
    expect(document.body.innerHTML).not.toContain("反诈宣防-e2e-2026");
    w.unmount();
  });

  it("stores a language picked on the unlock screen once the database is open", async () => {
    resetSecurity();
    let open = false;
    invokeMock.mockImplementation(async (cmd, args) => {
      switch (cmd) {
        case "db_status":
          return { file: "encrypted", unlocked: open, profiles: [], remembered: false };
        case "db_unlock":
          open = true;
          return { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };
        case "app_info":
          return { version: "0.1.0", dataDir: "", dbPath: "", isEmpty: true, settings: { operatorName: "", operatorUnitId: null, locale: "zh-CN" } };
        case "settings_save":
          return (args as { settings: unknown }).settings;
        default:
          return [];
      }
    });
    await boot();
    const w = mountApp(App);
    await settle();
    const sel = w.findComponent({ name: "ElSelect" });
    sel.vm.$emit("update:modelValue", "en");
    await settle();
    expect(currentLocale()).toBe("en");
    expect(w.find('[data-test="unlock-title"]').text()).toContain("Enter the passphrase to unlock");
    await w.find('input[data-test="unlock-passphrase"]').setValue("Jixia-grid-2026");
    await w.find('[data-test="unlock-form"]').trigger("submit");
    await waitUntil(() => invokeMock.mock.calls.some(([cmd]) => cmd === "settings_save"));
    const saved = invokeMock.mock.calls.find(([cmd]) => cmd === "settings_save")?.[1] as { settings: { locale: string } };
    expect(saved.settings.locale).toBe("en");
    expect(currentLocale()).toBe("en");
    w.unmount();
  });
});
