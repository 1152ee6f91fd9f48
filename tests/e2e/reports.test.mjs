// The reports scenario (报表), on the real app window with the demo loaded:
//  1. 报表 opens on the city; 本季度 is chosen; the KPI cards 开展场次 and 覆盖人次 equal the
//     CLI's `outreach coverage --json` total for the same unit and quarter; the charts are drawn.
//  2. 导出 PDF and 导出 Excel write the report where the save dialog says (the app's test seam
//     OUTREACH_TEST_SAVE_DIR): a PDF (%PDF) and an xlsx (a zip, PK).
//  3. Drill down by the table rows: city → district → station → community → grid, the
//     breadcrumb following each step; at a grid there is no further level.
// Screenshots: tests/artifacts/dashboard.png (city) and dashboard-grid.png (a grid).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import {
  appPids,
  cli,
  click,
  dbOf,
  displayed,
  ensureCli,
  freshDataDir,
  launchApp,
  scenario,
  texts,
  tid,
  waitFor,
  namedShot,
  toast,
  ymd,
} from "./lib.mjs";

const SHOT = "reports";

// Other test files may run at the same time: keep off their driver ports.
process.env.E2E_DRIVER_PORT ??= "4524";

const dataDir = freshDataDir("reports");
const db = dbOf(dataDir);
const work = mkdtempSync(join(tmpdir(), "outreach-reports-work-"));
const saveDir = join(work, "saved");
mkdirSync(saveDir, { recursive: true });
const appEnv = { OUTREACH_TEST_SAVE_DIR: saveDir };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 120_000 });

/** This quarter, as the app's 本季度 preset computes it (local time). */
function thisQuarter() {
  const now = new Date();
  const q = Math.floor(now.getMonth() / 3) * 3;
  return [ymd(new Date(now.getFullYear(), q, 1)), ymd(new Date(now.getFullYear(), q + 3, 0))];
}
const [FROM, TO] = thisQuarter();
let CITY = null;
/** id → unit, from the CLI's tree. */
const UNITS = new Map();

before(
  () => {
    ensureCli();
    console.error(`[e2e] data folder ${dataDir}; scratch ${work}; quarter ${FROM}..${TO}`);
    cli(db, ["demo"]);
    const tree = cli(db, ["units", "tree", "--json"], { json: true, timeoutMs: 60_000 });
    const walk = (nodes) => {
      for (const n of nodes) {
        UNITS.set(n.unit.id, n.unit);
        walk(n.children ?? []);
      }
    };
    walk(Array.isArray(tree) ? tree : [tree]);
    CITY = [...UNITS.values()].find((u) => u.kind === "city" && u.parentId === null);
    assert.ok(CITY, "the demo has a city");
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

/** Scrolls the view's scrolling box to `y` (top by default) and closes the toasts, for a clean shot. */
async function scrollView(to = 0) {
  await b().execute((y) => {
    document.querySelectorAll(".el-message__closeBtn").forEach((x) => x.click());
    let el = document.querySelector(".reports-view");
    while (el && el !== document.body) {
      if (el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY !== "visible") {
        el.scrollTop = y === "charts" ? document.querySelector('[data-test="chart-months"]').getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - 60 : y;
        break;
      }
      el = el.parentElement;
    }
  }, to);
  await b().waitUntil(async () => (await texts(b(), ".el-message")).length === 0, { timeout: 5_000, timeoutMsg: "the toasts stay" }).catch(() => {});
}

/** Waits until the dashboard shows this unit (loaded, no spinner) and returns the crumbs' names. */
async function dashboardOf(unitId) {
  await b().waitUntil(
    async () =>
      b().execute((id) => {
        const body = document.querySelector('[data-test="reports-body"]');
        return !!body && body.getAttribute("data-unit-id") === id && !body.querySelector(".el-loading-mask");
      }, unitId),
    { timeout: 30_000, timeoutMsg: `the dashboard does not show ${UNITS.get(unitId)?.name ?? unitId}` },
  );
  return texts(b(), tid("drill-crumb"));
}

/** The number on a KPI card (thousands separators dropped). */
async function kpi(id) {
  const [text] = await texts(b(), `${tid(id)} ${tid("kpi-value")}`);
  return Number((text ?? "").replace(/[,\s]/g, ""));
}

/** Canvases of a chart and how much is drawn on them. */
async function chartInk(id) {
  return b().execute((sel) => {
    const c = document.querySelector(`${sel} canvas`);
    if (!c) return { canvas: false, ink: 0 };
    const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4 * 11) if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) ink++;
    return { canvas: true, width: c.width, height: c.height, ink };
  }, tid(id));
}

/** The unit path root → id, by the CLI's tree. */
function pathNames(id) {
  const out = [];
  for (let u = UNITS.get(id); u; u = u.parentId ? UNITS.get(u.parentId) : null) out.unshift(u.name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// scenario

step("1. 报表 opens on the city; 本季度's KPIs equal the CLI's coverage figures", async () => {
  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-1` });
  await click(b(), tid("nav-reports"));
  await displayed(b(), tid("reports-unit"));
  assert.equal((await texts(b(), tid("coming-soon"))).length, 0, "no coming-soon page");
  // another preset first, then this quarter: the period shown follows
  await click(b(), tid("reports-period-month"));
  const now = new Date();
  const month = `${ymd(new Date(now.getFullYear(), now.getMonth(), 1))} — ${ymd(new Date(now.getFullYear(), now.getMonth() + 1, 0))}`;
  await b().waitUntil(async () => ((await texts(b(), tid("reports-period-text")))[0] ?? "") === month, {
    timeout: 5_000,
    timeoutMsg: `本月 does not show ${month}`,
  });
  await click(b(), tid("reports-period-quarter"));
  await b().waitUntil(async () => ((await texts(b(), tid("reports-period-text")))[0] ?? "") === `${FROM} — ${TO}`, {
    timeout: 5_000,
    timeoutMsg: `the period shown is not ${FROM} — ${TO}`,
  });
  const crumbs = await dashboardOf(CITY.id);
  assert.deepEqual(crumbs, [CITY.name], "the breadcrumb starts at the city");

  const cov = cli(db, ["coverage", "--unit", CITY.name, "--from", FROM, "--to", TO, "--json"], { json: true });
  console.error(`[e2e] CLI: ${cov.total.sessionsHeld} sessions, ${cov.total.personTimes} person-times`);
  assert.ok(cov.total.sessionsHeld > 0, "the demo has sessions this quarter");
  await b().waitUntil(async () => (await kpi("kpi-sessions")) === cov.total.sessionsHeld, {
    timeout: 10_000,
    timeoutMsg: `开展场次 is not ${cov.total.sessionsHeld}`,
  });
  assert.equal(await kpi("kpi-sessions"), cov.total.sessionsHeld, "开展场次 = the CLI's sessionsHeld");
  assert.equal(await kpi("kpi-person-times"), cov.total.personTimes, "覆盖人次 = the CLI's personTimes");
  const gridsText = (await texts(b(), `${tid("kpi-grids")} ${tid("kpi-value")}`))[0];
  assert.equal(gridsText.replace(/\s/g, ""), `${cov.total.gridsReached}/${cov.total.grids}`, "覆盖网格 x / y");

  // the table lists the city's districts with the CLI's figures
  const rows = await b().execute(() =>
    [...document.querySelectorAll('[data-test="parts-row"]')].map((el) => ({ id: el.getAttribute("data-unit-id"), name: el.textContent.trim() })),
  );
  assert.deepEqual(rows.map((r) => r.name), cov.parts.map((p) => p.unitName), "a row per district");
  const footer = (await texts(b(), `${tid("parts-table")} .el-table__footer`)).join(" ");
  assert.ok(footer.includes("合计"), `a 合计 row: ${footer}`);

  // the summary paragraph and the charts
  await b().waitUntil(async () => ((await texts(b(), tid("reports-summary")))[0] ?? "").includes(CITY.name), {
    timeout: 15_000,
    timeoutMsg: "no summary paragraph",
  });
  for (const id of ["chart-months", "chart-children", "chart-least", "chart-kinds"]) {
    let ink = null;
    await b().waitUntil(async () => ((ink = await chartInk(id)).ink > 30), { timeout: 10_000, timeoutMsg: `${id} is not drawn: ${JSON.stringify(ink)}` });
  }
  await scrollView(0);
  await namedShot(b(), "dashboard.png");
  await scrollView("charts");
  await namedShot(b(), "dashboard-charts.png");
  await scrollView(0);
});

step("2. 导出 PDF and 导出 Excel write the report files", async () => {
  assert.deepEqual(readdirSync(saveDir), [], "nothing saved yet");
  await click(b(), tid("report-export-pdf"));
  await toast(b(), /报表已保存/, 60_000);
  let pdf = [];
  await waitFor("the PDF in the save folder", () => (pdf = readdirSync(saveDir).filter((f) => f.endsWith(".pdf"))).length === 1, 30_000);
  console.error(`[e2e] saved ${pdf[0]}`);
  assert.ok(pdf[0].includes(CITY.name), `the file is named after the city: ${pdf[0]}`);
  assert.equal(readFileSync(join(saveDir, pdf[0])).subarray(0, 4).toString("latin1"), "%PDF", "a PDF");
  const saved = (await texts(b(), tid("report-saved"))).join(" ");
  assert.ok(saved.includes(pdf[0]), `the view names the file saved: ${saved}`);
  // One message, with the full path and the two ways to open it.
  const note = (await texts(b(), ".el-notification__group")).join(" ");
  assert.ok(note.includes(join(saveDir, pdf[0])), `the message gives the full path: ${note}`);
  for (const id of ["saved-open-file", "saved-open-folder"]) await displayed(b(), `.el-notification ${tid(id)}`);
  // Reach by audience: the window's rows are the report's 表3, figure for figure.
  const windowRows = await b().execute(() =>
    [...document.querySelectorAll('[data-test="audiences-table"] .el-table__body tr')].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.innerText.trim()),
    ),
  );
  assert.ok(windowRows.length > 0, "the dashboard shows reach by audience");
  const pdfText = spawnSync("pdftotext", ["-layout", join(saveDir, pdf[0]), "-"], { encoding: "utf8" }).stdout;
  assert.ok(pdfText.includes("分人群覆盖情况"), "the PDF has the audience table");
  for (const [name, reached, share] of windowRows) {
    const line = pdfText.split("\n").find((l) => l.trim().startsWith(name) && l.includes(reached.replace(/,/g, "")));
    assert.ok(line, `the PDF's 表3 has ${name} ${reached}`);
    assert.ok(line.includes(share.replace("%", "")), `${name}: the window's share ${share} is the PDF's: ${line}`);
  }

  await click(b(), tid("report-export-xlsx"));
  let xlsx = [];
  await waitFor("the xlsx in the save folder", () => (xlsx = readdirSync(saveDir).filter((f) => f.endsWith(".xlsx"))).length === 1, 30_000);
  const bytes = readFileSync(join(saveDir, xlsx[0]));
  assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "the xlsx is a zip");
  await b().waitUntil(async () => (await texts(b(), tid("report-saved"))).join(" ").includes(xlsx[0]), {
    timeout: 10_000,
    timeoutMsg: "the view does not name the xlsx",
  });
  const audit = cli(db, ["audit", "list"]);
  assert.ok(audit.split("\n").some((l) => /\treport\t/.test(l) && l.includes(xlsx[0])), `the export is audited:\n${audit.slice(-800)}`);
});

step("3. drill down by the table rows from the city to a grid, the breadcrumb following", async () => {
  let current = CITY.id;
  const seen = [CITY.kind];
  for (let depth = 0; depth < 6; depth++) {
    const rows = await b().execute(() =>
      [...document.querySelectorAll('[data-test="parts-row"]')].map((el) => ({ id: el.getAttribute("data-unit-id"), kind: el.getAttribute("data-kind") })),
    );
    if (rows.length === 0) break;
    // the child with the most grids reached, then the most sessions (columns 覆盖网格, 开展场次)
    const score = await b().execute(() =>
      [...document.querySelectorAll('[data-test="parts-table"] .el-table__body tr')].map((tr) => {
        const n = (i) => Number(tr.children[i]?.textContent?.replace(/[,\s%]/g, "") || 0);
        return n(6) * 100000 + n(1);
      }),
    );
    let pick = 0;
    score.forEach((n, i) => {
      if (n > (score[pick] ?? 0)) pick = i;
    });
    const next = rows[pick] ?? rows[0];
    await click(b(), `${tid("parts-row")}[data-unit-id="${next.id}"]`);
    const crumbs = await dashboardOf(next.id);
    assert.deepEqual(crumbs, pathNames(next.id), `the breadcrumb of ${UNITS.get(next.id)?.name}`);
    current = next.id;
    seen.push(next.kind);
    if (next.kind === "district" && depth === 0) await namedShot(b(), "dashboard-district.png");
    if (next.kind === "grid") break;
  }
  assert.deepEqual(seen, ["city", "district", "station", "community", "grid"], "drilled city → district → station → community → grid");
  const grid = UNITS.get(current);
  // a grid: no child table, the crumbs end with it, the KPIs agree with the CLI
  assert.equal((await texts(b(), tid("parts-table"))).length, 0, "no table of child units at a grid");
  const cov = cli(db, ["coverage", "--unit", grid.id, "--from", FROM, "--to", TO, "--json"], { json: true });
  assert.equal(await kpi("kpi-sessions"), cov.total.sessionsHeld, "the grid's 开展场次");
  assert.equal(await kpi("kpi-person-times"), cov.total.personTimes, "the grid's 覆盖人次");
  const last = await b().$(`(//*[@data-test="drill-crumb"])[last()]`);
  assert.equal(await last.getAttribute("data-kind"), "grid");
  await scrollView(0);
  await namedShot(b(), "dashboard-grid.png");

  // back to the city through the breadcrumb
  await click(b(), `${tid("drill-crumb")}[data-unit-id="${CITY.id}"]`);
  assert.deepEqual(await dashboardOf(CITY.id), [CITY.name]);
});
