// The encrypted database, on the real app window:
//  1. a fresh data folder opens on the first-run screen (设置数据库口令); a weak passphrase is
//     refused with Rust's reason and nothing is created; a good one creates the encrypted
//     database and opens the app (the demo is loaded);
//  2. after a restart the unlock screen asks for the passphrase: a wrong one says 口令不正确 and
//     stays locked, the right one opens the data; the files on disk (database, WAL, backups)
//     hold no unit name in clear;
//  3. 设置 → 更换口令 (a wrong current passphrase is refused first); 核验完整性 finds the audit
//     log's hash chain whole; after a restart the old passphrase fails and the new one works, in
//     the app and in the CLI (whose audit verify agrees);
//  4. a database an older version left unencrypted (made by the CLI without a passphrase) opens
//     on 加密现有数据: it is backed up, then encrypted with its backups.
// Nothing typed is ever echoed: the page source and the driver's log (with the app's output)
// never contain a passphrase. Steps depend on each other and run in order.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Key } from "webdriverio";
import {
  ARTIFACTS,
  E2E_OPERATOR,
  E2E_PASSPHRASE,
  appPids,
  cli,
  click,
  dbFileState,
  dbOf,
  displayed,
  ensureCli,
  fill,
  freshDataDir,
  inputOf,
  launchApp,
  namedShot,
  scenario,
  screenshot,
  texts,
  tid,
  toast,
  uiState,
  unitNode,
  unlockApp,
  waitNoDisplayed,
} from "./lib.mjs";

const SHOT = "security";

// Other test files may run at the same time: keep off their driver ports.
process.env.E2E_DRIVER_PORT ??= "4524";

/** Too short (8 characters), otherwise fine: refused with passphrase.too_short. */
const WEAK = "abc12345";
const WRONG = "反诈宣防-e2e-2025";
const NEW_PASS = "齐都网格-2026秋季宣防";
/** Units of the demo, which must never appear in clear in the files. */
const CITY = "淄博市";
const DISTRICT = "临淄区";
const EVERY_PASSPHRASE = [E2E_PASSPHRASE, WRONG, NEW_PASS, WEAK];

const dataDir = freshDataDir("security");
const db = dbOf(dataDir);
/** Scenario 4: a data folder whose database an older version left unencrypted. */
const plainDir = freshDataDir("security-plain");
const plainDb = dbOf(plainDir);

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 180_000 });
/** Names given to launchApp, whose driver logs are checked for passphrases at the end. */
const launches = [];

async function launch(dir, n, opts = {}) {
  const name = `${SHOT}-${n}`;
  launches.push(name);
  app = await launchApp({ dataDir: dir, name, unlock: false, ...opts });
  return app;
}

async function stopApp() {
  if (!app) return;
  await app.stop();
  app = null;
}

before(
  () => {
    ensureCli();
    console.error(`[e2e] data folders ${dataDir}, ${plainDir}`);
  },
  { timeout: 16 * 60_000 },
);

after(
  async () => {
    await stopApp();
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    assert.deepEqual(appPids(plainDir), [], "the app is still running after the tests");
    if (failed()) console.error(`[e2e] data folders kept: ${dataDir}, ${plainDir}`);
    else for (const d of [dataDir, plainDir]) rmSync(d, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

// ---------------------------------------------------------------------------------------------
// helpers

/** The data-test id of the focused element. */
const focusedId = () => b().execute(() => document.activeElement?.getAttribute("data-test") ?? null);

/** The texts of the unlock screen's error alert, once it shows. */
async function unlockError() {
  await displayed(b(), tid("unlock-error"), 30_000);
  return (await texts(b(), tid("unlock-error"))).join(" ");
}

/** The page as HTML must not repeat any passphrase typed (the inputs' values are not in it). */
async function assertNoPassphraseInPage() {
  const html = await b().getPageSource();
  for (const p of EVERY_PASSPHRASE) assert.ok(!html.includes(p), `the page source contains the passphrase ${p}`);
}

/** Every file of a data folder that holds data: the database, its WAL and the backups. */
function dataFiles(dir) {
  const files = [dbOf(dir), `${dbOf(dir)}-wal`].filter(existsSync);
  const backups = join(dir, "backups");
  if (existsSync(backups)) for (const f of readdirSync(backups)) files.push(join(backups, f));
  return files;
}

/** None of the files holds the demo's unit names, or SQLite's plain header. */
function assertNothingInClear(dir) {
  const files = dataFiles(dir);
  assert.ok(files.length > 0, `no data files in ${dir}`);
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const name of [CITY, DISTRICT]) {
      assert.equal(bytes.indexOf(Buffer.from(name, "utf8")), -1, `${f} contains “${name}” in clear`);
    }
    assert.notEqual(bytes.subarray(0, 15).toString("latin1"), "SQLite format 3", `${f} is a plain SQLite file`);
  }
  return files;
}

/** Runs the CLI expecting a refusal; returns its message. */
function cliRefused(file, args, opts) {
  try {
    cli(file, args, opts);
  } catch (e) {
    return String(e.message);
  }
  throw new Error(`outreach ${args.join(" ")} did not refuse`);
}

// ---------------------------------------------------------------------------------------------
// 1. first run

step("1a. a fresh data folder opens on the first-run screen: passphrase twice, with the warning", async () => {
  await launch(dataDir, 1);
  assert.equal(app.lockMode, "missing");
  const title = await displayed(b(), tid("unlock-title"));
  assert.match(await title.getText(), /首次使用：设置数据库口令/);
  const warning = (await texts(b(), tid("unlock-no-recovery"))).join(" ");
  assert.match(warning, /口令无法找回/);
  assert.match(warning, /这台电脑上的数据将无法读取/);
  await displayed(b(), inputOf("unlock-confirm"));
  // the first run asks who is working first (the audit log names them), then the passphrase
  assert.equal(await focusedId(), "unlock-operator", "the operator's name has the focus");
  await fill(b(), "unlock-operator", E2E_OPERATOR);
  assert.equal(await b().$(".shell").isExisting(), false, "no shell before the database is open");
  assert.equal(dbFileState(db), "missing");

  // the live strength hint, then the screenshot of the screen as a person fills it in
  await fill(b(), "unlock-passphrase", E2E_PASSPHRASE);
  await displayed(b(), tid("unlock-strong"));
  assert.match((await texts(b(), tid("unlock-strong"))).join(""), /口令强度合格/);
  await namedShot(b(), "unlock-setup.png");
});

step("1b. a weak passphrase is refused with its reason, and nothing is created", async () => {
  await fill(b(), "unlock-passphrase", WEAK);
  await displayed(b(), tid("unlock-issues"));
  assert.match((await texts(b(), tid("unlock-issues"))).join(" "), /口令至少需要 10 个字符（现在 8 个）/);
  await fill(b(), "unlock-confirm", WEAK);
  await b().keys([Key.Enter]);
  const message = await unlockError();
  assert.match(message, /口令至少需要 10 个字符（现在 8 个）/);
  assert.equal(await uiState(b()), "missing", "still on the first-run screen");
  assert.equal(dbFileState(db), "missing", "no database file was made");
  await screenshot(b(), SHOT, "weak-refused");
  await assertNoPassphraseInPage();
});

step("1c. a good passphrase creates the encrypted database and opens the app", async () => {
  const mode = await unlockApp(b(), E2E_PASSPHRASE);
  assert.equal(mode, "missing");
  await displayed(b(), tid("empty-state"), 30_000);
  assert.equal(dbFileState(db), "encrypted");
  assert.match((await texts(b(), tid("operator-name"))).join(""), new RegExp(E2E_OPERATOR), "the operator typed at the first run is set");
  await click(b(), tid("load-demo"));
  await displayed(b(), tid("unit-tree"), 60_000);
  await displayed(b(), unitNode(CITY));
  await displayed(b(), unitNode(DISTRICT));
  await assertNoPassphraseInPage();
});

// ---------------------------------------------------------------------------------------------
// 2. unlock after a restart

step("2a. after a restart the unlock screen asks for the passphrase; the files hold nothing in clear", async () => {
  await stopApp();
  const files = assertNothingInClear(dataDir);
  console.error(`[e2e] checked in ${files.length} files: ${files.map((f) => f.slice(dataDir.length + 1)).join(", ")}`);
  assert.match(cliRefused(db, ["passphrase", "status"], { passphrase: null }), /数据库已加密，请输入口令/);
  assert.match(cli(db, ["passphrase", "status"]), /数据库已加密/);

  await launch(dataDir, 2);
  assert.equal(app.lockMode, "encrypted");
  assert.match(await (await displayed(b(), tid("unlock-title"))).getText(), /输入口令解锁/);
  assert.equal(await b().$(inputOf("unlock-confirm")).isExisting(), false, "one field only");
  assert.equal(await focusedId(), "unlock-passphrase", "the passphrase field has the focus");
  await namedShot(b(), "unlock.png");
});

step("2b. a wrong passphrase says 口令不正确 and stays locked", async () => {
  await fill(b(), "unlock-passphrase", WRONG);
  await b().keys([Key.Enter]);
  assert.match(await unlockError(), /口令不正确/);
  assert.equal(await uiState(b()), "encrypted", "still locked");
  assert.equal(await b().$(".shell").isExisting(), false);
  assert.equal(await (await b().$(inputOf("unlock-passphrase"))).getValue(), "", "the field was emptied");
  assert.equal(await focusedId(), "unlock-passphrase", "and has the focus again");
  await screenshot(b(), SHOT, "wrong-passphrase");
  await assertNoPassphraseInPage();
});

step("2c. the right passphrase opens the data", async () => {
  await unlockApp(b(), E2E_PASSPHRASE);
  await displayed(b(), tid("unit-tree"), 30_000);
  await displayed(b(), unitNode(CITY));
});

// ---------------------------------------------------------------------------------------------
// 3. change the passphrase

step("3a. 设置 → 更换口令 refuses a wrong current passphrase, then re-keys", async () => {
  await click(b(), tid("nav-settings"));
  await click(b(), tid("settings-change-passphrase"));
  await displayed(b(), tid("change-passphrase-dialog"));
  await fill(b(), "change-passphrase-current", WRONG);
  await fill(b(), "change-passphrase-new", NEW_PASS);
  await displayed(b(), tid("change-passphrase-strong"));
  await fill(b(), "change-passphrase-confirm", NEW_PASS);
  await click(b(), tid("change-passphrase-submit"));
  await displayed(b(), tid("change-passphrase-error"), 30_000);
  assert.match((await texts(b(), tid("change-passphrase-error"))).join(" "), /口令不正确/);
  assert.equal(await (await b().$(inputOf("change-passphrase-current"))).getValue(), "", "the current field was emptied");

  await fill(b(), "change-passphrase-current", E2E_PASSPHRASE);
  await screenshot(b(), SHOT, "change-passphrase");
  await b().keys([Key.Enter]);
  await toast(b(), /口令已更换/, 60_000);
  await waitNoDisplayed(b(), tid("change-passphrase-dialog"), "the change-passphrase dialog");
  await assertNoPassphraseInPage();
});

step("3a'. 设置 → 更换数据密钥 moves the database and its backups to a new data key", async () => {
  const keyFile = join(dataDir, "outreach.db.key");
  const before = readFileSync(keyFile, "utf8");
  await click(b(), tid("settings-rekey"));
  await displayed(b(), tid("rekey-dialog"));
  await fill(b(), "rekey-current", WRONG);
  await click(b(), tid("rekey-submit"));
  await displayed(b(), tid("rekey-error"), 30_000);
  assert.match((await texts(b(), tid("rekey-error"))).join(" "), /口令不正确/);
  await fill(b(), "rekey-current", NEW_PASS);
  await screenshot(b(), SHOT, "rekey");
  await click(b(), tid("rekey-submit"));
  await toast(b(), /新的数据密钥/, 60_000);
  await waitNoDisplayed(b(), tid("rekey-dialog"), "the re-key dialog");
  // the backup Rust took before the move is listed, and the key file holds another ring
  await b().waitUntil(async () => (await texts(b(), `${tid("backups-table")} .el-table__body td`)).some((t) => t === "更换数据密钥前"), {
    timeout: 15_000,
    timeoutMsg: "the backups list does not show the backup taken before the re-key",
  });
  assert.notEqual(readFileSync(keyFile, "utf8"), before, "the key file was not rewritten");
  await assertNoPassphraseInPage();
});

step("3b. 审计日志 → 核验完整性 walks the hash chain: whole, with its entries counted", async () => {
  await click(b(), tid("audit-verify"));
  const verdict = await displayed(b(), tid("audit-verify-result"), 30_000);
  assert.equal(await verdict.getAttribute("data-broken"), "false");
  const text = await verdict.getText();
  const m = text.match(/审计日志完整：共 (\d+) 条记录/);
  assert.ok(m && Number(m[1]) >= 2, `the verdict counts the entries (the passphrase set and changed): ${text}`);
  await screenshot(b(), SHOT, "audit-verify");
});

step("3c. after a restart the old passphrase fails and the new one works (app and CLI)", async () => {
  await stopApp();
  assert.match(cli(db, ["audit", "verify"], { passphrase: NEW_PASS }), /审计日志完整/);
  assertNothingInClear(dataDir);
  assert.match(cliRefused(db, ["passphrase", "status"]), /口令不正确/);
  assert.match(cli(db, ["passphrase", "status"], { passphrase: NEW_PASS }), /数据库已加密/);

  await launch(dataDir, 3);
  assert.equal(app.lockMode, "encrypted");
  await fill(b(), "unlock-passphrase", E2E_PASSPHRASE);
  await b().keys([Key.Enter]);
  assert.match(await unlockError(), /口令不正确/);
  assert.equal(await uiState(b()), "encrypted", "the old passphrase does not open it");

  await unlockApp(b(), NEW_PASS);
  await displayed(b(), tid("unit-tree"), 30_000);
  await displayed(b(), unitNode(CITY));
  await stopApp();
});

// ---------------------------------------------------------------------------------------------
// 4. a database an older version left unencrypted

step("4a. an older plain database opens on 加密现有数据, which says a backup is taken first", async () => {
  cli(plainDb, ["demo"], { passphrase: null });
  assert.equal(dbFileState(plainDb), "plain");
  await launch(plainDir, 4);
  assert.equal(app.lockMode, "plain");
  assert.match(await (await displayed(b(), tid("unlock-title"))).getText(), /加密现有数据/);
  assert.match((await texts(b(), tid("unlock-backup-note"))).join(""), /先自动备份/);
  await fill(b(), "unlock-passphrase", E2E_PASSPHRASE);
  await displayed(b(), tid("unlock-strong"));
  await namedShot(b(), "unlock-encrypt.png");
});

step("4b. the data is backed up, then encrypted with its backups, and opens", async () => {
  await unlockApp(b(), E2E_PASSPHRASE);
  await displayed(b(), tid("unit-tree"), 30_000);
  await displayed(b(), unitNode(CITY));
  await stopApp();
  assert.equal(dbFileState(plainDb), "encrypted");
  const backups = readdirSync(join(plainDir, "backups"));
  assert.ok(backups.some((f) => f.includes("pre-encrypt")), `a backup before the encryption: ${backups.join(", ")}`);
  assertNothingInClear(plainDir);
  const units = cli(plainDb, ["units", "tree", "--json"], { json: true });
  assert.equal(units[0]?.unit?.name, CITY, "the data survived the encryption");
});

step("4c. no passphrase was written to the app's or the driver's output", async () => {
  for (const name of launches) {
    const file = join(ARTIFACTS, `${name}-tauri-driver.log`);
    if (!existsSync(file)) continue;
    const log = readFileSync(file, "utf8");
    for (const p of EVERY_PASSPHRASE) assert.ok(!log.includes(p), `${file} contains the passphrase ${p}`);
  }
});
