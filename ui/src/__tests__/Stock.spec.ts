import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { Material } from "../bindings/Material";
import type { StockLine } from "../bindings/StockLine";
import type { StockMove } from "../bindings/StockMove";
import type { UnitNode } from "../bindings/UnitNode";
import StockPanel from "../components/materials/StockPanel.vue";
import UnitSelect from "../components/UnitSelect.vue";
import { setLocale } from "../i18n";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const line = (unitName: string, materialName: string, balance: number, state: string): StockLine => ({
  unitId: `u-${unitName}`,
  unitName,
  materialId: `m-${materialName}`,
  materialName,
  unitLabel: "份",
  received: 0,
  allocatedIn: 1500,
  allocatedOut: 0,
  handedOut: 1500 - balance,
  balance,
  state,
});
const LINES: StockLine[] = [
  line("世纪花园社区", "宣传彩页", 1151, "ok"),
  line("少海社区", "小礼品", 12, "low"),
  line("华光社区", "横幅", -2, "negative"),
];
const MATERIALS: Material[] = [
  { id: "mat-flyer", name: "宣传彩页", category: "flyer", unitLabel: "份", lowStock: 200, archived: false },
  { id: "mat-gift", name: "小礼品", category: "gift", unitLabel: "份", lowStock: 30, archived: false },
];
const MOVE: StockMove = {
  id: "mv-1",
  materialId: "mat-flyer",
  materialName: "宣传彩页",
  kind: "receipt",
  fromUnitId: null,
  fromUnitName: "",
  toUnitId: "d1",
  toUnitName: "临淄区",
  quantity: 12000,
  movedOn: "2026-10-08",
  source: "2026 年第 3 批印刷",
  notes: "",
};
const tree: UnitNode[] = [
  {
    unit: { id: "d1", parentId: null, name: "临淄区", kind: "district", code: "", profile: null, archived: false, createdAt: "", updatedAt: "" },
    totals: { grids: 0, households: 0, residents: 0, under18: 0, age18to59: 0, age60plus: 0, students: 0, elderlyAlone: 0, financeStaff: 0 },
    children: [],
  },
];

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;
function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "materials_stock":
        return LINES;
      case "materials_moves":
        return [MOVE];
      case "materials_list":
        return MATERIALS;
      case "units_tree":
        return tree;
      case "materials_add_move": {
        const input = (args as { input: Record<string, unknown> }).input;
        return { ...MOVE, id: "mv-2", quantity: input.quantity, source: input.source, toUnitName: "临淄区" };
      }
      case "materials_void_move":
        return null;
      case "materials_save":
        return { ...(args as { input: Material }).input, id: "mat-new", archived: false };
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}
const calls = (cmd: string) => invokeMock.mock.calls.filter(([c]) => c === cmd);
const byTest = (id: string) => document.querySelector<HTMLElement>(`[data-test="${id}"]`);

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

async function mountPanel() {
  const w = mountApp(StockPanel, { props: { active: true, version: 0 } });
  await waitUntil(() => w.findAll('[data-test="stock-row"]').length === 3);
  await settle();
  return w;
}

describe("StockPanel", () => {
  it("colours low rows orange and negative rows red, with their tags and the summary", async () => {
    const w = await mountPanel();
    expect(calls("materials_stock")[0][1]).toEqual({ unitId: null });
    const rowOf = (name: string) => w.findAll('[data-test="stock-row"]').find((r) => r.text() === name)!.element.closest("tr")!;
    expect(rowOf("宣传彩页").className).not.toMatch(/stock-(low|negative)/);
    expect(rowOf("小礼品").className).toContain("stock-low");
    expect(rowOf("横幅").className).toContain("stock-negative");
    expect(rowOf("小礼品").querySelector('[data-test="stock-state"]')?.textContent?.trim()).toBe("低于预警");
    expect(rowOf("横幅").querySelector('[data-test="stock-state"]')?.textContent?.trim()).toBe("库存为负");
    expect(rowOf("宣传彩页").querySelector('[data-test="stock-state"]')).toBeNull();
    expect(rowOf("横幅").querySelector('[data-test="stock-balance"]')?.textContent).toBe("-2");
    expect(w.find('[data-test="stock-count-low"]').text()).toBe("1");
    expect(w.find('[data-test="stock-count-negative"]').text()).toBe("1");
    expect(w.find('[data-test="stock-count-lines"]').text()).toBe("3");
    // the lines needing a decision come first
    expect(w.findAll('[data-test="stock-row"]').map((r) => r.text())).toEqual(["横幅", "小礼品", "宣传彩页"]);

    // only the warnings, the negative one first
    await w.find('[data-test="stock-only-warnings"] input').setValue(true);
    await settle();
    expect(w.findAll('[data-test="stock-row"]').map((r) => r.text())).toEqual(["横幅", "小礼品"]);

    // the unit filter reloads for that unit
    w.findComponent(UnitSelect).vm.$emit("update:modelValue", "d1");
    await waitUntil(() => calls("materials_stock").length === 2);
    expect(calls("materials_stock")[1][1]).toEqual({ unitId: "d1" });
    expect(calls("materials_moves")[1][1]).toEqual({ unitId: "d1" });
    w.unmount();
  });

  it("registers a receipt through the dialog", async () => {
    const w = await mountPanel();
    w.findComponent(UnitSelect).vm.$emit("update:modelValue", "d1");
    await waitUntil(() => calls("materials_stock").length === 2);
    await settle();
    await w.find('[data-test="stock-receive"]').trigger("click");
    await waitUntil(() => !!byTest("move-form"));
    expect(byTest("move-form")?.getAttribute("data-kind")).toBe("receipt");
    const li = [...document.querySelectorAll<HTMLElement>("li.el-select-dropdown__item")].find((x) => x.textContent?.trim() === "宣传彩页");
    li!.click();
    await settle(2);
    await w.find('[data-test="move-quantity"] input').setValue("5000");
    await w.find('input[data-test="move-source"]').setValue("  2026 年第 4 批印刷 ");
    await w.find('[data-test="move-save"]').trigger("click");
    await waitUntil(() => calls("materials_add_move").length > 0);
    const input = (calls("materials_add_move")[0][1] as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({
      materialId: "mat-flyer",
      kind: "receipt",
      fromUnitId: null,
      toUnitId: "d1",
      quantity: 5000,
      source: "2026 年第 4 批印刷",
    });
    expect(input.movedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // the table reloads after the save
    await waitUntil(() => calls("materials_stock").length === 3);
    w.unmount();
  });

  it("asks for the quantity and shows Rust's refusal of an allocation translated", async () => {
    backend({
      materials_add_move: () => {
        throw { code: "materials.same_unit", message: "调出和调入不能是同一单位", params: {} };
      },
    });
    const w = await mountPanel();
    await w.find('[data-test="stock-allocate"]').trigger("click");
    await waitUntil(() => !!byTest("move-form"));
    expect(byTest("move-form")?.getAttribute("data-kind")).toBe("allocation");
    await w.find('[data-test="move-save"]').trigger("click");
    await waitUntil(() => (byTest("move-form")?.textContent ?? "").includes("请填写数量。"));
    expect(byTest("move-form")?.textContent).toContain("请填写数量。");
    expect(byTest("move-form")?.textContent).toContain("请填写调出单位。");
    expect(calls("materials_add_move")).toHaveLength(0);

    const li = [...document.querySelectorAll<HTMLElement>("li.el-select-dropdown__item")].find((x) => x.textContent?.trim() === "小礼品");
    li!.click();
    const selects = w.findAllComponents(UnitSelect);
    // [filter, from, to]
    selects[1].vm.$emit("update:modelValue", "d1");
    selects[2].vm.$emit("update:modelValue", "d2");
    await w.find('[data-test="move-quantity"] input').setValue("100");
    await settle(2);
    await w.find('[data-test="move-save"]').trigger("click");
    await waitUntil(() => !!byTest("move-error"));
    expect(byTest("move-error")?.textContent).toContain("调出和调入不能是同一单位。");
    expect((calls("materials_add_move")[0][1] as { input: Record<string, unknown> }).input).toMatchObject({
      kind: "allocation",
      fromUnitId: "d1",
      toUnitId: "d2",
      quantity: 100,
    });
    w.unmount();
  });

  it("voids a move after the confirm", async () => {
    const confirm = vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    const w = await mountPanel();
    await w.find('[data-test="stock-tab-moves"]').trigger("click");
    await settle();
    expect(w.find('[data-test="moves-table"]').text()).toContain("2026 年第 3 批印刷");
    await w.find('[data-test="move-void"]').trigger("click");
    await waitUntil(() => calls("materials_void_move").length > 0);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(calls("materials_void_move")[0][1]).toEqual({ id: "mv-1" });
    w.unmount();
  });

  it("adds an item with its category and threshold", async () => {
    const w = await mountPanel();
    await w.find('[data-test="stock-tab-items"]').trigger("click");
    await settle();
    expect(w.find('[data-test="materials-table"]').text()).toContain("礼品");
    await w.find('[data-test="material-add"]').trigger("click");
    await waitUntil(() => !!byTest("material-form"));
    await w.find('input[data-test="material-name"]').setValue("防范养老诈骗海报");
    const li = [...document.querySelectorAll<HTMLElement>("li.el-select-dropdown__item")].find((x) => x.textContent?.trim() === "海报");
    li!.click();
    await w.find('input[data-test="material-unit-label"]').setValue("张");
    await w.find('[data-test="material-low-stock"] input').setValue("5");
    await settle(2);
    await w.find('[data-test="material-save"]').trigger("click");
    await waitUntil(() => calls("materials_save").length > 0);
    expect(calls("materials_save")[0][1]).toEqual({
      input: { id: null, name: "防范养老诈骗海报", category: "poster", unitLabel: "张", lowStock: 5 },
    });
    w.unmount();
  });

  it("shows the empty state", async () => {
    backend({ materials_stock: () => [], materials_moves: () => [] });
    const w = mountApp(StockPanel, { props: { active: true, version: 0 } });
    await waitUntil(() => calls("materials_stock").length > 0);
    await settle();
    expect(w.find('[data-test="stock-empty"]').text()).toContain("还没有库存记录");
    expect(w.find('[data-test="stock-count-lines"]').text()).toBe("0");
    w.unmount();
  });
});
