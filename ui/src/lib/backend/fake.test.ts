import { describe, expect, it } from "vitest";
import { fakeBackend } from "./fake";

describe("fake backend", () => {
  it("answers appInfo like the Rust command does", async () => {
    const info = await fakeBackend.appInfo();
    expect(info.name).toBe("Cloudneeti Access");
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
