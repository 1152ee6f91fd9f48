// The planning scenario, on the real app window: demo data → 计划 shows the calendar → a monthly
// bench-talk series (first Saturday, 6 times) → double-booking its speaker raises a warning
// (cancel writes nothing, 仍然保存 writes) → drag one occurrence to another day in the month
// view → export the calendar as .ics. The database is checked with the CLI, which reads the same
// SQLite file while the app runs (WAL). Steps depend on each other and run in order.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  answerDialog,
  appPids,
  cli,
  click,
  dbOf,
  displayed,
  dragMouse,
  ensureCli,
  fill,
  inputOf,
  freshDataDir,
  launchApp,
  pickOption,
  scenario,
  screenshot,
  texts,
  toast as libToast,
  tid,
  typeDateTime,
  waitFor,
  waitNoDisplayed,
  WAIT_MS,
} from "./lib.mjs";

const SHOT = "plan";

// Another test file may run at the same time (node --test runs files in parallel on bigger
// machines): start from another port than foundation's default so that the two drivers do not
// race for 4444.
process.env.E2E_DRIVER_PORT ??= "4464";

const SERIES_TITLE = "测试板凳会";
const CLASH_TITLE = "测试冲突宣讲";
const SQUARE = "齐都文化广场";
const OTHER_VENUE = "齐都花园社区活动室";
const COUNT = 6;

// ---------------------------------------------------------------------------------------------
// dates (local time, as the app stores them)

const pad = (n) => String(n).padStart(2, "0");
const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** The first Saturday of the month `m0` (0-based, may overflow) of year `y`. */
function firstSaturday(y, m0) {
  const d = new Date(y, m0, 1);
  d.setDate(1 + ((6 - d.getDay() + 7) % 7));
  return d;
}
function addDays(date, n) {
  const [y, m, d] = date.split("-").map(Number);
  return ymd(new Date(y, m - 1, d + n));
}
const today = new Date();
/** The first Saturdays of next month and the five months after it. */
const OCCURRENCES = Array.from({ length: COUNT }, (_, k) => ymd(firstSaturday(today.getFullYear(), today.getMonth() + 1 + k)));
const FIRST = OCCURRENCES[0];
/** The occurrence that is dragged (the second one; the first one gets the clash). */
const DRAGGED = OCCURRENCES[1];
/** Where it goes: the Tuesday after (same month view, another week row). */
const DROP_DAY = addDays(DRAGGED, 3);

// ---------------------------------------------------------------------------------------------
// fixtures

const dataDir = freshDataDir("plan");
const db = dbOf(dataDir);
const saveDir = join(dataDir, "..", `${dataDir.split("/").pop()}-saved`);
mkdirSync(saveDir, { recursive: true });
const appEnv = { OUTREACH_TEST_SAVE_DIR: saveDir };

/** @type {Awaited<ReturnType<typeof launchApp>> | null} */
let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null });

/** @type {string} a lead speaker of the demo, free on the series' days */
let SPEAKER = "";
/** @type {string} */
let speakerId = "";

// the CLI prepares and checks the database (scripts/e2e.sh builds only the app)
before(() => ensureCli(), { timeout: 16 * 60_000 });

after(
  async () => {
    if (app) await app.stop();
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    if (failed()) console.error(`[e2e] data folder kept: ${dataDir} (saved files: ${saveDir})`);
    else for (const d of [dataDir, saveDir]) rmSync(d, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

// ---------------------------------------------------------------------------------------------
// helpers

/** All sessions, read from the database by the CLI. */
const sessions = () => cli(db, ["plan", "list", "--json"], { json: true });
const seriesSessions = () => sessions().filter((s) => s.title === SERIES_TITLE);
const clashSessions = () => sessions().filter((s) => s.title === CLASH_TITLE);

/** The n-th (1-based) element with this data-test id, as XPath (person rows repeat their ids). */
const nth = (id, n) => `(//*[@data-test="${id}"])[${n}]`;

async function openNewSessionForm() {
  await click(b(), tid("plan-new"));
  await displayed(b(), tid("session-form"));
  await displayed(b(), "input[data-test='session-title']");
}

/** Fills title, venue, kind, times and one person (lead speaker) of the open session form. */
async function fillSession({ title, venue, venueFilter, kind, date, from, to }) {
  await fill(b(), "session-title", title);
  // the venue first: a new session at a square gets the bench-talk template (kind, length,
  // roles…), which must not overwrite what is chosen below
  await pickOption(b(), tid("session-venue"), `${venue}（`, { filter: venueFilter ?? venue, prefix: true });
  if (kind) await pickOption(b(), tid("session-kind"), kind);
  await typeDateTime(b(), "session-start", `${date} ${from}`);
  await typeDateTime(b(), "session-end", `${date} ${to}`);

  // the template may have added empty person rows; use the first row, else add one
  if ((await b().$$(`${tid("session-people")} ${tid("session-person")}`)).length === 0) {
    await click(b(), tid("session-person-add"));
  }
  await pickOption(b(), nth("session-person", 1), `${SPEAKER}`, { filter: SPEAKER, prefix: true });
  await pickOption(b(), nth("session-role", 1), "主讲");
  // the start must not have moved while the rest was filled in
  assert.equal(await (await b().$(inputOf("session-start"))).getValue(), `${date} ${from}`);
  assert.equal(await (await b().$(inputOf("session-end"))).getValue(), `${date} ${to}`);
}

/** The warnings dialog, when it is displayed within `ms`; else null. */
async function warningsShown(ms) {
  try {
    return await displayed(b(), tid("plan-warnings"), ms);
  } catch {
    return null;
  }
}

async function saveForm() {
  await click(b(), tid("session-save"));
}

async function formClosed() {
  await waitNoDisplayed(b(), tid("session-form"), "the session form (save did not close it)", 20_000);
}

/** A toast with this text, or the notification that says where a file went (lib.mjs). */
const toast = (re, timeout = WAIT_MS) => libToast(b(), re, timeout);

/** Navigates the calendar (month view) with its prev/next buttons until `date`'s month is shown. */
async function calendarShowMonth(date) {
  const cell = `${tid("plan-calendar")} td.fc-daygrid-day[data-date="${date}"]:not(.fc-day-other)`;
  for (let i = 0; i < 24; i++) {
    if (await (await b().$(cell)).isExisting()) return;
    const shown = await b().execute(
      () => document.querySelector('[data-test="plan-calendar"] .fc-daygrid-day:not(.fc-day-other)')?.getAttribute("data-date") ?? "",
    );
    const button = shown && shown.slice(0, 7) > date.slice(0, 7) ? ".fc-prev-button" : ".fc-next-button";
    await click(b(), `${tid("plan-calendar")} ${button}`);
    await b().waitUntil(
      async () =>
        (await b().execute(
          () => document.querySelector('[data-test="plan-calendar"] .fc-daygrid-day:not(.fc-day-other)')?.getAttribute("data-date") ?? "",
        )) !== shown,
      { timeout: 5_000, timeoutMsg: `the calendar did not move from ${shown}` },
    );
  }
  throw new Error(`the calendar never showed the month of ${date}`);
}

/**
 * Makes the event of a session visible in the month view: either it is rendered in its day
 * cell, or the day's "+N" link opens a popover that shows it.
 */
async function showInMonth(date, id) {
  const day = `${tid("plan-calendar")} td.fc-daygrid-day[data-date="${date}"]`;
  // FullCalendar lays out the events behind "+N" too, with visibility: hidden
  const visible = async () => (await texts(b(), eventSel(id))).length > 0;
  await b().waitUntil(async () => (await visible()) || (await (await b().$(`${day} .fc-daygrid-more-link`)).isExisting()), {
    timeoutMsg: `neither the event ${id} nor a "+N" link on ${date}`,
  });
  if (await visible()) return;
  await click(b(), `${day} .fc-daygrid-more-link`);
  await displayed(b(), `.fc-popover [data-test="plan-event"][data-session-id="${id}"]`);
}

async function closeMorePopover() {
  if (await (await b().$(".fc-popover")).isExisting()) {
    await click(b(), ".fc-popover .fc-popover-close");
    await waitNoDisplayed(b(), ".fc-popover", "the day popover");
  }
}

/**
 * Waits until the calendar has its data: no loading mask, and the element of `id` (when given)
 * stays the same element for a moment. Navigating shows the events FullCalendar already has at
 * once and replaces their elements when the fetch of the new range answers; a drag that starts
 * on an element about to be replaced goes nowhere (the browser selects text instead).
 */
async function calendarIdle(id = null) {
  const mask = `${tid("plan-calendar")} .el-loading-mask`;
  await waitNoDisplayed(b(), mask, "the calendar's loading mask");
  if (!id) return;
  await b().waitUntil(
    async () =>
      b().executeAsync((sel, done) => {
        const el = document.querySelector(sel);
        setTimeout(() => done(!!el && el.isConnected && document.querySelector(sel) === el), 400);
      }, eventSel(id)),
    { timeoutMsg: `the calendar keeps re-rendering the event ${id}` },
  );
  await waitNoDisplayed(b(), mask, "the calendar's loading mask");
}

const eventSel = (id) => `${tid("plan-calendar")} [data-test="plan-event"][data-session-id="${id}"]`;

/** The date cell of the month view an event element sits in. */
async function dayOfEvent(id) {
  return b().execute((sel) => document.querySelector(sel)?.closest("td.fc-daygrid-day")?.getAttribute("data-date") ?? null, eventSel(id));
}

/** Unfolds an .ics text (RFC 5545 §3.1: a line break followed by a space or tab continues the line). */
const unfold = (text) => text.replace(/\r?\n[ \t]/g, "");

// ---------------------------------------------------------------------------------------------
// the scenario

step("1. with the demo loaded, 计划 shows the calendar with demo sessions", async () => {
  console.error(`[e2e] data folder ${dataDir}; series on ${OCCURRENCES.join(", ")}; drag ${DRAGGED} → ${DROP_DAY}`);
  cli(db, ["demo"]);
  const demo = sessions();
  assert.ok(demo.length >= 40, `the demo has ${demo.length} sessions`);

  // a lead speaker of the demo who has nothing on the series' days (so that the only clash
  // is the one made in step 3)
  const busy = new Set(demo.filter((s) => OCCURRENCES.includes(s.start.slice(0, 10))).flatMap((s) => s.people.map((p) => p.personId)));
  const speakers = new Map();
  for (const s of demo) for (const p of s.people) if (p.role === "lead_speaker" && !busy.has(p.personId)) speakers.set(p.personId, p.personName);
  const names = [...speakers.values()];
  const [id, name] = [...speakers].find(([, n]) => names.filter((x) => x === n).length === 1) ?? [];
  assert.ok(name, "the demo has a lead speaker with a unique name");
  [speakerId, SPEAKER] = [id, name];
  console.error(`[e2e] speaker ${SPEAKER} (${speakerId})`);

  app = await launchApp({ dataDir, env: appEnv, name: `${SHOT}-1` });
  await click(b(), tid("nav-plan"));
  await displayed(b(), tid("plan-calendar"));
  await displayed(b(), `${tid("plan-calendar")} ${tid("plan-event")}`, 30_000);
  const ids = await b().execute(() => [...document.querySelectorAll('[data-test="plan-event"]')].map((e) => e.getAttribute("data-session-id")));
  const known = new Set(demo.map((s) => s.id));
  assert.ok(ids.length > 0 && ids.every((x) => known.has(x)), `calendar events ${JSON.stringify(ids.slice(0, 5))}… are demo sessions`);
  await screenshot(b(), SHOT, "calendar-demo");
});

step("2. a monthly bench-talk series on the first Saturday, 6 times", async () => {
  await openNewSessionForm();
  await fillSession({ title: SERIES_TITLE, venue: SQUARE, kind: "板凳会", date: FIRST, from: "09:30", to: "11:00" });

  await click(b(), `//*[@data-test="session-repeat"]//label[.//input[@value="monthly_weekday"]]`);
  await displayed(b(), tid("session-repeat-nth"));
  // the rule follows the start: the 1st Saturday
  await pickOption(b(), tid("session-repeat-nth"), "第1个");
  await pickOption(b(), tid("session-repeat-weekday"), "周六");
  await fill(b(), "session-repeat-count", String(COUNT));
  await b().keys(["Tab"]);
  await b().waitUntil(async () => (await (await b().$(`${tid("session-repeat-count")} input`)).getValue()) === String(COUNT), {
    timeout: 5_000,
    timeoutMsg: "the repeat count is not 6",
  });
  await screenshot(b(), SHOT, "series-form");

  await saveForm();
  const dlg = await warningsShown(4_000);
  if (dlg) {
    console.error(`[e2e] series warnings: ${JSON.stringify(await texts(b(), tid("plan-warning")))}`);
    await screenshot(b(), SHOT, "series-warnings");
    await answerDialog(b(), tid("plan-warnings"), tid("plan-warnings-confirm"), "the series warnings");
  }
  await formClosed();
  await toast(new RegExp(`共 ${COUNT} 场`));

  let list = [];
  await waitFor("6 sessions of the series in the database", () => (list = seriesSessions()).length === COUNT);
  const starts = list.map((s) => s.start).sort();
  assert.deepEqual(starts, OCCURRENCES.map((d) => `${d}T09:30`), "the series' starts");
  for (const s of list) {
    const d = new Date(`${s.start.slice(0, 10)}T00:00`);
    assert.equal(d.getDay(), 6, `${s.start} is a Saturday`);
    assert.ok(d.getDate() <= 7, `${s.start} is the first Saturday`);
    assert.equal(s.end.slice(11), "11:00");
    assert.equal(s.kind, "bench_talk");
    assert.equal(s.venueName, SQUARE);
    assert.ok(s.people.some((p) => p.personId === speakerId && p.role === "lead_speaker"), `${SPEAKER} speaks at ${s.start}`);
    assert.ok(s.seriesId && s.seriesId === list[0].seriesId, "one series");
  }
  assert.equal(new Set(list.map((s) => s.id)).size, COUNT);

  await calendarShowMonth(FIRST);
  const first = list.find((s) => s.start.startsWith(FIRST));
  await displayed(b(), eventSel(first.id));
  await screenshot(b(), SHOT, "series-in-calendar");
});

step("3. double-booking the speaker warns; cancel writes nothing, 仍然保存 writes", async () => {
  const before = sessions().length;
  await openNewSessionForm();
  await fillSession({ title: CLASH_TITLE, venue: OTHER_VENUE, kind: "宣讲", date: FIRST, from: "10:00", to: "11:30" });
  await saveForm();

  const dlg = await displayed(b(), tid("plan-warnings"));
  const warnings = await texts(b(), tid("plan-warning"));
  console.error(`[e2e] clash warnings: ${JSON.stringify(warnings)}`);
  assert.ok(
    warnings.some((w) => w.includes(SPEAKER) && w.includes("已安排") && w.includes(SERIES_TITLE)),
    `a warning names ${SPEAKER} as 已安排 for ${SERIES_TITLE}: ${JSON.stringify(warnings)}`,
  );
  assert.match(await dlg.getText(), /仍然保存/);
  await screenshot(b(), SHOT, "clash-warnings");

  await answerDialog(b(), tid("plan-warnings"), tid("plan-warnings-cancel"), "the warnings dialog");
  // back in the form, nothing written
  await displayed(b(), tid("session-form"));
  await b().pause(500);
  assert.equal(sessions().length, before, "cancel must not write the session");
  assert.equal(clashSessions().length, 0);
  await screenshot(b(), SHOT, "clash-cancelled");

  await saveForm();
  await displayed(b(), tid("plan-warnings"));
  await answerDialog(b(), tid("plan-warnings"), tid("plan-warnings-confirm"), "the clash warnings");
  await formClosed();
  await waitFor("the clashing session in the database", () => clashSessions().length === 1);
  assert.equal(sessions().length, before + 1);
  const [clash] = clashSessions();
  assert.equal(clash.start, `${FIRST}T10:00`);
  assert.equal(clash.end, `${FIRST}T11:30`);
  assert.equal(clash.venueName, OTHER_VENUE);
  assert.ok(clash.people.some((p) => p.personId === speakerId));
  // in the calendar: that day is full, so the session may sit behind the day's "+N" link
  await calendarShowMonth(FIRST);
  await showInMonth(FIRST, clash.id);
  await screenshot(b(), SHOT, "clash-saved");
  await closeMorePopover();
});

step("4. dragging an occurrence to another day in the month view moves it, same time of day", async () => {
  const occ = seriesSessions().find((s) => s.start.startsWith(DRAGGED));
  assert.ok(occ, `an occurrence on ${DRAGGED}`);
  const others = seriesSessions().filter((s) => s.id !== occ.id);

  // the month view of that month
  const monthButton = `${tid("plan-calendar")} .fc-dayGridMonth-button`;
  if (!(await (await b().$(`${monthButton}.fc-button-active`)).isExisting())) await click(b(), monthButton);
  await calendarShowMonth(DRAGGED);
  const ev = eventSel(occ.id);
  await displayed(b(), ev);
  assert.equal(await dayOfEvent(occ.id), DRAGGED);
  await screenshot(b(), SHOT, "before-drag");

  const target = `${tid("plan-calendar")} td.fc-daygrid-day[data-date="${DROP_DAY}"] .fc-daygrid-day-frame`;
  // press, move in small steps, release (FullCalendar starts dragging after a few moves)
  await calendarIdle(occ.id);
  const moved = await dragMouse(b(), ev, target, { steps: 24, pauseMs: 30 });
  console.error(`[e2e] dragged ${JSON.stringify(moved)}`);

  const dlg = await warningsShown(3_000);
  if (dlg) {
    console.error(`[e2e] move warnings: ${JSON.stringify(await texts(b(), tid("plan-warning")))}`);
    await screenshot(b(), SHOT, "move-warnings");
    await answerDialog(b(), tid("plan-warnings"), tid("plan-warnings-confirm"), "the move warnings");
  }
  // the toast first: it goes after a few seconds
  await toast(/已调整到/).catch((e) => {
    throw new Error(`${e.message} — the drag did not move the event? it starts ${sessions().find((s) => s.id === occ.id)?.start} in the database`);
  });
  let now = null;
  await waitFor(
    `the occurrence to start on ${DROP_DAY} in the database`,
    () => (now = sessions().find((s) => s.id === occ.id))?.start.slice(0, 10) === DROP_DAY,
    WAIT_MS,
    250,
  ).catch((e) => {
    throw new Error(`${e.message}; it starts ${now?.start}`);
  });
  assert.equal(now.start, `${DROP_DAY}T09:30`, "the time of day stays");
  assert.equal(now.end, `${DROP_DAY}T11:00`, "the length stays");
  assert.equal(now.seriesId, occ.seriesId, "still an occurrence of the series");
  // the other occurrences did not move
  for (const o of others) assert.equal(sessions().find((s) => s.id === o.id)?.start, o.start);

  await b().waitUntil(async () => (await dayOfEvent(occ.id)) === DROP_DAY, {
    timeoutMsg: `the event is not shown on ${DROP_DAY} in the calendar`,
  });
  await screenshot(b(), SHOT, "after-drag");
});

step("5. the calendar exports as .ics with one UID per session", async () => {
  const before = new Set(readdirSync(saveDir));
  await click(b(), tid("plan-export-ics"));
  let file = null;
  await waitFor("an .ics file in the save folder", () => {
    file = readdirSync(saveDir).find((f) => f.endsWith(".ics") && !before.has(f)) ?? null;
    return file !== null;
  });
  const path = join(saveDir, file);
  await toast(/\.ics/);
  await screenshot(b(), SHOT, "ics-exported");

  // the app writes the file in one go; wait until it is complete
  await waitFor("the .ics file to be complete", () => existsSync(path) && readFileSync(path, "utf8").includes("END:VCALENDAR"));
  const text = unfold(readFileSync(path, "utf8"));
  assert.match(text, /^BEGIN:VCALENDAR/m);
  assert.ok(text.includes(SERIES_TITLE), "the series title is in the .ics");

  const events = text.split(/^BEGIN:VEVENT\r?$/m).slice(1).map((e) => e.split(/^END:VEVENT/m)[0]);
  const uidOf = (e) => e.match(/^UID:(.+?)\r?$/m)?.[1];
  const all = events.map(uidOf);
  assert.ok(all.length >= sessions().length, `${all.length} events for ${sessions().length} sessions`);
  assert.ok(all.every((u) => u && u.endsWith("@outreach-desk")), "every UID ends in @outreach-desk");
  assert.equal(new Set(all).size, all.length, "UIDs are unique");

  const series = events.filter((e) => /^SUMMARY:.*测试板凳会/m.test(e)).map(uidOf);
  assert.equal(series.length, COUNT, `${COUNT} events of the series`);
  assert.equal(new Set(series).size, COUNT, "six distinct UIDs");
  assert.deepEqual(series.sort(), seriesSessions().map((s) => `${s.id}@outreach-desk`).sort(), "the UIDs are the session ids");
  // the moved occurrence: 09:30 in Asia/Shanghai is 01:30 UTC (the .ics is written in UTC)
  const moved = seriesSessions().find((s) => s.start.startsWith(DROP_DAY));
  assert.ok(moved, "the moved occurrence");
  const movedEvent = events.find((e) => uidOf(e) === `${moved.id}@outreach-desk`);
  assert.match(movedEvent, new RegExp(`^DTSTART:${DROP_DAY.replaceAll("-", "")}T013000Z\\r?$`, "m"), movedEvent);
  console.error(`[e2e] exported ${all.length} events to ${path}`);
});
