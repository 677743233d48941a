//! What the API's calls return, in the documentation's field names.
//!
//! Documented shapes are strict (a missing field is a malformed answer); the shapes the
//! documentation does not give (benchmarks, health, summaries) are kept as they arrive.

use serde::{Deserialize, Serialize};

/// A token answer. The vendor's scripts read the token inside `result`, as every other call
/// answers [script]; the token page's table puts it beside `statusCode` [page]. Both are read,
/// `result` first.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenResponse {
    #[serde(default)]
    pub result: Option<TokenResult>,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenResult {
    #[serde(default)]
    pub token: Option<String>,
}

impl TokenResponse {
    pub fn into_token(self) -> Option<String> {
        let nested = self.result.and_then(|r| r.token);
        nested.or(self.token).filter(|t| !t.is_empty())
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Wrapped<T> {
    pub result: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseAccounts {
    pub license_id: String,
    pub accounts: Vec<LicenseAccount>,
    /// The APIs granted to the calling API application.
    #[serde(default)]
    pub apis: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseAccount {
    pub account_id: String,
    pub account_name: String,
    pub is_in_api_scope: bool,
    pub connector_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RescanStarted {
    pub job_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobState {
    /// Pending, New, Running, Success or Failed.
    pub job_status: String,
}

impl JobState {
    pub fn is_finished(&self) -> bool {
        matches!(self.job_status.as_str(), "Success" | "Failed")
    }
}
