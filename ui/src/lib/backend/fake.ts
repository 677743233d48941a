// An in-memory stand-in for the Rust backend, used when the UI runs in a plain browser
// (browser tests, design work) and in unit tests. It follows the commands in
// src-tauri/src/commands/*.rs and the core's rules: the same validation, the same error codes,
// messages and hints, the same diagnosis links, and the practice portal of the Sandbox.
//
// Like the real backend it never returns a stored secret: the "keychain" keeps when a value
// was stored and a fingerprint (a hash) so the fake service can tell a right secret from a
// wrong one, never the value. The stored application secret "wrong" is always rejected.
import type {
  AccountView,
  ApiKeyView,
  AppInfo,
  Backend,
  CheckView,
  CopyFormat,
  DiagnosisView,
  EnvironmentView,
  IpcError,
  PracticeAccount,
  PracticeApp as PracticeAppView,
  PracticeAppInput,
  ProfileInput,
  ProfileView,
  SettingsView,
  TokenView,
} from "./types";
import * as v from "../validation";
import { CATALOG } from "./generated/catalogValue";

export interface FakeOptions {
  /** Milliseconds the long operations (tokens, accounts, diagnosis) take. */
  delayMs?: number;
  /** "demo" starts with a few profiles (for screenshots and screen tests); default empty. */
  seed?: "empty" | "demo";
  /** Accounts in the practice license (default 250). */
  accounts?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** What tests may look at; never a stored secret. */
export interface FakeDebug {
  clipboard(): string | null;
  openedLinks(): string[];
  /** Fingerprints are not values: this only tells whether something is stored. */
  storedSecretCount(): number;
}

export type FakeBackend = Backend & { readonly debug: FakeDebug };

export const FAKE_KEYCHAIN = "Fake keychain (browser memory)";
export const PRACTICE_LICENSE_ID = "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01";
export const ALL_APIS = [
  "Account.Audit",
  "Account.Health",
  "Account.Rescan",
  "Account.GetJobstatus",
  "Account.InsertKubernetesClusterData",
  "License.AddAccount",
  "License.UpdateAPIAccess",
  "License.GetAPIAccess",
];
const DEMO_API_KEY = "0123456789abcdef0123456789abcdef";
const DEMO_APP_ID = "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02";
const DEMO_APP_SECRET = "DEMO-public-app-secret-0b7e5f3a";

const COMPANIES = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware"];
const PURPOSES = ["production", "staging", "development", "analytics", "finance", "marketing", "security", "research"];
const CONNECTORS = ["Azure", "AWS", "GCP", "Office365", "Azure", "AWS", "Kubernetes"];

/** The practice license's accounts: deterministic, varied names, GUID ids. */
export function practiceAccounts(count = 250): PracticeAccount[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const connectorType = CONNECTORS[i % CONNECTORS.length];
    const company = COMPANIES[Math.floor(i / 7) % COMPANIES.length];
    const purpose = PURPOSES[Math.floor(i / 3) % PURPOSES.length];
    return {
      accountId: `a1b2c3d4-5e6f-4a7b-8c9d-${n.toString(16).padStart(12, "0")}`,
      accountName: `${company} ${connectorType} ${purpose} ${String(n).padStart(3, "0")}`,
      connectorType,
    };
  });
}

/** FNV-1a: enough to tell secrets apart in a fake, and not the value. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16)}:${s.length}`;
}

function randomHex(bytes: number): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
}

function uuid(): string {
  const h = randomHex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function randomSecret(): string {
  const a = new Uint8Array(30);
  crypto.getRandomValues(a);
  return btoa(String.fromCharCode(...a)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const fail = (code: string, message: string, hint: string): IpcError => ({ code, message, hint });
const invalid = (p: v.Problem): IpcError => fail("invalid_input", v.describe(p), p.hint);
function need<T>(c: v.Checked<T>): T {
  if (!c.ok) throw invalid(c.problem);
  return c.value;
}

const E = {
  profileNotFound: (n: string) =>
    fail("profile_not_found", `there is no profile named "${n}"`, "List the profiles with `cnaccess profile list`, or create one with `cnaccess profile add`."),
  profileExists: (n: string) =>
    fail("profile_exists", `a profile named "${n}" already exists`, "Choose another name, or remove the existing profile first."),
  apiKeyNotFound: (n: string) =>
    fail("api_key_not_found", `there is no API key named "${n}"`, "List the stored API keys with `cnaccess key list`, or store one with `cnaccess key set NAME`."),
  apiKeyInUse: (n: string, profiles: string) =>
    fail("api_key_in_use", `the API key "${n}" is still used by profile(s) ${profiles}`, "Point those profiles at another API key, or remove them first."),
  secretMissing: (what: string, owner: string) =>
    fail("secret_missing", `no ${what} is stored for ${owner}`, "Store it first: `cnaccess key set` for an API key, `cnaccess secret set PROFILE` for an application secret, or the Secrets section of the app."),
  apiKeyRejected: () =>
    fail("api_key_rejected", "the API gateway rejected the API key: it is unknown or its subscription is not active yet", "Check the key against the API portal (Username > Profile > Show > Primary key). If you subscribed to the Unlimited product recently, wait for Cloudneeti's activation e-mail: until then the key is refused."),
  appRejected: () =>
    fail("app_credentials_rejected", "the service rejected the API application id or secret", "Check the API application id (portal: Configuration > Cloudneeti API Access) and store the secret again. If the secret was lost, regenerate it: Configure App > Regenerate Secret Key > Confirm."),
  appIdMissing: (profile: string) =>
    fail("invalid_input", `application id is not valid: profile "${profile}" has no API application id yet`, "Copy the application id from the portal (Configuration > Cloudneeti API Access, shown after the secret) into the profile."),
  secretExpired: () =>
    fail("secret_expired", "the API application secret has expired", "Regenerate the secret in the portal (Configuration > Cloudneeti API Access > Configure App > Regenerate Secret Key > Confirm) and store the new one."),
  secretRegenerated: () =>
    fail("secret_regenerated", "the API application secret was replaced by a regenerated one", "Someone regenerated this application's secret: ask your License Admin for the new one, or regenerate it yourself in the portal, and store it."),
  licenseNotFound: (id: string) =>
    fail("license_not_found", `license ${id} is not known to the service`, "Check the license id (portal: Configurations > Features and Quotas) and the environment (PROD or TRIAL) of the profile."),
  accountNotFound: (id: string) =>
    fail("account_not_found", `account ${id} is not known in this license`, "Check the account id (portal: Configurations > Cloud Accounts); `cnaccess accounts PROFILE` lists the accounts of the license."),
  accountOutOfScope: (id: string) =>
    fail("account_out_of_scope", `account ${id} is not in the API application's scope`, "Add the account to the API application's scope in the portal (Configuration > Cloudneeti API Access > Configure App > Cloud Accounts), then ask for a new token."),
  cancelled: () => fail("cancelled", "the operation was cancelled", "Nothing was changed."),
  tokenGone: () => fail("invalid_input", "token is not valid: this token is no longer held", "Get a new token."),
  practice: (reason: string) => fail("invalid_input", `practice portal is not valid: ${reason}`, "Check the form and try again."),
};

interface FakeProfile {
  name: string;
  environment: string; // prod | trial | sandbox | URL
  licenseId: string;
  appId: string;
  apiKey: string;
  tokenExpiryMinutes: number | null;
  secretExpiresOn: string | null;
  secretStoredAt: string | null;
  secretPrint: string | null;
  knownAccounts: AccountView[];
  grantedApis: string[];
}

interface FakeKey {
  name: string;
  storedAt: string | null;
  print: string | null;
}

interface PracticeApp {
  appId: string;
  name: string;
  apis: string[];
  accountIds: Set<string>;
  tokenExpiryMinutes: number;
  secretExpiresOn: string | null;
  secretPrint: string;
  retiredPrints: string[];
}

interface HeldToken {
  view: TokenView;
  value: string;
  baseUrl: string;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

// The known environments and their portals come from the core (generated catalog).
function environmentView(input: string): EnvironmentView {
  const known = CATALOG.environments.find((e) => e.input === input);
  return known ? { ...known } : { kind: "custom", baseUrl: input, input, portalUrl: null, apiPortalUrl: null };
}

/** The backend's link allow-list: the known portals and the documentation, https only. */
function isCloudneetiPage(url: string): boolean {
  const pages = [...CATALOG.environments.flatMap((e) => [e.portalUrl, e.apiPortalUrl]), CATALOG.docsUrl];
  try {
    const u = new URL(url);
    return u.protocol === "https:" && !u.username && pages.some((page) => page !== null && new URL(page).host === u.host);
  } catch {
    return false;
  }
}

/** Profile::secret_valid_until: the midnight UTC that ends the expiry date. */
function secretValidUntil(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const delayMs = options.delayMs ?? 400;
  const now = options.now ?? (() => Date.now());
  const iso = (t = now()) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  const sandboxUrl = "http://127.0.0.1:47801";

  const profiles: FakeProfile[] = [];
  const keys: FakeKey[] = [];
  const settings: SettingsView = { clipboardClearSeconds: 30 };
  const tokens = new Map<string, HeldToken>();
  const cancels = new Map<string, () => void>();
  const opened: string[] = [];
  let clipboard: string | null = null;

  const licenseAccountsList = practiceAccounts(options.accounts ?? 250);
  const practiceApps = new Map<string, PracticeApp>();
  const practiceKeys = new Map<string, "pending" | "active">(); // fingerprint -> state
  practiceKeys.set(fingerprint(DEMO_API_KEY), "active");
  // Like the emulator's State: a subscription made here has a primary and a secondary key,
  // found by the fingerprint of either. Sandbox keys open nothing, so the fake may hold them.
  const practiceSubscriptions = new Map<string, { primary: string; secondary: string }>();
  practiceApps.set(DEMO_APP_ID, {
    appId: DEMO_APP_ID,
    name: "Demo reporting app",
    apis: [...ALL_APIS],
    accountIds: new Set(licenseAccountsList.filter((a) => a.connectorType !== "AWS").map((a) => a.accountId)),
    tokenExpiryMinutes: 15,
    secretExpiresOn: null,
    secretPrint: fingerprint(DEMO_APP_SECRET),
    retiredPrints: [],
  });

  const profileOf = (name: string) => {
    const p = profiles.find((x) => x.name === name);
    if (!p) throw E.profileNotFound(name);
    return p;
  };
  const keyOf = (name: string) => keys.find((k) => k.name === name);

  function ensureKeyMeta(name: string) {
    const existing = keys.find((k) => sameName(k.name, name));
    if (existing && existing.name !== name) {
      throw fail(
        "invalid_input",
        `API key name is not valid: an API key named "${existing.name}" already exists, and names that differ only in case are not told apart`,
        `Use "${existing.name}" to replace that key, or choose another name.`,
      );
    }
    if (!existing) keys.push({ name, storedAt: null, print: null });
  }

  function view(p: FakeProfile): ProfileView {
    let warning: number | null = null;
    if (p.secretExpiresOn) {
      const days = v.daysUntil(p.secretExpiresOn, new Date(now()));
      if (days <= v.SECRET_EXPIRY_WARNING_DAYS) warning = days;
    }
    return {
      name: p.name,
      environment: environmentView(p.environment),
      licenseId: p.licenseId,
      appId: p.appId || null,
      apiKey: p.apiKey,
      apiKeyStoredAt: keyOf(p.apiKey)?.storedAt ?? null,
      secretStoredAt: p.secretStoredAt,
      tokenExpiryMinutes: p.tokenExpiryMinutes,
      secretExpiresOn: p.secretExpiresOn,
      secretValidUntil: p.secretExpiresOn ? secretValidUntil(p.secretExpiresOn) : null,
      secretExpiryWarningDays: warning,
      knownAccounts: p.knownAccounts.map((a) => ({ ...a })),
      grantedApis: [...p.grantedApis],
    };
  }

  /** Waits like a network call would; cancel_operation(opId) ends it with "cancelled". */
  function slow<T>(opId: string | undefined, work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (opId) cancels.delete(opId);
        try {
          resolve(work());
        } catch (e) {
          reject(e);
        }
      }, delayMs);
      if (opId) {
        cancels.set(opId, () => {
          clearTimeout(timer);
          cancels.delete(opId);
          reject(E.cancelled());
        });
      }
    });
  }

  // What the service decides about a profile's credentials: the Sandbox checks them against
  // the practice portal; PROD, TRIAL and custom addresses accept any but the secret "wrong".
  function serviceCheck(p: FakeProfile): { accounts: AccountView[]; apis: string[]; expiry: number } {
    const key = keyOf(p.apiKey);
    if (!key?.print) throw E.secretMissing("API key", `"${p.apiKey}"`);
    if (!p.secretPrint) throw E.secretMissing("application secret", `profile "${p.name}"`);
    if (!p.appId) throw E.appIdMissing(p.name);
    const wrong = p.secretPrint === fingerprint("wrong");
    if (p.environment === "sandbox") {
      if (practiceKeys.get(key.print) !== "active") throw E.apiKeyRejected();
      const app = practiceApps.get(p.appId);
      if (!app || wrong) throw E.appRejected();
      if (app.retiredPrints.includes(p.secretPrint)) throw E.secretRegenerated();
      if (app.secretPrint !== p.secretPrint) throw E.appRejected();
      if (app.secretExpiresOn && v.daysUntil(app.secretExpiresOn, new Date(now())) < 0) throw E.secretExpired();
      if (p.licenseId !== PRACTICE_LICENSE_ID) throw E.licenseNotFound(p.licenseId);
      return {
        accounts: licenseAccountsList.map((a) => ({ ...a, isInApiScope: app.accountIds.has(a.accountId) })),
        apis: [...app.apis],
        expiry: app.tokenExpiryMinutes,
      };
    }
    if (wrong) throw E.appRejected();
    if (p.secretExpiresOn && v.daysUntil(p.secretExpiresOn, new Date(now())) < 0) throw E.secretExpired();
    return {
      accounts: licenseAccountsList.map((a, i) => ({ ...a, isInApiScope: i % 3 !== 2 })),
      apis: ["License.GetAPIAccess", "Account.Audit", "Account.Rescan", "Account.GetJobstatus"],
      expiry: 60,
    };
  }

  // The fake keeps no token cache, so every token it issues is a fresh one.
  function issue(p: FakeProfile, accountId: string | null): TokenView {
    const service = serviceCheck(p);
    if (accountId) {
      const account = service.accounts.find((a) => a.accountId === accountId);
      if (!account) throw E.accountNotFound(accountId);
      if (!account.isInApiScope) throw E.accountOutOfScope(accountId);
    }
    const minutes = Math.min(p.tokenExpiryMinutes ?? service.expiry, service.expiry);
    const t = now();
    const handle = uuid();
    const baseUrl = p.environment === "sandbox" ? sandboxUrl : environmentView(p.environment).baseUrl ?? sandboxUrl;
    const view: TokenView = {
      handle,
      kind: accountId ? "account" : "license",
      profile: p.name,
      licenseId: p.licenseId,
      accountId,
      apiUrl: baseUrl,
      obtainedAt: iso(t),
      expiresAt: iso(t + minutes * 60_000),
    };
    const value = `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify({ lic: p.licenseId, acc: accountId, exp: Math.floor(t / 1000) + minutes * 60 })).replace(/=+$/, "")}.${randomHex(16)}`;
    tokens.set(handle, { view, value, baseUrl });
    return view;
  }

  const dropTokens = (profile: string) => {
    for (const [h, t] of tokens) if (t.view.profile === profile) tokens.delete(h);
  };

  function storeSecret(p: FakeProfile, value: string) {
    const secret = need(v.appSecret(value));
    p.secretPrint = fingerprint(secret);
    p.secretStoredAt = iso();
    dropTokens(p.name);
  }

  function diagnosis(p: FakeProfile): DiagnosisView {
    const links: [string, string][] = [
      ["keychain", "Keychain reachable"],
      ["secrets", "API key and application secret present"],
      ["endpoint", "Service reachable"],
      ["api_key_accepted", "API key accepted"],
      ["app_accepted", "Application id and secret accepted"],
      ["license_known", "License known"],
      ["accounts_in_scope", "Accounts in the application's scope"],
      ["secret_expiry", "Application secret not about to expire"],
    ];
    const checks: CheckView[] = [];
    const push = (status: CheckView["status"], detail: string, fix = "") => {
      const [id, title] = links[checks.length];
      checks.push({ id, title, status, detail, fix });
    };
    const skipRest = () => {
      while (checks.length < links.length) push("skipped", "not checked: an earlier link is broken");
      return { profile: p.name, checks };
    };
    push("ok", `secrets are kept in ${FAKE_KEYCHAIN} (service "cloudneeti-access")`);
    const key = keyOf(p.apiKey);
    if (!key?.print) {
      const e = E.secretMissing("API key", `"${p.apiKey}"`);
      push("failed", e.message, e.hint);
      return skipRest();
    }
    if (!p.secretPrint) {
      const e = E.secretMissing("application secret", `profile "${p.name}"`);
      push("failed", e.message, e.hint);
      return skipRest();
    }
    push("ok", `API key "${p.apiKey}" from the keychain, application secret from the keychain`);
    const base = environmentView(p.environment).baseUrl ?? sandboxUrl;
    const passed = [
      `${base} answered`,
      "the gateway accepted the key",
      `a license token was issued for application ${p.appId}`,
      `license ${p.licenseId} is known`,
    ];
    let service: ReturnType<typeof serviceCheck> | null = null;
    let broken: IpcError | null = null;
    try {
      service = serviceCheck(p);
    } catch (e) {
      broken = e as IpcError;
    }
    // The same links as the Rust doctor: a missing application id belongs to the app's link.
    const linkOf = ({ code, message }: IpcError) =>
      ["api_key_missing", "api_key_rejected", "rate_limited"].includes(code)
        ? 3
        : ["app_credentials_rejected", "secret_expired", "secret_regenerated"].includes(code) ||
            (code === "invalid_input" && message.includes("application id"))
          ? 4
          : code === "license_not_found"
            ? 5
            : 2;
    const stop = broken ? linkOf(broken) - checks.length : passed.length;
    for (const d of passed.slice(0, stop)) push("ok", d);
    if (broken) {
      push("failed", broken.message, broken.hint);
      return skipRest();
    }
    const s = service!;
    const inScope = s.accounts.filter((a) => a.isInApiScope).length;
    p.knownAccounts = s.accounts;
    p.grantedApis = s.apis;
    if (inScope === 0) {
      push(
        "warning",
        `none of the license's ${s.accounts.length} accounts is in the application's scope`,
        "Add accounts to the scope in the portal: Configuration > Cloudneeti API Access > Configure App > Cloud Accounts.",
      );
    } else {
      push("ok", `${inScope} of ${s.accounts.length} accounts in scope`);
    }
    const on = p.secretExpiresOn;
    const days = on ? v.daysUntil(on, new Date(now())) : null;
    if (!on || days === null) push("ok", "no expiry date recorded for the secret");
    else if (days > v.SECRET_EXPIRY_WARNING_DAYS) push("ok", `the secret works until the end of ${on} (midnight UTC)`);
    else if (days < 0) push("failed", `the secret expired at the end of ${on} (midnight UTC)`, E.secretExpired().hint);
    else
      push(
        "warning",
        `the secret expires at the end of ${on} (midnight UTC), in ${days} day(s) (warning from ${v.SECRET_EXPIRY_WARNING_DAYS} days)`,
        E.secretExpired().hint,
      );
    return { profile: p.name, checks };
  }

  function render(format: CopyFormat, t: HeldToken): string {
    const url =
      t.view.kind === "account" && t.view.accountId
        ? `${t.baseUrl}/audit/license/${t.view.licenseId}/account/${t.view.accountId}/benchmarks`
        : `${t.baseUrl}/onboarding/license/${t.view.licenseId}/licenseAccounts`;
    if (format === "raw") return t.value;
    if (format === "curl")
      return `curl -sS '${url}' -H 'Authorization: Bearer ${t.value}' -H "Ocp-Apim-Subscription-Key: $CLOUDNEETI_API_KEY"`;
    return `Invoke-RestMethod -Uri '${url}' -Headers @{ 'Authorization' = 'Bearer ${t.value}'; 'Ocp-Apim-Subscription-Key' = $env:CLOUDNEETI_API_KEY }`;
  }

  // Wraps synchronous bodies so every method rejects (never throws) like an IPC call.
  /** The Create / Update form's rules, as the emulator's; returns the secret expiry date. */
  function checkPracticeForm(input: PracticeAppInput): string | null {
    if (!input.name.trim()) throw E.practice("an API application needs a name");
    const unknownApi = input.apis.find((a) => !ALL_APIS.includes(a));
    if (unknownApi) throw E.practice(`unknown API name ${unknownApi}`);
    const missing = input.accountIds.find((id) => !licenseAccountsList.some((a) => a.accountId === id));
    if (missing) throw E.practice(`account ${missing} is not in license ${PRACTICE_LICENSE_ID}`);
    const on = input.secretExpiresOn && input.secretExpiresOn.trim() !== "" ? input.secretExpiresOn.trim() : null;
    if (on !== null && !v.secretExpiresOn(on).ok) throw E.practice(`"${on}" is not a date like 2027-03-31`);
    return on;
  }

  const run = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const backend: FakeBackend = {
    appInfo: () =>
      run<AppInfo>(() => ({ name: "Cloudneeti Access", version: "0.1.0-fake", keychain: FAKE_KEYCHAIN, sandboxUrl, catalog: CATALOG })),
    getSettings: () => run(() => ({ ...settings })),
    saveSettings: (s) =>
      run(() => {
        settings.clipboardClearSeconds = need(v.clipboardSeconds(s.clipboardClearSeconds));
      }),
    openLink: (url) =>
      run(() => {
        if (!isCloudneetiPage(url)) {
          throw fail("invalid_input", "link is not valid: only Cloudneeti's own https pages open from the app", "Open other addresses in your browser yourself.");
        }
        opened.push(url);
      }),
    cancelOperation: (opId) =>
      run(() => {
        cancels.get(opId)?.();
      }),

    listProfiles: () => run(() => profiles.map(view)),
    saveProfile: (input: ProfileInput, editing: string | null) =>
      run(() => {
        const name = need(v.profileName(editing ?? input.name));
        const env = need(v.environment(input.environment, CATALOG.environments)).value;
        const licenseId = need(v.licenseId(input.licenseId));
        const appId = input.appId.trim() ? need(v.appId(input.appId)) : "";
        const apiKey = need(v.keyName(input.apiKey));
        const minutes = input.tokenExpiryMinutes;
        // ProfileForm::validate_edit: one of the portal's choices, or the value an edited
        // profile already has.
        const kept = editing === null ? null : (profiles.find((p) => p.name === editing)?.tokenExpiryMinutes ?? null);
        if (minutes !== null && !CATALOG.tokenExpiryChoices.includes(minutes) && minutes !== kept) {
          throw invalid({
            field: "token expiry",
            reason: `${minutes} minutes is not one of the portal's choices`,
            hint: `Give the Token Expiry chosen in the portal, in minutes: one of ${CATALOG.tokenExpiryChoices.join(", ")}.`,
          });
        }
        const expiresOn = need(v.secretExpiresOn(input.secretExpiresOn ?? ""));
        const fields = { environment: env, licenseId, appId, apiKey, tokenExpiryMinutes: minutes, secretExpiresOn: expiresOn };
        if (editing === null) {
          if (profiles.some((p) => sameName(p.name, name))) throw E.profileExists(name);
          ensureKeyMeta(apiKey);
          profiles.push({ name, ...fields, secretStoredAt: null, secretPrint: null, knownAccounts: [], grantedApis: [] });
        } else {
          const p = profileOf(editing);
          if (!keyOf(apiKey)) throw E.apiKeyNotFound(apiKey);
          Object.assign(p, fields);
          dropTokens(p.name);
        }
      }),
    deleteProfile: (name) =>
      run(() => {
        const p = profileOf(name);
        profiles.splice(profiles.indexOf(p), 1);
        dropTokens(name);
      }),

    listApiKeys: () =>
      run<ApiKeyView[]>(() =>
        keys.map((k) => ({
          name: k.name,
          storedAt: k.storedAt,
          usedBy: profiles.filter((p) => p.apiKey === k.name).map((p) => p.name),
        })),
      ),
    setApiKey: (name, value, allowAnyFormat) =>
      run(() => {
        const n = need(v.keyName(name));
        const key = need(v.apiKey(value, allowAnyFormat));
        ensureKeyMeta(n);
        const k = keyOf(n)!;
        k.print = fingerprint(key);
        k.storedAt = iso();
      }),
    removeApiKey: (name) =>
      run(() => {
        const k = keyOf(name);
        if (!k) throw E.apiKeyNotFound(name);
        const users = profiles.filter((p) => p.apiKey === name).map((p) => p.name);
        if (users.length) throw E.apiKeyInUse(name, users.join(", "));
        keys.splice(keys.indexOf(k), 1);
      }),
    setAppSecret: (profile, value) => run(() => storeSecret(profileOf(profile), value)),
    removeAppSecret: (profile) =>
      run(() => {
        const p = profileOf(profile);
        p.secretPrint = null;
        p.secretStoredAt = null;
        dropTokens(profile);
      }),
    replaceAppSecretChecked: (profile, value, opId) =>
      slow(opId, () => {
        const p = profileOf(profile);
        const candidate = need(v.appSecret(value));
        serviceCheck({ ...p, secretPrint: fingerprint(candidate) });
        storeSecret(p, candidate);
      }),

    licenseAccounts: (profile, opId) =>
      slow(opId, () => {
        const p = profileOf(profile);
        const s = serviceCheck(p);
        p.knownAccounts = s.accounts;
        p.grantedApis = s.apis;
        return { licenseId: p.licenseId, accounts: s.accounts.map((a) => ({ ...a })), apis: [...s.apis] };
      }),
    getToken: (profile, accountId, _fresh, opId) => {
      let account: string | null = null;
      try {
        account = accountId === null ? null : need(v.accountId(accountId));
      } catch (e) {
        return Promise.reject(e);
      }
      return slow(opId, () => issue(profileOf(profile), account));
    },
    revealToken: (handle) =>
      run(() => {
        const t = tokens.get(handle);
        if (!t) throw E.tokenGone();
        return { token: t.value };
      }),
    copyToken: (handle, format) =>
      run(() => {
        const t = tokens.get(handle);
        if (!t) throw E.tokenGone();
        clipboard = render(format, t);
        return { clearsInSeconds: settings.clipboardClearSeconds };
      }),
    diagnose: (profile, opId) => slow(opId, () => diagnosis(profileOf(profile))),

    practiceLicense: () =>
      run(() => ({
        licenseId: PRACTICE_LICENSE_ID,
        licenseName: "Contoso practice license",
        accounts: licenseAccountsList.map((a) => ({ ...a })),
        apis: [...ALL_APIS],
      })),
    practiceApps: () =>
      run(() =>
        [...practiceApps.values()]
          .sort((a, b) => a.appId.localeCompare(b.appId))
          .map(
            (a): PracticeAppView => ({
              appId: a.appId,
              name: a.name,
              apis: [...a.apis],
              accountIds: [...a.accountIds],
              tokenExpiryMinutes: a.tokenExpiryMinutes,
              secretExpiresOn: a.secretExpiresOn,
            }),
          ),
      ),
    practiceCreateApp: (input: PracticeAppInput) =>
      run(() => {
        const on = checkPracticeForm(input);
        const secret = randomSecret();
        const app: PracticeApp = {
          appId: uuid(),
          name: input.name,
          apis: [...input.apis],
          accountIds: new Set(input.accountIds),
          tokenExpiryMinutes: Math.max(1, input.tokenExpiryMinutes),
          secretExpiresOn: on,
          secretPrint: fingerprint(secret),
          retiredPrints: [],
        };
        practiceApps.set(app.appId, app);
        return { appId: app.appId, secret };
      }),
    practiceUpdateApp: (appId, input) =>
      run(() => {
        const app = practiceApps.get(appId);
        if (!app) throw E.practice(`API application ${appId} does not exist`);
        const on = checkPracticeForm(input);
        app.name = input.name;
        app.apis = [...input.apis];
        app.accountIds = new Set(input.accountIds);
        app.tokenExpiryMinutes = Math.max(1, input.tokenExpiryMinutes);
        app.secretExpiresOn = on;
      }),
    practiceDeleteApp: (appId) =>
      run(() => {
        if (!practiceApps.delete(appId)) throw E.practice(`API application ${appId} does not exist`);
      }),
    practiceRegenerateSecret: (appId) =>
      run(() => {
        const app = practiceApps.get(appId);
        if (!app) throw E.practice(`there is no API application ${appId}`);
        const secret = randomSecret();
        app.retiredPrints.push(app.secretPrint);
        app.secretPrint = fingerprint(secret);
        return { appId, secret };
      }),
    practiceSubscribe: () =>
      run(() => {
        const pair = { primary: randomHex(16), secondary: randomHex(16) };
        for (const key of [pair.primary, pair.secondary]) {
          practiceKeys.set(fingerprint(key), "pending");
          practiceSubscriptions.set(fingerprint(key), pair);
        }
        return { key: pair.primary, state: "pending" };
      }),
    practiceActivate: (key) =>
      run(() => {
        const print = fingerprint(key);
        if (!practiceKeys.has(print)) throw E.practice("no API key matches");
        const pair = practiceSubscriptions.get(print);
        for (const k of pair ? [pair.primary, pair.secondary] : [key]) practiceKeys.set(fingerprint(k), "active");
        return { key, state: "active" };
      }),
    practiceSubscription: (key) =>
      run(() => {
        const print = fingerprint(key);
        const state = practiceKeys.get(print);
        if (!state) throw E.practice("no API key matches");
        const pair = practiceSubscriptions.get(print);
        return { product: "Unlimited", state, primaryKey: pair?.primary ?? key, secondaryKey: pair?.secondary ?? null };
      }),
    practiceCopy: (text) =>
      run(() => {
        const print = fingerprint(text);
        const known = text !== "" && (practiceKeys.has(print) || [...practiceApps.values()].some((a) => a.secretPrint === print));
        if (!known) throw E.practice("only a current secret or key of the Sandbox can be copied here");
        clipboard = text;
        return { clearsInSeconds: settings.clipboardClearSeconds };
      }),

    debug: {
      clipboard: () => clipboard,
      openedLinks: () => [...opened],
      storedSecretCount: () => profiles.filter((p) => p.secretPrint).length + keys.filter((k) => k.print).length,
    },
  };

  if (options.seed === "demo") seedDemo();

  // A few profiles in every state the screens show: for screenshots and screen tests.
  function seedDemo() {
    const add = (name: string, environment: string, licenseId: string, appId: string, apiKey: string, extra: Partial<FakeProfile> = {}) => {
      ensureKeyMeta(apiKey);
      profiles.push({
        name, environment, licenseId, appId, apiKey,
        tokenExpiryMinutes: null, secretExpiresOn: null, secretStoredAt: null, secretPrint: null,
        knownAccounts: [], grantedApis: [], ...extra,
      });
    };
    // Expiry dates are UTC days (see daysUntil).
    const day = (offset: number) => new Date(now() + offset * 86_400_000).toISOString().slice(0, 10);
    const stored = iso(now() - 3 * 86_400_000);
    add("contoso-prod", "prod", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "default", {
      secretStoredAt: stored, secretPrint: fingerprint("prod-secret"), tokenExpiryMinutes: 5,
    });
    add("contoso-trial", "trial", "9b2d1c70-3a4e-4f5b-8c6d-7e8f9a0b1c2d", "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f101", "default", {
      secretStoredAt: stored, secretPrint: fingerprint("trial-secret"), secretExpiresOn: day(5), tokenExpiryMinutes: 5,
    });
    add("broken-secret", "https://apim.contoso.example", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "default", {
      secretStoredAt: stored, secretPrint: fingerprint("wrong"),
    });
    const k = keyOf("default")!;
    k.print = fingerprint(DEMO_API_KEY);
    k.storedAt = stored;
  }

  return backend;
}

function optionsFromLocation(): FakeOptions {
  if (typeof location === "undefined") return {};
  const q = new URLSearchParams(location.search);
  const delay = Number(q.get("fake-delay"));
  return {
    delayMs: Number.isFinite(delay) && q.has("fake-delay") ? delay : undefined,
    seed: q.get("fake-seed") === "demo" ? "demo" : "empty",
  };
}

/** The fake the app uses outside Tauri; `?fake-delay=MS&fake-seed=demo` tune it for tests. */
export const fakeBackend: FakeBackend = createFakeBackend(optionsFromLocation());
