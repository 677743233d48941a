// Inside the desktop app: the generated client over Tauri's IPC. Argument names are camelCase;
// Tauri maps them to the Rust commands' snake_case ones.
import { invoke } from "@tauri-apps/api/core";
import { makeBackend } from "./generated/commands";

export const tauriBackend = makeBackend((command, args) => invoke(command, args));
