import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { backend } from "../backend";
import type { AccountView, SummaryView, TokenView } from "../backend/types";
import { useDevhost } from "../backend/testing";
import AccountList from "./AccountList.svelte";
import Countdown from "./Countdown.svelte";
import EnvironmentBadge from "./EnvironmentBadge.svelte";
import ErrorMessage from "./ErrorMessage.svelte";
import { app } from "../stores/app.svelte";
import EnvironmentField from "./EnvironmentField.svelte";
import PortalLink from "./PortalLink.svelte";
import PostureChart from "./accounts/PostureChart.svelte";
import ProfileForm from "./ProfileForm.svelte";
import SecretControls from "./SecretControls.svelte";
import StepIndicator from "./StepIndicator.svelte";
import TokenCard from "./TokenCard.svelte";
import TokenExpiryField from "./TokenExpiryField.svelte";

// Components that call the backend get the real core: a dev host started for this file.
vi.mock("../backend", () => import("../backend/testing"));
const devhost = useDevhost();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const COMPANIES = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware"];
const PURPOSES = ["production", "staging", "development", "analytics", "finance", "marketing", "security", "research"];
const CONNECTORS = ["Azure", "AWS", "GCP", "Office365", "Azure", "AWS", "Kubernetes"];

/** Many accounts with varied names and GUID ids, every other one in the API's scope. */
function manyAccounts(count: number): AccountView[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const connectorType = CONNECTORS[i % CONNECTORS.length];
    const company = COMPANIES[Math.floor(i / 7) % COMPANIES.length];
    const purpose = PURPOSES[Math.floor(i / 3) % PURPOSES.length];
    return {
      accountId: `a1b2c3d4-5e6f-4a7b-8c9d-${n.toString(16).padStart(12, "0")}`,
      accountName: `${company} ${connectorType} ${purpose} ${String(n).padStart(3, "0")}`,
      connectorType,
      isInApiScope: i % 2 === 0,
    };
  });
}

describe("ErrorMessage", () => {
  it("says what happened and what to do, as an alert with the code", () => {
    render(ErrorMessage, { props: { error: { code: "secret_expired", message: "the API application secret has expired", hint: "Regenerate it." } } });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveAttribute("data-testid", "error-message");
    expect(alert).toHaveAttribute("data-code", "secret_expired");
    expect(alert).toHaveTextContent("The API application secret has expired.");
    expect(alert).toHaveTextContent("Regenerate it.");
  });
  it("renders nothing without an error", () => {
    render(ErrorMessage, { props: { error: null } });
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("Countdown", () => {
  it("ticks every second and shows UTC on hover", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T10:00:00Z"));
    render(Countdown, { props: { expiresAt: "2026-01-01T10:05:00Z" } });
    const timer = screen.getByTestId("token-countdown");
    expect(timer).toHaveTextContent("expires in 5 min 00 s");
    await vi.advanceTimersByTimeAsync(2000);
    expect(timer).toHaveTextContent("expires in 4 min 58 s");
    expect(screen.getByTestId("token-expiry")).toHaveAttribute("title", "2026-01-01 10:05:00 UTC");
    await vi.advanceTimersByTimeAsync(300_000);
    expect(timer).toHaveTextContent("expired");
  });
  it("says so when the expiry is unknown", () => {
    render(Countdown, { props: { expiresAt: null } });
    expect(screen.getByTestId("token-countdown")).toHaveTextContent("did not say");
  });
});

describe("EnvironmentBadge and StepIndicator", () => {
  it("marks PROD unmistakably", () => {
    render(EnvironmentBadge, {
      props: { environment: { kind: "prod", baseUrl: "https://api.cloudneeti.com", input: "prod", portalUrl: null, apiPortalUrl: null } },
    });
    const badge = screen.getByTestId("environment-badge");
    expect(badge).toHaveAttribute("data-kind", "prod");
    expect(badge).toHaveClass("prod");
    expect(badge).toHaveTextContent("PROD");
  });
  it("marks the current step and lets the user jump", async () => {
    const onselect = vi.fn();
    render(StepIndicator, {
      props: {
        steps: [
          { id: 1, label: "One", short: "1" },
          { id: 2, label: "Two", short: "2" },
        ],
        current: 2,
        done: [1],
        onselect,
      },
    });
    const items = within(screen.getByTestId("step-indicator")).getAllByRole("listitem");
    expect(items[0]).not.toHaveAttribute("aria-current");
    expect(items[1]).toHaveAttribute("aria-current", "step");
    expect(items[0]).toHaveAttribute("data-done", "true");
    await fireEvent.click(within(items[0]).getByRole("button"));
    expect(onselect).toHaveBeenCalledWith(1);
  });
});

describe("AccountList", () => {
  const accounts = manyAccounts(250);

  it("searches hundreds of accounts by name, type or id; the row's action only in scope", async () => {
    const ontoken = vi.fn();
    const action = createRawSnippet((account: () => AccountView) => ({
      render: () => `<button type="button" data-testid="get-account-token">Get account token</button>`,
      setup: (button: Element) => {
        button.addEventListener("click", () => ontoken(account()));
      },
    }));
    render(AccountList, { props: { accounts, apis: ["Account.Audit"], action } });
    expect(screen.getAllByTestId("account-row")).toHaveLength(250);
    expect(screen.getByText("Account.Audit")).toBeInTheDocument();
    const search = screen.getByLabelText(/Search accounts/);
    await fireEvent.input(search, { target: { value: "fabrikam analytics" } });
    const rows = screen.getAllByTestId("account-row");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toHaveTextContent(/Fabrikam .* analytics/);
    await fireEvent.input(search, { target: { value: accounts[41].accountId.slice(-6) } });
    expect(screen.getAllByTestId("account-row")).toHaveLength(1);
    await fireEvent.input(search, { target: { value: "" } });
    const out = screen.getAllByTestId("account-row").find((r) => r.dataset.inScope === "false")!;
    expect(within(out).queryByTestId("get-account-token")).toBeNull();
    expect(out).toHaveTextContent("Not in scope");
    const inScope = screen.getAllByTestId("account-row").find((r) => r.dataset.inScope === "true")!;
    await fireEvent.click(within(inScope).getByTestId("get-account-token"));
    expect(ontoken).toHaveBeenCalledWith(expect.objectContaining({ accountId: inScope.dataset.accountId }));
    // Not a timing test: 250 rows rendered and searched three times in jsdom take about 1 s,
    // and past vitest's 5 s default on a loaded 2-core machine (it failed once so in a run).
  }, 30_000);
});

describe("ProfileForm", () => {
  // The core checks the fields (checkField); the form keeps no copy of its rules.
  const GOOD_GUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  beforeAll(async () => {
    await devhost().reset("empty");
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const answered = { timeout: 3000 }; // the dev host answers in milliseconds, but a busy machine may be slow

  it("refuses a bad GUID and a bad key before any saving command: no profile is saved", async () => {
    const onsaved = vi.fn();
    const saving = [vi.spyOn(backend, "saveProfile"), vi.spyOn(backend, "setAppSecret"), vi.spyOn(backend, "setApiKey")];
    render(ProfileForm, { props: { editing: null, onsaved, oncancel: () => {} } });
    await fireEvent.input(screen.getByTestId("profile-name"), { target: { value: "p1" } });
    await fireEvent.input(screen.getByTestId("license-id"), { target: { value: "not-a-guid" } });
    await fireEvent.input(screen.getByTestId("app-id"), { target: { value: GOOD_GUID } });
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "a-good-secret" } });
    await fireEvent.input(screen.getByTestId("api-key"), { target: { value: "zz" } });
    await fireEvent.click(screen.getByTestId("save-profile"));
    await waitFor(() => expect(screen.getByTestId("license-id")).toHaveFocus(), answered);
    // Told once, under the field: no alert repeats it.
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByTestId("license-id")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("license-id")).toHaveAccessibleDescription(/license id is not valid: .*a GUID has 36.*Features and Quotas/);
    expect(screen.getByTestId("api-key")).toHaveAccessibleDescription(/API key is not valid: it has 2 characters; an API key has 32 hex digits/);
    expect(screen.getByTestId("app-id")).not.toHaveAttribute("aria-invalid");
    for (const spy of saving) expect(spy).not.toHaveBeenCalled();
    expect(onsaved).not.toHaveBeenCalled();
    expect(await backend.listProfiles()).toEqual([]);
  });

  it("shows the core's message as the user types, without submitting", async () => {
    const saveProfile = vi.spyOn(backend, "saveProfile");
    render(ProfileForm, { props: { editing: null, onsaved: () => {}, oncancel: () => {} } });
    const license = screen.getByTestId("license-id");
    await fireEvent.input(license, { target: { value: "3f2504e0-4f89-41d3-9a0c-0305e82c33" } });
    await waitFor(() => expect(license).toHaveAccessibleDescription(/it has 34 characters; a GUID has 36/), answered);
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.input(license, { target: { value: ` {${GOOD_GUID.toUpperCase()}} ` } });
    await waitFor(() => expect(license).not.toHaveAttribute("aria-invalid"), answered);
    // An empty field is not flagged while typing; only the submit asks the core about it.
    await fireEvent.input(license, { target: { value: "" } });
    await sleep(300);
    expect(license).not.toHaveAttribute("aria-invalid");
    expect(saveProfile).not.toHaveBeenCalled();
  });

  it("lets a later keystroke win over an answer still on its way", async () => {
    const original = backend.checkField;
    const checkField = vi.spyOn(backend, "checkField").mockImplementation(async (field, value) => {
      if (value === "not-a-guid") await sleep(400); // the stale answer arrives last
      return original(field, value);
    });
    render(ProfileForm, { props: { editing: null, onsaved: () => {}, oncancel: () => {} } });
    const license = screen.getByTestId("license-id");
    await fireEvent.input(license, { target: { value: "not-a-guid" } });
    await waitFor(() => expect(checkField).toHaveBeenCalledWith("licenseId", "not-a-guid"), answered);
    await fireEvent.input(license, { target: { value: GOOD_GUID } });
    await waitFor(() => expect(checkField).toHaveBeenCalledWith("licenseId", GOOD_GUID), answered);
    await sleep(600);
    expect(license).not.toHaveAttribute("aria-invalid");
  });
});

describe("TokenCard", () => {
  // The demo scenario's `sandbox-demo` profile gets its tokens from the Sandbox (the emulator).
  let sandboxUrl: string;
  beforeAll(async () => {
    sandboxUrl = (await devhost().reset("demo")).sandboxUrl!;
  });

  it("reveals on demand, hides again, and tells when the clipboard is cleared", async () => {
    const token = await backend.getToken("sandbox-demo", null, false);
    render(TokenCard, { props: { token, title: "License token" } });
    expect(screen.queryByTestId("token-value")).toBeNull();
    await fireEvent.click(screen.getByTestId("reveal-token"));
    expect(await screen.findByTestId("token-value")).toHaveTextContent(/^eyJ/);
    await fireEvent.click(screen.getByTestId("hide-token"));
    expect(screen.queryByTestId("token-value")).toBeNull();
    await fireEvent.click(screen.getByTestId("copy-curl"));
    expect(await screen.findByTestId("copy-status")).toHaveTextContent("It will be cleared from the clipboard in 30 s.");
    expect(await devhost().clipboard()).toMatch(/\$CLOUDNEETI_API_KEY/);
    expect(screen.getByTestId("token-api-url")).toHaveTextContent(sandboxUrl);
    expect(screen.queryByTestId("fresh-token")).toBeNull();
  });
  it("asks for a fresh token on request", async () => {
    const token = await backend.getToken("sandbox-demo", null, true);
    const onfresh = vi.fn();
    render(TokenCard, { props: { token, title: "License token", onfresh } });
    expect(screen.getByTestId("token-obtained")).toHaveTextContent(`Obtained from the service at ${sandboxUrl} at`);
    await fireEvent.click(screen.getByTestId("fresh-token"));
    expect(onfresh).toHaveBeenCalledOnce();
  });
  it("shows an account token's claims, read by the backend, without revealing it", async () => {
    const reveal = vi.spyOn(backend, "revealToken");
    const { accounts } = await backend.licenseAccounts("sandbox-demo");
    const azure = accounts.find((a) => a.connectorType === "Azure")!;
    const token = await backend.getToken("sandbox-demo", azure.accountId, false);
    render(TokenCard, { props: { token, title: "Account token" } });
    expect(screen.getByTestId("claim-license")).toHaveTextContent(token.licenseId);
    expect(screen.getByTestId("claim-account")).toHaveTextContent(azure.accountId);
    const issued = Date.parse(screen.getByTestId("claim-issued").querySelector("time")!.getAttribute("datetime")!);
    const expires = Date.parse(screen.getByTestId("claim-expires").querySelector("time")!.getAttribute("datetime")!);
    // The Sandbox's demo application has a Token Expiry of 60 minutes.
    expect(expires - issued).toBe(60 * 60 * 1000);
    expect(screen.getByTestId("token-claims")).not.toHaveTextContent(/eyJ/);
    expect(reveal).not.toHaveBeenCalled();
  });
  it("says when a token carries no readable claims", () => {
    const token: TokenView = {
      handle: "h", kind: "license", profile: "p", licenseId: "L", accountId: null, apiUrl: "https://api.example",
      obtainedAt: "2026-01-01T10:00:00Z", expiresAt: null, claims: null,
    };
    render(TokenCard, { props: { token, title: "License token" } });
    expect(screen.queryByTestId("token-claims")).toBeNull();
    expect(screen.getByTestId("token-claims-none")).toHaveTextContent("opaque");
  });
});

describe("PostureChart", () => {
  // A summary from the real core (the Sandbox's demo Azure account), as the view gets it.
  let summary: SummaryView;
  beforeAll(async () => {
    await devhost().reset("demo");
    const { accounts } = await backend.licenseAccounts("sandbox-demo");
    const azure = accounts.find((a) => a.connectorType === "Azure")!;
    summary = await backend.benchmarkSummary("sandbox-demo", azure.accountId, "CSBP");
  });
  const names = () => screen.getAllByTestId("category-bar").map((r) => r.dataset.name);

  it("draws one labelled bar per category, and sorts by name, failed and compliance", async () => {
    render(PostureChart, { props: { summary } });
    expect(names()).toEqual(summary.categories.map((c) => c.name));
    for (const c of summary.categories) {
      const bar = within(screen.getAllByTestId("category-bar").find((r) => r.dataset.name === c.name)!).getByRole("img");
      expect(bar).toHaveAttribute("aria-label", expect.stringContaining(`${c.name}: ${c.passed} passed, ${c.failed} failed, ${c.other} other`));
    }
    expect(screen.getByTestId("compliance-percent")).toHaveAttribute("data-percent", String(summary.posture!.compliancePercent));

    await fireEvent.click(screen.getByTestId("sort-name"));
    expect(names()).toEqual(summary.categories.map((c) => c.name).sort((a, b) => a.localeCompare(b)));
    expect(screen.getByTestId("sort-name").closest("th")).toHaveAttribute("aria-sort", "ascending");
    await fireEvent.click(screen.getByTestId("sort-name"));
    expect(names()).toEqual(summary.categories.map((c) => c.name).sort((a, b) => b.localeCompare(a)));

    await fireEvent.click(screen.getByTestId("sort-failed"));
    const failed = screen.getAllByTestId("category-bar").map((r) => Number(r.dataset.failed));
    expect(failed).toEqual([...failed].sort((a, b) => b - a));
    expect(screen.getByTestId("sort-failed").closest("th")).toHaveAttribute("aria-sort", "descending");

    await fireEvent.click(screen.getByTestId("sort-compliance"));
    const byName = new Map(summary.categories.map((c) => [c.name, c.compliancePercent ?? Infinity]));
    const compliance = names().map((n) => byName.get(n!)!);
    expect(compliance).toEqual([...compliance].sort((a, b) => a - b));
  });
});

describe("the core's catalog in the forms and links", () => {
  it("offers the core's environments, PROD's second region among them", async () => {
    app.info = await backend.appInfo();
    render(EnvironmentField, { props: { id: "env", choice: "prod1", customUrl: "" } });
    const options = [...screen.getByTestId("environment").querySelectorAll("option")].map((o) => o.value);
    expect(options).toEqual(["prod", "prod1", "trial", "sandbox", "custom"]);
    expect(screen.getByTestId("environment")).toHaveValue("prod1");
    expect(screen.getByText(/PROD, second region: api1\.cloudneeti\.com/)).toBeInTheDocument();
  });
  it("offers the portal's Token Expiry choices, and a profile's older value beside them", async () => {
    app.info = await backend.appInfo();
    render(TokenExpiryField, { props: { id: "te", label: "Token Expiry", value: "5", stored: 5 } });
    const options = [...screen.getByTestId("token-expiry").querySelectorAll("option")].map((o) => o.textContent);
    expect(options).toEqual(["Not recorded", "60 minutes", "4 hours", "24 hours", "5 minutes (kept; no longer offered by the portal)"]);
    expect(screen.getByTestId("token-expiry")).toHaveValue("5");
  });
  it("links to an environment's own portals, and says so when it knows none", async () => {
    const info = await backend.appInfo();
    const trial = info.catalog.environments.find((e) => e.kind === "trial")!;
    const { unmount } = render(PortalLink, { props: { environment: trial, which: "apiPortal" } });
    expect(screen.getByRole("link")).toHaveAttribute("href", "https://trialportal.cloudneeti.com/");
    unmount();
    const custom = { kind: "custom" as const, baseUrl: "https://apim.contoso.example", input: "https://apim.contoso.example", portalUrl: null, apiPortalUrl: null };
    render(PortalLink, { props: { environment: custom, which: "portal" } });
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.getByTestId("no-portal-link")).toHaveTextContent("does not know the Cloudneeti portal of https://apim.contoso.example");
  });
});

describe("SecretControls", () => {
  const answered = { timeout: 3000 };
  const props = (store: (value: string, anyFormat: boolean) => Promise<void>) => ({
    kind: "secret" as const,
    label: "application secret",
    storedAt: "2026-12-01T10:00:00Z",
    store,
    remove: async () => {},
  });

  it("stores once per press, what was typed when it was pressed", async () => {
    // The core's check is held back until the test lets it go: meanwhile the user clicks
    // again and types on.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const real = backend.checkField.bind(backend);
    vi.spyOn(backend, "checkField").mockImplementation(async (field, value) => {
      await held;
      return real(field, value);
    });
    const store = vi.fn(async () => {});
    render(SecretControls, { props: props(store) });
    await fireEvent.click(screen.getByTestId("replace-secret"));
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "typed-at-the-press" } });
    await fireEvent.click(screen.getByTestId("save-app-secret"));
    await fireEvent.click(screen.getByTestId("save-app-secret"));
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "typed-afterwards" } });
    release();
    await waitFor(() => expect(store).toHaveBeenCalled(), answered);
    expect(store).toHaveBeenCalledTimes(1);
    expect(store).toHaveBeenCalledWith("typed-at-the-press", false);
  });

  it("tells a refused key once, under the field, with the focus there", async () => {
    const store = vi.fn(async () => {});
    render(SecretControls, { props: { ...props(store), kind: "key" as const, label: "API key" } });
    await fireEvent.click(screen.getByTestId("replace-api-key"));
    await fireEvent.input(screen.getByTestId("api-key"), { target: { value: "zz" } });
    await fireEvent.click(screen.getByTestId("save-api-key"));
    await waitFor(() => expect(screen.getByTestId("api-key")).toHaveFocus(), answered);
    expect(screen.getByTestId("api-key")).toHaveAccessibleDescription(/API key is not valid: it has 2 characters/);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(store).not.toHaveBeenCalled();
  });

  it("forgets a typed secret when the field is closed", async () => {
    const store = vi.fn(async () => {});
    render(SecretControls, { props: props(store) });
    await fireEvent.click(screen.getByTestId("replace-secret"));
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "half-typed-secret" } });
    await fireEvent.click(screen.getByTestId("replace-secret"));
    expect(screen.queryByTestId("app-secret")).toBeNull();
    await fireEvent.click(screen.getByTestId("replace-secret"));
    expect(screen.getByTestId("app-secret")).toHaveValue("");
    expect(store).not.toHaveBeenCalled();
  });
});

describe("ProfileForm while the core answers", () => {
  beforeAll(async () => {
    await devhost().reset("empty");
  });

  it("stores the secret that was typed when Create was pressed", async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const real = backend.checkField.bind(backend);
    vi.spyOn(backend, "checkField").mockImplementation(async (field, value) => {
      await held;
      return real(field, value);
    });
    const setAppSecret = vi.spyOn(backend, "setAppSecret").mockResolvedValue(null);
    render(ProfileForm, { props: { editing: null, onsaved: () => {}, oncancel: () => {} } });
    await fireEvent.input(screen.getByTestId("profile-name"), { target: { value: "snap" } });
    await fireEvent.input(screen.getByTestId("license-id"), { target: { value: "7c9e6679-7425-40de-944b-e07fc1f90ae7" } });
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "secret-at-the-press" } });
    await fireEvent.click(screen.getByTestId("save-profile"));
    await fireEvent.input(screen.getByTestId("app-secret"), { target: { value: "secret-typed-later" } });
    release();
    await waitFor(() => expect(setAppSecret).toHaveBeenCalled(), { timeout: 3000 });
    expect(setAppSecret).toHaveBeenCalledTimes(1);
    expect(setAppSecret).toHaveBeenCalledWith("snap", "secret-at-the-press");
  });
});
