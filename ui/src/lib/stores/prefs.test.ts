import { beforeEach, describe, expect, it } from "vitest";
import { clearProgress, loadLastProfile, loadProgress, saveLastProfile, saveProgress } from "./prefs";

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
});
