import { beforeEach, describe, expect, it } from "vitest";
import { applyTheme } from "../theme";
import { clearProgress, loadLastProfile, loadProgress, loadRole, loadTheme, saveLastProfile, saveProgress, saveRole, saveTheme } from "./prefs";

describe("UI preferences in localStorage", () => {
  beforeEach(() => localStorage.clear());

  it("keeps walkthrough progress: only mode, step, profile name and done steps", () => {
    const sneaky = { mode: "sandbox", step: 2, profile: "p", done: [1], secret: "s3cret", apiKey: "k" } as never;
    saveProgress(sneaky);
    expect(Object.keys(localStorage)).toEqual(["cloudneeti-access.walkthrough"]);
    expect(JSON.parse(localStorage.getItem("cloudneeti-access.walkthrough")!)).toEqual({ mode: "sandbox", step: 2, profile: "p", done: [1] });
    expect(loadProgress()).toEqual({ mode: "sandbox", step: 2, profile: "p", done: [1] });
    clearProgress();
    expect(loadProgress()).toBeNull();
  });

  it("survives damaged or foreign values", () => {
    localStorage.setItem("cloudneeti-access.walkthrough", "{not json");
    expect(loadProgress()).toBeNull();
    localStorage.setItem("cloudneeti-access.walkthrough", JSON.stringify({ mode: "x", step: 9, done: [7, 2] }));
    expect(loadProgress()).toEqual({ mode: "real", step: 1, profile: null, done: [2] });
  });

  it("remembers the last selected profile by name", () => {
    saveLastProfile("contoso");
    expect(loadLastProfile()).toBe("contoso");
    saveLastProfile(null);
    expect(loadLastProfile()).toBeNull();
  });

  it("keeps the theme chosen in Settings; the system's is the default and writes nothing", () => {
    expect(loadTheme()).toBe("system");
    saveTheme("dark");
    expect(loadTheme()).toBe("dark");
    expect(localStorage.getItem("cloudneeti-access.theme")).toBe("dark");
    saveTheme("system");
    expect(Object.keys(localStorage)).toEqual([]);
    localStorage.setItem("cloudneeti-access.theme", "purple");
    expect(loadTheme()).toBe("system");
  });

  it("keeps the role chosen on Welcome; the admin's is the default, anything else read as it", () => {
    expect(loadRole()).toBe("admin");
    saveRole("analyst");
    expect(loadRole()).toBe("analyst");
    saveRole("admin");
    expect(loadRole()).toBe("admin");
    localStorage.setItem("cloudneeti-access.role", "root");
    expect(loadRole()).toBe("admin");
  });

  it("puts the chosen theme on the page; the system's when the choice is the system", () => {
    applyTheme("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    applyTheme("light");
    expect(document.documentElement.dataset.theme).toBe("light");
    applyTheme("system"); // jsdom's system is light (no prefers-color-scheme: dark)
    expect(document.documentElement.dataset.theme).toBe("light");
  });
});
