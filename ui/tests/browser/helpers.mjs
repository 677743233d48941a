// Shared set-up of the browser tests: the built page served by the dev host (crates/devhost:
// the app's real commands over HTTP, an in-memory keychain, the emulator as the Sandbox, a
// recording clipboard and browser), one per test file, and Debian's Chromium driven by
// playwright-core. The dev host runs detached in its own process group, killed afterwards.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { devhostBinary, seedWithAccounts, startDevhost } from "../../src/lib/backend/devhost.mjs";

export const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCREENSHOTS = join(UI_DIR, "tests", "browser", "screenshots");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches Chromium; fails (never skips) when it is missing. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A page at 1024x720 in the given colour scheme, recording console errors, CSP violations and
 * requests that leave the dev host. A command's refusal (HTTP 422 from /invoke/, which
 * Chromium logs as a failed resource) is an answer the page shows, not a problem.
 */
export async function openPage(browser, baseUrl, { path = "", colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  const origin = baseUrl.replace(/\/$/, "");
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const refusal = /status of 422/.test(m.text()) && (m.location().url ?? "").startsWith(`${origin}/invoke/`);
    if (!refusal) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(`${origin}/`) && !r.url().startsWith("data:")) problems.push(`remote request: ${r.url()}`);
  });
  await page.goto(`${origin}/${path}`);
  return { page, context, problems };
}

/**
 * For a test file: a dev host serving ui/dist (its Sandbox seeded with `accounts` cloud
 * accounts if given, else the emulator's demo seed) and Chromium, started before its tests
 * and stopped after them. Returns `open(options)`:
 *   scenario   "empty" (first start) or "demo" (the dev host's demo profiles); the dev host is
 *              reset to it first: a fresh keychain, config folder and emulator
 *   latencyMs  latency armed on every API route of the Sandbox, for slow operations
 *   setup      an async function of the dev host, run after the reset and before the page
 *              opens (e.g. to add a profile through `devhost.invoke`)
 *   colorScheme, path  as for openPage
 * It resolves with `{ page, context, problems, devhost, sandboxUrl }`; `devhost` reads what
 * the app copied (`clipboard()`) or opened (`opened()`) and calls commands (`invoke`).
 */
export function useDevhost({ accounts } = {}) {
  let devhost;
  let browser;
  before(async () => {
    if (!existsSync(join(UI_DIR, "dist", "index.html"))) {
      throw new Error("ui/dist is missing: run `npm run build` first (npm run test:browser does)");
    }
    devhostBinary(); // fails with how to build it
    devhost = await startDevhost({ ui: join(UI_DIR, "dist"), seed: accounts ? seedWithAccounts(accounts) : undefined });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    devhost?.stop();
  });
  return async ({ scenario = "empty", latencyMs = 0, setup, colorScheme = "light", path = "" } = {}) => {
    const { sandboxUrl } = await devhost.reset(scenario);
    if (latencyMs > 0) await devhost.emulator(sandboxUrl, "/_emulator/faults", { route: "*", kind: "latency", ms: latencyMs });
    if (setup) await setup(devhost);
    const opened = await openPage(browser, devhost.url, { path, colorScheme });
    return { ...opened, devhost, sandboxUrl };
  };
}

export const tid = (id) => `[data-testid="${id}"]`;

export async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
