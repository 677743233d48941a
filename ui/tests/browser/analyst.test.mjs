// The analyst's journey ("I was given credentials") on the real core: the three roles on the
// Welcome screen; a hand-off imported (pasted or chosen through the backend's open dialog), one
// that carries a secret refused with a clear message, a malformed one explained; the key and a
// wrong secret saved checked (refused, not stored, with what to ask the License Admin), kept
// anyway only when asked, then the right secret accepted and an account token. And the admin's
// side: the hand-off exported (text block, copy, saved to a file through the save dialog) and
// every removal confirmed in the backend's dialog, a "keep" reading as neutral.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";

const open = useDevhost();

const DEMO = {
  license: "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01",
  app: "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02",
  secret: "DEMO-public-app-secret-0b7e5f3a",
  key: "0123456789abcdef0123456789abcdef",
};
const handoff = (extra = {}) =>
  JSON.stringify(
    { cloudneetiAccessProfile: 1, name: "given", environment: "sandbox", licenseId: DEMO.license, appId: DEMO.app, apiKeyName: "their-key", ...extra },
    null,
    2,
  );

test("analyst: import refuses a secret and explains a malformed block, then key + wrong secret (refused, not stored), keep-anyway, right secret, account token", async () => {
  const { page, context, problems, devhost } = await open();
  try {
    await page.waitForSelector(tid("welcome"));
    for (const id of ["start-setup", "start-analyst", "try-sandbox"]) assert.equal(await page.locator(tid(id)).count(), 1, id);
    await page.click(tid("start-analyst"));
    await page.waitForSelector(tid("analyst-profile"));

    // A hand-off that carries a secret is refused, and the secret is not repeated.
    const leaked = "Sup3r-leaked-secret-value";
    await page.fill(tid("handoff-text"), handoff({ appSecret: leaked }));
    await page.click(tid("import-handoff"));
    const alert = page.locator(`${tid("analyst-profile")} ${tid("error-message")}`);
    await alert.waitFor();
    assert.match(await alert.textContent(), /a hand-off never carries a secret, and this one was not read/);
    assert.ok(!(await alert.textContent()).includes(leaked));
    assert.match(await alert.textContent(), /Ask the License Admin to export the profile again/);

    await page.fill(tid("handoff-text"), '{ "cloudneetiAccessProfile": 1, "name": ');
    await page.click(tid("import-handoff"));
    await page.waitForFunction((s) => document.querySelector(s)?.textContent?.includes("not the JSON of a profile"), `${tid("analyst-profile")} ${tid("error-message")}`);
    assert.equal((await devhost.invoke("list_profiles")).length, 0, "nothing was imported");

    await page.fill(tid("handoff-text"), handoff());
    await page.click(tid("import-handoff"));
    await page.waitForSelector(`${tid("analyst-credentials")}[data-profile="given"]`);
    assert.match(await page.textContent(tid("status-message")), /Profile “given” imported/);

    // The key, and a wrong secret: the secret is refused and not stored; the analyst is told
    // what to ask the License Admin, with the service's reason.
    await page.fill(tid("api-key"), DEMO.key);
    await page.fill(tid("app-secret"), "wrong-secret-value-1");
    await page.click(tid("save-credentials"));
    await page.waitForSelector(`${tid("secret-check")}[data-status="refused"]`);
    assert.equal(await page.getAttribute(tid("key-check"), "data-status"), "notChecked");
    assert.match(await page.textContent(tid("key-check")), /API key stored, not checked yet: no profile with a stored application secret uses this key yet\./);
    assert.equal(await page.getAttribute(tid("secret-status"), "data-stored"), "false");
    assert.equal(await page.getAttribute(tid("api-key-status"), "data-stored"), "true");
    const refusal = page.locator(`${tid("secret-check")} ${tid("error-message")}`);
    assert.equal(await refusal.getAttribute("data-code"), "app_credentials_rejected");
    assert.match(await refusal.textContent(), /rejected the API application id or secret/);
    assert.match(await page.textContent(tid("ask-admin")), /Ask your License Admin: .*send me the current secret/);
    assert.equal(await page.locator(tid("analyst-token")).count(), 0, "no token part while the secret is missing");
    assert.equal(await page.inputValue(tid("app-secret")), "wrong-secret-value-1", "the refused value stays, to correct or keep");
    assert.equal(await page.inputValue(tid("api-key")), "", "the stored key is forgotten by the page");

    // Keep it anyway: stored, with the refusal beside it.
    await page.click(tid("keep-anyway"));
    await page.waitForSelector(`${tid("secret-check")}[data-status="keptRefused"]`);
    await page.waitForSelector(`${tid("secret-status")}[data-stored="true"]`);
    assert.match(await page.textContent(tid("secret-check")), /stored as you asked, although the service refused it/);

    // The right secret: accepted; then an account token.
    await page.fill(tid("app-secret"), DEMO.secret);
    await page.click(tid("save-credentials"));
    await page.waitForSelector(`${tid("secret-check")}[data-status="accepted"]`);
    assert.equal(await page.inputValue(tid("app-secret")), "");
    await page.waitForSelector(tid("analyst-token"));
    await page.click(tid("load-accounts"));
    await page.locator(`${tid("account-row")}[data-in-scope="true"] ${tid("get-account-token")}`).first().click();
    await page.waitForSelector(`${tid("token-card")}[data-kind="account"]`);
    const html = await page.content();
    for (const secret of [DEMO.secret, DEMO.key, "wrong-secret-value-1"]) assert.ok(!html.includes(secret), "no secret on the page");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("analyst: a hand-off file chosen in the backend's open dialog; a closed dialog imports nothing, neutrally; the short form", async () => {
  const dir = mkdtempSync(join(tmpdir(), "handoff-"));
  const file = join(dir, "given.json");
  writeFileSync(file, handoff());
  const { page, context, problems, devhost } = await open();
  try {
    await page.click(tid("start-analyst"));
    await page.click(tid("import-file"));
    await page.waitForSelector(`${tid("status-message")}[data-tone="neutral"]`);
    assert.match(await page.textContent(tid("status-message")), /No file was chosen; nothing was imported/);
    assert.equal(await page.locator(tid("error-message")).count(), 0, "a closed dialog is no error");

    await devhost.openPath(file);
    await page.fill(tid("import-name"), "from-file");
    await page.click(tid("import-file"));
    await page.waitForSelector(`${tid("analyst-credentials")}[data-profile="from-file"]`);
    assert.deepEqual(await devhost.openDialogs(), ["Profile hand-off", "Profile hand-off"]);

    // Or the ids typed: checked by the core like any form.
    await page.click("text=Another profile");
    await page.click(tid("analyst-form-mode"));
    await page.fill(tid("profile-name"), "typed");
    await page.selectOption(tid("environment"), "sandbox");
    await page.fill(tid("license-id"), "not-a-guid");
    await page.fill(tid("app-id"), DEMO.app);
    await page.click(tid("save-profile"));
    await page.waitForSelector(`${tid("field-error")}[data-field="license-id"]`);
    await page.fill(tid("license-id"), DEMO.license);
    await page.click(tid("save-profile"));
    await page.waitForSelector(`${tid("analyst-credentials")}[data-profile="typed"]`);
    const names = (await devhost.invoke("list_profiles")).map((p) => p.name);
    assert.deepEqual(names, ["from-file", "typed"]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("admin: export shows the hand-off without a secret, copies it and saves it where the save dialog answers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "export-"));
  const target = join(dir, "for-analyst.json");
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    await page.click(tid("nav-profiles"));
    await page.click(`${tid("profile-item")}[data-name="sandbox-demo"]`);
    await page.click(tid("export-profile"));
    const text = await page.inputValue(tid("handoff-export-text"));
    const parsed = JSON.parse(text);
    assert.equal(parsed.cloudneetiAccessProfile, 1);
    assert.equal(parsed.name, "sandbox-demo");
    assert.equal(parsed.environment, "sandbox");
    assert.ok(!text.includes(DEMO.secret) && !text.includes(DEMO.key), "no secret in a hand-off");

    await page.click(tid("copy-handoff"));
    await page.waitForFunction(() => document.querySelector('[data-testid="status-message"]')?.textContent?.includes("Hand-off copied"));
    assert.equal(await devhost.clipboard(), text);

    await page.click(tid("save-handoff"));
    await page.waitForSelector(`${tid("status-message")}[data-tone="neutral"]`);
    await devhost.savePath(target);
    await page.click(tid("save-handoff"));
    await page.waitForFunction(() => document.querySelector('[data-testid="status-message"]')?.textContent?.includes("Hand-off saved to"));
    assert.equal(readFileSync(target, "utf8").trim(), text);
    assert.deepEqual(await devhost.saveDialogs(), ["sandbox-demo.cloudneeti-profile.json", "sandbox-demo.cloudneeti-profile.json"]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("removals ask in the backend's dialog, naming what is lost: cancel keeps (neutral), confirm removes", async () => {
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    await page.click(tid("nav-profiles"));
    await page.click(`${tid("profile-item")}[data-name="sandbox-demo"]`);
    await page.waitForSelector(`${tid("secret-status")}[data-stored="true"]`);

    // The dialog answers no: the secret stays, and the news is neutral.
    await page.click(tid("remove-secret"));
    await page.waitForSelector(`${tid("status-message")}[data-tone="neutral"]`);
    assert.match(await page.textContent(tid("status-message")), /Secret kept; nothing was removed/);
    assert.equal(await page.getAttribute(tid("secret-status"), "data-stored"), "true");
    assert.equal(await page.locator(`${tid("error-message")}`).count(), 0);
    const [asked] = await devhost.confirms();
    assert.match(asked, /application secret of profile "sandbox-demo" is removed from the keychain/);
    assert.match(asked, /shows a secret only once/);

    await page.click(tid("delete-profile"));
    // The profile's own note: the secret's "kept; nothing was removed" is on screen already.
    await page.waitForFunction(() => document.querySelector('[data-testid="status-message"]')?.textContent?.includes("Profile “sandbox-demo” kept"));
    assert.equal(await page.locator(`${tid("profile-item")}[data-name="sandbox-demo"]`).count(), 1);
    assert.match((await devhost.confirms())[1], /Profile "sandbox-demo" \(sandbox, license .*\) is deleted, and its application secret is removed/);

    // Yes: removed.
    await devhost.confirmAnswer(true);
    await page.click(tid("remove-secret"));
    await page.waitForSelector(`${tid("secret-status")}[data-stored="false"]`);
    assert.match(await page.textContent(tid("status-message")), /Secret removed from the keychain/);
    await page.click(tid("delete-profile"));
    await page.waitForSelector(`${tid("profile-item")}[data-name="sandbox-demo"]`, { state: "detached" });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("analyst: a refusal that only the License Admin can fix says what to ask them, also when a call fails, also after a restart", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  try {
    await page.waitForSelector(tid("token-panel"));
    await page.click(".brand");
    await page.click(tid("start-analyst"));
    await page.waitForSelector(tid("analyst"));
    await page.click(tid("nav-tokens"));
    await page.selectOption(tid("profile-select"), "broken-secret");
    await page.click(tid("get-license-token"));
    const refused = page.locator(`${tid("error-message")}[data-code="app_credentials_rejected"]`);
    await refused.waitFor();
    assert.match(await refused.locator(tid("ask-admin")).textContent(), /^Ask your License Admin: /);
    // The role is kept: reopened, the app still speaks to the analyst.
    await page.reload();
    await page.waitForSelector(tid("token-panel"));
    await page.selectOption(tid("profile-select"), "broken-secret");
    await page.click(tid("get-license-token"));
    await refused.waitFor();
    assert.match(await refused.locator(tid("ask-admin")).textContent(), /^Ask your License Admin: /);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
