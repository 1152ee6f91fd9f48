// Month-view render benchmark of the plan calendar with 2,000 sessions in a month.
// Not a *.test.mjs file: CI does not run it. Builds nothing; run it on release builds:
//
//   cargo build --release -p outreach-desk --features custom-protocol   (after npm --prefix ui run build)
//   cargo build --release -p outreach-cli
//   xvfb-run -a --server-args="-screen 0 1400x900x24" node tests/e2e/bench-month.mjs
//
// Environment:
//   OUTREACH_APP    the app (default /var/cache/outreach-desk/target/release/outreach-desk)
//   OUTREACH_CLI    the CLI (default /var/cache/outreach-desk/target/release/outreach)
//   BENCH_SESSIONS  sessions put into the month (default 2000)
//   BENCH_RUNS      measured runs (default 5)
//
// What is measured, in the page (performance.now()): from clicking FullCalendar's "next" button
// (current month → next month, the month filled by `outreach bench month`) until every day of
// that month shows its events or its day total ("共 66 场 ›") in the DOM and a
// requestAnimationFrame has passed. Between runs the calendar goes back to the current month.
// The sessions_list call is timed too (Resource Timing of Tauri's ipc:// fetch), which splits
// the figure into "query + IPC" and "rendering". The number of sessions the UI received is the
// view's count ("本视图共 N 场活动", the length of the sessions_list answer: the month and the
// neighbouring days shown in the grid).

import { rmSync } from "node:fs";

const TARGET = process.env.CARGO_TARGET_DIR || "/var/cache/outreach-desk/target";
process.env.OUTREACH_APP ||= `${TARGET}/release/outreach-desk`;
process.env.OUTREACH_CLI ||= `${TARGET}/release/outreach`;
const SESSIONS = Number(process.env.BENCH_SESSIONS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 5);

// lib.mjs reads OUTREACH_APP / OUTREACH_CLI when it is loaded
const { APP_BINARY, CLI_BINARY, cli, click, dbOf, displayed, freshDataDir, launchApp, screenshot, tid } = await import("./lib.mjs");

const pad = (n) => String(n).padStart(2, "0");
const now = new Date();
const next = new Date(now.getFullYear(), now.getMonth() + 1, 1);
const MONTH = `${next.getFullYear()}-${pad(next.getMonth() + 1)}`;
const after = new Date(next.getFullYear(), next.getMonth() + 1, 1);
const MONTH_END = `${after.getFullYear()}-${pad(after.getMonth() + 1)}-01T00:00`;
const THIS_MONTH_DAY = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-15`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

console.log(`app ${APP_BINARY}\ncli ${CLI_BINARY}`);
const dataDir = freshDataDir("bench");
const db = dbOf(dataDir);
let app = null;
let ok = false;
try {
  console.log(cli(db, ["demo"]).trim());
  console.log(cli(db, ["bench", "month", "--month", MONTH, "--sessions", String(SESSIONS)]).trim());
  const inMonth = cli(db, ["plan", "list", "--from", `${MONTH}-01T00:00`, "--to", MONTH_END, "--json"], { json: true });
  const days = [...new Set(inMonth.map((s) => s.start.slice(0, 10)))].sort();
  console.log(`${MONTH}: ${inMonth.length} sessions on ${days.length} days in the database`);

  app = await launchApp({ dataDir, name: "bench-month" });
  const b = app.browser;
  await click(b, tid("nav-plan"));
  await displayed(b, tid("plan-calendar"));
  await displayed(b, `${tid("plan-calendar")} td.fc-daygrid-day[data-date="${THIS_MONTH_DAY}"]`, 30_000);
  await displayed(b, `${tid("plan-calendar")} ${tid("plan-event")}, ${tid("plan-calendar")} ${tid("plan-day-total")}`, 30_000);

  /** Clicks a toolbar button in the page and resolves when every day in `days` shows something. */
  async function measure(button, wantDays, firstDay) {
    return b.executeAsync(
      (button, wantDays, firstDay, done) => {
        const root = document.querySelector('[data-test="plan-calendar"]');
        const ready = () => {
          if (!root.querySelector(`td.fc-daygrid-day[data-date="${firstDay}"]:not(.fc-day-other)`)) return false;
          for (const d of wantDays) {
            if (!root.querySelector(`td.fc-daygrid-day[data-date="${d}"] :is([data-test="plan-day-total"], [data-test="plan-event"])`)) return false;
          }
          return true;
        };
        let finished = false;
        let domAt = 0;
        const finish = () => {
          if (finished) return;
          finished = true;
          observer.disconnect();
          clearInterval(poll);
          domAt = performance.now();
          requestAnimationFrame(() => {
            const t1 = performance.now();
            // "本视图共 N 场活动": N is the length of the sessions_list answer
            const text = document.querySelector(".plan-view .count")?.textContent?.trim() ?? "";
            const n = Number((text.match(/\d+/) ?? [NaN])[0]);
            const dayTotals = root.querySelectorAll('[data-test="plan-day-total"]').length;
            const events = root.querySelectorAll('[data-test="plan-event"]').length;
            done({ total: t1 - t0, dom: domAt - t0, dayTotals, events, n, text });
          });
        };
        const observer = new MutationObserver(() => {
          if (ready()) finish();
        });
        observer.observe(root, { childList: true, subtree: true });
        const poll = setInterval(() => ready() && finish(), 50);
        const t0 = performance.now();
        root.querySelector(button).click();
      },
      button,
      wantDays,
      firstDay,
    );
  }

  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(".fc-next-button", days, `${MONTH}-01`);
    runs.push(r);
    console.log(`run ${i + 1}: ${ms(r.total)} (DOM complete at ${ms(r.dom)}); ${r.n} sessions received ("${r.text}")`);
    if (i === 0) await screenshot(b, "bench-month", `month-${SESSIONS}`);
    // back to the current month, fully rendered, before the next run
    await measure(".fc-prev-button", [], THIS_MONTH_DAY);
    await b.pause(300);
  }

  const totals = runs.map((r) => r.total);
  const received = runs.map((r) => r.n).filter((n) => Number.isFinite(n));

  // the same sessions_list call alone (query + IPC + JSON), straight from the page, on the
  // range the month view asks for: what of the figure above is not rendering
  await measure(".fc-next-button", days, `${MONTH}-01`);
  const ipc = await b.executeAsync((done) => {
    const dates = [...document.querySelectorAll('[data-test="plan-calendar"] td.fc-daygrid-day')].map((td) => td.getAttribute("data-date"));
    const last = new Date(`${dates[dates.length - 1]}T00:00`);
    last.setDate(last.getDate() + 1);
    const p2 = (n) => String(n).padStart(2, "0");
    const filter = { from: `${dates[0]}T00:00`, to: `${last.getFullYear()}-${p2(last.getMonth() + 1)}-${p2(last.getDate())}T00:00` };
    const out = [];
    (async () => {
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const list = await window.__TAURI_INTERNALS__.invoke("sessions_list", { filter });
        out.push({ ms: performance.now() - t0, n: list.length, bytes: JSON.stringify(list).length });
      }
      done({ filter, out });
    })().catch((e) => done({ error: String(e?.message ?? e) }));
  });
  console.log("");
  console.log(`month view of ${MONTH} with ${inMonth.length} sessions (${days.length} days), ${RUNS} runs:`);
  console.log(`  median ${ms(median(totals))}, min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}`);
  if (ipc.error) {
    console.log(`  (sessions_list alone could not be timed: ${ipc.error})`);
  } else {
    const alone = ipc.out.map((x) => x.ms);
    const render = median(totals) - median(alone);
    console.log(
      `  sessions_list alone (${ipc.filter.from} – ${ipc.filter.to}: ${ipc.out[0].n} sessions, ${Math.round(ipc.out[0].bytes / 1024)} KiB of JSON): median ${ms(median(alone))}, min ${ms(Math.min(...alone))}`,
    );
    console.log(`  so rendering (FullCalendar + the app's event code + a frame) is about ${ms(render)} of the median`);
  }
  console.log(`  sessions the UI received per run: ${received.length ? [...new Set(received)].join(", ") : "unknown"} (visible range incl. the days of the neighbouring months)`);
  console.log(`  rendered per run: ${runs[0].dayTotals} day totals, ${runs[0].events} single events`);
  ok = true;
} finally {
  if (app) await app.stop();
  if (ok) rmSync(dataDir, { recursive: true, force: true });
  else console.error(`data folder kept: ${dataDir}`);
}
process.exit(ok ? 0 : 1);
