// The real app exports the audit report of a Sandbox profile through the system's native save
// dialog (GTK's file chooser, opened by the backend; the web view has no dialog or file-system
// permission), answered with real key events (xdotool): the file lands where the user typed,
// complete, with the vendor script's header, and the window reports the rows it holds.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { App, click, eventually, newSpace, noError, visible } from "../lib/app.mjs";
import { answerSaveDialog, demoSeed } from "../lib/system.mjs";
import { assertFilesClean, assertWebStorageClean, createProfile, waitForWelcome } from "../lib/flows.mjs";

const space = newSpace("export");
const app = new App(space);
const PROFILE = "export-sandbox";
/** Generate-AuditReport.ps1's header, byte for byte. */
const AUDIT_HEADER =
  '"Cloud Account Id","Cloud Account Name","Connector Type","Benchmark Name","Category Name","Policy ID","Policy Name","Control Number","Total Resource Count","Passed Resource Count","Failed Resource Count","Risk Impact","Risk Likelihood","Risk Level"';
let seed;

before(async () => {
  seed = await demoSeed();
  await app.start();
});
after(async () => {
  await app.dispose();
});

test("export: the audit report through the native save dialog", async (t) => {
  const d = app.driver;
  const folder = join(space.tmp, "reports");
  mkdirSync(folder);
  const file = join(folder, "sandbox-audit.csv");

  await app.step(t, "a Sandbox profile, its accounts in the Accounts view", async () => {
    await waitForWelcome(d);
    await createProfile(d, {
      name: PROFILE,
      environment: "sandbox",
      licenseId: seed.licenseId,
      appId: seed.appId,
      apiKeyName: "export-key",
      secret: seed.secret,
      apiKey: seed.apiKey,
    });
    await click(d, "nav-accounts");
    await visible(d, "account-row", 20_000);
    await visible(d, "export-report");
  });

  await app.step(t, "Export CSV opens the native dialog; the typed path is where the report lands", async () => {
    await click(d, "export-start");
    const { proposed } = await answerSaveDialog(file);
    t.diagnostic(`the dialog proposed ${JSON.stringify(proposed)}`);
    assert.match(proposed, /^audit_report-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.csv$/, "the script's file name is proposed");
    const result = await visible(d, "export-result", 30_000);
    await noError(d);
    assert.equal(await result.getAttribute("data-file"), file);
    assert.ok(existsSync(file), `${file} exists`);
    const lines = readFileSync(file, "utf8").split(/\r?\n/).filter(Boolean);
    assert.equal(lines[0], AUDIT_HEADER);
    assert.equal(Number(await result.getAttribute("data-rows")), lines.length - 1, "the rows the window reports are the file's");
    assert.ok(lines.length > 1, "rows below the header");
    assert.equal(await result.getAttribute("data-failed"), "0");
    const inScope = seed.inScope.filter((id) => seed.accounts.some((a) => a.accountId === id));
    for (const id of inScope) assert.ok(lines.some((l) => l.startsWith(`"${id}"`)), `account ${id} is in the report`);
    assert.equal(statSync(file).mode & 0o777, 0o600, "readable by its owner only");
    assert.deepEqual(readdirSync(folder), ["sandbox-audit.csv"], "no temporary file is left");
    await eventually(async () => (await result.getText()).includes(file), 5000, "the window to name the file");
  });

  await app.step(t, "(e) no secret in web storage or files (the report holds none)", async () => {
    const secrets = { "app secret": seed.secret, "API key": seed.apiKey };
    await assertWebStorageClean(d, secrets);
    await app.quit();
    assertFilesClean(space, secrets);
  });
});
