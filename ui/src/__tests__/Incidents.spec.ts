// 发案研判: the weekly review's places and their one-click plans, the tailored push, the type
// labels, the empty week, the precision gaps' filter, and the re-victimisation line of the
// follow-ups.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));
// jsdom has no canvas: the charts are a fake that records its options and click handler.
const charts = vi.hoisted(() => ({ made: [] as Array<{ option: unknown; click?: (p: unknown) => void }> }));
vi.mock("../components/reports/echarts", () => ({
  PALETTE: ["#C8102E"],
  init: vi.fn(() => {
    const c: (typeof charts.made)[number] = { option: null };
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
import { DOMWrapper } from "@vue/test-utils";
import { ElMessageBox } from "element-plus";
import type { Gaps } from "../bindings/Gaps";
import type { PushInput } from "../bindings/PushInput";
import type { Review } from "../bindings/Review";
import type { Revictimisation } from "../bindings/Revictimisation";
import type { UnitNode } from "../bindings/UnitNode";
import type { UnitKind } from "../bindings/UnitKind";
import IncidentsView from "../views/IncidentsView.vue";
import SessionForm from "../components/plan/SessionForm.vue";
import PushDialog from "../components/incidents/PushDialog.vue";
import LabelsPanel from "../components/incidents/LabelsPanel.vue";
import FollowupsPanel from "../components/followups/FollowupsPanel.vue";
import { setLocale } from "../i18n";
import { resetAccess } from "../stores/access";
import { resetLookups } from "../stores/lookups";
import { isoWeek, weekMonday } from "../utils/week";
import { nextWorkingMorning } from "../utils/incidents";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const node = (id: string, name: string, kind: UnitKind, parentId: string | null, children: UnitNode[] = []): UnitNode => ({
  unit: { id, parentId, name, kind, code: "", profile: null, archived: false, createdAt: "", updatedAt: "" },
  totals: { grids: 0, households: 0, residents: 0, under18: 0, age18to59: 0, age60plus: 0, students: 0, elderlyAlone: 0, financeStaff: 0 },
  children,
});
const TREE: UnitNode[] = [
  node("c1", "淄博市", "city", null, [
    node("s1", "稷下派出所", "station", "c1", [node("g1", "稷下第一网格", "grid", "s1"), node("g2", "稷下第二网格", "grid", "s1")]),
  ]),
];

const REVIEW: Review = {
  unitId: "c1",
  unitName: "淄博市",
  week: "2026-W49",
  from: "2026-11-30",
  to: "2026-12-06",
  count: 5,
  lossYuan: 461412,
  stoppedYuan: 18279.5,
  avg4: 4,
  changePct: 25,
  byType: [
    { topicId: "topic-romance", name: "杀猪盘/网络交友", count: 2, lossYuan: 246065, avg4: 0.5 },
    { topicId: "topic-game-trade", name: "游戏交易", count: 0, lossYuan: 0, avg4: 0.75 },
  ],
  groups: [
    { audience: "elderly", count: 3 },
    { audience: "public", count: 2 },
  ],
  byAge: [["age60plus", 3], ["age18to59", 2]],
  byOccupation: [["retired", 3], ["employee", 2]],
  places: [
    {
      unitId: "g1",
      unitName: "稷下第一网格",
      unitKind: "grid",
      path: "淄博市 / 稷下派出所",
      count: 3,
      lossYuan: 300000,
      avg4: 0.5,
      topicIds: ["topic-romance"],
      groups: [{ audience: "elderly", count: 3 }],
      suggestion: {
        action: "talk",
        sessionKind: "bench_talk",
        topicIds: ["topic-romance"],
        audiences: ["elderly"],
        title: "稷下第一网格「杀猪盘/网络交友」专题反诈宣讲",
        reason: "本周发生杀猪盘/网络交友诈骗3起，近90天未开展该专题宣讲",
        reasonEn: "3 cases this week and no talk on it here in 90 days",
      },
    },
    {
      unitId: "g2",
      unitName: "稷下第二网格",
      unitKind: "grid",
      path: "淄博市 / 稷下派出所",
      count: 2,
      lossYuan: 161412,
      avg4: 1,
      topicIds: ["topic-romance"],
      groups: [{ audience: "public", count: 2 }],
      suggestion: {
        action: "push",
        sessionKind: "online_push",
        topicIds: ["topic-romance"],
        audiences: ["public"],
        title: "稷下第二网格网格群定向预警",
        reason: "一周内2起，已开展过宣讲，建议在网格群定向推送",
        reasonEn: "2 cases this week after a talk: push a warning in the grid's groups",
      },
    },
  ],
  morePlaces: 4,
};
const EMPTY: Review = { ...REVIEW, count: 0, lossYuan: 0, stoppedYuan: 0, avg4: 0, changePct: null, byType: [], groups: [], byAge: [], byOccupation: [], places: [], morePlaces: 0 };

const GAPS: Gaps = {
  unitId: "c1",
  from: "2026-09-08",
  to: "2026-12-06",
  monthsFrom: "2026-10-01",
  monthsTo: "2026-12-31",
  rateLine: 10,
  coverageLine: 20,
  points: [
    { gridId: "g1", gridName: "稷下第一网格", path: "淄博市 / 稷下派出所", residents: 2000, incidents: 4, rate: 20, rateBefore: 5, coveragePct: 5, coverageBeforePct: 12, exposed: true, rising: true },
    { gridId: "g2", gridName: "稷下第二网格", path: "淄博市 / 稷下派出所", residents: 1500, incidents: 1, rate: 6.7, rateBefore: 6.7, coveragePct: 40, coverageBeforePct: 30, exposed: false, rising: false },
  ],
  topicGaps: [
    { gridId: "g1", gridName: "稷下第一网格", path: "淄博市 / 稷下派出所", topicId: "topic-romance", topicName: "杀猪盘/网络交友", incidents: 3, lossYuan: 200000, lastIncident: "2026-12-01", lastSession: null },
    { gridId: "g2", gridName: "稷下第二网格", path: "淄博市 / 稷下派出所", topicId: "topic-loan", topicName: "贷款/征信", incidents: 1, lossYuan: 5000, lastIncident: "2026-11-20", lastSession: "2026-05-10" },
  ],
  moreTopicGaps: 3,
};

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "units_tree":
        return TREE;
      case "topics_list":
        return [];
      case "people_list":
      case "venues_list":
      case "templates_list":
      case "sessions_check":
        return [];
      case "rules_check_session_times":
        return null;
      case "incidents_review":
        return REVIEW;
      case "incidents_gaps":
        return GAPS;
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

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  resetAccess();
  backend();
  charts.made.length = 0;
  document.body.innerHTML = "";
  setLocale("zh-CN");
  // A Friday: the next working morning is Monday's.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 11, 4, 15, 0));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("weeks and working days", () => {
  it("names ISO weeks as Rust does, and plans the next working morning", () => {
    expect(isoWeek(new Date(2026, 11, 4))).toBe("2026-W49");
    expect(isoWeek(new Date(2027, 0, 1))).toBe("2026-W53");
    expect(isoWeek(new Date(2024, 11, 30))).toBe("2025-W01");
    expect(weekMonday("2026-W49")?.getDate()).toBe(30);
    expect(weekMonday("2026-W54")).toBeNull();
    expect(nextWorkingMorning(new Date(2026, 11, 4))).toEqual({ start: "2026-12-07T09:30", end: "2026-12-07T10:30" });
    expect(nextWorkingMorning(new Date(2026, 11, 1))).toEqual({ start: "2026-12-02T09:30", end: "2026-12-02T10:30" });
  });
});

describe("IncidentsView: the weekly review", () => {
  it("asks for the top unit's current week and lists its places with the suggestion", async () => {
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-row"]').length === 2);
    expect(calls("incidents_review")[0][1]).toEqual({ unitId: "c1", week: "2026-W49" });
    expect(byTest("review-kpi-count")?.textContent).toContain("5 起");
    expect(byTest("review-kpi-loss")?.textContent).toContain("¥461,412");
    expect(byTest("review-kpi-stopped")?.textContent).toContain("¥18,279.5");
    expect(byTest("review-kpi-change")?.textContent).toContain("↑ 25.0%");
    const trends = [...document.querySelectorAll('[data-test="type-trend"]')].map((e) => e.getAttribute("data-trend"));
    expect(trends).toEqual(["up", "down"]);
    expect(byTest("review-groups")?.textContent).toContain("老年人 3 起");
    expect(byTest("review-groups")?.textContent).toContain("离退休人员 3 起");
    const reasons = [...document.querySelectorAll('[data-test="place-reason"]')].map((e) => e.textContent);
    expect(reasons[0]).toContain("近90天未开展该专题宣讲");
    expect(byTest("review-more")?.textContent).toContain("另有 4 处");
    w.unmount();
  });

  it("安排 opens the session form with the suggestion, the next working morning 09:30–10:30", async () => {
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-plan"]').length === 2);
    (document.querySelectorAll('[data-test="place-plan"]')[0] as HTMLButtonElement).click();
    await settle();
    const form = w.findComponent(SessionForm);
    expect(form.props("modelValue")).toBe(true);
    expect(form.props("preset")).toEqual({
      title: "稷下第一网格「杀猪盘/网络交友」专题反诈宣讲",
      kind: "bench_talk",
      unitId: "g1",
      topicIds: ["topic-romance"],
      audiences: ["elderly"],
      start: "2026-12-07T09:30",
      end: "2026-12-07T10:30",
    });
    await waitUntil(() => (document.querySelector('input[data-test="session-title"]') as HTMLInputElement | null)?.value !== "");
    expect((document.querySelector('input[data-test="session-title"]') as HTMLInputElement).value).toBe("稷下第一网格「杀猪盘/网络交友」专题反诈宣讲");
    expect(w.findComponent(PushDialog).props("modelValue")).toBe(false);
    w.unmount();
  });

  it("a push suggestion opens the push dialog for the place and week", async () => {
    backend({ incidents_push_draft: () => ({ unitId: "g2", unitName: "稷下第二网格", week: "2026-W49", text: "【反诈预警】", topicIds: [], audiences: [] }) });
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-plan"]').length === 2);
    (document.querySelectorAll('[data-test="place-plan"]')[1] as HTMLButtonElement).click();
    await waitUntil(() => calls("incidents_push_draft").length > 0);
    expect(calls("incidents_push_draft")[0][1]).toEqual({ unitId: "g2", week: "2026-W49" });
    expect(w.findComponent(SessionForm).props("modelValue")).toBe(false);
    w.unmount();
  });

  it("打印简报 saves the unit's week as the brief through Rust's dialog and says where it went", async () => {
    backend({ incidents_brief_save: () => ({ fileName: "淄博市每周研判简报（2026-W49）.pdf", path: "/docs/淄博市每周研判简报（2026-W49）.pdf" }) });
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-row"]').length === 2);
    (byTest("review-brief") as HTMLButtonElement).click();
    await waitUntil(() => document.querySelector(".saved-notification") !== null);
    expect(calls("incidents_brief_save")[0][1]).toEqual({ unitId: "c1", week: "2026-W49" });
    expect(document.querySelector(".saved-notification")?.textContent).toContain("研判简报已保存：淄博市每周研判简报（2026-W49）.pdf");
    expect(document.querySelector(".saved-notification")?.textContent).toContain("/docs/淄博市每周研判简报（2026-W49）.pdf");
    w.unmount();
  });

  it("a city's busy week draws its places 20 at a time", async () => {
    const places = Array.from({ length: 45 }, (_, i) => ({ ...REVIEW.places[i % 2], unitId: `g${i}`, unitName: `第${i + 1}网格` }));
    backend({ incidents_review: () => ({ ...REVIEW, places }) });
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-row"]').length > 0);
    const names = () => [...document.querySelectorAll('[data-test="place-row"] .place-name')].map((e) => e.textContent);
    expect(names()).toHaveLength(20);
    expect(names()[0]).toBe("第1网格");
    (document.querySelector('[data-test="review-places-pager"] .btn-next') as HTMLButtonElement).click();
    await waitUntil(() => names()[0] === "第21网格");
    expect(names()).toHaveLength(20);
    w.unmount();
  });

  it("a week without a case says so and offers the import", async () => {
    backend({ incidents_review: () => EMPTY });
    const w = mountApp(IncidentsView);
    await waitUntil(() => byTest("review-empty") !== null);
    expect(byTest("review-empty")?.textContent).toContain("本周没有新发案件");
    expect(byTest("review-kpi-change")?.textContent).toContain("—");
    expect(document.querySelectorAll('[data-test="place-row"]')).toHaveLength(0);
    w.unmount();
  });

  it("the reason follows the window's language", async () => {
    const w = mountApp(IncidentsView);
    await waitUntil(() => document.querySelectorAll('[data-test="place-reason"]').length === 2);
    setLocale("en");
    await settle(2);
    expect(document.querySelector('[data-test="place-reason"]')?.textContent).toBe("3 cases this week and no talk on it here in 90 days");
    expect(byTest("review-kpi-loss")?.textContent).toContain("¥461,412");
    w.unmount();
  });

  it("a captain is told the review is the coordinator's, and nothing is asked of Rust", async () => {
    resetAccess({ role: "captain", profileId: "p1", label: "王队长", unitIds: ["g1"], scopeUnitIds: ["g1"] });
    const w = mountApp(IncidentsView);
    await settle();
    expect(byTest("incidents-locked")?.textContent).toContain("仅限协调员");
    expect(calls("incidents_review")).toHaveLength(0);
    w.unmount();
  });
});

describe("IncidentsView: the precision gaps", () => {
  it("a point or the quadrant narrows the gaps; 安排宣讲 plans a talk on the topic in the grid", async () => {
    const w = mountApp(IncidentsView);
    await waitUntil(() => byTest("incidents-tab-gaps") !== null);
    byTest("incidents-tab-gaps")!.click();
    await waitUntil(() => document.querySelectorAll('[data-test="gap-row"]').length === 2);
    expect(calls("incidents_gaps")[0][1]).toEqual({ unitId: "c1" });
    expect(document.querySelectorAll('[data-test="gap-never"]')).toHaveLength(1);
    expect(document.querySelectorAll('[data-test="rising-row"]')).toHaveLength(1);
    expect(byTest("gaps-more")?.textContent).toContain("另有 3 条");
    expect(byTest("gaps-months")?.textContent).toContain("2026-10-01 至 2026-12-31");

    const chart = charts.made[charts.made.length - 1];
    chart.click?.({ componentType: "series", data: { gridId: "g2", name: "稷下第二网格" } });
    await settle(2);
    expect([...document.querySelectorAll('[data-test="gap-row"]')].map((e) => e.getAttribute("data-grid-id"))).toEqual(["g2"]);
    expect(byTest("gaps-filter")?.textContent).toContain("稷下第二网格");

    byTest("gaps-quadrant")!.click();
    await settle(2);
    expect([...document.querySelectorAll('[data-test="gap-row"]')].map((e) => e.getAttribute("data-grid-id"))).toEqual(["g1"]);

    (document.querySelector('[data-test="gap-plan"]') as HTMLButtonElement).click();
    await settle();
    expect(w.findComponent(SessionForm).props("preset")).toEqual({
      title: "稷下第一网格「杀猪盘/网络交友」专题反诈宣讲",
      kind: "talk",
      unitId: "g1",
      topicIds: ["topic-romance"],
      start: "2026-12-07T09:30",
      end: "2026-12-07T10:30",
    });
    w.unmount();
  });
});

describe("PushDialog", () => {
  const draft = { unitId: "g2", unitName: "稷下第二网格", week: "2026-W49", text: "【反诈预警】本周稷下第二网格发生杀猪盘诈骗2起……", topicIds: ["topic-romance"], audiences: ["public"] };

  it("loads the draft, copies it, and records the push with its counts", async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    backend({
      incidents_push_draft: () => draft,
      incidents_push_record: () => ({ id: "s-push" }),
    });
    const w = mountApp(PushDialog, { props: { modelValue: true, unitId: "g2", week: "2026-W49" } });
    await waitUntil(() => (document.querySelector('textarea[data-test="push-text"]') as HTMLTextAreaElement | null)?.value === draft.text);
    expect(calls("incidents_push_draft")[0][1]).toEqual({ unitId: "g2", week: "2026-W49" });

    (byTest("push-copy") as HTMLButtonElement).click();
    await settle(2);
    expect(writeText).toHaveBeenCalledWith(draft.text);

    // The dialog is drawn in the body, outside the wrapper.
    const inBody = (selector: string) => new DOMWrapper(document.querySelector(selector) as Element);
    await inBody('textarea[data-test="push-text"]').setValue(`${draft.text}请勿轻信网络交友。 `);
    for (const [id, value] of [["push-groups", "3"], ["push-messages", "2"], ["push-reached", "180"]] as const) {
      const input = inBody(`[data-test="${id}"] input`);
      await input.setValue(value);
      await input.trigger("change");
    }
    (byTest("push-record") as HTMLButtonElement).click();
    await waitUntil(() => calls("incidents_push_record").length > 0);
    const input = (calls("incidents_push_record")[0][1] as { input: PushInput }).input;
    expect(input).toEqual({
      unitId: "g2",
      text: `${draft.text}请勿轻信网络交友。`,
      topicIds: ["topic-romance"],
      audiences: ["public"],
      groups: 3,
      messages: 2,
      reached: 180,
      sentAt: "2026-12-04T15:00",
    });
    await waitUntil(() => (w.emitted("saved") ?? []).length > 0);
    expect(w.emitted("update:modelValue")?.at(-1)).toEqual([false]);
    w.unmount();
  });

  it("copies by selection when the clipboard refuses, and shows Rust's refusal of the record", async () => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn(async () => Promise.reject(new Error("denied"))) }, configurable: true });
    const execCommand = vi.fn(() => true);
    Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
    backend({
      incidents_push_draft: () => draft,
      incidents_push_record: () => {
        throw { code: "validation.required", message: "", params: { field: "groups" }, issues: [] };
      },
    });
    const w = mountApp(PushDialog, { props: { modelValue: true, unitId: "g2", week: "2026-W49" } });
    await waitUntil(() => (document.querySelector('textarea[data-test="push-text"]') as HTMLTextAreaElement | null)?.value === draft.text);
    (byTest("push-copy") as HTMLButtonElement).click();
    await settle(2);
    expect(execCommand).toHaveBeenCalledWith("copy");

    (byTest("push-record") as HTMLButtonElement).click();
    await waitUntil(() => byTest("push-error") !== null);
    expect(byTest("push-error")?.textContent).toContain("请填写推送群数。");
    expect(w.emitted("saved")).toBeUndefined();
    w.unmount();
  });
});

describe("LabelsPanel", () => {
  it("maps a label onto a topic, and removes one after asking", async () => {
    let labels = [{ label: "刷单返利类", topicId: "topic-order", topicName: "刷单返利" }];
    backend({
      topics_list: () => [
        { id: "topic-order", name: "刷单返利", tips: [], audiences: [], archived: false },
        { id: "topic-police", name: "冒充公检法", tips: [], audiences: [], archived: false },
      ],
      incidents_labels: () => labels,
      incidents_label_save: (args) => {
        const saved = { label: args.label as string, topicId: args.topicId as string, topicName: "冒充公检法" };
        labels = [...labels, saved];
        return saved;
      },
      incidents_label_remove: (args) => {
        labels = labels.filter((l) => l.label !== args.label);
        return null;
      },
    });
    const w = mountApp(LabelsPanel, { props: { active: true, version: 0 } });
    await waitUntil(() => document.querySelectorAll('[data-test="label-row"]').length === 1);
    expect(byTest("labels-hint")?.textContent).toContain("拒绝");

    await w.find('input[data-test="label-input"]').setValue("冒充公检法诈骗");
    w.findComponent({ name: "ElSelect" }).vm.$emit("update:modelValue", "topic-police");
    await settle(2);
    (byTest("label-save") as HTMLButtonElement).click();
    await waitUntil(() => document.querySelectorAll('[data-test="label-row"]').length === 2);
    expect(calls("incidents_label_save")[0][1]).toEqual({ label: "冒充公检法诈骗", topicId: "topic-police" });
    expect((w.find('input[data-test="label-input"]').element as HTMLInputElement).value).toBe("");

    const confirm = vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    (document.querySelectorAll('[data-test="label-remove"]')[0] as HTMLButtonElement).click();
    await waitUntil(() => document.querySelectorAll('[data-test="label-row"]').length === 1);
    expect(confirm).toHaveBeenCalled();
    expect(calls("incidents_label_remove")[0][1]).toEqual({ label: "刷单返利类" });
    confirm.mockRestore();
    w.unmount();
  });
});

describe("FollowupsPanel: re-victimisation", () => {
  const figures: Revictimisation = { warned: 14, warned3m: 4, again3m: 1, pct3m: 25, warned12m: 0, again12m: 0, pct12m: null, againEver: 1 };

  it("shows both windows, with — where no resident has been warned long enough", async () => {
    backend({
      incidents_revictimisation: () => figures,
      followups_due: () => ({ rows: [], total: 0, overdue: 0, workers: [], workersLeftOut: 0 }),
      followups_list: () => ({ rows: [], total: 0 }),
      units_tree: () => [],
    });
    const w = mountApp(FollowupsPanel, { props: { active: true, version: 0 } });
    await waitUntil(() => byTest("followups-again") !== null);
    expect(byTest("followups-again")?.textContent).toContain("预警后再次被骗：");
    expect(byTest("followups-again-text")?.textContent).toBe("3个月内 1 / 4（25.0%），12个月内 0 / 0（—）");
    setLocale("en");
    await settle(2);
    expect(byTest("followups-again-text")?.textContent).toBe("within 3 months 1 / 4 (25.0%), within 12 months 0 / 0 (—)");
    w.unmount();
  });
});
