import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { Conflict } from "../bindings/Conflict";
import type { ImportSummary } from "../bindings/ImportSummary";
import BundlePanel from "../components/bundles/BundlePanel.vue";
import ConflictList from "../components/bundles/ConflictList.vue";
import { setLocale } from "../i18n";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const summary: ImportSummary = {
  origin: "队长-王建国的电脑",
  createdAt: "2026-03-08T09:30:00+08:00",
  scope: "all",
  added: 5,
  updated: 2,
  unchanged: 40,
  kept: 1,
  conflicts: 1,
  tables: [
    { table: "people", label: "人员", added: 0, updated: 1, unchanged: 30, kept: 1, conflicts: 0 },
    { table: "records", label: "活动记录", added: 3, updated: 1, unchanged: 10, kept: 0, conflicts: 1 },
    { table: "photos", label: "照片", added: 2, updated: 0, unchanged: 0, kept: 0, conflicts: 0 },
  ],
  signerFingerprint: "7K3M-Q9XA-2BCD-EF01",
  signerLabel: "王建国队长",
};

const conflict: Conflict = {
  id: "cf-1",
  table: "records",
  entity: "活动记录",
  rowId: "s-1",
  label: "2026-03-07T09:00",
  origin: "队长-王建国的电脑",
  createdAt: "2026-03-08T01:30:00Z",
  resolvedAt: null,
  resolution: null,
  fields: [
    { field: "headcount", local: "40", incoming: "42", differs: true },
    { field: "notes", local: "现场发放彩页", incoming: "现场发放彩页", differs: false },
  ],
};
const settled: Conflict = { ...conflict, id: "cf-0", label: "幸福社区", table: "units", entity: "单位", resolvedAt: "2026-03-01T00:00:00Z", resolution: "local" };

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;

function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "bundles_conflicts":
        return [];
      case "bundles_pick":
        return { token: "tok-7", fileName: "交接包-20260308-0930.outreach", encrypted: false, summary };
      case "passphrase_check":
        return strength(String((args as { passphrase?: string } | undefined)?.passphrase ?? ""));
      case "bundles_commit":
        return summary;
      case "bundles_cancel":
        return null;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}

/** Rust's strength rule, as far as these tests need it. */
function strength(p: string) {
  const issues = [];
  if ([...p].length < 10) issues.push({ code: "passphrase.too_short", params: { min: "10", len: String([...p].length) }, message: "" });
  if (/^[a-z]*$/.test(p) || /^[0-9]*$/.test(p)) issues.push({ code: "passphrase.one_class", params: {}, message: "" });
  return issues;
}

/** Types into an input found by data-test (dialogs may sit outside the wrapper). */
async function typeInto(id: string, value: string) {
  const el = document.querySelector<HTMLInputElement>(`input[data-test="${id}"]`);
  expect(el, id).not.toBeNull();
  el!.value = value;
  el!.dispatchEvent(new Event("input"));
  await settle();
}

function calls(cmd: string) {
  return invokeMock.mock.calls.filter(([c]) => c === cmd);
}
function byTest(id: string): HTMLElement | null {
  return document.querySelector(`[data-test="${id}"]`);
}

beforeEach(() => {
  invokeMock.mockReset();
  backend();
  document.body.innerHTML = "";
  setLocale("zh-CN");
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("BundlePanel", () => {
  it("previews the bundle's counts and imports with the token on 确认导入", async () => {
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-import"]').trigger("click");
    await waitUntil(() => byTest("bundle-summary") !== null);
    expect(calls("bundles_pick")).toHaveLength(1);

    const count = (k: string) => byTest(`bundle-count-${k}`)?.textContent?.trim();
    expect(count("added")).toBe("5");
    expect(count("updated")).toBe("2");
    expect(count("unchanged")).toBe("40");
    expect(count("kept")).toBe("1");
    expect(count("conflicts")).toBe("1");
    const tables = byTest("bundle-tables")?.textContent ?? "";
    expect(tables).toContain("人员");
    expect(tables).toContain("活动记录");
    expect(byTest("bundle-preview")?.textContent).toContain("交接包-20260308-0930.outreach");
    expect(byTest("bundle-signer")?.textContent).toBe("王建国队长（7K3M-Q9XA-2BCD-EF01）");
    expect(byTest("bundle-preview")?.textContent).toContain("有 1 条冲突需要处理");
    // nothing written yet
    expect(calls("bundles_commit")).toHaveLength(0);

    byTest("bundle-import-confirm")!.click();
    await waitUntil(() => byTest("bundle-result") !== null);
    expect(calls("bundles_commit")).toHaveLength(1);
    expect(calls("bundles_commit")[0][1]).toEqual({ token: "tok-7" });
    expect(byTest("bundle-result")?.textContent).toContain("新增 5 条，更新 2 条，无变化 40 条，保留本机 1 条，冲突 1 条。");
    // the conflict list reloads after the import
    expect(calls("bundles_conflicts").length).toBe(2);
    expect(calls("bundles_cancel")).toHaveLength(0);
    w.unmount();
  });

  it("cancels the pending import when the preview is dismissed", async () => {
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-import"]').trigger("click");
    await waitUntil(() => byTest("bundle-import-cancel") !== null);
    byTest("bundle-import-cancel")!.click();
    await waitUntil(() => calls("bundles_cancel").length > 0);
    expect(calls("bundles_cancel")[0][1]).toEqual({ token: "tok-7" });
    expect(calls("bundles_commit")).toHaveLength(0);
    w.unmount();
  });

  it("shows a refused bundle translated", async () => {
    backend({
      bundles_pick: () => {
        throw { code: "bundle.tampered", message: "交接包校验失败", params: {} };
      },
    });
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-import"]').trigger("click");
    await waitUntil(() => w.find('[data-test="bundle-import-error"]').exists());
    expect(w.find('[data-test="bundle-import-error"]').text()).toContain("交接包校验失败（文件被修改或损坏），未导入任何数据。");
    expect(byTest("bundle-preview")).toBeNull();
    w.unmount();
  });

  it("exports the reference data with the scope and date chosen", async () => {
    backend({ bundles_export: () => ({ fileName: "基础数据-20260308-0930.outreach", summary: { entities: 120, files: 0, bytes: 20480 } }) });
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-scope"] input[value="reference"]').setValue(true);
    await w.find('[data-test="bundle-export"]').trigger("click");
    await waitUntil(() => w.find('[data-test="bundle-exported"]').exists());
    expect(calls("bundles_export")[0][1]).toEqual({ scope: "reference", since: null, passphrase: null });
    expect(byTest("bundle-passphrase-dialog")).toBeNull();
    expect(w.find('[data-test="bundle-exported"]').text()).toContain("未加密");
    expect(w.find('[data-test="bundle-exported"]').text()).toContain("基础数据-20260308-0930.outreach");
    expect(w.find('[data-test="bundle-exported"]').text()).toContain("120");
    w.unmount();
  });
});

describe("BundlePanel passphrases", () => {
  const PASS = "稷下网格2026年春季交接";

  it("asks for the passphrase twice before exporting everything, with Rust's strength rule", async () => {
    backend({ bundles_export: () => ({ fileName: "交接包-20260308-0930.outreach", summary: { entities: 300, files: 2, bytes: 40960, encrypted: true } }) });
    const w = mountApp(BundlePanel);
    await settle();
    const encrypt = w.find('[data-test="bundle-encrypt"] input');
    expect((encrypt.element as HTMLInputElement).checked, "all data is always encrypted").toBe(true);
    expect((encrypt.element as HTMLInputElement).disabled).toBe(true);
    await w.find('[data-test="bundle-export"]').trigger("click");
    await waitUntil(() => byTest("bundle-passphrase-dialog") !== null && byTest("bundle-passphrase") !== null);
    expect(calls("bundles_export")).toHaveLength(0);
    const submit = () => byTest("bundle-passphrase-submit") as HTMLButtonElement;
    expect(submit().disabled).toBe(true);

    await typeInto("bundle-passphrase", "abc");
    await waitUntil(() => byTest("bundle-passphrase-issues") !== null);
    const issues = byTest("bundle-passphrase-issues")!.textContent ?? "";
    expect(issues).toContain("口令至少需要 10 个字符（现在 3 个）");
    expect(issues).toContain("口令不能只用一类字符");
    expect(submit().disabled).toBe(true);

    await typeInto("bundle-passphrase", PASS);
    await waitUntil(() => byTest("bundle-passphrase-strong") !== null);
    expect(byTest("bundle-passphrase-issues")).toBeNull();
    await typeInto("bundle-passphrase-confirm", PASS + "x");
    expect(byTest("bundle-passphrase-mismatch")?.textContent).toContain("两次输入的口令不一致");
    expect(submit().disabled).toBe(true);
    submit().click();
    await settle();
    expect(calls("bundles_export")).toHaveLength(0);

    await typeInto("bundle-passphrase-confirm", PASS);
    expect(byTest("bundle-passphrase-mismatch")).toBeNull();
    expect(submit().disabled).toBe(false);
    submit().click();
    await waitUntil(() => w.find('[data-test="bundle-exported"]').exists());
    expect(calls("bundles_export")).toHaveLength(1);
    expect(calls("bundles_export")[0][1]).toEqual({ scope: "all", since: null, passphrase: PASS });
    expect(w.find('[data-test="bundle-exported"]').text()).toContain("已用口令加密");
    // The dialog closed and forgot what was typed.
    await w.find('[data-test="bundle-export"]').trigger("click");
    await waitUntil(() => byTest("bundle-passphrase") !== null);
    expect((byTest("bundle-passphrase") as HTMLInputElement).value).toBe("");
    expect((byTest("bundle-passphrase-confirm") as HTMLInputElement).value).toBe("");
    w.unmount();
  });

  it("encrypts reference data only when asked", async () => {
    backend({ bundles_export: () => ({ fileName: "基础数据.outreach", summary: { entities: 10, files: 0, bytes: 900, encrypted: true } }) });
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-scope"] input[value="reference"]').setValue(true);
    await w.find('[data-test="bundle-encrypt"] input').setValue(true);
    await w.find('[data-test="bundle-export"]').trigger("click");
    await waitUntil(() => byTest("bundle-passphrase") !== null);
    await typeInto("bundle-passphrase", PASS);
    await waitUntil(() => byTest("bundle-passphrase-strong") !== null);
    await typeInto("bundle-passphrase-confirm", PASS);
    (byTest("bundle-passphrase-submit") as HTMLButtonElement).click();
    await waitUntil(() => calls("bundles_export").length > 0);
    expect(calls("bundles_export")[0][1]).toEqual({ scope: "reference", since: null, passphrase: PASS });
    w.unmount();
  });

  it("full phones in reference data need the passphrase", async () => {
    backend({ bundles_export: () => ({ fileName: "基础数据.outreach", summary: { entities: 10, files: 0, bytes: 900, encrypted: true } }) });
    const w = mountApp(BundlePanel);
    await settle();
    expect(w.find('[data-test="bundle-full-phones"]').exists(), "only for reference data").toBe(false);
    await w.find('[data-test="bundle-scope"] input[value="reference"]').setValue(true);
    expect(w.find('[data-test="bundle-grids"]').exists()).toBe(true);
    await w.find('[data-test="bundle-full-phones"] input').setValue(true);
    expect((w.find('[data-test="bundle-encrypt"] input').element as HTMLInputElement).checked).toBe(true);
    await w.find('[data-test="bundle-export"]').trigger("click");
    await waitUntil(() => byTest("bundle-passphrase") !== null);
    expect(calls("bundles_export")).toHaveLength(0);
    await typeInto("bundle-passphrase", PASS);
    await waitUntil(() => byTest("bundle-passphrase-strong") !== null);
    await typeInto("bundle-passphrase-confirm", PASS);
    (byTest("bundle-passphrase-submit") as HTMLButtonElement).click();
    await waitUntil(() => calls("bundles_export").length > 0);
    expect(calls("bundles_export")[0][1]).toEqual({ scope: "reference", since: null, passphrase: PASS, fullPhones: true });
    w.unmount();
  });

  it("asks for the passphrase of an encrypted file before the preview, and says when it is wrong", async () => {
    backend({
      bundles_pick: () => ({ token: "tok-9", fileName: "交接包-加密.outreach", encrypted: true, summary: null }),
      bundles_unlock: (a) => {
        if (a.passphrase !== PASS) throw { code: "bundle.passphrase_wrong", message: "", params: {} };
        return { token: "tok-9", fileName: "交接包-加密.outreach", encrypted: true, summary };
      },
    });
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-import"]').trigger("click");
    await waitUntil(() => byTest("bundle-unlock-passphrase") !== null);
    expect(byTest("bundle-preview")?.textContent).toContain("交接包已加密");
    expect(byTest("bundle-summary")).toBeNull();
    expect((byTest("bundle-unlock") as HTMLButtonElement).disabled).toBe(true);

    await typeInto("bundle-unlock-passphrase", "稷下网格2026年秋季交接");
    (byTest("bundle-unlock") as HTMLButtonElement).click();
    await waitUntil(() => byTest("bundle-unlock-error") !== null);
    expect(byTest("bundle-unlock-error")?.textContent).toContain("口令不正确（或文件已损坏），未导入任何数据。");
    expect(byTest("bundle-summary")).toBeNull();

    await typeInto("bundle-unlock-passphrase", PASS);
    (byTest("bundle-unlock") as HTMLButtonElement).click();
    await waitUntil(() => byTest("bundle-summary") !== null);
    expect(calls("bundles_unlock").map((c) => c[1])).toEqual([
      { token: "tok-9", passphrase: "稷下网格2026年秋季交接" },
      { token: "tok-9", passphrase: PASS },
    ]);
    expect(byTest("bundle-count-added")?.textContent?.trim()).toBe("5");
    expect(byTest("bundle-unlock-passphrase")).toBeNull();
    byTest("bundle-import-confirm")!.click();
    await waitUntil(() => byTest("bundle-result") !== null);
    expect(calls("bundles_commit")[0][1]).toEqual({ token: "tok-9" });
    w.unmount();
  });

  it("drops the encrypted file when its passphrase dialog is cancelled", async () => {
    backend({ bundles_pick: () => ({ token: "tok-3", fileName: "x.outreach", encrypted: true, summary: null }) });
    const w = mountApp(BundlePanel);
    await settle();
    await w.find('[data-test="bundle-import"]').trigger("click");
    await waitUntil(() => byTest("bundle-import-cancel") !== null);
    byTest("bundle-import-cancel")!.click();
    await waitUntil(() => calls("bundles_cancel").length > 0);
    expect(calls("bundles_cancel")[0][1]).toEqual({ token: "tok-3" });
    expect(calls("bundles_unlock")).toHaveLength(0);
    w.unmount();
  });
});

describe("ConflictList", () => {
  it("shows both versions side by side with the differences highlighted", async () => {
    backend({ bundles_conflicts: () => [conflict, settled] });
    const w = mountApp(ConflictList);
    await settle();
    expect(calls("bundles_conflicts")[0][1]).toEqual({ includeResolved: true });
    const rows = w.findAll('[data-test="conflict-row"]');
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.text()).toContain("活动记录");
    expect(row.text()).toContain("本机版本");
    expect(row.text()).toContain("交接包版本");
    expect(row.text()).toContain("到场人数");
    const diff = row.findAll("tr.differs-row");
    expect(diff).toHaveLength(1);
    expect(diff[0].text()).toContain("40");
    expect(diff[0].text()).toContain("42");
    expect(w.find('[data-test="conflicts-resolved"]').text()).toContain("已处理的冲突（1）");
    w.unmount();
  });

  it("resolves with bundles_resolve after the confirm, and not when the confirm is dismissed", async () => {
    let resolved = false;
    backend({
      bundles_conflicts: () => (resolved ? [{ ...conflict, resolvedAt: "2026-03-08T02:00:00Z", resolution: "incoming" }] : [conflict]),
      bundles_resolve: () => {
        resolved = true;
        return null;
      },
    });
    const confirm = vi.spyOn(ElMessageBox, "confirm").mockRejectedValueOnce("cancel").mockResolvedValue("confirm" as never);
    const w = mountApp(ConflictList);
    await settle();

    await w.find('[data-test="conflict-take-incoming"]').trigger("click");
    await settle();
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(calls("bundles_resolve")).toHaveLength(0);

    await w.find('[data-test="conflict-take-incoming"]').trigger("click");
    await waitUntil(() => calls("bundles_resolve").length > 0);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("用交接包中的版本覆盖本机的「2026-03-07T09:00」"), expect.anything(), expect.anything());
    expect(calls("bundles_resolve")[0][1]).toEqual({ id: "cf-1", take: "incoming" });
    await waitUntil(() => !w.find('[data-test="conflict-row"]').exists());
    expect(w.find('[data-test="conflicts-empty"]').text()).toContain("没有待处理的冲突");
    w.unmount();
  });

  it("keeps ours with take local, and shows a stale conflict translated", async () => {
    backend({
      bundles_conflicts: () => [conflict],
      bundles_resolve: () => {
        throw { code: "bundle.conflict_stale", message: "", params: {} };
      },
    });
    vi.spyOn(ElMessageBox, "confirm").mockResolvedValue("confirm" as never);
    const w = mountApp(ConflictList);
    await settle();
    await w.find('[data-test="conflict-take-local"]').trigger("click");
    await waitUntil(() => w.find('[data-test="conflict-error"]').exists());
    expect(calls("bundles_resolve")[0][1]).toEqual({ id: "cf-1", take: "local" });
    expect(w.find('[data-test="conflict-error"]').text()).toContain("本机记录在发现冲突后又被修改");
    w.unmount();
  });
});
