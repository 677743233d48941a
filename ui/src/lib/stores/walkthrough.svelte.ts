// The walkthrough's state: progress (kept in localStorage: step, mode, profile name, done
// steps; never a secret) and the step 1 profile form (no secrets either: the secret and key
// inputs live in their components only until stored).
import { backend } from "../backend";
import type { EnvironmentKind, IpcError, ProfileInput, ProfileView } from "../backend/types";
import { FormChecks } from "../checks.svelte";
import { toIpcError } from "../errors";
import { app } from "./app.svelte";
import { practice } from "./practice.svelte";
import { loadProgress, saveProgress, type StepId, type WalkthroughMode, type WalkthroughProgress } from "./prefs";

export const STEPS: { id: StepId; label: string; short: string }[] = [
  { id: 1, label: "Create the API application", short: "1" },
  { id: 2, label: "Get the API key", short: "2" },
  { id: 3, label: "Acquire a token", short: "3" },
  { id: 4, label: "Appendix: regenerate a secret", short: "A" },
];

class Walkthrough {
  progress = $state<WalkthroughProgress>({ mode: "real", step: 1, profile: null, done: [] });
  name = $state("");
  envChoice = $state<EnvironmentKind>("prod");
  customUrl = $state("");
  licenseId = $state("");
  keyName = $state("default");
  appId = $state("");
  tokenExpiry = $state("");
  secretExpiresOn = $state("");
  error = $state<IpcError | null>(null);
  /** The step 1 fields, checked by the core; Step1 shows `checks.errors` under them. */
  checks = new FormChecks({
    "profile-name": () => (this.profile ? null : { field: "profileName", value: this.name }),
    "custom-url": () => (this.envChoice === "custom" ? { field: "environment", value: this.customUrl } : null),
    "license-id": () => ({ field: "licenseId", value: this.licenseId }),
    "api-key-name": () => ({ field: "keyName", value: this.keyName }),
    "app-id": () => (this.appId.trim() ? { field: "appId", value: this.appId } : null),
    "secret-expiry": () => ({ field: "secretExpiresOn", value: this.secretExpiresOn }),
  });

  get profile(): ProfileView | undefined {
    return app.profile(this.progress.profile);
  }

  /** Starts in `mode`, resuming saved progress of the same mode. */
  async begin(mode: WalkthroughMode) {
    const saved = loadProgress();
    this.progress = saved && saved.mode === mode ? saved : { mode, step: 1, profile: null, done: [] };
    const target = app.walkthroughTarget;
    app.walkthroughTarget = null;
    if (target) {
      const same = this.progress.profile === target.profile;
      this.progress = { mode, step: target.step, profile: target.profile, done: same ? this.progress.done : [] };
    }
    this.checks.clear();
    this.error = null;
    app.clearStatus();
    await app.refreshProfiles().catch(() => {});
    const p = this.profile;
    if (this.progress.profile && !p) this.progress.profile = null;
    if (p) this.fillFrom(p);
    else await this.fillDefaults();
    this.refreshDone();
  }

  /** Makes `name`, a saved profile, the walkthrough's (NeedProfile): its steps then work on it. */
  useProfile(name: string) {
    const p = app.profile(name);
    if (!p) return;
    // Steps 3 and the appendix are done by action, on the profile they were done for.
    if (this.progress.profile !== p.name) this.progress.done = [];
    this.progress.profile = p.name;
    this.fillFrom(p);
    this.refreshDone();
  }

  fillFrom(p: ProfileView) {
    this.name = p.name;
    this.envChoice = p.environment.kind;
    this.customUrl = p.environment.kind === "custom" ? p.environment.input : "";
    this.licenseId = p.licenseId;
    this.keyName = p.apiKey;
    this.appId = p.appId ?? "";
    this.tokenExpiry = p.tokenExpiryMinutes === null ? "" : String(p.tokenExpiryMinutes);
    this.secretExpiresOn = p.secretExpiresOn ?? "";
  }

  async fillDefaults() {
    const sandbox = this.progress.mode === "sandbox";
    const taken = (n: string) => app.profiles.some((p) => p.name.toLowerCase() === n.toLowerCase());
    let name = sandbox ? "sandbox" : "";
    for (let i = 2; name && taken(name); i++) name = `sandbox-${i}`;
    this.name = name;
    this.envChoice = sandbox ? "sandbox" : "prod";
    this.customUrl = "";
    // In the Sandbox, a key name of its own, so a practice key never replaces a real "default".
    this.keyName = sandbox ? "sandbox" : "default";
    this.appId = "";
    this.tokenExpiry = "";
    this.secretExpiresOn = "";
    this.licenseId = sandbox ? ((await practice.loadLicense())?.licenseId ?? "") : "";
  }

  persist() {
    saveProgress(this.progress);
  }

  go(step: StepId) {
    this.progress.step = step;
    this.error = null;
    app.clearStatus();
    this.persist();
  }

  markDone(step: StepId, done = true) {
    const has = this.progress.done.includes(step);
    if (done && !has) this.progress.done = [...this.progress.done, step].sort();
    if (!done && has) this.progress.done = this.progress.done.filter((s) => s !== step);
    this.persist();
  }

  /** Steps 1 and 2 are done when the profile has what they give; step 3 and the appendix by action. */
  refreshDone() {
    const p = this.profile;
    this.markDone(1, !!p && !!p.secretStoredAt && p.appId !== null);
    this.markDone(2, !!p && !!p.apiKeyStoredAt);
  }

  /** Checks the step 1 fields with the core; the profile input, or null with the problems shown. */
  async input(): Promise<ProfileInput | null> {
    const checked = await this.checks.all();
    if (!checked.ok) {
      this.error = checked.error;
      return null;
    }
    this.error = null;
    return {
      name: this.profile ? this.profile.name : checked.value("profile-name")!,
      environment: this.envChoice === "custom" ? checked.value("custom-url")! : this.envChoice,
      licenseId: checked.value("license-id")!,
      appId: checked.value("app-id") ?? this.profile?.appId ?? "",
      apiKey: checked.value("api-key-name")!,
      // A drop-down of the core's choices (and the stored value): the core checks it.
      tokenExpiryMinutes: this.tokenExpiry === "" ? null : Number(this.tokenExpiry),
      secretExpiresOn: checked.value("secret-expiry") || null,
    };
  }

  /** Creates the profile (or saves its changes); true when it exists afterwards. */
  async saveProfile(): Promise<boolean> {
    const input = await this.input();
    if (!input) return false;
    try {
      const existing = this.profile;
      const result = await backend.saveProfile(input, existing ? existing.name : null);
      this.progress.profile = existing ? existing.name : input.name;
      await app.refreshProfiles();
      app.select(this.progress.profile);
      this.refreshDone();
      app.say(result.note ?? (existing ? `Profile “${input.name}” saved.` : `Profile “${input.name}” created.`));
      return true;
    } catch (e) {
      this.error = toIpcError(e);
      return false;
    }
  }

  async ensureProfile(): Promise<boolean> {
    return this.profile ? true : this.saveProfile();
  }
}

export const walkthrough = new Walkthrough();

/** Before leaving step 1: a changed application id (or expiry) is saved; false if refused. */
export async function leaveStep1(): Promise<boolean> {
  const w = walkthrough;
  const p = w.profile;
  if (!p) return true;
  const changed =
    (w.appId.trim() !== "" && w.appId.trim().toLowerCase() !== p.appId) ||
    w.tokenExpiry.trim() !== (p.tokenExpiryMinutes === null ? "" : String(p.tokenExpiryMinutes)) ||
    w.secretExpiresOn.trim() !== (p.secretExpiresOn ?? "");
  return changed ? w.saveProfile() : true;
}
