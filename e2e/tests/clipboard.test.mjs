// (c) Copy puts the token on the X clipboard (through the backend) and the clipboard is cleared
// after the configured delay (5 s here); a clipboard that changed meanwhile is left alone; Copy
// as curl refers to $CLOUDNEETI_API_KEY instead of pasting the key.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { App, click, eventually, newSpace, noError, screenshot, sleep, textOf, visible } from "../lib/app.mjs";
import { clipboardText, demoSeed } from "../lib/system.mjs";
import {
  assertFilesClean,
  assertWebStorageClean,
  createProfile,
  openTokens,
  revealAll,
  setClipboardSeconds,
  waitForWelcome,
} from "../lib/flows.mjs";

const space = newSpace("clipboard");
const app = new App(space);
let seed;
const DELAY = 5;
const PROFILE = "clip";

/** Puts `text` on the clipboard as another program would; returns a function that ends it. */
function otherProgramCopies(text) {
  const xclip = spawn("xclip", ["-selection", "clipboard", "-i", "-quiet"], { stdio: ["pipe", "ignore", "ignore"] });
  xclip.stdin.end(text);
  return () => {
    if (xclip.exitCode === null) xclip.kill("SIGTERM");
  };
}

before(async () => {
  seed = await demoSeed();
  await app.start();
});
after(async () => {
  await app.dispose();
});

test("clipboard: copy, timed clear, copy as curl", async (t) => {
  const d = app.driver;
  let token;

  await app.step(t, "a Sandbox profile, the clipboard delay set to 5 s, a license token", async () => {
    await waitForWelcome(d);
    await createProfile(d, {
      name: PROFILE,
      environment: "sandbox",
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "clip-key",
      secret: seed.secret,
      apiKey: seed.apiKey,
    });
    await setClipboardSeconds(d, DELAY);
    await openTokens(d, PROFILE);
    await click(d, "get-license-token");
    await visible(d, "token-countdown", 20_000);
    await visible(d, "token-expiry");
    await noError(d);
    [token] = await revealAll(d);
    assert.ok(token.length > 20, "a token was revealed");
    await click(d, "hide-token");
  });

  await app.step(t, "Copy: the clipboard holds the token, and is cleared after the delay", async () => {
    const copied = Date.now();
    await click(d, "copy-token");
    const status = await textOf(d, "copy-status");
    assert.match(status, new RegExp(`${DELAY} s`), `the status names the delay: ${status}`);
    assert.equal(await clipboardText(), token, "the X clipboard holds the token");
    await screenshot(d, "token-panel");
    await eventually(async () => (await clipboardText()) === "", (DELAY + 5) * 1000, "the clipboard to be cleared");
    const after = (Date.now() - copied) / 1000;
    assert.ok(after >= DELAY - 0.5, `cleared after ${after.toFixed(1)} s, not before the ${DELAY} s delay`);
    t.diagnostic(`clipboard cleared ${after.toFixed(1)} s after Copy`);
  });

  await app.step(t, "a clipboard that changed meanwhile is left alone", async () => {
    await click(d, "copy-token");
    assert.equal(await clipboardText(), token);
    const stop = otherProgramCopies("something the user copied later");
    try {
      await eventually(async () => (await clipboardText()) === "something the user copied later", 3000, "the other program's text");
      await sleep((DELAY + 2) * 1000);
      assert.equal(await clipboardText(), "something the user copied later");
    } finally {
      stop();
    }
  });

  await app.step(t, "Copy as curl: the token, and the API key only as $CLOUDNEETI_API_KEY", async () => {
    await click(d, "copy-curl");
    const text = await eventually(async () => {
      const c = await clipboardText();
      return c.startsWith("curl") ? c : null;
    }, 5000, "a curl command on the clipboard");
    assert.ok(text.includes(token), "the command carries the token");
    assert.ok(text.includes("$CLOUDNEETI_API_KEY"), "the key comes from the environment");
    assert.ok(!text.includes(seed.apiKey), "the API key itself is not pasted");
    await click(d, "copy-powershell");
    const ps = await eventually(async () => {
      const c = await clipboardText();
      return c.startsWith("Invoke-RestMethod") ? c : null;
    }, 5000, "a PowerShell command on the clipboard");
    assert.ok(ps.includes("$env:CLOUDNEETI_API_KEY") && !ps.includes(seed.apiKey));
  });

  await app.step(t, "(e) no secret or token in web storage or files", async () => {
    const secrets = { "app secret": seed.secret, "API key": seed.apiKey, token };
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
