// The session drawer offers only the steps Rust's lifecycle allows now: held by hand once the
// session has started and with a reason; a mistaken held back to confirmed while nothing is
// recorded; never reported (that is review's).
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { Session } from "../bindings/Session";
import SessionDrawer from "../components/plan/SessionDrawer.vue";
import { resetLookups } from "../stores/lookups";
import { recordState, todayIso } from "../utils/record";
import { mountApp, settle } from "./helpers";

const invokeMock = vi.mocked(invoke);

const day = (offset: number) => {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return todayIso(d);
};

function session(over: Partial<Session>): Session {
  return {
    id: "s-1",
    seriesId: null,
    seriesIndex: null,
    title: "稷下社区反诈板凳会",
    kind: "bench_talk",
    venueId: null,
    venueName: "",
    unitId: "g1",
    unitName: "稷下第1网格",
    start: `${day(3)}T09:00`,
    end: `${day(3)}T10:30`,
    audiences: ["elderly"],
    topicIds: [],
    people: [],
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
    ...over,
  };
}

function backend(s: Session) {
  invokeMock.mockImplementation(async (cmd, args) => {
    switch (cmd) {
      case "sessions_get":
        return s;
      case "sessions_history":
      case "topics_list":
        return [];
      case "sessions_set_status": {
        const a = args as { status: Session["status"]; reason: string };
        return { ...s, status: a.status };
      }
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

async function open(s: Session) {
  backend(s);
  const w = mountApp(SessionDrawer, { props: { modelValue: true, session: s } });
  await settle();
  return w;
}

const steps = () => [...document.querySelectorAll("[data-test^='session-to-']")].map((e) => e.getAttribute("data-test"));

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  document.body.innerHTML = "";
});

describe("SessionDrawer lifecycle", () => {
  it("does not offer 已开展 before the session has started", async () => {
    await open(session({}));
    expect(steps()).toEqual(["session-to-planned", "session-to-cancelled"]);
  });

  it("marks a started session held only with a reason", async () => {
    const past = session({ start: `${day(-1)}T09:00`, end: `${day(-1)}T10:30` });
    await open(past);
    expect(steps()).toContain("session-to-held");
    const prompt = vi.spyOn(ElMessageBox, "prompt").mockResolvedValue({ value: "现场已开展，记录稍后补登", action: "confirm" } as never);
    (document.querySelector("[data-test='session-to-held']") as HTMLElement).click();
    await settle();
    expect(prompt).toHaveBeenCalledTimes(1);
    const call = invokeMock.mock.calls.find(([c]) => c === "sessions_set_status");
    expect(call?.[1]).toMatchObject({ id: "s-1", status: "held", reason: "现场已开展，记录稍后补登" });
  });

  it("takes back a held session only while nothing is recorded, and never reports it", async () => {
    const held = session({ start: `${day(-1)}T09:00`, end: `${day(-1)}T10:30`, status: "held" });
    await open(held);
    expect(steps()).toEqual(["session-to-confirmed", "session-to-cancelled"]);
    expect(document.querySelector("[data-test='session-to-confirmed']")?.textContent).toContain("撤回已开展");
    document.body.innerHTML = "";
    await open({ ...held, recorded: true });
    expect(steps()).toEqual(["session-to-cancelled"]);
  });

  it("cancels only with a reason; closing the prompt changes nothing", async () => {
    await open(session({}));
    const prompt = vi.spyOn(ElMessageBox, "prompt").mockRejectedValueOnce("cancel");
    (document.querySelector("[data-test='session-to-cancelled']") as HTMLElement).click();
    await settle();
    expect(invokeMock.mock.calls.some(([c]) => c === "sessions_set_status")).toBe(false);
    prompt.mockResolvedValueOnce({ value: "下雨改期", action: "confirm" } as never);
    (document.querySelector("[data-test='session-to-cancelled']") as HTMLElement).click();
    await settle();
    expect(invokeMock.mock.calls.find(([c]) => c === "sessions_set_status")?.[1]).toMatchObject({ status: "cancelled", reason: "下雨改期" });
  });

  it("lists a held session without a record as still to be recorded", () => {
    const held = session({ start: `${day(-1)}T09:00`, status: "held" });
    expect(recordState(held)).toBe("toRecord");
    expect(recordState({ ...held, recorded: true })).toBe("toReview");
  });
});
