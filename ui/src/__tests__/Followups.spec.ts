import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { Case } from "../bindings/Case";
import type { CaseInput } from "../bindings/CaseInput";
import type { DuePage } from "../bindings/DuePage";
import type { DueVisit } from "../bindings/DueVisit";
import type { VisitDone } from "../bindings/VisitDone";
import CaseDrawer from "../components/followups/CaseDrawer.vue";
import CaseForm from "../components/followups/CaseForm.vue";
import DueList from "../components/followups/DueList.vue";
import FollowupsPanel from "../components/followups/FollowupsPanel.vue";
import GridSelect from "../components/GridSelect.vue";
import { setLocale } from "../i18n";
import { resetLookups } from "../stores/lookups";
import { todayIso } from "../utils/record";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const due: DueVisit[] = [
  {
    visitId: "cv-1", caseId: "c-1", seq: 1, dueOn: "2026-03-01", overdue: true, name: "王阿姨", phoneMasked: "138****0001",
    gridName: "稷下第1网格", risk: "high", workerId: "w-li", workerName: "李网格员",
  },
  {
    visitId: "cv-2", caseId: "c-2", seq: 2, dueOn: "2026-03-12", overdue: false, name: "赵大爷", phoneMasked: "139****0002",
    gridName: "稷下第2网格", risk: "medium", workerId: null, workerName: "",
  },
  {
    visitId: "cv-3", caseId: "c-3", seq: 1, dueOn: "2026-03-10", overdue: false, name: "孙女士", phoneMasked: "137****0003",
    gridName: "稷下第1网格", risk: "low", workerId: "w-li", workerName: "李网格员",
  },
  {
    visitId: "cv-4", caseId: "c-4", seq: 3, dueOn: "2026-03-11", overdue: false, name: "钱先生", phoneMasked: "136****0004",
    gridName: "稷下第3网格", risk: "medium", workerId: "w-chen", workerName: "陈网格员",
  },
];

/** The page Rust sends: the rows above, and totals counted over the whole list (more than the page). */
const duePage = (rows: DueVisit[] = due, over: Partial<DuePage> = {}): DuePage => ({
  rows,
  total: 11,
  overdue: 3,
  workers: [
    { workerId: "w-li", workerName: "李网格员", total: 9, overdue: 3 },
    { workerId: "w-chen", workerName: "陈网格员", total: 1, overdue: 0 },
    { workerId: null, workerName: "", total: 1, overdue: 0 },
  ],
  workersLeftOut: 0,
  ...over,
});

const aCase: Case = {
  id: "c-1",
  name: "王阿姨",
  phoneMasked: "138****0001",
  gridId: "g1",
  gridName: "稷下第1网格",
  workerId: "w-li",
  workerName: "李网格员",
  risk: "high",
  warnedOn: "2026-02-20",
  method: "phone",
  outcome: "dissuaded",
  moneyStopped: true,
  notes: "",
  closedOn: null,
  purgeOn: null,
  purged: false,
  visits: [
    { id: "cv-1", caseId: "c-1", seq: 1, dueOn: "2026-02-27", doneOn: "2026-02-27", method: "phone", result: "safe", notes: "", visitorId: "w-li", visitorName: "李网格员" },
    { id: "cv-2", caseId: "c-1", seq: 2, dueOn: "2026-03-20", doneOn: null, method: null, result: null, notes: "", visitorId: null, visitorName: "" },
    { id: "cv-3", caseId: "c-1", seq: 3, dueOn: "2026-05-20", doneOn: null, method: null, result: null, notes: "", visitorId: null, visitorName: "" },
  ],
};

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "followups_due":
        return duePage();
      case "followups_list":
        return { rows: [aCase, { ...aCase, id: "c-9", name: "", phoneMasked: "", purged: true, closedOn: "2026-01-01", purgeOn: "2026-01-31" }], total: 2 };
      case "followups_get":
        return aCase;
      case "units_tree":
      case "people_list":
        return [];
      case "rules_check_phone":
        return (args as { value: string }).value;
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
  backend();
  document.body.innerHTML = "";
  setLocale("zh-CN");
});

describe("DueList", () => {
  it("groups the due follow-ups by grid worker under Rust's totals, overdue ones in red", async () => {
    const w = mountApp(DueList, { props: { version: 0 } });
    await settle();
    expect(calls("followups_due")[0][1]).toEqual({ days: 7, workerId: null, limit: 20, offset: 0 });
    expect(w.find('[data-test="due-summary"]').text()).toBe("共 11 条待回访，其中逾期 3 条");
    const groups = w.findAll('[data-test="due-group"]');
    expect(groups).toHaveLength(3);
    // the worker with an overdue visit first (李 before 陈), "no worker" last
    expect(groups[0].text()).toContain("李网格员");
    expect(groups[0].findAll('[data-test="due-row"]').map((r) => r.text())).toEqual(["王阿姨", "孙女士"]);
    // the worker's counts are Rust's, over the whole list: 9 due and 3 overdue, 2 of them on this page
    expect(groups[0].find('[data-test="due-group-count"]').text()).toBe("9 条");
    expect(groups[0].find('[data-test="due-group-on-page"]').text()).toBe("本页 2 条");
    expect(groups[0].find('[data-test="due-group-overdue"]').text()).toBe("逾期 3");
    expect(groups[1].text()).toContain("陈网格员");
    expect(groups[1].find('[data-test="due-group-count"]').text()).toBe("1 条");
    expect(groups[1].find('[data-test="due-group-on-page"]').exists()).toBe(false);
    expect(groups[2].text()).toContain("未指定网格员");
    expect(groups[2].findAll('[data-test="due-row"]').map((r) => r.text())).toEqual(["赵大爷"]);

    const overdue = w.findAll('[data-test="due-overdue"]');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].text()).toBe("逾期");
    const dates = w.findAll('[data-test="due-date"]');
    expect(dates.filter((d) => d.classes().includes("overdue")).map((d) => d.text())).toEqual(["2026-03-01"]);
    // 11 due fit on one page: no pager
    expect(w.find('[data-test="due-pager"]').exists()).toBe(false);
    w.unmount();
  });

  it("shows a page of 20 with a pager; choosing a worker starts again at page 1", async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...due[i % 4], visitId: `cv-${i}` }));
    backend({
      followups_due: ({ offset, workerId }) =>
        workerId
          ? duePage([due[0]], { total: 9, overdue: 3, workers: [duePage().workers[0]] })
          : duePage(offset === 0 ? many : many.slice(0, 3), { total: 123, overdue: 40, workersLeftOut: 5 }),
    });
    const w = mountApp(DueList, { props: { version: 0 } });
    await settle();
    expect(w.findAll('[data-test="due-row"]')).toHaveLength(20);
    expect(w.find('[data-test="due-summary"]').text()).toContain("123");
    expect(w.find('[data-test="due-workers-left-out"]').text()).toBe("另有 5 名网格员未列出");
    const pager = w.find('[data-test="due-pager"]');
    expect(pager.exists()).toBe(true);
    await pager.find("button.btn-next").trigger("click");
    await waitUntil(() => calls("followups_due").length > 1);
    expect(calls("followups_due")[1][1]).toEqual({ days: 7, workerId: null, limit: 20, offset: 20 });
    await settle();
    expect(w.findAll('[data-test="due-row"]')).toHaveLength(3);

    w.findComponent({ name: "ElSelect" }).vm.$emit("update:modelValue", "w-li");
    await waitUntil(() => calls("followups_due").length > 2);
    await settle();
    expect(calls("followups_due")).toHaveLength(3);
    expect(calls("followups_due")[2][1]).toEqual({ days: 7, workerId: "w-li", limit: 20, offset: 0 });
    expect(w.findAll('[data-test="due-row"]').map((r) => r.text())).toEqual(["王阿姨"]);
    expect(w.find('[data-test="due-pager"]').exists()).toBe(false);
    // the filter's choices stay those of everyone's list (cleared: everyone again, page 1)
    w.findComponent({ name: "ElSelect" }).vm.$emit("update:modelValue", "");
    await waitUntil(() => calls("followups_due").length > 3);
    expect(calls("followups_due")[3][1]).toEqual({ days: 7, workerId: null, limit: 20, offset: 0 });
    w.unmount();
  });

  it("drops an answer that a newer request overtook", async () => {
    let release: (p: DuePage) => void = () => {};
    const slow = new Promise<DuePage>((r) => (release = r));
    backend({ followups_due: () => (calls("followups_due").length === 1 ? slow : duePage([due[3]])) });
    const w = mountApp(DueList, { props: { version: 0 } });
    await settle(2);
    await w.setProps({ version: 1 });
    await waitUntil(() => calls("followups_due").length > 1);
    await settle();
    release(duePage([due[1]]));
    await settle();
    expect(w.findAll('[data-test="due-row"]').map((r) => r.text())).toEqual(["钱先生"]);
    w.unmount();
  });

  it("says so when nothing is due", async () => {
    backend({ followups_due: () => duePage([], { total: 0, overdue: 0, workers: [] }) });
    const w = mountApp(DueList, { props: { version: 0 } });
    await settle();
    expect(w.text()).toContain("近期没有待回访的对象");
    expect(w.find('[data-test="due-summary"]').exists()).toBe(false);
    expect(w.find('[data-test="due-pager"]').exists()).toBe(false);
    w.unmount();
  });
});

describe("FollowupsPanel", () => {
  it("records a follow-up from the due list and reloads", async () => {
    backend({
      followups_record_visit: () => ({ ...aCase, closedOn: "2026-03-05", purgeOn: "2026-04-04" }),
    });
    const w = mountApp(FollowupsPanel, { props: { active: true, version: 0 } });
    await settle();
    expect(calls("followups_list")[0][1]).toEqual({ filter: { unitId: null, workerId: null, state: "open", limit: 20, offset: 0 } });
    // masked phones and the purged notice in the cases table
    expect(w.findAll('span[data-test="case-phone"]').map((s) => s.text())).toContain("138****0001");
    expect(w.find('[data-test="cases-table"]').text()).toContain("个人信息已清除");
    expect(w.findAll('[data-test="case-progress"]')[0].text()).toBe("回访 1/3");

    await w.findAll('[data-test="due-record"]')[0].trigger("click");
    await waitUntil(() => byTest("followup-visit-save") !== null);
    byTest("followup-visit-save")!.click();
    await waitUntil(() => calls("followups_record_visit").length > 0);
    const input = (calls("followups_record_visit")[0][1] as { input: VisitDone }).input;
    expect(input).toEqual({ visitId: "cv-1", doneOn: todayIso(), method: "phone", result: "safe", notes: "", visitorId: "w-li" });
    await waitUntil(() => calls("followups_due").length > 1);
    expect(calls("followups_due").length).toBeGreaterThan(1);
    expect(calls("followups_list").length).toBeGreaterThan(1);
    w.unmount();
  });

  it("shows the cases a page at a time with the total, and another filter starts at page 1", async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...aCase, id: `c-${i}` }));
    backend({ followups_list: ({ filter }) => ({ rows: (filter as { offset: number }).offset === 0 ? many : many.slice(0, 3), total: 123 }) });
    const w = mountApp(FollowupsPanel, { props: { active: true, version: 0 } });
    await settle();
    expect(w.find('[data-test="cases-table"]').findAll("tbody tr").length).toBeGreaterThanOrEqual(20);
    expect(w.text()).toContain("123");
    const pager = w.find('[data-test="cases-pager"]');
    expect(pager.exists()).toBe(true);
    await pager.find("button.btn-next").trigger("click");
    await waitUntil(() => calls("followups_list").length > 1);
    const filter = (n: number) => (calls("followups_list")[n][1] as { filter: { offset: number; state: string | null } }).filter;
    expect(filter(1).offset).toBe(20);
    await w.find('[data-test="case-filter-state"] input[value="all"]').setValue(true);
    await waitUntil(() => calls("followups_list").length > 2);
    expect(filter(calls("followups_list").length - 1)).toMatchObject({ offset: 0, state: null });
    w.unmount();
  });

  it("shows a refusal of the follow-up translated", async () => {
    backend({
      followups_record_visit: () => {
        throw { code: "followups.before_warning", message: "回访日期不能早于预警日期", params: {} };
      },
    });
    const w = mountApp(FollowupsPanel, { props: { active: true, version: 0 } });
    await settle();
    await w.findAll('[data-test="due-record"]')[0].trigger("click");
    await waitUntil(() => byTest("followup-visit-save") !== null);
    byTest("followup-visit-save")!.click();
    await waitUntil(() => byTest("followup-visit-error") !== null);
    expect(byTest("followup-visit-error")?.textContent).toContain("回访日期不能早于预警日期。");
    w.unmount();
  });
});

describe("CaseForm", () => {
  it("requires a phone for a new resident, then saves and shows the generated schedule", async () => {
    backend({
      followups_save: (args) => ({ ...aCase, id: "c-new", name: (args.input as CaseInput).name, visits: aCase.visits.map((v) => ({ ...v, doneOn: null })) }),
    });
    const w = mountApp(CaseForm, { props: { modelValue: true, caseItem: null } });
    await settle();
    await w.find('input[data-test="case-name"]').setValue("王阿姨");
    w.findComponent(GridSelect).vm.$emit("update:modelValue", "g1");
    await settle(2);
    await w.find('[data-test="case-save"]').trigger("click");
    await waitUntil(() => (byTest("case-form")?.textContent ?? "").includes("请填写电话。"));
    expect(byTest("case-form")?.textContent).toContain("请填写电话。");
    expect(calls("followups_save")).toHaveLength(0);

    await w.find('input[data-test="case-phone"]').setValue("13800000001");
    await w.find('[data-test="case-save"]').trigger("click");
    await waitUntil(() => calls("followups_save").length > 0);
    const input = (calls("followups_save")[0][1] as { input: CaseInput }).input;
    expect(input).toEqual({
      id: null,
      name: "王阿姨",
      phone: "13800000001",
      gridId: "g1",
      workerId: null,
      risk: "medium",
      warnedOn: todayIso(),
      method: "phone",
      outcome: "dissuaded",
      moneyStopped: false,
      notes: "",
    });
    await waitUntil(() => byTest("case-schedule") !== null);
    const items = [...document.querySelectorAll('[data-test="case-schedule-item"]')].map((e) => e.textContent ?? "");
    expect(items).toHaveLength(3);
    expect(items[0]).toContain("2026-02-27");
    expect(items[0]).toContain("第 1 次回访");
    expect(items[2]).toContain("2026-05-20");
    expect(w.emitted("saved")).toHaveLength(1);
    w.unmount();
  });
});

describe("CaseDrawer", () => {
  it("shows the phone masked until 显示号码 is clicked (audited in Rust)", async () => {
    backend({ followups_reveal_phone: () => "13800000001" });
    const w = mountApp(CaseDrawer, { props: { modelValue: true, caseId: "c-1" } });
    await waitUntil(() => byTest("case-phone-shown") !== null);
    expect(calls("followups_get")[0][1]).toEqual({ id: "c-1" });
    expect(byTest("case-phone-shown")?.textContent).toBe("138****0001");
    expect(calls("followups_reveal_phone")).toHaveLength(0);

    byTest("case-reveal-phone")!.click();
    await waitUntil(() => byTest("case-phone-shown")?.textContent === "13800000001");
    expect(calls("followups_reveal_phone")[0][1]).toEqual({ id: "c-1" });
    expect(byTest("case-phone-shown")?.textContent).toBe("13800000001");
    // only the next open follow-up can be recorded from here
    expect(document.querySelectorAll('[data-test="case-record-visit"]')).toHaveLength(1);
    w.unmount();
  });

  it("says a purged case has no personal details and cannot be edited", async () => {
    backend({ followups_get: () => ({ ...aCase, name: "", phoneMasked: "", purged: true, closedOn: "2026-03-01", purgeOn: "2026-03-31" }) });
    const w = mountApp(CaseDrawer, { props: { modelValue: true, caseId: "c-1" } });
    await waitUntil(() => byTest("case-drawer-name") !== null);
    expect(byTest("case-drawer-name")?.textContent).toContain("个人信息已清除");
    expect((byTest("case-edit") as HTMLButtonElement).disabled).toBe(true);
    expect(byTest("case-reveal-phone")).toBeNull();
    w.unmount();
  });
});
