// The one door between the UI and the Rust backend. Components import `backend` from here and
// never call Tauri's IPC themselves. Inside Tauri it is the IPC client; in a plain browser the
// page is served by the dev host (crates/devhost), which answers the same commands over HTTP
// at the page's own origin. Both are the client generated from the one command declaration.
import { makeBackend } from "./generated/commands";
import { httpInvoke } from "./http";
import { tauriBackend } from "./tauri";
import type { Backend } from "./types";

export type { Backend, AppInfo } from "./types";

const insideTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

export const backend: Backend = insideTauri
  ? tauriBackend
  : makeBackend(httpInvoke(typeof location !== "undefined" ? location.origin : "http://127.0.0.1"));
