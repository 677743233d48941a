// Exporting reports from the Accounts view against the real core and the Sandbox's demo seed
// (Azure, Office365 and GCP in the demo application's scope, AWS outside it). The dev host's
// save dialog answers the path a test sets (`devhost.savePath`); the backend writes the file
// there and this test, in node, reads it. Expected figures come from the same commands the
// page calls (`devhost.invoke`) or from the file itself.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { shot, tid, useDevhost } from "./helpers.mjs";

const open = useDevhost();
const PROFILE = "sandbox-demo";
/** Generate-AuditReport.ps1's header, byte for byte. */
const AUDIT_HEADER =
  '"Cloud Account Id","Cloud Account Name","Connector Type","Benchmark Name","Category Name","Policy ID","Policy Name","Control Number","Total Resource Count","Passed Resource Count","Failed Resource Count","Risk Impact","Risk Likelihood","Risk Level"';

async function waitFor(check, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRecords(text) {
  const records = [];
  let field = "";
  let record = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") record.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      (field = ""), (record = []);
    } else field += c;
  }
  if (field || record.length) record.push(field), records.push(record);
  return records;
}

function tempFolder() {
  return mkdtempSync(join(tmpdir(), "cloudneeti-export-test-"));
}

async function inScope(devhost) {
  const { accounts } = await devhost.invoke("license_accounts", { profile: PROFILE, opId: null });
  return { in: accounts.filter((a) => a.isInApiScope), out: accounts.filter((a) => !a.isInApiScope) };
}

async function openAccounts(page) {
  await page.click(tid("nav-accounts"));
  await page.waitForSelector(tid("account-row"));
  await page.waitForSelector(tid("export-report"));
}

test("the audit report of every account in scope: the script's header, the rows the page reports, the left-out account", async () => {
  const folder = tempFolder();
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    const accounts = await inScope(devhost);
    await openAccounts(page);

    // First the user closes the dialog: nothing is written, and that is no error.
    await page.click(tid("export-start"));
    await page.waitForSelector(tid("export-dismissed"));
    assert.equal(await page.locator(tid("error-message")).count(), 0);
    assert.deepEqual(readdirSync(folder), []);

    const file = join(folder, "audit.csv");
    await devhost.savePath(file);
    assert.equal(await page.inputValue(tid("export-benchmark")), "CSBP", "CSBP is proposed");
    await page.click(tid("export-start"));
    const result = page.locator(tid("export-result"));
    await result.waitFor();
    const proposed = await devhost.saveDialogs();
    assert.equal(proposed.length, 2);
    assert.match(proposed[1], /^audit_report-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.csv$/, "the script's file name is proposed");

    const text = readFileSync(file, "utf8");
    assert.equal(text.split(/\r?\n/)[0], AUDIT_HEADER);
    const records = csvRecords(text);
    const rows = records.slice(1);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.length === 14), "every row has the header's 14 columns");
    assert.equal(Number(await result.getAttribute("data-rows")), rows.length, "the rows the page reports are the file's");
    assert.equal(await result.getAttribute("data-file"), file);
    assert.equal(await result.getAttribute("data-failed"), "0");
    assert.match(await result.textContent(), new RegExp(`${rows.length} rows from 3 of 3 accounts saved to ${file}`));
    assert.deepEqual([...new Set(rows.map((r) => r[0]))].sort(), accounts.in.map((a) => a.accountId).sort(), "every account in scope, each once in a block");
    assert.equal(statSync(file).mode & 0o777, 0o600, "posture data is readable by its owner only");
    assert.deepEqual(readdirSync(folder), ["audit.csv"], "no temporary file is left");

    const leftOut = page.locator(tid("export-left-out-account"));
    assert.deepEqual(await leftOut.evaluateAll((ls) => ls.map((l) => l.dataset.accountId)), accounts.out.map((a) => a.accountId));
    assert.equal(await page.locator(tid("export-failed-account")).count(), 0);
    await page.locator(tid("export-report")).evaluate((e) => e.scrollIntoView({ block: "end" }));
    await shot(page, "accounts-export");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a cancel during a slow export leaves no file and no partial file", async () => {
  const folder = tempFolder();
  const { page, context, problems, devhost, sandboxUrl } = await open({ scenario: "demo" });
  try {
    const accounts = await inScope(devhost);
    await devhost.savePath(join(folder, "slow.csv"));
    await devhost.emulator(sandboxUrl, "/_emulator/faults", { route: "summary", kind: "latency", ms: 4000 });
    await openAccounts(page);
    await page.click(tid("export-start"));
    const progress = page.locator(tid("export-progress"));
    await progress.waitFor();
    assert.equal(Number(await progress.getAttribute("data-total")), accounts.in.length);
    assert.equal(await progress.getAttribute("data-done"), "0");
    assert.match(await page.textContent(`${tid("export-report")} .running`), new RegExp(`0 of ${accounts.in.length} accounts, 0 rows`));
    // The report's temporary file exists while it runs: the cancel is what removes it.
    await waitFor(async () => readdirSync(folder).some((f) => f.endsWith(".partial")), "the temporary file");
    await page.click(tid("cancel-export"));
    await page.waitForSelector(`${tid("error-message")}[data-code="cancelled"]`);
    assert.equal(await page.locator(tid("export-result")).count(), 0);
    assert.deepEqual(readdirSync(folder), [], "neither the file nor a .partial one");
    // Nor later, once the slow answers would have come.
    await new Promise((r) => setTimeout(r, 4500));
    assert.deepEqual(readdirSync(folder), []);
    assert.ok(!(await page.isDisabled(tid("export-start"))), "another export may start");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

test("an account whose summary fails is listed with its reason while the others land in the file", async () => {
  const folder = tempFolder();
  const { page, context, problems, devhost, sandboxUrl } = await open({ scenario: "demo" });
  try {
    const accounts = await inScope(devhost);
    const file = join(folder, "partial.csv");
    await devhost.savePath(file);
    await devhost.emulator(sandboxUrl, "/_emulator/faults", { route: "summary", kind: "gatewayError", status: 500, times: 1 });
    await openAccounts(page);
    await page.click(tid("export-start"));
    const result = page.locator(tid("export-result"));
    await result.waitFor();
    assert.equal(await result.getAttribute("data-failed"), "1");
    assert.equal(await result.getAttribute("data-succeeded"), String(accounts.in.length - 1));

    const failed = page.locator(tid("export-failed-account"));
    assert.equal(await failed.count(), 1);
    const failedId = await failed.getAttribute("data-account-id");
    assert.ok(accounts.in.some((a) => a.accountId === failedId), "one of the accounts asked for");
    const cells = (await failed.locator("td").allTextContents()).map((c) => c.trim());
    assert.ok(cells[0].length > 0 && cells[1].length > 0, `the reason and what to do: ${cells}`);
    assert.match(cells[0], /500|server/i, "the service's failure, in words");
    assert.ok(await failed.getAttribute("data-code"));

    const rows = csvRecords(readFileSync(file, "utf8")).slice(1);
    assert.equal(Number(await result.getAttribute("data-rows")), rows.length);
    const inFile = new Set(rows.map((r) => r[0]));
    assert.ok(!inFile.has(failedId), "the failed account has no rows");
    for (const a of accounts.in.filter((a) => a.accountId !== failedId)) assert.ok(inFile.has(a.accountId), `${a.accountName} landed`);
    await page.locator(tid("export-report")).evaluate((e) => e.scrollIntoView({ block: "end" }));
    await shot(page, "accounts-export-failed-account");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
