// Start time and memory of the app against the bare Tauri window; run by bench/app-startup.sh
// (under Xvfb, in a private D-Bus session with gnome-keyring). Prints a markdown report.
//
// Per run, for each binary, with a fresh HOME and config folder:
//   start A: from the WebDriver "new session" request (tauri-driver + WebKitWebDriver launch the
//            binary) until an element [data-testid="welcome"] is in the page (polled every 10 ms
//            over WebDriver). The app's welcome screen appears only once the UI has mounted and
//            its first IPC calls have answered; the bare window's static page carries the same
//            marker.
//   start B: from the app process's own start (/proc/<pid>/stat starttime, 10 ms ticks) until
//            the same moment (/proc/uptime): the launch overhead of the drivers left out.
//   memory:  BENCH_SETTLE seconds (default 8) after the first screen, the sum of Pss from
//            /proc/<pid>/smaps_rollup of the app process and all its descendants (WebKit's web
//            and network processes).
// Runs alternate app / bare window; the first pair is a warm-up and is dropped.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { App, descendants, newSpace, sleep, tid } from "../e2e/lib/app.mjs";

const runs = Number(process.argv[2] ?? 7);
const settle = Number(process.env.BENCH_SETTLE ?? 8);
const bins = { app: process.env.BENCH_APP, bare: process.env.BENCH_BARE };
const CLK_TCK = 100;

function uptime() {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[19]) / CLK_TCK; // field 22 (starttime), after pid and comm
}
function pssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
  return m ? Number(m[1]) : 0;
}
function comm(pid) {
  return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}

async function once(kind) {
  const space = newSpace(`bench-${kind}`, { logsInside: true });
  const app = new App(space, {}, bins[kind]);
  try {
    const t0 = performance.now();
    const driver = await app.start();
    let page;
    for (;;) {
      // One round trip: is the marker there, and the page's own clock at that moment.
      page = await driver
        .executeScript(
          "return {found: !!document.querySelector('[data-testid=\"welcome\"]'), now: performance.now(), origin: performance.timeOrigin}",
        )
        .catch(() => ({ found: false }));
      if (page.found) break;
      if (performance.now() - t0 > 60_000) throw new Error(`${kind}: no welcome screen within 60 s`);
      await sleep(10);
    }
    const startA = performance.now() - t0;
    const up = uptime();
    const epochNow = Date.now();
    const pid = app.appPid();
    const startB = (up - startedAt(pid)) * 1000;
    // Split of startB: process start -> the page's navigation start, and navigation -> marker.
    const processStartEpoch = epochNow - startB;
    const toNavigation = page.origin - processStartEpoch;
    const inPage = page.now;
    await sleep(settle * 1000);
    const procs = [pid, ...descendants(pid)].map((p) => ({ pid: p, comm: comm(p), pss: pssKiB(p) }));
    return { kind, startA, startB, toNavigation, inPage, procs, pss: procs.reduce((s, p) => s + p.pss, 0) };
  } finally {
    await app.dispose();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const mib = (kib) => kib / 1024;
const fmt = (x, d = 0) => x.toFixed(d);

const results = { app: [], bare: [] };
const warm = {};
for (let i = 0; i <= runs; i++) {
  for (const kind of i % 2 ? ["bare", "app"] : ["app", "bare"]) {
    const r = await once(kind);
    if (i > 0) results[kind].push(r);
    else warm[kind] = `${fmt(r.startA)}/${fmt(r.startB)}/${fmt(mib(r.pss), 1)}`;
    process.stderr.write(
      `${i === 0 ? "warm-up" : `run ${i}`} ${kind}: start ${fmt(r.startA)} ms (process ${fmt(r.startB)} ms), PSS ${fmt(mib(r.pss), 1)} MiB\n`,
    );
  }
}

const stat = (kind, f) => {
  const xs = results[kind].map(f);
  return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const byComm = (kind) => {
  const groups = {};
  for (const r of results[kind]) {
    const sums = {};
    for (const p of r.procs) sums[p.comm] = (sums[p.comm] ?? 0) + p.pss;
    for (const [c, v] of Object.entries(sums)) (groups[c] ??= []).push(v);
  }
  return Object.fromEntries(Object.entries(groups).map(([c, v]) => [c, median(v)]));
};

const size = (p) => (p ? statSync(p).size : null);
const build = JSON.parse(readFileSync(process.env.BENCH_BUILD_JSON, "utf8"));
const appBin = size(bins.app);
const bareBin = size(bins.bare);
const deb = size(process.env.BENCH_DEB || null);

const A = { app: stat("app", (r) => r.startA), bare: stat("bare", (r) => r.startA) };
const B = { app: stat("app", (r) => r.startB), bare: stat("bare", (r) => r.startB) };
const M = { app: stat("app", (r) => r.pss), bare: stat("bare", (r) => r.pss) };
const N = { app: stat("app", (r) => r.toNavigation), bare: stat("bare", (r) => r.toNavigation) };
const P = { app: stat("app", (r) => r.inPage), bare: stat("bare", (r) => r.inPage) };
const ratio = (k) => k.app.med / k.bare.med;
const verdict = (r, goal) => (r <= goal ? "met" : "**not met**");
const range = (s, f = (x) => fmt(x)) => `${f(s.med)} (${f(s.min)}–${f(s.max)})`;
const m1 = (x) => fmt(mib(x), 1);

// /proc/<pid>/comm is cut at 15 characters.
const FULL = { WebKitWebProces: "WebKitWebProcess", WebKitNetworkPr: "WebKitNetworkProcess" };
const cApp = byComm("app");
const cBare = byComm("bare");
const isUi = (c) => c.startsWith("cloudneeti") || c === "bare-window";
const uiOf = (groups) => Object.entries(groups).find(([c]) => isUi(c))?.[1];
const tauriVersion = (() => {
  const lock = readFileSync(new URL("../Cargo.lock", import.meta.url), "utf8");
  return lock.match(/name = "tauri"\nversion = "([^"]+)"/)?.[1] ?? "2";
})();

const lines = [];
lines.push(
  `Figures from ${new Date().toISOString().slice(0, 10)}: ${runs} measured runs of each after one warm-up pair, alternating, ` +
    `median (min–max). Release builds, same profile (\`opt-level = "s"\`, thin LTO, stripped), Tauri ${tauriVersion}, ` +
    `WebKitGTK ${process.env.BENCH_WEBKIT || "?"}, Xvfb, 2 shared cores. Each start has a fresh HOME and config folder ` +
    `(no WebKit caches); the OS file cache is warm.`,
  "",
  "| | app | bare window | ratio | goal |",
  "|---|---|---|---|---|",
  `| start to first screen, from the WebDriver session request (ms) | ${range(A.app)} | ${range(A.bare)} | ${fmt(ratio(A), 2)} | 1.2: ${verdict(ratio(A), 1.2)} |`,
  `| start to first screen, from the app process's start (ms) | ${range(B.app)} | ${range(B.bare)} | ${fmt(ratio(B), 2)} | 1.2: ${verdict(ratio(B), 1.2)} |`,
  `| &nbsp;&nbsp;of which process start to page navigation start (ms) | ${range(N.app)} | ${range(N.bare)} | ${fmt(ratio(N), 2)} | |`,
  `| &nbsp;&nbsp;of which navigation start to first screen, page clock (ms) | ${range(P.app)} | ${range(P.bare)} | ${fmt(ratio(P), 2)} | |`,
  `| memory ${settle} s later, PSS of all its processes (MiB) | ${range(M.app, m1)} | ${range(M.bare, m1)} | ${fmt(ratio(M), 2)} | 1.15: ${verdict(ratio(M), 1.15)} |`,
);
const part = (label, a, b) =>
  lines.push(`| &nbsp;&nbsp;of which ${label} | ${a === undefined ? "–" : m1(a)} | ${b === undefined ? "–" : m1(b)} | ${a && b ? fmt(a / b, 2) : ""} | |`);
part("the app's own process", uiOf(cApp), uiOf(cBare));
for (const c of [...new Set([...Object.keys(cApp), ...Object.keys(cBare)])].filter((c) => !isUi(c)).sort()) {
  part(FULL[c] ?? c, cApp[c], cBare[c]);
}
const MB = (b) => (b === null ? "–" : `${fmt(b / 1e6, 2)} MB`);
lines.push(
  `| release binary | ${MB(appBin)} | ${MB(bareBin)} | ${appBin && bareBin ? fmt(appBin / bareBin, 2) : ""} | under 15 MB: ${appBin !== null && appBin < 15e6 ? "met" : "**not met**"} |`,
  `| \`.deb\` | ${MB(deb)} | | | under 8 MB: ${deb !== null && deb < 8e6 ? "met" : deb === null ? "not built" : "**not met**"} |`,
);
if (build.appBuildSeconds !== undefined) {
  lines.push(
    `| release build in this run (s; incremental unless target/bench was empty) | ${build.appBuildSeconds} (\`tauri build --bundles deb\`) | ${build.bareBuildSeconds} | | |`,
  );
}
lines.push("", `Per run (start from session request ms / from process start ms / PSS MiB); warm-up: app ${warm.app}, bare window ${warm.bare}; measured: app ` +
  results.app.map((r) => `${fmt(r.startA)}/${fmt(r.startB)}/${m1(r.pss)}`).join(", ") +
  "; bare window " +
  results.bare.map((r) => `${fmt(r.startA)}/${fmt(r.startB)}/${m1(r.pss)}`).join(", ") + ".");
// To a file: other programs in the session (at-spi) also write to stdout.
writeFileSync(process.env.BENCH_REPORT, lines.join("\n") + "\n");
