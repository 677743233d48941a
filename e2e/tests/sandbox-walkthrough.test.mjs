// (a) The Sandbox walkthrough from the welcome screen to an account token, through the
// practice portal as the vendor's screenshots show the real one: create the app with its
// APIs, scope and expiries, copy its one-time secret (through the app's clipboard) and then
// its id into the walkthrough; PRODUCTS > Unlimited > Subscribe, "Submitted" until the
// practice control activates it, Profile > Show, enter the key; then license token, accounts,
// account token; then the appendix: Configure App > Regenerate Secret Key, Cancel / Continue.
// (e) Afterwards no web storage and no file under the test's HOME/config holds a secret.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { App, By, click, choose, eventually, fill, newSpace, noError, screenshot, textOf, tid, visible } from "../lib/app.mjs";
import {
  assertFilesClean,
  assertWebStorageClean,
  jwtPayload,
  practiceAppRow,
  practiceCreateApp,
  practiceRegenerate,
  practiceSubscribe,
  revealAll,
  waitForWelcome,
  waitStored,
} from "../lib/flows.mjs";

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
  let accountCount;
  await app.step(t, "step 1: practice portal creates the application; secret and id go into the walkthrough", async () => {
    // Every account of the license is listed on one side of Select APIs Scope.
    await click(d, "practice-create-app");
    const excluded = await visible(d, "practice-excluded");
    accountCount = (await excluded.findElements(By.css("option"))).length;
    assert.ok(accountCount >= 3, `the license's cloud accounts are offered (${accountCount})`);
    await click(d, "practice-cancel");

    seen.appSecret = await practiceCreateApp(d, {
      name: "E2E reporting app",
      apis: ["License.GetAPIAccess", "Account.Audit"],
      include: ["Azure", "Office"],
      tokenExpiry: 240,
      secretExpiry: "31/12/2099",
    });
    assert.ok(seen.appSecret.length >= 16, `a secret is shown once (${seen.appSecret.length} chars)`);
    assert.match(await textOf(d, "practice-notice"), /API application added successfully/);
    assert.match(await textOf(d, "practice-one-time-dialog"), /You will not be able to retrieve it after you leave this pop-up/);
    // The copy control goes through the app's clipboard command.
    await click(d, "practice-copy-secret");
    await eventually(async () => /cleared from the clipboard/.test(await textOf(d, "practice-copy-status")), 5000, "the copy to be confirmed");
    await noError(d);

    await fill(d, "app-secret", seen.appSecret);
    await click(d, "save-app-secret");
    await waitStored(d, "secret-status");
    await noError(d);
    const secretField = await visible(d, "app-secret");
    assert.equal(await secretField.getAttribute("value"), "", "the secret field is emptied once stored");
    await screenshot(d, "walkthrough-practice-portal", "walkthrough");
    await click(d, "practice-done");
    await eventually(async () => (await d.findElements(tid("practice-secret"))).length === 0, 5000, "the one-time dialog to close");
    // Then the application id, in the Cloudneeti API Access table.
    appId = (await textOf(d, "practice-app-id")).trim();
    assert.match(appId, /^[0-9a-f-]{36}$/);
    const row = await practiceAppRow(d, appId);
    const rowText = await row.getText();
    assert.match(rowText, /E2E reporting app/);
    assert.match(rowText, /License\.GetAPIAccess/);
    await fill(d, "app-id", appId);
    await click(d, "next-step");
    await visible(d, "step-2");
    await noError(d);
  });

  await app.step(t, "step 2: subscribe, activate, show the key, store it", async () => {
    await visible(d, "practice-portal");
    const { primary, secondary } = await practiceSubscribe(d);
    seen.apiKey = primary;
    seen.secondaryKey = secondary;
    assert.match(seen.apiKey, /^[0-9a-f]{32}$/, "the primary key is 32 hex digits");
    assert.match(secondary, /^[0-9a-f]{32}$/, "the secondary key is 32 hex digits");
    assert.notEqual(secondary, primary);
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
    assert.equal(rows.length, accountCount, "every account of the license, as the practice portal listed them");
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

  await app.step(t, "appendix: Configure App > Regenerate Secret Key, Cancel then Continue; the new secret replaces the old", async () => {
    await click(d, "next-step");
    await visible(d, "step-appendix");
    seen.newSecret = await practiceRegenerate(d, appId, { cancelFirst: true });
    assert.notEqual(seen.newSecret, seen.appSecret);
    await fill(d, "app-secret", seen.newSecret);
    await click(d, "save-app-secret");
    await eventually(async () => /replaced the old one/.test(await textOf(d, "status-message")), 20_000, "the new secret to replace the old one");
    await noError(d);
    await click(d, "practice-done");
    await eventually(async () => (await d.findElements(tid("practice-secret"))).length === 0, 5000, "the one-time dialog to close");
  });

  await app.step(t, "(e) no secret or token in web storage, nor in any file under the test's HOME and config", async () => {
    assert.ok(seen.appSecret && seen.apiKey && seen.tokens?.length, "earlier steps ran");
    const secrets = { "app secret": seen.appSecret, "regenerated secret": seen.newSecret, "API key": seen.apiKey, "secondary key": seen.secondaryKey };
    seen.tokens.forEach((tok, i) => (secrets[`token ${i + 1}`] = tok));
    const storage = await assertWebStorageClean(d, secrets);
    t.diagnostic(`web storage: ${JSON.stringify(storage)}`);
    await app.quit();
    assert.ok(existsSync(join(space.configDir, "config.json")), "the profile was written to the test's config dir");
    const { scanned, files } = assertFilesClean(space, secrets);
    t.diagnostic(`scanned ${scanned} files: ${files.join(", ")}`);
  });
});
