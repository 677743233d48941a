// (a) The Sandbox walkthrough from the welcome screen to an account token, through the
// practice portal: create the app, copy its secret and id into the walkthrough, subscribe,
// activate, show and enter the key, then license token, accounts, account token.
// (e) Afterwards no web storage and no file under the test's HOME/config holds a secret.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { App, By, click, choose, eventually, fill, newSpace, noError, screenshot, textOf, tid, visible } from "../lib/app.mjs";
import { assertFilesClean, assertWebStorageClean, jwtPayload, revealAll, waitForWelcome, waitStored } from "../lib/flows.mjs";

const space = newSpace("sandbox-walkthrough");
const app = new App(space);
const seen = {}; // secrets and tokens met on the way, for the leak check

before(async () => {
  await app.start();
});
after(async () => {
  await app.dispose();
});

test("Sandbox walkthrough: welcome to account token", async (t) => {
  const d = app.driver;

  await app.step(t, "welcome screen offers setup and the Sandbox", async () => {
    await waitForWelcome(d);
    await visible(d, "start-setup");
    await visible(d, "try-sandbox");
    await screenshot(d, "welcome");
    await click(d, "try-sandbox");
    await visible(d, "walkthrough");
    await visible(d, "step-indicator");
    await visible(d, "step-1");
    await visible(d, "practice-portal");
  });

  let licenseId;
  await app.step(t, "step 1: profile for the Sandbox", async () => {
    await fill(d, "profile-name", "sandbox-e2e");
    await choose(d, "environment", "sandbox");
    licenseId = (await textOf(d, "practice-license-id")).trim();
    assert.match(licenseId, /^[0-9a-f-]{36}$/);
    const field = await visible(d, "license-id");
    if ((await field.getAttribute("value")) !== licenseId) await fill(d, "license-id", licenseId);
  });

  let appId;
  await app.step(t, "step 1: practice portal creates the application; secret and id go into the walkthrough", async () => {
    await click(d, "practice-create-app");
    await fill(d, "practice-app-name", "E2E reporting app");
    await click(d, "practice-save");
    seen.appSecret = (await textOf(d, "practice-secret")).trim();
    appId = (await textOf(d, "practice-app-id")).trim();
    assert.ok(seen.appSecret.length >= 16, `a secret is shown once (${seen.appSecret.length} chars)`);
    assert.match(appId, /^[0-9a-f-]{36}$/);

    await fill(d, "app-secret", seen.appSecret);
    await click(d, "save-app-secret");
    await waitStored(d, "secret-status");
    await noError(d);
    const secretField = await visible(d, "app-secret");
    assert.equal(await secretField.getAttribute("value"), "", "the secret field is emptied once stored");
    await fill(d, "app-id", appId);
    await screenshot(d, "walkthrough-practice-portal", "walkthrough");
    await click(d, "practice-done");
    await eventually(async () => (await d.findElements(tid("practice-secret"))).length === 0, 5000, "the one-time dialog to close");
    await click(d, "next-step");
    await visible(d, "step-2");
    await noError(d);
  });

  await app.step(t, "step 2: subscribe, activate, show the key, store it", async () => {
    await visible(d, "practice-portal");
    await click(d, "practice-subscribe");
    await click(d, "practice-activate");
    await click(d, "practice-show-key");
    seen.apiKey = (await textOf(d, "practice-primary-key")).trim();
    assert.match(seen.apiKey, /^[0-9a-f]{32}$/, "the primary key is 32 hex digits");
    await fill(d, "api-key", seen.apiKey);
    await click(d, "save-api-key");
    await waitStored(d, "api-key-status");
    await noError(d);
    await screenshot(d, "walkthrough-step2-api-portal");
    await click(d, "next-step");
    await visible(d, "step-3");
  });

  await app.step(t, "step 3: license token, the license's accounts, an account token", async () => {
    await click(d, "get-license-token");
    await visible(d, "token-countdown", 20_000);
    await noError(d);

    await click(d, "load-accounts");
    const rows = await eventually(async () => {
      const r = await d.findElements(tid("account-row"));
      return r.length ? r : null;
    }, 20_000, "account rows");
    assert.equal(rows.length, 3, "the demo license has three accounts");
    const scope = {};
    for (const r of rows) scope[await r.getAttribute("data-account-id")] = await r.getAttribute("data-in-scope");
    assert.ok(Object.values(scope).includes("true"), `some account in scope: ${JSON.stringify(scope)}`);
    assert.ok(Object.values(scope).includes("false"), `some account out of scope: ${JSON.stringify(scope)}`);

    // Search narrows the list to the Azure account.
    await fill(d, "account-search", "Azure");
    const azure = await eventually(async () => {
      const r = await d.findElements(tid("account-row"));
      return r.length === 1 ? r[0] : null;
    }, 5000, "the search to leave one row");
    const accountId = await azure.getAttribute("data-account-id");
    assert.equal(await azure.getAttribute("data-in-scope"), "true");
    await azure.findElement(tid("get-account-token")).click();

    await eventually(async () => (await d.findElements(tid("token-countdown"))).length >= 2, 20_000, "a second token (the account token)");
    await noError(d);
    const tokens = await revealAll(d);
    seen.tokens = tokens;
    const payloads = tokens.map(jwtPayload);
    const account = payloads.find((p) => p && p.account_id === accountId);
    assert.ok(account, `an account token for ${accountId} among ${JSON.stringify(payloads)}`);
    assert.equal(account.license_id, licenseId);
    assert.equal(account.sub, appId, "issued to the application created in the practice portal");
    const indicator = await visible(d, "step-indicator");
    await eventually(
      async () => (await indicator.findElement(By.css('[data-step="3"]')).getAttribute("data-done")) === "true",
      5000,
      "step 3 to be marked done",
    );
    await screenshot(d, "walkthrough-account-token", "step-3");
    for (const b of await d.findElements(tid("hide-token"))) await b.click();
  });

  await app.step(t, "(e) no secret or token in web storage, nor in any file under the test's HOME and config", async () => {
    assert.ok(seen.appSecret && seen.apiKey && seen.tokens?.length, "earlier steps ran");
    const secrets = { "app secret": seen.appSecret, "API key": seen.apiKey };
    seen.tokens.forEach((tok, i) => (secrets[`token ${i + 1}`] = tok));
    const storage = await assertWebStorageClean(d, secrets);
    t.diagnostic(`web storage: ${JSON.stringify(storage)}`);
    await app.quit();
    assert.ok(existsSync(join(space.configDir, "config.json")), "the profile was written to the test's config dir");
    const { scanned, files } = assertFilesClean(space, secrets);
    t.diagnostic(`scanned ${scanned} files: ${files.join(", ")}`);
  });
});
