// The Sandbox walkthrough from the welcome screen to an account token, through the practice
// portal, against the real core (the dev host, its Sandbox seeded with 250 cloud accounts);
// then: no secret typed into a form is left in browser storage, and Finish later / resume
// keeps the place.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";
import { appRow, practiceCreateApp, practiceRegenerate, practiceSubscribe } from "./practice.mjs";

const open = useDevhost({ accounts: 250 });

/** Polls `check` until it holds (at most 5 s). */
async function waitFor(check) {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function currentStep(page) {
  return page.getAttribute(`${tid("step-indicator")} li[aria-current="step"]`, "data-step");
}

/** Everything the page keeps in localStorage, sessionStorage and IndexedDB, as one string. */
async function browserStorage(page) {
  return page.evaluate(async () => {
    const dump = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join("\n");
    let idb = "";
    if (indexedDB.databases) {
      const dbs = await indexedDB.databases();
      idb = dbs.map((d) => d.name).join(",");
    }
    return { local: dump(localStorage), session: dump(sessionStorage), idb };
  });
}

test("Sandbox walkthrough: practice portal to an account token, no secret in storage", async () => {
  const { page, context, problems, devhost } = await open({ latencyMs: 200 });
  try {
    await page.waitForSelector(tid("welcome"));
    await page.click(tid("try-sandbox"));
    await page.waitForSelector(tid("walkthrough"));
    await page.waitForSelector(tid("step-1"));
    assert.equal(await currentStep(page), "1");

    // Step 1 in the practice portal: Create API Application > name, APIs, scope, expiries >
    // Save > the one-time dialog (copy through the backend) > Done > the application id.
    const licenseId = (await page.textContent(tid("practice-license-id"))).trim();
    assert.equal(await page.inputValue(tid("license-id")), licenseId, "the Sandbox license is filled in");
    assert.equal(await page.inputValue(tid("environment")), "sandbox");
    await page.fill(tid("profile-name"), "practice");
    const secret = await practiceCreateApp(page, {
      name: "Reporting",
      apis: ["License.GetAPIAccess", "Account.Audit"],
      include: ["Azure production", "Office365"],
      tokenExpiry: 240,
      secretExpiry: "31/12/2099",
    });
    assert.ok(secret.length >= 20, "a one-time secret is shown");
    assert.match(await page.textContent(tid("practice-notice")), /API application added successfully/);
    await page.click(tid("practice-copy-secret"));
    await page.waitForSelector(`${tid("practice-copy-status")}:has-text("cleared from the clipboard")`);
    assert.equal(await devhost.clipboard(), secret, "the secret is on the clipboard");

    // The secret goes to the keychain at once; the profile is created first.
    await page.fill(tid("app-secret"), secret);
    await page.click(tid("save-app-secret"));
    await page.waitForSelector(`${tid("secret-status")}[data-stored="true"]`);
    assert.match(await page.textContent(tid("secret-status")), /stored in In-memory keychain \(dev host\)/);
    assert.equal(await page.inputValue(tid("app-secret")), "", "the secret field is emptied");
    await page.click(tid("practice-done"));
    assert.equal(await page.locator(tid("practice-secret")).count(), 0, "the dialog shows the secret once");
    const appId = (await page.textContent(tid("practice-app-id"))).trim();
    assert.match(appId, /^[0-9a-f-]{36}$/);
    assert.match(await page.textContent(appRow(appId)), /Reporting.*Account\.Audit/s);
    await page.fill(tid("app-id"), appId);
    await page.click(tid("next-step"));
    await page.waitForSelector(tid("step-2"));
    assert.equal(await currentStep(page), "2");
    assert.equal(await page.getAttribute(`${tid("step-indicator")} li[data-step="1"]`, "data-done"), "true");

    // Step 2: PRODUCTS > Unlimited > Subscribe, "Submitted" until the practice control plays
    // Cloudneeti's activation, then Username > Profile > Show: the Primary and Secondary keys.
    const { primary: key, secondary } = await practiceSubscribe(page);
    assert.match(key, /^[0-9a-f]{32}$/);
    assert.match(secondary, /^[0-9a-f]{32}$/);
    assert.notEqual(secondary, key);
    await page.fill(tid("api-key"), key);
    await page.click(tid("save-api-key"));
    await page.waitForSelector(`${tid("api-key-status")}[data-stored="true"]`);

    // Leave and resume: Finish later keeps the place.
    await page.click(tid("finish-later"));
    await page.waitForSelector(tid("status-message"));
    await page.click(tid("nav-walkthrough"));
    await page.waitForSelector(tid("step-2"));
    assert.equal(await currentStep(page), "2");
    await page.click(tid("next-step"));
    await page.waitForSelector(tid("step-3"));

    // Step 3: license token, the accounts, an account token.
    await page.click(tid("get-license-token"));
    await page.waitForSelector(`${tid("token-card")}[data-kind="license"]`);
    await page.click(tid("load-accounts"));
    await page.waitForSelector(tid("account-row"));
    assert.equal(await page.locator(tid("account-row")).count(), 250);
    const out = page.locator(`${tid("account-row")}[data-in-scope="false"]`).first();
    assert.equal(await out.locator(tid("get-account-token")).count(), 0, "no token button out of scope");
    await page.fill(tid("account-search"), "Azure production");
    const row = page.locator(`${tid("account-row")}[data-in-scope="true"]`).first();
    const accountId = await row.getAttribute("data-account-id");
    await row.locator(tid("get-account-token")).click();
    await page.waitForSelector(`${tid("token-card")}[data-kind="account"]`);
    assert.match(await page.textContent(`${tid("token-card")}[data-kind="account"]`), new RegExp(accountId));
    assert.equal(await page.getAttribute(`${tid("step-indicator")} li[data-step="3"]`, "data-done"), "true");

    // Appendix: Configure App > Regenerate Secret Key > Confirm; the new secret is checked
    // before it replaces the old one, so a mistyped one is refused and the old one kept.
    await page.click(tid("next-step"));
    await page.waitForSelector(tid("step-appendix"));
    const regenerated = await practiceRegenerate(page, appId, { cancelFirst: true });
    assert.notEqual(regenerated, secret);
    await page.fill(tid("app-secret"), "mistyped-secret");
    await page.click(tid("save-app-secret"));
    const refused = page.locator(`${tid("error-message")}[data-code="app_credentials_rejected"]`);
    await refused.waitFor();
    await page.fill(tid("app-secret"), regenerated);
    await page.click(tid("save-app-secret"));
    await page.waitForSelector(`${tid("status-message")}:has-text("replaced the old one")`);
    await page.click(tid("practice-done"));
    assert.equal(await page.getAttribute(`${tid("step-indicator")} li[data-step="4"]`, "data-done"), "true");
    await page.click(tid("prev-step"));
    await page.click(tid("finish-setup"));
    await page.waitForSelector(tid("token-panel"));

    // Nothing typed into a secret field, nor a token, is in browser storage.
    await page.click(`${tid("nav-tokens")}`);
    await page.click(tid("get-license-token"));
    await page.waitForSelector(tid("reveal-token"));
    await page.click(tid("reveal-token"));
    const token = (await page.textContent(tid("token-value"))).trim();
    const stored = await browserStorage(page);
    for (const [what, value] of [["secret", secret], ["regenerated secret", regenerated], ["API key", key], ["token", token]]) {
      for (const [where, text] of Object.entries(stored)) {
        assert.ok(!text.includes(value), `the ${what} is not in ${where}`);
      }
    }
    assert.equal(stored.session, "", "sessionStorage is unused");
    assert.equal(stored.idb, "", "IndexedDB is unused");
    assert.match(stored.local, /cloudneeti-access\.walkthrough/, "walkthrough progress is kept");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the walkthrough's secret field refuses what cannot be a secret; its portal links open in the system browser", async () => {
  const { page, context, problems, devhost } = await open();
  try {
    await page.click(tid("start-setup"));
    await page.waitForSelector(tid("step-1"));
    assert.equal(await page.inputValue(tid("api-key-name")), "default");
    await page.fill(tid("app-secret"), "has space inside");
    await page.click(tid("save-app-secret"));
    // Told once, under the field, with the focus there to fix it.
    const told = page.locator(`${tid("field-error")}[data-field="app-secret"]`);
    await told.waitFor();
    assert.match(await told.textContent(), /space at character 4/);
    assert.ok(!(await told.textContent()).includes("inside"), "the message never quotes the secret");
    assert.equal(await page.locator(tid("error-message")).count(), 0, "no alert repeats it");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "app-secret");
    assert.deepEqual(await devhost.invoke("list_profiles"), [], "nothing was saved");

    // The portal and documentation links open in the system browser (through the backend),
    // not in the app's window.
    await page.click(`${tid("step-1")} a:has-text("Open the Cloudneeti portal")`);
    await page.waitForSelector(`${tid("status-message")}:has-text("in your browser")`);
    await page.click(`${tid("step-1")} a:has-text("Documentation")`);
    const info = await devhost.invoke("app_info");
    const prod = info.catalog.environments.find((e) => e.kind === "prod");
    await waitFor(async () => (await devhost.opened()).length === 2);
    assert.deepEqual(await devhost.opened(), [new URL(prod.portalUrl).href, new URL(info.catalog.docsUrl).href]);
    assert.ok(page.url().startsWith(devhost.url), "the page stayed where it was");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a step that needs a profile takes one step 1 did not create; step 1 then edits it rather than call its name taken", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  try {
    await page.waitForSelector(tid("token-panel"));
    await page.click(".brand");
    await page.click(tid("try-sandbox"));
    await page.waitForSelector(tid("step-1"));
    await page.click(`${tid("step-indicator")} li[data-step="4"] button`);
    await page.waitForSelector(tid("step-appendix"));
    // The Sandbox's profiles are offered, not the TRIAL one.
    const offered = await page.locator(`${tid("need-profile-select")} option`).allTextContents();
    assert.deepEqual([...offered].sort(), ["broken-secret", "sandbox-demo"]);
    await page.selectOption(tid("need-profile-select"), "sandbox-demo");
    await page.click(tid("need-profile-use"));
    await page.waitForSelector(tid("need-profile"), { state: "detached" });
    await page.waitForSelector(tid("secret-status"));
    assert.equal(await page.isEnabled(tid("app-secret")), true);

    await page.click(`${tid("step-indicator")} li[data-step="1"] button`);
    await page.waitForSelector(tid("step-1"));
    assert.equal(await page.inputValue(tid("profile-name")), "sandbox-demo");
    await page.click(tid("save-profile"));
    await page.waitForSelector(`${tid("status-message")}:has-text("saved")`);
    assert.equal(await page.locator(tid("error-message")).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the practice portal sits beside its steps in a wide window and above them at 800x600, never after them", async () => {
  const { page, context, problems } = await open();
  try {
    await page.waitForSelector(tid("welcome"));
    await page.click(tid("try-sandbox"));
    await page.waitForSelector(tid("step-1"));
    const boxes = async () => ({
      portal: await page.locator(`${tid("step-1")} .portal-side`).boundingBox(),
      steps: await page.locator(`${tid("step-1")} .main`).boundingBox(),
    });
    let { portal, steps } = await boxes();
    assert.ok(portal.x >= steps.x + steps.width, `beside at 1024 wide: ${JSON.stringify({ portal, steps })}`);
    await page.setViewportSize({ width: 800, height: 600 });
    ({ portal, steps } = await boxes());
    assert.ok(portal.y + portal.height <= steps.y, `above at 800x600: ${JSON.stringify({ portal, steps })}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
