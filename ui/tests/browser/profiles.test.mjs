// The profile form's checks by the core as the user types and on submit (GUIDs, API keys,
// custom URLs), creating a profile with its
// secrets write-only, the environment badge, Replace/Remove of a secret, and deletion.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";

const open = useDevhost();

const fieldError = (field) => `${tid("field-error")}[data-field="${field}"]`;

test("profile form: the core's messages appear as the user types; bad GUID, bad key and plain-http custom URL are refused; a good profile is created", async () => {
  const { page, context, problems, devhost } = await open();
  try {
    await page.waitForSelector(tid("welcome"));
    await page.click(tid("nav-profiles"));
    await page.waitForSelector(tid("profile-form"));

    await page.fill(tid("profile-name"), "contoso-test");
    await page.selectOption(tid("environment"), "custom");
    // PROD's own address, typed as a custom one, is PROD: the core says so and the warning shows.
    await page.fill(tid("custom-url"), "https://API.cloudneeti.com/");
    await page.waitForSelector(`${tid("environment")}.prod`);
    await page.fill(tid("custom-url"), "http://api.example.com");
    await page.fill(tid("license-id"), "3f2504e0-4f89-41d3-9a0c-0305e82c33"); // too short
    // As the user types, the core's message appears under the field; nothing is submitted.
    await page.waitForSelector(fieldError("license-id"));
    assert.match(await page.textContent(fieldError("license-id")), /^license id is not valid: it has 34 characters; a GUID has 36/);
    assert.equal(await page.locator(tid("error-message")).count(), 0, "no alert before a submit");
    await page.waitForSelector(`${tid("environment")}:not(.prod)`);
    await page.fill(tid("app-id"), "0123456789abcdef0123456789abcdef"); // an API key, not an id
    await page.fill(tid("api-key"), "not-a-key");
    await page.click(tid("save-profile"));

    // Each problem is told once, under its field (no alert repeats it), and the keyboard
    // focus lands on the first refused field of the form.
    await page.waitForSelector(fieldError("api-key"));
    assert.equal(await page.locator(tid("error-message")).count(), 0, "no alert repeats a field's message");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "custom-url");
    assert.match(await page.textContent(fieldError("custom-url")), /plain http would send the API key unencrypted/);
    assert.match(await page.textContent(fieldError("license-id")), /34 characters; a GUID has 36/);
    assert.match(await page.textContent(fieldError("app-id")), /what an API key looks like/);
    assert.match(await page.textContent(fieldError("api-key")), /9 characters; an API key has 32 hex digits/);
    assert.equal(await page.getAttribute(tid("license-id"), "aria-invalid"), "true");
    assert.equal(await page.locator(tid("profile-item")).count(), 0, "nothing was saved");

    // "Allow any format" accepts an unusual key; http is fine for this computer only.
    await page.check(tid("allow-any-key-format"));
    await page.fill(tid("custom-url"), "http://127.0.0.1:8080/");
    await page.fill(tid("license-id"), "{3F2504E0-4F89-41D3-9A0C-0305E82C3301}");
    await page.fill(tid("app-id"), " 7c9e6679-7425-40de-944b-e07fc1f90ae7 ");
    await page.fill(tid("app-secret"), "s3cr3t-value-typed");
    await page.click(tid("save-profile"));
    await page.waitForSelector(`${tid("profile-item")}[data-name="contoso-test"]`);
    await page.waitForSelector(tid("profile-detail"));
    assert.equal(await page.getAttribute(tid("environment-badge"), "data-kind"), "custom");
    assert.match(await page.textContent(tid("secret-status")), /Secret stored in In-memory keychain \(dev host\) on \d{4}-\d\d-\d\d/);
    assert.match(await page.textContent(tid("api-key-status")), /API key stored in/);
    assert.ok(!(await page.content()).includes("s3cr3t-value-typed"), "the secret is nowhere on the page");

    // Remove (confirmed in the backend's dialog), then store again: write-only both ways.
    await devhost.confirmAnswer(true);
    await page.click(tid("remove-secret"));
    await page.waitForSelector(`${tid("secret-status")}[data-stored="false"]`);
    await page.click(tid("replace-secret"));
    await page.fill(tid("app-secret"), "another-secret");
    await page.click(tid("save-app-secret"));
    await page.waitForSelector(`${tid("secret-status")}[data-stored="true"]`);

    // Delete asks first (the backend's dialog, answered yes above).
    await page.click(tid("delete-profile"));
    await page.waitForSelector(`${tid("profile-item")}[data-name="contoso-test"]`, { state: "detached" });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("environments are unmistakable: PROD badge in the warning style, Sandbox and TRIAL distinct", async () => {
  // The demo scenario has two Sandbox profiles and a TRIAL one; a PROD one is added (it is
  // never asked for a token, so nothing reaches the real service).
  // Its key already goes to TRIAL: the user says yes in the backend's dialog.
  const setup = async (devhost) => {
    await devhost.confirmAnswer(true);
    await devhost.invoke("save_profile", {
      input: {
        name: "contoso-prod",
        environment: "prod",
        licenseId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        appId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        apiKey: "contoso",
        tokenExpiryMinutes: 60,
        secretExpiresOn: null,
      },
      editing: null,
    });
  };
  const { page, context, problems } = await open({ scenario: "demo", setup });
  try {
    await page.click(tid("nav-profiles"));
    const badges = page.locator(`${tid("profile-list")} ${tid("environment-badge")}`);
    await badges.first().waitFor();
    const kinds = await badges.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    assert.deepEqual(kinds, ["sandbox", "sandbox", "trial", "prod"]);
    const classes = await badges.evaluateAll((els) => els.map((e) => e.className));
    assert.equal(new Set(classes).size, 3, `three kinds, three styles: ${classes.join(" | ")}`);
    const prod = page.locator(`${tid("profile-list")} ${tid("environment-badge")}[data-kind="prod"]`);
    assert.match(await prod.textContent(), /PROD/);
    // The secret-expiry reminder of the TRIAL profile (expires in 5 days).
    await page.click(`${tid("profile-item")}[data-name="contoso-trial"]`);
    assert.match(await page.textContent(tid("expiry-warning")), /expires in 5 days/);
    // Its "How to regenerate" opens the walkthrough's appendix for that profile.
    await page.click(`${tid("expiry-warning")} button`);
    await page.waitForSelector(tid("step-appendix"));
    assert.equal(await page.getAttribute(`${tid("step-indicator")} li[aria-current="step"]`, "data-step"), "4");
    assert.match(await page.textContent(tid("secret-status")), /Secret stored in/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("moving a profile to another host needs the user's yes in a native dialog, removes its secret, and says to store it again", async () => {
  const { page, context, problems, devhost } = await open({ scenario: "demo" });
  try {
    await page.click(tid("nav-profiles"));
    await page.click(`${tid("profile-item")}[data-name="contoso-trial"]`);
    await page.waitForSelector(`${tid("secret-status")}[data-stored="true"]`);
    await page.click(tid("edit-profile"));
    await page.selectOption(tid("environment"), "custom");
    await page.fill(tid("custom-url"), "https://api.elsewhere.example");
    // The backend asks before the key goes to a new host; the page cannot answer for the
    // user: a no (the dialog's Cancel) saves nothing and says why.
    await page.click(tid("save-profile"));
    await page.waitForSelector(`text=has been sent only to`);
    const [question] = await devhost.confirms();
    assert.match(question, /api\.elsewhere\.example/);
    const before = (await devhost.invoke("list_profiles")).find((p) => p.name === "contoso-trial");
    assert.ok(before.secretStoredAt, "nothing changed: the secret is still stored");
    await devhost.confirmAnswer(true);
    await page.click(tid("save-profile"));
    const told = page.locator(`${tid("status-message")}:has-text("application secret was removed")`);
    await told.waitFor();
    assert.match(await told.textContent(), /Store it again for https:\/\/api\.elsewhere\.example/);
    await page.waitForSelector(`${tid("secret-status")}[data-stored="false"]`);
    const badge = `${tid("profile-detail")} ${tid("environment-badge")}`;
    assert.equal(await page.getAttribute(badge, "data-kind"), "custom");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
