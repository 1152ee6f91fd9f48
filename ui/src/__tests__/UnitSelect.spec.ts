// The unit pickers at city scale: a flat list in tree order (el-select-v2, virtualised), a
// search that lists the matches with the units above them, the chosen unit always named.
import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import type { UnitKind } from "../bindings/UnitKind";
import type { UnitNode } from "../bindings/UnitNode";
import UnitSelect from "../components/UnitSelect.vue";
import { searchIndex, unitOptions } from "../utils/units";
import { mountApp, settle } from "./helpers";

const totals = { grids: 1, households: 10, residents: 30, under18: 5, age18to59: 20, age60plus: 5, students: 4, elderlyAlone: 1, financeStaff: 0 };
let seq = 0;
function node(name: string, kind: UnitKind, kids: (id: string) => UnitNode[] = () => [], code = ""): UnitNode {
  const id = `u${++seq}`;
  return {
    unit: { id, parentId: null, name, kind, code, profile: null, archived: false, createdAt: "", updatedAt: "" },
    totals,
    children: kids(id),
  };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** 10 districts × 5 stations × 25 communities × 4 grids: 6,311 units. */
function city(): UnitNode[] {
  seq = 0;
  return [
    node("江城市", "city", () =>
      range(10).map((d) =>
        node(`江城${d}区`, "district", () =>
          range(5).map((s) =>
            node(`${d}-${s}派出所`, "station", () =>
              range(25).map((k) => node(`${d}-${s}-${k}社区`, "community", () => range(4).map((g) => node(`${d}-${s}-${k}-${g}网格`, "grid", () => [], `WG-${d}-${s}-${k}-${g}`)))),
            ),
          ),
        ),
      ),
    ),
  ];
}

describe("unit pickers", () => {
  it("list every unit in tree order, indented by depth", () => {
    const opts = unitOptions(searchIndex(city()), "", () => false);
    expect(opts).toHaveLength(6311);
    expect(opts.slice(0, 5).map((o) => [o.label, o.depth])).toEqual([
      ["江城市", 0],
      ["江城1区", 1],
      ["1-1派出所", 2],
      ["1-1-1社区", 3],
      ["1-1-1-1网格", 4],
    ]);
  });

  it("search: the matches and the units above them, by name or code; the chosen one kept", () => {
    const list = searchIndex(city());
    const hits = unitOptions(list, "3-2-7社区", () => false);
    expect(hits.map((o) => o.label)).toEqual(["江城市", "江城3区", "3-2派出所", "3-2-7社区"]);
    const byCode = unitOptions(list, "wg-1-1-1-1", () => false);
    expect(byCode.map((o) => o.label)).toEqual(["江城市", "江城1区", "1-1派出所", "1-1-1社区", "1-1-1-1网格"]);
    const chosen = unitOptions(list, "3-2-7社区", () => false).at(-1)!.value;
    const kept = unitOptions(list, "江城9区", () => false, new Set([chosen]));
    expect(kept.map((o) => o.label)).toContain("3-2-7社区");
    expect(kept.map((o) => o.label)).toContain("江城9区");
    // a search over the whole city is one pass: well under a frame even in jsdom
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) unitOptions(list, "网格", () => false);
    expect((performance.now() - t0) / 10).toBeLessThan(50);
  });

  it("mounts over a city without building a tree of it, and names the chosen unit", async () => {
    const units = city();
    const grid = unitOptions(searchIndex(units), "7-5-25-4网格", () => false).at(-1)!;
    const w = mountApp(UnitSelect, { props: { modelValue: grid.value, units, disableGrids: false } });
    await settle();
    expect(w.text()).toContain("7-5-25-4网格");
    // no tree store: the list is drawn only when opened, and then only the rows in sight
    expect(w.findAll(".el-tree-node")).toHaveLength(0);
    w.unmount();
  });

  it("disables grids when asked", () => {
    const opts = unitOptions(searchIndex(city()), "1-1-1社区", (n) => n.unit.kind === "grid");
    expect(opts.find((o) => o.label === "1-1-1社区")?.disabled).toBe(false);
    expect(unitOptions(searchIndex(city()), "1-1-1-1网格", (n) => n.unit.kind === "grid").at(-1)?.disabled).toBe(true);
  });
});
