// Accessibility, checked rather than assumed: axe-core (the npm package, run in the page) on
// every screen and walkthrough step, in the light and the dark theme, finds no serious or
// critical violation; every input's border is 3:1 or more against what is behind it (WCAG
// 1.4.11, which axe does not measure); the PROD warning is tied to its field; the token's
// countdown is named and silent while it ticks.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { tid, useDevhost } from "./helpers.mjs";
import { practiceCreateApp } from "./practice.mjs";

// The dev host's Sandbox demo license and application (crates/devhost/src/scenario.rs).
const DEMO = {
  license: "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01",
  app: "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02",
  secret: "DEMO-public-app-secret-0b7e5f3a",
  key: "0123456789abcdef0123456789abcdef",
};
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const open = useDevhost();

/** What a user with assistive technology or low vision would stumble on, on the page as it is now. */
async function check(page, where) {
  // Evaluated over the DevTools protocol, not as a <script>: the app's CSP allows none.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe on ${where}`);
  const borders = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const behind = (el) => {
      for (let e = el.parentElement; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || c[3] > 0) return c;
      }
      return [255, 255, 255];
    };
    const low = [];
    for (const el of document.querySelectorAll("input:not([type=checkbox]):not([type=radio]), select, textarea")) {
      if (!el.getClientRects().length) continue;
      const [a, b] = [luminance(rgb(getComputedStyle(el).borderTopColor)), luminance(behind(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 3) low.push(`${el.dataset.testid ?? el.id}: ${ratio.toFixed(2)}`);
    }
    return low;
  });
  assert.deepEqual(borders, [], `input borders at 3:1 or more on ${where}`);
}

async function walkthroughSteps(page, where) {
  for (const step of ["1", "2", "3", "4"]) {
    await page.click(`${tid("step-indicator")} li[data-step="${step}"] button`);
    await page.waitForSelector(`${tid("step-indicator")} li[data-step="${step}"][aria-current="step"]`);
    await check(page, `${where}, step ${step}`);
  }
}

for (const scheme of ["light", "dark"]) {
  test(`no serious or critical accessibility problem on any screen (${scheme} theme)`, async () => {
    const first = await open({ colorScheme: scheme });
    try {
      const { page } = first;
      await page.waitForSelector(tid("welcome"));
      await check(page, "Welcome");
      await page.click(tid("start-analyst"));
      await page.waitForSelector(tid("analyst"));
      await check(page, "Analyst, hand-off");
      await page.click(tid("analyst-form-mode"));
      await page.waitForSelector(tid("analyst-form"));
      await check(page, "Analyst, form");
      await page.click(tid("save-profile"));
      await page.waitForSelector(tid("field-error"));
      await check(page, "Analyst, form refused");
      await page.fill(tid("profile-name"), "given");
      await page.selectOption(tid("environment"), "sandbox");
      await page.fill(tid("license-id"), DEMO.license);
      await page.fill(tid("app-id"), DEMO.app);
      await page.click(tid("save-profile"));
      await page.waitForSelector(tid("analyst-credentials"));
      await page.fill(tid("api-key"), DEMO.key);
      await page.fill(tid("app-secret"), "wrong-secret-value-1");
      await page.click(tid("save-credentials"));
      await page.waitForSelector(`${tid("secret-check")}[data-status="refused"]`);
      await check(page, "Analyst, a refused secret");
      await page.fill(tid("app-secret"), DEMO.secret);
      await page.click(tid("save-credentials"));
      await page.waitForSelector(tid("analyst-token"));
      await check(page, "Analyst, the token part");

      await page.click(tid("nav-walkthrough"));
      await page.waitForSelector(tid("step-1"));
      await check(page, "Set up, step 1");
      // The PROD warning is part of the environment field's description.
      assert.equal(await page.inputValue(tid("environment")), "prod");
      const described = await page.getAttribute(tid("environment"), "aria-describedby");
      assert.match(await page.textContent(`#${described}`), /PROD reaches your organisation's real data/);
      await walkthroughSteps(page, "Set up");

      await page.click(tid("nav-walkthrough"));
      await page.click("text=Practise in the Sandbox first");
      await page.waitForSelector(`${tid("walkthrough")}[data-mode="sandbox"]`);
      await page.click(`${tid("step-indicator")} li[data-step="1"] button`);
      await practiceCreateApp(page, { name: "Reporting", apis: ["License.GetAPIAccess"], include: ["Azure production"] });
      await check(page, "Sandbox, the practice portal's one-time secret");
      await walkthroughSteps(page, "Sandbox");
      assert.deepEqual(first.problems, []);
    } finally {
      await first.context.close();
    }

    const demo = await open({ colorScheme: scheme, scenario: "demo" });
    try {
      const { page } = demo;
      await page.waitForSelector(tid("token-panel"));
      await page.click(tid("get-license-token"));
      await page.waitForSelector(tid("token-countdown"));
      // Named, and silent while it ticks.
      const timer = page.locator(tid("token-countdown"));
      assert.equal(await timer.getAttribute("role"), "timer");
      assert.equal(await timer.getAttribute("aria-live"), "off");
      assert.equal(await page.textContent(`#${await timer.getAttribute("aria-labelledby")}`), "Time left on the token");
      await page.click(tid("show-held-token"));
      await check(page, "Tokens, with a token");
      await page.selectOption(tid("profile-select"), "broken-secret");
      await page.click(tid("test-connection"));
      await page.waitForSelector(tid("check-item"));
      await check(page, "Tokens, a failed connection test");

      await page.click(tid("nav-accounts"));
      await page.selectOption(tid("profile-select"), "sandbox-demo");
      await page.locator(`${tid("account-row")}[data-in-scope="true"] ${tid("show-account")}`).first().click();
      await page.waitForSelector(tid("category-bar"));
      await check(page, "Accounts, an account's posture");

      await page.click(tid("nav-profiles"));
      await page.click(`${tid("profile-item")}[data-name="contoso-trial"]`);
      await page.waitForSelector(tid("expiry-warning"));
      await check(page, "Profiles, a profile");
      await page.click(tid("new-profile"));
      await page.waitForSelector(tid("profile-form"));
      await check(page, "Profiles, a new profile");

      await page.click(tid("nav-settings"));
      await page.fill(tid("clipboard-seconds"), "");
      await page.click(tid("save-settings"));
      await page.waitForSelector(tid("field-error"));
      await check(page, "Settings, refused");
      assert.deepEqual(demo.problems, []);
    } finally {
      await demo.context.close();
    }
  });
}
