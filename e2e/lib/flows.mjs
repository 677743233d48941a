// Steps several tests share, written against the data-testids the UI promises.

import assert from "node:assert/strict";
import {
  By,
  click,
  choose,
  eventually,
  fill,
  find,
  noError,
  tid,
  visible,
  webStorage,
} from "./app.mjs";
import { filesContaining, listFiles } from "./system.mjs";

/** The app's first screen after start: the welcome screen on a fresh config. */
export async function waitForWelcome(driver) {
  return visible(driver, "welcome", 20_000);
}

/** Waits until a StoredStatus (secret-status / api-key-status) says stored. */
export async function waitStored(driver, id, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const els = await driver.findElements(tid(id));
      for (const el of els) if ((await el.getAttribute("data-stored")) === "true") return el;
      return null;
    },
    timeoutMs,
    `${id} to say stored`,
  );
}

/**
 * Profiles > New profile, filled and saved. `environment` is prod/trial/sandbox/custom;
 * with custom, `customUrl` is the address.
 */
export async function createProfile(driver, p) {
  await click(driver, "nav-profiles");
  await click(driver, "new-profile");
  await fill(driver, "profile-name", p.name);
  await choose(driver, "environment", p.environment);
  if (p.environment === "custom") await fill(driver, "custom-url", p.customUrl);
  await fill(driver, "license-id", p.licenseId);
  await fill(driver, "app-id", p.appId);
  await fill(driver, "api-key-name", p.apiKeyName);
  if (p.secret) await fill(driver, "app-secret", p.secret);
  if (p.apiKey) await fill(driver, "api-key", p.apiKey);
  await click(driver, "save-profile");
  const item = await driver.wait(
    async () => (await driver.findElements(By.css(`[data-testid="profile-item"][data-name="${p.name}"]`)))[0],
    15_000,
    `profile "${p.name}" never appeared in the profile list`,
  );
  await noError(driver);
  return item;
}

/** Selects the profile in the list and returns its detail view's secret/key statuses. */
export async function openProfile(driver, name) {
  await click(driver, "nav-profiles");
  const item = await driver.wait(
    async () => (await driver.findElements(By.css(`[data-testid="profile-item"][data-name="${name}"]`)))[0],
    10_000,
    `profile "${name}" is not in the list`,
  );
  await item.click();
  return item;
}

/** Tokens screen with `name` selected in profile-select. */
export async function openTokens(driver, name) {
  await click(driver, "nav-tokens");
  await visible(driver, "token-panel");
  if (name) await choose(driver, "profile-select", name);
}

/** Settings > clipboard delay. */
export async function setClipboardSeconds(driver, seconds) {
  await click(driver, "nav-settings");
  await fill(driver, "clipboard-seconds", String(seconds));
  await click(driver, "save-settings");
  await eventually(async () => (await driver.findElements(tid("status-message"))).length > 0, 5000, "a status message after saving settings").catch(() => {});
  await noError(driver);
}

/** Runs Test connection and returns [{id, status, text}] once the checklist is shown. */
export async function testConnection(driver) {
  await click(driver, "test-connection");
  const items = await eventually(
    async () => {
      const els = await driver.findElements(tid("check-item"));
      return els.length ? els : null;
    },
    30_000,
    "the connection checklist",
  );
  const out = [];
  for (const el of items) {
    out.push({
      id: await el.getAttribute("data-id"),
      status: await el.getAttribute("data-status"),
      text: await el.getText(),
    });
  }
  return out;
}

/** Every token the page currently shows through Reveal (clicks every reveal-token button). */
export async function revealAll(driver) {
  const shown = (await driver.findElements(tid("token-value"))).length;
  let clicked = 0;
  for (const b of await driver.findElements(tid("reveal-token"))) {
    if (await b.isDisplayed()) {
      await b.click();
      clicked += 1;
    }
  }
  // Each reveal is its own call to the backend and they answer in any order: wait for all of
  // them, not for the first value to appear.
  return eventually(
    async () => {
      const vals = [];
      for (const el of await driver.findElements(tid("token-value"))) vals.push((await el.getText()).trim());
      return vals.length && vals.length >= shown + clicked && vals.every(Boolean) ? vals : null;
    },
    10_000,
    "revealed token values",
  );
}

/** The payload of a JWT (the emulator's default token format), or null for an opaque token. */
export function jwtPayload(token) {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
}

/**
 * (e) Nothing the user typed as a secret, and no token, is kept by the web view's storage or
 * in any file under the test's HOME and config folder. Call `webStorageHolds` while the app
 * runs, `filesHold` after it has quit (so WebKit has flushed its storage to disk).
 */
export async function assertWebStorageClean(driver, secrets) {
  const storage = await webStorage(driver);
  const dump = JSON.stringify(storage);
  for (const [what, value] of Object.entries(secrets)) {
    if (!value) continue;
    assert.ok(!dump.includes(value), `web storage holds the ${what}: ${dump}`);
  }
  return storage;
}

export function assertFilesClean(space, secrets) {
  const needles = Object.values(secrets).filter(Boolean);
  const { hits, scanned } = filesContaining(space.tmp, needles);
  const named = hits.map((h) => `${h.file} holds the ${Object.keys(secrets).find((k) => secrets[k] === h.secret)}`);
  assert.deepEqual(named, [], `secrets found in files:\n${named.join("\n")}`);
  assert.ok(scanned > 0, "the scan saw no files at all");
  return { scanned, files: listFiles(space.tmp) };
}

// The Sandbox's practice portal (ui/src/lib/components/practice/), as the vendor's screenshots
// show the real one.

/** Clicks a practice portal control, first scrolled to the middle of its scrolling box. */
async function press(driver, id) {
  const el = await visible(driver, id);
  await driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", el);
  return click(driver, id);
}

/** The practice portal's row of an API application. */
export async function practiceAppRow(driver, appId) {
  return eventually(
    async () => (await driver.findElements(By.css(`[data-testid="practice-app-row"][data-app-id="${appId}"]`)))[0] ?? null,
    10_000,
    `the practice portal to list ${appId}`,
  );
}

/**
 * Configurations > Cloudneeti API Access > Create API Application: the name, the APIs
 * (Select APIs to Connect), the cloud accounts whose names contain each of `include` moved to
 * Included Cloud Accounts (search, then >>), Token Expiry (minutes: 60, 240 or 1440), Secret
 * Expiry (dd/mm/yyyy or none), Save. Returns the one-time secret; the dialog stays open.
 */
export async function practiceCreateApp(driver, { name, apis, include = [], tokenExpiry = 60, secretExpiry = null }) {
  await press(driver, "practice-create-app");
  await fill(driver, "practice-app-name", name);
  await press(driver, "practice-apis");
  for (const api of apis) {
    const box = await visible(driver, "practice-apis-list");
    const option = await box.findElement(By.css(`[data-api="${api}"]`));
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", option);
    await option.click();
  }
  await press(driver, "practice-apis"); // closes the list
  for (const text of include) {
    await fill(driver, "practice-excluded-search", text);
    await press(driver, "practice-include-all");
  }
  await choose(driver, "practice-token-expiry", String(tokenExpiry));
  if (secretExpiry) await fill(driver, "practice-secret-expiry", secretExpiry);
  await press(driver, "practice-save");
  await visible(driver, "practice-one-time-dialog");
  return (await (await visible(driver, "practice-secret")).getText()).trim();
}

/**
 * Configure App > Regenerate Secret Key on the app's row; the confirmation must say it
 * overrides the secret. `cancelFirst` first answers Cancel, then asks again. Returns the new
 * secret; the one-time dialog stays open.
 */
export async function practiceRegenerate(driver, appId, { cancelFirst = false } = {}) {
  const ask = async () => {
    const row = await practiceAppRow(driver, appId);
    const configure = await row.findElement(tid("practice-configure-app"));
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", configure);
    await configure.click();
    const item = await eventually(async () => (await row.findElements(tid("practice-regenerate")))[0] ?? null, 5000, "the Configure App menu");
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", item);
    await item.click();
    const dialog = await visible(driver, "practice-confirm-dialog");
    assert.match(await dialog.getText(), /This will override the existing API App secret\./);
  };
  await ask();
  if (cancelFirst) {
    await press(driver, "practice-confirm-cancel");
    await eventually(async () => (await driver.findElements(tid("practice-confirm-dialog"))).length === 0, 5000, "the confirmation to close");
    await ask();
  }
  await press(driver, "practice-confirm");
  await visible(driver, "practice-one-time-dialog");
  return (await (await visible(driver, "practice-secret")).getText()).trim();
}

/**
 * The API portal: PRODUCTS > Unlimited > Subscribe; the subscription is "Submitted" until the
 * practice control plays Cloudneeti's activation; then Username > Profile > Show. Returns the
 * Primary and Secondary keys.
 */
export async function practiceSubscribe(driver) {
  await press(driver, "practice-nav-products");
  await press(driver, "practice-product-unlimited");
  await press(driver, "practice-subscribe");
  await visible(driver, "practice-subscribed");
  await press(driver, "practice-username");
  await press(driver, "practice-profile");
  const state = await visible(driver, "practice-key-state");
  await eventually(async () => (await state.getText()).trim() === "Submitted", 5000, "the subscription to show Submitted");
  await press(driver, "practice-activate");
  await eventually(
    async () => (await (await visible(driver, "practice-key-state")).getAttribute("data-state")) === "active",
    5000,
    "the subscription to become active",
  );
  await press(driver, "practice-show-key");
  await press(driver, "practice-show-secondary-key");
  const primary = (await (await visible(driver, "practice-primary-key")).getText()).trim();
  const secondary = (await (await visible(driver, "practice-secondary-key")).getText()).trim();
  await noError(driver);
  return { primary, secondary };
}

export { find };
