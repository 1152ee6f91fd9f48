// 单位与网格 at city scale: the tree is virtualised (el-tree-v2), so 6,000 units draw only the rows
// in sight, and a search is worked out once per keystroke from arrays made once per load.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { VueWrapper } from "@vue/test-utils";
import type { UnitKind } from "../bindings/UnitKind";
import type { UnitNode } from "../bindings/UnitNode";
import UnitsView from "../views/UnitsView.vue";
import { app } from "../stores/app";
import { ensureLookups, lookups, resetLookups } from "../stores/lookups";
import { norm } from "../utils/format";
import { searchIndex, searchUnits } from "../utils/units";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const stats = { households: 10, residents: 30, under18: 5, age18to59: 20, age60plus: 5, students: 4, elderlyAlone: 1, financeStaff: 0 };
let seq = 0;
function node(name: string, kind: UnitKind, parentId: string | null, children: (id: string) => UnitNode[] = () => []): UnitNode {
  const id = `u${++seq}`;
  const code = kind === "grid" ? `WG${String(seq).padStart(5, "0")}` : "";
  const kids = children(id);
  const grids = kind === "grid" ? 1 : kids.reduce((s, k) => s + k.totals.grids, 0);
  return {
    unit: {
      id,
      parentId,
      name,
      kind,
      code,
      profile: kind === "grid" ? { ...stats, notes: "" } : null,
      archived: false,
      createdAt: "",
      updatedAt: "",
    },
    totals: { ...stats, grids },
    children: kids,
  };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A city: 10 districts × 5 stations × 25 communities × 4 grids = 6,311 units, 5,000 of them grids. */
function city(): UnitNode[] {
  seq = 0;
  return [
    node("江城市", "city", null, (c) =>
      range(10).map((d) =>
        node(`江城${d}区`, "district", c, (di) =>
          range(5).map((s) =>
            node(`${d}-${s}派出所`, "station", di, (si) =>
              range(25).map((k) => node(`${d}-${s}-${k}社区`, "community", si, (ki) => range(4).map((g) => node(`${d}-${s}-${k}-${g}网格`, "grid", ki)))),
            ),
          ),
        ),
      ),
    ),
  ];
}
const count = (roots: UnitNode[]): number => roots.reduce((s, n) => s + 1 + count(n.children), 0);

let roots: UnitNode[] = [];
let w: VueWrapper | null = null;

beforeEach(() => {
  roots = city();
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (cmd) => {
    switch (cmd) {
      case "units_tree":
        return roots;
      case "access_current":
        return { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };
      default:
        return null;
    }
  });
  resetLookups();
  app.info = { version: "0.1.0", dataDir: "/tmp/d", dbPath: "/tmp/d/outreach.db", isEmpty: false, settings: { operatorName: "张警官", operatorUnitId: null, locale: "zh-CN" } };
  document.body.innerHTML = "";
});
afterEach(() => {
  w?.unmount();
  w = null;
});

/** The unit names in the DOM, top to bottom (only the rows el-tree-v2 draws). */
const names = () => [...document.querySelectorAll('[data-test="unit-node"]')].map((n) => n.textContent?.trim() ?? "");
const rows = () => document.querySelectorAll('[data-test="unit-tree"] .el-tree-node').length;
const row = (name: string) =>
  [...document.querySelectorAll<HTMLElement>('[data-test="unit-tree"] .el-tree-node')].find(
    (r) => r.querySelector('[data-test="unit-node"]')?.textContent?.trim() === name,
  );

/** Types into the search box and waits out the 200 ms debounce; returns the ms from the debounce's end to the rows drawn. */
async function searchFor(text: string): Promise<number> {
  const input = document.querySelector<HTMLInputElement>('input[data-test="unit-search"]')!;
  input.value = text;
  input.dispatchEvent(new Event("input"));
  await new Promise((r) => setTimeout(r, 190));
  const start = performance.now();
  await new Promise((r) => setTimeout(r, 15));
  await settle(2);
  return performance.now() - start - 15;
}

async function mountCity(options: Parameters<typeof mountApp>[1] = {}) {
  w = mountApp(UnitsView, options);
  await waitUntil(() => names().includes("江城市"), 10_000);
  await settle();
}

describe("单位与网格 at city scale", () => {
  it("mounts 6,311 units and draws only a screenful of rows", async () => {
    expect(count(roots)).toBe(6311);
    const t0 = performance.now();
    await mountCity();
    console.info(`[units] mount with ${count(roots)} units: ${Math.round(performance.now() - t0)} ms (jsdom)`);
    // opened to depth 2 (city, districts): 61 rows in the list, of which only those in 480 px are drawn
    expect(rows()).toBeGreaterThan(5);
    expect(rows()).toBeLessThanOrEqual(25);
    expect(names().slice(0, 3)).toEqual(["江城市", "江城1区", "1-1派出所"]);
    // the selected unit (the first root) is highlighted and shown on the right
    expect(row("江城市")?.classList.contains("is-current")).toBe(true);
    expect(document.querySelector('[data-test="unit-detail"] h3')?.textContent).toBe("江城市");
    // the other views' pickers take the same tree: not asked for again, not held twice
    const asked = invokeMock.mock.calls.filter(([c]) => c === "units_tree").length;
    await ensureLookups(["units"]);
    expect(invokeMock.mock.calls.filter(([c]) => c === "units_tree").length).toBe(asked);
    expect(lookups.units.value).toBe(roots);
  });

  it("a search shows the matches with their ancestors and hides the rest", async () => {
    await mountCity();
    // by name: one grid, found with the way down to it opened
    await searchFor("3-2-7-4网格");
    expect(names()).toEqual(["江城市", "江城3区", "3-2派出所", "3-2-7社区", "3-2-7-4网格"]);

    // by code, case and spaces aside
    const grid = roots[0].children[1].children[0].children[0].children[2];
    await searchFor(`  ${grid.unit.code.toLowerCase()} `);
    expect(names()).toEqual(["江城市", "江城2区", "2-1派出所", "2-1-1社区", grid.unit.name]);

    // a community: shown closed, its grids shown below it when opened (a unit under a match is shown)
    await searchFor("4-5-25社区");
    expect(names()).toEqual(["江城市", "江城4区", "4-5派出所", "4-5-25社区"]);
    row("4-5-25社区")!.querySelector<HTMLElement>(".el-tree-node__expand-icon")!.click();
    await settle(2);
    expect(names()).toEqual(["江城市", "江城4区", "4-5派出所", "4-5-25社区", "4-5-25-1网格", "4-5-25-2网格", "4-5-25-3网格", "4-5-25-4网格"]);

    // nothing found: the empty text
    await searchFor("没有这个单位");
    expect(rows()).toBe(0);
    expect(document.querySelector('[data-test="unit-tree"]')?.textContent).toContain("没有符合条件的单位");
  });

  it("a search matching 1,250 grids answers quickly and still draws a screenful", async () => {
    await mountCity();
    const ms = await searchFor("-1网格");
    console.info(`[units] search matching 1,250 of 6,311 units: ${Math.round(ms)} ms to the rows drawn (jsdom)`);
    expect(rows()).toBeLessThanOrEqual(25);
    expect(names().slice(0, 5)).toEqual(["江城市", "江城1区", "1-1派出所", "1-1-1社区", "1-1-1-1网格"]);
    expect(names()).not.toContain("1-1-1-2网格");
    // the search itself, on the index made once per load
    const ix = searchIndex(roots);
    const t0 = performance.now();
    const found = searchUnits(ix, norm("-1网格"));
    const t1 = performance.now();
    console.info(`[units] searchUnits over ${ix.ids.length} units: ${(t1 - t0).toFixed(1)} ms`);
    expect(found.matches).toBe(1250);
    expect(found.shown.size).toBe(1250);
    // opened: the city, 10 districts, 50 stations and 1,250 communities
    expect(found.open.length).toBe(1 + 10 + 50 + 1250);
  });

  it("selection works under a search, and clearing the search keeps the selected unit in sight", async () => {
    await mountCity();
    await searchFor("7-3-12-2网格");
    row("7-3-12-2网格")!.querySelector<HTMLElement>(".el-tree-node__content")!.click();
    await settle(2);
    expect(document.querySelector('[data-test="unit-detail"] h3')?.textContent).toBe("7-3-12-2网格");
    expect(row("7-3-12-2网格")?.classList.contains("is-current")).toBe(true);
    expect(document.querySelector('[data-test="unit-detail"]')?.textContent).toContain("江城市 › 江城7区 › 7-3派出所 › 7-3-12社区");

    // cleared: the tree as it was (depth 2) plus the way to the selected grid, scrolled to it
    const ms = await searchFor("");
    console.info(`[units] search cleared (6,311 units back in the tree): ${Math.round(ms)} ms to the rows drawn (jsdom)`);
    await settle(2);
    expect(names()).toContain("7-3-12-2网格");
    expect(row("7-3-12-2网格")?.classList.contains("is-current")).toBe(true);
    expect(rows()).toBeLessThanOrEqual(25);
    // a unit far from it is not drawn
    expect(names()).not.toContain("江城市");
  });

  it("drops the move dialog's picker (every unit in a tree store) when the dialog closes", async () => {
    await mountCity({ global: { stubs: { transition: false } } }); // the dialog is dropped after its closing transition
    row("1-1派出所")!.querySelector<HTMLElement>(".el-tree-node__content")!.click();
    await settle(2);
    document.querySelector<HTMLElement>('[data-test="unit-move"]')!.click();
    await waitUntil(() => document.querySelector('[data-test="unit-move-parent"]') !== null);
    expect(document.querySelector('[data-test="unit-move-parent"]')).not.toBeNull();
    document.querySelector<HTMLElement>('[data-test="unit-move-dialog"] .el-dialog__headerbtn')!.click();
    await waitUntil(() => document.querySelector('[data-test="unit-move-parent"]') === null);
    // closed, it is not rebuilt at each click in the tree
    expect(document.querySelector('[data-test="unit-move-parent"]')).toBeNull();
  });

  it("keeps what the user opened across a reload", async () => {
    await mountCity({ global: { stubs: { transition: false } } }); // the dialog is dropped after its closing transition
    row("1-1派出所")!.querySelector<HTMLElement>(".el-tree-node__expand-icon")!.click();
    await settle(2);
    expect(names().slice(0, 4)).toEqual(["江城市", "江城1区", "1-1派出所", "1-1-1社区"]);
    roots = city(); // the same units, fresh objects, as after a save
    app.dataVersion++;
    await settle();
    expect(invokeMock.mock.calls.filter(([c]) => c === "units_tree").length).toBe(2);
    expect(names().slice(0, 4)).toEqual(["江城市", "江城1区", "1-1派出所", "1-1-1社区"]);
  });
});
