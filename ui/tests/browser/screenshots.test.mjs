// Screenshots of the main screens at 1024x720, in the light and the dark scheme, into
// tests/browser/screenshots/: welcome, walkthrough step 1 with the practice portal, profiles,
// token panel, test connection, the Accounts view's posture. Each screen is also checked to have rendered.
import assert from "node:assert/strict";
import { test } from "node:test";
import { shot, tid, useDevhost } from "./helpers.mjs";
import { practiceCreateApp } from "./practice.mjs";

const open = useDevhost();

for (const scheme of ["light", "dark"]) {
  test(`screenshots of the main screens (${scheme})`, async () => {
    const first = await open({ colorScheme: scheme });
    try {
      await first.page.waitForSelector(tid("welcome"));
      await shot(first.page, `welcome-${scheme}`);
      await first.page.click(tid("try-sandbox"));
      await practiceCreateApp(first.page, { name: "Reporting", apis: ["License.GetAPIAccess", "Account.Audit"], include: ["Azure production"] });
      await shot(first.page, `walkthrough-step1-practice-${scheme}`);
      assert.deepEqual(first.problems, []);
    } finally {
      await first.context.close();
    }

    const demo = await open({ colorScheme: scheme, scenario: "demo" });
    try {
      const { page } = demo;
      await page.waitForSelector(tid("token-panel"));
      await page.click(tid("nav-profiles"));
      await page.click(`${tid("profile-item")}[data-name="contoso-trial"]`);
      await page.waitForSelector(tid("expiry-warning"));
      await shot(page, `profiles-${scheme}`);

      await page.click(tid("nav-tokens"));
      await page.selectOption(tid("profile-select"), "sandbox-demo");
      await page.click(tid("get-license-token"));
      await page.waitForSelector(tid("token-countdown"));
      await page.click(tid("copy-token"));
      await page.waitForSelector(tid("copy-status"));
      await shot(page, `token-panel-${scheme}`);

      await page.selectOption(tid("profile-select"), "broken-secret");
      await page.click(tid("test-connection"));
      await page.waitForSelector(tid("check-item"));
      await page.locator(`${tid("check-item")}[data-id="app_accepted"]`).scrollIntoViewIfNeeded();
      await shot(page, `test-connection-${scheme}`);

      await page.click(tid("nav-accounts"));
      await page.selectOption(tid("profile-select"), "sandbox-demo");
      await page.locator(`${tid("account-row")}[data-in-scope="true"] ${tid("show-account")}`).first().click();
      await page.waitForSelector(tid("category-bar"));
      await page.locator(tid("posture-chart")).scrollIntoViewIfNeeded();
      await shot(page, `accounts-${scheme}`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, scheme === "dark" ? "rgb(20, 23, 27)" : "rgb(244, 246, 248)", "the scheme follows the OS");
      assert.deepEqual(demo.problems, []);
    } finally {
      await demo.context.close();
    }
  });
}
