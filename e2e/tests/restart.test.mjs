// (d) A restart keeps the profile and the secret (keychain), and shows no token until asked.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { App, By, click, eventually, newSpace, noError, tid, visible } from "../lib/app.mjs";
import { demoSeed, keychainLookup } from "../lib/system.mjs";
import {
  assertFilesClean,
  assertWebStorageClean,
  createProfile,
  openProfile,
  openTokens,
  revealAll,
  waitForWelcome,
  waitStored,
} from "../lib/flows.mjs";

const space = newSpace("restart");
const app = new App(space);
let seed;
const PROFILE = "keep-me";
const tokens = [];

before(async () => {
  seed = await demoSeed();
  await app.start();
});
after(async () => {
  await app.dispose();
});

test("restart keeps the profile and the secret, and holds no token", async (t) => {
  let d = app.driver;

  await app.step(t, "first run: a profile with its secret and key, and a token", async () => {
    await waitForWelcome(d);
    await createProfile(d, {
      name: PROFILE,
      environment: "sandbox",
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "keep-key",
      secret: seed.secret,
      apiKey: seed.apiKey,
    });
    await openProfile(d, PROFILE);
    await waitStored(d, "secret-status");
    await waitStored(d, "api-key-status");
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), seed.secret);
    assert.equal(await keychainLookup(space.service, "api-key:keep-key"), seed.apiKey);
    await openTokens(d, PROFILE);
    await click(d, "get-license-token");
    await visible(d, "token-countdown", 20_000);
    tokens.push(...(await revealAll(d)));
  });

  await app.step(t, "restart: the same profile, secret and key are there", async () => {
    const before = app.appPid();
    d = await app.restart();
    assert.notEqual(app.appPid(), before, "a new app process");
    await eventually(async () => (await d.findElements(tid("nav-profiles"))).length > 0, 20_000, "the app to start again");
    await openProfile(d, PROFILE);
    const item = await d.findElement(By.css(`[data-testid="profile-item"][data-name="${PROFILE}"]`));
    assert.ok(item);
    await waitStored(d, "secret-status");
    await waitStored(d, "api-key-status");
    await noError(d);
  });

  await app.step(t, "no token is shown until asked; asking works with the kept secret", async () => {
    await openTokens(d, PROFILE);
    await visible(d, "get-license-token");
    for (const id of ["token-countdown", "token-value", "copy-token", "reveal-token"]) {
      assert.equal((await d.findElements(tid(id))).length, 0, `no ${id} before a token is asked for`);
    }
    const page = await d.executeScript("return document.body.innerText");
    for (const tok of tokens) assert.ok(!page.includes(tok), "the previous run's token is not shown");
    await click(d, "get-license-token");
    await visible(d, "token-countdown", 20_000);
    await noError(d);
    tokens.push(...(await revealAll(d)));
    assert.notEqual(tokens.at(-1), tokens[0], "a new token, not the previous run's");
  });

  await app.step(t, "(e) no secret or token in web storage or files", async () => {
    const secrets = { "app secret": seed.secret, "API key": seed.apiKey };
    tokens.forEach((tok, i) => (secrets[`token ${i + 1}`] = tok));
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
