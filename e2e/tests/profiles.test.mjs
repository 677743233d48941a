// Beyond the list: secrets are write-only and removable, deleting a profile removes its
// secret from the keychain (and keeps the shared API key), and the walkthrough's "Finish later"
// keeps the place across a restart.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { App, By, click, eventually, newSpace, noError, tid, visible } from "../lib/app.mjs";
import { answerConfirmDialog, demoSeed, keychainLookup } from "../lib/system.mjs";
import { assertFilesClean, assertWebStorageClean, createProfile, openProfile, waitForWelcome, waitStored } from "../lib/flows.mjs";

const space = newSpace("profiles");
const app = new App(space);
let seed;

before(async () => {
  seed = await demoSeed();
  await app.start();
});
after(async () => {
  await app.dispose();
});

const statusOf = async (d, id) => (await visible(d, id)).getAttribute("data-stored");

test("profiles: remove a secret, delete a profile, resume the walkthrough", async (t) => {
  let d = app.driver;

  await app.step(t, "Remove (confirmed in the native dialog) takes the secret out of the keychain; Replace stores a new one", async () => {
    await waitForWelcome(d);
    await createProfile(d, {
      name: "gone-soon",
      environment: "sandbox",
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "shared-key",
      secret: seed.secret,
      apiKey: seed.apiKey,
    });
    await openProfile(d, "gone-soon");
    await waitStored(d, "secret-status");
    await click(d, "remove-secret");
    await answerConfirmDialog("^Remove the application secret\\?$", true);
    await eventually(async () => (await statusOf(d, "secret-status")) === "false", 10_000, "the secret to be shown as not stored");
    assert.equal(await keychainLookup(space.service, "app-secret:gone-soon"), null, "the keychain entry is gone");
    await click(d, "replace-secret");
    const input = await visible(d, "app-secret");
    assert.equal(await input.getAttribute("type"), "password", "secret inputs are password fields");
    await input.sendKeys(seed.secret);
    await click(d, "save-app-secret");
    await waitStored(d, "secret-status");
    assert.equal(await keychainLookup(space.service, "app-secret:gone-soon"), seed.secret);
    await noError(d);
  });

  await app.step(t, "Delete (confirmed in the native dialog) removes the profile and its secret, keeps the API key", async () => {
    await click(d, "delete-profile");
    await answerConfirmDialog("^Delete the profile\\?$", true);
    await eventually(
      async () => (await d.findElements(By.css('[data-testid="profile-item"][data-name="gone-soon"]'))).length === 0,
      10_000,
      "the profile to leave the list",
    );
    await noError(d);
    assert.equal(await keychainLookup(space.service, "app-secret:gone-soon"), null, "its secret left the keychain");
    assert.equal(await keychainLookup(space.service, "api-key:shared-key"), seed.apiKey, "the shared API key stays");
  });

  await app.step(t, "Finish later keeps the walkthrough's place, also across a restart", async () => {
    await click(d, "nav-walkthrough");
    await visible(d, "walkthrough");
    await visible(d, "step-1");
    await click(d, "next-step");
    await visible(d, "step-2");
    await click(d, "finish-later");
    await eventually(async () => (await d.findElements(tid("walkthrough"))).length === 0, 5000, "the walkthrough to close");
    await click(d, "nav-walkthrough");
    await visible(d, "step-2");
    await click(d, "prev-step");
    await visible(d, "step-1");
    await click(d, "next-step");
    await visible(d, "step-2");
    await click(d, "finish-later");
    d = await app.restart();
    await eventually(async () => (await d.findElements(tid("nav-walkthrough"))).length > 0, 20_000, "the app to start again");
    await click(d, "nav-walkthrough");
    await visible(d, "step-2", 10_000);
  });

  await app.step(t, "(e) no secret in web storage or files", async () => {
    const secrets = { "app secret": seed.secret, "API key": seed.apiKey };
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
