// 设置 → 更换数据密钥: the current passphrase is asked again; an empty one is not sent, a wrong one
// says so and clears the field, the right one closes the dialog.
import { describe, expect, it, vi, beforeEach } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import { i18n } from "../i18n";
import RekeyDialog from "../components/security/RekeyDialog.vue";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

function mountDialog() {
  return mount(RekeyDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus, i18n] }, attachTo: document.body });
}

describe("RekeyDialog", () => {
  beforeEach(() => {
    invoke.mockReset();
    document.body.innerHTML = "";
  });

  it("asks the current passphrase before anything is sent", async () => {
    const w = mountDialog();
    await flushPromises();
    (document.querySelector('[data-test="rekey-submit"]') as HTMLElement).click();
    await flushPromises();
    expect(invoke).not.toHaveBeenCalled();
    expect(document.querySelector('[data-test="rekey-error"]')?.textContent).toContain("请输入当前口令");
    w.unmount();
  });

  it("says a wrong passphrase, and closes on the right one", async () => {
    const issue = { code: "db.passphrase_wrong", message: "口令不正确", params: {} };
    invoke.mockRejectedValueOnce({ ...issue, issues: [issue] });
    invoke.mockResolvedValueOnce(null);
    const w = mountDialog();
    await flushPromises();
    const field = document.querySelector('input[data-test="rekey-current"]') as HTMLInputElement;
    field.value = "不对的口令-2026";
    field.dispatchEvent(new Event("input"));
    (document.querySelector('[data-test="rekey-submit"]') as HTMLElement).click();
    await flushPromises();
    expect(invoke).toHaveBeenCalledWith("db_rekey", { current: "不对的口令-2026" });
    expect(document.querySelector('[data-test="rekey-error"]')?.textContent).toContain("当前口令不正确");
    expect(field.value).toBe("");
    field.value = "协调员口令-2026";
    field.dispatchEvent(new Event("input"));
    (document.querySelector('[data-test="rekey-submit"]') as HTMLElement).click();
    await flushPromises();
    expect(w.emitted("done")).toHaveLength(1);
    expect(w.emitted("update:modelValue")?.at(-1)).toEqual([false]);
    w.unmount();
  });
});
