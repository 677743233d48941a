// The analyst's journey in the real app: Welcome > "I was given credentials" > a hand-off
// pasted > the API key and a wrong secret saved checked (refused: not in the keychain, with
// what to ask the License Admin) > the right secret (accepted) > an account token; then the
// secret's removal asks in the native dialog (GTK, answered with real key events): Cancel
// keeps it in the keychain, the yes removes it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { App, By, click, eventually, fill, newSpace, noError, visible } from "../lib/app.mjs";
import { answerConfirmDialog, demoSeed, keychainLookup } from "../lib/system.mjs";
import { assertFilesClean, assertWebStorageClean, openProfile, waitForWelcome, waitStored } from "../lib/flows.mjs";

const space = newSpace("analyst");
const app = new App(space);
const PROFILE = "given";
const WRONG = "wrong-secret-value-e2e";
let seed;

before(async () => {
  seed = await demoSeed();
  await app.start();
});
after(async () => {
  await app.dispose();
});

const attr = async (d, css, name) => (await d.findElement(By.css(css))).getAttribute(name);

test("analyst: import, key and secret checked (wrong, then right), account token, confirmed removal", async (t) => {
  const d = app.driver;

  await app.step(t, "Welcome offers the analyst's path; a pasted hand-off becomes the profile", async () => {
    await waitForWelcome(d);
    await click(d, "start-analyst");
    const handoff = JSON.stringify({
      cloudneetiAccessProfile: 1,
      name: PROFILE,
      environment: "sandbox",
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "given-key",
    });
    await fill(d, "handoff-text", handoff);
    await click(d, "import-handoff");
    const part = await visible(d, "analyst-credentials", 15_000);
    assert.equal(await part.getAttribute("data-profile"), PROFILE);
    await noError(d);
  });

  await app.step(t, "the key and a wrong secret: the secret is refused and not stored", async () => {
    await fill(d, "api-key", seed.apiKey);
    await fill(d, "app-secret", WRONG);
    await click(d, "save-credentials");
    await eventually(async () => (await attr(d, '[data-testid="secret-check"]', "data-status").catch(() => null)) === "refused", 15_000, "the secret to be refused");
    assert.equal(await attr(d, '[data-testid="key-check"]', "data-status"), "notChecked");
    assert.match(await (await visible(d, "ask-admin")).getText(), /Ask your License Admin: .*send me the current secret/);
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), null, "a refused secret is not in the keychain");
    assert.equal(await keychainLookup(space.service, "api-key:given-key"), seed.apiKey);
  });

  await app.step(t, "the right secret: accepted, stored; then an account token", async () => {
    await fill(d, "app-secret", seed.secret);
    await click(d, "save-credentials");
    await eventually(async () => (await attr(d, '[data-testid="secret-check"]', "data-status").catch(() => null)) === "accepted", 15_000, "the secret to be accepted");
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), seed.secret);
    await visible(d, "analyst-token");
    await click(d, "load-accounts");
    const row = await eventually(
      async () => (await d.findElements(By.css('[data-testid="account-row"][data-in-scope="true"] [data-testid="get-account-token"]')))[0],
      20_000,
      "an account in scope",
    );
    await row.click();
    const card = await eventually(async () => (await d.findElements(By.css('[data-testid="token-card"][data-kind="account"]')))[0], 20_000, "the account token");
    assert.ok(card);
    await noError(d);
  });

  await app.step(t, "removing the secret asks in the native dialog: Cancel keeps it, yes removes it", async () => {
    await openProfile(d, PROFILE);
    await waitStored(d, "secret-status");
    await click(d, "remove-secret");
    await answerConfirmDialog("^Remove the application secret\\?$", false);
    const note = await eventually(async () => {
      const el = (await d.findElements(By.css('[data-testid="status-message"][data-tone="neutral"]')))[0];
      return el && (await el.getText()).includes("Secret kept") ? el : null;
    }, 10_000, "the neutral note");
    assert.ok(note);
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), seed.secret, "kept");
    await click(d, "remove-secret");
    await answerConfirmDialog("^Remove the application secret\\?$", true);
    await eventually(async () => (await attr(d, '[data-testid="secret-status"]', "data-stored")) === "false", 10_000, "the secret to be shown as removed");
    assert.equal(await keychainLookup(space.service, `app-secret:${PROFILE}`), null, "removed from the keychain");
    await noError(d);
  });

  await app.step(t, "(e) no secret in web storage or files", async () => {
    const secrets = { "app secret": seed.secret, "API key": seed.apiKey, "wrong secret": WRONG };
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
