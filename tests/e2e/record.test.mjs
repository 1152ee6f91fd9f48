// The recording scenario, on the real app window, with the demo loaded:
//  1. 记录 → 活动记录: a bench talk that has taken place is recorded with a headcount, a split by
//     audience and a photo; it becomes "held" (待审核). A split over the headcount is refused
//     with the translated error and changes nothing.
//  2. 记录 → 交接: a captain's hand-over bundle with exactly one conflict (both laptops recorded
//     the same session, 45 here and 40 there) is previewed, imported, and the conflict is
//     settled by taking the captain's version.
// The database is prepared and checked with the CLI, which reads the same SQLite file while the
// app runs (WAL). Both laptops' databases are encrypted: this one with E2E_PASSPHRASE (lib.mjs),
// the captain's with his own passphrase, which the CLI also uses for his bundle. The file dialogs are answered by the app's test seams: OUTREACH_TEST_OPEN_FILE
// names a folder holding photo.png and captain.outreach (each dialog takes the first file of its
// kind). Steps depend on each other and run in order.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import {
  appPids,
  cli,
  publicKey,
  click,
  dbFileState,
  dbOf,
  displayed,
  ensureCli,
  fill,
  freshDataDir,
  inputOf,
  launchApp,
  scenario,
  screenshot,
  texts,
  tid,
  waitFor,
  waitNoDisplayed,
  namedShot,
  toast,
  ymd,
} from "./lib.mjs";
import { Key } from "webdriverio";

const SHOT = "record";

// Other test files may run at the same time: keep off their driver ports.
process.env.E2E_DRIVER_PORT ??= "4484";

const BENCH_TITLE = "齐都文化广场反诈板凳会";
const BENCH_VENUE = "齐都文化广场";
const HANDOVER_TITLE = "测试交接宣讲"; // S2: recorded on both laptops → the conflict
const CAPTAIN_TITLE = "测试队长宣讲"; // S3: recorded by the captain only → comes in cleanly
const HEADCOUNT = 86;
const SPLIT = { elderly: 60, public: 20 };
const LOCAL_S2 = 45;
const CAPTAIN_S2 = 40;
/**
 * The captain's passphrase. His bundle carries records, so it is encrypted; the CLI encrypts it
 * with OUTREACH_PASSPHRASE, which is also the passphrase of his (encrypted) database. Typed in
 * this laptop's import dialog, whose own database has another one (E2E_PASSPHRASE).
 */
const HANDOVER_PASS = "Jixia-grid-2026";
/** cli() options for the captain's laptop. */
const CAPTAIN = { passphrase: HANDOVER_PASS };
const CAPTAIN_S3 = 33;

// ---------------------------------------------------------------------------------------------
// dates (local wall-clock time, as the app and the CLI store them)

const now = new Date();
const yesterday = ymd(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
const thisMonth = ymd(now).slice(0, 7);
/** "YYYY-MM-DDTHH:MM" (local) → Date. */
const parseLocal = (s) => {
  const [d, t] = s.split("T");
  const [y, m, day] = d.split("-").map(Number);
  const [hh, mm] = t.split(":").map(Number);
  return new Date(y, m - 1, day, hh, mm);
};
/** Recordable = planned / confirmed and started already (what the record list calls 待登记). */
const recordable = (s) => ["planned", "confirmed"].includes(s.status) && parseLocal(s.start) <= now;

// ---------------------------------------------------------------------------------------------
// a real PNG photo (a 240×160 gradient), written with zlib: no binary fixture needed

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function makePng(w = 240, h = 160) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < w; x++) {
      const p = row + 1 + x * 3;
      raw[p] = Math.round((255 * x) / w);
      raw[p + 1] = Math.round((200 * y) / h);
      raw[p + 2] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// fixtures

const dataDir = freshDataDir("record");
const db = dbOf(dataDir);
/** Scratch folder: the captain's database and the reference bundle. */
const work = mkdtempSync(join(tmpdir(), "outreach-record-work-"));
const capDb = join(work, "cap.db");
/** What the app's "open file" dialogs pick from: photo.png and captain.outreach. */
const openDir = join(work, "open");
mkdirSync(openDir, { recursive: true });
const saveDir = join(work, "saved");
mkdirSync(saveDir, { recursive: true });
const appEnv = { OUTREACH_TEST_OPEN_FILE: openDir, OUTREACH_TEST_SAVE_DIR: saveDir };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null });

/** The sessions used: S1 the bench talk recorded in the UI, S2 the conflict, S3 the captain's. */
let S1 = null;
let S2 = null;
let S3 = null;

const sessions = (file = db, opts = {}) => cli(file, ["plan", "list", "--json"], { json: true, ...opts });
const recordOf = (id, file = db) => cli(file, ["record", "show", id, "--json"], { json: true });
const openConflicts = (file = db) => cli(file, ["bundle", "conflicts", "--json"], { json: true });

/** Plans a session through the CLI (warnings such as a busy venue do not matter here). */
function planAdd({ title, kind, start, end, venueId, audiences }) {
  const args = ["plan", "add", "--title", title, "--kind", kind, "--start", start, "--end", end, "--allow-conflict"];
  if (venueId) args.push("--venue", venueId);
  for (const a of audiences) args.push("--audience", a);
  // The demo's own series may hold a session of that title at that time (its monthly bench talk
  // fell on yesterday on 6 December 2026): the one planned here is the one that was not there.
  const there = new Set(sessions().filter((s) => s.title === title && s.start === start).map((s) => s.id));
  cli(db, args);
  const made = sessions().filter((s) => s.title === title && s.start === start && !there.has(s.id));
  assert.equal(made.length, 1, `one session ${title} at ${start}`);
  return made[0];
}

before(
  () => {
    ensureCli();
    console.error(`[e2e] data folder ${dataDir}; scratch ${work}`);
    cli(db, ["demo"]);
    const demo = sessions();
    const venueId = demo.find((s) => s.venueName === BENCH_VENUE)?.venueId ?? null;
    assert.ok(venueId, `the demo has the venue ${BENCH_VENUE}`);

    // S1: the demo's 齐都文化广场 bench talk when one has taken place and is still to record
    // (the demo records its past sessions, so usually none is); else one held yesterday.
    const hasSplit = (s) => s.audiences.includes("elderly") && s.audiences.includes("public");
    const benches = demo.filter((s) => s.kind === "bench_talk" && recordable(s) && hasSplit(s));
    S1 =
      benches.find((s) => s.title === BENCH_TITLE) ??
      benches.find((s) => s.venueName === BENCH_VENUE) ??
      planAdd({
        title: BENCH_TITLE,
        kind: "bench_talk",
        start: `${yesterday}T09:30`,
        end: `${yesterday}T11:00`,
        venueId,
        audiences: ["elderly", "public"],
      });
    // S2 and S3: two talks held yesterday, planned here before the reference bundle is made, so
    // that the captain's laptop knows them.
    S2 = planAdd({ title: HANDOVER_TITLE, kind: "talk", start: `${yesterday}T14:00`, end: `${yesterday}T15:00`, venueId, audiences: ["public"] });
    S3 = planAdd({ title: CAPTAIN_TITLE, kind: "talk", start: `${yesterday}T16:00`, end: `${yesterday}T17:00`, venueId, audiences: ["public"] });
    for (const s of [S1, S2, S3]) assert.ok(recordable(s), `${s.title} ${s.start} (${s.status}) can be recorded`);
    console.error(`[e2e] S1 ${S1.id} ${S1.title} ${S1.start}; S2 ${S2.id}; S3 ${S3.id}`);

    // The captain's laptop: the reference data, then S2 and S3 recorded there. The CLI takes
    // one passphrase (OUTREACH_PASSPHRASE) for the database and the bundle: exported from this
    // laptop's encrypted database, the reference bundle is encrypted with E2E_PASSPHRASE, so the
    // captain's database is made with that one, then he changes it to his own.
    // Each laptop accepts the other's bundles once it has registered the other's signing key
    // (read off 设置 → 签名身份 and compared by fingerprint over the phone): the captain's
    // laptop the coordinator's, the coordinator the captain's, for the captain's community.
    cli(capDb, ["signer", "add", "--key", publicKey(db), "--label", "临淄区协调员", "--role", "coordinator"]);
    const ref = join(work, "ref.outreach");
    cli(db, ["bundle", "export", "--scope", "reference", "-o", ref]);
    cli(capDb, ["bundle", "import", ref]);
    cli(capDb, ["passphrase", "change"], { env: { OUTREACH_NEW_PASSPHRASE: HANDOVER_PASS } });
    assert.equal(dbFileState(capDb), "encrypted", "the captain's database is encrypted");
    const onCaptain = new Set(sessions(capDb, CAPTAIN).map((s) => s.id));
    assert.ok(onCaptain.has(S2.id) && onCaptain.has(S3.id), "the reference bundle carries S2 and S3");
    cli(capDb, ["record", "add", "--session", S2.id, "--headcount", String(CAPTAIN_S2)], CAPTAIN);
    cli(capDb, ["record", "add", "--session", S3.id, "--headcount", String(CAPTAIN_S3)], CAPTAIN);
    // … while this laptop recorded S2 differently: the one conflict.
    cli(db, ["record", "add", "--session", S2.id, "--headcount", String(LOCAL_S2)]);
    cli(capDb, ["bundle", "export", "-o", join(openDir, "captain.outreach")], CAPTAIN);
    const venueUnit = cli(db, ["venues", "list", "--json"], { json: true }).find((v) => v.name === BENCH_VENUE).unitId;
    cli(db, ["signer", "add", "--key", publicKey(capDb, CAPTAIN), "--label", "齐都花园队长", "--role", "captain", "--unit", venueUnit]);
    writeFileSync(join(openDir, "photo.png"), makePng());

    assert.equal(recordOf(S2.id).headcount, LOCAL_S2);
    assert.deepEqual(openConflicts(), [], "no conflicts before the import");
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

const rowSel = (id) => `${tid("record-table")} ${tid("record-row")}[data-session-id="${id}"]`;

/** The record-list row's state tag (待登记 / 待审核 / 已上报) of a session. */
async function rowState(id) {
  return b().execute((sel) => {
    const tr = document.querySelector(sel)?.closest("tr");
    return tr?.querySelector('[data-test="record-row-state"]')?.textContent?.trim() ?? null;
  }, rowSel(id));
}

/** Makes the record list show the month of `start` (it opens on the current month). */
async function showMonthOf(start) {
  const month = start.slice(0, 7);
  const input = await displayed(b(), inputOf("record-filter-month"));
  if ((await input.getValue()) === month) return;
  await fill(b(), "record-filter-month", month);
  await b().keys([Key.Enter]);
  await b().waitUntil(async () => (await input.getValue()) === month, {
    timeout: 5_000,
    timeoutMsg: `the month filter does not show ${month}`,
  });
  await waitNoDisplayed(b(), ".el-picker-panel", "the month picker panel", 5_000);
}

/**
 * Closes the record drawer. A click that lands while Element Plus is still animating the
 * drawer (or a toast) is ignored by it, so the click is repeated until the drawer is gone.
 */
async function closeRecordDrawer() {
  for (let attempt = 1; ; attempt++) {
    await click(b(), ".record-drawer .el-drawer__close-btn");
    try {
      await waitNoDisplayed(b(), tid("record-panel"), "the record drawer", 4_000);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/** The text of the split hint and whether it is marked "over". */
async function splitHint() {
  return b().execute(() => {
    const el = document.querySelector('[data-test="record-split-hint"]');
    return el ? { text: el.textContent.trim().replace(/\s+/g, " "), over: el.classList.contains("over") } : null;
  });
}

/** The value shown in an el-input-number of the record form. */
async function numberValue(id) {
  return (await b().$(inputOf(id))).getValue();
}

/** The field rows of the open conflict's table: { field, local, incoming, differs }. */
async function conflictFields() {
  return b().execute(() =>
    [...document.querySelectorAll('[data-test="conflict-row"] [data-test="conflict-fields"] .el-table__body tr')].map((tr) => ({
      field: tr.querySelector("td")?.textContent?.trim() ?? "",
      local: tr.querySelector('[data-test="conflict-local"]')?.textContent?.trim() ?? "",
      incoming: tr.querySelector('[data-test="conflict-incoming"]')?.textContent?.trim() ?? "",
      differs: tr.classList.contains("differs-row"),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// scenario 1: record a bench talk

step("1a. 记录 lists the bench talk as 待登记 and opens its record form", async () => {
  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-1` });
  await click(b(), tid("nav-record"));
  await displayed(b(), tid("records-panel"));
  await click(b(), tid("record-tab-sessions"));
  await displayed(b(), tid("record-table"));
  if (S1.start.slice(0, 7) !== thisMonth) await showMonthOf(S1.start);

  await displayed(b(), rowSel(S1.id), 20_000);
  assert.equal((await (await b().$(rowSel(S1.id))).getText()).trim(), S1.title);
  assert.equal(await rowState(S1.id), "待登记", "a past planned session is 待登记");
  await screenshot(b(), SHOT, "list-before");

  await click(b(), rowSel(S1.id));
  const panel = await displayed(b(), tid("record-panel"));
  await b().waitUntil(async () => (await (await panel.$("h3.s-title")).getText()).trim() === S1.title, {
    timeoutMsg: `the record form does not show ${S1.title}`,
  });
  assert.equal((await (await displayed(b(), tid("record-state"))).getText()).trim(), "待登记");
  // a new record starts from the planned times, without a headcount, one split field per audience
  assert.equal(await (await b().$(`${tid("record-start")} input`)).getValue(), S1.start.replace("T", " "));
  assert.equal(await numberValue("record-headcount"), "");
  await displayed(b(), inputOf("record-split-elderly"));
  await displayed(b(), inputOf("record-split-public"));
  // photos come after the first save
  assert.equal((await b().$$(tid("record-add-photo"))).length, 0, "no photo button before the record exists");
});

step("1b. headcount 86 split 60 elderly / 20 public is saved; the session is held", async () => {
  await fill(b(), "record-headcount", String(HEADCOUNT));
  await fill(b(), "record-split-elderly", String(SPLIT.elderly));
  await fill(b(), "record-split-public", String(SPLIT.public));
  let hint = null;
  await b().waitUntil(async () => /已分配\s*80\s*\/\s*总数\s*86/.test((hint = await splitHint())?.text ?? ""), {
    timeout: 5_000,
    timeoutMsg: `the split hint shows ${JSON.stringify(hint)}, expected 已分配 80 / 总数 86`,
  });
  assert.equal(hint.over, false, "80 of 86 is not over");
  assert.equal((await texts(b(), tid("record-split-over"))).length, 0);

  await click(b(), tid("record-save"));
  await toast(b(), /记录已保存/);
  await b().waitUntil(async () => (await (await b().$(tid("record-state"))).getText()).trim() === "待审核", {
    timeoutMsg: "the record form's state did not turn 待审核",
  });
  assert.equal((await texts(b(), tid("record-error"))).length, 0, "no error after saving");

  const r = recordOf(S1.id);
  assert.equal(r.sessionStatus, "held");
  assert.equal(r.headcount, HEADCOUNT);
  assert.deepEqual(
    [...r.audiences].sort((x, y) => x.audience.localeCompare(y.audience)),
    [
      { audience: "elderly", count: SPLIT.elderly },
      { audience: "public", count: SPLIT.public },
    ],
  );
  assert.equal(r.photos.length, 0);
});

step("1c. a photo is added and shown as a thumbnail", async () => {
  await click(b(), tid("record-add-photo"));
  const img = await displayed(b(), `img${tid("record-photo")}`);
  await toast(b(), /照片已添加/);
  // the thumbnail really decoded (a data URL made by Rust from photo.png)
  await b().waitUntil(async () => b().execute((el) => el.complete && el.naturalWidth > 0, img), {
    timeout: 5_000,
    timeoutMsg: "the thumbnail did not load",
  });
  assert.equal((await b().$$(`img${tid("record-photo")}`)).length, 1);
  assert.equal((await texts(b(), tid("record-photo-error"))).length, 0, "no photo error");
  const photoId = await img.getAttribute("data-photo-id");
  await namedShot(b(), "record-bench-talk.png");

  const r = recordOf(S1.id);
  assert.equal(r.headcount, HEADCOUNT);
  assert.equal(r.sessionStatus, "held");
  assert.equal(r.photos.length, 1, "one photo in the database");
  assert.ok(JSON.stringify(r.photos).includes(photoId), `the photo ${photoId} is the one shown`);
  assert.ok(r.audiences.some((a) => a.audience === "elderly" && a.count === SPLIT.elderly));
  assert.ok(r.audiences.some((a) => a.audience === "public" && a.count === SPLIT.public));
});

step("1d. a split over the headcount is marked and refused; nothing changes", async () => {
  await fill(b(), "record-split-elderly", "100");
  let hint = null;
  await b().waitUntil(async () => (hint = await splitHint())?.over === true, {
    timeout: 5_000,
    timeoutMsg: `the split hint is not marked over: ${JSON.stringify(hint)}`,
  });
  assert.match(hint.text, /已分配\s*120\s*\/\s*总数\s*86/);
  await displayed(b(), tid("record-split-over"));

  await click(b(), tid("record-save"));
  const err = await displayed(b(), tid("record-error"));
  const text = (await err.getText()).trim();
  assert.match(text, /超过到场总人数/, `the error is translated: ${text}`);
  assert.doesNotMatch(text, /records\.|split_over_total/, `no untranslated key in ${text}`);
  await screenshot(b(), SHOT, "split-over-refused");

  const r = recordOf(S1.id);
  assert.equal(r.headcount, HEADCOUNT, "the refused save changed nothing");
  assert.ok(r.audiences.some((a) => a.audience === "elderly" && a.count === SPLIT.elderly), "elderly is still 60");
  assert.equal(r.photos.length, 1);
});

step("1e. closed and reopened, the list shows the bench talk 待审核 and the form the saved record", async () => {
  await closeRecordDrawer();
  await b().waitUntil(async () => (await rowState(S1.id)) === "待审核", {
    timeoutMsg: `the list row of ${S1.title} is not 待审核 (it is ${await rowState(S1.id)})`,
  });

  await click(b(), rowSel(S1.id));
  await displayed(b(), tid("record-panel"));
  await b().waitUntil(async () => (await numberValue("record-headcount")) === String(HEADCOUNT), {
    timeoutMsg: "the reopened form does not show the saved headcount",
  });
  assert.equal(await numberValue("record-split-elderly"), String(SPLIT.elderly), "the refused 100 was not kept");
  assert.equal(await numberValue("record-split-public"), String(SPLIT.public));
  await displayed(b(), `img${tid("record-photo")}`);
  assert.equal((await (await b().$(tid("record-state"))).getText()).trim(), "待审核");
  await displayed(b(), tid("record-review")); // a held session with a record can be reviewed
  await closeRecordDrawer();
});

// ---------------------------------------------------------------------------------------------
// scenario 2: the captain's bundle with one conflict

step("2a. 交接: importing the captain's bundle previews one conflict", async () => {
  await click(b(), tid("record-tab-bundles"));
  await displayed(b(), tid("bundle-panel"));
  await displayed(b(), tid("conflicts-empty"));
  assert.equal((await b().$$(tid("conflict-row"))).length, 0);

  await click(b(), tid("bundle-import"));
  const dlg = await displayed(b(), tid("bundle-preview"));
  // The captain's bundle is encrypted: a wrong passphrase is refused, the right one previews.
  await fill(b(), "bundle-unlock-passphrase", "Jixia-grid-2025");
  await click(b(), tid("bundle-unlock"));
  await displayed(b(), tid("bundle-unlock-error"));
  assert.match(await (await b().$(tid("bundle-unlock-error"))).getText(), /口令不正确/);
  await fill(b(), "bundle-unlock-passphrase", HANDOVER_PASS);
  await click(b(), tid("bundle-unlock"));
  await displayed(b(), tid("bundle-count-conflicts"));
  const count = async (k) => Number(await (await b().$(tid(`bundle-count-${k}`))).getAttribute("data-value"));
  assert.equal(await count("conflicts"), 1, "exactly one conflict");
  assert.equal((await (await b().$(tid("bundle-count-conflicts"))).getText()).trim(), "1", "the shown figure");
  // the captain's record of S3 is new here, and S3 itself moved to held there
  assert.ok((await count("added")) >= 1, `added ${await count("added")}`);
  assert.ok((await count("updated")) >= 1, `updated ${await count("updated")}`);
  const dlgText = await dlg.getText();
  assert.match(dlgText, /captain\.outreach/, "the preview names the file");
  // the per-table counts: the conflict is in the records table (read from the DOM: the table
  // scrolls, and its lower rows are not displayed)
  const tables = await b().execute(() =>
    [...document.querySelectorAll('[data-test="bundle-tables"] .el-table__body tr')].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent.trim()),
    ),
  );
  const recordsRow = tables.find((r) => r[0] === "活动记录");
  assert.ok(recordsRow, `a 活动记录 row in the per-table counts: ${JSON.stringify(tables)}`);
  assert.equal(recordsRow[5], "1", `the records table has the conflict: ${JSON.stringify(recordsRow)}`);
  assert.ok(Number(recordsRow[1]) >= 1, `the captain's record of S3 is new: ${JSON.stringify(recordsRow)}`);
  assert.equal(tables.reduce((n, r) => n + Number(r[5]), 0), 1, "one conflict over all tables");
  assert.equal(await (await b().$(tid("bundle-import-confirm"))).isEnabled(), true);
  // nothing is written before 确认导入
  assert.throws(() => recordOf(S3.id), /找不到活动记录/, "S3 is not recorded here before 确认导入");
  await namedShot(b(), "bundle-preview.png");
});

step("2b. 确认导入 brings the captain's changes and lists the conflict side by side", async () => {
  await click(b(), tid("bundle-import-confirm"));
  await displayed(b(), tid("bundle-result"));
  assert.equal(Number(await (await b().$(tid("bundle-count-conflicts"))).getAttribute("data-value")), 1);
  await click(b(), tid("bundle-import-close"));
  await waitNoDisplayed(b(), tid("bundle-preview"), "the import dialog");

  // the non-conflicting change came in
  const s3 = recordOf(S3.id);
  assert.equal(s3.headcount, CAPTAIN_S3);
  assert.equal(s3.sessionStatus, "held");
  // the conflicting one did not (yet)
  assert.equal(recordOf(S2.id).headcount, LOCAL_S2);
  assert.equal(openConflicts().length, 1);

  await displayed(b(), tid("conflict-row"));
  assert.equal((await b().$$(tid("conflict-row"))).length, 1, "one conflict row");
  assert.equal((await b().$$(tid("conflicts-empty"))).length, 0);
  let fields = [];
  await b().waitUntil(async () => (fields = await conflictFields()).length > 0, { timeoutMsg: "the conflict's field table is empty" });
  const head = fields.find((f) => f.local === String(LOCAL_S2) && f.incoming === String(CAPTAIN_S2));
  assert.ok(head, `a field row shows ${LOCAL_S2} here and ${CAPTAIN_S2} in the bundle: ${JSON.stringify(fields)}`);
  assert.equal(head.differs, true, "the headcount row is highlighted as different");
  assert.match(head.field, /到场人数/, `the field is labelled in Chinese: ${head.field}`);
  assert.ok(fields.some((f) => !f.differs), "equal fields are listed too");
  // the differing rows come first
  const firstSame = fields.findIndex((f) => !f.differs);
  assert.ok(fields.slice(firstSame).every((f) => !f.differs), "differences first");
  console.error(`[e2e] conflict fields: ${JSON.stringify(fields)}`);
  await b().execute(() => document.querySelector('[data-test="conflict-row"]')?.scrollIntoView({ block: "center" }));
  await namedShot(b(), "bundle-conflict.png");
});

step("2c. 采用交接包 (confirmed) settles the conflict: 40 wins, no conflict left", async () => {
  await click(b(), tid("conflict-take-incoming"));
  const box = await displayed(b(), ".el-message-box");
  assert.match(await box.getText(), /交接包/, "the confirm box explains what happens");
  await click(b(), ".el-message-box__btns .el-button--primary");
  await toast(b(), /冲突已处理/);
  await displayed(b(), tid("conflicts-empty"));
  await b().waitUntil(async () => (await b().$$(tid("conflict-row"))).length === 0, { timeoutMsg: "the conflict row is still there" });
  assert.equal((await b().$$(tid("conflict-resolved-row"))).length, 1, "one settled conflict folded away");
  await screenshot(b(), SHOT, "conflict-resolved");

  let r = null;
  await waitFor("S2's headcount to be the captain's 40", () => (r = recordOf(S2.id)).headcount === CAPTAIN_S2).catch((e) => {
    throw new Error(`${e.message}; it is ${r?.headcount}`);
  });
  assert.equal(r.sessionStatus, "held");
  assert.deepEqual(openConflicts(), [], "no open conflicts in the database");
  // S1, recorded in scenario 1 and untouched by the captain, stays as it was
  const s1 = recordOf(S1.id);
  assert.equal(s1.headcount, HEADCOUNT);
  assert.equal(s1.photos.length, 1);
});
