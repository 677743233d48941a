//! The emulator's starting state: licenses, API applications and API keys.
//!
//! A seed is plain JSON whose field names follow the Cloudneeti documentation where it has
//! them (`licenseId`, `accounts`, `accountId`, `accountName`, `connectorType`, `apis`). The
//! built-in default seed holds the public demo credentials below. They are public by design,
//! printed by `cloudneeti-emulator seed` and listed in docs/emulator.md; they open nothing but
//! this emulator and must never be used as a default anywhere else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Demo license id of the default seed (public by design).
pub const DEMO_LICENSE_ID: &str = "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01";
/// Demo API application id of the default seed (public by design).
pub const DEMO_APP_ID: &str = "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02";
/// Demo API application secret of the default seed. PUBLIC BY DESIGN: it only opens this
/// emulator.
pub const DEMO_APP_SECRET: &str = "DEMO-public-app-secret-0b7e5f3a";
/// Demo API key whose subscription is active. PUBLIC BY DESIGN: it only opens this emulator.
pub const DEMO_API_KEY: &str = "0123456789abcdef0123456789abcdef";
/// Demo API key whose subscription still waits for activation. PUBLIC BY DESIGN.
pub const DEMO_PENDING_API_KEY: &str = "fedcba9876543210fedcba9876543210";
/// Demo cloud accounts of the default seed: Azure, Office365 and GCP are in the demo app's
/// scope, AWS is not; a rescan of the GCP account fails.
pub const DEMO_AZURE_ACCOUNT_ID: &str = "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3d11";
pub const DEMO_AWS_ACCOUNT_ID: &str = "b3d5f7a9-2c4e-4a6b-9d8f-0e1c2b3d4e22";
pub const DEMO_OFFICE_ACCOUNT_ID: &str = "c4e6a8b0-3d5f-4b7c-8e9a-1f2d3c4e5f33";
pub const DEMO_GCP_ACCOUNT_ID: &str = "d5f7b9c1-4e6a-4c8d-9f0b-2a3e4d5f6a44";

/// Every grant an application can be given, in the order of the documented `apis` list of
/// licenseAccounts' sample answer [page]. `Account.InsertKubernetesClusterData` opens no
/// public call.
pub const ALL_APIS: &[&str] = &[
    "Account.Audit",
    "Account.Health",
    "Account.Rescan",
    "Account.GetJobstatus",
    "Account.InsertKubernetesClusterData",
    "License.AddAccount",
    "License.UpdateAPIAccess",
    "License.GetAPIAccess",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    pub licenses: Vec<License>,
    pub api_applications: Vec<ApiApplication>,
    pub api_keys: Vec<ApiKey>,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct License {
    pub license_id: String,
    pub license_name: String,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    pub account_id: String,
    pub account_name: String,
    /// Azure, AWS, GCP, Office365 or Kubernetes, as the documentation names them.
    pub connector_type: String,
    /// How a rescan of this account ends; `Success` unless a seed wants to show a failure.
    #[serde(default = "default_outcome")]
    pub rescan_outcome: JobOutcome,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum JobOutcome {
    Success,
    Failed,
}

fn default_outcome() -> JobOutcome {
    JobOutcome::Success
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiApplication {
    pub app_id: String,
    pub name: String,
    pub license_id: String,
    pub secret: String,
    /// API names granted to the application (see [`ALL_APIS`]).
    pub apis: Vec<String>,
    /// Cloud accounts in the application's scope.
    pub account_ids: Vec<String>,
    /// The portal's "Token Expiry" setting.
    pub token_expiry_minutes: u32,
    /// Newer portals let the admin choose when the secret expires; `null` means never.
    #[serde(default)]
    pub secret_expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKey {
    /// The subscription key sent as `Ocp-Apim-Subscription-Key`.
    pub key: String,
    pub state: KeyState,
    #[serde(default)]
    pub owner: Option<String>,
    /// APIM `rate-limit-by-key`: at most `calls` per `renewalPeriodSeconds`; `null`, no limit.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    Active,
    /// Subscribed to the product, waiting for Cloudneeti's manual activation.
    Pending,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    pub calls: u32,
    pub renewal_period_seconds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// `jwt` (default) issues signed JWTs carrying `exp`; `opaque` issues random strings, since
    /// the real format is undocumented and clients must not depend on it.
    #[serde(default)]
    pub token_format: TokenFormat,
    /// Seconds a rescan job stays `New`, then `Running`, before it ends.
    #[serde(default = "default_job_new")]
    pub job_new_seconds: u32,
    #[serde(default = "default_job_running")]
    pub job_running_seconds: u32,
    /// Where a token answer carries the token. `result` (default) is what the vendor's own
    /// scripts read (`$response | Select-Object -Expand result`) [script]; `flat` is the token
    /// page's table, `token` beside `statusCode` [page]. Clients must read both.
    #[serde(default)]
    pub token_answer: TokenAnswer,
    /// Application refusals (not the gateway's) sent as HTTP 200 with the error's `statusCode`
    /// and `message` in the body. [assumed] The scripts show an error body's `message` and
    /// the envelope carries a `statusCode` of its own, so a client must not trust HTTP 200.
    #[serde(default)]
    pub errors_in_body: bool,
    /// Key casing of summaries and audit reports. `camel` (default) is what the vendor's
    /// scripts read (`$result.resourceCategories`) [script]; `pascal` is the audit report
    /// page's sample (`ResourceCategories`) [page]. PowerShell reads either, so must we.
    #[serde(default)]
    pub summary_case: KeyCase,
}

fn default_job_new() -> u32 {
    2
}

fn default_job_running() -> u32 {
    5
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            token_format: TokenFormat::default(),
            job_new_seconds: default_job_new(),
            job_running_seconds: default_job_running(),
            token_answer: TokenAnswer::default(),
            errors_in_body: false,
            summary_case: KeyCase::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TokenFormat {
    #[default]
    Jwt,
    Opaque,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TokenAnswer {
    #[default]
    Result,
    Flat,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KeyCase {
    #[default]
    Camel,
    Pascal,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the seed file {path} could not be read: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the seed file {path} is not a valid seed: {source}")]
    Parse { path: String, source: serde_json::Error },
    #[error("the seed is inconsistent: {0}")]
    Inconsistent(String),
}

impl Seed {
    /// The built-in demo: one license with Azure, AWS, Office365 and GCP accounts (AWS
    /// outside the app's scope, GCP's rescans failing), one API application granted every
    /// API (the vendor's scripts need `License.GetAPIAccess` and `Account.Audit`), an active
    /// and a pending API key.
    pub fn demo() -> Seed {
        let account = |id: &str, name: &str, connector: &str| Account {
            account_id: id.into(),
            account_name: name.into(),
            connector_type: connector.into(),
            rescan_outcome: JobOutcome::Success,
        };
        let failing = |account: Account| Account { rescan_outcome: JobOutcome::Failed, ..account };
        Seed {
            licenses: vec![License {
                license_id: DEMO_LICENSE_ID.into(),
                license_name: "Contoso demo license".into(),
                accounts: vec![
                    account(DEMO_AZURE_ACCOUNT_ID, "Contoso Azure production", "Azure"),
                    account(DEMO_AWS_ACCOUNT_ID, "Contoso AWS sandbox", "AWS"),
                    account(DEMO_OFFICE_ACCOUNT_ID, "Contoso Office 365", "Office365"),
                    failing(account(DEMO_GCP_ACCOUNT_ID, "Contoso GCP analytics", "GCP")),
                ],
            }],
            api_applications: vec![ApiApplication {
                app_id: DEMO_APP_ID.into(),
                name: "Demo reporting app".into(),
                license_id: DEMO_LICENSE_ID.into(),
                secret: DEMO_APP_SECRET.into(),
                apis: ALL_APIS.iter().map(|s| s.to_string()).collect(),
                account_ids: vec![
                    DEMO_AZURE_ACCOUNT_ID.into(),
                    DEMO_OFFICE_ACCOUNT_ID.into(),
                    DEMO_GCP_ACCOUNT_ID.into(),
                ],
                token_expiry_minutes: 60,
                secret_expires_at: None,
            }],
            api_keys: vec![
                ApiKey {
                    key: DEMO_API_KEY.into(),
                    state: KeyState::Active,
                    owner: Some("demo.admin@contoso.example".into()),
                    rate_limit: Some(RateLimit { calls: 600, renewal_period_seconds: 60 }),
                },
                ApiKey {
                    key: DEMO_PENDING_API_KEY.into(),
                    state: KeyState::Pending,
                    owner: Some("new.analyst@contoso.example".into()),
                    rate_limit: None,
                },
            ],
            settings: Settings::default(),
        }
    }

    pub fn from_file(path: &std::path::Path) -> Result<Seed, SeedError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|source| SeedError::Read { path: shown.clone(), source })?;
        let seed: Seed = serde_json::from_str(&text)
            .map_err(|source| SeedError::Parse { path: shown, source })?;
        seed.check()?;
        Ok(seed)
    }

    /// Refuses seeds whose references do not resolve, so a typo fails at start, not as a
    /// puzzling 404 in the middle of a test.
    pub fn check(&self) -> Result<(), SeedError> {
        for app in &self.api_applications {
            let license =
                self.licenses.iter().find(|l| l.license_id == app.license_id).ok_or_else(|| {
                    SeedError::Inconsistent(format!(
                        "application {} names license {}, which the seed does not have",
                        app.app_id, app.license_id
                    ))
                })?;
            for id in &app.account_ids {
                if !license.accounts.iter().any(|a| &a.account_id == id) {
                    return Err(SeedError::Inconsistent(format!(
                        "application {} has account {} in scope, which license {} does not have",
                        app.app_id, id, license.license_id
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_round_trips_through_json_and_is_consistent() {
        let seed = Seed::demo();
        seed.check().unwrap();
        let text = serde_json::to_string_pretty(&seed).unwrap();
        assert_eq!(serde_json::from_str::<Seed>(&text).unwrap(), seed);
        assert!(text.contains("\"licenseId\"") && text.contains("\"connectorType\""));
    }

    #[test]
    fn a_seed_naming_an_unknown_account_is_refused() {
        let mut seed = Seed::demo();
        seed.api_applications[0].account_ids.push("not-there".into());
        assert!(matches!(seed.check(), Err(SeedError::Inconsistent(_))));
    }
}
