//! The one error type of the core.
//!
//! Every failure a user can meet is one variant with a stable machine `code`, a plain message
//! that says what happened (`Display`), and a `hint` that says what to do next. It crosses IPC
//! as `{code, message, hint}` and maps to the CLI's exit codes. No variant carries a secret:
//! fields hold names, ids, paths and statuses only.
//!
//! A next step taken in a front end (store the key, list the accounts) is a [`NextStep`], not
//! words: each front end says it in its own ([`Words`]), so the app never sends its user to a
//! command line and the CLI never to a screen.

use std::path::PathBuf;

/// Shorthand used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- input, refused before it reaches the network or the keychain ----
    #[error("{field} is not valid: {reason}")]
    InvalidInput { field: &'static str, reason: String, hint: String, step: Option<NextStep> },
    #[error("application id is not valid: profile \"{profile}\" has no API application id yet")]
    AppIdMissing { profile: String },

    // ---- keychain ----
    #[error("no keychain is available to store secrets ({backend}): {detail}")]
    KeychainUnavailable { backend: &'static str, detail: String },
    #[error("the keychain ({backend}) is locked")]
    KeychainLocked { backend: &'static str },
    #[error("the keychain ({backend}) refused access: {detail}")]
    KeychainAccessDenied { backend: &'static str, detail: String },
    #[error("the keychain holds more than one entry for {entry}")]
    KeychainAmbiguous { entry: String },
    #[error("the keychain ({backend}) failed: {detail}")]
    Keychain { backend: &'static str, detail: String },
    #[error("no {what} is stored for {owner}")]
    SecretMissing { what: MissingSecret, owner: String },

    // ---- config ----
    #[error("{file} {path} could not be read or written: {detail}")]
    ConfigIo { file: FileKind, path: PathBuf, detail: String },
    #[error("the settings file {path} is damaged ({detail}); it was moved aside to {moved_to}")]
    ConfigCorrupt { path: PathBuf, moved_to: PathBuf, detail: String },
    #[error("the settings file {path} was written by a newer version of Cloudneeti Access (schema {found}, this version knows {supported})")]
    ConfigTooNew { path: PathBuf, found: u32, supported: u32 },
    #[error("the settings file {path} holds {entry} that is not valid ({reason}), at line {line}")]
    ConfigEntryInvalid { path: PathBuf, entry: String, reason: String, line: usize },
    #[error("there is no profile named \"{0}\"")]
    ProfileNotFound(String),
    #[error("a profile named \"{0}\" already exists")]
    ProfileExists(String),
    #[error("there is no API key named \"{0}\"")]
    ApiKeyNotFound(String),
    #[error("the API key \"{name}\" is still used by profile(s) {profiles}")]
    ApiKeyInUse { name: String, profiles: String },
    #[error("the API key \"{name}\" has been sent only to {known}; this profile would send it to {host}")]
    ApiKeyNewHost { name: String, host: String, known: String },

    // ---- the API gateway (Azure API Management) ----
    #[error("the API gateway says the subscription key is missing{said}")]
    ApiKeyMissingInRequest { said: Said },
    #[error(
        "the API gateway rejected the API key: it is unknown or its subscription is not active yet{said}"
    )]
    ApiKeyRejected { said: Said },
    #[error("the service is rate limiting this API key (retry after {retry_after_secs} s){said}")]
    RateLimited { retry_after_secs: u64, said: Said },

    // ---- the Cloudneeti application rules ----
    #[error("the service rejected the API application id or secret{said}")]
    AppCredentialsRejected { said: Said },
    #[error("the API application secret has expired{said}")]
    SecretExpired { said: Said },
    #[error("the API application secret was replaced by a regenerated one{said}")]
    SecretRegenerated { said: Said },
    #[error("license {license_id} is not known to the service{said}")]
    LicenseNotFound { license_id: String, said: Said },
    #[error("account {account_id} is not known in this license{said}")]
    AccountNotFound { account_id: String, said: Said },
    #[error("account {account_id} is not in the API application's scope{said}")]
    AccountOutOfScope { account_id: String, said: Said },
    #[error("the API application is not granted the API this call needs ({detail})")]
    ApiNotGranted { detail: String },
    #[error("the service did not accept the access token: {detail}")]
    TokenRejected { detail: String },
    #[error("the service issued a token that had already expired when it arrived (at {expired_at} UTC by this computer's clock)")]
    TokenExpiredOnArrival { expired_at: chrono::DateTime<chrono::Utc> },
    #[error("this call needs {needed} token, but {given} token was sent{said}")]
    WrongTokenKind { needed: &'static str, given: &'static str, said: Said },
    #[error("the service refused the request (HTTP {status}): {detail}")]
    Rejected { status: u16, detail: String },

    // ---- transport ----
    #[error("the service had an internal problem (HTTP {status}){said}")]
    ServerError { status: u16, said: Said },
    #[error("the request to {host} timed out")]
    Timeout { host: String },
    #[error("the name {host} could not be resolved")]
    Dns { host: String },
    #[error("could not connect to {host}: {detail}")]
    Connect { host: String, detail: String },
    #[error("the secure connection to {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("the service answered with a redirect to {location}, which was not followed")]
    Redirect { location: String },
    #[error("the service's answer could not be understood: {detail}")]
    MalformedResponse { detail: String },
    #[error("the service's answer was larger than {limit_bytes} bytes")]
    ResponseTooLarge { limit_bytes: usize },
    #[error("the operation was cancelled")]
    Cancelled,
    #[error("the check \"{title}\" failed")]
    CheckFailed { title: &'static str },
    #[error("{failed} of {total} accounts could not be reported")]
    ReportPartial { failed: usize, total: usize },
    #[error("the scan (job {job_id}) ended as Failed")]
    ScanFailed { job_id: String },
}

/// Which of the program's files an I/O error was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Settings,
    ActivityLog,
    /// The folder both live in.
    Folder,
    /// A report being written (`report`): complete or absent, never half written.
    Report,
    /// The lock file beside a file (`config.json.lock`): writers take turns through it.
    LockOf(LockedFile),
}

/// The files that have a lock file beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockedFile {
    Settings,
    ActivityLog,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Settings => "the settings file",
            FileKind::ActivityLog => "the activity log",
            FileKind::Folder => "the settings folder",
            FileKind::Report => "the report file",
            FileKind::LockOf(LockedFile::Settings) => "the settings file's lock file",
            FileKind::LockOf(LockedFile::ActivityLog) => "the activity log's lock file",
        })
    }
}

/// Which kind of secret is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingSecret {
    ApiKey,
    AppSecret,
}

impl std::fmt::Display for MissingSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingSecret::ApiKey => "API key",
            MissingSecret::AppSecret => "application secret",
        })
    }
}

/// A next step the user takes in a front end rather than in the portal or the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Store the API key in the keychain.
    StoreApiKey,
    /// Store the profile's application secret in the keychain.
    StoreAppSecret,
    /// See the profiles, or create one.
    FindProfile,
    /// See the stored API keys, or store one.
    FindApiKey,
    /// See the license's accounts with their ids.
    ListAccounts,
    /// Accept an API key that does not look like the portal's 32 hex digits.
    AllowAnyKeyFormat,
    /// Ask for an account token rather than a license token.
    AskAccountToken,
    /// Confirm that a stored API key may go to a host it has not been sent to.
    ConfirmNewKeyHost,
}

/// How a front end words a [`NextStep`]: the CLI names its command, the app its screen.
pub type Words = fn(NextStep) -> &'static str;

/// What the service itself said about a refusal, shown after our explanation, never instead
/// of it: its words may name what we cannot guess. Already cleaned and redacted by the
/// client (`client::rules`); empty when the service gave no message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said(Option<String>);

impl Said {
    pub fn nothing() -> Said {
        Said(None)
    }

    /// Only for text that is already cleaned and free of secrets.
    pub(crate) fn cleaned(text: String) -> Said {
        Said(Some(text).filter(|t| !t.trim().is_empty()))
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(text) => write!(f, " (the service said: \u{201c}{text}\u{201d})"),
            None => Ok(()),
        }
    }
}

/// Process exit codes of `cnaccess`, grouped so scripts can tell the kind of failure.
/// Documented in docs/cli.md; never renumber.
pub mod exit {
    pub const INPUT: i32 = 2;
    pub const CONFIG: i32 = 3;
    pub const KEYCHAIN: i32 = 4;
    pub const AUTH: i32 = 5;
    pub const NOT_FOUND_OR_SCOPE: i32 = 6;
    pub const NETWORK: i32 = 7;
    pub const SERVICE: i32 = 8;
    pub const CHECK_FAILED: i32 = 9;
    /// A report that landed for some accounts, not all.
    pub const PARTIAL: i32 = 10;
    pub const CANCELLED: i32 = 130;
}

impl Said {
    fn mapped(self, f: &dyn Fn(&str) -> String) -> Said {
        Said(self.0.map(|t| f(&t)))
    }
}

impl Error {
    /// The error with every text the service gave (its words, details, a redirect's target)
    /// passed through `f`: a session replaces there what only it knows to be secret (the
    /// application secret in a data call's refusal).
    pub fn map_service_text(self, f: &dyn Fn(&str) -> String) -> Error {
        use Error::*;
        match self {
            ApiKeyMissingInRequest { said } => ApiKeyMissingInRequest { said: said.mapped(f) },
            ApiKeyRejected { said } => ApiKeyRejected { said: said.mapped(f) },
            RateLimited { retry_after_secs, said } => {
                RateLimited { retry_after_secs, said: said.mapped(f) }
            }
            AppCredentialsRejected { said } => AppCredentialsRejected { said: said.mapped(f) },
            SecretExpired { said } => SecretExpired { said: said.mapped(f) },
            SecretRegenerated { said } => SecretRegenerated { said: said.mapped(f) },
            LicenseNotFound { license_id, said } => {
                LicenseNotFound { license_id, said: said.mapped(f) }
            }
            AccountNotFound { account_id, said } => {
                AccountNotFound { account_id, said: said.mapped(f) }
            }
            AccountOutOfScope { account_id, said } => {
                AccountOutOfScope { account_id, said: said.mapped(f) }
            }
            ApiNotGranted { detail } => ApiNotGranted { detail: f(&detail) },
            TokenRejected { detail } => TokenRejected { detail: f(&detail) },
            WrongTokenKind { needed, given, said } => {
                WrongTokenKind { needed, given, said: said.mapped(f) }
            }
            Rejected { status, detail } => Rejected { status, detail: f(&detail) },
            ServerError { status, said } => ServerError { status, said: said.mapped(f) },
            Redirect { location } => Redirect { location: f(&location) },
            MalformedResponse { detail } => MalformedResponse { detail: f(&detail) },
            other => other,
        }
    }

    /// The service refused the application secret itself (not a token, not the key).
    pub fn is_secret_refused(&self) -> bool {
        matches!(
            self,
            Error::AppCredentialsRejected { .. }
                | Error::SecretExpired { .. }
                | Error::SecretRegenerated { .. }
        )
    }

    /// The service refused the API key itself (unknown, inactive, or not sent).
    pub fn is_api_key_refused(&self) -> bool {
        matches!(self, Error::ApiKeyRejected { .. } | Error::ApiKeyMissingInRequest { .. })
    }

    /// What an analyst, who was given the credentials and cannot change them in the portal,
    /// asks the License Admin, in words to send as they are; `None` when the fix is theirs
    /// (a typo, the network) or no one's. The hint stays the License Admin's (where to click).
    pub fn ask_license_admin(&self) -> Option<String> {
        use Error::*;
        Some(match self {
            AppIdMissing { .. } => "Could you send me the API application id for our Cloudneeti license (Configuration > Cloudneeti API Access)?".to_string(),
            AppCredentialsRejected { .. } => "The Cloudneeti API refuses the application id and secret you gave me. Could you check the application id (Configuration > Cloudneeti API Access) and send me the current secret (regenerated, if it was lost)?".to_string(),
            SecretExpired { .. } => "The Cloudneeti API application secret you gave me has expired. Could you regenerate it (Configure App > Regenerate Secret Key) and send me the new one?".to_string(),
            SecretRegenerated { .. } => "The Cloudneeti API application secret you gave me was replaced by a regenerated one. Could you send me the new secret?".to_string(),
            ApiKeyRejected { .. } | ApiKeyMissingInRequest { .. } => "The Cloudneeti API gateway refuses the API key I was given. Could you check that its subscription to the API product is active and send me the current Primary key (API portal: Profile > Primary key)?".to_string(),
            LicenseNotFound { license_id, .. } => format!("The Cloudneeti API does not know license {license_id}. Could you check the license id and the environment (PROD or TRIAL) of the profile you sent me?"),
            AccountOutOfScope { account_id, .. } => format!("Could you add cloud account {account_id} to our API application's scope (Configuration > Cloudneeti API Access > Configure App > Cloud Accounts)?"),
            ApiNotGranted { .. } => "Could you grant our API application the API it needs for this call (Configuration > Cloudneeti API Access > Configure App > APIs)?".to_string(),
            _ => return None,
        })
    }

    /// Stable machine code: part of the IPC and `--json` contract.
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            InvalidInput { .. } | AppIdMissing { .. } => "invalid_input",
            KeychainUnavailable { .. } => "keychain_unavailable",
            KeychainLocked { .. } => "keychain_locked",
            KeychainAccessDenied { .. } => "keychain_access_denied",
            KeychainAmbiguous { .. } => "keychain_ambiguous",
            Keychain { .. } => "keychain_error",
            SecretMissing { .. } => "secret_missing",
            ConfigIo { .. } => "config_io",
            ConfigCorrupt { .. } => "config_corrupt",
            ConfigTooNew { .. } => "config_too_new",
            ConfigEntryInvalid { .. } => "config_entry_invalid",
            ProfileNotFound(_) => "profile_not_found",
            ProfileExists(_) => "profile_exists",
            ApiKeyNotFound(_) => "api_key_not_found",
            ApiKeyInUse { .. } => "api_key_in_use",
            ApiKeyNewHost { .. } => "api_key_new_host",
            ApiKeyMissingInRequest { .. } => "api_key_missing",
            ApiKeyRejected { .. } => "api_key_rejected",
            RateLimited { .. } => "rate_limited",
            AppCredentialsRejected { .. } => "app_credentials_rejected",
            SecretExpired { .. } => "secret_expired",
            SecretRegenerated { .. } => "secret_regenerated",
            LicenseNotFound { .. } => "license_not_found",
            AccountNotFound { .. } => "account_not_found",
            AccountOutOfScope { .. } => "account_out_of_scope",
            ApiNotGranted { .. } => "api_not_granted",
            TokenRejected { .. } => "token_rejected",
            TokenExpiredOnArrival { .. } => "token_expired_on_arrival",
            WrongTokenKind { .. } => "wrong_token_kind",
            Rejected { .. } => "rejected",
            ServerError { .. } => "server_error",
            Timeout { .. } => "timeout",
            Dns { .. } => "dns",
            Connect { .. } => "connect",
            Tls { .. } => "tls",
            Redirect { .. } => "redirect",
            MalformedResponse { .. } => "malformed_response",
            ResponseTooLarge { .. } => "response_too_large",
            Cancelled => "cancelled",
            CheckFailed { .. } => "check_failed",
            ReportPartial { .. } => "report_partial",
            ScanFailed { .. } => "scan_failed",
        }
    }

    /// The step of the hint that is taken in a front end, if any.
    pub fn next_step(&self) -> Option<NextStep> {
        use Error::*;
        match self {
            InvalidInput { step, .. } => *step,
            SecretMissing { what: MissingSecret::ApiKey, .. } | ApiKeyMissingInRequest { .. } => {
                Some(NextStep::StoreApiKey)
            }
            SecretMissing { what: MissingSecret::AppSecret, .. } => Some(NextStep::StoreAppSecret),
            ProfileNotFound(_) => Some(NextStep::FindProfile),
            ApiKeyNotFound(_) => Some(NextStep::FindApiKey),
            AccountNotFound { .. } => Some(NextStep::ListAccounts),
            WrongTokenKind { .. } => Some(NextStep::AskAccountToken),
            ApiKeyNewHost { .. } => Some(NextStep::ConfirmNewKeyHost),
            _ => None,
        }
    }

    /// What the user can do next, in plain words, with the front end's step in `words`.
    pub fn hint(&self, words: Words) -> String {
        let text = self.plain_hint();
        match self.next_step().map(words) {
            Some(step) if text.is_empty() => step.to_string(),
            Some(step) => format!("{text} {step}"),
            None => text,
        }
    }

    /// The hint without the front end's step.
    fn plain_hint(&self) -> String {
        use Error::*;
        let s = match self {
            InvalidInput { hint, .. } => return hint.clone(),
            AppIdMissing { .. } => "Copy the application id from the portal (Configuration > Cloudneeti API Access, shown after the secret) into the profile.",
            // What to do depends on the system: Windows has no provider to install.
            KeychainUnavailable { .. } => {
                return format!(
                    "{} Cloudneeti Access never falls back to a plain file; in pipelines set CLOUDNEETI_API_KEY and CLOUDNEETI_APP_SECRET instead.",
                    crate::vault::UNAVAILABLE_FIX
                )
            }
            KeychainLocked { .. } => "Unlock your keychain (log in to your desktop session or open Seahorse / Keychain Access and unlock it), then try again. No restart is needed.",
            KeychainAccessDenied { .. } => "Allow Cloudneeti Access to use the keychain when the system asks, or check the entry's access control in your keychain app.",
            KeychainAmbiguous { .. } => "Open your keychain app (Seahorse, Keychain Access or Credential Manager), delete the duplicate Cloudneeti Access entries, then store the secret again.",
            Keychain { .. } => "Check that your keychain works (for example with your system's keychain app) and try again.",
            SecretMissing { what: MissingSecret::ApiKey, .. } => "Store it first (API portal: Username > Profile > Show > Primary key).",
            SecretMissing { what: MissingSecret::AppSecret, .. } => "Store it first; if it was lost, ask your License Admin for it or regenerate it (Configure App > Regenerate Secret Key).",
            ConfigIo { file: FileKind::ActivityLog | FileKind::LockOf(LockedFile::ActivityLog), .. } => "Check that the settings folder is writable by you and that the disk is not full. The activity log only records what was done: profiles and secrets are not affected.",
            ConfigIo { file: FileKind::Report, .. } => "Check that the report's folder exists and is writable by you, and that the disk is not full. No part of the report was left behind.",
            ConfigIo { .. } => "Check that the settings folder exists and is writable by you, and that the disk is not full.",
            ConfigCorrupt { .. } => "Your profiles were kept in the moved-aside file; re-create them, or repair that file and move it back. Secrets in the keychain are untouched.",
            ConfigEntryInvalid { .. } => "Correct that line in a text editor (or remove that profile or key there), then try again. Nothing was changed: the file was left as it is.",
            ConfigTooNew { .. } => "Update Cloudneeti Access to the newest version, or point CNACCESS_CONFIG_DIR at another folder.",
            ProfileNotFound(_) => "",
            ProfileExists(_) => "Choose another name, or remove the existing profile first.",
            ApiKeyNotFound(_) => "",
            ApiKeyInUse { .. } => "Point those profiles at another API key, or remove them first.",
            ApiKeyNewHost { .. } => "Check the profile's environment: if it is not the one you meant, nothing was saved and nothing was sent. If it is, and that host is meant to receive this key:",
            ApiKeyMissingInRequest { .. } => "Store your API key (API portal: Username > Profile > Show > Primary key).",
            ApiKeyRejected { .. } => "Check the key against the API portal (Username > Profile > Show > Primary key). If you subscribed to the Unlimited product recently, wait for Cloudneeti's activation e-mail: until then the key is refused.",
            RateLimited { .. } => "Wait the time given, then try again; batch jobs should make fewer calls at once.",
            AppCredentialsRejected { .. } => "Check the API application id (portal: Configuration > Cloudneeti API Access) and store the secret again. If the secret was lost, regenerate it: Configure App > Regenerate Secret Key > Confirm.",
            SecretExpired { .. } => "Regenerate the secret in the portal (Configuration > Cloudneeti API Access > Configure App > Regenerate Secret Key > Confirm) and store the new one.",
            SecretRegenerated { .. } => "Someone regenerated this application's secret: ask your License Admin for the new one, or regenerate it yourself in the portal, and store it.",
            LicenseNotFound { .. } => "Check the license id (portal: Configurations > Features and Quotas) and the environment (PROD or TRIAL) of the profile.",
            AccountNotFound { .. } => "Check the account id (portal: Configurations > Cloud Accounts).",
            AccountOutOfScope { .. } => "Add the account to the API application's scope in the portal (Configuration > Cloudneeti API Access > Configure App > Cloud Accounts), then ask for a new token.",
            ApiNotGranted { .. } => "Grant that API to the application in the portal (Configuration > Cloudneeti API Access > Configure App > APIs).",
            TokenRejected { .. } => "Ask for a new token; if it keeps happening, check the profile's environment and license.",
            TokenExpiredOnArrival { .. } => "Check that this computer's date, time and time zone are right (the token's expiry and this clock disagree), then ask again; if they are right, the service's clock is off: try again later.",
            WrongTokenKind { .. } => "Use a license token for license calls and an account token for account calls.",
            Rejected { .. } => "Check the request's ids and the profile's settings; the service's own words are above.",
            ServerError { .. } => "The problem is on the service's side; try again in a few minutes.",
            Timeout { .. } => "Check your network connection and proxy settings, then try again.",
            Dns { .. } => "Check the environment's address and your network or VPN connection.",
            Connect { .. } => "Check that the service runs at the profile's address (for a local emulator: is it started, on that port?), then your network connection, proxy settings (HTTPS_PROXY) and firewall.",
            Tls { .. } => "If your organisation inspects TLS traffic, make sure its root certificate is installed in the system's trust store.",
            Redirect { .. } => "Check the environment's address: the API key is only ever sent to the host you configured.",
            MalformedResponse { .. } => "The service may be having problems, or the address is not a Cloudneeti API; check the profile's environment.",
            ResponseTooLarge { .. } => "Check the profile's environment: this does not look like a Cloudneeti API answer.",
            Cancelled => "Nothing was changed.",
            CheckFailed { .. } => "Follow the \"what to do\" of the failed check above, then run the diagnosis again.",
            ReportPartial { .. } => "The other accounts' rows are in the report. Each failed account is listed above with the reason; fix those and report them again.",
            ScanFailed { .. } => "Check the account's health (its prerequisites): a scan fails when Cloudneeti cannot read the cloud account. Then rescan.",
        };
        s.to_string()
    }

    /// The `cnaccess` exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        use Error::*;
        match self {
            InvalidInput { .. } | AppIdMissing { .. } => exit::INPUT,
            ConfigIo { .. }
            | ConfigCorrupt { .. }
            | ConfigTooNew { .. }
            | ConfigEntryInvalid { .. }
            | ProfileNotFound(_)
            | ProfileExists(_)
            | ApiKeyNotFound(_)
            | ApiKeyInUse { .. }
            | ApiKeyNewHost { .. } => exit::CONFIG,
            KeychainUnavailable { .. }
            | KeychainLocked { .. }
            | KeychainAccessDenied { .. }
            | KeychainAmbiguous { .. }
            | Keychain { .. }
            | SecretMissing { .. } => exit::KEYCHAIN,
            ApiKeyMissingInRequest { .. }
            | ApiKeyRejected { .. }
            | AppCredentialsRejected { .. }
            | SecretExpired { .. }
            | SecretRegenerated { .. }
            | TokenRejected { .. }
            | TokenExpiredOnArrival { .. }
            | WrongTokenKind { .. } => exit::AUTH,
            LicenseNotFound { .. }
            | AccountNotFound { .. }
            | AccountOutOfScope { .. }
            | ApiNotGranted { .. } => exit::NOT_FOUND_OR_SCOPE,
            Timeout { .. } | Dns { .. } | Connect { .. } | Tls { .. } | Redirect { .. } => {
                exit::NETWORK
            }
            RateLimited { .. }
            | Rejected { .. }
            | ServerError { .. }
            | MalformedResponse { .. }
            | ResponseTooLarge { .. } => exit::SERVICE,
            Cancelled => exit::CANCELLED,
            CheckFailed { .. } => exit::CHECK_FAILED,
            ReportPartial { .. } => exit::PARTIAL,
            ScanFailed { .. } => exit::SERVICE,
        }
    }

    /// Builds an input error; used by the validators.
    pub fn invalid(
        field: &'static str,
        reason: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::InvalidInput { field, reason: reason.into(), hint: hint.into(), step: None }
    }

    /// The same error with a front-end step after its hint (input errors only; others have
    /// theirs from [`Error::next_step`]).
    pub fn with_step(self, next: NextStep) -> Self {
        match self {
            Error::InvalidInput { field, reason, hint, .. } => {
                Error::InvalidInput { field, reason, hint, step: Some(next) }
            }
            other => other,
        }
    }
}

/// The shape an error takes across IPC and in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    pub hint: String,
}

impl ErrorReport {
    /// The report of `e` as a front end shows it, its next step in that front end's `words`.
    pub fn new(e: &Error, words: Words) -> Self {
        ErrorReport { code: e.code().to_string(), message: e.to_string(), hint: e.hint(words) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An analyst cannot fix a refused credential in the portal: they get words to send to
    /// the License Admin, naming the id at stake; what the analyst can fix gets none.
    #[test]
    fn an_analyst_is_told_what_to_ask_the_license_admin() {
        let refused = Error::AppCredentialsRejected { said: Said::nothing() };
        let ask = refused.ask_license_admin().expect("the admin holds the fix");
        assert!(ask.contains("send me the current secret"), "{ask}");
        let license = Error::LicenseNotFound { license_id: "L-1".into(), said: Said::nothing() };
        assert!(license.ask_license_admin().unwrap().contains("license L-1"));
        assert!(Error::ApiKeyRejected { said: Said::nothing() }.is_api_key_refused());
        assert!(!refused.is_api_key_refused());
        for own in
            [Error::Timeout { host: "h".into() }, Error::Cancelled, Error::invalid("x", "y", "z")]
        {
            assert_eq!(own.ask_license_admin(), None, "{own}");
        }
    }
}
