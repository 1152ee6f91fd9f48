import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { Gap } from "../bindings/Gap";
import type { Suggestions } from "../bindings/Suggestions";
import PlanGaps from "../components/plan/PlanGaps.vue";
import { setLocale } from "../i18n";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const gaps: Gap[] = [
  { gridId: "g2", gridName: "闻韶第2网格", path: "淄博市 › 临淄区 › 闻韶派出所 › 闻韶社区", residents: 3194, households: 1228, lastHeld: null, daysSince: null },
  { gridId: "g7", gridName: "稷下第4网格", path: "淄博市 › 临淄区 › 稷下派出所 › 稷下社区", residents: 2102, households: 808, lastHeld: "2026-08-17", daysSince: 97 },
];
const suggestions: Suggestions = {
  unitId: "g2",
  audiences: [
    { audience: "elderly", weight: 62, reason: "60岁以上老人占 31%（全部辖区 22%）", sharePct: 31, shareAllPct: 22, people: 0, peopleAll: 0 },
    { audience: "public", weight: 10, reason: "所有居民", sharePct: 100, shareAllPct: 100, people: 0, peopleAll: 0 },
  ],
  topics: [
    { topicId: "topic-elderly-care", name: "养老/保健品", score: 62, reason: "主要针对老年人", audience: "elderly", elderlyAlone: 14 },
  ],
};

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  invokeMock.mockImplementation(async (cmd) => {
    if (cmd === "targeting_gaps") return gaps;
    if (cmd === "targeting_suggest") return suggestions;
    return [];
  });
  document.body.innerHTML = "";
});

describe("PlanGaps", () => {
  it("lists the grids not reached, with 从未开展 for a grid never visited, and plans for a row", async () => {
    const w = mountApp(PlanGaps, { props: { active: true, version: 0 } });
    await waitUntil(() => w.findAll('[data-test="gap-grid"]').length === 2);
    expect(invokeMock).toHaveBeenCalledWith("targeting_gaps", { unitId: null, days: 30 });
    expect(w.findAll('[data-test="gap-grid"]').map((c) => c.text())).toEqual(["闻韶第2网格", "稷下第4网格"]);
    const table = w.find('[data-test="plan-gaps-table"]').text();
    expect(table).toContain("3194");
    expect(table).toContain("从未开展");
    expect(table).toContain("2026-08-17");
    expect(table).toContain("97");
    expect(w.text()).toContain("共 2 个网格");

    await w.findAll('[data-test="gap-schedule"]')[1].trigger("click");
    expect(w.emitted("schedule")?.[0]).toEqual([{ unitId: "g7" }]);
    w.unmount();
  });

  it("shows the suggestions for a grid: audiences with weights, topics in order", async () => {
    const w = mountApp(PlanGaps, { props: { active: true, version: 0 } });
    await waitUntil(() => w.findAll('[data-test="gap-suggest"]').length === 2);
    await w.findAll('[data-test="gap-suggest"]')[0].trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("targeting_suggest", { unitId: "g2" });
    const audiences = w.findAll('[data-test="suggest-audience"]').map((a) => a.text());
    expect(audiences[0]).toContain("老年人");
    expect(audiences[0]).toContain("权重 62");
    expect(audiences[0]).toContain("60岁以上老人占 31%");
    const topic = w.findAll('[data-test="suggest-topic"]').map((x) => x.text())[0];
    expect(topic).toContain("养老/保健品");
    expect(topic).toContain("60岁以上老人占 31%（全部辖区 22%）；独居老人 14 人");

    // The reasons are said from Rust's figures, so English says them in English.
    setLocale("en");
    await settle();
    expect(w.findAll('[data-test="suggest-audience"]').map((a) => a.text())[0]).toContain(
      "Residents aged 60+: 31% of residents (22% across all units)",
    );
    expect(w.findAll('[data-test="suggest-topic"]').map((x) => x.text())[0]).toContain("; 14 elderly living alone");
    // the topic's name is the user's data; nothing else is Chinese
    expect(w.find('[data-test="plan-suggest"]').text().replace("养老/保健品", "")).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    setLocale("zh-CN");

    await w.find('[data-test="suggest-schedule"]').trigger("click");
    expect(w.emitted("schedule")?.[0]).toEqual([{ unitId: "g2", audiences: ["elderly"], topicIds: ["topic-elderly-care"] }]);
    w.unmount();
  });

  it("does not load while its tab is hidden", async () => {
    const w = mountApp(PlanGaps, { props: { active: false, version: 0 } });
    await settle();
    expect(invokeMock).not.toHaveBeenCalledWith("targeting_gaps", expect.anything());
    w.unmount();
  });
});
