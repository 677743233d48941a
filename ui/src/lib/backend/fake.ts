import type { Backend } from "./types";

// Stands in for the Rust backend when the UI runs in a plain browser (browser tests, design).
export const fakeBackend: Backend = {
  appInfo: async () => ({ name: "Cloudneeti Access", version: "0.0.0-fake" }),
};
