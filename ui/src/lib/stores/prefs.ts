// UI preferences kept in localStorage. Only these keys are ever written, and none holds a
// secret, a token or an API key: walkthrough progress (mode, step, profile name, which steps
// are done), the last selected profile, the role chosen on Welcome and the theme chosen in
// Settings.

export type WalkthroughMode = "real" | "sandbox";
export type StepId = 1 | 2 | 3 | 4; // 4 = appendix

export interface WalkthroughProgress {
  mode: WalkthroughMode;
  step: StepId;
  /** Name of the profile the walkthrough created (a name, not a secret). */
  profile: string | null;
  done: StepId[];
}

const PROGRESS_KEY = "cloudneeti-access.walkthrough";
const LAST_PROFILE_KEY = "cloudneeti-access.last-profile";
const THEME_KEY = "cloudneeti-access.theme";
const ROLE_KEY = "cloudneeti-access.role";

/**
 * Who is using the app, as chosen on the Welcome screen: the License Admin sets access up in
 * the portal; an analyst was given credentials and is told what to ask the License Admin
 * (IpcError.askAdmin, the core's words) where the admin is told where to click. Kept across
 * restarts: an analyst who reopens the app is still told whom to ask.
 */
export type Role = "admin" | "analyst";

/** Settings' theme choice: the system's (the default), or light or dark whatever the system says. */
export type Theme = "system" | "light" | "dark";

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadProgress(): WalkthroughProgress | null {
  const raw = storage()?.getItem(PROGRESS_KEY);
  if (!raw) return null;
  try {
    const o = JSON.parse(raw) as Partial<WalkthroughProgress>;
    const mode = o.mode === "sandbox" ? "sandbox" : "real";
    const step = ([1, 2, 3, 4] as const).find((s) => s === o.step) ?? 1;
    const done = Array.isArray(o.done) ? o.done.filter((s): s is StepId => [1, 2, 3, 4].includes(s)) : [];
    const profile = typeof o.profile === "string" ? o.profile : null;
    return { mode, step, profile, done };
  } catch {
    return null;
  }
}

export function saveProgress(p: WalkthroughProgress): void {
  // Only these four fields, whatever else the caller's object carries.
  const { mode, step, profile, done } = p;
  storage()?.setItem(PROGRESS_KEY, JSON.stringify({ mode, step, profile, done }));
}

export function clearProgress(): void {
  storage()?.removeItem(PROGRESS_KEY);
}

export function loadLastProfile(): string | null {
  return storage()?.getItem(LAST_PROFILE_KEY) ?? null;
}

export function saveLastProfile(name: string | null): void {
  if (name) storage()?.setItem(LAST_PROFILE_KEY, name);
  else storage()?.removeItem(LAST_PROFILE_KEY);
}

export function loadTheme(): Theme {
  const t = storage()?.getItem(THEME_KEY);
  return t === "light" || t === "dark" ? t : "system";
}

export function saveTheme(theme: Theme): void {
  if (theme === "system") storage()?.removeItem(THEME_KEY);
  else storage()?.setItem(THEME_KEY, theme);
}

export function loadRole(): Role {
  return storage()?.getItem(ROLE_KEY) === "analyst" ? "analyst" : "admin";
}

export function saveRole(role: Role): void {
  storage()?.setItem(ROLE_KEY, role);
}
