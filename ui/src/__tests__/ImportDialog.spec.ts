import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ImportPreview } from "../bindings/ImportPreview";
import ImportDialog from "../components/ImportDialog.vue";
import { mountApp, settle } from "./helpers";

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

const withProblems: ImportPreview = {
  token: "tok-1",
  fileName: "人员.xlsx",
  kind: "people",
  totalRows: 5,
  validRows: 3,
  toAdd: 2,
  toUpdate: 1,
  unchanged: 0,
  problems: [
    { row: 3, issues: [{ code: "validation.phone", params: { value: "12345" }, message: "bad phone" }] },
    {
      row: 6,
      issues: [
        { code: "validation.required", params: { field: "name" }, message: "name required" },
        { code: "import.unknown_unit", params: { value: "第9网格" }, message: "unknown unit" },
      ],
    },
  ],
};

let progressHandler: ((e: { payload: unknown }) => void) | null = null;

beforeEach(() => {
  invokeMock.mockReset();
  listenMock.mockReset();
  progressHandler = null;
  listenMock.mockImplementation(async (_name, handler) => {
    progressHandler = handler as never;
    return () => {};
  });
  document.body.innerHTML = "";
});

describe("ImportDialog", () => {
  it("lists refused rows with row numbers and translated reasons, and disables 全部导入", async () => {
    invokeMock.mockImplementation(async (cmd) => {
      if (cmd === "import_pick") return withProblems;
      if (cmd === "import_commit") return { added: 2, updated: 1, unchanged: 0, skipped: 2 };
      throw new Error(`unexpected ${cmd}`);
    });
    const w = mountApp(ImportDialog, { props: { modelValue: true, kind: "people" } });
    await settle();
    expect(listenMock).toHaveBeenCalledWith("import-progress", expect.any(Function));

    await w.find('[data-test="import-pick"]').trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("import_pick", { kind: "people" });

    const rows = w.findAll('[data-test="import-problem-row"]').map((r) => r.text());
    expect(rows).toEqual(["3", "6"]);
    const problems = w.find('[data-test="import-problems"]').text();
    expect(problems).toContain("「12345」不是有效的手机号或座机号。");
    expect(problems).toContain("请填写名称。");
    expect(problems).toContain("找不到单位「第9网格」。");

    const summary = w.find('[data-test="import-summary"]').text();
    expect(summary).toContain("5");
    expect(summary).toContain("3");

    expect(w.find('[data-test="import-commit"]').attributes("disabled")).toBeDefined();
    expect(w.find('[data-test="import-commit-valid"]').attributes("disabled")).toBeUndefined();

    await w.find('[data-test="import-commit-valid"]').trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("import_commit", { token: "tok-1", skipInvalid: true });
    expect(w.find('[data-test="import-outcome"]').text()).toBe("新增 2 条，更新 1 条，无变化 0 条，跳过 2 条。");
    expect(w.emitted("imported")).toEqual([[{ added: 2, updated: 1, unchanged: 0, skipped: 2 }]]);
  });

  it("enables 全部导入 and disables 仅导入有效行 when every row is valid", async () => {
    invokeMock.mockImplementation(async (cmd) => {
      if (cmd === "import_pick") return { ...withProblems, validRows: 5, problems: [] };
      if (cmd === "import_commit") return { added: 4, updated: 1, unchanged: 0, skipped: 0 };
      throw new Error(`unexpected ${cmd}`);
    });
    const w = mountApp(ImportDialog, { props: { modelValue: true, kind: "people" } });
    await settle();
    await w.find('[data-test="import-pick"]').trigger("click");
    await settle();
    expect(w.find('[data-test="import-problems"]').exists()).toBe(false);
    expect(w.find('[data-test="import-commit"]').attributes("disabled")).toBeUndefined();
    expect(w.find('[data-test="import-commit-valid"]').attributes("disabled")).toBeDefined();
    await w.find('[data-test="import-commit"]').trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("import_commit", { token: "tok-1", skipInvalid: false });
  });

  it("shows progress while the file is read", async () => {
    let resolvePick: (v: ImportPreview | null) => void = () => {};
    invokeMock.mockImplementation((cmd) => {
      if (cmd === "import_pick") return new Promise((r) => (resolvePick = r));
      return Promise.reject(new Error(`unexpected ${cmd}`));
    });
    const w = mountApp(ImportDialog, { props: { modelValue: true, kind: "units" } });
    await settle();
    await w.find('[data-test="import-pick"]').trigger("click");
    await settle();
    progressHandler?.({ payload: { done: 50, total: 200 } });
    await settle();
    expect(w.find('[data-test="import-progress"]').text()).toContain("50 / 200");
    expect(w.find(".el-progress").exists()).toBe(true);
    resolvePick(null); // dialog cancelled: back to step 1
    await settle();
    expect(w.find('[data-test="import-pick"]').exists()).toBe(true);
    expect(w.find('[data-test="import-progress"]').exists()).toBe(false);
  });

  it("cancel releases the preview token", async () => {
    invokeMock.mockImplementation(async (cmd) => {
      if (cmd === "import_pick") return withProblems;
      if (cmd === "import_cancel") return null;
      throw new Error(`unexpected ${cmd}`);
    });
    const w = mountApp(ImportDialog, { props: { modelValue: true, kind: "people" } });
    await settle();
    await w.find('[data-test="import-pick"]').trigger("click");
    await settle();
    await w.find('[data-test="import-cancel"]').trigger("click");
    await settle();
    expect(invokeMock).toHaveBeenCalledWith("import_cancel", { token: "tok-1" });
    expect(w.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("shows an import error translated", async () => {
    invokeMock.mockRejectedValue({ code: "import.header", message: "missing", params: { missing: "name" } });
    const w = mountApp(ImportDialog, { props: { modelValue: true, kind: "people" } });
    await settle();
    await w.find('[data-test="import-pick"]').trigger("click");
    await settle();
    expect(w.text()).toContain("表头缺少必需的列：名称。");
  });
});
