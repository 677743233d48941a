// Starts the real Cloudneeti Access binary in a real window, through tauri-driver and
// WebKitWebDriver, with an isolated HOME, config folder and keychain service per test.
//
// Why one tauri-driver per app: "tauri:options" carries only `application` and `args`, so the
// app inherits its environment from tauri-driver (-> WebKitWebDriver -> app). Starting a
// tauri-driver per test, with the test's environment, is what gives each test its own
// CNACCESS_CONFIG_DIR and CNACCESS_KEYCHAIN_SERVICE. `appPid()` reads /proc/<pid>/environ of
// the running app so tests can check that the variables really arrived.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, openSync, rmSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import webdriver from "selenium-webdriver";

const { Builder, By, until, Key } = webdriver;
export { By, until, Key };

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, "..", "..");
export const ARTIFACTS = resolve(ROOT, "e2e", "artifacts");
export const SCREENSHOTS = resolve(ROOT, "docs", "screenshots");

/** The binary under test: E2E_APP, or the debug build run.sh makes with the UI embedded. */
export const APP = resolve(process.env.E2E_APP ?? join(ROOT, "target", "e2e", "debug", "cloudneeti-access"));
/** The stand-alone emulator binary, built by run.sh next to the app. */
export const EMULATOR = resolve(
  process.env.E2E_EMULATOR ?? join(ROOT, "target", "e2e", "debug", "cloudneeti-emulator"),
);
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? join(process.env.CARGO_HOME ?? join(process.env.HOME, ".cargo"), "bin", "tauri-driver");
const NATIVE_DRIVER = process.env.E2E_NATIVE_DRIVER ?? "/usr/bin/WebKitWebDriver";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitForPort(port, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`tauri-driver exited before listening on ${port}`);
    const ok = await new Promise((res) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), res(true)));
      s.once("error", () => res(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${timeoutMs} ms`);
}

/** Every process id whose parent chain leads to `root` (from /proc). */
export function descendants(root) {
  const parent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(d), ppid);
    } catch {
      /* gone */
    }
  }
  const out = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

export function exeOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return "";
  }
}

export function environOf(pid) {
  const env = {};
  for (const kv of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
    const i = kv.indexOf("=");
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/**
 * A fresh, isolated place for one test: its HOME, config folder, keychain service and logs.
 * Reuse `space` across restarts to keep the profile and the secret.
 */
export function newSpace(name, { logsInside = false } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), `cnaccess-e2e-${name}-`));
  const space = {
    name,
    tmp,
    home: join(tmp, "home"),
    configDir: join(tmp, "config"),
    service: `cnaccess-e2e-${name}-${randomBytes(4).toString("hex")}`,
    logs: logsInside ? join(tmp, "logs") : join(ARTIFACTS, name),
  };
  mkdirSync(space.home, { recursive: true });
  mkdirSync(space.configDir, { recursive: true });
  mkdirSync(space.logs, { recursive: true });
  return space;
}

export class App {
  /** `application`: the binary to start (default APP; the benchmark passes the bare window). */
  constructor(space, extraEnv = {}, application = APP) {
    this.space = space;
    this.extraEnv = extraEnv;
    this.application = application;
    this.driver = null;
    this.driverProc = null;
    this.sessions = 0;
  }

  get env() {
    const s = this.space;
    return {
      HOME: s.home,
      CNACCESS_CONFIG_DIR: s.configDir,
      CNACCESS_KEYCHAIN_SERVICE: s.service,
      ...this.extraEnv,
    };
  }

  /** Starts tauri-driver (once) and a WebDriver session, i.e. the app in its window. */
  async start() {
    if (!this.driverProc) {
      this.port = await freePort();
      this.nativePort = await freePort();
      const log = openSync(join(this.space.logs, "tauri-driver.log"), "a");
      const env = { ...process.env, ...this.env };
      // XDG_* would point the app back into the runner's HOME: drop them.
      for (const k of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"]) delete env[k];
      this.driverProc = spawn(
        TAURI_DRIVER,
        ["--port", String(this.port), "--native-port", String(this.nativePort), "--native-driver", NATIVE_DRIVER],
        { env, stdio: ["ignore", log, log], detached: true },
      );
      this.driverExited = false;
      this.driverProc.on("exit", () => (this.driverExited = true));
      await waitForPort(this.port, 10_000, () => !this.driverExited);
    }
    const started = Date.now();
    this.driver = await new Builder()
      .usingServer(`http://127.0.0.1:${this.port}/`)
      .withCapabilities({ browserName: "wry", "tauri:options": { application: this.application } })
      .build();
    this.sessions += 1;
    this.sessionStartMs = Date.now() - started;
    await this.driver.manage().setTimeouts({ implicit: 0, script: 15_000 });
    return this.driver;
  }

  /** The pid of the running app (a descendant of tauri-driver whose executable is the app). */
  appPid() {
    const pids = descendants(this.driverProc.pid).filter((p) => exeOf(p) === this.application);
    if (pids.length !== 1) throw new Error(`expected one app process under tauri-driver, found ${pids.length}`);
    return pids[0];
  }

  /** Ends the session: WebKitWebDriver closes the app. */
  async quit() {
    if (this.driver) {
      const d = this.driver;
      this.driver = null;
      await d.quit().catch(() => {});
    }
    // The app must be gone before a restart or a scan of its files.
    const deadline = Date.now() + 10_000;
    while (this.driverProc && Date.now() < deadline) {
      if (!descendants(this.driverProc.pid).some((p) => exeOf(p) === this.application)) return;
      await sleep(100);
    }
    if (this.driverProc) throw new Error("the app did not exit after the session ended");
  }

  /** Saves a screenshot and the page's text to e2e/artifacts/<test>/ (for failures). */
  async dump(label) {
    if (!this.driver) return;
    const base = join(this.space.logs, label.replace(/[^a-z0-9]+/gi, "-").toLowerCase());
    try {
      writeFileSync(`${base}.png`, await this.driver.takeScreenshot(), "base64");
      const text = await this.driver.executeScript("return document.body.innerText");
      writeFileSync(`${base}.txt`, text);
    } catch (e) {
      writeFileSync(`${base}.txt`, `could not dump: ${e}`);
    }
  }

  /** A subtest that dumps the window when it fails. */
  step(t, name, fn) {
    return t.test(name, async (tt) => {
      try {
        await fn(tt);
      } catch (e) {
        await this.dump(name);
        throw e;
      }
    });
  }

  async restart() {
    await this.quit();
    return this.start();
  }

  /** Ends the session and tauri-driver with everything it started. */
  async stop() {
    await this.quit().catch(() => {});
    const proc = this.driverProc;
    this.driverProc = null;
    if (!proc || this.driverExited) return;
    const gone = new Promise((r) => proc.once("exit", r));
    try {
      process.kill(-proc.pid, "SIGTERM");
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 3000);
    await gone;
    clearTimeout(t);
  }

  /** stop(), then removes the test's HOME and config folder (kept with E2E_KEEP=1). */
  async dispose() {
    await this.stop();
    if (process.env.E2E_KEEP !== "1") rmSync(this.space.tmp, { recursive: true, force: true });
  }
}

// ---------- page helpers ----------

export const tid = (id) => By.css(`[data-testid="${id}"]`);

export async function find(driver, id, timeoutMs = 10_000) {
  return driver.wait(until.elementLocated(tid(id)), timeoutMs, `no element with data-testid="${id}"`);
}

export async function visible(driver, id, timeoutMs = 10_000) {
  const el = await find(driver, id, timeoutMs);
  await driver.wait(until.elementIsVisible(el), timeoutMs, `data-testid="${id}" is not visible`);
  return el;
}

/**
 * `el` scrolled to the middle of the window, as a user scrolls to what they are about to use.
 * WebKitWebDriver scrolls only an element it finds out of view, and counts one under the
 * sticky header as in view: its click then lands on the header.
 */
async function inView(driver, el) {
  await driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", el);
  return el;
}

export async function click(driver, id, timeoutMs = 10_000) {
  const el = await visible(driver, id, timeoutMs);
  await driver.wait(until.elementIsEnabled(el), timeoutMs, `data-testid="${id}" stays disabled`);
  await (await inView(driver, el)).click();
  return el;
}

export async function fill(driver, id, text) {
  const el = await inView(driver, await visible(driver, id));
  await el.clear();
  await el.sendKeys(text);
  return el;
}

export async function choose(driver, id, value) {
  const el = await inView(driver, await visible(driver, id));
  const option = await el.findElement(By.css(`option[value="${value}"]`));
  await option.click();
  // WebKitWebDriver clicks on <option> do not always fire change: make sure.
  await driver.executeScript(
    "const s = arguments[0]; if (s.value !== arguments[1]) { s.value = arguments[1]; } s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));",
    el,
    value,
  );
  return el;
}

export async function textOf(driver, id, timeoutMs) {
  return (await visible(driver, id, timeoutMs)).getText();
}

/** Waits until `fn()` returns a truthy value, and returns it. */
export async function eventually(fn, timeoutMs = 10_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Waits for an `error-message` to be absent, or fails with what it says. */
export async function noError(driver) {
  const errors = await driver.findElements(tid("error-message"));
  for (const e of errors) {
    if (await e.isDisplayed()) {
      throw new Error(`the app shows an error: [${await e.getAttribute("data-code")}] ${await e.getText()}`);
    }
  }
}

/** Saves the window to docs/screenshots/<name>.png, first scrolling `scrollTo` (a test id) to the top. */
export async function screenshot(driver, name, scrollTo) {
  if (process.env.E2E_SCREENSHOTS === "0") return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (scrollTo) {
    await driver.executeScript(
      "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); if (el) { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -64); }",
      scrollTo,
    );
    await sleep(150);
  }
  writeFileSync(join(SCREENSHOTS, `${name}.png`), await driver.takeScreenshot(), "base64");
}

/** Everything the web view keeps: localStorage, sessionStorage and IndexedDB names. */
export async function webStorage(driver) {
  return driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const dump = (s) => { const o = {}; for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); } return o; };
    const out = { localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), indexedDB: null, cookies: document.cookie };
    const finish = () => done(JSON.stringify(out));
    if (window.indexedDB && typeof indexedDB.databases === "function") {
      indexedDB.databases().then((dbs) => { out.indexedDB = dbs.map((d) => d.name); finish(); }, (e) => { out.indexedDB = "error: " + e; finish(); });
    } else { out.indexedDB = "indexedDB.databases() unsupported"; finish(); }
  `).then((s) => JSON.parse(s));
}
