// The Sandbox's practice portal, step by step, for the browser tests (Playwright pages against
// the dev host, whose Sandbox is the emulator). The portal follows the vendor's screenshots;
// see its components.
import assert from "node:assert/strict";
import { tid } from "./helpers.mjs";

export const appRow = (appId) => `${tid("practice-app-row")}[data-app-id="${appId}"]`;

/**
 * Create API Application: name, Select APIs to Connect, the accounts matching each of
 * `include` moved to Included Cloud Accounts, Token Expiry, Secret Expiry, Save. Returns the
 * one-time secret; the dialog stays open.
 */
export async function practiceCreateApp(page, { name, apis, include = [], tokenExpiry = 60, secretExpiry = null }) {
  await page.click(tid("practice-create-app"));
  await page.fill(tid("practice-app-name"), name);
  await page.click(tid("practice-apis"));
  for (const api of apis) await page.check(`${tid("practice-api-option")}[data-api="${api}"]`);
  await page.click(tid("practice-apis"));
  for (const text of include) {
    await page.fill(tid("practice-excluded-search"), text);
    await page.click(tid("practice-include-all"));
  }
  await page.fill(tid("practice-excluded-search"), "");
  await page.selectOption(tid("practice-token-expiry"), String(tokenExpiry));
  if (secretExpiry) await page.fill(tid("practice-secret-expiry"), secretExpiry);
  await page.click(tid("practice-save"));
  await page.waitForSelector(`${tid("practice-one-time-dialog")}[role="dialog"]`);
  return (await page.textContent(tid("practice-secret"))).trim();
}

/** Configure App > Regenerate Secret Key; Cancel first if asked; then Continue. Returns the new secret. */
export async function practiceRegenerate(page, appId, { cancelFirst = false } = {}) {
  const ask = async () => {
    await page.click(`${appRow(appId)} ${tid("practice-configure-app")}`);
    await page.click(`${appRow(appId)} ${tid("practice-regenerate")}`);
    assert.match(await page.textContent(tid("practice-confirm-dialog")), /This will override the existing API App secret\./);
  };
  await ask();
  if (cancelFirst) {
    await page.click(tid("practice-confirm-cancel"));
    await page.waitForSelector(tid("practice-confirm-dialog"), { state: "detached" });
    await ask();
  }
  await page.click(tid("practice-confirm"));
  await page.waitForSelector(tid("practice-one-time-dialog"));
  return (await page.textContent(tid("practice-secret"))).trim();
}

/** PRODUCTS > Unlimited > Subscribe, "Submitted", the practice activation, Profile > Show. */
export async function practiceSubscribe(page) {
  await page.click(tid("practice-nav-products"));
  await page.click(tid("practice-product-unlimited"));
  await page.click(tid("practice-subscribe"));
  await page.waitForSelector(tid("practice-subscribed"));
  await page.click(tid("practice-username"));
  await page.click(tid("practice-profile"));
  await page.waitForSelector(`${tid("practice-key-state")}[data-state="pending"]:has-text("Submitted")`);
  await page.click(tid("practice-activate"));
  await page.waitForSelector(`${tid("practice-key-state")}[data-state="active"]:has-text("Active")`);
  await page.click(tid("practice-show-key"));
  await page.click(tid("practice-show-secondary-key"));
  return {
    primary: (await page.textContent(tid("practice-primary-key"))).trim(),
    secondary: (await page.textContent(tid("practice-secondary-key"))).trim(),
  };
}
