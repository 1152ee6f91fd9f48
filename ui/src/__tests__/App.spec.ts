import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { UnitNode } from "../bindings/UnitNode";
import App from "../App.vue";
import { app, loadAppInfo } from "../stores/app";
import { resetLookups } from "../stores/lookups";
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
    invokeMock.mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await loadAppInfo();
    const w = mountApp(App);
    await settle();
    expect(w.text()).toContain("未连接到应用核心");
    expect(w.find('[data-test="nav-units"]').exists()).toBe(true);
  });
});
