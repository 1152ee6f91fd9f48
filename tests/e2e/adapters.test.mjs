// One action, two front ends (issue 13): for each family of actions that both offer, the
// window and the CLI give the same result and write the same audit entry, because both are
// thin adapters over one use case in crates/app. The window is the real app (tauri-driver);
// its save dialog is answered by the test seam OUTREACH_TEST_SAVE_DIR. The CLI runs on the
// same database. Families: table export (transfer), calendar export (sessions), the report
// (reports), a printed flyer (print).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appPids, cli, click, dbOf, displayed, ensureCli, freshDataDir, launchApp, scenario, tid, waitFor, ymd } from "./lib.mjs";

const SHOT = "adapters";
process.env.E2E_DRIVER_PORT ??= "4544";

const dataDir = freshDataDir(SHOT);
const db = dbOf(dataDir);
const work = mkdtempSync(join(tmpdir(), "outreach-adapters-"));
const saveDir = join(work, "window");
const cliDir = join(work, "cli");
mkdirSync(saveDir, { recursive: true });
mkdirSync(cliDir, { recursive: true });

let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 180_000 });

let CITY = null;
let SESSION = null;

before(
  () => {
    ensureCli();
    cli(db, ["demo"]);
    const tree = cli(db, ["units", "tree", "--json"], { json: true });
    CITY = (Array.isArray(tree) ? tree : [tree])[0].unit;
    const sessions = cli(db, ["plan", "list", "--json"], { json: true });
    SESSION = sessions.find((s) => s.kind === "bench_talk" && s.status !== "cancelled");
    assert.ok(CITY && SESSION, "the demo has a city and a bench talk");
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

/** The newest audit entry, as the CLI reads it. */
const lastAudit = () => cli(db, ["audit", "list", "--limit", "1", "--json"], { json: true })[0];

/**
 * The two entries must say the same thing: same action, target and note with the same
 * values — but for the file each front end was told to write (`path`).
 */
function sameEntry(windowEntry, cliEntry, what) {
  const strip = (e) => {
    const params = { ...e.params };
    delete params.path;
    return { operator: e.operator, action: e.action, target: e.target, params };
  };
  assert.deepEqual(strip(cliEntry), strip(windowEntry), `${what}: the CLI's audit entry differs from the window's`);
  assert.ok(windowEntry.params.note, `${what}: the entry has a note code`);
}

/** Waits for one new file with this extension in the window's save folder; its path. */
async function saved(ext) {
  let files = [];
  await waitFor(`a .${ext} in the save folder`, () => (files = readdirSync(saveDir).filter((f) => f.endsWith(`.${ext}`))).length === 1, 60_000);
  return join(saveDir, files[0]);
}

const pdftext = (file) => {
  const r = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.equal(r.status, 0, `pdftotext: ${r.stderr}`);
  return r.stdout;
};

step("0. the window opens on the demo", async () => {
  app = await launchApp({ dataDir, env: { OUTREACH_TEST_SAVE_DIR: saveDir }, name: SHOT });
  await displayed(b(), tid("nav-units"));
});

step("1. transfer: the unit table exported by both is the same file, audited alike", async () => {
  await click(b(), tid("nav-units"));
  await click(b(), tid("unit-export"));
  await click(b(), tid("export-csv"));
  const file = await saved("csv");
  await waitFor("the window's audit entry", () => lastAudit().action === "export", 15_000);
  const fromWindow = lastAudit();
  const cliFile = join(cliDir, "units.csv");
  cli(db, ["export", "units", "--format", "csv", "-o", cliFile]);
  const fromCli = lastAudit();
  assert.ok(readFileSync(file).equals(readFileSync(cliFile)), "the two CSV files differ");
  assert.equal(fromWindow.params.path, file);
  assert.equal(fromCli.params.path, cliFile);
  sameEntry(fromWindow, fromCli, "table export");
});

step("2. sessions: the calendar exported by both has the same events, audited alike", async () => {
  await click(b(), tid("nav-plan"));
  await click(b(), tid("plan-export-ics"));
  const file = await saved("ics");
  await waitFor("the window's audit entry", () => lastAudit().target === "sessions.ics", 15_000);
  const fromWindow = lastAudit();
  const cliFile = join(cliDir, "plan.ics");
  cli(db, ["plan", "ics", "-o", cliFile]);
  const fromCli = lastAudit();
  // DTSTAMP is the moment of writing; everything else (names, UIDs, times) must match.
  const events = (f) =>
    readFileSync(f, "utf8")
      .replace(/\r\n[ \t]/g, "")
      .split(/\r?\n/)
      .filter((l) => !l.startsWith("DTSTAMP"));
  assert.deepEqual(events(cliFile), events(file), "the two calendars differ");
  sameEntry(fromWindow, fromCli, "calendar export");
});

step("3. reports: the city's quarter report saved by both reads the same, audited alike", async () => {
  await click(b(), tid("nav-reports"));
  await displayed(b(), tid("reports-unit"));
  await click(b(), tid("reports-period-quarter"));
  await click(b(), tid("report-export-pdf"));
  const file = await saved("pdf");
  await waitFor("the window's audit entry", () => lastAudit().action === "report", 60_000);
  const fromWindow = lastAudit();
  const now = new Date();
  const q = Math.floor(now.getMonth() / 3) * 3;
  const [from, to] = [ymd(new Date(now.getFullYear(), q, 1)), ymd(new Date(now.getFullYear(), q + 3, 0))];
  // the CLI is told the file name the window suggested, in its own folder
  const cliFile = join(cliDir, file.split("/").pop());
  cli(db, ["report", "--unit", CITY.name, "--from", from, "--to", to, "-o", cliFile]);
  const fromCli = lastAudit();
  assert.equal(pdftext(cliFile), pdftext(file), "the two report PDFs read differently");
  sameEntry(fromWindow, fromCli, "report");
});

step("4. print: a session's flyer saved by both reads the same, audited alike", async () => {
  await click(b(), tid("nav-print"));
  await displayed(b(), tid("print-tab-documents"));
  await click(b(), tid("print-doc-flyer"));
  await click(b(), `${tid("print-session")} .el-select__wrapper`);
  const input = await displayed(b(), `${tid("print-session")} input`);
  await input.addValue(SESSION.title);
  await click(b(), `li[data-test="print-session-option"][data-session-id="${SESSION.id}"]`);
  // 保存 PDF saves what the preview shows
  await click(b(), tid("print-preview"));
  await b().waitUntil(async () => (await b().$$(`${tid("print-pages")} canvas`)).length > 0, {
    timeout: 60_000,
    timeoutMsg: "the flyer is not previewed",
  });
  await click(b(), tid("print-save"));
  // the report of step 3 is in the folder too: the flyer is named after the session
  const pdfs = () => readdirSync(saveDir).filter((f) => f.endsWith(".pdf") && f.includes(SESSION.title));
  let name = null;
  await waitFor("the flyer in the save folder", () => (name = pdfs()[0] ?? null) !== null, 60_000);
  await waitFor("the window's audit entry", () => lastAudit().action === "print", 30_000);
  const fromWindow = lastAudit();
  const cliFile = join(cliDir, name);
  cli(db, ["print", "flyer", "--session", SESSION.id, "-o", cliFile]);
  const fromCli = lastAudit();
  assert.equal(pdftext(cliFile), pdftext(join(saveDir, name)), "the two flyers read differently");
  sameEntry(fromWindow, fromCli, "print");
});
