// Helpers for the end-to-end tests: start tauri-driver (which starts WebKitWebDriver, which
// starts the real app window), open a WebdriverIO session, save screenshots, and always tear
// everything down again — the session, the driver, and the app process it launched.
//
// Environment (all optional):
//   OUTREACH_APP        path of the app binary (default: $CARGO_TARGET_DIR/debug/outreach-desk,
//                       CARGO_TARGET_DIR defaulting to /var/cache/outreach-desk/target)
//   TAURI_DRIVER        path of tauri-driver (default: on PATH, else ~/.cargo/bin/tauri-driver)
//   NATIVE_DRIVER       path of WebKitWebDriver (default: /usr/bin/WebKitWebDriver)
//   E2E_DRIVER_PORT     port of tauri-driver (default 4444; a free one is taken if that is busy)
//   E2E_ARTIFACTS       where screenshots go (default: tests/artifacts)
//   E2E_ROOT            a system root the app runs in (the package test's clean Debian root:
//                       scripts/package-test.sh); OUTREACH_APP is then a path inside it and
//                       TAURI_DRIVER a wrapper that starts the driver there
//
// The database is encrypted (SQLCipher). launchApp answers the app's unlock screen with
// E2E_PASSPHRASE (setting it on a fresh data folder), and cli() gives the CLI the same
// passphrase in OUTREACH_PASSPHRASE, so the app unlocks what the CLI made and the other way round.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Key, remote } from "webdriverio";

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(E2E_DIR, "..", "..");
export const FIXTURES = join(E2E_DIR, "fixtures");
export const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS || join(REPO_ROOT, "tests", "artifacts"));

const TARGET_DIR = process.env.CARGO_TARGET_DIR || "/var/cache/outreach-desk/target";
export const APP_BINARY = resolve(process.env.OUTREACH_APP || join(TARGET_DIR, "debug", "outreach-desk"));
/** The app binary as this process sees it: inside E2E_ROOT when the app runs in another root. */
const APP_ON_HOST = process.env.E2E_ROOT ? join(process.env.E2E_ROOT, APP_BINARY) : APP_BINARY;
const NATIVE_DRIVER = process.env.NATIVE_DRIVER || "/usr/bin/WebKitWebDriver";

/** Default timeout of the explicit waits (waitForDisplayed, waitUntil, ...). */
export const WAIT_MS = 15_000;

/**
 * The database passphrase of every test: typed into the app's unlock screen (or set on its
 * first-run screen) and given to the CLI as OUTREACH_PASSPHRASE. Strong enough for Rust's rule
 * (≥ 10 characters, ≥ 2 kinds), and with Chinese characters, as people choose them here.
 */
export const E2E_PASSPHRASE = "反诈宣防-e2e-2026";

/** The name typed on the first-run screen: who works at this desk. */
export const E2E_OPERATOR = "王警官";

/** How long opening the database may take after the passphrase is submitted (key derivation,
 *  and for an older plain database a backup and the encryption of the file and its backups). */
export const UNLOCK_MS = 90_000;

// ---------------------------------------------------------------------------------------------
// small utilities

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function log(...args) {
  // Node's test runner shows stderr of the test file, which is what a human wants on failure.
  console.error("[e2e]", ...args);
}

function findOnPath(name) {
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function tauriDriverPath() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const onPath = findOnPath("tauri-driver");
  if (onPath) return onPath;
  const cargoHome = process.env.CARGO_HOME || join(homedir(), ".cargo");
  const inCargo = join(cargoHome, "bin", "tauri-driver");
  if (existsSync(inCargo)) return inCargo;
  throw new Error("tauri-driver not found: install it with `cargo install tauri-driver --locked`");
}

function portIsFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once("error", () => res(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => res(true)));
  });
}

function anyFreePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function pickPorts() {
  const wanted = Number(process.env.E2E_DRIVER_PORT || 4444);
  if ((await portIsFree(wanted)) && (await portIsFree(wanted + 1))) return [wanted, wanted + 1];
  const port = await anyFreePort();
  let native = await anyFreePort();
  while (native === port) native = await anyFreePort();
  log(`port ${wanted} is busy, tauri-driver gets ${port} (native ${native})`);
  return [port, native];
}

function canConnect(port) {
  return new Promise((res) => {
    const sock = connect({ port, host: "127.0.0.1" });
    sock.once("connect", () => {
      sock.destroy();
      res(true);
    });
    sock.once("error", () => res(false));
  });
}

export async function waitFor(what, fn, timeoutMs = WAIT_MS, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A fresh, empty data folder for the app. */
export function freshDataDir(tag = "e2e") {
  return mkdtempSync(join(tmpdir(), `outreach-${tag}-`));
}

/**
 * Ids of the app processes started on `dataDir` (their environment names it). Only processes
 * of our own binary, started for our own temp folder, are ever looked at or signalled.
 */
export function appPids(dataDir) {
  const pids = [];
  let entries = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const exe = readlinkSync(`/proc/${e}/exe`);
      if (exe !== APP_ON_HOST && exe !== `${APP_ON_HOST} (deleted)`) continue;
      const env = readFileSync(`/proc/${e}/environ`, "latin1").split("\0");
      if (env.includes(`OUTREACH_DATA_DIR=${dataDir}`)) pids.push(Number(e));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// driver + session

/** Drivers started by this process, killed on exit whatever happens. */
const liveDrivers = new Set();
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // the driver runs in its own process group (detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
process.on("exit", () => {
  for (const d of liveDrivers) killGroup(d, "SIGKILL");
});
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    for (const d of liveDrivers) killGroup(d, "SIGKILL");
    process.exit(130);
  });
}

/**
 * Starts tauri-driver with the app's environment, waits for its port and opens a session
 * (which launches the app). The window first shows the unlock screen (the database is
 * encrypted): with `unlock` (the default) it is answered with `passphrase` — set twice on a
 * fresh data folder or an older plain database, typed once to unlock an encrypted one — and
 * launchApp returns once the app shell is there. With `unlock: false` it returns with the
 * unlock screen (or the shell, if no unlock was needed) on screen.
 *
 * Returns { browser, dataDir, stop, port, lockMode }; lockMode is what the unlock screen asked
 * for ("missing" | "plain" | "encrypted"), or null when the shell came straight away. `stop()`
 * is safe to call more than once and never throws; it ends the session, the driver and the app.
 *
 * @param {{ dataDir: string, env?: Record<string,string>, name?: string, unlock?: boolean, passphrase?: string }} opts
 */
export async function launchApp({ dataDir, env = {}, name = "app", unlock = true, passphrase = E2E_PASSPHRASE }) {
  if (!existsSync(APP_ON_HOST)) throw new Error(`app binary not found: ${APP_ON_HOST} (build it first: scripts/e2e.sh)`);
  if (!existsSync(NATIVE_DRIVER)) throw new Error(`${NATIVE_DRIVER} not found (Debian package webkit2gtk-driver)`);
  const stale = appPids(dataDir);
  if (stale.length) throw new Error(`an app is still running on ${dataDir}: pids ${stale.join(", ")}`);

  mkdirSync(ARTIFACTS, { recursive: true });
  const [port, nativePort] = await pickPorts();
  const driverLog = join(ARTIFACTS, `${name}-tauri-driver.log`);
  const logChunks = [];
  const child = spawn(
    tauriDriverPath(),
    ["--port", String(port), "--native-port", String(nativePort), "--native-driver", NATIVE_DRIVER],
    {
      env: {
        ...process.env,
        OUTREACH_DATA_DIR: dataDir,
        // a locale every machine has (GTK warns about one that is not installed)
        LANG: process.env.E2E_LANG || "C.UTF-8",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  liveDrivers.add(child);
  child.stdout.on("data", (b) => logChunks.push(b));
  child.stderr.on("data", (b) => logChunks.push(b));
  let exited = false;
  child.once("exit", (code, sig) => {
    exited = true;
    liveDrivers.delete(child);
    logChunks.push(Buffer.from(`\n[tauri-driver exited: code ${code} signal ${sig}]\n`));
  });
  const flushLog = () => {
    try {
      writeFileSync(driverLog, Buffer.concat(logChunks));
    } catch {
      // best effort
    }
  };

  let browser = null;
  let stopped = false;
  let lockMode = null;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (browser) {
      try {
        await Promise.race([browser.deleteSession(), sleep(10_000)]);
      } catch (e) {
        log(`deleteSession failed: ${e?.message ?? e}`);
      }
    }
    if (!exited) {
      killGroup(child, "SIGTERM");
      try {
        await waitFor("tauri-driver to exit", () => exited, 5_000);
      } catch {
        killGroup(child, "SIGKILL");
        await waitFor("tauri-driver to die", () => exited, 5_000).catch(() => {});
      }
    }
    // The app was launched by WebKitWebDriver; make sure it is gone so that its data-folder
    // lock is free for the next launch.
    try {
      await waitFor("the app to exit", () => appPids(dataDir).length === 0, 5_000);
    } catch {
      for (const pid of appPids(dataDir)) {
        log(`app pid ${pid} still running after the session ended: SIGTERM`);
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // gone
        }
      }
      await waitFor("the app to exit after SIGTERM", () => appPids(dataDir).length === 0, 5_000).catch(() => {
        for (const pid of appPids(dataDir)) if (alive(pid)) process.kill(pid, "SIGKILL");
      });
    }
    flushLog();
  }

  try {
    await waitFor(`tauri-driver on port ${port}`, async () => {
      if (exited) throw new Error(`tauri-driver exited early:\n${Buffer.concat(logChunks).toString()}`);
      return canConnect(port);
    }, 20_000);

    browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: process.env.E2E_WDIO_LOG || "silent",
      connectionRetryTimeout: 60_000,
      connectionRetryCount: 1,
      waitforTimeout: WAIT_MS,
      waitforInterval: 100,
      capabilities: {
        browserName: "wry",
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: APP_BINARY },
      },
    });
    // the page is the embedded UI; wait until Vue has rendered the unlock screen (asking for
    // the passphrase, once Rust has said how the database is stored) or the shell
    try {
      await browser.waitUntil(async () => (await uiState(browser)) !== null, {
        timeout: 30_000,
        timeoutMsg: "the app window never showed the UI: neither the unlock screen nor the shell (#app stayed empty)",
      });
    } catch (e) {
      await screenshot(browser, name, "no-ui");
      const why = await whyNoUi(browser);
      throw new Error(`${e.message}\n${why}`);
    }
    const state = await uiState(browser);
    if (state === "error") {
      throw new Error(`the unlock screen could not ask Rust for the database status: ${(await texts(browser, tid("unlock-boot-error"))).join(" ")}`);
    }
    lockMode = state === "shell" ? null : state;
    if (unlock && lockMode) {
      try {
        await unlockApp(browser, passphrase);
      } catch (e) {
        await screenshot(browser, name, "unlock-failed");
        throw e;
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { browser, dataDir, stop, port, lockMode };
}

/**
 * What the window shows: "shell" (the database is open), the unlock screen's mode once it
 * knows it ("missing" | "plain" | "encrypted", or "error" when db_status failed), or null
 * while the page is still loading or asking.
 */
export async function uiState(browser) {
  return browser.execute(() => {
    if (document.readyState !== "complete") return null;
    if (document.querySelector(".shell")) return "shell";
    const mode = document.querySelector('[data-test="unlock-screen"]')?.getAttribute("data-mode");
    return mode && mode !== "checking" ? mode : null;
  });
}

/**
 * Answers the unlock screen on display with `passphrase`, as a person does: types it (twice on
 * the setup screens), presses Enter and waits for the shell. Throws with the screen's message
 * when the app refuses it. Returns the mode the screen was in.
 */
export async function unlockApp(browser, passphrase = E2E_PASSPHRASE, timeout = UNLOCK_MS) {
  const mode = await uiState(browser);
  if (mode === "shell") return null;
  if (!["missing", "plain", "encrypted"].includes(mode)) throw new Error(`no unlock screen to answer (ui state ${mode})`);
  await fill(browser, "unlock-passphrase", passphrase);
  if (mode !== "encrypted") await fill(browser, "unlock-confirm", passphrase);
  // The first run asks who works at this desk (the audit log's operator).
  if (mode === "missing") await fill(browser, "unlock-operator", E2E_OPERATOR);
  await browser.keys([Key.Enter]);
  const end = Date.now() + timeout;
  for (;;) {
    if ((await uiState(browser)) === "shell") return mode;
    const refused = await texts(browser, tid("unlock-error"));
    if (refused.length) throw new Error(`the app refused the passphrase (${mode}): ${refused.join(" ")}`);
    if (Date.now() > end) throw new Error(`the app shell did not appear within ${timeout} ms after the passphrase was submitted (${mode})`);
    await sleep(200);
  }
}

/**
 * The UI did not mount: find out why. A script module that threw while it was evaluated
 * leaves no trace a WebDriver client can read (no console log in WebKitWebDriver), so each
 * module of the page is imported again under a fresh URL, which evaluates it once more and
 * rejects with the error it throws.
 */
async function whyNoUi(browser) {
  try {
    const found = await browser.executeAsync((done) => {
      const urls = [
        ...[...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.href),
        ...[...document.querySelectorAll('script[type="module"]')].map((s) => s.src),
      ].filter(Boolean);
      const out = [`location ${location.href}; Object.prototype frozen: ${Object.isFrozen(Object.prototype)}`];
      (async () => {
        for (const u of urls) {
          try {
            await import(`${u}${u.includes("?") ? "&" : "?"}e2e-diagnose=${Date.now()}`);
            out.push(`${u}: evaluates fine`);
          } catch (err) {
            out.push(`${u}: THROWS ${err}\n${String(err && err.stack).split("\n").slice(0, 4).join("\n")}`);
            break; // later modules import this one and would only repeat the error
          }
        }
        done(out.join("\n"));
      })();
    });
    return `diagnosis (modules re-imported in the window):\n${found}`;
  } catch (err) {
    return `(diagnosis failed: ${err?.message ?? err})`;
  }
}

// ---------------------------------------------------------------------------------------------
// screenshots

let shotNo = 0;
/** Saves a screenshot as tests/artifacts/<prefix>-NN-<name>.png; never throws. */
export async function screenshot(browser, prefix, name) {
  shotNo += 1;
  const file = join(ARTIFACTS, `${prefix}-${String(shotNo).padStart(2, "0")}-${name}.png`);
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    // let the last DOM change reach the screen first (two animation frames)
    await browser
      .executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))
      .catch(() => {});
    await browser.saveScreenshot(file);
    return file;
  } catch (e) {
    log(`screenshot ${file} failed: ${e?.message ?? e}`);
    return null;
  }
}

/** On failure: a screenshot and the page's HTML next to it. Never throws. */
export async function saveFailure(browser, prefix, name) {
  if (!browser) return;
  const file = await screenshot(browser, prefix, `FAILED-${name}`);
  try {
    const html = await browser.getPageSource();
    writeFileSync((file ?? join(ARTIFACTS, `${prefix}-FAILED-${name}.png`)).replace(/\.png$/, ".html"), html);
  } catch {
    // best effort
  }
}

// ---------------------------------------------------------------------------------------------
// UI helpers (Element Plus)

/** XPath string literal for any text. */
function xpathLiteral(s) {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `concat(${s.split('"').map((p) => `"${p}"`).join(`, '"', `)})`;
}

/** Selector of an element by its data-test id. */
export const tid = (id) => `[data-test="${id}"]`;

/** The real <input> of an el-input, whether data-test sits on the input or on its wrapper. */
export const inputOf = (id) => `input[data-test="${id}"], [data-test="${id}"] input`;

/** Waits until exactly the displayed element matching `selector` is there and returns it. */
export async function displayed(browser, selector, timeout = WAIT_MS) {
  let found = null;
  await browser.waitUntil(
    async () => {
      for (const el of await browser.$$(selector)) {
        if (await el.isDisplayed()) {
          found = el;
          return true;
        }
      }
      return false;
    },
    { timeout, timeoutMsg: `no displayed element for ${selector} after ${timeout} ms` },
  );
  return found;
}

/**
 * Clicks the displayed element matching `selector`. A click that lands on something else
 * (a dialog still fading in or out, a message toast) is tried again until `timeout`.
 */
export async function click(browser, selector, timeout = WAIT_MS) {
  const end = Date.now() + timeout;
  for (;;) {
    const el = await displayed(browser, selector, Math.max(1_000, end - Date.now()));
    try {
      await el.waitForClickable({ timeout: Math.max(1_000, end - Date.now()) });
      await stillOnScreen(browser, el);
      await el.click();
      return el;
    } catch (e) {
      const retry = /intercepted|not interactable|stale|not clickable/i.test(String(e?.message ?? e));
      if (!retry || Date.now() > end) throw new Error(`clicking ${selector}: ${e?.message ?? e}`);
      await sleep(150);
    }
  }
}

/**
 * Waits (up to 2 s) until `el` keeps the same box over two animation frames. A dialog fading in
 * slides by 20 px: WebDriver reads the button's centre, then clicks there a moment later, and a
 * click on a button still moving can land on the dialog's footer instead (seen once in CI).
 */
async function stillOnScreen(browser, el) {
  const end = Date.now() + 2_000;
  while (Date.now() < end) {
    const still = await browser
      .executeAsync((node, done) => {
        const box = () => JSON.stringify(node.getBoundingClientRect());
        const a = box();
        requestAnimationFrame(() => requestAnimationFrame(() => done(a === box())));
      }, el)
      .catch(() => true);
    if (still) return;
  }
}

/**
 * Answers a dialog: clicks `button`, then waits for `dialog` to go. A click that did not take
 * (the dialog still there after a while) is made again.
 */
export async function answerDialog(browser, dialog, button, what = dialog, timeout = WAIT_MS) {
  const end = Date.now() + timeout;
  for (;;) {
    await click(browser, button, Math.max(1_000, end - Date.now()));
    const gone = await browser
      .waitUntil(async () => (await texts(browser, dialog)).length === 0, { timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    if (gone) return;
    if (Date.now() > end) throw new Error(`${what} is still open after clicking ${button}`);
    log(`${what}: still open after clicking ${button}; clicking again`);
    if ((await texts(browser, button)).length === 0) {
      await waitNoDisplayed(browser, dialog, what, Math.max(1_000, end - Date.now()));
      return;
    }
  }
}

/**
 * The trimmed texts of the displayed elements matching a CSS selector, read in one go (no
 * stale elements while Vue re-renders). "Displayed" = laid out and not visibility:hidden.
 */
export async function texts(browser, selector) {
  return browser.execute(
    (sel) =>
      [...document.querySelectorAll(sel)]
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
        .map((el) => (el.textContent ?? "").trim()),
    selector,
  );
}

/**
 * Types into an el-input: clears it and sends the keys, then checks that the input holds
 * the text (Vue's v-model listens to the input event that typing fires).
 */
export async function fill(browser, id, text) {
  // `click` retries while a drawer or dialog is still sliding in over the field.
  const el = await click(browser, inputOf(id));
  // WebDriver's "clear" fires no input event, so Vue's model keeps the old value and puts it
  // back: delete the text as a person would (select all, Backspace) instead.
  if ((await el.getValue()) !== "") {
    await browser.keys([Key.Ctrl, "a"]);
    await browser.keys([Key.Backspace]);
  }
  if ((await el.getValue()) !== "") {
    await browser.execute((input) => {
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }, el);
  }
  await el.addValue(text);
  await browser.waitUntil(async () => (await el.getValue()) === text, {
    timeout: 5_000,
    timeoutMsg: `input ${id} holds ${JSON.stringify(await el.getValue())}, expected ${JSON.stringify(text)}`,
  });
  return el;
}

/** Opens an el-select by its data-test id and clicks the displayed option with this label. */
export async function choose(browser, id, label) {
  await click(browser, `${tid(id)} .el-select__wrapper, ${tid(id)}`);
  const option = `//li[contains(concat(" ", normalize-space(@class), " "), " el-select-dropdown__item ")][normalize-space(.)=${xpathLiteral(label)}]`;
  await click(browser, option);
  await browser.waitUntil(
    async () => (await (await browser.$(`${tid(id)} .el-select__selected-item:not(.is-hidden)`)).getText()).trim() === label,
    { timeout: 5_000, timeoutMsg: `select ${id} does not show ${label}` },
  );
}

/** The tree node (the name <span>) of a unit, by its exact name. */
export const unitNode = (name) => `//*[@data-test="unit-node"][normalize-space(.)=${xpathLiteral(name)}]`;

/**
 * The displayed tree node of a unit, by its exact name, scrolled into the tree first: the unit
 * tree (el-tree-v2) draws only the rows in sight, so a unit further down is not in the page
 * until its list scrolls there. Steps down the list (from the top again at its end) until the
 * row is drawn; the unit must be under opened units.
 */
export async function showUnit(browser, name, timeout = WAIT_MS) {
  const selector = unitNode(name);
  await browser.waitUntil(
    () =>
      browser.execute((xpath) => {
        const found = document.evaluate(xpath, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
        const list = document.querySelector('[data-test="unit-tree"] .el-vl__window');
        if (found) {
          const row = found.getBoundingClientRect();
          const box = list?.getBoundingClientRect();
          // in sight inside the list's box; a row drawn ahead just outside it is scrolled to the middle
          if (!box || (row.top >= box.top - 1 && row.bottom <= box.bottom + 1)) return true;
          list.scrollTop += row.top - box.top - box.height / 2;
          return false;
        }
        if (!list) return false;
        const end = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
        list.scrollTop = end ? 0 : list.scrollTop + Math.max(32, list.clientHeight - 64);
        return false;
      }, selector),
    { timeout, interval: 150, timeoutMsg: `no row for the unit ${name} in the unit tree after ${timeout} ms` },
  );
  return displayed(browser, selector, timeout);
}

// ---------------------------------------------------------------------------------------------
// additions for the planning scenario (plan.test.mjs) and the month benchmark (bench-month.mjs)

/** The command-line tool, which works on the same database file as the app. */
export const CLI_BINARY = resolve(process.env.OUTREACH_CLI || join(TARGET_DIR, "debug", "outreach"));

/**
 * Runs the CLI on a database (`outreach --db <db> ...args`) and returns its stdout; throws
 * with its output when it fails. `json: true` parses stdout.
 *
 * The CLI reads the database passphrase from OUTREACH_PASSPHRASE (the same variable is the
 * passphrase of the bundles it exports and imports). Every database of the tests is encrypted
 * with E2E_PASSPHRASE, so that is what it gets unless told otherwise: `passphrase` names
 * another one (a captain's laptop), `passphrase: null` runs it without any (which leaves a new
 * database unencrypted, as an older version made it). A missing database is created encrypted
 * with the passphrase; a plain one stays plain (the variable then serves bundles only).
 */
export function cli(db, args, { json = false, binary = CLI_BINARY, timeoutMs = 300_000, env = {}, passphrase = E2E_PASSPHRASE } = {}) {
  if (!existsSync(binary)) throw new Error(`CLI binary not found: ${binary} (cargo build -p outreach-cli)`);
  const childEnv = { ...process.env };
  delete childEnv.OUTREACH_PASSPHRASE;
  if (passphrase !== null) childEnv.OUTREACH_PASSPHRASE = passphrase;
  Object.assign(childEnv, env);
  const r = spawnSync(binary, ["--db", db, ...args], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    env: childEnv,
  });
  if (r.error) throw new Error(`outreach ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`outreach ${args.join(" ")} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return json ? JSON.parse(r.stdout) : r.stdout;
}

/** A database's signing key (`outreach identity`), the text 设置 → 签名身份 offers to copy. */
export function publicKey(db, options = {}) {
  const m = cli(db, ["identity"], options).match(/ed25519:[A-Za-z0-9+/=]+/);
  if (!m) throw new Error(`no signing key printed for ${db}`);
  return m[0];
}

/**
 * Makes sure the CLI is there and current: unless OUTREACH_CLI names one, runs
 * `cargo build -p outreach-cli` (a no-op when it is up to date; scripts/e2e.sh builds only the
 * app). Without cargo an existing binary is used as it is.
 */
export function ensureCli() {
  if (!process.env.OUTREACH_CLI && findOnPath("cargo")) {
    log("cargo build -p outreach-cli");
    const r = spawnSync("cargo", ["build", "-p", "outreach-cli"], {
      cwd: REPO_ROOT,
      env: { ...process.env, CARGO_TARGET_DIR: TARGET_DIR },
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 15 * 60_000,
    });
    if (r.status !== 0) throw new Error(`cargo build -p outreach-cli failed (${r.error?.message ?? `exit ${r.status}`})`);
  }
  if (!existsSync(CLI_BINARY)) throw new Error(`CLI binary not found: ${CLI_BINARY} (cargo build -p outreach-cli)`);
  return CLI_BINARY;
}

/** The database file of a data folder (what the app opens with OUTREACH_DATA_DIR). */
export const dbOf = (dataDir) => join(dataDir, "outreach.db");

/**
 * How a database file is stored, read from its first bytes as the app does: "missing" (or
 * empty), "plain" (SQLite's header) or "encrypted" (whole pages of random-looking bytes).
 */
export function dbFileState(file) {
  if (!existsSync(file) || statSync(file).size === 0) return "missing";
  const head = Buffer.alloc(16);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString("latin1") === "SQLite format 3\0" ? "plain" : "encrypted";
}

/** Waits until nothing matching the CSS selector is displayed (a closed dialog may stay in the DOM, hidden). */
export async function waitNoDisplayed(browser, selector, what = selector, timeout = WAIT_MS) {
  await browser.waitUntil(async () => (await texts(browser, selector)).length === 0, {
    timeout,
    timeoutMsg: `${what} is still displayed`,
  });
}

/**
 * Picks an option of an el-select / el-select-v2 found by `selector` (CSS or XPath, e.g. the
 * n-th person row): opens it, types `filter` when given (filterable selects), and clicks the
 * displayed option whose text is `label` or, with `prefix: true`, starts with it. Returns the
 * text of the option clicked.
 */
export async function pickOption(browser, selector, label, { filter = null, prefix = false } = {}) {
  const xp = selector.startsWith("/") || selector.startsWith("(");
  const wrapper = xp ? `${selector}//*[contains(@class,"el-select__wrapper")]` : `${selector} .el-select__wrapper`;
  await click(browser, wrapper);
  if (filter !== null) {
    const input = await displayed(browser, xp ? `${selector}//input` : `${selector} input`);
    await input.addValue(filter);
  }
  const match = prefix ? `starts-with(normalize-space(.), ${xpathLiteral(label)})` : `normalize-space(.)=${xpathLiteral(label)}`;
  const option = `//li[contains(concat(" ", normalize-space(@class), " "), " el-select-dropdown__item ")][${match}]`;
  const el = await click(browser, option);
  const text = (await el.getText().catch(() => label)).trim();
  const shown = xp
    ? `${selector}//*[contains(@class,"el-select__selected-item")][not(contains(@class,"is-hidden"))]`
    : `${selector} .el-select__selected-item:not(.is-hidden)`;
  await browser.waitUntil(
    async () => {
      for (const s of await browser.$$(shown)) {
        const t = (await s.getText().catch(() => "")).trim();
        if (t && (prefix ? t.startsWith(label) : t === label)) return true;
      }
      return false;
    },
    { timeout: 5_000, timeoutMsg: `select ${selector} does not show ${label}` },
  );
  return text || label;
}

/**
 * Types a date-time into an el-date-picker's input (found by its data-test id) and presses
 * Enter, as a person does ("2026-12-05 09:30"); waits until the input shows it and the picker
 * panel is closed again.
 */
export async function typeDateTime(browser, id, text) {
  const el = await fill(browser, id, text);
  await browser.keys([Key.Enter]);
  await browser.waitUntil(async () => (await el.getValue()) === text, {
    timeout: 5_000,
    timeoutMsg: `date input ${id} holds ${JSON.stringify(await el.getValue())}, expected ${JSON.stringify(text)}`,
  });
  // Enter closes the panel (after its fade-out). No Escape here: in a dialog it would close
  // the dialog as well.
  await waitNoDisplayed(browser, ".el-picker-panel.el-date-picker", "the date picker panel", 5_000);
  return el;
}

/** The centre of an element in viewport coordinates (CSS pixels), rounded. */
export async function centreOf(browser, selector) {
  return browser.execute((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    el.scrollIntoView({ block: "nearest", inline: "nearest" });
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2), w: r.width, h: r.height };
  }, selector);
}

/**
 * Drags with the mouse as a person does: press on `from`, move in `steps` small steps (with
 * pauses) to `to`, release. Both are CSS selectors of elements; `fromOffset` / `toOffset`
 * move the points away from the centres. Libraries such as FullCalendar only start a drag
 * after a few intermediate mouse moves, which one long move does not give them.
 */
export async function dragMouse(browser, from, to, { steps = 20, pauseMs = 25, holdMs = 150, fromOffset = { x: 0, y: 0 }, toOffset = { x: 0, y: 0 } } = {}) {
  const a = await centreOf(browser, from);
  const b = await centreOf(browser, to);
  if (!a) throw new Error(`drag: nothing matches ${from}`);
  if (!b) throw new Error(`drag: nothing matches ${to}`);
  const x0 = a.x + fromOffset.x;
  const y0 = a.y + fromOffset.y;
  const x1 = b.x + toOffset.x;
  const y1 = b.y + toOffset.y;
  const act = browser.action("pointer", { parameters: { pointerType: "mouse" } });
  act.move({ x: x0, y: y0, origin: "viewport", duration: 0 }).down({ button: 0 }).pause(holdMs);
  for (let i = 1; i <= steps; i++) {
    const x = Math.round(x0 + ((x1 - x0) * i) / steps);
    const y = Math.round(y0 + ((y1 - y0) * i) / steps);
    act.move({ x, y, origin: "viewport", duration: 0 }).pause(pauseMs);
  }
  act.pause(holdMs).up({ button: 0 });
  await act.perform();
  await browser.releaseActions().catch(() => {});
  return { from: { x: x0, y: y0 }, to: { x: x1, y: y1 } };
}

/** Saves a screenshot under exactly this file name in tests/artifacts, after the next paint. */
export async function namedShot(browser, file) {
  await browser
    .executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))
    .catch(() => {});
  mkdirSync(ARTIFACTS, { recursive: true });
  await browser.saveScreenshot(join(ARTIFACTS, file));
  log(`screenshot ${join(ARTIFACTS, file)}`);
}

/** Waits for a toast (Element Plus' ElMessage) whose text matches `re`. */
export async function toast(browser, re, timeout = 15_000) {
  let last = [];
  await browser.waitUntil(
    async () => {
      // toasts, and the notification that says where a file was saved
      last = await texts(browser, ".el-message .el-message__content, .el-notification__group");
      return last.some((t) => re.test(t));
    },
    { timeout, timeoutMsg: `no message matching ${re} (shown: ${JSON.stringify(last)})` },
  );
}

/** A local date as YYYY-MM-DD. */
export const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/**
 * Runs the steps of a scenario in order, node:test style: a step is skipped after an earlier
 * one failed; on failure (or after `stepMs`) a screenshot and the page's HTML are saved.
 * `getBrowser()` returns the current browser (or null). Returns `{ step, failed() }`.
 */
export function scenario(test, { shot, getBrowser, stepMs = 100_000 }) {
  let failed = false;
  function step(name, fn) {
    test(name, { timeout: stepMs + 20_000 }, async (t) => {
      if (failed) {
        t.skip("an earlier step failed");
        return;
      }
      failed = true; // until it has passed
      let timer;
      try {
        await Promise.race([
          fn(t),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`step took longer than ${stepMs} ms`)), stepMs);
          }),
        ]);
        failed = false;
      } catch (e) {
        await saveFailure(getBrowser(), shot, name.replace(/[^\w]+/g, "-").slice(0, 40));
        throw e;
      } finally {
        clearTimeout(timer);
      }
    });
  }
  return { step, failed: () => failed };
}

/**
 * Chooses a session in 打印's session picker as a person does: opens it, types the title, waits
 * for Rust's answer to the search (only sessions with the title listed — the list from before
 * the search is replaced when the answer comes) and clicks the session's option.
 */
export async function pickPrintSession(browser, id, title) {
  await click(browser, `${tid("print-session")} .el-select__wrapper`);
  const input = await displayed(browser, `${tid("print-session")} input`);
  await input.addValue(title);
  await browser.waitUntil(
    async () => {
      const listed = await texts(browser, 'li[data-test="print-session-option"]');
      return listed.length > 0 && listed.every((t) => t.includes(title));
    },
    { timeout: 10_000, timeoutMsg: `the session picker never listed the search's answer for ${title}` },
  );
  await click(browser, `li[data-test="print-session-option"][data-session-id="${id}"]`);
}
