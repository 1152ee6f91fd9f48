import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { Record as SessionRecord } from "../bindings/Record";
import type { RecordInput } from "../bindings/RecordInput";
import type { Session } from "../bindings/Session";
import RecordForm from "../components/record/RecordForm.vue";
import { setLocale } from "../i18n";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const session: Session = {
  id: "s-1",
  seriesId: null,
  seriesIndex: null,
  title: "稷下社区反诈板凳会",
  kind: "bench_talk",
  venueId: null,
  venueName: "",
  unitId: "g1",
  unitName: "稷下第1网格",
  start: "2026-03-07T09:00",
  end: "2026-03-07T10:30",
  audiences: ["elderly", "public"],
  topicIds: [],
  people: [{ personId: "p1", role: "lead_speaker", personName: "王建国" }],
  materials: [],
  expectedAudience: 40,
  channel: "",
  messages: null,
  notes: "",
  status: "confirmed",
  cancelReason: "",
  recorded: false,
  revision: 1,
  createdAt: "",
  updatedAt: "",
};

const saved: SessionRecord = {
  id: "s-1",
  sessionTitle: session.title,
  sessionStatus: "held",
  actualStart: "2026-03-07T09:00",
  actualEnd: "2026-03-07T10:30",
  headcount: 40,
  audiences: [
    { audience: "elderly", count: 25 },
    { audience: "public", count: 10 },
  ],
  speakers: [{ personId: "p1", hours: 1.5, personName: "王建国" }],
  materials: [],
  notes: "",
  signinNames: [],
  recordedBy: "张警官",
  reviewedBy: null,
  reviewedAt: null,
  corrections: 0,
  photos: [],
  updatedAt: "",
};

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "records_get":
        return null;
      case "materials_list":
        return [{ id: "m1", name: "宣传彩页", category: "彩页", unitLabel: "份", lowStock: 50, archived: false }];
      case "units_tree":
      case "people_list":
      case "records_corrections":
      case "visits_list":
        return [];
      // Rust accepts the session's own times (records::check_times is tested in Rust)
      case "rules_check_record_times":
        return null;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

function calls(cmd: string) {
  return invokeMock.mock.calls.filter(([c]) => c === cmd);
}

async function open(s: Session = session) {
  const w = mountApp(RecordForm, { props: { session: s } });
  await settle();
  return w;
}

async function type(w: ReturnType<typeof mountApp>, testId: string, value: string) {
  const input = w.find(`[data-test="${testId}"] input`);
  expect(input.exists(), testId).toBe(true);
  await input.setValue(value);
  await input.trigger("change");
  await settle(2);
}

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  backend();
  document.body.innerHTML = "";
  setLocale("zh-CN");
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("RecordForm", () => {
  it("shows 已分配 X / 总数 Y, in red once the split is over the headcount", async () => {
    const w = await open();
    // one input per audience of the session
    expect(w.find('[data-test="record-split-elderly"]').exists()).toBe(true);
    expect(w.find('[data-test="record-split-public"]').exists()).toBe(true);
    expect(w.find('[data-test="record-split-students"]').exists()).toBe(false);

    await type(w, "record-headcount", "10");
    await type(w, "record-split-elderly", "6");
    await type(w, "record-split-public", "3");
    const hint = () => w.find('[data-test="record-split-hint"]');
    expect(hint().text()).toBe("已分配 9 / 总数 10");
    expect(hint().classes()).not.toContain("over");
    expect(w.find('[data-test="record-split-over"]').exists()).toBe(false);

    await type(w, "record-split-public", "7");
    expect(hint().text()).toBe("已分配 13 / 总数 10");
    expect(hint().classes()).toContain("over");
    expect(w.find('[data-test="record-split-over"]').text()).toContain("各人群人数之和超过了到场人数");
    w.unmount();
  });

  it("saves the record with the right payload and shows the stock warnings", async () => {
    backend({
      records_save: () => ({
        record: saved,
        warnings: [{ code: "materials.low", params: { unit: "稷下社区", material: "宣传彩页", balance: "12" }, message: "" }],
      }),
    });
    const w = await open();
    await type(w, "record-headcount", "40");
    await type(w, "record-split-elderly", "25");
    await type(w, "record-split-public", "10");
    await w.find('textarea[data-test="record-notes"]').setValue("  现场发放彩页  ");
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => calls("records_save").length > 0);

    expect(calls("records_save")).toHaveLength(1);
    const input = (calls("records_save")[0][1] as { input: RecordInput }).input;
    expect(input).toEqual({
      sessionId: "s-1",
      actualStart: "2026-03-07T09:00",
      actualEnd: "2026-03-07T10:30",
      headcount: 40,
      audiences: [
        { audience: "elderly", count: 25 },
        { audience: "public", count: 10 },
      ],
      // the session's assigned people are present by default; hours empty = the session's length
      speakers: [{ personId: "p1", hours: null, personName: "" }],
      materials: [],
      notes: "现场发放彩页",
      signinNames: [],
      reason: "",
    });
    await waitUntil(() => w.find('[data-test="record-warnings"]').exists());
    expect(w.find('[data-test="record-warnings"]').text()).toContain("稷下社区的「宣传彩页」库存仅剩 12，低于预警值。");
    expect(w.emitted("saved")).toHaveLength(1);
    // saved: the record exists now, so photos can be added and the review is offered
    expect(w.find('[data-test="record-add-photo"]').exists()).toBe(true);
    expect(w.find('[data-test="record-review"]').exists()).toBe(true);
    w.unmount();
  });

  it("asks for the headcount before calling Rust", async () => {
    const w = await open();
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => w.find('[data-test="record-form"]').text().includes("请填写到场人数。"));
    expect(w.find('[data-test="record-form"]').text()).toContain("请填写到场人数。");
    expect(calls("records_save")).toHaveLength(0);
    w.unmount();
  });

  it("shows Rust's refusals translated, in Chinese and in English", async () => {
    backend({
      records_save: () => {
        throw {
          code: "records.split_over_total",
          message: "各人群人数之和 12 超过到场总人数 10",
          params: { sum: "12", total: "10" },
          issues: [
            { code: "records.split_over_total", params: { sum: "12", total: "10" }, message: "" },
            { code: "validation.negative", params: { field: "elderly", value: "-2" }, message: "" },
          ],
        };
      },
    });
    const w = await open();
    await type(w, "record-headcount", "10");
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => w.find('[data-test="record-error"]').exists());
    const err = () => w.find('[data-test="record-error"]').text();
    expect(err()).toContain("各人群人数之和（12）超过到场总人数（10）。");
    expect(err()).toContain("老年人不能为负数（-2）。");
    expect(w.emitted("saved")).toBeUndefined();

    setLocale("en");
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => err().includes("The audience groups add up to 12"));
    expect(err()).toContain("The audience groups add up to 12, more than the headcount of 10.");
    expect(err()).toContain("Elderly cannot be negative (-2).");
    w.unmount();
  });

  it("reviews a held record after the confirm", async () => {
    backend({
      records_get: () => saved,
      records_review: () => ({ ...saved, sessionStatus: "reported", reviewedBy: "李所长", reviewedAt: "2026-03-08T10:00:00Z" }),
    });
    const confirm = vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    const w = await open({ ...session, status: "held" });
    expect((w.find('[data-test="record-headcount"] input').element as HTMLInputElement).value).toBe("40");
    await w.find('[data-test="record-review"]').trigger("click");
    await waitUntil(() => calls("records_review").length > 0);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("上报后记录锁定，之后的修改将作为更正留痕"), expect.anything(), expect.anything());
    expect(calls("records_review")[0][1]).toEqual({ id: "s-1" });
    await settle();
    expect(w.find('[data-test="record-locked"]').exists()).toBe(true);
    expect(w.find('[data-test="record-save"]').exists()).toBe(false);
    expect(w.find('[data-test="record-correct"]').exists()).toBe(true);
    w.unmount();
  });

  it("corrects a reported record only with a reason, and shows the corrections log", async () => {
    const reported: SessionRecord = { ...saved, sessionStatus: "reported", corrections: 1, materials: [{ materialId: "m1", quantity: 30, materialName: "宣传彩页" }] };
    backend({
      records_get: () => reported,
      records_corrections: () => [
        { id: "c1", reason: "按签到表更正", before: "38人", after: "40人", operator: "张警官", createdAt: "2026-03-08T02:00:00Z" },
      ],
      records_save: (args) => ({ record: { ...reported, headcount: (args.input as RecordInput).headcount, corrections: 2 }, warnings: [] }),
    });
    const w = await open({ ...session, status: "reported" });
    expect(w.find('[data-test="record-corrections"]').text()).toContain("按签到表更正");
    expect(w.find('[data-test="record-save"]').exists()).toBe(false);

    await w.find('[data-test="record-correct"]').trigger("click");
    await settle(2);
    expect(w.find('textarea[data-test="record-reason"]').exists()).toBe(true);
    await type(w, "record-headcount", "42");
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => w.find('[data-test="record-form"]').text().includes("请填写更正原因。"));
    expect(w.find('[data-test="record-form"]').text()).toContain("请填写更正原因。");
    expect(calls("records_save")).toHaveLength(0);

    await w.find('textarea[data-test="record-reason"]').setValue("到场人数漏记 2 人");
    await w.find('[data-test="record-save"]').trigger("click");
    await waitUntil(() => calls("records_save").length > 0);
    const input = (calls("records_save")[0][1] as { input: RecordInput }).input;
    expect(input).toMatchObject({
      headcount: 42,
      reason: "到场人数漏记 2 人",
      materials: [{ materialId: "m1", quantity: 30, materialName: "" }],
      speakers: [{ personId: "p1", hours: 1.5, personName: "" }],
    });
    await settle();
    expect(w.find('[data-test="record-locked"]').exists()).toBe(true);
    w.unmount();
  });

  it("lists the visit logs of a door-to-door session", async () => {
    backend({
      visits_list: () => [
        {
          id: "v1", sessionId: "s-2", gridId: "g1", gridName: "稷下第1网格", building: "3号楼", visitedOn: "2026-03-07",
          visited: 20, notHome: 5, refused: 1, warnings: 18, visitorIds: ["p1"], visitorNames: ["王建国"], notes: "",
        },
      ],
    });
    const w = await open({ ...session, id: "s-2", kind: "door_to_door" });
    await waitUntil(() => w.findAll('[data-test="visit-row"]').length > 0);
    expect(calls("visits_list")[0][1]).toEqual({ filter: { sessionId: "s-2", gridId: null } });
    expect(w.find('[data-test="visit-row"]').text()).toBe("稷下第1网格");
    expect(w.find('[data-test="visits-total"]').text()).toContain("已走访 20 户");
    w.unmount();
  });
});
