// The English window (issue 13): every view and every tab of it, in English, on the demo
// data, shows no Chinese character that did not come from the user's own data.
//
// User data is read back from the store through the CLI (the unit tree, the tables exported
// as CSV, the sessions, the topic library, the stock book), so what is left after taking it
// out of a view's text is the product's own words. The names of the two languages in the
// language switch (简体中文 / English) are the one exception, as in every bilingual product.
// Screenshots: tests/artifacts/english-<view>-<tab>.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appPids, cli, click, dbOf, displayed, ensureCli, freshDataDir, launchApp, namedShot, scenario, tid } from "./lib.mjs";

const SHOT = "english";
process.env.E2E_DRIVER_PORT ??= "4534";

const dataDir = freshDataDir(SHOT);
const db = dbOf(dataDir);
const work = mkdtempSync(join(tmpdir(), "outreach-english-"));
/** Every string of the user's data, longest first (so a name inside a longer title goes with it). */
let userData = [];

let app = null;
const b = () => app.browser;
const { step, failed } = scenario(test, { shot: SHOT, getBrowser: () => app?.browser ?? null, stepMs: 240_000 });

/** The languages' own names in the language choice: the one place Chinese stays. */
const ENDONYMS = ["简体中文"];
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/** Cells of a CSV file (quotes and doubled quotes understood). */
function csvCells(text) {
  const out = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === "," || c === "\n" || c === "\r") (out.push(cell), (cell = ""));
    else cell += c;
  }
  out.push(cell);
  return out;
}

/** Every string value in a JSON value. */
function jsonStrings(v, out = []) {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => jsonStrings(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => jsonStrings(x, out));
  return out;
}

before(
  () => {
    ensureCli();
    cli(db, ["demo"]);
    const strings = [];
    for (const table of ["units", "people", "venues", "sessions"]) {
      const file = join(work, `${table}.csv`);
      cli(db, ["export", table, "--format", "csv", "-o", file, "--mask-phones"]);
      // The header row is the export's own words (Chinese column names), not user data.
      const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
      strings.push(...csvCells(lines.slice(1).join("\n")));
    }
    strings.push(...jsonStrings(cli(db, ["units", "tree", "--json"], { json: true })));
    strings.push(...jsonStrings(cli(db, ["plan", "list", "--json"], { json: true })));
    for (const args of [["plan", "topics", "--json"], ["plan", "templates", "--json"], ["materials", "stock", "--json"], ["followup", "list", "--json"]]) {
      try {
        strings.push(...jsonStrings(cli(db, args, { json: true })));
      } catch (e) {
        console.error(`[e2e] ${args.join(" ")}: ${e.message.split("\n")[0]}`);
      }
    }
    // A list cell holds several values (、 or ; between them); each counts on its own.
    const parts = strings.flatMap((s) => [s, ...s.split(/[、;；,，/|]/)]).map((s) => s.trim());
    userData = [...new Set(parts.filter((s) => CJK.test(s)))].sort((a, b) => b.length - a.length);
    console.error(`[e2e] ${userData.length} strings of user data`);
  },
  { timeout: 16 * 60_000 },
);

after(
  async () => {
    if (app) await app.stop();
    assert.deepEqual(appPids(dataDir), [], "the app is still running after the tests");
    if (failed()) console.error(`[e2e] data folder kept: ${dataDir}`);
    else for (const d of [dataDir, work]) rmSync(d, { recursive: true, force: true });
  },
  { timeout: 60_000 },
);

/** The lines of the window's text that still hold Chinese once the user's data is taken out. */
async function chineseLeft() {
  const text = await b().execute(() => {
    const parts = [];
    // the view, its open drawers and dialogs, the header and the side bar
    for (const el of document.querySelectorAll("#app, .el-overlay:not([style*='display: none']), .el-popper[aria-hidden='false']")) {
      parts.push(el.innerText ?? "");
    }
    // names in attributes a person sees (placeholders, titles, aria labels)
    for (const el of document.querySelectorAll("[placeholder], [title], [aria-label]")) {
      if (el.getClientRects().length === 0) continue;
      for (const a of ["placeholder", "title", "aria-label"]) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
    }
    return parts.join("\n");
  });
  const left = [];
  for (const raw of text.split("\n")) {
    let line = raw;
    for (const s of [...userData, ...ENDONYMS]) if (line.includes(s)) line = line.split(s).join(" ");
    if (CJK.test(line)) left.push(raw.trim());
  }
  return [...new Set(left)];
}

async function settled() {
  await b().waitUntil(
    async () => b().execute(() => !document.querySelector(".el-loading-mask:not([style*='display: none'])")),
    { timeout: 30_000, timeoutMsg: "still loading" },
  );
  await new Promise((r) => setTimeout(r, 600));
}

const VIEWS = ["units", "people", "venues", "plan", "record", "print", "reports", "settings"];
const found = {};

step("1. switch the window to English", async () => {
  app = await launchApp({ dataDir, name: SHOT });
  // The language choice in 设置 (the header's switch does the same).
  await click(b(), tid("nav-settings"));
  await click(b(), `//*[@data-test="settings-locale"]//label[normalize-space(.)="English"]`);
  await b().waitUntil(async () => (await b().execute(() => document.documentElement.lang)) === "en", {
    timeout: 5_000,
    timeoutMsg: "the window did not switch to English",
  });
});

for (const view of VIEWS) {
  step(`2. ${view}: every tab in English`, async () => {
    await click(b(), tid(`nav-${view}`));
    await settled();
    const tabs = await b().execute(() =>
      [...document.querySelectorAll(".view-root .el-tabs__item")].filter((t) => t.getClientRects().length > 0).map((t) => t.id),
    );
    for (const tab of tabs.length ? tabs : [null]) {
      if (tab) {
        await click(b(), `#${tab}`);
        await settled();
      }
      const name = `${view}${tab ? `-${tab.replace(/^tab-/, "")}` : ""}`;
      // The gap list's suggestions are written from Rust's figures: open those of the first grid.
      if (name === "plan-gaps") {
        await click(b(), tid("gap-suggest"));
        await b().waitUntil(async () => (await b().$$(tid("suggest-topic"))).length > 0, {
          timeout: 15_000,
          timeoutMsg: "no suggestions for the first grid",
        });
      }
      await namedShot(b(), `english-${name}.png`);
      const left = await chineseLeft();
      if (left.length) found[name] = left;
    }
  });
}

step("3. no Chinese outside the user's data", async () => {
  assert.deepEqual(found, {}, `Chinese product text in the English window:\n${JSON.stringify(found, null, 2)}`);
});
