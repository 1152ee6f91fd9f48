// The record list at city scale: a month of two thousand sessions draws a page of them, with a
// pager; another filter starts again at its first page.
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { Session } from "../bindings/Session";
import RecordsPanel from "../components/record/RecordsPanel.vue";
import { setLocale } from "../i18n";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

function session(i: number): Session {
  const day = String((i % 28) + 1).padStart(2, "0");
  return {
    id: `s-${i}`,
    seriesId: null,
    seriesIndex: null,
    title: i % 10 === 0 ? `校园反诈课${i}` : `反诈板凳会${i}`,
    kind: "bench_talk",
    venueId: null,
    venueName: "",
    unitId: "g1",
    unitName: "稷下第1网格",
    start: `2020-03-${day}T09:30`,
    end: `2020-03-${day}T11:00`,
    audiences: ["elderly"],
    topicIds: [],
    people: [],
    materials: [],
    expectedAudience: 40,
    channel: "",
    messages: null,
    notes: "",
    status: "held",
    cancelReason: "",
    recorded: false,
    revision: 1,
    createdAt: "",
    updatedAt: "",
  };
}
const MONTH = Array.from({ length: 2000 }, (_, i) => session(i));
const rowIds = () => [...document.querySelectorAll<HTMLElement>('[data-test="record-row"]')].map((e) => e.dataset.sessionId);

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (cmd) => {
    if (cmd === "sessions_list") return MONTH;
    throw new Error(`unexpected ${cmd}`);
  });
  document.body.innerHTML = "";
  setLocale("zh-CN");
});

describe("RecordsPanel", () => {
  it("draws a month of 2,000 sessions a page of 50 at a time", async () => {
    const w = mountApp(RecordsPanel, { props: { active: true, version: 0 } });
    await waitUntil(() => rowIds().length > 0);
    await settle();
    expect(rowIds()).toHaveLength(50);
    expect(w.text()).toContain("2000");
    const pager = w.find('[data-test="record-pager"]');
    expect(pager.exists()).toBe(true);
    const first = rowIds();
    await pager.find("button.btn-next").trigger("click");
    await settle();
    expect(rowIds()).toHaveLength(50);
    expect(rowIds()).not.toEqual(first);

    // a search starts again at page 1 and pages what it finds (200 of them)
    await w.find('input[data-test="record-search"]').setValue("校园");
    await settle(3);
    expect(rowIds()).toHaveLength(50);
    expect(rowIds().every((id) => Number(id!.slice(2)) % 10 === 0)).toBe(true);
    expect(w.find('[data-test="record-pager"] .number.is-active').text()).toBe("1");
    w.unmount();
  });
});
