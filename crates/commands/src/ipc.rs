//! The shapes that cross IPC, with their TypeScript twins generated into
//! `ui/src/lib/backend/generated/` (ts-rs). A test fails when the committed TypeScript drifts;
//! `UPDATE_IPC_TYPES=1 cargo test -p cloudneeti-commands typescript` rewrites it (typescript.rs).
//!
//! None of these types holds a secret. A token value crosses only as `RevealedToken`, returned
//! by the one command that reveals a token on the user's request.

use chrono::{DateTime, SecondsFormat, Utc};
use cloudneeti_core::client::AccessToken;
use cloudneeti_core::error::NextStep;
use cloudneeti_core::model::{self, Environment, KnownAccount, Profile};
use cloudneeti_core::{Error, ErrorReport};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

// The core's own types that cross as they are (their TypeScript comes from the core's `ts`
// feature); everything below them is a view only the app has.
pub use cloudneeti_core::client::LicenseAccounts;
pub use cloudneeti_core::doctor::Report as Diagnosis;
pub use cloudneeti_core::model::{ProfileForm, Settings};

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Every command's error: a stable code, what happened, and what to do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// A form field the core can check as the user types (`check_field`).
#[derive(Debug, Clone, Copy, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    ProfileName,
    KeyName,
    LicenseId,
    AppId,
    AccountId,
    /// The portal's 32 hex digits.
    ApiKey,
    /// "Allow any format": 8 to 256 printable characters.
    ApiKeyAnyFormat,
    AppSecret,
    BaseUrl,
    /// prod, prod1, trial, sandbox or an address.
    Environment,
    /// YYYY-MM-DD or empty.
    SecretExpiresOn,
    ClipboardSeconds,
}

/// What the core says of a field: the value as it would keep it (never a secret's), or the
/// problem, worded as the save would word it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldCheck {
    pub value: Option<String>,
    /// For an environment: the one it names (a known service's address folds into it).
    pub environment: Option<EnvironmentView>,
    pub problem: Option<Problem>,
}

/// A refused field: "{field} is not valid: {reason}", and what to do.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub field: String,
    pub reason: String,
    pub hint: String,
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Self {
        match e {
            Error::InvalidInput { field, reason, .. } => {
                Problem { field: field.to_string(), reason: reason.clone(), hint: e.hint(words) }
            }
            other => Problem {
                field: "value".into(),
                reason: other.to_string(),
                hint: other.hint(words),
            },
        }
    }
}

/// The app's words for the next steps a hint names, after its screens (the CLI has its own,
/// in crates/cli/src/output.rs).
pub fn words(step: NextStep) -> &'static str {
    match step {
        NextStep::StoreApiKey => "Store it in Profiles, under the profile's API key.",
        NextStep::StoreAppSecret => "Store it in Profiles, under the profile's Application secret.",
        NextStep::FindProfile => "Choose one of the profiles in Profiles, or create one there.",
        NextStep::FindApiKey => "Profiles shows each profile's API key; store the key there.",
        NextStep::ListAccounts => "Tokens > Load the license's accounts lists them with their ids.",
        NextStep::AllowAnyKeyFormat => {
            "If your key really has another format, tick \"Allow any format\" and store it again."
        }
        NextStep::AskAccountToken => {
            "In Tokens, load the license's accounts and get the account's token."
        }
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        let ErrorReport { code, message, hint } = ErrorReport::new(&e, words);
        IpcError { code, message, hint }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// Where secrets go on this machine, e.g. "Secret Service".
    pub keychain: String,
    /// The built-in Sandbox's address (the embedded emulator), when it runs.
    pub sandbox_url: Option<String>,
    pub catalog: Catalog,
}

/// What the core knows that the UI's pickers and links need, so the UI holds no copy: the
/// environments offered by name with their addresses, the documentation, and the portal's
/// Token Expiry choices.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// In the order the environment picker offers them.
    pub environments: Vec<EnvironmentView>,
    pub docs_url: String,
    /// Minutes, as the portal's drop-down offers them.
    pub token_expiry_choices: Vec<u32>,
}

impl Catalog {
    pub fn from_core() -> Self {
        Catalog {
            environments: Environment::NAMED.iter().map(EnvironmentView::from).collect(),
            docs_url: model::DOCS_URL.to_string(),
            token_expiry_choices: model::TOKEN_EXPIRY_CHOICES.to_vec(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentKind {
    Prod,
    Prod1,
    Trial,
    Sandbox,
    Custom,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub kind: EnvironmentKind,
    /// The API address; absent for the Sandbox.
    pub base_url: Option<String>,
    /// What the form's environment field takes back: prod, prod1, trial, sandbox or the URL.
    pub input: String,
    /// The Cloudneeti portal; absent for the Sandbox (its practice portal is in the app) and
    /// for a custom address (unknown).
    pub portal_url: Option<String>,
    /// The API portal, where the API key is obtained; absent as `portal_url` is.
    pub api_portal_url: Option<String>,
}

impl From<&Environment> for EnvironmentView {
    fn from(e: &Environment) -> Self {
        let kind = match e {
            Environment::Prod => EnvironmentKind::Prod,
            Environment::Prod1 => EnvironmentKind::Prod1,
            Environment::Trial => EnvironmentKind::Trial,
            Environment::Sandbox => EnvironmentKind::Sandbox,
            Environment::Custom { .. } => EnvironmentKind::Custom,
        };
        let service = e.service();
        EnvironmentView {
            kind,
            base_url: e.base_url().map(str::to_string),
            input: e.to_string(),
            portal_url: service.map(|s| s.portal.to_string()),
            api_portal_url: service.map(|s| s.api_portal.to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub name: String,
    pub environment: EnvironmentView,
    pub license_id: String,
    /// Absent until entered (the portal shows the secret first).
    pub app_id: Option<String>,
    /// Name of the API key the profile uses.
    pub api_key: String,
    /// When that key was stored in the keychain; absent if it is not.
    pub api_key_stored_at: Option<String>,
    /// When the application secret was stored in the keychain; absent if it is not.
    pub secret_stored_at: Option<String>,
    pub token_expiry_minutes: Option<u32>,
    /// YYYY-MM-DD.
    pub secret_expires_on: Option<String>,
    /// When the secret stops working: the midnight UTC that ends `secret_expires_on`.
    pub secret_valid_until: Option<String>,
    /// Days until the secret expires when 14 or fewer (negative: expired).
    pub secret_expiry_warning_days: Option<i32>,
    pub known_accounts: Vec<KnownAccount>,
    pub granted_apis: Vec<String>,
}

impl ProfileView {
    pub fn new(p: &Profile, api_key_stored_at: Option<DateTime<Utc>>) -> Self {
        ProfileView {
            name: p.name.to_string(),
            environment: (&p.environment).into(),
            license_id: p.license_id.to_string(),
            app_id: p.app_id.map(|id| id.to_string()),
            api_key: p.api_key.to_string(),
            api_key_stored_at: api_key_stored_at.map(iso),
            secret_stored_at: p.secret_stored_at.map(iso),
            token_expiry_minutes: p.token_expiry_minutes.map(|e| e.minutes()),
            secret_expires_on: p.secret_expires_on.map(|d| d.to_string()),
            secret_valid_until: p.secret_valid_until().map(iso),
            secret_expiry_warning_days: p
                .secret_expiry_warning(Utc::now())
                .map(|d| d.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32),
            known_accounts: p.known_accounts.clone(),
            granted_apis: p.granted_apis.clone(),
        }
    }
}

/// What saving a profile did beyond saving it, in words to show the user.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedProfile {
    /// Set when the save also removed the profile's application secret (it moved to another
    /// environment or license).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyView {
    pub name: String,
    pub stored_at: Option<String>,
    pub used_by: Vec<String>,
}

/// A token the backend holds; the UI gets this description, never the value.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    /// Names the token in `reveal_token` and `copy_token`.
    pub handle: String,
    /// "license" or "account".
    pub kind: String,
    pub profile: String,
    pub license_id: String,
    pub account_id: Option<String>,
    /// The API it was obtained from (the profile's base URL then), so a pasted token can be
    /// traced to its service.
    pub api_url: String,
    pub obtained_at: String,
    /// UTC; absent when the service did not say and the profile has no token expiry.
    pub expires_at: Option<String>,
}

impl TokenView {
    pub fn new(handle: String, profile: &str, api_url: &str, token: &AccessToken) -> Self {
        TokenView {
            handle,
            kind: serde_json::to_value(token.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            profile: profile.to_string(),
            license_id: token.license_id.clone(),
            account_id: token.account_id.clone(),
            api_url: api_url.to_string(),
            obtained_at: iso(token.obtained_at),
            expires_at: token.expires_at.map(iso),
        }
    }
}

/// Only `reveal_token` returns this, when the user asks to see the token.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RevealedToken {
    pub token: String,
}

#[derive(Debug, Clone, Copy, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CopyFormat {
    /// The token alone.
    Raw,
    /// A curl command that reads the token and key from environment variables.
    Curl,
    /// The same for PowerShell.
    Powershell,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CopyResult {
    /// The clipboard is cleared after this many seconds unless it changed meanwhile.
    pub clears_in_seconds: u32,
}

/// The Sandbox's practice portal: what the emulator's "portal side" shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeLicense {
    pub license_id: String,
    pub license_name: String,
    pub accounts: Vec<PracticeAccount>,
    pub apis: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeAccount {
    pub account_id: String,
    pub account_name: String,
    pub connector_type: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeAppInput {
    pub name: String,
    pub apis: Vec<String>,
    pub account_ids: Vec<String>,
    pub token_expiry_minutes: u32,
    /// YYYY-MM-DD, or absent for never.
    pub secret_expires_on: Option<String>,
}

/// The practice portal's one-time dialog. The Sandbox's secrets and keys open nothing but the
/// embedded emulator, which is why, unlike real ones, they may be shown in the web view.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeCredentials {
    pub app_id: String,
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeKey {
    pub key: String,
    /// "pending" until activated.
    pub state: String,
}

/// A row of the portal's Cloudneeti API Access table (Create_API_Application_5.png): no secret.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeApp {
    pub app_id: String,
    pub name: String,
    pub apis: Vec<String>,
    pub account_ids: Vec<String>,
    pub token_expiry_minutes: u32,
    /// YYYY-MM-DD: the last day the secret works (it expires at the following midnight UTC),
    /// or absent for never.
    pub secret_expires_on: Option<String>,
}

/// The API portal's Profile > Your subscriptions row (Primary_key.png).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSubscription {
    /// The product subscribed to: "Unlimited".
    pub product: String,
    /// "pending" (the portal's "Submitted") until Cloudneeti activates it, then "active".
    pub state: String,
    pub primary_key: String,
    /// Absent only for a key that was seeded without one.
    pub secondary_key: Option<String>,
}

// Like `PracticeCredentials`, `PracticeSubscription` carries Sandbox keys: they open nothing
// but the embedded emulator, which is why they may cross to the web view.

#[cfg(test)]
mod tests {
    use super::*;
    use cloudneeti_core::SecretId;

    /// The app's user has no command line: no hint it shows may send them to one.
    #[test]
    fn app_hints_name_screens_not_commands() {
        let errors = [
            Error::ProfileNotFound("contoso".into()),
            Error::ApiKeyNotFound("default".into()),
            SecretId::api_key(&"default".parse().unwrap()).missing(),
            SecretId::app_secret(&"contoso".parse().unwrap()).missing(),
            cloudneeti_core::validate::api_key("too-short", false).unwrap_err(),
            cloudneeti_core::validate::account_id("not-a-guid").unwrap_err(),
        ];
        for error in errors {
            let IpcError { hint, .. } = error.into();
            assert!(!hint.contains("cnaccess") && !hint.contains("--"), "{hint}");
            assert!(
                hint.contains("Profiles")
                    || hint.contains("Tokens")
                    || hint.contains("Allow any format"),
                "{hint}"
            );
        }
    }
}
