import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

import { invoke } from "@tauri-apps/api/core";
import ExportMenu from "../components/ExportMenu.vue";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

function item(test: string): HTMLElement | null {
  return document.body.querySelector(`[data-test="${test}"]`);
}

async function open(w: ReturnType<typeof mountApp>) {
  await w.find('[data-test="people-export"]').trigger("click");
  await waitUntil(() => item("export-csv") !== null);
}

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue(null);
  document.body.innerHTML = "";
});

describe("ExportMenu", () => {
  it("exports people with masked phones unless 含完整手机号 is ticked, for that one export", async () => {
    const w = mountApp(ExportMenu, { props: { kind: "people", testId: "people-export" } });
    await open(w);
    expect(item("export-full-phones")?.textContent).toContain("含完整手机号");
    item("export-csv")!.click();
    await settle();
    expect(invokeMock).toHaveBeenLastCalledWith("export_table", { kind: "people", format: "csv", fullPhones: false });

    await open(w);
    item("export-full-phones")!.click();
    await settle();
    item("export-xlsx")!.click();
    await settle();
    expect(invokeMock).toHaveBeenLastCalledWith("export_table", { kind: "people", format: "xlsx", fullPhones: true });

    // The tick does not stay for the next export.
    await open(w);
    item("export-csv")!.click();
    await settle();
    expect(invokeMock).toHaveBeenLastCalledWith("export_table", { kind: "people", format: "csv", fullPhones: false });
  });

  it("offers no such tick for a table without phones", async () => {
    const w = mountApp(ExportMenu, { props: { kind: "units", testId: "people-export" } });
    await open(w);
    expect(item("export-full-phones")).toBeNull();
  });
});
