import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));
// jsdom has no canvas: the charts are a fake that records its options and click handler.
const charts = vi.hoisted(() => ({ made: [] as Array<{ el: HTMLElement; opts: unknown; option: unknown; click?: (p: unknown) => void }> }));
vi.mock("../components/reports/echarts", () => ({
  PALETTE: ["#C8102E"],
  init: vi.fn((el: HTMLElement, _theme: unknown, opts: unknown) => {
    const c: (typeof charts.made)[number] = { el, opts, option: null };
    charts.made.push(c);
    return {
      on: (_ev: string, fn: (p: unknown) => void) => (c.click = fn),
      setOption: (o: unknown) => (c.option = o),
      resize: () => undefined,
      dispose: () => undefined,
    };
  }),
}));

import { invoke } from "@tauri-apps/api/core";
import type { Figures } from "../bindings/Figures";
import type { UnitNode } from "../bindings/UnitNode";
import type { UnitKind } from "../bindings/UnitKind";
import type { Dashboard } from "../api/reports";
import type { IncidentFigures } from "../bindings/IncidentFigures";
import ReportsView from "../views/ReportsView.vue";
import { resetLookups } from "../stores/lookups";
import { app } from "../stores/app";
import { mountApp, settle, waitUntil } from "./helpers";
import { resetAccess } from "../stores/access";

const invokeMock = vi.mocked(invoke);

function fig(unitId: string, unitName: string, unitKind: UnitKind, o: Partial<Figures> = {}): Figures {
  return {
    unitId, unitName, unitKind, from: "2026-10-01", to: "2026-12-31",
    sessionsHeld: 0, sessionsPlanned: 0, sessionsCancelled: 0, byKind: [], personTimes: 0, audiences: [],
    residents: 1000, households: 400, coveragePct: 0, visitLogs: 0, householdsVisited: 0, notHome: 0, refused: 0,
    warningNotices: 0, visitsPerHousehold: 0, grids: 2, gridsReached: 0, activeSpeakers: 0, speakerHours: 0,
    flyers: 0, posters: 0, banners: 0, gifts: 0, letters: 0, otherMaterials: 0,
    followupsDue: 0, followupsOnTime: 0, followupsLate: 0, followupsOverdue: 0, followupsOnTimePct: null,
    warnedResidents: 0, moneyStopped: 0, ...o,
  };
}
const node = (id: string, name: string, kind: UnitKind, parentId: string | null, children: UnitNode[] = []): UnitNode => ({
  unit: { id, parentId, name, kind, code: "", profile: null, archived: false, createdAt: "", updatedAt: "" },
  totals: { grids: 0, households: 0, residents: 0, under18: 0, age18to59: 0, age60plus: 0, students: 0, elderlyAlone: 0, financeStaff: 0 },
  children,
});
const TREE: UnitNode[] = [
  node("c1", "淄博市", "city", null, [node("d1", "临淄区", "district", "c1"), node("d2", "张店区", "district", "c1")]),
];
const CITY = fig("c1", "淄博市", "city", {
  sessionsHeld: 36, sessionsPlanned: 4, personTimes: 5200, residents: 100000, coveragePct: 5.2, householdsVisited: 300,
  grids: 40, gridsReached: 25, activeSpeakers: 12, speakerHours: 48.5, followupsDue: 10, followupsOnTime: 8, followupsOnTimePct: 80,
  byKind: [{ kind: "talk", count: 20 }, { kind: "bench_talk", count: 16 }],
  audiences: [
    { audience: "elderly", reached: 2000, group: 16000 },
    { audience: "students", reached: 0, group: null },
    { audience: "public", reached: 1300, group: null },
  ],
});
const D1 = fig("d1", "临淄区", "district", { sessionsHeld: 20, personTimes: 3000, coveragePct: 6 });
const D2 = fig("d2", "张店区", "district", { sessionsHeld: 16, personTimes: 2200, coveragePct: 4.4 });
const NO_CASES: IncidentFigures = {
  count: 0, count_last_year: 0, loss_yuan: 0, loss_last_year_yuan: 0, stopped_yuan: 0, revictimised: 0, by_type: [], by_unit: [],
};
const CITY_CASES: IncidentFigures = {
  count: 43, count_last_year: 101, loss_yuan: 2422483, loss_last_year_yuan: 6842607, stopped_yuan: 150451, revictimised: 0,
  by_type: [
    { type: "topic-order-brushing", name: "刷单返利", count: 10, count_last_year: 25, loss_yuan: 198127 },
    { type: "topic-fake-police", name: "冒充公检法", count: 2, count_last_year: 8, loss_yuan: 206483 },
  ],
  by_unit: [
    { unit_id: "d1", unit_name: "临淄区", count: 12, count_last_year: 33, loss_yuan: 634243, loss_last_year_yuan: 2353846 },
    { unit_id: "d2", unit_name: "张店区", count: 31, count_last_year: 68, loss_yuan: 1788240, loss_last_year_yuan: 4488761 },
  ],
};
const dashboards: Record<string, Dashboard> = {
  c1: {
    coverage: { total: CITY, parts: [D1, D2] },
    lastYear: fig("c1", "淄博市", "city", { sessionsHeld: 30, personTimes: 5200 }),
    months: [{ month: "2026-10", sessionsHeld: 10, personTimes: 1500 }],
    targets: [{ target: { id: "t1", unitId: "c1", from: "2026-10-01", to: "2026-12-31", metric: "sessions", kind: null, value: 48 }, label: "开展场次", actual: 36, pct: 75 }],
    leastCovered: [],
    incidents: CITY_CASES,
    summary: "",
    summaryEn: "",
  },
  d1: {
    coverage: { total: D1, parts: [fig("s1", "辛店派出所", "station", { sessionsHeld: 20 })] },
    lastYear: fig("d1", "临淄区", "district"),
    months: [],
    targets: [],
    leastCovered: [],
    incidents: NO_CASES,
    summary: "",
    summaryEn: "",
  },
};

let failWith: unknown = null;
beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  app.dataVersion++;
  charts.made.length = 0;
  failWith = null;
  document.body.innerHTML = "";
  invokeMock.mockImplementation(async (cmd, args) => {
    const a = (args ?? {}) as Record<string, string>;
    switch (cmd) {
      case "units_tree":
        return TREE;
      case "coverage_dashboard":
        if (failWith) throw failWith;
        if (!dashboards[a.unitId]) throw { code: "not_found", message: "", params: { entity: "unit", id: a.unitId } };
        // The summary comes with the dashboard (one build of the report, not two).
        return {
          ...dashboards[a.unitId],
          summary: `${a.from}至${a.to}，${dashboards[a.unitId]?.coverage.total.unitName}共开展反诈宣传活动36场。`,
          summaryEn: `From ${a.from} to ${a.to}, ${dashboards[a.unitId]?.coverage.total.unitName} held 36 anti-fraud outreach sessions.`,
        };
      case "report_save":
        return { fileName: `淄博市反诈宣传工作报告（2026年第四季度）.${a.format}` };
      case "coverage_sessions":
        return [{ id: "s", title: "板凳会", kind: "bench_talk", start: "2026-10-09T09:00", unitName: "临淄区", headcount: 40 }];
      default:
        return [];
    }
  });
});

const dashCalls = () => invokeMock.mock.calls.filter(([c]) => c === "coverage_dashboard").map(([, a]) => a as Record<string, string>);

async function mounted() {
  const w = mountApp(ReportsView);
  await waitUntil(() => w.find('[data-test="kpi-sessions"]').exists());
  await settle();
  return w;
}

describe("ReportsView", () => {
  it("opens on the city for this quarter and shows its figures, changes, target, summary and table", async () => {
    const w = await mounted();
    expect(dashCalls()).toHaveLength(1);
    const call = dashCalls()[0];
    expect(call.unitId).toBe("c1");
    expect(call.from).toMatch(/^\d{4}-(01|04|07|10)-01$/);
    const kpi = (id: string) => w.find(`[data-test="${id}"] [data-test="kpi-value"]`).text();
    expect(kpi("kpi-sessions")).toBe("36");
    expect(kpi("kpi-person-times")).toBe("5,200");
    expect(kpi("kpi-grids")).toBe("25 / 40");
    expect(w.find('[data-test="kpi-person-times"]').text()).toContain("覆盖率 5.2%");
    // 36 vs 30 last year: up 20 %; person-times unchanged
    expect(w.find('[data-test="kpi-sessions"] [data-test="kpi-change"]').text()).toContain("↑ 20.0%");
    expect(w.find('[data-test="kpi-households"] [data-test="kpi-change"]').text()).toContain("去年同期无数据");
    expect(w.find('[data-test="kpi-sessions"] [data-test="kpi-target"]').text()).toContain("目标 48，已完成 75%");
    expect(w.find('[data-test="reports-summary"]').text()).toContain("共开展反诈宣传活动36场");
    const rows = w.findAll('[data-test="parts-row"]');
    expect(rows.map((r) => r.text())).toEqual(["临淄区", "张店区"]);
    expect(w.find(".el-table__footer").text()).toContain("合计");
    expect(w.find('[data-test="drill-crumb"]').text()).toBe("淄博市");
    expect(w.find('[data-test="target-row"]').text()).toContain("开展场次");
    // the charts are made with the Chinese locale; the months chart has the sessions as bars
    expect(charts.made.length).toBeGreaterThanOrEqual(3);
    expect(charts.made[0].opts).toMatchObject({ locale: "ZH", renderer: "canvas" });
    const months = charts.made.find((c) => c.el.closest('[data-test="chart-months"]') || c.el.matches('[data-test="chart-months"]'));
    expect((months?.option as { series: Array<{ type: string; data: number[] }> }).series[0]).toMatchObject({ type: "bar", data: [10] });
    w.unmount();
  });

  it("shows reach by audience as recorded with the sessions, as the report's 表3 does", async () => {
    const w = await mounted();
    const rows = w.findAll('[data-test="audiences-table"] .el-table__body tr').map((r) => r.findAll("td").map((c) => c.text()));
    // students: nobody recorded and no resident group — left out, as in the PDF
    expect(rows).toEqual([
      ["老年人", "2,000", "38.5%", "16,000", "12.5%"],
      ["普通群众", "1,300", "25.0%", "—", "—"],
    ]);
    expect(w.find('[data-test="audiences-panel"]').text()).toContain("按登记时填写的人群人数统计");
    w.unmount();
  });

  it("shows the outcome beside the work: cases and losses against last year, by type and by unit", async () => {
    const w = await mounted();
    const panel = w.find('[data-test="outcomes-panel"]');
    expect(panel.exists()).toBe(true);
    const kpi = (id: string) => panel.find(`[data-test="${id}"]`);
    expect(kpi("outcome-count").find('[data-test="kpi-value"]').text()).toBe("43");
    expect(kpi("outcome-count").text()).toContain("去年同期 101 起");
    // 43 against 101: down 57.4 %; the losses down 64.6 %
    expect(kpi("outcome-count").find('[data-test="kpi-change"]').text()).toContain("↓ 57.4%");
    expect(kpi("outcome-loss").find('[data-test="kpi-value"]').text()).toBe("¥2,422,483");
    expect(kpi("outcome-loss").find('[data-test="kpi-change"]').text()).toContain("↓ 64.6%");
    expect(kpi("outcome-stopped").find('[data-test="kpi-value"]').text()).toBe("¥150,451");
    // nothing to compare stopped payments and re-victimisation with: no change line
    expect(kpi("outcome-stopped").find('[data-test="kpi-change"]').exists()).toBe(false);
    expect(kpi("outcome-revictimised").find('[data-test="kpi-value"]').text()).toBe("0");
    const types = charts.made.find((c) => c.el.matches('[data-test="chart-incident-types"]'));
    const option = types?.option as { yAxis: { data: string[] }; series: Array<{ data: number[] }> };
    // most cases at the top of the horizontal bars
    expect(option.yAxis.data).toEqual(["冒充公检法", "刷单返利"]);
    expect(option.series.map((s) => s.data)).toEqual([[2, 10], [8, 25]]);
    const rows = w.findAll('[data-test="incidents-table"] .el-table__body tr').map((r) => r.findAll("td").map((c) => c.text()));
    expect(rows[0]).toEqual(["临淄区", "12", "33", "-63.6%", "¥634,243", "¥2,353,846", "-73.1%"]);
    expect(w.find('[data-test="incidents-table"] .el-table__footer').text()).toContain("-57.4%");
    // a row drills like the table by child unit
    await w.find('[data-test="incidents-row"][data-unit-id="d1"]').trigger("click");
    await waitUntil(() => dashCalls().some((a) => a.unitId === "d1"));
    await settle();
    // 临淄区 has no case data: no panel
    expect(w.find('[data-test="outcomes-panel"]').exists()).toBe(false);
    w.unmount();
  });

  it("drills into a child unit from a table row, with the breadcrumb", async () => {
    const w = await mounted();
    await w.find('[data-test="parts-row"][data-unit-id="d1"]').trigger("click");
    await waitUntil(() => dashCalls().some((a) => a.unitId === "d1"));
    await settle();
    expect(dashCalls().at(-1)?.unitId).toBe("d1");
    expect(w.findAll('[data-test="drill-crumb"]').map((c) => c.text())).toEqual(["淄博市", "临淄区"]);
    expect(w.findAll('[data-test="parts-row"]').map((r) => r.text())).toEqual(["辛店派出所"]);
    // back up through the breadcrumb
    await w.find('[data-test="drill-crumb"][data-unit-id="c1"]').trigger("click");
    await waitUntil(() => dashCalls().at(-1)?.unitId === "c1");
    expect(dashCalls().at(-1)?.unitId).toBe("c1");
    w.unmount();
  });

  it("drills when a bar of the child-unit chart is clicked", async () => {
    const w = await mounted();
    const children = charts.made.find((c) => c.el.matches('[data-test="chart-children"]'));
    expect(children?.click).toBeTypeOf("function");
    children!.click!({ dataIndex: 0, name: "临淄区" });
    await waitUntil(() => dashCalls().some((a) => a.unitId === "d1"));
    expect(dashCalls().at(-1)?.unitId).toBe("d1");
    w.unmount();
  });

  it("exports the report in the format asked and names the file saved", async () => {
    const w = await mounted();
    await w.find('[data-test="report-export-xlsx"]').trigger("click");
    await waitUntil(() => w.find('[data-test="report-saved"]').exists());
    const call = invokeMock.mock.calls.find(([c]) => c === "report_save");
    expect(call?.[1]).toMatchObject({ unitId: "c1", format: "xlsx" });
    expect((call?.[1] as Record<string, string>).from).toBe(dashCalls()[0].from);
    expect(w.find('[data-test="report-saved"]').text()).toContain("淄博市反诈宣传工作报告（2026年第四季度）.xlsx");
    w.unmount();
  });

  it("lists the sessions behind the number when 开展场次 is clicked", async () => {
    const w = await mounted();
    await w.find('[data-test="kpi-sessions"] [data-test="kpi-value"]').trigger("click");
    await waitUntil(() => document.querySelector('[data-test="records-count"]') !== null);
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("coverage_sessions", expect.objectContaining({ unitId: "c1" }));
    expect(document.querySelector('[data-test="records-count"]')?.textContent).toContain("共 1 场，到场 40 人次");
    w.unmount();
  });

  it("opens a captain on their own unit, not the city Rust would refuse them", async () => {
    resetAccess({ role: "captain", profileId: "p1", label: "临淄区队长", unitIds: ["d1"], scopeUnitIds: ["d1"] });
    try {
      const w = await mounted();
      expect(dashCalls().map((c) => c.unitId)).toEqual(["d1"]);
      expect(w.find('[data-test="reports-body"]').attributes("data-unit-id")).toBe("d1");
      w.unmount();
    } finally {
      resetAccess(null);
    }
  });

  it("shows Rust's refusal in words", async () => {
    failWith = { code: "coverage.period", message: "period", params: { from: "2026-12-31", to: "2026-10-01" } };
    const w = mountApp(ReportsView);
    await waitUntil(() => w.find('[data-test="reports-error"]').exists());
    expect(w.find('[data-test="reports-error"]').text()).toContain("统计时段无效：结束日期 2026-10-01 早于开始日期 2026-12-31。");
    w.unmount();
  });
});
