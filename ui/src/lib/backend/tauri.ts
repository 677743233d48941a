import { invoke } from "@tauri-apps/api/core";
import type { Backend } from "./types";

// Argument names are camelCase here; Tauri maps them to the Rust commands' snake_case ones.
export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
  getSettings: () => invoke("get_settings"),
  saveSettings: (settings) => invoke("save_settings", { settings }),
  openLink: (url) => invoke("open_link", { url }),
  cancelOperation: (opId) => invoke("cancel_operation", { opId }),

  listProfiles: () => invoke("list_profiles"),
  saveProfile: (input, editing) => invoke("save_profile", { input, editing }),
  deleteProfile: (name) => invoke("delete_profile", { name }),

  listApiKeys: () => invoke("list_api_keys"),
  setApiKey: (name, value, allowAnyFormat) => invoke("set_api_key", { name, value, allowAnyFormat }),
  removeApiKey: (name) => invoke("remove_api_key", { name }),
  setAppSecret: (profile, value) => invoke("set_app_secret", { profile, value }),
  removeAppSecret: (profile) => invoke("remove_app_secret", { profile }),
  replaceAppSecretChecked: (profile, value, opId) =>
    invoke("replace_app_secret_checked", { profile, value, opId: opId ?? null }),

  licenseAccounts: (profile, opId) => invoke("license_accounts", { profile, opId: opId ?? null }),
  getToken: (profile, accountId, fresh, opId) => invoke("get_token", { profile, accountId, fresh, opId: opId ?? null }),
  revealToken: (handle) => invoke("reveal_token", { handle }),
  copyToken: (handle, format) => invoke("copy_token", { handle, format }),
  diagnose: (profile, opId) => invoke("diagnose", { profile, opId: opId ?? null }),

  practiceLicense: () => invoke("practice_license"),
  practiceApps: () => invoke("practice_apps"),
  practiceCreateApp: (input) => invoke("practice_create_app", { input }),
  practiceUpdateApp: (appId, input) => invoke("practice_update_app", { appId, input }),
  practiceDeleteApp: (appId) => invoke("practice_delete_app", { appId }),
  practiceRegenerateSecret: (appId) => invoke("practice_regenerate_secret", { appId }),
  practiceSubscribe: () => invoke("practice_subscribe"),
  practiceActivate: (key) => invoke("practice_activate", { key }),
  practiceSubscription: (key) => invoke("practice_subscription", { key }),
  practiceCopy: (text) => invoke("practice_copy", { text }),
};
