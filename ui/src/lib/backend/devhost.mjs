// Starts the dev host (crates/devhost) for tests: the app's real commands over HTTP on
// loopback, with an in-memory keychain, a private config folder and the emulator as the
// Sandbox. Used by the component tests (vitest) and the browser tests (node:test); nothing in
// the built UI imports it. Node only.
//
// The binary is `$DEVHOST_BIN`, else <repo>/target/debug/cloudneeti-devhost
// (`cargo build -p cloudneeti-devhost`). It is spawned detached, in its own process group,
// and that group is killed by `stop()`, so no server outlives its test file.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** The dev host binary, or an error that says how to build it. */
export function devhostBinary() {
  const bin = process.env.DEVHOST_BIN || join(REPO_DIR, "target", "debug", "cloudneeti-devhost");
  if (!existsSync(bin)) {
    throw new Error(
      `the dev host binary is missing at ${bin}: run \`cargo build -p cloudneeti-devhost\` at the repository root (or point DEVHOST_BIN at one)`,
    );
  }
  return bin;
}

/** The emulator binary, whose `seed` command prints the demo seed this module extends. */
function emulatorBinary() {
  const bin = process.env.EMULATOR_BIN || join(REPO_DIR, "target", "debug", "cloudneeti-emulator");
  if (!existsSync(bin)) {
    throw new Error(
      `the emulator binary is missing at ${bin}: run \`cargo build -p cloudneeti-emulator\` at the repository root (or point EMULATOR_BIN at one)`,
    );
  }
  return bin;
}

const COMPANIES = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware"];
const PURPOSES = ["production", "staging", "development", "analytics", "finance", "marketing", "security", "research"];
const CONNECTORS = ["Azure", "AWS", "GCP", "Office365", "Azure", "AWS", "Kubernetes"];

/**
 * The emulator's demo seed with its license grown to `accounts` cloud accounts: the demo's
 * four, then generated ones with varied names ("Woodgrove GCP finance 137") and GUID ids; the
 * demo application has every generated account but the AWS ones in its scope.
 */
export function seedWithAccounts(accounts) {
  const seed = JSON.parse(execFileSync(emulatorBinary(), ["seed"], { encoding: "utf8" }));
  const license = seed.licenses[0];
  const app = seed.apiApplications.find((a) => a.licenseId === license.licenseId);
  for (let n = license.accounts.length + 1; n <= accounts; n++) {
    const i = n - 1;
    const connectorType = CONNECTORS[i % CONNECTORS.length];
    const company = COMPANIES[Math.floor(i / 7) % COMPANIES.length];
    const purpose = PURPOSES[Math.floor(i / 3) % PURPOSES.length];
    const accountId = `a1b2c3d4-5e6f-4a7b-8c9d-${n.toString(16).padStart(12, "0")}`;
    license.accounts.push({
      accountId,
      accountName: `${company} ${connectorType} ${purpose} ${String(n).padStart(3, "0")}`,
      connectorType,
      rescanOutcome: "Success",
    });
    if (connectorType !== "AWS") app.accountIds.push(accountId);
  }
  return seed;
}

/**
 * Starts a dev host. `ui`: the folder of pages it serves (default: an empty page, enough for
 * component tests); `seed`: the emulator's seed as an object (default: the demo seed).
 * Resolves with its URL and helpers; `stop()` kills it and removes its temporary files.
 */
export async function startDevhost({ ui, seed } = {}) {
  const bin = devhostBinary();
  const temp = mkdtempSync(join(tmpdir(), "cloudneeti-devhost-test-"));
  let uiDir = ui;
  if (!uiDir) {
    uiDir = join(temp, "ui");
    mkdirSync(uiDir);
    writeFileSync(join(uiDir, "index.html"), "<!doctype html><title>dev host</title>\n");
  }
  const args = ["--ui", uiDir, "--port", "0"];
  if (seed) {
    const file = join(temp, "seed.json");
    writeFileSync(file, JSON.stringify(seed));
    args.push("--seed", file);
  }
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      stopGroup(child);
      reject(new Error(`the dev host did not start within 20 s: ${output}`));
    }, 20_000);
    child.stdout.on("data", (d) => {
      output += d;
      const m = /cloudneeti-devhost listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`the dev host ${bin} could not be started: ${e.message}`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the dev host exited (status ${code}) before it listened: ${output}`));
    });
  });

  const call = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`dev host ${method} ${path}: HTTP ${res.status} ${text}`);
    return text === "" ? null : JSON.parse(text);
  };

  const host = {
    url,
    /** A fresh keychain, config folder and emulator in the scenario ("empty" or "demo"). */
    reset: (scenario = "empty") => call("POST", "/devhost/reset", { scenario }),
    /** What the app last copied (null once cleared). */
    clipboard: async () => (await call("GET", "/devhost/clipboard")).text,
    /** The URLs the app asked to open, oldest first. */
    opened: () => call("GET", "/devhost/opened"),
    /** How the next save dialogs answer: an absolute path, or null (the user dismisses them). */
    savePath: (path) => call("POST", "/devhost/save-path", { path }),
    /** The file names the save dialogs proposed, oldest first. */
    saveDialogs: () => call("GET", "/devhost/save-dialogs"),
    /** How the next open dialogs answer: an absolute path, or null (dismissed, the default). */
    openPath: (path) => call("POST", "/devhost/open-path", { path }),
    /** The kinds of file the open dialogs offered, oldest first. */
    openDialogs: () => call("GET", "/devhost/open-dialogs"),
    /** What the next confirmation dialogs answer (no until set). */
    confirmAnswer: (answer) => call("POST", "/devhost/confirm", { answer }),
    /** The questions the confirmation dialogs asked, oldest first. */
    confirms: () => call("GET", "/devhost/confirms"),
    /** A command, as the page would call it; rejects with the IpcError on 422. */
    invoke: async (command, args = {}) => {
      const res = await fetch(`${url}/invoke/${command}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(args),
      });
      const body = await res.json();
      if (!res.ok) throw body;
      return body;
    },
    /** A call on the Sandbox emulator's control surface (`/_emulator/...`). */
    emulator: async (sandboxUrl, path, body) => {
      const res = await fetch(`${sandboxUrl}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body ?? {}),
      });
      if (!res.ok) throw new Error(`emulator POST ${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop: () => {
      stopGroup(child);
      rmSync(temp, { recursive: true, force: true });
    },
  };
  return host;
}

function stopGroup(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
}
