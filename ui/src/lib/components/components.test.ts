import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBackend, practiceAccounts } from "../backend/fake";
import AccountList from "./AccountList.svelte";
import Countdown from "./Countdown.svelte";
import EnvironmentBadge from "./EnvironmentBadge.svelte";
import ErrorMessage from "./ErrorMessage.svelte";
import ProfileForm from "./ProfileForm.svelte";
import StepIndicator from "./StepIndicator.svelte";
import TokenCard from "./TokenCard.svelte";

afterEach(() => {
  vi.useRealTimers();
});

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
    render(EnvironmentBadge, { props: { environment: { kind: "prod", baseUrl: "https://api.cloudneeti.com", input: "prod" } } });
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
  const accounts = practiceAccounts(250).map((a, i) => ({ ...a, isInApiScope: i % 2 === 0 }));

  it("searches hundreds of accounts by name, type or id; tokens only in scope", async () => {
    const ontoken = vi.fn();
    render(AccountList, { props: { accounts, apis: ["Account.Audit"], ontoken } });
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
  });
});

describe("ProfileForm", () => {
  it("refuses a bad GUID and a bad key before asking the backend", async () => {
    const onsaved = vi.fn();
    const spy = vi.spyOn(fakeBackend, "saveProfile");
    render(ProfileForm, { props: { editing: null, onsaved, oncancel: () => {} } });
    await fireEvent.input(screen.getByTestId("profile-name"), { target: { value: "p1" } });
    await fireEvent.input(screen.getByTestId("license-id"), { target: { value: "not-a-guid" } });
    await fireEvent.input(screen.getByTestId("app-id"), { target: { value: "7c9e6679-7425-40de-944b-e07fc1f90ae7" } });
    await fireEvent.input(screen.getByTestId("api-key"), { target: { value: "zz" } });
    await fireEvent.click(screen.getByTestId("save-profile"));
    expect(screen.getByRole("alert")).toHaveAttribute("data-code", "invalid_input");
    expect(screen.getByTestId("license-id")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("license-id")).toHaveAccessibleDescription(/a GUID has 36/);
    expect(screen.getByTestId("api-key")).toHaveAccessibleDescription(/an API key has 32 hex digits/);
    expect(spy).not.toHaveBeenCalled();
    expect(onsaved).not.toHaveBeenCalled();
  });
});

describe("TokenCard", () => {
  it("reveals on demand, hides again, and tells when the clipboard is cleared", async () => {
    await fakeBackend.saveProfile(
      { name: "card", environment: "trial", licenseId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", appId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", apiKey: "default", tokenExpiryMinutes: 5, secretExpiresOn: null },
      null,
    );
    await fakeBackend.setApiKey("default", "0123456789abcdef0123456789abcdef", false);
    await fakeBackend.setAppSecret("card", "s3cret");
    const token = await fakeBackend.getToken("card", null);
    render(TokenCard, { props: { token, title: "License token" } });
    expect(screen.queryByTestId("token-value")).toBeNull();
    await fireEvent.click(screen.getByTestId("reveal-token"));
    expect(await screen.findByTestId("token-value")).toHaveTextContent(/^eyJ/);
    await fireEvent.click(screen.getByTestId("hide-token"));
    expect(screen.queryByTestId("token-value")).toBeNull();
    await fireEvent.click(screen.getByTestId("copy-curl"));
    expect(await screen.findByTestId("copy-status")).toHaveTextContent("It will be cleared from the clipboard in 30 s.");
    expect(fakeBackend.debug.clipboard()).toMatch(/\$CLOUDNEETI_API_KEY/);
  });
});
