// Roles on one machine, on the real app window:
//  1. a captain profile (made with the CLI, as a coordinator sets up a captain's laptop) is
//     listed on the unlock screen; the captain unlocks with their own passphrase and the
//     header says 队长：…; coordinator-only actions are disabled;
//  2. switching to the coordinator needs the database passphrase: a wrong one is refused with
//     口令不正确 and the captain stays; the right one switches, and the coordinator sees the
//     captain in 设置 → 队长身份;
//  3. the coordinator drops back to the captain without a passphrase;
//  4. the same captain through the CLI cannot export the whole people table.
// Steps depend on each other and run in order.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Key } from "webdriverio";
import {
  E2E_PASSPHRASE,
  appPids,
  cli,
  click,
  dbOf,
  displayed,
  ensureCli,
  fill,
  freshDataDir,
  launchApp,
  namedShot,
  scenario,
  sleep,
  texts,
  tid,
  uiState,
  waitNoDisplayed,
} from "./lib.mjs";

const SHOT = "roles";
process.env.E2E_DRIVER_PORT ??= "4526";

const LABEL = "稷下第一网格队长";
const GRID = "稷下第一网格";
const CAPTAIN_PASS = "稷下网格-队长口令-2026";
const WRONG = "不是这个口令-2026-wrong";

const dataDir = freshDataDir("roles");
const db = dbOf(dataDir);
/** The captain's slot is made with a low scrypt factor (debug builds honour it) to keep the test quick. */
const FAST = { OUTREACH_TEST_WORK_FACTOR: "10" };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 180_000 });

before(
  () => {
    ensureCli();
    cli(db, ["demo"]);
    cli(db, ["profiles", "add", "--label", LABEL, "--unit", GRID], { env: { ...FAST, OUTREACH_NEW_PASSPHRASE: CAPTAIN_PASS } });
    console.error(`[e2e] data folder ${dataDir}`);
  },
  { timeout: 16 * 60_000 },
);

after(
  async () => {
    if (app) await app.stop();
    app = null;
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    if (failed()) console.error(`[e2e] data folder kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

/** The header's identity badge: [role, text]. */
async function badge() {
  const el = await displayed(b(), tid("identity-badge"));
  return [await el.getAttribute("data-role"), await el.getText()];
}

async function waitForRole(role, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const el = await b().$(tid("identity-badge"));
    if ((await el.isExisting()) && (await el.getAttribute("data-role")) === role) return;
    if (Date.now() > end) throw new Error(`the identity badge did not turn ${role}`);
    await sleep(200);
  }
}

step("1. the unlock screen lists the captain; the captain unlocks with their own passphrase", async () => {
  app = await launchApp({ dataDir, name: `${SHOT}-1`, unlock: false });
  await displayed(b(), tid("unlock-profile"), 60_000);
  const captains = await texts(b(), tid("unlock-profile-captain"));
  assert.ok(captains.some((t) => t.includes(LABEL)), `the captain is offered: ${captains.join(" | ")}`);
  await namedShot(b(), "roles-unlock.png");
  await click(b(), tid("unlock-profile-captain"));
  // The database passphrase does not open a captain's slot.
  await fill(b(), "unlock-passphrase", E2E_PASSPHRASE);
  await b().keys([Key.Enter]);
  await displayed(b(), tid("unlock-error"), 60_000);
  assert.match((await texts(b(), tid("unlock-error"))).join(" "), /口令不正确/);
  await fill(b(), "unlock-passphrase", CAPTAIN_PASS);
  await b().keys([Key.Enter]);
  const end = Date.now() + 90_000;
  while ((await uiState(b())) !== "shell") {
    if (Date.now() > end) throw new Error("the shell did not open for the captain");
    await sleep(200);
  }
  const [role, text] = await badge();
  assert.equal(role, "captain");
  assert.match(text, new RegExp(`队长.*${LABEL}`));
});

step("2. as the captain, coordinator-only actions are disabled", async () => {
  await click(b(), tid("nav-units"));
  const marked = await displayed(b(), tid("coordinator-only"), 30_000);
  assert.ok(marked, "a coordinator-only action is marked on the units view");
  const button = await b().$(`${tid("coordinator-only")} button`);
  assert.equal(await button.isEnabled(), false, "and its button is disabled");
  await namedShot(b(), "roles-captain.png");
});

step("3. switching to the coordinator needs the database passphrase", async () => {
  await click(b(), tid("identity-switch"));
  await displayed(b(), tid("identity-switch-dialog"));
  await click(b(), tid("identity-switch-coordinator"));
  await fill(b(), "identity-switch-passphrase", WRONG);
  await click(b(), tid("identity-switch-submit"));
  await displayed(b(), tid("identity-switch-error"), 30_000);
  assert.match((await texts(b(), tid("identity-switch-error"))).join(" "), /口令不正确/);
  assert.equal((await badge())[0], "captain", "still the captain after a wrong passphrase");

  await fill(b(), "identity-switch-passphrase", E2E_PASSPHRASE);
  await click(b(), tid("identity-switch-submit"));
  await waitForRole("coordinator");
  await waitNoDisplayed(b(), tid("identity-switch-dialog"), "the switch dialog");

  await click(b(), tid("nav-settings"));
  await displayed(b(), tid("profiles-table"), 30_000);
  const rows = await texts(b(), tid("profile-row"));
  assert.ok(rows.some((t) => t.includes(LABEL)), `the coordinator sees the captain profile: ${rows.join(" | ")}`);
  await namedShot(b(), "roles-profiles.png");
});

step("4. the coordinator drops to the captain without a passphrase", async () => {
  await click(b(), tid("identity-switch"));
  await displayed(b(), tid("identity-switch-dialog"));
  await click(b(), tid("identity-switch-captain"));
  await displayed(b(), tid("identity-switch-no-passphrase"));
  await click(b(), tid("identity-switch-submit"));
  await waitForRole("captain");
  await app.stop();
  app = null;
});

step("5. the captain through the CLI may not export the whole people table", async () => {
  const out = join(dataDir, "people.csv");
  let refused = "";
  try {
    cli(db, ["export", "people", "--format", "csv", "-o", out], { env: { OUTREACH_PROFILE: LABEL }, passphrase: CAPTAIN_PASS });
  } catch (e) {
    refused = String(e.message);
  }
  assert.match(refused, /仅限协调员/, "the captain's export is refused");
  // The coordinator may.
  cli(db, ["export", "people", "--format", "csv", "-o", out]);
});
