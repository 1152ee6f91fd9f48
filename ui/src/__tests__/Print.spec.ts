import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const progressHandlers: Array<(e: { payload: unknown }) => void> = [];
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (name: string, h: (e: { payload: unknown }) => void) => {
    if (name === "print-progress") progressHandlers.push(h);
    return () => {
      const i = progressHandlers.indexOf(h);
      if (i >= 0) progressHandlers.splice(i, 1);
    };
  }),
}));
// jsdom has no canvas: pdf.js is replaced by a fake document that records what it draws.
const drawn: Array<{ page: number; width: number }> = [];
const opened: Uint8Array[] = [];
vi.mock("../utils/pdf", () => ({
  base64ToBytes: (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
  openPdf: vi.fn(async (data: Uint8Array) => {
    opened.push(data);
    return {
      numPages: 3,
      worker: "main",
      pageSize: async () => ({ width: 595, height: 842 }),
      render: async (page: number, _canvas: HTMLCanvasElement, width: number) => {
        drawn.push({ page, width });
        return true;
      },
      cancel: () => undefined,
      destroy: async () => undefined,
    };
  }),
}));

import { invoke } from "@tauri-apps/api/core";
import type { Session } from "../bindings/Session";
import type { UnitNode } from "../bindings/UnitNode";
import PrintDocsPanel from "../components/print/PrintDocsPanel.vue";
import PrintSettingsDialog from "../components/print/PrintSettingsDialog.vue";
import UnitSelect from "../components/UnitSelect.vue";
import { setLocale } from "../i18n";
import { resetLookups } from "../stores/lookups";
import { mountApp, settle, waitUntil } from "./helpers";

const invokeMock = vi.mocked(invoke);

function session(id: string, title: string, start: string, kind: Session["kind"] = "bench_talk"): Session {
  return {
    id,
    seriesId: null,
    seriesIndex: null,
    title,
    kind,
    venueId: null,
    venueName: "",
    unitId: "g1",
    unitName: "稷下第1网格",
    start,
    end: `${start.slice(0, 11)}11:00`,
    audiences: ["elderly"],
    topicIds: [],
    people: [],
    materials: [],
    expectedAudience: 40,
    channel: "",
    messages: null,
    notes: "",
    status: "planned",
    cancelReason: "",
    recorded: false,
    revision: 1,
    createdAt: "",
    updatedAt: "",
  };
}

const SESSIONS = [
  session("s-past", "齐都文化广场板凳会", "2020-03-07T09:30"),
  session("s-next", "稷下社区反诈板凳会", "2099-12-05T09:30"),
];
const unit = (id: string, name: string, kind: "district" | "grid", children: UnitNode[] = []): UnitNode => ({
  unit: { id, parentId: null, name, kind, code: "", profile: null, archived: false, createdAt: "", updatedAt: "" },
  totals: { grids: 1, households: 0, residents: 0, under18: 0, age18to59: 0, age60plus: 0, students: 0, elderlyAlone: 0, financeStaff: 0 },
  children,
});
const PDF_B64 = btoa("%PDF-1.7 fake");
const rendered = { pdfBase64: PDF_B64, pages: 3, bytes: 38_912, title: "稷下社区反诈板凳会", fileName: "宣传单-稷下社区反诈板凳会.pdf" };

type Backend = Partial<Record<string, (args: Record<string, unknown>) => unknown>>;
function backend(overrides: Backend = {}) {
  invokeMock.mockImplementation(async (cmd, args) => {
    const h = overrides[cmd];
    if (h) return h((args ?? {}) as Record<string, unknown>);
    switch (cmd) {
      case "sessions_list":
        return SESSIONS;
      case "units_tree":
        return [unit("d1", "临淄区", "district", [unit("g1", "稷下第1网格", "grid")])];
      case "people_list":
      case "venues_list":
        return [];
      case "records_get":
        return null;
      case "print_preview":
        return rendered;
      case "print_save":
        return { fileName: rendered.fileName, pages: 3 };
      case "print_cancel":
        return null;
      case "print_settings":
        return { qrText: "https://www.mps.gov.cn/", qrCaption: "扫码下载国家反诈中心App", hasLogo: false };
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
}
const calls = (cmd: string) => invokeMock.mock.calls.filter(([c]) => c === cmd);
const byTest = (id: string) => document.querySelector<HTMLElement>(`[data-test="${id}"]`);

async function mountPanel() {
  const w = mountApp(PrintDocsPanel, { props: { active: true, version: 0 } });
  await waitUntil(() => calls("sessions_list").length > 0);
  await settle();
  return w;
}
/** Picks a session in the session select (its options are rendered in the popper). */
async function pickSession(id: string) {
  const li = document.querySelector<HTMLElement>(`li[data-test="print-session-option"][data-session-id="${id}"]`);
  expect(li, `option ${id}`).not.toBeNull();
  li!.click();
  await settle(3);
}

beforeEach(() => {
  invokeMock.mockReset();
  resetLookups();
  backend();
  drawn.length = 0;
  opened.length = 0;
  progressHandlers.length = 0;
  document.body.innerHTML = "";
  setLocale("zh-CN");
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("PrintDocsPanel", () => {
  it("lists upcoming sessions first and previews the chosen flyer page by page", async () => {
    const w = await mountPanel();
    expect(byTest("print-empty")?.textContent).toContain("还没有预览");
    const options = [...document.querySelectorAll<HTMLElement>('li[data-test="print-session-option"]')].map((li) => li.dataset.sessionId);
    expect(options).toEqual(["s-next", "s-past"]);

    await pickSession("s-next");
    await w.find('[data-test="print-paper"] input[value="a5"]').setValue(true);
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => drawn.length === 3);

    expect(calls("print_preview")).toHaveLength(1);
    expect(calls("print_preview")[0][1]).toEqual({ request: { kind: "flyer", sessionId: "s-next", paper: "a5", photoId: null } });
    // the base64 is decoded to the PDF's bytes for pdf.js
    expect(new TextDecoder().decode(opened[0])).toBe("%PDF-1.7 fake");
    expect(w.findAll('canvas[data-test="print-page"]')).toHaveLength(3);
    expect(w.findAll('canvas[data-test="print-page"][data-rendered="true"]')).toHaveLength(3);
    expect(drawn.map((d) => d.page)).toEqual([1, 2, 3]);
    expect(w.find('[data-test="print-pages-count"]').text()).toBe("第 1 页 / 共 3 页");
    expect(w.find('[data-test="print-file-size"]').text()).toBe("38.0 KB");
    expect(byTest("print-empty")).toBeNull();
    w.unmount();
  });

  it("asks Rust for a page of sessions and searches there, the chosen one kept", async () => {
    const past = session("s-past", "齐都文化广场板凳会", "2020-03-07T09:30");
    const next = session("s-next", "稷下社区反诈板凳会", "2099-12-05T09:30");
    const school = session("s-school", "稷下小学反诈课", "2099-12-06T14:00");
    backend({
      sessions_list: ({ filter }) => {
        const f = filter as { from?: string; to?: string; search?: string };
        const all = f.from ? [next, school] : [past];
        return f.search ? all.filter((s) => s.title.includes(f.search!)) : all;
      },
    });
    await mountPanel();
    const first = calls("sessions_list").map(([, a]) => (a as { filter: Record<string, unknown> }).filter);
    expect(first).toHaveLength(2);
    // the next sessions in time order and the latest past ones, a page of each
    expect(first[0]).toMatchObject({ limit: 30, statuses: ["planned", "confirmed", "held", "reported"] });
    expect(first[0].from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(first[1]).toMatchObject({ limit: 30, newestFirst: true, to: first[0].from });
    const listed = () => [...document.querySelectorAll<HTMLElement>('li[data-test="print-session-option"]')].map((li) => li.dataset.sessionId);
    expect(listed()).toEqual(["s-next", "s-school", "s-past"]);

    await pickSession("s-next");
    // typing searches in Rust; the chosen session stays in the list
    const input = document.querySelector<HTMLInputElement>('[data-test="print-session"] input')!;
    input.value = "小学";
    input.dispatchEvent(new Event("input"));
    await waitUntil(() => calls("sessions_list").some(([, a]) => (a as { filter: { search?: string } }).filter.search === "小学"), 3000);
    await settle(3);
    expect(listed()).toEqual(["s-next", "s-school"]);
  });

  it("builds the request of each document from its inputs", async () => {
    backend({
      venues_list: () => [
        { id: "v1", name: "鑫达机械有限公司", kind: "enterprise", archived: false },
        { id: "v2", name: "稷下小学", kind: "school", archived: false },
      ],
      people_list: () => [{ id: "p1", name: "王建国", roles: ["volunteer"], unitName: "稷下社区", archived: false }],
    });
    const w = await mountPanel();

    // sign-in sheet: the phone column stays off unless switched on
    await w.find('[data-test="print-doc-signin"]').trigger("click");
    await pickSession("s-past");
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => calls("print_preview").length === 1);
    expect(calls("print_preview")[0][1]).toEqual({ request: { kind: "signin", sessionId: "s-past", phoneColumn: false } });
    await settle();
    await w.find('[data-test="print-phone-column"]').trigger("click");
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => calls("print_preview").length === 2);
    expect(calls("print_preview")[1][1]).toEqual({ request: { kind: "signin", sessionId: "s-past", phoneColumn: true } });
    await settle();

    // letters: nothing chosen = all enterprises; only enterprises are offered
    await w.find('[data-test="print-doc-letters"]').trigger("click");
    await settle();
    expect(w.find('[data-test="print-form"]').text()).toContain("不选则为全部 1 家企业各生成一份告知书");
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => calls("print_preview").length === 3);
    expect(calls("print_preview")[2][1]).toEqual({ request: { kind: "letters", venueIds: [] } });
    await settle();

    // grid flyers: the unit chosen
    await w.find('[data-test="print-doc-grid-flyers"]').trigger("click");
    await settle();
    w.findComponent(UnitSelect).vm.$emit("update:modelValue", "d1");
    await settle(2);
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => calls("print_preview").length === 4);
    expect(calls("print_preview")[3][1]).toEqual({ request: { kind: "grid_flyers", unitId: "d1" } });
    await settle();

    // certificate: a person and the period (this year so far by default)
    await w.find('[data-test="print-doc-certificate"]').trigger("click");
    await settle();
    const li = [...document.querySelectorAll<HTMLElement>("li.el-select-dropdown__item")].find((x) => x.textContent?.includes("王建国"));
    li!.click();
    await settle(3);
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => calls("print_preview").length === 5);
    const y = new Date().getFullYear();
    const req = (calls("print_preview")[4][1] as { request: { kind: string; personId: string; from: string; to: string } }).request;
    expect(req.kind).toBe("certificate");
    expect(req.personId).toBe("p1");
    expect(req.from).toBe(`${y}-01-01`);
    expect(req.to).toMatch(new RegExp(`^${y}-\\d{2}-\\d{2}$`));
    w.unmount();
  });

  it("asks for a session before previewing and sends nothing", async () => {
    const w = await mountPanel();
    await w.find('[data-test="print-preview"]').trigger("click");
    await settle();
    expect(w.find('[data-test="print-form-error"]').text()).toContain("请先选择活动。");
    expect(calls("print_preview")).toHaveLength(0);
    // Enter in the form previews too (and is refused the same way)
    setLocale("en");
    await settle();
    await w.find('[data-test="print-form"]').trigger("keydown", { key: "Enter" });
    await settle();
    expect(w.find('[data-test="print-form-error"]').text()).toContain("Choose a session first.");
    w.unmount();
  });

  it("saves the previewed document with the suggested file name", async () => {
    const w = await mountPanel();
    expect(w.find('[data-test="print-save"]').attributes("disabled")).toBeDefined();
    await pickSession("s-next");
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => !!byTest("print-pages-count"));
    await settle();
    await w.find('[data-test="print-save"]').trigger("click");
    await waitUntil(() => !!byTest("print-saved"));
    expect(calls("print_save")).toHaveLength(1);
    expect(calls("print_save")[0][1]).toEqual({
      request: { kind: "flyer", sessionId: "s-next", paper: "a4", photoId: null },
      fileName: "宣传单-稷下社区反诈板凳会.pdf",
    });
    expect(byTest("print-saved")?.textContent).toContain("已保存「宣传单-稷下社区反诈板凳会.pdf」（3 页）");
    w.unmount();
  });

  it("shows a refusal translated, in Chinese and in English", async () => {
    backend({
      print_preview: () => {
        throw { code: "print.no_grids", message: "「临淄区」下没有网格", params: { unit: "临淄区" } };
      },
    });
    const w = await mountPanel();
    await w.find('[data-test="print-doc-grid-flyers"]').trigger("click");
    await settle();
    w.findComponent(UnitSelect).vm.$emit("update:modelValue", "d1");
    await settle(2);
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => w.find('[data-test="print-error"]').exists());
    expect(w.find('[data-test="print-error"]').text()).toContain("「临淄区」下没有网格，无法生成网格宣传单。");
    setLocale("en");
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => w.find('[data-test="print-error"]').text().includes("There are no grids"));
    expect(w.find('[data-test="print-error"]').text()).toContain("There are no grids under “临淄区”");
    expect(byTest("print-empty")).not.toBeNull();
    w.unmount();
  });

  it("shows the progress of a batch and cancels it", async () => {
    let reject: (e: unknown) => void = () => undefined;
    backend({
      print_preview: () =>
        new Promise((_, rej) => {
          reject = rej;
        }),
      print_cancel: () => {
        reject({ code: "print.cancelled", message: "已取消生成", params: {} });
        return null;
      },
    });
    const w = await mountPanel();
    await w.find('[data-test="print-doc-letters"]').trigger("click");
    await settle();
    await w.find('[data-test="print-preview"]').trigger("click");
    await waitUntil(() => !!byTest("print-progress"));
    expect(progressHandlers.length).toBeGreaterThan(0);
    for (const h of progressHandlers) h({ payload: { done: 3, total: 12 } });
    await settle(2);
    expect(byTest("print-progress")?.textContent).toContain("正在生成：3 / 12");
    await w.find('[data-test="print-cancel"]').trigger("click");
    await waitUntil(() => !byTest("print-progress"));
    expect(calls("print_cancel")).toHaveLength(1);
    // a cancel is not an error
    expect(w.find('[data-test="print-error"]').exists()).toBe(false);
    expect(document.body.textContent).toContain("已取消生成。");
    w.unmount();
  });
});

describe("PrintSettingsDialog", () => {
  it("saves the QR text and shows a refused logo translated", async () => {
    backend({
      print_settings_save: (a) => ({ ...(a.settings as object), hasLogo: false }),
      print_pick_logo: () => {
        throw { code: "print.image_invalid", message: "图片无效：无法识别的图片格式", params: { detail: "图片无效：无法识别的图片格式" } };
      },
    });
    const w = mountApp(PrintSettingsDialog, { props: { modelValue: true } });
    await waitUntil(() => calls("print_settings").length > 0);
    await settle();
    expect(byTest("print-logo-state")?.textContent).toContain("未设置单位标志");
    await w.find('[data-test="print-logo-pick"]').trigger("click");
    await waitUntil(() => !!byTest("print-logo-error"));
    // zh: Rust's precise message as it is
    expect(byTest("print-logo-error")?.textContent).toContain("图片无效：无法识别的图片格式");

    await w.find('input[data-test="print-qr-caption"]').setValue("扫码加入社区反诈群");
    await w.find('[data-test="print-settings-save"]').trigger("click");
    await waitUntil(() => calls("print_settings_save").length > 0);
    expect(calls("print_settings_save")[0][1]).toEqual({
      settings: { qrText: "https://www.mps.gov.cn/", qrCaption: "扫码加入社区反诈群", hasLogo: false },
    });
    w.unmount();
  });

  it("gives the generic sentence for an image refusal in English", async () => {
    backend({
      print_pick_logo: () => {
        throw { code: "print.image_too_large", message: "图片过大：41 百万像素", params: { detail: "图片过大：41 百万像素" } };
      },
    });
    setLocale("en");
    const w = mountApp(PrintSettingsDialog, { props: { modelValue: true } });
    setLocale("en");
    await waitUntil(() => calls("print_settings").length > 0);
    await settle();
    await w.find('[data-test="print-logo-pick"]').trigger("click");
    await waitUntil(() => !!byTest("print-logo-error"));
    expect(byTest("print-logo-error")?.textContent).toContain("The image is too large");
    expect(byTest("print-logo-error")?.textContent).not.toContain("图片过大");
    w.unmount();
  });
});
