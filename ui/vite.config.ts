import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// The same policy as tauri.conf.json (less Tauri's IPC sources), sent by `vite preview`; the
// dev host (crates/devhost), which serves the page to the browser tests, sends the same one:
// no inline styles or scripts, nothing remote.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The Tauri CLI expects the dev server on a fixed port (tauri.conf.json devUrl).
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: "127.0.0.1" },
  preview: { host: "127.0.0.1", headers: { "Content-Security-Policy": CSP } },
  build: { target: "es2022", sourcemap: false },
  // Component tests that need the backend start a dev host themselves (src/lib/backend/testing.ts).
  test: {
    include: ["src/**/*.test.ts"],
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
  },
});
