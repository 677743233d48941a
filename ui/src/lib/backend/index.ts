// The one door between the UI and the Rust backend. Components import `backend` from here and
// never call Tauri's IPC themselves, so the same UI runs in a plain browser against the fake.
import type { Backend } from "./types";
import { tauriBackend } from "./tauri";
import { fakeBackend } from "./fake";

export type { Backend, AppInfo } from "./types";

const insideTauri = typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

export const backend: Backend = insideTauri ? tauriBackend : fakeBackend;
