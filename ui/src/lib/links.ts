// Where the app's links point. The addresses are the core's (EnvironmentView.portalUrl and
// apiPortalUrl, AppInfo.catalog), never written here: the portal links follow the profile's
// environment (PROD, its second region, TRIAL); a custom address has no known portal, and the
// Sandbox's portal is the practice portal beside the steps. Only those pages open
// (backend.openLink refuses anything else). And which environments are PROD, for the warnings.
import type { EnvironmentKind, EnvironmentView, ProfileView } from "./backend/types";
import { app } from "./stores/app.svelte";

/** The environment a walkthrough step is about: the profile's, or before it exists the one picked. */
export function environmentOf(profile: ProfileView | undefined, picked: EnvironmentKind): EnvironmentView | null {
  if (profile) return profile.environment;
  return app.info?.catalog.environments.find((e) => e.kind === picked) ?? null;
}

/** PROD in either region: real customer data, shown in a warning colour. */
export const isProduction = (kind: EnvironmentKind) => kind === "prod" || kind === "prod1";

/** The vendor's documentation, as the core names it. */
export function docsUrl(): string | null {
  return app.info?.catalog.docsUrl ?? null;
}
