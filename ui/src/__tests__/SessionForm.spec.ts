import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { Session } from "../bindings/Session";
import type { SessionInput } from "../bindings/SessionInput";
import type { SeriesInput } from "../bindings/SeriesInput";
import SessionForm, { type SessionPreset } from "../components/plan/SessionForm.vue";
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
  audiences: ["elderly"],
  topicIds: [],
  people: [],
  materials: [],
  expectedAudience: null,
  channel: "",
  messages: null,
  notes: "",
  status: "planned",
  cancelReason: "",
  recorded: false,
  revision: 1,
  createdAt: "",
  updatedAt: "",
};

const busy = {
  code: "sessions.person_busy",
  params: { name: "王建国", title: "闻韶社区反诈宣讲", start: "2026-03-07 09:00", end: "10:00" },
  message: "王建国 时间冲突",
};

/**
 * Rust's answers (crates/core sessions::check_times, tested there) for the times these tests
 * use; any other pair is a test mistake.
 */
function rustTimes({ start, end }: { start: string; end: string }): null {
  const refuse = (code: string, params: Record<string, string> = {}) => {
    throw { code, message: code, params, issues: [{ code, params, message: code }] };
  };
  const key = `${start}|${end}`;
  if (key === "2026-03-07T10:00|2026-03-07T09:00") refuse("sessions.end_before_start");
  if (key === "2026-03-07T09:00|2026-03-08T09:30") refuse("sessions.too_long", { hours: "24" });
  const accepted = ["2026-03-07T09:00|2026-03-07T10:30", "2026-03-07T09:00|2026-03-08T09:00", "2026-03-07T14:00|2026-03-07T15:30"];
  if (!accepted.includes(key)) throw new Error(`no Rust answer recorded for ${key}`);
  return null;
}

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "units_tree":
      case "people_list":
      case "topics_list":
      case "venues_list":
      case "templates_list":
      case "sessions_check":
        return [];
      case "rules_check_session_times":
        return rustTimes(args as { start: string; end: string });
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

function calls(cmd: string) {
  return invokeMock.mock.calls.filter(([c]) => c === cmd);
}

const preset = (p: SessionPreset): SessionPreset => ({ unitId: "g1", ...p });

async function open(props: { session?: Session | null; preset?: SessionPreset | null }) {
  const w = mountApp(SessionForm, { props: { modelValue: true, ...props } });
  await settle();
  return w;
}

async function save(w: ReturnType<typeof mountApp>) {
  await w.find('[data-test="session-save"]').trigger("click");
  await settle();
}

function formText(): string {
  return document.querySelector('[data-test="session-form"]')?.textContent ?? "";
}

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  backend();
  document.body.innerHTML = "";
});

describe("SessionForm validation (mirrors Rust's refusals)", () => {
  it("requires a title, in Chinese and in English", async () => {
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    await save(w);
    await waitUntil(() => formText().includes("请填写活动名称。"));
    expect(formText()).toContain("请填写活动名称。");

    setLocale("en");
    await save(w);
    await waitUntil(() => formText().includes("Title is required."));
    expect(formText()).toContain("Title is required.");
    expect(calls("sessions_save")).toHaveLength(0);
    w.unmount();
  });

  it("refuses an end before the start, in both languages", async () => {
    const w = await open({ preset: preset({ start: "2026-03-07T10:00", end: "2026-03-07T09:00" }) });
    await w.find('input[data-test="session-title"]').setValue("稷下社区反诈宣讲");
    await save(w);
    await waitUntil(() => formText().includes("结束时间必须晚于开始时间。"));
    expect(formText()).toContain("结束时间必须晚于开始时间。");

    setLocale("en");
    await save(w);
    await waitUntil(() => formText().includes("The end must be after the start."));
    expect(formText()).toContain("The end must be after the start.");
    expect(calls("sessions_save")).toHaveLength(0);
    w.unmount();
  });

  it("refuses a session longer than 24 hours, in both languages", async () => {
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-08T09:30" }) });
    await w.find('input[data-test="session-title"]').setValue("通宵宣传");
    await save(w);
    await waitUntil(() => formText().includes("一场活动最长 24 小时"));
    expect(formText()).toContain("一场活动最长 24 小时");

    setLocale("en");
    await save(w);
    await waitUntil(() => formText().includes("A session can last at most 24 hours"));
    expect(formText()).toContain("A session can last at most 24 hours");
    expect(calls("sessions_save")).toHaveLength(0);
    w.unmount();
  });

  it("accepts exactly 24 hours and asks for a place when there is none", async () => {
    const w = await open({ preset: { start: "2026-03-07T09:00", end: "2026-03-08T09:00" } });
    await w.find('input[data-test="session-title"]').setValue("全天值守");
    await save(w);
    await waitUntil(() => formText().includes("请选择场所，或选择开展活动的单位/网格。"));
    expect(formText()).toContain("请选择场所，或选择开展活动的单位/网格。");
    expect(formText()).not.toContain("一场活动最长");
    expect(calls("sessions_save")).toHaveLength(0);
    w.unmount();
  });
});

describe("SessionForm saving", () => {
  it("shows Rust's warnings, and saves again with allowWarnings on 仍然保存", async () => {
    backend({
      sessions_save: (args) =>
        args.allowWarnings ? { session: { ...session, id: "s-new" }, warnings: [busy] } : { session: null, warnings: [busy] },
    });
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    await w.find('input[data-test="session-title"]').setValue("稷下社区反诈板凳会");
    await save(w);

    await waitUntil(() => document.querySelector('[data-test="plan-warnings"]') !== null);
    const dialog = document.querySelector('[data-test="plan-warnings"]');
    expect(dialog?.textContent).toContain("王建国 在 2026-03-07 09:00–10:00 已安排了「闻韶社区反诈宣讲」，时间冲突。");
    expect(calls("sessions_save")).toHaveLength(1);
    expect(calls("sessions_save")[0][1]).toMatchObject({ allowWarnings: false });

    (document.querySelector('[data-test="plan-warnings-confirm"]') as HTMLButtonElement).click();
    await settle();
    expect(calls("sessions_save")).toHaveLength(2);
    const second = calls("sessions_save")[1][1] as { input: SessionInput; allowWarnings: boolean };
    expect(second.allowWarnings).toBe(true);
    expect(second.input).toMatchObject({
      id: null,
      title: "稷下社区反诈板凳会",
      unitId: "g1",
      start: "2026-03-07T09:00",
      end: "2026-03-07T10:30",
    });
    expect(w.emitted("saved")).toHaveLength(1);
    w.unmount();
  });

  it("writes nothing more when the planner goes back from the warnings", async () => {
    backend({ sessions_save: () => ({ session: null, warnings: [busy] }) });
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    await w.find('input[data-test="session-title"]').setValue("稷下社区反诈板凳会");
    await save(w);
    await waitUntil(() => document.querySelector('[data-test="plan-warnings-cancel"]') !== null);
    (document.querySelector('[data-test="plan-warnings-cancel"]') as HTMLButtonElement).click();
    await settle();
    expect(calls("sessions_save")).toHaveLength(1);
    expect(w.emitted("saved")).toBeUndefined();
    w.unmount();
  });

  it("shows a refusal from Rust translated, without closing", async () => {
    backend({
      sessions_save: () => {
        throw { code: "sessions.no_place", message: "请选择场所或单位", params: {} };
      },
    });
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    await w.find('input[data-test="session-title"]').setValue("稷下社区反诈板凳会");
    await save(w);
    await waitUntil(() => document.querySelector('[data-test="session-error"]') !== null);
    expect(document.querySelector('[data-test="session-error"]')?.textContent).toContain("请选择场所，或选择开展活动的单位/网格。");
    expect(w.emitted("saved")).toBeUndefined();
    w.unmount();
  });

  it("builds a monthly repeat on the 1st Saturday (每月第1个周六) and calls series_create", async () => {
    backend({ series_create: (args) => ({ seriesId: "ser-1", created: (args.input as SeriesInput).count, warnings: [] }) });
    // 2026-03-07 is the first Saturday of March: the rule starts from it.
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    await w.find('input[data-test="session-title"]').setValue("稷下广场反诈板凳会");
    await w.find('[data-test="session-repeat"] input[value="monthly_weekday"]').setValue(true);
    await settle(2);
    expect(w.find('[data-test="session-repeat-nth"]').exists()).toBe(true);
    await w.find('[data-test="session-repeat-count"] input').setValue("10");
    await w.find('[data-test="session-repeat-count"] input').trigger("change");
    await save(w);

    expect(calls("sessions_save")).toHaveLength(0);
    expect(calls("series_create")).toHaveLength(1);
    const args = calls("series_create")[0][1] as { input: SeriesInput; allowWarnings: boolean };
    expect(args.input.repeat).toEqual({ type: "monthly_weekday", nth: 1, weekday: 6 });
    expect(args.input.count).toBe(10);
    expect(args.input.first).toMatchObject({ title: "稷下广场反诈板凳会", start: "2026-03-07T09:00", end: "2026-03-07T10:30" });
    expect(args.allowWarnings).toBe(false);
    expect(w.emitted("saved")).toHaveLength(1);
    w.unmount();
  });

  it("asks 仅此一次 / 此次及以后 for an occurrence of a series", async () => {
    backend({ series_edit_later: () => ({ seriesId: "ser-1", created: 4, warnings: [] }) });
    const w = await open({ session: { ...session, seriesId: "ser-1", seriesIndex: 2 } });
    expect(w.find('[data-test="session-repeat"]').exists()).toBe(false);
    await save(w);
    await waitUntil(() => document.querySelector('[data-test="session-scope-later"]') !== null);
    (document.querySelector('[data-test="session-scope-later"]') as HTMLButtonElement).click();
    await settle();
    expect(calls("sessions_save")).toHaveLength(0);
    expect(calls("series_edit_later")).toHaveLength(1);
    expect((calls("series_edit_later")[0][1] as { input: SessionInput }).input.id).toBe("s-1");
    w.unmount();
  });

  it("pre-selects the bench-talk template for a square and fills length, audiences, topics, materials", async () => {
    const square = {
      id: "v-sq", name: "稷下社区文化广场", kind: "square", unitId: "g1", unitName: "稷下第1网格", address: "", contactName: "",
      contactPhoneMasked: "", vicePrincipalId: null, vicePrincipalName: "", staffCount: null, letterSignedOn: null, notes: "",
      archived: false, createdAt: "", updatedAt: "",
    };
    const bench = {
      id: "tpl-bench-talk", name: "反诈板凳会", kind: "bench_talk", venueKind: "square", durationMinutes: 90,
      audiences: ["elderly", "public"], topicIds: ["topic-elderly-care"], roles: ["lead_speaker", "grid_worker"],
      materials: [{ item: "宣传彩页", quantity: 150 }],
    };
    backend({
      venues_list: () => [square],
      templates_list: () => [bench],
      topics_list: () => [{ id: "topic-elderly-care", name: "养老/保健品", audiences: ["elderly"], tips: [] }],
      sessions_save: (args) => ({ session: { ...session, ...(args.input as object) }, warnings: [] }),
    });
    const w = await open({ preset: { venueId: "v-sq", start: "2026-03-07T14:00" } });
    await settle();
    await save(w);
    expect(calls("sessions_save")).toHaveLength(1);
    const input = (calls("sessions_save")[0][1] as { input: SessionInput }).input;
    expect(input).toMatchObject({
      title: "反诈板凳会",
      kind: "bench_talk",
      venueId: "v-sq",
      start: "2026-03-07T14:00",
      end: "2026-03-07T15:30",
      audiences: ["elderly", "public"],
      topicIds: ["topic-elderly-care"],
      materials: [{ item: "宣传彩页", quantity: 150 }],
      people: [],
    });
    w.unmount();
  });

  it("shows the warnings of sessions_check while the planner types", async () => {
    backend({ sessions_check: () => [busy] });
    const w = await open({ preset: preset({ start: "2026-03-07T09:00", end: "2026-03-07T10:30" }) });
    expect(w.find('[data-test="session-live-warnings"]').exists()).toBe(false);
    await w.find('input[data-test="session-title"]').setValue("稷下社区反诈板凳会");
    await waitUntil(() => document.querySelector('[data-test="session-live-warnings"]') !== null);
    expect(document.querySelector('[data-test="session-live-warnings"]')?.textContent).toContain("王建国 在 2026-03-07 09:00–10:00");
    const check = calls("sessions_check").at(-1)?.[1] as { input: SessionInput };
    expect(check.input).toMatchObject({ title: "稷下社区反诈板凳会", unitId: "g1" });
    expect(calls("sessions_save")).toHaveLength(0);
    // Beside the save button (in the dialog's footer), not at the end of the long form.
    const footer = document.querySelector(".el-dialog__footer");
    expect(footer?.querySelector('[data-test="session-live-warnings"]')).not.toBeNull();
    expect(footer?.querySelector('[data-test="session-save"]')).not.toBeNull();
    w.unmount();
  });

  it("shows each candidate's topics and whether they are booked at that time, asking Rust with the session's time and topics", async () => {
    const candidates = [
      { personId: "p1", name: "王建国", unitName: "稷下派出所", topics: ["养老/保健品", "冒充公检法"], missingTopics: [], busyWith: null, active: true },
      { personId: "p2", name: "李秀兰", unitName: "稷下第1网格", topics: ["刷单返利"], missingTopics: ["养老/保健品"], busyWith: null, active: true },
      { personId: "p3", name: "赵磊", unitName: "", topics: ["养老/保健品"], missingTopics: [], busyWith: "齐都广场板凳会 09:30–11:00", active: true },
    ];
    backend({ sessions_candidates: () => candidates });
    const w = await open({
      session: { ...session, topicIds: ["topic-elderly-care"], people: [{ personId: "p1", role: "lead_speaker", personName: "王建国" }] },
    });
    // The assigned speaker's name shows before the list is asked for.
    expect(document.querySelector('[data-test="session-person"]')?.textContent).toContain("王建国");
    (document.querySelector('[data-test="session-person"] .el-select__wrapper') as HTMLElement).click();
    await waitUntil(() => document.querySelectorAll('[data-test="speaker-candidate"]').length === 3);
    expect(calls("sessions_candidates")[0][1]).toEqual({
      query: { sessionId: "s-1", start: "2026-03-07T09:00", end: "2026-03-07T10:30", topicIds: ["topic-elderly-care"], search: "", limit: 50 },
    });
    const rows = [...document.querySelectorAll<HTMLElement>('[data-test="speaker-candidate"]')];
    expect(rows.map((r) => r.dataset.personId)).toEqual(["p1", "p2", "p3"]);
    expect(rows[0].textContent).toContain("可讲本场主题");
    expect(rows[0].textContent).toContain("可讲：养老/保健品、冒充公检法");
    expect(rows[1].textContent).toContain("不讲：养老/保健品");
    expect(rows[2].textContent).toContain("已安排：齐都广场板凳会 09:30–11:00");
    w.unmount();
  });
});
