// The token panel against the real core's demo profiles (the dev host's "demo" scenario, its
// Sandbox seeded with 250 cloud accounts): a live countdown with the UTC time on hover, Copy
// and Reveal, account search among 250 accounts, cancellation, and the connection test's
// checklist (with a failing link).
import assert from "node:assert/strict";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";

const open = useDevhost({ accounts: 250 });

const seconds = (text) => {
  const m = /(?:(\d+) h )?(?:(\d+) min )?(\d+) s/.exec(text);
  assert.ok(m, `a countdown: ${text}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
};

test("a license token: the countdown ticks, local time shown with UTC on hover, copy and reveal", async () => {
  const { page, context, problems, devhost, sandboxUrl } = await open({ scenario: "demo" });
  try {
    await page.waitForSelector(tid("token-panel"));
    assert.equal(await page.inputValue(tid("profile-select")), "sandbox-demo");
    await page.click(tid("get-license-token"));
    await page.waitForSelector(tid("token-countdown"));
    // The Sandbox's demo application has a Token Expiry of 60 minutes.
    const first = seconds(await page.textContent(tid("token-countdown")));
    assert.ok(first > 3580 && first <= 3600, `about 60 minutes left: ${first}`);
    await page.waitForTimeout(2300);
    const later = seconds(await page.textContent(tid("token-countdown")));
    assert.ok(first - later >= 2 && first - later <= 3, `ticked from ${first} to ${later}`);

    const expiry = page.locator(tid("token-expiry"));
    const iso = await expiry.getAttribute("datetime");
    const title = await expiry.getAttribute("title");
    const t = new Date(iso);
    const p = (n) => String(n).padStart(2, "0");
    assert.equal(
      title,
      `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} UTC`,
    );
    const local = await page.evaluate((s) => {
      const d = new Date(s);
      const p = (n) => String(n).padStart(2, "0");
      const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      // An hour's token got after 23:00 expires tomorrow: then the date is shown too.
      const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
      return d.toDateString() === new Date().toDateString() ? time : `${date} ${time}`;
    }, iso);
    assert.equal((await expiry.textContent()).trim(), local, "the page shows local time");

    // What the token says of itself, read by the backend: no reveal needed.
    const demo = (await devhost.invoke("list_profiles")).find((p) => p.name === "sandbox-demo");
    assert.equal((await page.textContent(tid("claim-license"))).trim(), demo.licenseId);
    assert.match(await page.textContent(tid("claim-account")), /none \(a license token\)/);
    assert.equal(await page.getAttribute(`${tid("claim-expires")} time`, "datetime"), iso);
    const issued = Date.parse(await page.getAttribute(`${tid("claim-issued")} time`, "datetime"));
    assert.equal(Date.parse(iso) - issued, 60 * 60 * 1000);
    assert.equal(await page.locator(tid("token-value")).count(), 0);

    // What lands on the clipboard is the token itself, or a command that uses it against the
    // API it came from, with the API key left to the environment.
    await page.click(tid("reveal-token"));
    const value = (await page.textContent(tid("token-value"))).trim();
    await page.click(tid("hide-token"));
    await page.click(tid("copy-token"));
    assert.match(await page.textContent(tid("copy-status")), /cleared from the clipboard in 30 s/);
    assert.equal(await devhost.clipboard(), value);
    await page.click(tid("copy-curl"));
    await page.waitForSelector(`${tid("copy-status")}:has-text("$CLOUDNEETI_API_KEY")`);
    const curl = await devhost.clipboard();
    assert.match(curl, /\$CLOUDNEETI_API_KEY/);
    assert.ok(curl.includes(value) && curl.includes(sandboxUrl), curl);
    await page.click(tid("copy-powershell"));
    await page.waitForSelector(`${tid("copy-status")}:has-text("$env:CLOUDNEETI_API_KEY")`);
    const powershell = await devhost.clipboard();
    assert.match(powershell, /\$env:CLOUDNEETI_API_KEY/);
    assert.ok(powershell.includes(value) && powershell.includes(sandboxUrl), powershell);

    // Where it came from (the Sandbox, on this computer), and a fresh one on request (a new
    // card: the handle changes).
    assert.equal((await page.textContent(tid("token-api-url"))).trim(), sandboxUrl);
    assert.match(sandboxUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    await page.click(tid("fresh-token"));
    await page.waitForSelector(`${tid("status-message")}:has-text("A fresh license token received")`);
    await page.waitForSelector(tid("token-countdown"));

    assert.equal(await page.locator(tid("token-value")).count(), 0, "hidden until asked");
    await page.click(tid("reveal-token"));
    assert.match(await page.textContent(tid("token-value")), /^eyJ/);
    assert.notEqual((await page.textContent(tid("token-value"))).trim(), value, "a fresh token is another token");
    await page.click(tid("hide-token"));
    assert.equal(await page.locator(tid("token-value")).count(), 0);

    // Settings change the clipboard delay.
    await page.click(tid("nav-settings"));
    await page.fill(tid("clipboard-seconds"), "3");
    await page.click(tid("save-settings"));
    const told = page.locator(`${tid("field-error")}[data-field="clipboard-seconds"]`);
    await told.waitFor();
    assert.match(await told.textContent(), /^clipboard delay is not valid: 3 seconds is too short; the shortest is 5 seconds\./);
    await page.fill(tid("clipboard-seconds"), "45");
    await page.click(tid("save-settings"));
    await page.waitForSelector(`${tid("status-message")}:has-text("45 s")`);
    await page.click(tid("nav-tokens"));
    await page.click(tid("get-license-token"));
    await page.click(tid("copy-token"));
    assert.match(await page.textContent(tid("copy-status")), /in 45 s/);
    assert.equal((await devhost.invoke("get_settings")).clipboardClearSeconds, 45, "the setting is saved");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("account search among 250 accounts, scope shown, account token for an in-scope one", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  try {
    await page.waitForSelector(tid("token-panel"));
    await page.selectOption(tid("token-kind"), "account");
    await page.click(tid("load-accounts"));
    await page.waitForSelector(tid("account-row"));
    const rows = page.locator(tid("account-row"));
    assert.equal(await rows.count(), 250);
    assert.ok((await page.locator(`${tid("account-row")}[data-in-scope="false"]`).count()) > 0);

    await page.fill(tid("account-search"), "woodgrove");
    const woodgrove = await rows.count();
    assert.ok(woodgrove > 5 && woodgrove < 60, `some Woodgrove accounts: ${woodgrove}`);
    for (const name of await rows.locator("th .name").allTextContents()) assert.match(name, /Woodgrove/);

    await page.fill(tid("account-search"), "137");
    assert.equal(await rows.count(), 1);
    await page.fill(tid("account-search"), "gcp finance");
    const both = await rows.locator("th .name").allTextContents();
    assert.ok(both.length > 0);
    for (const name of both) assert.match(name, /GCP finance/);

    await page.fill(tid("account-search"), "no such account anywhere");
    assert.equal(await rows.count(), 0);
    await page.fill(tid("account-search"), "");
    const target = page.locator(`${tid("account-row")}[data-in-scope="true"]`).nth(10);
    const id = await target.getAttribute("data-account-id");
    await target.locator(tid("get-account-token")).click();
    await page.waitForSelector(`${tid("token-card")}[data-kind="account"]`);
    assert.match(await page.textContent(`${tid("token-card")}[data-kind="account"]`), new RegExp(id));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a long operation can be cancelled", async () => {
  // Every call to the Sandbox takes 10 s: the token is still on its way when Cancel is pressed.
  const { page, context, problems } = await open({ scenario: "demo", latencyMs: 10_000 });
  try {
    await page.waitForSelector(tid("token-panel"));
    await page.click(tid("get-license-token"));
    // At once: over HTTP the cancel may reach the backend before the call it cancels, which
    // must still be cancelled (AppState::cancellable remembers early cancels).
    const pressed = Date.now();
    await page.click(tid("cancel-operation"));
    // A cancel is news, not a failure: role=status, not an alert.
    const alert = page.locator(`${tid("error-message")}[role="status"]`);
    await alert.waitFor();
    assert.ok(Date.now() - pressed < 5000, "the call ends when cancelled, not when the Sandbox answers");
    assert.equal(await alert.getAttribute("data-code"), "cancelled");
    assert.match(await alert.textContent(), /Nothing was changed/);
    assert.equal(await page.locator(tid("cancel-operation")).count(), 0);
    assert.equal(await page.locator(tid("token-card")).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a rate limit is announced while the app waits, then the token arrives", async () => {
  // The service answers the first token request with 429 and Retry-After: 3.
  const { page, context, problems, devhost, sandboxUrl } = await open({ scenario: "demo" });
  try {
    await devhost.emulator(sandboxUrl, "/_emulator/faults", { route: "token", kind: "rateLimit", retryAfterSeconds: 3, times: 1 });
    await page.waitForSelector(tid("token-panel"));
    await page.click(tid("get-license-token"));
    const wait = page.locator(tid("service-wait"));
    await wait.waitFor();
    assert.match(await wait.textContent(), /rate limiting this API key, HTTP 429\): waiting 3 s, retry 1 of 3/);
    await page.waitForSelector(tid("token-card"));
    assert.equal(await wait.count(), 0, "the note goes with the wait");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("test connection: a checklist, with the broken link and what to do", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  try {
    await page.waitForSelector(tid("token-panel"));
    // The broken profile first: it shares the working one's application and license, and the
    // core's token cache is keyed by service, application, license and account, not by
    // profile, so a token the working one obtained would be handed to it from the cache.
    await page.selectOption(tid("profile-select"), "broken-secret");
    await page.click(tid("test-connection"));
    const failed = page.locator(`${tid("check-item")}[data-id="app_accepted"]`);
    await failed.waitFor();
    assert.equal(await failed.getAttribute("data-status"), "failed");
    assert.match(await failed.textContent(), /What to do:.*Regenerate Secret Key/);
    assert.equal(await page.getAttribute(`${tid("check-item")}[data-id="license_known"]`, "data-status"), "skipped");
    // Getting a token shows the same failure as an alert, in plain words.
    await page.click(tid("get-license-token"));
    const alert = page.locator(`${tid("error-message")}[data-code="app_credentials_rejected"]`);
    await alert.waitFor();
    assert.match(await alert.textContent(), /The service rejected the API application id or secret/);

    await page.selectOption(tid("profile-select"), "sandbox-demo");
    await page.click(tid("test-connection"));
    await page.waitForSelector(`${tid("check-item")}[data-id="app_accepted"][data-status="ok"]`);
    const statuses = await page.locator(tid("check-item")).evaluateAll((els) => els.map((e) => `${e.dataset.id}=${e.dataset.status}`));
    assert.equal(statuses.length, 8);
    assert.ok(statuses.every((s) => s.endsWith("=ok")), statuses.join(" "));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
