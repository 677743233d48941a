// The backend's commands, as the UI sees them. Types come from Rust (./generated, ts-rs);
// every method rejects with an IpcError {code, message, hint}.
import type { AppInfo } from "./generated/AppInfo";
import type { ApiKeyView } from "./generated/ApiKeyView";
import type { CopyFormat } from "./generated/CopyFormat";
import type { CopyResult } from "./generated/CopyResult";
import type { DiagnosisView } from "./generated/DiagnosisView";
import type { LicenseAccountsView } from "./generated/LicenseAccountsView";
import type { PracticeApp } from "./generated/PracticeApp";
import type { PracticeAppInput } from "./generated/PracticeAppInput";
import type { PracticeCredentials } from "./generated/PracticeCredentials";
import type { PracticeKey } from "./generated/PracticeKey";
import type { PracticeLicense } from "./generated/PracticeLicense";
import type { PracticeSubscription } from "./generated/PracticeSubscription";
import type { ProfileInput } from "./generated/ProfileInput";
import type { ProfileView } from "./generated/ProfileView";
import type { RevealedToken } from "./generated/RevealedToken";
import type { SettingsView } from "./generated/SettingsView";
import type { TokenView } from "./generated/TokenView";

export type * from "./generated/AppInfo";
export type * from "./generated/AccountView";
export type * from "./generated/Catalog";
export type * from "./generated/ApiKeyView";
export type * from "./generated/CheckStatus";
export type * from "./generated/CheckView";
export type * from "./generated/CopyFormat";
export type * from "./generated/CopyResult";
export type * from "./generated/DiagnosisView";
export type * from "./generated/EnvironmentKind";
export type * from "./generated/EnvironmentView";
export type * from "./generated/IpcError";
export type * from "./generated/LicenseAccountsView";
export type * from "./generated/PracticeAccount";
export type * from "./generated/PracticeApp";
export type * from "./generated/PracticeAppInput";
export type * from "./generated/PracticeCredentials";
export type * from "./generated/PracticeKey";
export type * from "./generated/PracticeLicense";
export type * from "./generated/PracticeSubscription";
export type * from "./generated/ProfileInput";
export type * from "./generated/ProfileView";
export type * from "./generated/RevealedToken";
export type * from "./generated/SettingsView";
export type * from "./generated/TokenView";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  getSettings(): Promise<SettingsView>;
  saveSettings(settings: SettingsView): Promise<void>;
  /** Only the known portals and the documentation (AppInfo.catalog) open; others are refused. */
  openLink(url: string): Promise<void>;
  cancelOperation(opId: string): Promise<void>;

  listProfiles(): Promise<ProfileView[]>;
  /** Creates a profile, or edits the one named `editing` (whose name cannot change). */
  saveProfile(input: ProfileInput, editing: string | null): Promise<void>;
  deleteProfile(name: string): Promise<void>;

  listApiKeys(): Promise<ApiKeyView[]>;
  /** Secrets go in and never come back. */
  setApiKey(name: string, value: string, allowAnyFormat: boolean): Promise<void>;
  removeApiKey(name: string): Promise<void>;
  setAppSecret(profile: string, value: string): Promise<void>;
  removeAppSecret(profile: string): Promise<void>;
  /** The regenerated secret is checked against the service before it replaces the old one. */
  replaceAppSecretChecked(profile: string, value: string, opId?: string): Promise<void>;

  licenseAccounts(profile: string, opId?: string): Promise<LicenseAccountsView>;
  /** From the cache while it is fresh; with `fresh`, always a new token from the service. */
  getToken(profile: string, accountId: string | null, fresh: boolean, opId?: string): Promise<TokenView>;
  revealToken(handle: string): Promise<RevealedToken>;
  copyToken(handle: string, format: CopyFormat): Promise<CopyResult>;
  diagnose(profile: string, opId?: string): Promise<DiagnosisView>;

  practiceLicense(): Promise<PracticeLicense>;
  /** The practice license's API applications (no secret), sorted by id. */
  practiceApps(): Promise<PracticeApp[]>;
  practiceCreateApp(input: PracticeAppInput): Promise<PracticeCredentials>;
  practiceUpdateApp(appId: string, input: PracticeAppInput): Promise<void>;
  practiceDeleteApp(appId: string): Promise<void>;
  practiceRegenerateSecret(appId: string): Promise<PracticeCredentials>;
  /** Returns the subscription's primary key; see practiceSubscription for both. */
  practiceSubscribe(): Promise<PracticeKey>;
  practiceActivate(key: string): Promise<PracticeKey>;
  /** The subscription of either of its keys: both keys and its state. */
  practiceSubscription(key: string): Promise<PracticeSubscription>;
  /** Copies a current Sandbox secret or key through the backend's clipboard; nothing else. */
  practiceCopy(text: string): Promise<CopyResult>;
}
