// The finish of the UI, as a user meets it: news does not outlive its step, the keyboard
// focus is never under the sticky header, a refused submit lands on the field to fix (told
// once, under it, in words that read), the theme chosen in Settings, and the tokens held
// while the app runs, listed in the Tokens view across navigation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";

const open = useDevhost();

test("a green banner belongs to its walkthrough step: the next step starts without it", async () => {
  const { page, context, problems } = await open();
  try {
    await page.click(tid("try-sandbox"));
    await page.waitForSelector(tid("step-1"));
    await page.waitForFunction(() => document.querySelector('[data-testid="license-id"]')?.value);
    await page.click(tid("save-profile"));
    await page.waitForSelector(`${tid("status-message")}:has-text("Profile “sandbox” created.")`);
    await page.click(tid("next-step"));
    await page.waitForSelector(tid("step-2"));
    assert.equal(await page.locator(tid("status-message")).count(), 0, "step 2 starts without step 1's news");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the keyboard focus is never hidden under the sticky header", async () => {
  const { page, context, problems } = await open();
  try {
    await page.click(tid("try-sandbox"));
    await page.waitForSelector(tid("practice-create-app"));
    // From the end of the long step 1 backwards: each element comes in from above.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.focus(tid("finish-later"));
    const bottom = await page.evaluate(() => window.scrollY);
    const hidden = [];
    let top = bottom;
    // Up to the header (the page's first focusable elements), checking each stop on the way.
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press("Shift+Tab");
      const where = await page.evaluate(() => {
        const el = document.activeElement;
        const header = document.querySelector("header.top");
        if (!el || el === document.body || header.contains(el)) return { done: true };
        const r = el.getBoundingClientRect();
        const what = el.dataset.testid ?? el.textContent.trim().slice(0, 30);
        return { top: r.top, below: header.getBoundingClientRect().bottom, what, scrollY: window.scrollY };
      });
      if (where.done) break;
      top = Math.min(top, where.scrollY);
      if (where.top < where.below) hidden.push(`${where.what}: top ${where.top} under the header's ${where.below}`);
    }
    assert.deepEqual(hidden, []);
    assert.ok(top < bottom - 300, `went up the page: from ${bottom} to ${top}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Settings: a cleared or too short delay is told once, under the field, in words that read; the focus goes there", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  try {
    await page.click(tid("nav-settings"));
    const told = page.locator(`${tid("field-error")}[data-field="clipboard-seconds"]`);
    await page.fill(tid("clipboard-seconds"), "");
    await page.click(tid("save-settings"));
    await told.waitFor();
    assert.match(await told.textContent(), /^clipboard delay is not valid: it is empty\. Choose how long/);
    assert.ok(!(await told.textContent()).includes("null"));
    assert.equal(await page.locator(tid("error-message")).count(), 0, "no alert repeats it");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "clipboard-seconds");
    await page.fill(tid("clipboard-seconds"), "700");
    await page.click(tid("save-settings"));
    await page.waitForSelector(`${tid("field-error")}:has-text("700 seconds is too long; the longest is 600 seconds")`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the theme chosen in Settings is applied at once, kept, and drawn from the first screen of the next start", async () => {
  const { page, context, problems } = await open({ scenario: "demo", colorScheme: "light" });
  // Records the theme the page has when the app first puts something on screen.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.getElementById("app")?.childElementCount) return;
      window.__firstTheme = document.documentElement.dataset.theme ?? "none";
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  try {
    await page.waitForSelector(tid("token-panel"));
    assert.equal(await background(), "rgb(244, 246, 248)", "the system's light theme");
    await page.click(tid("nav-settings"));
    assert.ok(await page.isChecked(tid("theme-system")));
    await page.check(tid("theme-dark"));
    assert.equal(await background(), "rgb(20, 23, 27)", "dark at once");

    await page.reload();
    await page.waitForSelector(tid("token-panel"));
    assert.equal(await page.evaluate(() => window.__firstTheme), "dark", "dark from the first screen");
    assert.equal(await background(), "rgb(20, 23, 27)");
    await page.click(tid("nav-settings"));
    assert.ok(await page.isChecked(tid("theme-dark")));
    await page.check(tid("theme-system"));
    assert.equal(await background(), "rgb(244, 246, 248)", "the system's again");
    assert.equal(await page.evaluate(() => localStorage.getItem("cloudneeti-access.theme")), null, "nothing kept for the default");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the tokens held are listed in the Tokens view, and still there after going elsewhere", async () => {
  const { page, context, problems } = await open({ scenario: "demo" });
  const rows = tid("held-token");
  try {
    await page.waitForSelector(tid("token-panel"));
    await page.waitForSelector(tid("held-tokens-none"));
    await page.click(tid("get-license-token"));
    await page.waitForSelector(rows);
    await page.selectOption(tid("token-kind"), "account");
    await page.click(tid("load-accounts"));
    const row = page.locator(`${tid("account-row")}[data-in-scope="true"]`).first();
    const accountId = await row.getAttribute("data-account-id");
    await row.locator(tid("get-account-token")).click();
    await page.waitForSelector(`${rows}[data-kind="account"]`);

    await page.click(tid("nav-profiles"));
    await page.waitForSelector(tid("profile-list"));
    await page.click(tid("nav-tokens"));
    await page.waitForSelector(`${rows}[data-kind="account"]`);
    const listed = await page.$$eval(rows, (trs) => trs.map((tr) => [tr.dataset.profile, tr.dataset.kind, tr.dataset.accountId]));
    assert.deepEqual(listed, [["sandbox-demo", "account", accountId], ["sandbox-demo", "license", ""]], "newest first");
    const license = page.locator(`${rows}[data-kind="license"]`);
    assert.match(await license.textContent(), /\d\d:\d\d:\d\d/, "when it was obtained and expires");
    assert.equal(await page.locator(tid("token-value")).count(), 0, "no token shown unasked");

    // The same (cached) token asked for again is the same row; its card copies and reveals.
    const listedAgain = page.waitForResponse((r) => r.url().endsWith("/invoke/held_tokens"));
    await page.click(tid("get-license-token"));
    await page.waitForSelector(`${tid("token-card")}[data-kind="license"]`);
    await listedAgain;
    assert.equal(await page.locator(rows).count(), 2);
    await license.locator(tid("show-held-token")).click();
    const card = page.locator(`${tid("held-tokens")} ${tid("token-card")}`);
    await card.locator(tid("reveal-token")).click();
    assert.match(await card.locator(tid("token-value")).textContent(), /^eyJ/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
