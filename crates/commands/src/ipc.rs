//! The shapes that cross IPC, with their TypeScript twins generated into
//! `ui/src/lib/backend/generated/` (ts-rs). A test fails when the committed TypeScript drifts;
//! `UPDATE_IPC_TYPES=1 cargo test -p cloudneeti-commands typescript` rewrites it (typescript.rs).
//!
//! None of these types holds a secret. A token value crosses only as `RevealedToken`, returned
//! by the one command that reveals a token on the user's request.

use chrono::{DateTime, SecondsFormat, Utc};
use cloudneeti_core::client::{
    AccessToken, Benchmark, BenchmarkSummary, HealthStatus, JobState, Policy, Prerequisite,
};
use cloudneeti_core::error::NextStep;
use cloudneeti_core::model::{self, Environment, KnownAccount, Profile};
use cloudneeti_core::report::{Progress, ReportKind, ReportOutcome};
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
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: String,
    pub message: String,
    /// What to do, for whoever can do it (a License Admin is told where to click).
    pub hint: String,
    /// For an analyst, who was given the credentials: the words to send the License Admin
    /// (the core's, `Error::ask_license_admin`); absent when the fix is not the admin's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ask_admin: Option<String>,
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
    /// As an account's benchmarks list it, e.g. CSBP.
    BenchmarkId,
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
        NextStep::ConfirmNewKeyHost => "save again and confirm it in the dialog that asks.",
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError::from(&e)
    }
}

impl From<&Error> for IpcError {
    fn from(e: &Error) -> Self {
        let ErrorReport { code, message, hint } = ErrorReport::new(e, words);
        IpcError { code, message, hint, ask_admin: e.ask_license_admin() }
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
    /// How many days before a secret's expiry the reminders start.
    pub secret_reminder_days: u32,
    /// The range a copied token's clipboard delay may take, in seconds.
    pub clipboard_seconds_min: u32,
    pub clipboard_seconds_max: u32,
}

impl Catalog {
    pub fn from_core() -> Self {
        Catalog {
            environments: Environment::NAMED.iter().map(EnvironmentView::from).collect(),
            docs_url: model::DOCS_URL.to_string(),
            token_expiry_choices: model::TOKEN_EXPIRY_CHOICES.to_vec(),
            secret_reminder_days: u32::try_from(model::SECRET_EXPIRY_WARNING_DAYS).unwrap_or(0),
            clipboard_seconds_min: *model::CLIPBOARD_CLEAR_SECONDS.start(),
            clipboard_seconds_max: *model::CLIPBOARD_CLEAR_SECONDS.end(),
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

/// How a checked store of a secret or key ended (`set_app_secret_checked`,
/// `set_api_key_checked`). A failure that is not the service's verdict on the value (a
/// malformed value, the keychain) is the command's error instead.
#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum StoreCheck {
    /// The service gave a token with it: stored.
    Accepted,
    /// Stored without a check (`reason` says why: nothing to check it with yet, the service
    /// out of reach).
    NotChecked,
    /// The service refused it: NOT stored; `refused` says what the service said. Storing it
    /// again with `keep_if_refused` keeps it anyway.
    Refused,
    /// The service refused it and the user asked to keep it anyway: stored, `refused` says
    /// what the service said.
    KeptRefused,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckedView {
    pub status: StoreCheck,
    /// Why it was not checked, in the core's words.
    pub reason: Option<String>,
    /// The refusal (kept or not), as any error: its message carries the service's words,
    /// its `askAdmin` what an analyst asks the License Admin.
    pub refused: Option<IpcError>,
}

impl CheckedView {
    /// The service's refusal of the value: stored (`kept`) or not.
    pub fn refused(refusal: &Error, kept: bool) -> Self {
        let status = if kept { StoreCheck::KeptRefused } else { StoreCheck::Refused };
        CheckedView { status, reason: None, refused: Some(refusal.into()) }
    }
}

impl From<cloudneeti_core::access::Checked> for CheckedView {
    fn from(checked: cloudneeti_core::access::Checked) -> Self {
        use cloudneeti_core::access::Checked;
        match checked {
            Checked::Accepted => {
                CheckedView { status: StoreCheck::Accepted, reason: None, refused: None }
            }
            Checked::NotChecked(why) => {
                CheckedView { status: StoreCheck::NotChecked, reason: Some(why), refused: None }
            }
        }
    }
}

/// A profile imported from a hand-off; `name` is absent when the open dialog was dismissed
/// (nothing was read, nothing changed).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedProfile {
    pub name: Option<String>,
}

/// A file the backend wrote where the user chose; `file` is absent when the save dialog was
/// dismissed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub file: Option<String>,
}

/// A destructive command's outcome: `removed` is false when the user kept it in the
/// confirmation dialog (nothing changed; not an error).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub removed: bool,
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
    /// What the token itself says (a JWT's payload), read here so the value stays in the
    /// backend; absent for an opaque token.
    pub claims: Option<TokenClaims>,
}

/// A token's own claims. Each is absent when the token does not carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TokenClaims {
    /// `iat`, UTC.
    pub issued_at: Option<String>,
    /// `exp`, UTC.
    pub expires_at: Option<String>,
    pub license_id: Option<String>,
    pub account_id: Option<String>,
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
            claims: crate::claims::token_claims(token.value.expose()),
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

// The Accounts view: an account's health, benchmarks and posture, and its rescans. The
// service's text in them was cleaned by the core; the figures the view shows beyond the
// service's are derived here, once, so the UI computes none.

/// A count as the UI takes it: a u64 would cross as a TypeScript bigint.
fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `healthstatus`: whether Cloudneeti can read everything it needs from the account.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    /// In the service's order.
    pub prerequisites: Vec<PrerequisiteView>,
    /// How many prerequisites are incomplete; 0 when the account is healthy.
    pub incomplete: u32,
    pub last_scanned_time: Option<String>,
    pub scan_quota: Option<ScanQuotaView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrerequisiteView {
    pub name: String,
    pub complete: bool,
    pub required: bool,
    pub description: String,
    pub category: String,
    /// How many policies depend on it: a count, or "All".
    pub policies: String,
    /// Its documentation; the UI opens it through `open_link`, so only Cloudneeti's pages open.
    pub refer_link: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanQuotaView {
    pub allocated: u32,
    pub consumed: u32,
}

impl From<&HealthStatus> for HealthView {
    fn from(h: &HealthStatus) -> Self {
        let prerequisites: Vec<PrerequisiteView> =
            h.prerequisites.iter().map(PrerequisiteView::from).collect();
        HealthView {
            incomplete: small(prerequisites.iter().filter(|p| !p.complete).count() as u64),
            prerequisites,
            last_scanned_time: h.last_scanned_time.clone(),
            scan_quota: h.account_scan_quota_details.as_ref().map(|q| ScanQuotaView {
                allocated: small(q.allocated_quota),
                consumed: small(q.consumed_quota),
            }),
        }
    }
}

impl From<&Prerequisite> for PrerequisiteView {
    fn from(p: &Prerequisite) -> Self {
        PrerequisiteView {
            name: p.name.clone(),
            complete: p.is_complete(),
            required: p.required,
            description: p.description.clone(),
            category: p.category.clone(),
            policies: p.no_of_policies.clone(),
            refer_link: p.refer_link.clone(),
        }
    }
}

/// One of an account's compliance benchmarks.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BenchmarkView {
    pub benchmark_id: String,
    pub name: String,
}

impl From<&Benchmark> for BenchmarkView {
    fn from(b: &Benchmark) -> Self {
        BenchmarkView { benchmark_id: b.benchmark_id.clone(), name: b.name.clone() }
    }
}

/// A benchmark's summary of one scan, as the chart and the failed-policy list show it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub account_id: String,
    pub account_name: String,
    pub connector_type: String,
    pub benchmark_id: String,
    pub benchmark_name: String,
    /// The scan it is of, when the service names it.
    pub job_id: Option<String>,
    pub last_scanned_date: Option<String>,
    /// The service's own counts and compliance percent; absent when it sent none.
    pub posture: Option<PostureView>,
    /// In the service's order.
    pub categories: Vec<CategoryView>,
    /// Policies with failed resources, most severe first, then most failed resources first.
    pub failed_policies: Vec<FailedPolicyView>,
}

/// The posture as the service counts it: policies by compliance.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PostureView {
    pub total: u32,
    /// Green: every resource passed.
    pub green: u32,
    /// Red: no resource passed.
    pub red: u32,
    /// Amber: some resources passed.
    pub amber: u32,
    /// Gray: nothing to assess.
    pub gray: u32,
    /// As the service computed it (green / (total − gray) × 100).
    pub compliance_percent: f64,
}

/// A category's policies by outcome: passed (Green), failed (Red or Amber: some resource
/// failed) and other (Gray, nothing to assess, or a compliance we do not know).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    pub name: String,
    pub passed: u32,
    pub failed: u32,
    pub other: u32,
    /// passed / (passed + failed) × 100, the service's posture formula applied to the
    /// category; absent when nothing in it was assessed.
    pub compliance_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FailedPolicyView {
    pub category: String,
    pub policy_id: String,
    pub short_title: String,
    /// Critical, High, Moderate, Low or VeryLow.
    pub severity: String,
    /// Red or Amber.
    pub compliance: String,
    pub total_resource_count: u32,
    pub passed_resource_count: u32,
    pub failed_resource_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Other,
}

fn outcome(policy: &Policy) -> Outcome {
    let is = |c: &str| policy.compliance.eq_ignore_ascii_case(c);
    if is("Green") {
        Outcome::Passed
    } else if is("Red") || is("Amber") {
        Outcome::Failed
    } else {
        Outcome::Other
    }
}

/// Most severe first; a severity we do not know goes last.
fn severity_rank(severity: &str) -> usize {
    const ORDER: [&str; 5] = ["Critical", "High", "Moderate", "Low", "VeryLow"];
    ORDER.iter().position(|s| s.eq_ignore_ascii_case(severity)).unwrap_or(ORDER.len())
}

impl From<&BenchmarkSummary> for SummaryView {
    fn from(s: &BenchmarkSummary) -> Self {
        let categories = s
            .resource_categories
            .iter()
            .map(|c| {
                let of = |o: Outcome| c.policies.iter().filter(|p| outcome(p) == o).count() as u64;
                let (passed, failed) = (of(Outcome::Passed), of(Outcome::Failed));
                CategoryView {
                    name: c.category_name.clone(),
                    passed: small(passed),
                    failed: small(failed),
                    other: small(of(Outcome::Other)),
                    compliance_percent: (passed + failed > 0)
                        .then(|| passed as f64 * 100.0 / (passed + failed) as f64),
                }
            })
            .collect();
        let mut failed_policies: Vec<FailedPolicyView> = s
            .resource_categories
            .iter()
            .flat_map(|c| c.policies.iter().map(move |p| (c, p)))
            .filter(|(_, p)| outcome(p) == Outcome::Failed)
            .map(|(c, p)| FailedPolicyView {
                category: c.category_name.clone(),
                policy_id: p.policy_id.clone(),
                short_title: p.short_title.clone(),
                severity: p.severity.clone(),
                compliance: p.compliance.clone(),
                total_resource_count: small(p.total_resource_count),
                passed_resource_count: small(p.passed_resource_count),
                failed_resource_count: small(p.failed_resource_count()),
            })
            .collect();
        failed_policies.sort_by_key(|p| {
            (severity_rank(&p.severity), std::cmp::Reverse(p.failed_resource_count))
        });
        SummaryView {
            account_id: s.account_id.clone(),
            account_name: s.account_name.clone(),
            connector_type: s.connector_type.clone(),
            benchmark_id: s.benchmark_id.clone(),
            benchmark_name: s.benchmark_name.clone(),
            job_id: s.job_id.clone(),
            last_scanned_date: s.last_scanned_date.clone(),
            posture: s.posture.as_ref().map(|p| PostureView {
                total: small(p.total),
                green: small(p.green),
                red: small(p.red),
                amber: small(p.amber),
                gray: small(p.gray),
                compliance_percent: p.compliance_percent,
            }),
            categories,
            failed_policies,
        }
    }
}

/// A rescan the service accepted.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RescanView {
    pub job_id: String,
}

/// Where a scan job stands.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub job_id: String,
    /// As the service says it: Pending, New, Running, Success or Failed.
    pub status: String,
    /// Success or Failed: nothing more will change, stop asking.
    pub finished: bool,
    /// Set when the scan failed: what happened and what to do, as any error.
    pub failure: Option<IpcError>,
}

impl JobView {
    pub fn new(job_id: &str, state: &JobState) -> Self {
        let failed = state.is_failed();
        JobView {
            job_id: job_id.to_string(),
            status: state.job_status.clone(),
            finished: state.is_finished(),
            failure: failed.then(|| Error::ScanFailed { job_id: job_id.to_string() }.into()),
        }
    }
}

// Reports exported from the Accounts view: the vendor scripts' CSV files, written by the
// backend where the user chose in the save dialog.

/// Which of the vendor scripts' reports to export.
#[derive(Debug, Clone, Copy, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    /// Generate-AuditReport.ps1: one row per policy of the benchmark's summary.
    Audit,
    /// Generate-FailedAssetReport.ps1: one row per failed asset.
    FailedAssets,
}

impl From<ExportKind> for ReportKind {
    fn from(kind: ExportKind) -> Self {
        match kind {
            ExportKind::Audit => ReportKind::Audit,
            ExportKind::FailedAssets => ReportKind::FailedAssets,
        }
    }
}

/// A wait the backend is making because the service said "later", while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WaitView {
    /// What is waited for and how long, in the core's words (the CLI says the same).
    pub message: String,
    pub seconds_left: u32,
}

/// Where a running export stands, after each account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportProgressView {
    /// Accounts through, failed ones included.
    pub done: u32,
    /// Accounts to ask for: the license's accounts in the application's scope.
    pub total: u32,
    pub failed: u32,
    /// Rows written so far.
    pub rows: u32,
}

impl From<Progress> for ReportProgressView {
    fn from(p: Progress) -> Self {
        ReportProgressView {
            done: small(p.done as u64),
            total: small(p.total as u64),
            failed: small(p.failed as u64),
            rows: small(p.rows),
        }
    }
}

/// How an export ended. When the user dismissed the save dialog nothing was asked of the
/// service nor written: `file` is absent and the rest empty.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportView {
    /// Where the report was written, complete; absent when the save dialog was dismissed.
    pub file: Option<String>,
    /// Rows in the file, the header not counted.
    pub rows: u32,
    /// Every account asked for, in the file's order.
    pub accounts: Vec<ExportedAccount>,
    /// How many of `accounts` landed in the file, and how many failed (their rows are not
    /// in it).
    pub succeeded: u32,
    pub failed: u32,
    /// The license's accounts outside the application's scope, not asked for (their token
    /// would be refused).
    pub left_out: Vec<KnownAccount>,
}

#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportStatus {
    Success,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedAccount {
    pub account_id: String,
    /// As the license lists it; empty when not known.
    pub account_name: String,
    pub status: ExportStatus,
    /// Rows written for it; absent when it failed.
    pub rows: Option<u32>,
    /// Why it failed and what to do, in the app's words.
    pub error: Option<IpcError>,
}

impl ExportView {
    /// The save dialog was dismissed.
    pub fn dismissed() -> Self {
        ExportView {
            file: None,
            rows: 0,
            accounts: Vec::new(),
            succeeded: 0,
            failed: 0,
            left_out: Vec::new(),
        }
    }

    pub fn new(outcome: &ReportOutcome, file: &std::path::Path) -> Self {
        let accounts = outcome
            .accounts
            .iter()
            .map(|a| ExportedAccount {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                status: match a.result {
                    Ok(_) => ExportStatus::Success,
                    Err(_) => ExportStatus::Failed,
                },
                rows: a.result.as_ref().ok().map(|n| small(*n)),
                error: a.result.as_ref().err().map(IpcError::from),
            })
            .collect();
        let failed = outcome.failed();
        ExportView {
            file: Some(file.display().to_string()),
            rows: small(outcome.rows),
            accounts,
            succeeded: small((outcome.accounts.len() - failed) as u64),
            failed: small(failed as u64),
            left_out: outcome.left_out.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudneeti_core::SecretId;
    use serde_json::Value;

    fn policy(id: &str, compliance: &str, severity: &str, total: u64, passed: u64) -> Value {
        serde_json::json!({
            "policyId": id, "compliance": compliance, "severity": severity,
            "totalResourceCount": total, "passedResourceCount": passed,
        })
    }

    /// The chart's figures and the failed-policy list are derived here, once: passed is Green,
    /// failed Red or Amber, other the rest; failed resources are total − passed.
    #[test]
    fn a_summary_counts_policies_per_category_and_lists_failed_ones_most_severe_first() {
        let summary: BenchmarkSummary = serde_json::from_value(serde_json::json!({
            "accountId": "A", "benchmarkId": "CSBP",
            "resourceCategories": [
                {"categoryName": "Networking", "policies": [
                    policy("p1", "Green", "High", 4, 4),
                    policy("p2", "Amber", "Low", 5, 2),
                    policy("p3", "Red", "Critical", 3, 0),
                    policy("p4", "Gray", "Moderate", 0, 0),
                ]},
                {"categoryName": "Tags", "policies": [policy("p5", "Gray", "VeryLow", 0, 0)]},
                {"categoryName": "Storage", "policies": [policy("p6", "Red", "Low", 9, 0)]},
            ],
            "posture": {"total": 6, "green": 1, "red": 2, "amber": 1, "gray": 2, "compliancePercent": 25.0},
        }))
        .unwrap();
        let view = SummaryView::from(&summary);
        let counts: Vec<_> = view
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.passed, c.failed, c.other, c.compliance_percent))
            .collect();
        assert_eq!(
            counts,
            [
                ("Networking", 1, 2, 1, Some(100.0 / 3.0)),
                ("Tags", 0, 0, 1, None),
                ("Storage", 0, 1, 0, Some(0.0))
            ]
        );
        let failed: Vec<_> = view
            .failed_policies
            .iter()
            .map(|p| (p.policy_id.as_str(), p.failed_resource_count))
            .collect();
        assert_eq!(failed, [("p3", 3), ("p6", 9), ("p2", 3)]);
        assert_eq!(view.posture.unwrap().compliance_percent, 25.0, "the service's, as it is");
    }

    #[test]
    fn health_counts_incomplete_prerequisites_and_a_failed_job_says_what_to_do() {
        let health: HealthStatus = serde_json::from_value(serde_json::json!({"prerequisites": [
            {"name": "Reader", "isHealthy": "complete", "required": true},
            {"name": "Network", "isHealthy": "incomplete", "referLink": "https://docs.cloudneeti.com/x"},
        ]}))
        .unwrap();
        let view = HealthView::from(&health);
        assert_eq!(view.incomplete, 1);
        assert!(view.prerequisites[0].complete && !view.prerequisites[1].complete);

        let running = JobView::new("j1", &JobState { job_status: "Running".into() });
        assert!(!running.finished && running.failure.is_none());
        let done = JobView::new("j1", &JobState { job_status: "Success".into() });
        assert!(done.finished && done.failure.is_none());
        let failed = JobView::new("j1", &JobState { job_status: "Failed".into() });
        let failure = failed.failure.expect("a failed scan carries its error");
        assert!(
            failed.finished && failure.code == "scan_failed" && failure.hint.contains("health")
        );
    }

    /// A failed account keeps its reason in the app's words; the counts are the outcome's.
    #[test]
    fn an_export_lists_each_account_with_its_rows_or_its_reason() {
        let outcome = ReportOutcome {
            accounts: vec![
                cloudneeti_core::report::AccountOutcome {
                    account_id: "a1".into(),
                    account_name: "Azure".into(),
                    result: Ok(7),
                },
                cloudneeti_core::report::AccountOutcome {
                    account_id: "a2".into(),
                    account_name: "GCP".into(),
                    result: Err(Error::Cancelled),
                },
            ],
            left_out: vec![KnownAccount {
                account_id: "a3".into(),
                account_name: "AWS".into(),
                connector_type: "AWS".into(),
                is_in_api_scope: false,
            }],
            rows: 7,
        };
        let view = ExportView::new(&outcome, std::path::Path::new("/tmp/audit.csv"));
        assert_eq!(view.file.as_deref(), Some("/tmp/audit.csv"));
        assert_eq!((view.rows, view.succeeded, view.failed, view.left_out.len()), (7, 1, 1, 1));
        let [ok, failed] = &view.accounts[..] else { panic!("two accounts") };
        assert_eq!(
            (ok.status, ok.rows, ok.error.is_none()),
            (ExportStatus::Success, Some(7), true)
        );
        let error = failed.error.as_ref().expect("a failed account says why");
        assert_eq!(
            (failed.status, failed.rows, error.code.as_str()),
            (ExportStatus::Failed, None, "cancelled")
        );
        assert!(!error.hint.is_empty());
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["accounts"][1]["status"], "failed");
        assert_eq!(json["leftOut"][0]["accountName"], "AWS");

        let dismissed = serde_json::to_value(ExportView::dismissed()).unwrap();
        assert_eq!(dismissed["file"], Value::Null, "a dismissed dialog is no error, and no file");
    }

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
