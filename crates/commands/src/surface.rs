// The command surface, declared once. Every command the web view may call is one line here:
// its name, its arguments and its result. From this list come
//   - the Tauri handler list and the adapters (src-tauri/src/lib.rs),
//   - the build script's command list for the capability permissions (src-tauri/build.rs),
//   - the dev host's dispatcher (crates/commands/src/dispatch.rs),
//   - the TypeScript client (ui/src/lib/backend/generated/commands.ts) and the TypeScript of
//     every type it takes or returns, found from here (crates/commands/src/typescript.rs).
// The function of each command is `crate::commands::<name>`, with these arguments after the
// app state. A new command: a line here, its function, and `allow-<name>` in the capability
// file (a test fails until it is there), then `UPDATE_IPC_TYPES=1 cargo test -p
// cloudneeti-commands typescript` to write the TypeScript.
//
// This file is `include!`d by the build script too, so it holds nothing but the macro.

/// Calls the macro named `$then` with every command of the surface, as
/// `/// docs  name(arg: Type, ...) -> Result;` lines. Types are named as `crate::` of
/// cloudneeti-commands sees them; callers outside it bring `ipc::*` into scope (it
/// re-exports the core types used here).
#[macro_export]
macro_rules! command_surface {
    ($then:ident) => {
        $then! {
            /// Name, version, keychain, Sandbox address and what the pickers offer.
            app_info() -> AppInfo;
            get_settings() -> Settings;
            save_settings(settings: Settings) -> ();
            /// Only the known portals and the documentation (AppInfo.catalog) open; others are refused.
            open_link(url: String) -> ();
            cancel_operation(op_id: String) -> ();
            /// One field checked by the core's rules without saving it; a secret is never echoed.
            check_field(field: Field, value: String) -> FieldCheck;

            list_profiles() -> Vec<ProfileView>;
            /// Creates a profile, or edits the one named `editing` (whose name cannot change).
            save_profile(input: ProfileForm, editing: Option<String>) -> SavedProfile;
            /// Asks in a native dialog first, naming what is lost; `removed` is false when kept.
            delete_profile(name: String) -> Removal;
            /// A License Admin's hand-off (no secret): pasted `text`, or with none the file the
            /// user picks in the native open dialog; `name` renames it. Absent name: dismissed.
            import_profile(text: Option<String>, name: Option<String>) -> ImportedProfile;
            /// The profile as a hand-off text block, for an analyst: settings only, never a secret.
            export_profile(name: String) -> String;
            /// The same hand-off on the clipboard (the backend's; the web view has none).
            copy_profile_export(name: String) -> CopyResult;
            /// The same hand-off written where the user chooses in the native save dialog.
            save_profile_export(name: String) -> SavedFile;

            list_api_keys() -> Vec<ApiKeyView>;
            /// Secrets go in and never come back.
            set_api_key(name: String, value: String, allow_any_format: bool) -> ();
            /// Stored once the service accepts it; refused, only with `keep_if_refused`.
            set_api_key_checked(name: String, value: String, allow_any_format: bool, keep_if_refused: bool, op_id: Option<String>) -> CheckedView;
            /// Asks in a native dialog first, naming what is lost; `removed` is false when kept.
            remove_api_key(name: String) -> Removal;
            set_app_secret(profile: String, value: String) -> ();
            /// Stored once the service gives a token with it; refused, only with `keep_if_refused`.
            set_app_secret_checked(profile: String, value: String, keep_if_refused: bool, op_id: Option<String>) -> CheckedView;
            /// Asks in a native dialog first, naming what is lost; `removed` is false when kept.
            remove_app_secret(profile: String) -> Removal;
            /// The regenerated secret is checked against the service before it replaces the old one.
            replace_app_secret_checked(profile: String, value: String, op_id: Option<String>) -> ();

            license_accounts(profile: String, op_id: Option<String>) -> LicenseAccounts;
            /// The Accounts view: an account's prerequisites, its benchmarks, a benchmark's
            /// summary (of the last successful scan, or of `job_id`), and rescans.
            account_health(profile: String, account_id: String, op_id: Option<String>) -> HealthView;
            account_benchmarks(profile: String, account_id: String, op_id: Option<String>) -> Vec<BenchmarkView>;
            benchmark_summary(profile: String, account_id: String, benchmark_id: String, job_id: Option<String>, op_id: Option<String>) -> SummaryView;
            rescan_account(profile: String, account_id: String) -> RescanView;
            /// Where a rescan's job stands; the UI asks every few seconds until it is finished.
            job_status(profile: String, account_id: String, job_id: String) -> JobView;
            /// The audit report or the failed assets of `benchmark_id` for every account in the
            /// application's scope, as CSV where the user chooses in the save dialog (the backend
            /// writes it; `file` is absent when the dialog was dismissed). Cancellable.
            export_report(profile: String, kind: ExportKind, benchmark_id: String, op_id: Option<String>) -> ExportView;
            /// Where the export of `op_id` stands while it runs; the UI asks a few times a second.
            report_progress(op_id: String) -> Option<ReportProgressView>;
            /// The wait being made now because the service said "later" (429, 503), while it
            /// lasts; the UI asks while an operation runs.
            service_wait() -> Option<WaitView>;
            /// From the cache while it is fresh; with `fresh`, always a new token from the service.
            get_token(profile: String, account_id: Option<String>, fresh: bool, op_id: Option<String>) -> TokenView;
            /// The tokens the app holds while it runs (what `get_token` gave), newest first.
            held_tokens() -> Vec<TokenView>;
            reveal_token(handle: String) -> RevealedToken;
            copy_token(handle: String, format: CopyFormat) -> CopyResult;
            /// "Test connection": the same link-by-link diagnosis as `cnaccess doctor`.
            diagnose(profile: String, op_id: Option<String>) -> Diagnosis;

            practice_license() -> PracticeLicense;
            /// The practice license's API applications (no secret), sorted by id.
            practice_apps() -> Vec<PracticeApp>;
            practice_create_app(input: PracticeAppInput) -> PracticeCredentials;
            practice_update_app(app_id: String, input: PracticeAppInput) -> ();
            practice_delete_app(app_id: String) -> ();
            practice_regenerate_secret(app_id: String) -> PracticeCredentials;
            /// Returns the subscription's primary key; see practice_subscription for both.
            practice_subscribe() -> PracticeKey;
            practice_activate(key: String) -> PracticeKey;
            /// The subscription of either of its keys: both keys and its state.
            practice_subscription(key: String) -> PracticeSubscription;
            /// Copies a current Sandbox secret or key through the backend's clipboard; nothing else.
            practice_copy(text: String) -> CopyResult;
        }
    };
}
