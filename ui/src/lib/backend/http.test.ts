// The dev host's transport against a real dev host: results, a command's IpcError, and what
// becomes of failures that are not the command's.
import { describe, expect, it } from "vitest";
import { makeBackend } from "./generated/commands";
import { httpInvoke } from "./http";
import { useDevhost } from "./testing";

const devhost = useDevhost();

const rejection = (p: Promise<unknown>) => p.then(
  () => {
    throw new Error("expected a rejection");
  },
  (e: unknown) => e,
);

describe("httpInvoke", () => {
  it("answers with the command's result", async () => {
    const b = makeBackend(httpInvoke(devhost().url));
    const info = await b.appInfo();
    expect(info.name).toBeTruthy();
    expect(info.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await b.listProfiles()).toEqual([]);
    expect(await b.saveSettings({ clipboardClearSeconds: 45 })).toBeNull();
  });

  it("rejects with the command's IpcError", async () => {
    const b = makeBackend(httpInvoke(`${devhost().url}/`));
    expect(await rejection(b.saveSettings({ clipboardClearSeconds: 3 }))).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/3 seconds is too short; the shortest is 5 seconds/),
      hint: expect.any(String),
    });
    expect(await rejection(httpInvoke(devhost().url)("no_such_command", {}))).toMatchObject({ code: "invalid_input" });
  });

  it("says what happened when the answer is not an IpcError, or there is none", async () => {
    const wrongPath = await rejection(httpInvoke(`${devhost().url}/elsewhere`)("app_info", {}));
    expect(wrongPath).toMatchObject({ code: "devhost", message: expect.stringMatching(/answered app_info with HTTP 405/), hint: expect.any(String) });
    const nobody = await rejection(httpInvoke("http://127.0.0.1:9")("app_info", {}));
    expect(nobody).toMatchObject({ code: "devhost", message: expect.stringMatching(/could not be reached for app_info/) });
  });
});
