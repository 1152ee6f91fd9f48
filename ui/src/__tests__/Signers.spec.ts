import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import { ElMessageBox } from "element-plus";
import type { VueWrapper } from "@vue/test-utils";
import type { UnitNode } from "../bindings/UnitNode";
import type { Signer } from "../bindings/Signer";
import SignerDialog from "../components/bundles/SignerDialog.vue";
import SignersPanel from "../components/bundles/SignersPanel.vue";
import UnitMultiSelect from "../components/UnitMultiSelect.vue";
import { resetAccess } from "../stores/access";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

const KEY = "ed25519:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
const FP = "7K3M-Q9XA-2BCD-EF01";

const totals = { grids: 1, households: 10, residents: 30, under18: 5, age18to59: 20, age60plus: 5, students: 4, elderlyAlone: 1, financeStaff: 0 };
function unit(id: string, parentId: string | null, name: string, kind: "city" | "grid") {
  return { id, parentId, name, kind, code: "", profile: kind === "grid" ? { ...totals, notes: "" } : null, archived: false, createdAt: "", updatedAt: "" };
}
const tree: UnitNode[] = [
  { unit: unit("c", null, "江城市", "city"), totals, children: [{ unit: unit("g1", "c", "城关一网格", "grid"), totals, children: [] }] },
];
const SIGNER: Signer = {
  publicKey: KEY,
  fingerprint: FP,
  label: "王队长",
  role: "captain",
  units: ["g1"],
  unitNames: ["城关一网格"],
  createdAt: "2026-03-01T08:00:00Z",
  revokedAt: null,
};

function appError(code: string, params: Record<string, string> = {}) {
  const issue = { code, params, message: `(${code})` };
  return { ...issue, issues: [issue] };
}

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;
function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    const h = overrides[cmd];
    if (h) return h(a);
    switch (cmd) {
      // Rust's parse_public, as far as these tests need it: the prefix and a 44-character key.
      case "signers_fingerprint": {
        const k = String(a.key ?? "").trim();
        if (k.startsWith("ed25519:") && k.length === KEY.length) return FP;
        throw appError("signer.key_invalid");
      }
      case "signers_register":
        return { ...SIGNER, ...(a.input as object), fingerprint: FP, unitNames: [] };
      case "identity_own":
        return { fingerprint: "ABCD-EFGH-JKMN-PQRS", publicKey: "ed25519:own" };
      case "signers_list":
        return [SIGNER];
      case "signers_revoke":
        return { ...SIGNER, revokedAt: "2026-03-02T08:00:00Z" };
      case "units_tree":
        return tree;
      default:
        return [];
    }
  });
}
const calls = (cmd: string) => invokeMock.mock.calls.filter((c) => c[0] === cmd);
const byTest = (id: string) => document.querySelector<HTMLElement>(`[data-test="${id}"]`);
function button(id: string): HTMLButtonElement {
  const el = document.querySelector<HTMLButtonElement>(`button[data-test="${id}"]`);
  expect(el, id).not.toBeNull();
  return el!;
}
async function typeInto(selector: string, value: string) {
  const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
  expect(el, selector).not.toBeNull();
  el!.value = value;
  el!.dispatchEvent(new Event("input"));
  await settle();
}

let w: VueWrapper | null = null;
beforeEach(() => {
  invokeMock.mockReset();
  resetAccess({ role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] });
  resetLookups();
  backend();
});
afterEach(() => {
  vi.restoreAllMocks();
  w?.unmount();
  w = null;
  document.body.innerHTML = "";
});

describe("登记签名身份", () => {
  async function open() {
    w = mountApp(SignerDialog, { props: { modelValue: true, units: tree } });
    await waitUntil(() => byTest("signer-form") !== null);
    await settle();
  }

  it("shows the fingerprint Rust computes from the pasted key before anything is saved", async () => {
    await open();
    expect(byTest("signer-fingerprint")).toBeNull();
    await typeInto('textarea[data-test="signer-key"]', `  ${KEY}\n`);
    await waitUntil(() => byTest("signer-fingerprint") !== null);
    expect(byTest("signer-fingerprint")?.textContent).toContain(FP);
    expect(byTest("signer-fingerprint")?.textContent).toContain("请与对方电话核对这串指纹");
    expect(calls("signers_fingerprint").at(-1)?.[1]).toEqual({ key: `  ${KEY}\n` });
    expect(calls("signers_register")).toHaveLength(0);

    // A key that is not one: Rust's reason, and no fingerprint.
    await typeInto('textarea[data-test="signer-key"]', "ssh-ed25519 AAAA");
    await waitUntil(() => byTest("signer-key-error") !== null);
    expect(byTest("signer-fingerprint")).toBeNull();
    expect(byTest("signer-key-error")?.textContent).toContain("签名公钥无效");
  });

  it("refuses a captain without grids, then registers with the key, label, role and grids", async () => {
    await open();
    button("signer-save").click();
    await waitUntil(() => byTest("signer-error") !== null);
    let text = byTest("signer-error")!.textContent ?? "";
    expect(text).toContain("请粘贴对方的公钥。");
    expect(text).toContain("请填写名称。");
    expect(text).toContain("队长须至少选择一个网格或社区。");

    await typeInto('textarea[data-test="signer-key"]', KEY);
    await typeInto('input[data-test="signer-label"]', " 王队长 ");
    button("signer-save").click();
    await waitUntil(() => byTest("signer-error") !== null);
    text = byTest("signer-error")!.textContent ?? "";
    expect(text).not.toContain("请填写名称。");
    expect(text).toContain("队长须至少选择一个网格或社区。");
    expect(calls("signers_register")).toHaveLength(0);

    w!.findComponent(UnitMultiSelect).vm.$emit("update:modelValue", ["g1"]);
    await settle();
    button("signer-save").click();
    await waitUntil(() => calls("signers_register").length > 0);
    expect(calls("signers_register")[0][1]).toEqual({ input: { key: KEY, label: "王队长", role: "captain", units: ["g1"] } });
    await waitUntil(() => (w!.emitted("saved") ?? []).length > 0);
    expect(w!.emitted("update:modelValue")?.at(-1)).toEqual([false]);
  });

  it("a coordinator's key needs no grids; Rust's refusal is shown in the dialog", async () => {
    backend({ signers_register: () => Promise.reject(appError("signer.duplicate", { fingerprint: FP, label: "李协调员" })) });
    await open();
    await typeInto('textarea[data-test="signer-key"]', KEY);
    await typeInto('input[data-test="signer-label"]', "区反诈中心");
    const coordinator = document.querySelector<HTMLInputElement>('[data-test="signer-role"] input[value="coordinator"]');
    coordinator!.click();
    await settle();
    expect(w!.findComponent(UnitMultiSelect).exists()).toBe(false);
    button("signer-save").click();
    await waitUntil(() => byTest("signer-error") !== null);
    expect(calls("signers_register")[0][1]).toEqual({ input: { key: KEY, label: "区反诈中心", role: "coordinator", units: [] } });
    expect(byTest("signer-error")?.textContent).toContain(`签名身份 ${FP} 已登记为「李协调员」`);
    expect(w!.emitted("saved")).toBeUndefined();
  });
});

describe("设置 → 签名身份", () => {
  it("shows this database's fingerprint and revokes a signer only after confirming", async () => {
    w = mountApp(SignersPanel);
    await waitUntil(() => byTest("signer-row") !== null);
    expect(byTest("signers-own-fingerprint")?.textContent).toBe("ABCD-EFGH-JKMN-PQRS");
    expect(byTest("signers-table")?.textContent).toContain("城关一网格");
    expect(byTest("signers-table")?.textContent).toContain(FP);

    const confirm = vi.spyOn(ElMessageBox, "confirm").mockRejectedValueOnce("cancel" as never);
    button("signer-revoke").click();
    await settle();
    expect(String(confirm.mock.calls[0][0])).toContain(`撤销「王队长」（${FP}）？此后它签名的交接包不再导入`);
    expect(calls("signers_revoke")).toHaveLength(0);

    confirm.mockResolvedValueOnce("confirm" as never);
    button("signer-revoke").click();
    await waitUntil(() => calls("signers_revoke").length > 0);
    expect(calls("signers_revoke")[0][1]).toEqual({ fingerprint: FP });
  });
});
