import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import UnitForm from "../components/UnitForm.vue";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

async function mountGridForm() {
  const w = mountApp(UnitForm, {
    props: { modelValue: true, parent: { id: "c-1", name: "幸福社区" }, defaultKind: "grid" },
  });
  await settle();
  return w;
}
type W = Awaited<ReturnType<typeof mountGridForm>>;

async function fill(wrapper: W, values: Record<string, string>) {
  for (const [id, v] of Object.entries(values)) {
    await wrapper.find(`input[data-test="${id}"]`).setValue(v);
  }
}

async function save(wrapper: W) {
  await wrapper.find('[data-test="unit-save"]').trigger("click");
  await settle();
}

/**
 * Rust's answers (units::GridProfile::validate, tested there) for the profiles these tests
 * type; every other profile is accepted.
 */
function rustProfile(p: { residents: number; under18: number; age18to59: number; age60plus: number }): null {
  const refuse = (sum: number, residents: number) => {
    const params = { sum: String(sum), residents: String(residents) };
    throw { code: "validation.age_split", message: "", params, issues: [{ code: "validation.age_split", params, message: "" }] };
  };
  if (p.residents === 100 && p.under18 === 50 && p.age18to59 === 50 && p.age60plus === 10) refuse(110, 100);
  if (p.residents === 10 && p.under18 === 11) refuse(11, 10);
  return null;
}

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (cmd, args) => {
    if (cmd === "rules_check_grid_profile") return rustProfile((args as { profile: Parameters<typeof rustProfile>[0] }).profile);
    throw new Error(`unexpected ${cmd}`);
  });
  document.body.innerHTML = "";
});

const saves = () => invokeMock.mock.calls.filter(([c]) => c === "units_save");

describe("UnitForm", () => {
  it("requires a name", async () => {
    const w = await mountGridForm();
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("请填写单位名称。"));
    expect(w.find('[data-test="unit-form"]').text()).toContain("请填写单位名称。");
    expect(saves()).toHaveLength(0);
  });

  it("refuses a name longer than 60 characters", async () => {
    const w = await mountGridForm();
    await fill(w, { "unit-name": "网".repeat(61) });
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("单位名称不能超过 60 个字。"));
    expect(w.find('[data-test="unit-form"]').text()).toContain("单位名称不能超过 60 个字。");
    expect(saves()).toHaveLength(0);
  });

  it("refuses a negative number", async () => {
    const w = await mountGridForm();
    await fill(w, { "unit-name": "第1网格", "unit-residents": "100", "unit-under18": "-5" });
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("请输入不小于 0 的整数"));
    expect(w.find('[data-test="unit-form"]').text()).toContain("请输入不小于 0 的整数");
    expect(saves()).toHaveLength(0);
  });

  it("refuses age bands that add up to more than the residents", async () => {
    const w = await mountGridForm();
    await fill(w, {
      "unit-name": "第1网格",
      "unit-residents": "100",
      "unit-under18": "50",
      "unit-age18to59": "50",
      "unit-age60plus": "10",
    });
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("各年龄段人数之和（110）超过了常住人口（100）。"));
    expect(w.find('[data-test="unit-form"]').text()).toContain("各年龄段人数之和（110）超过了常住人口（100）。");
    expect(saves()).toHaveLength(0);
  });

  it("shows the age-split message in English too", async () => {
    const w = await mountGridForm();
    const { setLocale } = await import("../i18n");
    setLocale("en");
    await fill(w, { "unit-name": "Grid 1", "unit-residents": "10", "unit-under18": "11" });
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("The age bands add up to 11, more than the 10 residents."));
    expect(w.find('[data-test="unit-form"]').text()).toContain("The age bands add up to 11, more than the 10 residents.");
    setLocale("zh-CN");
  });

  it("saves a valid grid with numbers and the parent", async () => {
    invokeMock.mockImplementation(async (cmd, args) => {
      if (cmd === "rules_check_grid_profile") return null;
      if (cmd === "units_save") {
        const input = (args as { input: Record<string, unknown> }).input;
        return { ...input, id: "g-1", archived: false, createdAt: "", updatedAt: "" };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const w = await mountGridForm();
    await fill(w, {
      "unit-name": " 第1网格 ",
      "unit-households": "40",
      "unit-residents": "100",
      "unit-under18": "20",
      "unit-age18to59": "60",
      "unit-age60plus": "20",
      "unit-students": "15",
      "unit-elderly-alone": "3",
      "unit-finance-staff": "2",
    });
    await save(w);
    expect(invokeMock).toHaveBeenCalledWith("units_save", {
      input: {
        id: null,
        parentId: "c-1",
        name: "第1网格",
        kind: "grid",
        code: "",
        profile: {
          households: 40,
          residents: 100,
          under18: 20,
          age18to59: 60,
          age60plus: 20,
          students: 15,
          elderlyAlone: 3,
          financeStaff: 2,
          notes: "",
        },
      },
    });
    expect(w.emitted("saved")).toHaveLength(1);
  });

  it("shows a server error translated", async () => {
    invokeMock.mockRejectedValue({ code: "units.parent_archived", message: "parent archived", params: {} });
    const w = await mountGridForm();
    await fill(w, { "unit-name": "第2网格" });
    await save(w);
    await waitUntil(() => w.find('[data-test="unit-form"]').text().includes("上级单位已归档，请先恢复上级单位。"));
    expect(w.find('[data-test="unit-form"]').text()).toContain("上级单位已归档，请先恢复上级单位。");
    expect(w.emitted("saved")).toBeUndefined();
  });
});
