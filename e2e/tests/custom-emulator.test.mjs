// (b) A profile pointing at a separately started emulator by custom URL: with a wrong secret
// Test connection names the broken link ("Application id and secret accepted"); with the right
// one every link is ok. (e) Neither secret ends up in web storage or files.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { App, By, choose, click, eventually, fill, newSpace, noError, screenshot, tid, visible } from "../lib/app.mjs";
import { demoSeed, keychainLookup, startEmulator } from "../lib/system.mjs";
import {
  assertFilesClean,
  assertWebStorageClean,
  createProfile,
  openProfile,
  openTokens,
  testConnection,
  waitForWelcome,
  waitStored,
} from "../lib/flows.mjs";

const space = newSpace("custom-emulator");
const app = new App(space);
let emulator;
let seed;
const WRONG_SECRET = "WRONG-e2e-secret-that-the-emulator-refuses";
const PROFILE = "emu-custom";

before(async () => {
  seed = await demoSeed();
  emulator = await startEmulator();
  await app.start();
});
after(async () => {
  await app.dispose();
  await emulator?.stop();
});

test("custom URL profile against a separately started emulator", async (t) => {
  const d = app.driver;

  await app.step(t, "the emulator runs on its own and the app starts on the welcome screen", async () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await waitForWelcome(d);
  });

  await app.step(t, "create the profile by custom URL with a wrong secret", async () => {
    await createProfile(d, {
      name: PROFILE,
      environment: "custom",
      customUrl: emulator.url,
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "emu-key",
      secret: WRONG_SECRET,
      apiKey: seed.apiKey,
    });
    await openProfile(d, PROFILE);
    await waitStored(d, "secret-status");
    await waitStored(d, "api-key-status");
    const badge = await visible(d, "environment-badge");
    assert.equal(await badge.getAttribute("data-kind"), "custom");
    // Write-only: the page shows neither value.
    const text = await d.executeScript("return document.body.innerText");
    assert.ok(!text.includes(WRONG_SECRET) && !text.includes(seed.apiKey), "the profile screen shows no secret");
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), WRONG_SECRET, "the secret is in the keychain");
    await screenshot(d, "profiles");
  });

  await app.step(t, "Test connection names the broken link: Application id and secret accepted", async () => {
    await openTokens(d, PROFILE);
    const checks = await testConnection(d);
    const failed = checks.filter((c) => c.status === "failed");
    assert.equal(failed.length, 1, `one failed link: ${JSON.stringify(checks)}`);
    assert.equal(failed[0].id, "app_accepted");
    assert.match(failed[0].text, /Application id and secret accepted/);
    const before = checks.slice(0, checks.findIndex((c) => c.id === "app_accepted"));
    assert.deepEqual(before.map((c) => c.status), before.map(() => "ok"), `links before it are ok: ${JSON.stringify(before)}`);
    await screenshot(d, "test-connection-failed", "test-connection");
  });

  await app.step(t, "Replace the secret with the right one: every link is ok", async () => {
    await openProfile(d, PROFILE);
    await click(d, "replace-secret");
    await fill(d, "app-secret", seed.secret);
    await click(d, "save-app-secret");
    await eventually(async () => (await keychainLookup(space.service, `app-secret:${PROFILE}`)) === seed.secret, 10_000, "the keychain to hold the new secret");
    await noError(d);
    await openTokens(d, PROFILE);
    const checks = await testConnection(d);
    assert.deepEqual(
      checks.filter((c) => c.status !== "ok"),
      [],
      `every link ok: ${JSON.stringify(checks.map(({ id, status }) => ({ id, status })))}`,
    );
    assert.ok(checks.some((c) => c.id === "app_accepted"));
    await screenshot(d, "test-connection", "test-connection");
  });

  await app.step(t, "a license token from the custom URL", async () => {
    await click(d, "get-license-token");
    await visible(d, "token-countdown", 20_000);
    await noError(d);
  });

  await app.step(t, "an account token by account id alone (no account list needed)", async () => {
    const account = seed.inScope[0];
    await choose(d, "token-kind", "account");
    await fill(d, "account-id", account);
    await click(d, "get-account-token-by-id");
    await eventually(async () => (await d.executeScript("return document.body.innerText")).includes(`Account token: ${account}`), 20_000, "the account token card");
    await noError(d);
  });

  await app.step(t, "a License Admin regenerates the secret: Test connection turns red at once, not green from a cached token", async () => {
    const res = await fetch(`${emulator.url.replace(/\/$/, "")}/_emulator/apps/${seed.appId}/regenerate-secret`, { method: "POST" });
    assert.equal(res.status, 200, await res.text());
    // Leave and come back, so the checklist read is the new one, not the last run's.
    await openProfile(d, PROFILE);
    await openTokens(d, PROFILE);
    const checks = await testConnection(d);
    const failed = checks.filter((c) => c.status === "failed");
    assert.equal(failed.length, 1, `one failed link: ${JSON.stringify(checks)}`);
    assert.equal(failed[0].id, "app_accepted");
    assert.match(failed[0].text, /regenerated/i);
  });

  await app.step(t, "(e) neither secret in web storage nor in any file under the test's HOME and config", async () => {
    const secrets = { "wrong app secret": WRONG_SECRET, "app secret": seed.secret, "API key": seed.apiKey };
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
