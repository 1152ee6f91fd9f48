// One action, two front ends (issue 13): for each family of actions that both offer, the
// window and the CLI give the same result and write the same audit entry, because both are
// thin adapters over one use case in crates/app. The window is the real app (tauri-driver);
// its save dialog is answered by the test seam OUTREACH_TEST_SAVE_DIR. The CLI runs on the
// same database. Families: table export (transfer), calendar export (sessions), the report
// (reports), a printed flyer (print).
//
// The families that write no file (units, people, venues, records, visits, followups,
// materials, bundles, security) are compared on twins: before the window opens, its data
// folder is copied; the window's command (invoked as its views invoke it) acts on the original,
// the CLI on the copy, and the two results and audit entries must be the same — but for the
// ids of the rows each created and the moments they were written.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appPids, cli, click, publicKey, dbOf, displayed, E2E_PASSPHRASE, ensureCli, freshDataDir, launchApp, pickPrintSession, scenario, tid, waitFor, ymd } from "./lib.mjs";

const SHOT = "adapters";
process.env.E2E_DRIVER_PORT ??= "4544";

const dataDir = freshDataDir(SHOT);
const db = dbOf(dataDir);
const work = mkdtempSync(join(tmpdir(), "outreach-adapters-"));
const saveDir = join(work, "window");
const cliDir = join(work, "cli");
const openDir = join(work, "open");
mkdirSync(saveDir, { recursive: true });
mkdirSync(cliDir, { recursive: true });
mkdirSync(openDir, { recursive: true });
// the CLI's twin of the window's data, and a third machine that sends a bundle
const twinDir = join(work, "twin");
const peerDir = join(work, "peer");
const twin = dbOf(twinDir);
const peer = dbOf(peerDir);

let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 180_000 });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Every id of the demo the twins start from (rows, not the ones the tests create). */
let KNOWN = new Set();
const idsIn = (v) => new Set(JSON.stringify(v).match(UUID) ?? []);

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
    const reads = [["units", "tree"], ["people", "list", "--archived"], ["venues", "list", "--archived"], ["plan", "list"], ["visit", "list"], ["followup", "list"]];
    KNOWN = new Set(reads.flatMap((r) => [...idsIn(cli(db, [...r, "--json"], { json: true }))]));
    assert.ok(KNOWN.size > 200, `the demo's ids (${KNOWN.size})`);
    cpSync(dataDir, twinDir, { recursive: true });
    cpSync(dataDir, peerDir, { recursive: true });
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

/** A command of the window's, invoked in the window as its views invoke it. */
async function invoke(cmd, args = {}) {
  const r = await b().executeAsync(
    (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
    cmd,
    args,
  );
  if (r.err !== undefined) throw new Error(`${cmd} was refused: ${JSON.stringify(r.err)}`);
  return r.ok;
}

/**
 * The window's and the CLI's answers (results or audit entries), comparable: the ids of rows
 * each created — in one answer only, and not in the demo — become #1, #2, … in order of
 * appearance, and the moments of writing (createdAt, updatedAt, at) are dropped. Any other id
 * stays as it is, so an answer naming another existing row still differs.
 */
function alike(fromWindow, fromCli) {
  const [w, c] = [idsIn(fromWindow), idsIn(fromCli)];
  const fresh = (mine, theirs) => [...mine].filter((id) => !theirs.has(id) && !KNOWN.has(id));
  const rename = (v, only) => {
    const names = new Map(only.map((id, i) => [id, `#${i + 1}`]));
    const text = JSON.stringify(v, (k, x) => (/^(createdAt|updatedAt|at|seq)$/.test(k) ? undefined : x));
    return JSON.parse(text.replace(UUID, (id) => names.get(id) ?? id));
  };
  return [rename(fromWindow, fresh(w, c)), rename(fromCli, fresh(c, w))];
}

/** The newest audit entry of a database, as the CLI reads it. */
const newestAudit = (file) => cli(file, ["audit", "list", "--limit", "1", "--json"], { json: true })[0];

/** The window's result and the twin CLI's are the same, and so are their newest audit entries. */
function twins(fromWindow, fromCli, what, action = null) {
  const [w, c] = alike(fromWindow, fromCli);
  assert.deepEqual(c, w, `${what}: the CLI's result differs from the window's`);
  if (!action) return;
  const [we, ce] = alike(newestAudit(db), newestAudit(twin));
  assert.equal(we.action, action, `${what}: the window's newest audit entry is not this action's`);
  assert.deepEqual(ce, we, `${what}: the CLI's audit entry differs from the window's`);
  assert.ok(we.params.note, `${what}: the entry has a note code`);
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
/**
 * A report's text to compare: its footer's audit anchor is the log's head when it was made (the
 * window's report adds an entry before the CLI's is made), and a different anchor moves
 * pdftotext's column guesses by a space or two: both are taken out.
 */
const reportText = (file) =>
  pdftext(file)
    .replace(/审计链 [0-9a-f]{16}…/g, "审计链 <anchor>")
    .replace(/[ \t]+/g, " ");

step("0. the window opens on the demo", async () => {
  app = await launchApp({ dataDir, env: { OUTREACH_TEST_SAVE_DIR: saveDir, OUTREACH_TEST_OPEN_FILE: openDir }, name: SHOT });
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
  assert.match(pdftext(file), /审计链 [0-9a-f]{16}…/, "the report's footer carries the audit anchor");
  assert.equal(reportText(cliFile), reportText(file), "the two report PDFs read differently");
  sameEntry(fromWindow, fromCli, "report");
});

step("4. print: a session's flyer saved by both reads the same, audited alike", async () => {
  await click(b(), tid("nav-print"));
  await displayed(b(), tid("print-tab-documents"));
  await click(b(), tid("print-doc-flyer"));
  await pickPrintSession(b(), SESSION.id, SESSION.title);
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

// --- the families that write no file: the window on its data, the CLI on the twin -----------

let JIXIA = null; // a community
let GRIDS = []; // its grids

step("5. units: archiving a grid, and the tree after it", async () => {
  const tree = cli(twin, ["units", "tree", "--json"], { json: true });
  const find = (nodes, p) => nodes.flatMap((n) => (p(n.unit) ? [n] : find(n.children, p)));
  const community = find(tree, (u) => u.kind === "community" && u.name === "稷下社区")[0];
  assert.ok(community, "the demo has 稷下社区");
  JIXIA = community.unit.id;
  GRIDS = community.children.filter((n) => n.unit.kind === "grid").map((n) => n.unit);
  assert.ok(GRIDS.length >= 2, "稷下社区 has two grids");
  const grid = GRIDS[0].id;
  const fromWindow = await invoke("units_archive", { id: grid });
  const fromCli = cli(twin, ["units", "archive", grid, "--json"], { json: true });
  twins(fromWindow, fromCli, "units archive", "units.archive");
  twins(await invoke("units_tree", { includeArchived: false }), cli(twin, ["units", "tree", "--json"], { json: true }), "units tree");
});

step("6. people: a new volunteer, and a full phone number shown", async () => {
  const fromWindow = await invoke("people_save", {
    input: {
      id: null,
      name: "宋志愿",
      roles: ["volunteer", "retired_cadre"],
      phone: "13800138000",
      unitId: JIXIA,
      teamIds: [],
      topicIds: [],
      active: true,
      joinedOn: "2026-12-01",
      notes: "板凳会志愿者",
    },
  });
  const fromCli = cli(
    twin,
    ["people", "add", "--name", "宋志愿", "--role", "volunteer", "--role", "退休干部", "--phone", "13800138000", "--unit", JIXIA, "--joined", "2026-12-01", "--notes", "板凳会志愿者", "--json"],
    { json: true },
  );
  twins(fromWindow, fromCli, "people add", "people.edit");
  assert.equal(fromWindow.phoneMasked, "138****8000");
  // an audited read: the digits, and an entry naming whose they are
  const someone = cli(twin, ["people", "list", "--json"], { json: true }).find((p) => p.phoneMasked && p.id !== fromCli.id);
  const digits = await invoke("people_reveal_phone", { id: someone.id });
  assert.equal(cli(twin, ["people", "phone", someone.id]).trim(), digits);
  twins(digits, digits, "people phone", "view_phone");
});

step("7. venues: a new firm, with its staff count", async () => {
  const fromWindow = await invoke("venues_save", {
    input: {
      id: null,
      name: "鲁中纺织有限公司",
      kind: "enterprise",
      unitId: JIXIA,
      address: "稷下街道工业路 8 号",
      contactName: "刘经理",
      contactPhone: "13900000001",
      vicePrincipalId: null,
      staffCount: 320,
      letterSignedOn: null,
      notes: "",
    },
  });
  const fromCli = cli(
    twin,
    ["venues", "add", "--name", "鲁中纺织有限公司", "--kind", "企业", "--unit", JIXIA, "--address", "稷下街道工业路 8 号", "--contact", "刘经理", "--phone", "13900000001", "--staff", "320", "--json"],
    { json: true },
  );
  assert.equal(fromWindow.staffCount, 320);
  twins(fromWindow, fromCli, "venues add", "venues.edit");
});

step("8. records: a held session's record corrected", async () => {
  const held = cli(twin, ["plan", "list", "--json"], { json: true }).find((s) => s.status === "held");
  assert.ok(held, "the demo has a held session");
  const before = cli(twin, ["record", "show", held.id, "--json"], { json: true });
  const speakers = before.speakers.map((s) => ({ personId: s.personId, hours: s.hours, personName: "" }));
  await invoke("records_save", {
    input: {
      sessionId: held.id,
      actualStart: before.actualStart,
      actualEnd: before.actualEnd,
      headcount: 52,
      audiences: [
        { audience: "elderly", count: 36 },
        { audience: "public", count: 16 },
      ],
      speakers,
      materials: [],
      notes: "会后又来了五位老人",
      signinNames: [],
      reason: "",
    },
  });
  cli(twin, [
    "record", "add", "--session", held.id, "--start", before.actualStart, "--end", before.actualEnd,
    "--headcount", "52", "--split", "elderly=36,public=16",
    ...speakers.flatMap((s) => ["--speaker", `${s.personId}:${s.hours}`]),
    "--notes", "会后又来了五位老人",
  ]);
  const fromWindow = await invoke("records_get", { id: held.id });
  const fromCli = cli(twin, ["record", "show", held.id, "--json"], { json: true });
  assert.equal(fromWindow.headcount, 52);
  twins(fromWindow, fromCli, "record add", "records.save");
});

step("9. visits: door-to-door visits logged in a grid", async () => {
  const grid = GRIDS[1].id;
  const fromWindow = await invoke("visits_save", {
    input: { id: null, sessionId: null, gridId: grid, building: "3号楼", visitedOn: "2026-12-01", visited: 12, notHome: 3, refused: 1, warnings: 2, visitorIds: [], notes: "" },
  });
  cli(twin, ["visit", "add", "--grid", grid, "--building", "3号楼", "--date", "2026-12-01", "--visited", "12", "--not-home", "3", "--refused", "1", "--warnings", "2"]);
  const fromCli = cli(twin, ["visit", "list", "--grid", grid, "--json"], { json: true }).find((v) => v.building === "3号楼" && v.visitedOn === "2026-12-01");
  twins(fromWindow, fromCli, "visit add", "visits.save");
});

step("10. followups: a warned resident registered, the follow-ups scheduled", async () => {
  const grid = GRIDS[1].id;
  const today = ymd(new Date());
  const fromWindow = await invoke("followups_save", {
    input: { id: null, name: "王阿姨", phone: "13900139000", gridId: grid, workerId: null, risk: "high", warnedOn: today, method: "phone", outcome: "dissuaded", moneyStopped: true, notes: "" },
  });
  cli(twin, ["followup", "add", "--name", "王阿姨", "--phone", "13900139000", "--grid", grid, "--risk", "high", "--warned", today, "--method", "phone", "--outcome", "dissuaded", "--money-stopped"]);
  const cases = cli(twin, ["followup", "list", "--json"], { json: true }).filter((c) => c.gridId === grid && c.warnedOn === today);
  assert.equal(cases.length, 1, "one case was registered by the CLI");
  twins(await invoke("followups_get", { id: fromWindow.id }), cases[0], "followup add", "followups.save");
  // the log outlives the purge of a closed case: it does not name the resident
  assert.ok(!JSON.stringify(newestAudit(db)).includes("王阿姨"), "the audit entry names the resident");
});

step("11. materials: stock received, and the reconciliation after it", async () => {
  const fromWindow = await invoke("materials_add_move", {
    input: { materialId: "mat-flyer", kind: "receipt", fromUnitId: null, toUnitId: JIXIA, quantity: 500, movedOn: "2026-12-01", source: "区印刷厂", notes: "" },
  });
  cli(twin, ["materials", "receive", "--material", "宣传彩页", "--unit", JIXIA, "--quantity", "500", "--date", "2026-12-01", "--source", "区印刷厂"]);
  assert.equal(fromWindow.quantity, 500);
  const stock = await invoke("materials_stock", { unitId: null });
  twins(stock, cli(twin, ["materials", "stock", "--json"], { json: true }), "materials receive", "materials.stock_move");
});

step("12. bundles: a station's bundle merged by both", async () => {
  // the station (peer) adds a grid worker and hands over what changed today
  cli(peer, ["people", "add", "--name", "孙网格员", "--role", "网格员", "--unit", JIXIA]);
  const file = join(openDir, "稷下派出所.outreach");
  cli(peer, ["bundle", "export", "-o", file, "--since", ymd(new Date())]);
  // both register the station's signing key first (设置 → 签名身份 → 登记; `signer add`)
  const key = publicKey(peer);
  const signer = await invoke("signers_register", { input: { key, label: "稷下派出所", role: "coordinator", units: [] } });
  const cliSigner = cli(twin, ["signer", "add", "--key", key, "--label", "稷下派出所", "--role", "coordinator"]);
  assert.ok(cliSigner.includes(signer.fingerprint), `the CLI names the same fingerprint: ${cliSigner}`);
  // the window: pick (the test's "dialog" chooses this file), unlock, merge
  const picked = await invoke("bundles_pick");
  assert.ok(picked?.encrypted, "the bundle is encrypted");
  const preview = await invoke("bundles_unlock", { token: picked.token, passphrase: E2E_PASSPHRASE });
  const fromWindow = await invoke("bundles_commit", { token: preview.token });
  const fromCli = cli(twin, ["bundle", "import", file, "--json"], { json: true });
  assert.equal(fromWindow.added, 1, "the bundle's one new person is added");
  twins(fromWindow, fromCli, "bundle import", "bundle.import");
});

step("13. security: a captain profile added", async () => {
  const grid = GRIDS[1].id;
  const pass = "稷下网格队长-口令A1";
  const fromWindow = await invoke("profiles_save", { input: { id: null, label: "稷下第二网格队长", unitIds: [grid], passphrase: pass, confirm: pass } });
  cli(twin, ["profiles", "add", "--label", "稷下第二网格队长", "--unit", grid], { env: { OUTREACH_NEW_PASSPHRASE: pass } });
  const fromCli = cli(twin, ["profiles", "list", "--json"], { json: true }).find((p) => p.label === "稷下第二网格队长");
  twins(fromWindow, fromCli, "profiles add", "profile");
});
