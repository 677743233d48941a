import { describe, expect, it } from "vitest";
import type { IpcError, ProfileInput } from "./types";
import { createFakeBackend, FAKE_KEYCHAIN, fakeBackend, PRACTICE_LICENSE_ID } from "./fake";

const KEY = "0123456789abcdef0123456789abcdef";
const LICENSE = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const APP = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const input = (over: Partial<ProfileInput> = {}): ProfileInput => ({
  name: "contoso",
  environment: "prod",
  licenseId: LICENSE,
  appId: APP,
  apiKey: "default",
  tokenExpiryMinutes: null,
  secretExpiresOn: null,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<IpcError> {
  try {
    await p;
  } catch (e) {
    return e as IpcError;
  }
  throw new Error("expected a rejection");
}

async function ready(b = createFakeBackend({ delayMs: 5 }), over: Partial<ProfileInput> = {}, secret = "s3cret") {
  await b.saveProfile(input(over), null);
  await b.setApiKey("default", KEY, false);
  await b.setAppSecret(over.name ?? "contoso", secret);
  return b;
}

describe("fake backend", () => {
  it("answers appInfo like the Rust command does", async () => {
    const info = await fakeBackend.appInfo();
    expect(info.name).toBe("Cloudneeti Access");
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.keychain).toBe(FAKE_KEYCHAIN);
  });

  it("creates, lists, edits and deletes profiles; the key name is recorded as not stored", async () => {
    const b = createFakeBackend({ delayMs: 0 });
    await b.saveProfile(input({ environment: "https://trialapi.cloudneeti.com/" }), null);
    let [p] = await b.listProfiles();
    expect(p.environment).toEqual({
      kind: "trial",
      baseUrl: "https://trialapi.cloudneeti.com",
      input: "trial",
      portalUrl: "https://trial.cloudneeti.com",
      apiPortalUrl: "https://trialportal.cloudneeti.com/",
    });
    expect(p.apiKeyStoredAt).toBeNull();
    expect(await b.listApiKeys()).toEqual([{ name: "default", storedAt: null, usedBy: ["contoso"] }]);
    expect((await rejection(b.saveProfile(input({ name: "CONTOSO" }), null))).code).toBe("profile_exists");
    await b.saveProfile(input({ name: "ignored", environment: "https://apim.example.com", tokenExpiryMinutes: 240 }), "contoso");
    [p] = await b.listProfiles();
    expect(p.name).toBe("contoso");
    expect(p.environment).toMatchObject({ kind: "custom", portalUrl: null, apiPortalUrl: null });
    expect(p.tokenExpiryMinutes).toBe(240);
    expect((await rejection(b.saveProfile(input({ apiKey: "other" }), "contoso"))).code).toBe("api_key_not_found");
    await b.deleteProfile("contoso");
    expect(await b.listProfiles()).toEqual([]);
    expect((await rejection(b.deleteProfile("contoso"))).code).toBe("profile_not_found");
  });

  it("validates like the backend: GUIDs, URLs, keys", async () => {
    const b = createFakeBackend({ delayMs: 0 });
    const e = await rejection(b.saveProfile(input({ licenseId: "nope" }), null));
    expect(e).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/^license id is not valid/) });
    expect((await rejection(b.saveProfile(input({ environment: "http://api.example.com" }), null))).message).toMatch(/plain http/);
    await b.saveProfile(input(), null);
    expect((await rejection(b.setApiKey("default", "xyz", false))).message).toMatch(/^API key is not valid/);
    await b.setApiKey("default", "any-format-key", true);
    expect((await rejection(b.setApiKey("Default", KEY, false))).message).toMatch(/differ only in case/);
  });

  it("never returns a stored secret: only when it was stored", async () => {
    const b = await ready(undefined, {}, "very-secret-value");
    const everything = JSON.stringify([await b.listProfiles(), await b.listApiKeys(), await b.appInfo(), await b.getSettings()]);
    expect(everything).not.toContain("very-secret-value");
    expect(everything).not.toContain(KEY);
    const [p] = await b.listProfiles();
    expect(p.secretStoredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(p.apiKeyStoredAt).toMatch(/Z$/);
    await b.removeAppSecret("contoso");
    expect((await b.listProfiles())[0].secretStoredAt).toBeNull();
    expect(b.debug.storedSecretCount()).toBe(1);
    expect((await rejection(b.removeApiKey("default"))).code).toBe("api_key_in_use");
  });

  it("issues tokens that expire after the Token Expiry, reveals and copies them", async () => {
    let now = Date.parse("2026-01-01T10:00:00Z");
    const b = await ready(createFakeBackend({ delayMs: 0, now: () => now }), { tokenExpiryMinutes: 60 });
    const t = await b.getToken("contoso", null, false);
    expect(t).toMatchObject({ kind: "license", profile: "contoso", licenseId: LICENSE, accountId: null, apiUrl: "https://api.cloudneeti.com" });
    expect(t.obtainedAt).toBe("2026-01-01T10:00:00Z");
    expect(t.expiresAt).toBe("2026-01-01T11:00:00Z");
    expect(JSON.stringify(t)).not.toMatch(/eyJ/);
    const { token } = await b.revealToken(t.handle);
    expect(token).toMatch(/^eyJ/);
    expect(await b.copyToken(t.handle, "raw")).toEqual({ clearsInSeconds: 30 });
    expect(b.debug.clipboard()).toBe(token);
    await b.copyToken(t.handle, "curl");
    expect(b.debug.clipboard()).toMatch(/^curl -sS 'https:\/\/api\.cloudneeti\.com\/onboarding\/license\/.*\$CLOUDNEETI_API_KEY"$/);
    expect(b.debug.clipboard()).not.toContain(KEY);
    await b.saveSettings({ clipboardClearSeconds: 90 });
    await b.copyToken(t.handle, "powershell");
    expect(b.debug.clipboard()).toMatch(/\$env:CLOUDNEETI_API_KEY/);
    expect((await b.copyToken(t.handle, "raw")).clearsInSeconds).toBe(90);
    expect((await rejection(b.saveSettings({ clipboardClearSeconds: 1 }))).code).toBe("invalid_input");
    // A new secret forgets the profile's tokens.
    await b.setAppSecret("contoso", "new-secret");
    expect((await rejection(b.revealToken(t.handle))).message).toMatch(/no longer held/);
    now += 1;
  });

  it("lists 250 accounts with their scope; account tokens only in scope", async () => {
    const b = await ready();
    const list = await b.licenseAccounts("contoso");
    expect(list.accounts).toHaveLength(250);
    const inScope = list.accounts.find((a) => a.isInApiScope)!;
    const outOfScope = list.accounts.find((a) => !a.isInApiScope)!;
    expect(new Set(list.accounts.map((a) => a.accountId)).size).toBe(250);
    expect(list.apis).toContain("License.GetAPIAccess");
    expect((await b.getToken("contoso", inScope.accountId, false)).kind).toBe("account");
    expect((await rejection(b.getToken("contoso", outOfScope.accountId, false))).code).toBe("account_out_of_scope");
    expect((await rejection(b.getToken("contoso", "3f2504e0-0000-41d3-9a0c-0305e82c3301", false))).code).toBe("account_not_found");
    expect((await rejection(b.getToken("contoso", "nope", false))).code).toBe("invalid_input");
    expect((await b.listProfiles())[0].knownAccounts).toHaveLength(250);
  });

  it("diagnoses link by link; the stored secret \"wrong\" breaks the application link", async () => {
    const good = await ready();
    const ok = await good.diagnose("contoso");
    expect(ok.checks.map((c) => c.id)).toEqual([
      "keychain", "secrets", "endpoint", "api_key_accepted", "app_accepted", "license_known", "accounts_in_scope", "secret_expiry",
    ]);
    expect(ok.checks.every((c) => c.status === "ok")).toBe(true);

    const bad = await ready(undefined, {}, "wrong");
    const report = await bad.diagnose("contoso");
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ endpoint: "ok", api_key_accepted: "ok", app_accepted: "failed", license_known: "skipped", secret_expiry: "skipped" });
    expect(report.checks.find((c) => c.id === "app_accepted")!.fix).toMatch(/Regenerate Secret Key/);
    expect((await rejection(bad.getToken("contoso", null, false))).code).toBe("app_credentials_rejected");

    const missing = createFakeBackend({ delayMs: 0 });
    await missing.saveProfile(input(), null);
    const m = await missing.diagnose("contoso");
    expect(m.checks[1]).toMatchObject({ id: "secrets", status: "failed", detail: 'no API key is stored for "default"' });
  });

  it("keeps a profile whose application id is not entered yet, and says so", async () => {
    const b = await ready(createFakeBackend({ delayMs: 5 }), { appId: "" });
    const [profile] = await b.listProfiles();
    expect(profile.appId).toBeNull();
    expect((await rejection(b.getToken("contoso", null, false))).message).toContain("no API application id yet");
    const report = await b.diagnose("contoso");
    expect(report.checks.find((c) => c.status === "failed")?.id).toBe("app_accepted");
  });

  it("warns about a secret about to expire", async () => {
    const now = new Date(2026, 5, 1, 12).getTime();
    const b = await ready(createFakeBackend({ delayMs: 0, now: () => now }), { secretExpiresOn: "2026-06-06" });
    expect((await b.listProfiles())[0].secretExpiryWarningDays).toBe(5);
    const last = (await b.diagnose("contoso")).checks.at(-1)!;
    expect(last).toMatchObject({ id: "secret_expiry", status: "warning" });
    await b.saveProfile(input({ secretExpiresOn: "2026-12-31" }), "contoso");
    expect((await b.listProfiles())[0].secretExpiryWarningDays).toBeNull();
  });

  it("honours cancellation of long operations", async () => {
    const b = await ready(createFakeBackend({ delayMs: 10_000 }));
    const pending = b.getToken("contoso", null, false, "op-1");
    await b.cancelOperation("op-1");
    expect(await rejection(pending)).toEqual({ code: "cancelled", message: "the operation was cancelled", hint: "Nothing was changed." });
    const diagnosing = b.diagnose("contoso", "op-2");
    await b.cancelOperation("op-2");
    expect((await rejection(diagnosing)).code).toBe("cancelled");
    const [before] = await b.listProfiles();
    const replacing = b.replaceAppSecretChecked("contoso", "a-new-secret", "op-3");
    await b.cancelOperation("op-3");
    expect((await rejection(replacing)).code).toBe("cancelled");
    const [after] = await b.listProfiles();
    expect(after.secretStoredAt).toBe(before.secretStoredAt); // nothing was replaced
    await b.cancelOperation("unknown-op"); // harmless
  });

  it("runs the practice portal: create an app, subscribe, activate, regenerate", async () => {
    const b = createFakeBackend({ delayMs: 0 });
    const license = await b.practiceLicense();
    expect(license.licenseId).toBe(PRACTICE_LICENSE_ID);
    expect(license.accounts).toHaveLength(250);
    const scope = license.accounts.slice(0, 10).map((a) => a.accountId);
    expect((await rejection(b.practiceCreateApp({ name: " ", apis: [], accountIds: [], tokenExpiryMinutes: 15, secretExpiresOn: null }))).message).toMatch(/needs a name/);
    const creds = await b.practiceCreateApp({ name: "Reporting", apis: license.apis, accountIds: scope, tokenExpiryMinutes: 15, secretExpiresOn: null });
    expect(creds.appId).toMatch(/^[0-9a-f-]{36}$/);
    const pending = await b.practiceSubscribe();
    expect(pending.state).toBe("pending");
    expect(pending.key).toMatch(/^[0-9a-f]{32}$/);

    await b.saveProfile(input({ name: "sandbox", environment: "sandbox", licenseId: PRACTICE_LICENSE_ID, appId: creds.appId, apiKey: "sandbox" }), null);
    await b.setAppSecret("sandbox", creds.secret);
    await b.setApiKey("sandbox", pending.key, false);
    expect((await rejection(b.getToken("sandbox", null, false))).code).toBe("api_key_rejected");
    expect(await b.practiceActivate(pending.key)).toEqual({ key: pending.key, state: "active" });
    const t = await b.getToken("sandbox", null, false);
    expect(Date.parse(t.expiresAt!) - Date.parse(t.obtainedAt)).toBe(15 * 60_000);
    const accounts = await b.licenseAccounts("sandbox");
    expect(accounts.accounts.filter((a) => a.isInApiScope).map((a) => a.accountId)).toEqual(scope);

    const regenerated = await b.practiceRegenerateSecret(creds.appId);
    expect((await rejection(b.getToken("sandbox", null, false))).code).toBe("secret_regenerated");
    expect((await rejection(b.replaceAppSecretChecked("sandbox", "mistyped"))).code).toBe("app_credentials_rejected");
    await b.replaceAppSecretChecked("sandbox", regenerated.secret);
    expect((await b.getToken("sandbox", null, false)).kind).toBe("license");
  });

  it("runs the practice portal's Configure App, subscription keys and copy like the emulator", async () => {
    const b = createFakeBackend({ delayMs: 0 });
    const license = await b.practiceLicense();
    expect(license.apis).toContain("License.GetAPIAccess");
    const scope = license.accounts.slice(0, 10).map((a) => a.accountId);
    const form = { name: "Reporting", apis: ["Account.Audit", "License.GetAPIAccess"], accountIds: scope, tokenExpiryMinutes: 240, secretExpiresOn: "2099-03-31" };
    expect((await rejection(b.practiceCreateApp({ ...form, apis: ["License.Authorize"] }))).message).toMatch(/unknown API name License.Authorize/);
    expect((await rejection(b.practiceCreateApp({ ...form, secretExpiresOn: "31/03/2099" }))).message).toMatch(/not a date/);
    const creds = await b.practiceCreateApp(form);
    const listed = (await b.practiceApps()).find((a) => a.appId === creds.appId);
    expect(listed).toEqual({ appId: creds.appId, name: "Reporting", apis: form.apis, accountIds: scope, tokenExpiryMinutes: 240, secretExpiresOn: "2099-03-31" });
    expect(JSON.stringify(await b.practiceApps())).not.toContain(creds.secret);

    // A subscription has a primary and a secondary key; activating either activates both.
    const pending = await b.practiceSubscribe();
    const sub = await b.practiceSubscription(pending.key);
    expect(sub).toMatchObject({ product: "Unlimited", state: "pending", primaryKey: pending.key });
    expect(sub.secondaryKey).toMatch(/^[0-9a-f]{32}$/);
    expect(sub.secondaryKey).not.toBe(pending.key);
    await b.saveProfile(input({ name: "sandbox", environment: "sandbox", licenseId: PRACTICE_LICENSE_ID, appId: creds.appId, apiKey: "sandbox" }), null);
    await b.setAppSecret("sandbox", creds.secret);
    await b.setApiKey("sandbox", sub.secondaryKey!, false);
    expect((await rejection(b.getToken("sandbox", null, false))).code).toBe("api_key_rejected");
    expect(await b.practiceActivate(sub.secondaryKey!)).toEqual({ key: sub.secondaryKey, state: "active" });
    expect((await b.practiceSubscription(pending.key)).state).toBe("active");
    const t = await b.getToken("sandbox", null, false);
    expect(Date.parse(t.expiresAt!) - Date.parse(t.obtainedAt)).toBe(240 * 60_000);

    // Update API Application: the secret stays.
    await b.practiceUpdateApp(creds.appId, { ...form, name: "Reporting v2", tokenExpiryMinutes: 60, secretExpiresOn: null });
    expect((await b.practiceApps()).find((a) => a.appId === creds.appId)).toMatchObject({ name: "Reporting v2", tokenExpiryMinutes: 60, secretExpiresOn: null });
    expect((await rejection(b.practiceUpdateApp(creds.appId, { ...form, name: "" }))).message).toMatch(/needs a name/);
    expect((await b.getToken("sandbox", null, true)).kind).toBe("license");

    // Copy: a current Sandbox secret or key only, through the backend's clipboard.
    expect(await b.practiceCopy(creds.secret)).toEqual({ clearsInSeconds: 30 });
    expect(b.debug.clipboard()).toBe(creds.secret);
    await b.practiceCopy(sub.primaryKey);
    expect((await rejection(b.practiceCopy("anything else"))).code).toBe("invalid_input");
    await b.practiceRegenerateSecret(creds.appId);
    expect((await rejection(b.practiceCopy(creds.secret))).code).toBe("invalid_input");

    // Delete API Application: gone, and its credentials no longer work.
    await b.practiceDeleteApp(creds.appId);
    expect((await b.practiceApps()).some((a) => a.appId === creds.appId)).toBe(false);
    expect((await rejection(b.getToken("sandbox", null, true))).code).toBe("app_credentials_rejected");
    expect((await rejection(b.practiceDeleteApp(creds.appId))).message).toMatch(/does not exist/);
  });

  it("opens the known portals and the documentation only", async () => {
    const b = createFakeBackend();
    await b.openLink("https://docs.cloudneeti.com/x");
    await b.openLink("https://app1.cloudneeti.com");
    expect((await rejection(b.openLink("https://example.com"))).code).toBe("invalid_input");
    expect((await rejection(b.openLink("http://docs.cloudneeti.com"))).code).toBe("invalid_input");
    expect((await rejection(b.openLink("https://evil.cloudneeti.com"))).code).toBe("invalid_input");
    expect(b.debug.openedLinks()).toEqual(["https://docs.cloudneeti.com/x", "https://app1.cloudneeti.com"]);
  });

  it("takes the portal's Token Expiry choices only, but lets an edit keep an older value", async () => {
    const b = createFakeBackend({ delayMs: 0, seed: "demo" });
    const refused = await rejection(b.saveProfile(input({ name: "new", tokenExpiryMinutes: 30 }), null));
    expect(refused.message).toMatch(/30 minutes is not one of the portal's choices/);
    // The demo's contoso-prod has 5 minutes, from before the drop-down.
    const prod = (await b.listProfiles()).find((p) => p.name === "contoso-prod")!;
    const edit = (minutes: number) => input({ name: prod.name, licenseId: prod.licenseId, appId: prod.appId!, tokenExpiryMinutes: minutes });
    await b.saveProfile(edit(5), prod.name);
    expect((await rejection(b.saveProfile(edit(30), prod.name))).code).toBe("invalid_input");
    await b.saveProfile(edit(1440), prod.name);
    expect((await b.listProfiles()).find((p) => p.name === "contoso-prod")!.tokenExpiryMinutes).toBe(1440);
  });

  it("says which API a token came from", async () => {
    const b = await ready(createFakeBackend({ delayMs: 0 }), { environment: "prod1" });
    expect((await b.getToken("contoso", null, true)).apiUrl).toBe("https://api1.cloudneeti.com");
  });
});
