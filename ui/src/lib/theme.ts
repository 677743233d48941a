// The theme on screen: `data-theme` on <html> is "light" or "dark" (app.css has one palette
// for each). The choice "system" follows the system's setting, also when it changes while
// the app runs. main.ts applies the kept choice before the app mounts, so the first screen
// is drawn in it.
import type { Theme } from "./stores/prefs";

const systemDark = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
let chosen: Theme = "system";

export function applyTheme(theme: Theme): void {
  chosen = theme;
  const dark = theme === "dark" || (theme === "system" && !!systemDark?.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

systemDark?.addEventListener("change", () => {
  if (chosen === "system") applyTheme("system");
});
