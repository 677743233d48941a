// The Sandbox's practice portal against the real core (a dev host this file starts, with the
// emulator as the Sandbox): the screens and words of the vendor's screenshots (see each
// component's header), and the controls' accessibility.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { backend } from "../../backend";
import { useDevhost } from "../../backend/testing";
import { practice } from "../../stores/practice.svelte";
import PracticeApiPortal from "./PracticeApiPortal.svelte";
import { fromPortalDate, toPortalDate } from "./PracticeAppForm.svelte";
import PracticeCreateApp from "./PracticeCreateApp.svelte";
import PracticeRegenerate from "./PracticeRegenerate.svelte";

vi.mock("../../backend", () => import("../../backend/testing"));
const devhost = useDevhost();

/** The table row of an application, once it is listed. */
async function rowOf(appId: string): Promise<HTMLElement> {
  return waitFor(() => {
    const row = screen.getAllByTestId("practice-app-row").find((r) => r.getAttribute("data-app-id") === appId);
    if (!row) throw new Error(`no row for ${appId}`);
    return row;
  });
}

async function createApp(name: string) {
  await fireEvent.click(await screen.findByTestId("practice-create-app"));
  await fireEvent.input(screen.getByLabelText("API Application Name"), { target: { value: name } });
  await fireEvent.click(screen.getByTestId("practice-apis"));
  for (const api of ["Account.Audit", "License.GetAPIAccess"]) await fireEvent.click(screen.getByLabelText(api));
  const excluded = screen.getByLabelText("Excluded Cloud Accounts") as HTMLSelectElement;
  await fireEvent.input(screen.getByLabelText("Search excluded cloud accounts"), { target: { value: "Azure" } });
  const azure = [...excluded.options].slice(0, 2);
  for (const o of azure) o.selected = true;
  await fireEvent.change(excluded);
  await fireEvent.click(screen.getByTestId("practice-include"));
  await fireEvent.change(screen.getByLabelText("Token Expiry"), { target: { value: "240" } });
  await fireEvent.input(screen.getByLabelText("Secret Expiry"), { target: { value: "31/03/2099" } });
  await fireEvent.click(screen.getByTestId("practice-save"));
  return azure.map((o) => o.value);
}

describe("practice portal: Cloudneeti API Access", () => {
  it("reads and writes the portal's dd/mm/yyyy", () => {
    expect(fromPortalDate("31/03/2027")).toBe("2027-03-31");
    expect(fromPortalDate(" ")).toBeNull();
    expect(fromPortalDate("31/02/2027")).toBeUndefined();
    expect(fromPortalDate("2027-03-31")).toBeUndefined();
    expect(toPortalDate("2027-03-31")).toBe("31/03/2027");
  });

  it("creates an application with grants, scope and expiry; the secret is shown once, then the id", async () => {
    render(PracticeCreateApp);
    await fireEvent.click(await screen.findByTestId("practice-create-app"));
    expect(screen.getByRole("heading", { name: "Create API Application" })).toBeInTheDocument();
    // The form's words, as the screenshots show them.
    for (const label of ["API Application Name", "Excluded Cloud Accounts", "Included Cloud Accounts", "Token Expiry", "Secret Expiry"]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByText("Select APIs to Connect")).toBeInTheDocument();
    expect(screen.getByText("Select APIs Scope")).toBeInTheDocument();
    expect(screen.getByText("Application secret expiry will be applicable till midnight UTC of selected date.")).toBeInTheDocument();
    const expiry = screen.getByLabelText("Token Expiry") as HTMLSelectElement;
    expect([...expiry.options].map((o) => o.text)).toEqual(["Select token expiry", "60 minutes", "4 hours", "24 hours"]);
    expect(screen.getByLabelText("Secret Expiry")).toHaveAttribute("placeholder", "dd/mm/yyyy");
    // The API list comes from the backend.
    await fireEvent.click(screen.getByTestId("practice-apis"));
    const license = await backend.practiceLicense();
    expect(screen.getAllByTestId("practice-api-option").map((e) => e.getAttribute("data-api"))).toEqual(license.apis);
    await fireEvent.click(screen.getByTestId("practice-apis"));

    // Save with nothing: the fields say what is missing.
    await fireEvent.click(screen.getByTestId("practice-save"));
    expect(screen.getByLabelText("API Application Name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Select at least one API to connect.")).toBeInTheDocument();
    expect(screen.getByText("Select token expiry.")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("practice-cancel"));

    const scope = await createApp("Component test app");
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Please copy the new application secret key value. You will not be able to retrieve it after you leave this pop-up.");
    expect(screen.getByTestId("practice-notice")).toHaveTextContent("API application added successfully");
    await waitFor(() => expect(screen.getByTestId("practice-copy-secret")).toHaveFocus());
    const secret = screen.getByTestId("practice-secret").textContent!.trim();
    await fireEvent.click(screen.getByTestId("practice-copy-secret"));
    await waitFor(() => expect(screen.getByTestId("practice-copy-status")).toHaveTextContent(/cleared from the clipboard in 30 s/));
    expect(await devhost().clipboard()).toBe(secret);
    await fireEvent.click(screen.getByTestId("practice-done"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByText(secret)).toBeNull();

    const appId = screen.getByTestId("practice-app-id").textContent!.trim();
    const row = screen.getAllByTestId("practice-app-row").find((r) => r.getAttribute("data-app-id") === appId)!;
    expect(row).toHaveTextContent("Component test app");
    expect(row).toHaveTextContent("Account.Audit");
    const app = (await backend.practiceApps()).find((a) => a.appId === appId)!;
    expect(app).toMatchObject({ apis: ["Account.Audit", "License.GetAPIAccess"], accountIds: scope, tokenExpiryMinutes: 240, secretExpiresOn: "2099-03-31" });
  });

  it("Configure App: regenerate asks first, Cancel keeps the secret, Continue shows the new one once", async () => {
    const { appId } = await backend.practiceCreateApp({ name: "Regen app", apis: ["Account.Audit"], accountIds: [], tokenExpiryMinutes: 60, secretExpiresOn: null });
    render(PracticeRegenerate, { props: { appId } });
    const row = await rowOf(appId);
    const configure = within(row).getByTestId("practice-configure-app");
    expect(configure).toHaveAttribute("aria-haspopup", "menu");
    await fireEvent.click(configure);
    const menu = within(row).getByRole("menu");
    expect(within(menu).getAllByRole("menuitem").map((m) => m.textContent?.replace(/^\W+/, "").trim())).toEqual([
      "Update API Application",
      "Delete API Application",
      "Regenerate Secret Key",
    ]);
    await fireEvent.click(within(menu).getByTestId("practice-regenerate"));
    const ask = screen.getByRole("dialog");
    expect(ask).toHaveTextContent("This will override the existing API App secret.");
    await waitFor(() => expect(screen.getByTestId("practice-confirm-cancel")).toHaveFocus());
    await fireEvent.keyDown(ask, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();

    await fireEvent.click(within(row).getByTestId("practice-configure-app"));
    await fireEvent.click(within(row).getByTestId("practice-regenerate"));
    await fireEvent.click(screen.getByTestId("practice-confirm"));
    const shown = await screen.findByTestId("practice-secret");
    expect(screen.getByRole("dialog")).toHaveTextContent("Application Secret :");
    expect(shown.textContent!.trim().length).toBeGreaterThan(20);
    await fireEvent.click(screen.getByTestId("practice-done"));
    expect(screen.queryByTestId("practice-secret")).toBeNull();
  });

  it("Configure App: update keeps the secret; delete removes the application", async () => {
    const { appId, secret } = await backend.practiceCreateApp({ name: "Old name", apis: ["Account.Audit"], accountIds: [], tokenExpiryMinutes: 60, secretExpiresOn: "2099-01-02" });
    render(PracticeRegenerate, { props: { appId } });
    const row = await rowOf(appId);
    await fireEvent.click(within(row).getByTestId("practice-configure-app"));
    await fireEvent.click(within(row).getByTestId("practice-update-app"));
    expect(screen.getByRole("heading", { name: "Update API Application" })).toBeInTheDocument();
    expect(screen.getByLabelText("Secret Expiry")).toHaveValue("02/01/2099");
    expect(screen.getByLabelText("Token Expiry")).toHaveValue("60");
    await fireEvent.input(screen.getByLabelText("API Application Name"), { target: { value: "New name" } });
    await fireEvent.click(screen.getByTestId("practice-save"));
    await waitFor(() => expect(screen.getByTestId("practice-notice")).toHaveTextContent("API application updated successfully"));
    expect((await backend.practiceApps()).find((a) => a.appId === appId)?.name).toBe("New name");
    expect(await backend.practiceCopy(secret)).toBeTruthy(); // the secret is unchanged

    const again = await rowOf(appId);
    await fireEvent.click(within(again).getByTestId("practice-configure-app"));
    await fireEvent.click(within(again).getByTestId("practice-delete-app"));
    expect(screen.getByRole("dialog")).toHaveTextContent('delete the API application "New name"');
    await fireEvent.click(screen.getByTestId("practice-confirm"));
    await waitFor(() => expect(screen.getByTestId("practice-notice")).toHaveTextContent("API application deleted successfully"));
    // The notice comes with the list that no longer shows the application.
    expect(screen.getAllByTestId("practice-app-row").some((r) => r.getAttribute("data-app-id") === appId)).toBe(false);
  });
});

describe("practice portal: the API portal", () => {
  it("PRODUCTS > Unlimited > Subscribe: Submitted until activated, then Profile > Show both keys", async () => {
    practice.key = null;
    practice.subscription = null;
    render(PracticeApiPortal);
    const nav = screen.getByRole("navigation", { name: "API portal" });
    expect(within(nav).getAllByRole("button").map((b) => b.textContent?.trim())).toEqual(["HOME", "APIS", "PRODUCTS", "APPLICATIONS", "ISSUES"]);
    await fireEvent.click(screen.getByTestId("practice-nav-products"));
    expect(screen.getByText("Subscribers will be able to run 5 calls/minute up to a maximum of 100 calls/week.")).toBeInTheDocument();
    expect(screen.getByText("Subscribers have completely unlimited access to the API. Administrator approval is required.")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("practice-product-unlimited"));
    expect(screen.getByText("Customer-Api")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("practice-subscribe"));
    await screen.findByTestId("practice-subscribed");

    await fireEvent.click(screen.getByTestId("practice-username"));
    await fireEvent.click(screen.getByTestId("practice-profile"));
    await waitFor(() => expect(screen.getByTestId("practice-key-state")).toHaveTextContent("Submitted"));
    expect(screen.queryByTestId("practice-show-key")).toBeNull();

    const control = screen.getByTestId("practice-activation");
    expect(control).toHaveTextContent("Practice control");
    await fireEvent.click(within(control).getByTestId("practice-activate"));
    await waitFor(() => expect(screen.getByTestId("practice-key-state")).toHaveTextContent("Active"));
    expect(screen.queryByTestId("practice-activation")).toBeNull();

    // The keys come with the subscription, fetched after the state: wait for them.
    await fireEvent.click(await screen.findByTestId("practice-show-key"));
    await fireEvent.click(screen.getByTestId("practice-show-secondary-key"));
    const primary = screen.getByTestId("practice-primary-key").textContent!.trim();
    const secondary = screen.getByTestId("practice-secondary-key").textContent!.trim();
    expect(primary).toMatch(/^[0-9a-f]{32}$/);
    expect(secondary).toMatch(/^[0-9a-f]{32}$/);
    expect(secondary).not.toBe(primary);
    await fireEvent.click(screen.getByTestId("practice-copy-key"));
    await waitFor(async () => expect(await devhost().clipboard()).toBe(primary));
  });
});
