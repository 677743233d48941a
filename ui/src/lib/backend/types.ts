// The backend's types as the UI sees them, all generated from Rust (./generated: ts-rs for the
// data, crates/commands/src/surface.rs for the command surface); every command rejects with an
// IpcError {code, message, hint}.
export type { Backend, Invoke } from "./generated/commands";
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
export type * from "./generated/Field";
export type * from "./generated/FieldCheck";
export type * from "./generated/IpcError";
export type * from "./generated/LicenseAccountsView";
export type * from "./generated/PracticeAccount";
export type * from "./generated/PracticeApp";
export type * from "./generated/PracticeAppInput";
export type * from "./generated/PracticeCredentials";
export type * from "./generated/PracticeKey";
export type * from "./generated/PracticeLicense";
export type * from "./generated/PracticeSubscription";
export type * from "./generated/Problem";
export type * from "./generated/ProfileInput";
export type * from "./generated/ProfileView";
export type * from "./generated/RevealedToken";
export type * from "./generated/SettingsView";
export type * from "./generated/TokenView";
