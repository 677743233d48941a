// The Accounts view against the real core and the Sandbox's demo seed (Azure, Office365 and
// GCP in the demo application's scope, AWS outside it; a rescan of GCP fails): scope, health
// with its documentation links, the posture chart and its sorting, failed policies, and
// rescans followed live to Success and to Failed. Expected figures come from the same
// commands the page calls (`devhost.invoke`), so the test checks what the page shows of them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { shot, tid, useDevhost } from "./helpers.mjs";

const open = useDevhost();
const PROFILE = "sandbox-demo";

async function waitFor(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The demo accounts by connector type, as the core lists them. */
async function demoAccounts(devhost) {
  const { accounts } = await devhost.invoke("license_accounts", { profile: PROFILE, opId: null });
  return Object.fromEntries(accounts.map((a) => [a.connectorType, a]));
}

/** Opens the Accounts view and one account's detail, once its first summary is shown. */
async function showAccount(page, account) {
  await page.locator(`${tid("account-row")}[data-account-id="${account.accountId}"] ${tid("show-account")}`).click();
  await page.waitForSelector(`${tid("account-detail")}[data-account-id="${account.accountId}"] ${tid("posture-chart")}`);
}

test("the license's accounts with their scope; health with an incomplete prerequisite and its link", async () => {
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    const byType = await demoAccounts(devhost);
    await page.click(tid("nav-accounts"));
    await page.waitForSelector(tid("account-row"));
    assert.equal(await page.inputValue(tid("profile-select")), PROFILE);
    const rows = page.locator(tid("account-row"));
    assert.equal(await rows.count(), 4);
    for (const [type, inScope] of [["Azure", "true"], ["Office365", "true"], ["GCP", "true"], ["AWS", "false"]]) {
      const row = page.locator(`${tid("account-row")}[data-account-id="${byType[type].accountId}"]`);
      assert.equal(await row.getAttribute("data-in-scope"), inScope, type);
      assert.match(await row.textContent(), inScope === "true" ? /In scope/ : /Not in scope/);
      assert.equal(await row.locator(tid("show-account")).count(), inScope === "true" ? 1 : 0, `${type}: detail only in scope`);
    }

    await showAccount(page, byType.Azure);
    const expected = await devhost.invoke("account_health", { profile: PROFILE, accountId: byType.Azure.accountId, opId: null });
    assert.ok(expected.incomplete > 0, "the demo Azure account has an incomplete prerequisite");
    const health = page.locator(tid("account-health"));
    assert.equal(Number(await health.getAttribute("data-incomplete")), expected.incomplete);
    assert.match(await health.textContent(), new RegExp(`${expected.incomplete} of ${expected.prerequisites.length} prerequisites incomplete`));
    assert.equal(await page.locator(`${tid("prerequisite")}[data-complete="false"]`).count(), expected.incomplete);
    const incomplete = expected.prerequisites.find((p) => !p.complete);
    const item = page.locator(`${tid("prerequisite")}[data-name="${incomplete.name}"]`);
    assert.match(await item.textContent(), /Incomplete/);
    await item.locator(tid("prerequisite-link")).click();
    await waitFor(async () => (await devhost.opened()).length === 1, "the link to open");
    assert.deepEqual(await devhost.opened(), [new URL(incomplete.referLink).href]);
    const required = expected.prerequisites.find((p) => p.required);
    assert.equal(await page.locator(`${tid("prerequisite")}[data-name="${required.name}"]`).getAttribute("data-complete"), "true");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a chosen benchmark's posture: one bar per category, the service's compliance percent, sorting, failed policies", async () => {
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    const { Azure } = await demoAccounts(devhost);
    await page.click(tid("nav-accounts"));
    await page.waitForSelector(tid("account-row"));
    await showAccount(page, Azure);
    const benchmarks = await devhost.invoke("account_benchmarks", { profile: PROFILE, accountId: Azure.accountId, opId: null });
    const offered = await page.locator(`${tid("benchmark-select")} option`).evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered, benchmarks.map((b) => b.benchmarkId));
    assert.ok(offered.includes("CSBP"));

    await page.selectOption(tid("benchmark-select"), "CSBP");
    const summary = await devhost.invoke("benchmark_summary", {
      profile: PROFILE, accountId: Azure.accountId, benchmarkId: "CSBP", jobId: null, opId: null,
    });
    await page.waitForSelector(`${tid("posture-chart")} h3:has-text("${summary.benchmarkName}")`);
    const bars = page.locator(tid("category-bar"));
    assert.equal(await bars.count(), summary.categories.length);
    assert.ok(summary.categories.length > 3);
    const names = () => bars.evaluateAll((rs) => rs.map((r) => r.dataset.name));
    assert.deepEqual(await names(), summary.categories.map((c) => c.name));
    for (const c of summary.categories) {
      const bar = page.locator(`${tid("category-bar")}[data-name="${c.name}"]`);
      assert.deepEqual(
        [await bar.getAttribute("data-passed"), await bar.getAttribute("data-failed"), await bar.getAttribute("data-other")].map(Number),
        [c.passed, c.failed, c.other],
      );
      assert.match(await bar.locator('svg[role="img"]').getAttribute("aria-label"), new RegExp(`${c.passed} passed, ${c.failed} failed, ${c.other} other`));
    }
    const percent = page.locator(tid("compliance-percent"));
    assert.equal(Number(await percent.getAttribute("data-percent")), summary.posture.compliancePercent);
    const shown = Number((await percent.textContent()).replace(/[^\d.,]/g, "").replace(",", "."));
    assert.ok(Math.abs(shown - summary.posture.compliancePercent) <= 0.05, `${shown} shows ${summary.posture.compliancePercent}`);

    await page.click(tid("sort-failed"));
    const failed = await bars.evaluateAll((rs) => rs.map((r) => Number(r.dataset.failed)));
    assert.deepEqual(failed, [...failed].sort((a, b) => b - a), "most failed first");
    assert.equal(await page.getAttribute(`th:has(${tid("sort-failed")})`, "aria-sort"), "descending");
    await page.click(tid("sort-compliance"));
    const compliance = new Map(summary.categories.map((c) => [c.name, c.compliancePercent ?? Infinity]));
    const order = (await names()).map((n) => compliance.get(n));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), "least compliant first");
    await page.click(tid("sort-name"));
    assert.deepEqual(await names(), summary.categories.map((c) => c.name).sort((a, b) => a.localeCompare(b)));
    await page.click(tid("sort-name"));
    assert.deepEqual(await names(), summary.categories.map((c) => c.name).sort((a, b) => b.localeCompare(a)));

    const policies = page.locator(tid("failed-policy"));
    assert.equal(await policies.count(), summary.failedPolicies.length);
    assert.ok(summary.failedPolicies.length > 0);
    const first = summary.failedPolicies[0];
    const row = policies.first();
    assert.equal(await row.getAttribute("data-policy-id"), first.policyId);
    const cells = await row.locator("td").allTextContents();
    assert.deepEqual(cells.map((c) => c.trim()), [
      first.category, first.severity, String(first.totalResourceCount), String(first.passedResourceCount), String(first.failedResourceCount),
    ]);
    assert.equal(first.failedResourceCount, first.totalResourceCount - first.passedResourceCount);
    await shot(page, "accounts-posture");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** The job id the status line names, once a rescan started. */
async function jobIdShown(page) {
  await page.waitForSelector(tid("rescan-status"));
  return (await page.textContent(`${tid("rescan-status")} .mono`)).trim();
}

const status = (page) => page.getAttribute(tid("rescan-status"), "data-status");

test("a rescan followed live to Success shows that scan's summary; GCP's rescan ends Failed and says so", async () => {
  const { page, context, problems, devhost, sandboxUrl } = await open({ scenario: "demo" });
  // The emulator's jobs stay New for 2 s, then Running for 5 s; the test moves its clock
  // instead of waiting, and the page, asking every 2 s, sees each state.
  const advance = (seconds) => devhost.emulator(sandboxUrl, "/_emulator/clock", { advanceSeconds: seconds });
  try {
    const { Azure, GCP } = await demoAccounts(devhost);
    await page.click(tid("nav-accounts"));
    await page.waitForSelector(tid("account-row"));
    await showAccount(page, Azure);
    const before = await page.getAttribute(tid("summary-scan"), "data-job-id");

    await page.click(tid("rescan"));
    const job = await jobIdShown(page);
    await waitFor(async () => (await status(page)) === "New", "New");
    assert.ok(await page.isVisible(tid("rescan-status")));
    assert.match(await page.textContent(tid("rescan-status")), /New.*Checking again every 2 s/s);
    assert.ok(await page.isDisabled(tid("rescan")), "one rescan at a time");
    await advance(3);
    await waitFor(async () => (await status(page)) === "Running", "Running");
    await advance(10);
    await waitFor(async () => (await status(page)) === "Success", "Success");
    assert.match(await page.textContent(tid("rescan-status")), /Success\. The summary below is of this scan/);
    await page.waitForSelector(`${tid("summary-scan")}[data-job-id="${job}"]`);
    assert.notEqual(job, before);
    const benchmarkId = await page.inputValue(tid("benchmark-select"));
    const scanned = await devhost.invoke("benchmark_summary", {
      profile: PROFILE, accountId: Azure.accountId, benchmarkId, jobId: job, opId: null,
    });
    assert.equal(Number(await page.getAttribute(tid("compliance-percent"), "data-percent")), scanned.posture.compliancePercent);
    assert.equal(await page.locator(tid("category-bar")).count(), scanned.categories.length);
    assert.ok(!(await page.isDisabled(tid("rescan"))), "a finished rescan frees the button");

    await showAccount(page, GCP);
    assert.equal(await page.locator(tid("rescan-status")).count(), 0, "another account starts with no rescan");
    const lastGood = await page.getAttribute(tid("summary-scan"), "data-job-id");
    await page.click(tid("rescan"));
    const failing = await jobIdShown(page);
    await waitFor(async () => ["New", "Running"].includes(await status(page)), "New or Running");
    await advance(10);
    await waitFor(async () => (await status(page)) === "Failed", "Failed");
    assert.ok(await page.isVisible(tid("rescan-status")));
    assert.match(await page.textContent(tid("rescan-status")), /Failed\. The summary below is still of the last successful scan/);
    const error = page.locator(`${tid("error-message")}[data-code="scan_failed"]`);
    assert.match(await error.textContent(), new RegExp(`job ${failing}.*Failed.*health`, "s"));
    assert.equal(await page.getAttribute(tid("summary-scan"), "data-job-id"), lastGood, "the failed scan has no summary");
    await shot(page, "accounts-rescan-failed");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
