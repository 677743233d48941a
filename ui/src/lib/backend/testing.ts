// For component tests (vitest) that need the backend: the real core, through a dev host this
// test file starts. In the test file:
//
//   vi.mock("../backend", () => import("../backend/testing"));
//   const devhost = useDevhost();   // starts it before the file's tests, stops it after
//
// Components then call `backend` (this module's, over HTTP) as they would Tauri's; the test
// reads what the app copied or opened through `devhost().clipboard()` / `.opened()`.
import { afterAll, beforeAll } from "vitest";
import { startDevhost, type Devhost } from "./devhost.mjs";
import { makeBackend } from "./generated/commands";
import { httpInvoke } from "./http";

export type { Backend, AppInfo } from "./types";

let current: Devhost | null = null;

/** The HTTP client of the running dev host (the backend module, mocked). */
export const backend = makeBackend((command, args) => {
  if (!current) throw new Error("no dev host is running: call useDevhost() in the test file");
  return httpInvoke(current.url)(command, args);
});

/** Starts a dev host for the calling test file; returns a getter of it. */
export function useDevhost(): () => Devhost {
  beforeAll(async () => {
    current = await startDevhost();
  }, 30_000);
  afterAll(() => {
    current?.stop();
    current = null;
  });
  return () => {
    if (!current) throw new Error("the dev host is not started yet");
    return current;
  };
}
