// The OS keychain on the unlock screen and at start: offered only where a keychain is there,
// used only when ticked, unlocking by itself when it remembers, falling back to the screen
// with Rust's reason when what it remembers no longer works.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

import { invoke } from "@tauri-apps/api/core";
import type { VueWrapper } from "@vue/test-utils";
import UnlockScreen from "../components/security/UnlockScreen.vue";
import { setLocale } from "../i18n";
import { boot, resetSecurity, security } from "../stores/security";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);
const PASS = "反诈宣防-e2e-2026";
const COORDINATOR = { role: "coordinator", profileId: null, label: "协调员", unitIds: [], scopeUnitIds: [] };
const STATUS = { file: "encrypted", unlocked: false, profiles: [], remembered: false, keychain: true };

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;
function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "db_status":
        return STATUS;
      case "db_unlock":
        if ((args as { passphrase: string }).passphrase !== PASS) throw { code: "db.passphrase_wrong", params: {}, message: "", issues: [] };
        return COORDINATOR;
      case "keychain_remember":
      case "keychain_forget":
        return null;
      case "access_current":
        return COORDINATOR;
      case "app_info":
        throw new Error("not in these tests");
      default:
        return [];
    }
  });
}
const calls = (cmd: string) => invokeMock.mock.calls.filter(([c]) => c === cmd);
const byTest = (id: string) => document.querySelector<HTMLElement>(`[data-test="${id}"]`);
async function typePassphrase(value: string) {
  const el = document.querySelector<HTMLInputElement>('input[data-test="unlock-passphrase"]')!;
  el.value = value;
  el.dispatchEvent(new Event("input"));
  await settle();
}
async function submit() {
  byTest("unlock-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
  await settle();
}

let w: VueWrapper | null = null;
beforeEach(() => {
  invokeMock.mockReset();
  backend();
  document.body.innerHTML = "";
  setLocale("zh-CN");
  resetSecurity();
});
afterEach(() => {
  w?.unmount();
  w = null;
});

describe("remember the passphrase in the OS keychain", () => {
  it("is offered only when a keychain is there", async () => {
    w = mountApp(UnlockScreen, { props: { file: "encrypted", keychain: false } });
    await settle();
    expect(byTest("unlock-remember")).toBeNull();
    await w.setProps({ keychain: true });
    await settle();
    expect(byTest("unlock-remember")?.textContent).toContain("在本机系统钥匙串中记住口令");
  });

  it("keeps the passphrase after the unlock only when ticked", async () => {
    w = mountApp(UnlockScreen, { props: { file: "encrypted", keychain: true } });
    await settle();
    await typePassphrase(PASS);
    await submit();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("keychain_remember")).toHaveLength(0);
    w.unmount();

    w = mountApp(UnlockScreen, { props: { file: "encrypted", keychain: true } });
    await settle();
    (byTest("unlock-remember")!.querySelector("input") as HTMLInputElement).click();
    await settle();
    await typePassphrase(PASS);
    await submit();
    await waitUntil(() => w!.emitted("unlocked") !== undefined);
    expect(calls("keychain_remember").map((c) => c[1])).toEqual([{ passphrase: PASS }]);
  });

  it("a wrong passphrase is never remembered", async () => {
    w = mountApp(UnlockScreen, { props: { file: "encrypted", keychain: true } });
    await settle();
    (byTest("unlock-remember")!.querySelector("input") as HTMLInputElement).click();
    await typePassphrase("不对的口令-wrong-1");
    await submit();
    await waitUntil(() => byTest("unlock-error") !== null);
    expect(calls("keychain_remember")).toHaveLength(0);
  });
});

describe("unlocking with the keychain at start", () => {
  it("opens by itself when the keychain remembers the passphrase", async () => {
    backend({ db_status: () => ({ ...STATUS, remembered: true }), db_unlock_remembered: () => COORDINATOR, app_info: () => ({ settings: { locale: "zh-CN" } }) });
    await boot().catch(() => undefined);
    expect(calls("db_unlock_remembered")).toHaveLength(1);
    expect(calls("db_unlock")).toHaveLength(0);
    expect(security.unlocked).toBe(true);
  });

  it("asks the unlock in the turn the status arrives, and the unit tree beside app_info", async () => {
    let unlockAskedBeforeRender: boolean | null = null;
    backend({
      db_status: () => ({ ...STATUS, remembered: true }),
      db_unlock_remembered: () => {
        // nothing has seen the status yet but boot: no frame of the unlock screen in between
        unlockAskedBeforeRender = security.status === null;
        return COORDINATOR;
      },
      app_info: () => ({ settings: { locale: "zh-CN" } }),
      units_tree: () => [],
    });
    await boot();
    expect(unlockAskedBeforeRender).toBe(true);
    const order = invokeMock.mock.calls.map(([c]) => c);
    expect(order.slice(0, 4)).toEqual(["db_status", "db_unlock_remembered", "app_info", "units_tree"]);
    expect(calls("units_tree")[0][1]).toEqual({ includeArchived: false });
  });

  it("falls back to the unlock screen with the reason when what it remembers is stale", async () => {
    backend({
      db_status: () => ({ ...STATUS, remembered: true }),
      db_unlock_remembered: () => {
        throw { code: "keychain.stale", params: {}, message: "", issues: [{ code: "keychain.stale", params: {}, message: "" }] };
      },
    });
    await boot();
    expect(security.unlocked).toBe(false);
    expect(security.status?.remembered).toBe(false);
    w = mountApp(UnlockScreen, { props: { file: "encrypted", keychain: true, keychainError: security.keychainError } });
    await settle();
    expect(byTest("unlock-keychain-error")?.textContent).toContain("钥匙串中保存的口令已失效");
    expect(byTest("unlock-passphrase")).not.toBeNull();
  });
});
