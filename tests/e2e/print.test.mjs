// The printing scenario, on the real app window, with the demo loaded:
//  1. 打印 → 打印文档: the demo's next bench talk (板凳会) is chosen, previewed — pdf.js draws the
//     PDF Rust made into canvases in the window (checked for non-white pixels) — and saved: the
//     file is a PDF whose text (pdftotext) holds the session's title, and the audit log has a
//     print entry.
//  2. A flyer per grid for a district (a batch) is previewed with its page count.
//  3. 打印 → 物资库存: the reconciliation table lists the demo's stock with its states.
// The save dialog is answered by the app's test seam OUTREACH_TEST_SAVE_DIR (the file is written
// there under the suggested name). Steps depend on each other and run in order.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  appPids,
  cli,
  click,
  dbOf,
  displayed,
  ensureCli,
  fill,
  freshDataDir,
  launchApp,
  pickOption,
  pickPrintSession,
  scenario,
  screenshot,
  texts,
  tid,
  waitFor,
  waitNoDisplayed,
  namedShot,
  toast,
} from "./lib.mjs";

const SHOT = "print";

// Other test files may run at the same time: keep off their driver ports.
process.env.E2E_DRIVER_PORT ??= "4504";

const dataDir = freshDataDir("print");
const db = dbOf(dataDir);
const work = mkdtempSync(join(tmpdir(), "outreach-print-work-"));
const saveDir = join(work, "saved");
mkdirSync(saveDir, { recursive: true });
const appEnv = { OUTREACH_TEST_SAVE_DIR: saveDir };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 120_000 });

/** The bench talk printed: the demo's next one (else its latest). */
let BENCH = null;
/** A district of the demo, for the per-grid flyers. */
let DISTRICT = null;

const pad = (n) => String(n).padStart(2, "0");
const nowLocal = () => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

before(
  () => {
    ensureCli();
    console.error(`[e2e] data folder ${dataDir}; scratch ${work}`);
    cli(db, ["demo"]);
    const sessions = cli(db, ["plan", "list", "--json"], { json: true });
    const benches = sessions
      .filter((s) => s.kind === "bench_talk" && s.title.includes("板凳会") && s.status !== "cancelled")
      .sort((x, y) => x.start.localeCompare(y.start));
    assert.ok(benches.length > 0, "the demo has bench talks");
    const now = nowLocal();
    BENCH = benches.find((s) => s.start >= now) ?? benches[benches.length - 1];
    console.error(`[e2e] bench talk ${BENCH.id} ${BENCH.title} ${BENCH.start} (${BENCH.status})`);

    const units = cli(db, ["units", "tree", "--json"], { json: true, timeoutMs: 60_000 });
    const flat = [];
    const walk = (nodes) => {
      for (const n of nodes) {
        flat.push(n);
        walk(n.children ?? []);
      }
    };
    walk(Array.isArray(units) ? units : [units]);
    DISTRICT = flat.find((n) => n.unit.kind === "district" && n.totals.grids > 0)?.unit ?? null;
    assert.ok(DISTRICT, "the demo has a district with grids");
    console.error(`[e2e] district ${DISTRICT.name}`);
  },
  { timeout: 16 * 60_000 },
);

after(
  async () => {
    if (app) await app.stop();
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    if (failed()) console.error(`[e2e] data folder kept: ${dataDir} (scratch: ${work})`);
    else for (const d of [dataDir, work]) rmSync(d, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

// ---------------------------------------------------------------------------------------------
// helpers

/**
 * The drawn pages: for each canvas marked rendered, its size and how many of its sampled
 * pixels are not white (a blank canvas has none; a flyer has its coloured title band, text and
 * the QR code).
 */
async function drawnPages() {
  return b().execute(() =>
    [...document.querySelectorAll('canvas[data-test="print-page"][data-rendered="true"]')].map((c) => {
      let ink = 0;
      let sampled = 0;
      try {
        const ctx = c.getContext("2d");
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        // every 7th pixel is plenty
        for (let i = 0; i < data.length; i += 4 * 7) {
          sampled++;
          if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) ink++;
        }
      } catch (e) {
        return { page: Number(c.dataset.page), width: c.width, height: c.height, ink: -1, error: String(e) };
      }
      return { page: Number(c.dataset.page), width: c.width, height: c.height, ink, sampled };
    }),
  );
}

/** Waits until a preview with `minPages` pages has drawn its first page; returns the pages drawn. */
async function waitForDrawnPreview(what) {
  let pages = [];
  let errorText = [];
  await b().waitUntil(
    async () => {
      errorText = [...(await texts(b(), tid("print-error"))), ...(await texts(b(), tid("print-preview-error")))];
      if (errorText.length) return true;
      pages = await drawnPages();
      return pages.some((p) => p.ink > 50);
    },
    { timeout: 60_000, timeoutMsg: `${what}: no page was drawn (pages: ${JSON.stringify(pages)})` },
  );
  assert.deepEqual(errorText, [], `${what}: the preview shows an error`);
  return pages;
}

// ---------------------------------------------------------------------------------------------
// scenario

step("1a. 打印 opens on the documents with an empty preview; the bench talk is chosen", async () => {
  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-1` });
  await click(b(), tid("nav-print"));
  await displayed(b(), tid("print-tab-documents"));
  assert.equal((await texts(b(), tid("coming-soon"))).length, 0, "no coming-soon page");
  await displayed(b(), tid("print-empty"));
  await click(b(), tid("print-doc-flyer"));
  assert.equal(await (await b().$(tid("print-doc-flyer"))).getAttribute("aria-checked"), "true");

  // open the session picker, filter by the title, click the bench talk's option
  await pickPrintSession(b(), BENCH.id, BENCH.title);
  await b().waitUntil(
    async () => {
      const shown = (await texts(b(), `${tid("print-session")} .el-select__selected-item:not(.is-hidden)`)).join(" ");
      return shown.includes(BENCH.title) && shown.includes(BENCH.start.slice(0, 10));
    },
    { timeout: 5_000, timeoutMsg: "the session picker does not show the bench talk with its date" },
  );
  await screenshot(b(), SHOT, "session-chosen");
});

step("1b. 预览 draws the flyer with pdf.js into the window", async () => {
  const started = Date.now();
  await click(b(), tid("print-preview"));
  const pages = await waitForDrawnPreview("the flyer");
  console.error(`[e2e] flyer drawn in ${Date.now() - started} ms: ${JSON.stringify(pages)}`);
  const first = pages.find((p) => p.page === 1);
  assert.ok(first, "page 1 is drawn");
  assert.ok(first.width > 300 && first.height > first.width, `a portrait page: ${first.width}×${first.height}`);
  assert.ok(first.ink / first.sampled > 0.02, `page 1 has ink on it (${first.ink} of ${first.sampled} samples)`);
  const count = (await texts(b(), tid("print-pages-count")))[0] ?? "";
  assert.match(count, /^第 1 页 \/ 共 \d+ 页$/, `the page counter: ${count}`);
  const size = (await texts(b(), tid("print-file-size")))[0] ?? "";
  assert.match(size, /\d+(\.\d)? (KB|MB)/, `the file size: ${size}`);
  assert.equal((await texts(b(), tid("print-empty"))).length, 0, "the empty state is gone");
  // pdf.js parses in its Web Worker (allowed by the CSP), not in the window's thread
  assert.equal(await (await b().$(tid("print-pages"))).getAttribute("data-worker"), "web", "pdf.js runs in a Web Worker");
  await namedShot(b(), "print-preview.png");
});

step("1c. 保存 PDF writes the flyer where the dialog says; it is a PDF with the title; audited", async () => {
  assert.deepEqual(readdirSync(saveDir), [], "nothing saved yet");
  await click(b(), tid("print-save"));
  await displayed(b(), tid("print-saved"), 30_000);
  let files = [];
  await waitFor("the PDF in the save folder", () => (files = readdirSync(saveDir).filter((f) => f.endsWith(".pdf"))).length === 1, 15_000);
  const file = join(saveDir, files[0]);
  console.error(`[e2e] saved ${file}`);
  assert.ok(files[0].includes(BENCH.title), `the file is named after the session: ${files[0]}`);
  const savedText = (await texts(b(), tid("print-saved"))).join(" ");
  assert.ok(savedText.includes(files[0]), `the success message names the file: ${savedText}`);
  // Said once (no toast repeating it), with the full path and 打开文件 / 打开所在文件夹.
  assert.ok(savedText.includes(file), `the message gives the full path ${file}: ${savedText}`);
  assert.deepEqual(await texts(b(), ".el-message .el-message__content"), [], "no second message");
  for (const id of ["saved-open-file", "saved-open-folder"]) await displayed(b(), `${tid("print-saved")} ${tid(id)}`);
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 4).toString("latin1"), "%PDF", "the file starts with %PDF");
  const pdf = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.equal(pdf.status, 0, `pdftotext: ${pdf.stderr}`);
  const compact = (s) => s.replace(/\s+/g, "");
  assert.ok(compact(pdf.stdout).includes(compact(BENCH.title)), `the PDF's text holds ${BENCH.title}:\n${pdf.stdout.slice(0, 600)}`);

  const audit = cli(db, ["audit", "list"]);
  const line = audit.split("\n").find((l) => /\tprint\t/.test(l));
  assert.ok(line, `a print entry in the audit log:\n${audit}`);
  assert.ok(line.includes(files[0]), `the audit entry names the file: ${line}`);
});

step("1d. a certificate without a volunteer is refused in words before anything is made", async () => {
  await click(b(), tid("print-doc-certificate"));
  await click(b(), tid("print-preview"));
  const err = await displayed(b(), tid("print-form-error"));
  assert.equal((await err.getText()).trim(), "请先选择志愿者。");
});

step("2. 网格宣传单（批量） for a district: one page per grid, drawn as they scroll into view", async () => {
  await click(b(), tid("print-doc-grid-flyers"));
  await click(b(), `${tid("print-unit")} .el-select__wrapper`);
  const input = await displayed(b(), `${tid("print-unit")} input`);
  await input.addValue(DISTRICT.name);
  // the unit picker lists the units as options (li.el-select-dropdown__item), indented
  await click(b(), `//li[contains(@class,"el-select-dropdown__item")][normalize-space(.)="${DISTRICT.name}"]`);
  await click(b(), tid("print-preview"));
  // the old preview stays until the new one arrives: wait for the district's page count (title
  // and counter read together, so that they belong to the same document)
  let count = "";
  await b().waitUntil(
    async () => {
      const shown = await b().execute(() => ({
        title: document.querySelector(".pdf-title")?.textContent?.trim() ?? "",
        count: document.querySelector('[data-test="print-pages-count"]')?.textContent?.trim() ?? "",
      }));
      count = shown.count;
      return shown.title.includes(DISTRICT.name) && /共 \d+ 页/.test(count);
    },
    { timeout: 60_000, timeoutMsg: `the grid flyers of ${DISTRICT.name} were not previewed (${count})` },
  );
  const pages = Number(/共 (\d+) 页/.exec(count)[1]);
  assert.ok(pages >= 2, `several grids, several pages: ${pages}`);
  await waitForDrawnPreview("the grid flyers");
  const canvases = await b().execute(() => document.querySelectorAll('canvas[data-test="print-page"]').length);
  assert.equal(canvases, pages, "a canvas per page");
  const drawn = (await drawnPages()).length;
  console.error(`[e2e] grid flyers: ${pages} pages, ${drawn} drawn while at the top`);
  if (pages > 6) assert.ok(drawn < pages, `only the pages near the view are drawn (${drawn} of ${pages})`);
  // scrolling to the end draws the last page and the counter follows
  await b().execute(() => {
    const s = document.querySelector('[data-test="print-pages"]');
    s.scrollTop = s.scrollHeight;
    s.dispatchEvent(new Event("scroll"));
  });
  await b().waitUntil(async () => (await drawnPages()).some((p) => p.page === pages && p.ink > 50), {
    timeout: 30_000,
    timeoutMsg: "the last page was not drawn after scrolling to it",
  });
  await b().waitUntil(async () => ((await texts(b(), tid("print-pages-count")))[0] ?? "") === `第 ${pages} 页 / 共 ${pages} 页`, {
    timeout: 5_000,
    timeoutMsg: "the page counter does not show the last page",
  });
  await screenshot(b(), SHOT, "grid-flyers");
});

step("3. 物资库存 lists the demo's stock with its states and warnings", async () => {
  await click(b(), tid("print-tab-stock"));
  await displayed(b(), tid("stock-table"));
  await b().waitUntil(async () => (await b().$$(tid("stock-row"))).length > 0, { timeout: 20_000, timeoutMsg: "no stock rows" });
  const rows = await b().execute(() =>
    [...document.querySelectorAll('[data-test="stock-row"]')].map((el) => {
      const tr = el.closest("tr");
      return {
        name: el.textContent.trim(),
        state: el.getAttribute("data-state"),
        cls: tr?.className ?? "",
        tag: tr?.querySelector('[data-test="stock-state"]')?.textContent?.trim() ?? "",
        balance: tr?.querySelector('[data-test="stock-balance"]')?.textContent?.trim() ?? "",
      };
    }),
  );
  console.error(`[e2e] ${rows.length} stock rows; states ${JSON.stringify([...new Set(rows.map((r) => r.state))])}`);
  assert.ok(rows.every((r) => ["ok", "low", "negative"].includes(r.state)), "every row has a state");
  assert.ok(rows.some((r) => r.state === "ok"), "some stock is fine");
  const warned = rows.filter((r) => r.state !== "ok");
  assert.ok(warned.length > 0, "the demo has stock below its threshold");
  for (const r of warned) {
    assert.ok(r.cls.includes(`stock-${r.state}`), `a ${r.state} row is coloured: ${JSON.stringify(r)}`);
    assert.equal(r.tag, r.state === "low" ? "低于预警" : "库存为负", `its tag: ${JSON.stringify(r)}`);
  }
  // the colours really apply: a warned row's cells are tinted, a fine row's are not
  const bg = await b().execute(() => {
    const cellOf = (state) =>
      document.querySelector(`[data-test="stock-row"][data-state="${state}"]`)?.closest("tr")?.querySelector("td");
    const low = cellOf("low") ?? cellOf("negative");
    return { warned: low ? getComputedStyle(low).backgroundColor : null };
  });
  assert.ok(bg.warned && bg.warned !== "rgba(0, 0, 0, 0)" && bg.warned !== "rgb(255, 255, 255)", `warned rows are tinted: ${bg.warned}`);
  const low = Number((await texts(b(), tid("stock-count-low")))[0]);
  const negative = Number((await texts(b(), tid("stock-count-negative")))[0]);
  assert.equal(low + negative, warned.length, "the summary counts the warnings");

  // the same figures as the CLI's reconciliation
  const cliLines = cli(db, ["materials", "stock"]).trim().split("\n").slice(1);
  assert.equal(rows.length, cliLines.length, "as many rows as the CLI's reconciliation");
  await namedShot(b(), "stock.png");

  await click(b(), tid("stock-tab-moves"));
  await b().waitUntil(async () => (await b().$$(tid("move-row"))).length > 0, { timeout: 10_000, timeoutMsg: "no stock moves listed" });
  await screenshot(b(), SHOT, "stock-moves");
  assert.ok(existsSync(db));
});

step("4. 登记入库: a print run of 500 flyers into the district shows in the reconciliation", async () => {
  const flyersOf = () =>
    cli(db, ["materials", "stock"])
      .split("\n")
      .map((l) => l.split("\t"))
      .find((c) => c[0] === DISTRICT.name && c[1] === "宣传彩页");
  const before = flyersOf();
  assert.ok(before, `the district has flyers in stock: ${JSON.stringify(before)}`);

  await click(b(), tid("stock-receive"));
  await displayed(b(), `${tid("move-form")}[data-kind="receipt"]`);
  await pickOption(b(), tid("move-material"), "宣传彩页");
  await click(b(), `${tid("move-to")} .el-select__wrapper`);
  await (await displayed(b(), `${tid("move-to")} input`)).addValue(DISTRICT.name);
  await click(b(), `//li[contains(@class,"el-select-dropdown__item")][normalize-space(.)="${DISTRICT.name}"]`);
  await fill(b(), "move-quantity", "500");
  await fill(b(), "move-source", "测试印刷批次");
  await click(b(), tid("move-save"));
  await toast(b(), /已登记入库/);
  await waitNoDisplayed(b(), tid("move-form"), "the receipt dialog");

  const after = flyersOf();
  assert.equal(Number(after[2]), Number(before[2]) + 500, `received +500: ${before} → ${after}`);
  await b().waitUntil(async () => (await texts(b(), tid("moves-table"))).some((t) => t.includes("测试印刷批次")), {
    timeout: 10_000,
    timeoutMsg: "the new receipt is not listed",
  });
});
