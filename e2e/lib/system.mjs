// What the tests read from outside the app: the X clipboard, the keychain, the files the app
// wrote, and a separately started emulator.

import { execFile, spawn } from "node:child_process";
import { readFileSync, readdirSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { EMULATOR } from "./app.mjs";

const run = promisify(execFile);

/** The text on the X clipboard (CLIPBOARD selection), or "" when nothing is offered. */
export async function clipboardText() {
  try {
    const { stdout } = await run("xclip", ["-o", "-selection", "clipboard"], { timeout: 5000 });
    return stdout;
  } catch {
    return ""; // "target STRING not available": no owner, i.e. cleared
  }
}

/** What the keychain holds for (service, user), via libsecret's secret-tool; null if none. */
export async function keychainLookup(service, user) {
  try {
    const { stdout } = await run("secret-tool", ["lookup", "service", service, "username", user], { timeout: 10_000 });
    return stdout;
  } catch {
    return null;
  }
}

/** Every regular file under `dir` that contains one of `needles` as UTF-8 or UTF-16LE. */
export function filesContaining(dir, needles) {
  const hits = [];
  const patterns = needles
    .filter(Boolean)
    .flatMap((n) => [
      { n, bytes: Buffer.from(n, "utf8") },
      { n, bytes: Buffer.from(n, "utf16le") },
    ]);
  let scanned = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      // The app may still be running: WebKit removes SQLite's -shm/-wal files as it checkpoints
      // them into the database, which is scanned too. A file gone meanwhile holds nothing.
      const st = gone(() => lstatSync(p));
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const data = gone(() => readFileSync(p));
        if (!data) continue;
        scanned += 1;
        for (const { n, bytes } of patterns) if (data.includes(bytes)) hits.push({ file: p, secret: n });
      }
    }
  };
  walk(dir);
  return { hits, scanned };
}

/** `read()`, or null when the file vanished between listing and reading it. */
function gone(read) {
  try {
    return read();
  } catch (e) {
    if (e.code === "ENOENT") return null;
    throw e;
  }
}

/** Every file under `dir` (relative paths), for reports. */
export function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = gone(() => lstatSync(p));
    if (!st) continue;
    if (st.isDirectory()) out.push(...listFiles(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out;
}

/** `cloudneeti-emulator seed`: the demo seed's public credentials, parsed from its output. */
export async function demoSeed() {
  const { stdout } = await run(EMULATOR, ["seed"], { timeout: 10_000 });
  const seed = JSON.parse(stdout);
  const license = seed.licenses[0];
  const app = seed.apiApplications.find((a) => a.licenseId === license.licenseId);
  const key = seed.apiKeys.find((k) => k.state === "active");
  return {
    seed,
    licenseId: license.licenseId,
    appId: app.appId,
    secret: app.secret,
    apiKey: key.key,
    inScope: app.accountIds,
    accounts: license.accounts,
  };
}

/**
 * Starts `cloudneeti-emulator serve` as its own process; its base URL is the first stdout line.
 * Returns {url, stop()}.
 */
export async function startEmulator(args = []) {
  const proc = spawn(EMULATOR, ["serve", ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((r) => proc.once("exit", r));
  const lines = createInterface({ input: proc.stdout });
  const url = await Promise.race([
    new Promise((r) => lines.once("line", r)),
    exited.then((code) => {
      throw new Error(`cloudneeti-emulator exited (${code}) before printing its URL: ${stderr}`);
    }),
    new Promise((_, rej) => setTimeout(() => rej(new Error("cloudneeti-emulator printed no URL in 10 s")), 10_000)),
  ]);
  return {
    url: url.trim(),
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 7000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The visible X windows whose title matches `title` (a regular expression), by id. */
async function windowsTitled(title) {
  try {
    const { stdout } = await run("xdotool", ["search", "--onlyvisible", "--name", title], { timeout: 5000 });
    return stdout.split(/\s+/).filter(Boolean);
  } catch {
    return []; // xdotool exits 1 when nothing matches
  }
}

/**
 * Answers the system's native save dialog (GTK's file chooser, titled "Save File") as a user
 * would: waits for it, focuses it, replaces the proposed name with the full `path` and
 * presses Enter, with real key events (XTEST; GTK ignores events sent to a window). Resolves
 * with the name the dialog proposed, read from its name field first (select all, copy).
 */
export async function answerSaveDialog(path, { title = "^Save File$", timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let ids = [];
  while (!(ids = await windowsTitled(title)).length) {
    if (Date.now() > deadline) throw new Error(`no window titled ${title} appeared within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const id = ids[ids.length - 1];
  const xdotool = (...args) => run("xdotool", args, { timeout: 10_000 });
  // No window manager under Xvfb: focus it directly rather than through _NET_ACTIVE_WINDOW.
  await xdotool("windowfocus", "--sync", id);
  await new Promise((r) => setTimeout(r, 300)); // GTK maps the name field's focus after the window's
  await xdotool("key", "--clearmodifiers", "ctrl+a");
  await xdotool("key", "--clearmodifiers", "ctrl+c");
  const proposed = await clipboardText();
  await xdotool("type", "--delay", "15", "--clearmodifiers", path);
  await xdotool("key", "--clearmodifiers", "Return");
  return { window: id, proposed };
}

/**
 * Answers the backend's native confirmation dialog (GTK message dialog, titled as the
 * question) with real key events: Escape for Cancel, or Return on the yes button, which GTK
 * focuses first (the dialog's buttons are yes, then Cancel). Resolves with the dialog's text
 * as the window's accessible name does not carry it: only its title is checked here.
 */
export async function answerConfirmDialog(title, yes, { timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let ids = [];
  while (!(ids = await windowsTitled(title)).length) {
    if (Date.now() > deadline) throw new Error(`no dialog titled ${title} appeared within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const id = ids[ids.length - 1];
  const xdotool = (...args) => run("xdotool", args, { timeout: 10_000 });
  await xdotool("windowfocus", "--sync", id);
  await new Promise((r) => setTimeout(r, 300));
  await xdotool("key", "--clearmodifiers", yes ? "Return" : "Escape");
  // The dialog closes once answered.
  while ((await windowsTitled(title)).length) {
    if (Date.now() > deadline) throw new Error(`the dialog titled ${title} stayed open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
