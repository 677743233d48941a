// App-wide state: which screen shows, the backend's info, the profiles, the settings, and the
// status line. Profiles come from the backend each time they may have changed.
import { backend } from "../backend";
import type { AppInfo, IpcError, ProfileView, SettingsView } from "../backend/types";
import { toIpcError } from "../errors";
import { applyTheme } from "../theme";
import { loadLastProfile, loadProgress, loadRole, loadTheme, saveLastProfile, saveRole, saveTheme, type Role, type StepId, type Theme, type WalkthroughMode } from "./prefs";

export type Screen = "welcome" | "walkthrough" | "analyst" | "profiles" | "tokens" | "accounts" | "settings";

class AppState {
  screen = $state<Screen>("welcome");
  info = $state<AppInfo | null>(null);
  profiles = $state<ProfileView[]>([]);
  settings = $state<SettingsView>({ clipboardClearSeconds: 30 });
  /** The profile the profile, token and accounts screens show. */
  selected = $state<string | null>(loadLastProfile());
  status = $state("");
  /** "ok" for news of something done; "neutral" for something not done by choice (kept, dismissed). */
  statusTone = $state<"ok" | "neutral">("ok");
  role = $state<Role>(loadRole());
  /** Settings' theme choice, kept in localStorage (main.ts applies it before the first screen). */
  theme = $state<Theme>(loadTheme());
  startError = $state<IpcError | null>(null);
  ready = $state(false);
  /** Set when the welcome screen or the nav starts the walkthrough in a given mode. */
  walkthroughMode = $state<WalkthroughMode>(loadProgress()?.mode ?? "real");

  async init() {
    try {
      const [info, profiles, settings] = await Promise.all([
        backend.appInfo(),
        backend.listProfiles(),
        backend.getSettings(),
      ]);
      this.info = info;
      this.profiles = profiles;
      this.settings = settings;
      if (this.selected && !profiles.some((p) => p.name === this.selected)) this.select(null);
      if (!this.selected && profiles.length) this.select(profiles[0].name);
      this.screen = profiles.length ? "tokens" : "welcome";
    } catch (e) {
      this.startError = toIpcError(e);
    } finally {
      this.ready = true;
    }
  }

  async refreshProfiles() {
    this.profiles = await backend.listProfiles();
    if (this.selected && !this.profiles.some((p) => p.name === this.selected)) {
      this.select(this.profiles[0]?.name ?? null);
    }
  }

  profile(name: string | null): ProfileView | undefined {
    return name ? this.profiles.find((p) => p.name === name) : undefined;
  }

  select(name: string | null) {
    this.selected = name;
    saveLastProfile(name);
  }

  go(screen: Screen) {
    this.screen = screen;
    this.clearStatus();
  }

  /** News belongs to the screen (or walkthrough step) it was given on: a new one starts without it. */
  clearStatus() {
    this.status = "";
  }

  /** Where the next walkthrough opens, e.g. the appendix for a given profile. */
  walkthroughTarget = $state<{ step: StepId; profile: string } | null>(null);

  startWalkthrough(mode: WalkthroughMode, target: { step: StepId; profile: string } | null = null) {
    this.setRole("admin");
    this.walkthroughMode = mode;
    this.walkthroughTarget = target;
    this.go("walkthrough");
  }

  /** The analyst's path: a hand-off or a short form, then the credentials, checked. */
  startAnalyst() {
    this.setRole("analyst");
    this.go("analyst");
  }

  private setRole(role: Role) {
    this.role = role;
    saveRole(role);
  }

  setTheme(theme: Theme) {
    this.theme = theme;
    saveTheme(theme);
    applyTheme(theme);
  }

  say(message: string) {
    this.status = message;
    this.statusTone = "ok";
  }

  /** News that is neither success nor failure: the user kept something, closed a dialog. */
  note(message: string) {
    this.status = message;
    this.statusTone = "neutral";
  }
}

export const app = new AppState();
