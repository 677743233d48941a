// Shared set-up of the browser tests: serve the built page with `vite preview` (detached, in
// its own process group, killed afterwards) and drive Debian's Chromium with playwright-core.
// The page runs against the fake backend (no Tauri), tuned by ?fake-delay and ?fake-seed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

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

/** Starts `vite preview` of ui/dist on a free port; resolves with its URL and a stop function. */
export async function startPreview() {
  if (!existsSync(join(UI_DIR, "dist", "index.html"))) {
    throw new Error("ui/dist is missing: run `npm run build` first (npm run test:browser does)");
  }
  const port = 14000 + Math.floor(Math.random() * 1000);
  const vite = join(UI_DIR, "node_modules", "vite", "bin", "vite.js");
  const child = spawn(process.execPath, [vite, "preview", "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: UI_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      stopGroup(child);
      throw new Error(`vite preview did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, stop: () => stopGroup(child) };
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
}

/** Launches Chromium; fails (never skips) when it is missing. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A page at 1024x720 in the given colour scheme, recording console errors, CSP violations and
 * requests that leave the preview server.
 */
export async function openPage(browser, baseUrl, { query = "", colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith("data:")) problems.push(`remote request: ${r.url()}`);
  });
  await page.goto(`${baseUrl}${query}`);
  return { page, context, problems };
}

/**
 * For a test file: the built UI served by `vite preview` and Chromium, started before its
 * tests and stopped after them. Returns `open(options)`, which opens a page like `openPage`.
 */
export function usePreview() {
  let server;
  let browser;
  before(async () => {
    server = await startPreview();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });
  return (options) => openPage(browser, server.url, options);
}

export const tid = (id) => `[data-testid="${id}"]`;

export async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
