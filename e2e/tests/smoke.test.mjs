// The harness itself: the real app opens in a window, its web view answers, and the test's
// isolated environment reaches the app process.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, newSpace, environOf, eventually, APP } from "../lib/app.mjs";
import { filesContaining } from "../lib/system.mjs";

const space = newSpace("smoke");
const app = new App(space);

before(async () => {
  await app.start();
});
after(async () => {
  await app.dispose();
});

test("the app opens a window titled Cloudneeti Access with the embedded UI", async () => {
  const driver = app.driver;
  assert.equal(await driver.getTitle(), "Cloudneeti Access");
  const url = await driver.getCurrentUrl();
  // Embedded assets (custom protocol), not the dev server.
  assert.match(url, /^tauri:\/\/localhost/, `the page comes from ${url}`);
  // The Svelte app mounted and talked to the backend over IPC.
  const text = await eventually(
    async () => {
      const t = await driver.executeScript("return document.getElementById('app')?.innerText ?? ''");
      return t.length > 0 && !/Starting/.test(t) ? t : null;
    },
    15_000,
    "the UI to mount",
  );
  assert.doesNotMatch(text, /did not answer/, "the backend answered the UI");
});

test("the app process runs with the test's HOME, config dir and keychain service", async () => {
  const pid = app.appPid();
  const env = environOf(pid);
  assert.equal(env.CNACCESS_CONFIG_DIR, space.configDir);
  assert.equal(env.CNACCESS_KEYCHAIN_SERVICE, space.service);
  assert.equal(env.HOME, space.home);
  assert.ok(env.DISPLAY, "the app has the Xvfb display");
  assert.ok(env.DBUS_SESSION_BUS_ADDRESS, "the app has the private session bus");
  assert.ok(APP.length > 0);
});

test("a new session after quit starts a new app process", async () => {
  const first = app.appPid();
  await app.restart();
  const second = app.appPid();
  assert.notEqual(first, second);
  assert.equal(await app.driver.getTitle(), "Cloudneeti Access");
});

test("the leak scan finds a secret stored as UTF-8 or UTF-16 (as WebKit's storage does)", () => {
  const dir = join(space.tmp, "scan-self-test");
  mkdirSync(join(dir, "deep", "er"), { recursive: true });
  writeFileSync(join(dir, "plain.txt"), "xx s3cret-utf8 yy");
  writeFileSync(join(dir, "deep", "er", "wide.bin"), Buffer.from("..s3cret-utf16..", "utf16le"));
  writeFileSync(join(dir, "clean.txt"), "nothing here");
  const { hits, scanned } = filesContaining(dir, ["s3cret-utf8", "s3cret-utf16"]);
  assert.equal(scanned, 3);
  assert.deepEqual(hits.map((h) => h.secret).sort(), ["s3cret-utf16", "s3cret-utf8"]);
});
