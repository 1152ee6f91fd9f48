// The foundation scenario, on the real app window: empty data folder (its database passphrase
// set on the first-run screen by launchApp) → demo → a new district
// with a grid → a person with a messy phone → a roster import with one bad row → restart.
// The steps depend on each other and run in order; once one fails the rest are skipped.

import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  FIXTURES,
  appPids,
  click,
  choose,
  displayed,
  fill,
  freshDataDir,
  launchApp,
  screenshot,
  texts,
  tid,
  unitNode,
  WAIT_MS,
  scenario,
  showUnit,
} from "./lib.mjs";

const SHOT = "foundation";
const ROSTER = join(FIXTURES, "roster-one-bad-row.csv");

const DISTRICT = "测试区";
const GRID = "测试网格";
const GRID_PROFILE = {
  "unit-households": "120",
  "unit-residents": "321",
  "unit-under18": "50",
  "unit-age18to59": "200",
  "unit-age60plus": "71",
  "unit-students": "40",
  "unit-elderly-alone": "9",
  "unit-finance-staff": "3",
};
const PERSON = "测试志愿者";
const MESSY_PHONE = "＋86 138-0013 8000";
const MASKED_PHONE = "138****8000";
const IMPORTED = { 导入志愿者甲: "139****5671", 导入志愿者丙: "139****5673", 导入志愿者丁: "139****5674" };
const REJECTED = "导入志愿者乙"; // spreadsheet row 3, phone 12345

const dataDir = freshDataDir("foundation");
const saveDir = join(dataDir, "..", `${dataDir.split("/").pop()}-saved`);
mkdirSync(saveDir, { recursive: true });
const appEnv = { OUTREACH_TEST_OPEN_FILE: ROSTER, OUTREACH_TEST_SAVE_DIR: saveDir };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;

const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null });

after(
  async () => {
    if (app) await app.stop();
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    // keep the data folder for a look when something failed
    if (failed()) console.error(`[e2e] data folder kept: ${dataDir}`);
    else for (const d of [dataDir, saveDir]) rmSync(d, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

// ---------------------------------------------------------------------------------------------
// helpers for this scenario

/** Waits until nothing matching the CSS selector is displayed (a closed dialog stays in the DOM, hidden). */
async function waitNoDisplayed(selector, what, timeout = WAIT_MS) {
  await b().waitUntil(async () => (await texts(b(), selector)).length === 0, {
    timeout,
    timeoutMsg: `${what} is still displayed`,
  });
}

async function selectUnit(name) {
  await showUnit(b(), name);
  await click(b(), unitNode(name));
  await b().waitUntil(async () => (await (await b().$(`${tid("unit-detail")} h3`)).getText()).trim() === name, {
    timeoutMsg: `the detail panel does not show ${name}`,
  });
}

/** Opens the unit form as a child of the selected unit. */
async function openChildForm() {
  await click(b(), tid("unit-add-child"));
  await displayed(b(), tid("unit-form"));
}

async function saveUnitForm() {
  await click(b(), tid("unit-save"));
  await waitNoDisplayed(tid("unit-form"), "the unit form (save did not close it)");
}

/** Types into the people search box and waits for the table to show only matching rows. */
async function searchPeople(text) {
  await fill(b(), "people-search", text);
  await b().waitUntil(
    async () => {
      const names = await peopleNames();
      return names.length > 0 && names.every((n) => n.includes(text));
    },
    { timeoutMsg: `the people table does not show only rows matching ${text}` },
  );
}

/** Names in the people table, read in one go (the table re-renders while the search settles). */
async function peopleNames() {
  return texts(b(), `${tid("people-table")} .el-table__body .person-name`);
}

/** The masked phone shown in the row of this person. */
async function phoneOf(name) {
  const row = await displayed(
    b(),
    `//*[@data-test="people-table"]//tr[.//*[contains(@class,"person-name")][normalize-space(.)="${name}"]]`,
  );
  return (await (await row.$(`span${tid("person-phone")}`)).getText()).trim();
}

async function tableText() {
  return (await (await displayed(b(), tid("people-table"))).getText()).replace(/\s+/g, " ");
}

// ---------------------------------------------------------------------------------------------
// the scenario

step("a. on an empty data folder the app starts and shows the empty state, in Chinese", async () => {
  console.error(`[e2e] data folder ${dataDir}`);
  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-1` });
  assert.equal(app.lockMode, "missing", "a fresh data folder asks for a new database passphrase first");
  const empty = await displayed(b(), tid("empty-state"));
  const text = await empty.getText();
  assert.match(text, /演示数据/, `empty state text: ${text}`);
  assert.equal((await b().$(tid("unit-tree")).isExisting()), false, "no unit tree on an empty database");
  const lang = await b().execute(() => document.documentElement.lang);
  assert.equal(lang, "zh-CN");
  await screenshot(b(), SHOT, "empty-state");
});

step("b. loading the demo shows 淄博市 and 临淄区 in the tree", async () => {
  await click(b(), tid("load-demo"));
  await displayed(b(), tid("unit-tree"), 30_000);
  await showUnit(b(), "淄博市");
  await showUnit(b(), "临淄区");
  await waitNoDisplayed(tid("empty-state"), "the empty state");
  await screenshot(b(), SHOT, "demo-loaded");
});

step("c. a new district under the city, with a grid whose residents roll up", async () => {
  await selectUnit("淄博市");
  await openChildForm();
  // the usual kind one level below a city is a district
  const kind = await (await displayed(b(), tid("unit-kind"))).getText();
  assert.match(kind, /区县/, `unit-kind shows ${JSON.stringify(kind)}`);
  await fill(b(), "unit-name", DISTRICT);
  await screenshot(b(), SHOT, "district-form");
  await saveUnitForm();
  await showUnit(b(), DISTRICT);

  await selectUnit(DISTRICT);
  await openChildForm();
  await fill(b(), "unit-name", GRID);
  await choose(b(), "unit-kind", "网格");
  for (const [id, value] of Object.entries(GRID_PROFILE)) await fill(b(), id, value);
  await screenshot(b(), SHOT, "grid-form");
  await saveUnitForm();
  await showUnit(b(), GRID);

  await selectUnit(DISTRICT);
  const total = await displayed(b(), tid("unit-total-residents"));
  await b().waitUntil(async () => (await total.getText()).trim() === GRID_PROFILE["unit-residents"], {
    timeoutMsg: `${DISTRICT} total residents: ${await total.getText()}`,
  });
  assert.equal(await total.getAttribute("data-value"), GRID_PROFILE["unit-residents"]);
  await screenshot(b(), SHOT, "district-totals");
});

step("d. a person with a messy phone is listed with the phone masked", async () => {
  await click(b(), tid("nav-people"));
  await click(b(), tid("person-add"));
  await displayed(b(), tid("person-form"));
  await fill(b(), "person-name", PERSON);
  await fill(b(), "person-phone", MESSY_PHONE);
  await screenshot(b(), SHOT, "person-form");
  await click(b(), tid("person-save"));
  await waitNoDisplayed(tid("person-form"), "the person form (save did not close it)");

  await searchPeople(PERSON);
  assert.deepEqual(await peopleNames(), [PERSON]);
  assert.equal(await phoneOf(PERSON), MASKED_PHONE);
  const text = await tableText();
  for (const leak of ["13800138000", "0013", "138-0013", "138 0013"]) {
    assert.ok(!text.includes(leak), `the people table shows ${leak}: ${text}`);
  }
  await screenshot(b(), SHOT, "person-masked");
});

step("e. a roster with one bad row: row 3 is reported, only the valid rows are imported", async () => {
  await click(b(), tid("people-import"));
  await displayed(b(), tid("import-dialog"));
  await click(b(), tid("import-pick"));
  await displayed(b(), tid("import-problems"), 30_000);

  assert.deepEqual(await texts(b(), tid("import-problem-row")), ["3"], "problem rows");
  const summary = (await (await displayed(b(), tid("import-summary"))).getText()).replace(/\s+/g, " ");
  assert.match(summary, /4\b.*3\b/, `import summary: ${summary}`);

  const commitAll = await displayed(b(), tid("import-commit"));
  assert.equal(await commitAll.isEnabled(), false, "全部导入 must be disabled while a row has problems");
  await screenshot(b(), SHOT, "import-preview");

  await click(b(), tid("import-commit-valid"));
  const outcome = await displayed(b(), tid("import-outcome"), 30_000);
  const outcomeText = await outcome.getText();
  assert.match(outcomeText, /新增\s*3\s*条/, `import outcome: ${outcomeText}`);
  assert.match(outcomeText, /跳过\s*1\s*条/, `import outcome: ${outcomeText}`);
  await screenshot(b(), SHOT, "import-outcome");
  await click(b(), tid("import-close"));
  await waitNoDisplayed(tid("import-dialog"), "the import dialog");

  await searchPeople("导入志愿者");
  assert.deepEqual((await peopleNames()).sort(), Object.keys(IMPORTED).sort());
  for (const [name, masked] of Object.entries(IMPORTED)) assert.equal(await phoneOf(name), masked, `phone of ${name}`);
  assert.ok(!(await tableText()).includes(REJECTED), `${REJECTED} (the bad row) must not be imported`);
  await screenshot(b(), SHOT, "imported-people");
});

step("f. after a restart on the same data folder everything is still there", async () => {
  await app.stop();
  assert.deepEqual(appPids(dataDir), [], "the app did not exit with its session");
  app = null;
  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-2` });
  assert.equal(app.lockMode, "encrypted", "the restart asks for the passphrase set at the first start");

  await displayed(b(), tid("unit-tree"), 30_000);
  await showUnit(b(), DISTRICT);
  await selectUnit(DISTRICT);
  assert.equal((await (await displayed(b(), tid("unit-total-residents"))).getText()).trim(), GRID_PROFILE["unit-residents"]);
  await screenshot(b(), SHOT, "restart-units");

  await click(b(), tid("nav-people"));
  await searchPeople(PERSON);
  assert.equal(await phoneOf(PERSON), MASKED_PHONE);
  await searchPeople("导入志愿者");
  assert.equal((await peopleNames()).length, Object.keys(IMPORTED).length);
  await screenshot(b(), SHOT, "restart-people");
});
