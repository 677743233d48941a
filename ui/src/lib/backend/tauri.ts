import { invoke } from "@tauri-apps/api/core";
import type { Backend } from "./types";

export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
};
