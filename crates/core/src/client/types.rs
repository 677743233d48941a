//! What the API's calls return, in the documentation's and the vendor scripts' field names.
//!
//! Every answer is read with keys matched whatever their case (`case_insensitive`), as the
//! scripts' PowerShell does. The fields a caller cannot do without are required (an id, a
//! list, the count that drives paging); the rest default when missing, and fields we do not
//! know are ignored, so a service that adds one does not break us.

use crate::model::KnownAccount;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "LicenseAccountsView"))]
pub struct LicenseAccounts {
    pub license_id: String,
    /// The same shape the profile keeps as its known accounts.
    pub accounts: Vec<KnownAccount>,
    /// The APIs granted to the calling API application.
    #[serde(default)]
    pub apis: Vec<String>,
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
        self.is_failed() || self.job_status == "Success"
    }

    /// The scan ended, and found nothing: Cloudneeti could not read the account.
    pub fn is_failed(&self) -> bool {
        self.job_status == "Failed"
    }
}

/// One entry of `benchmarks`: `[{name, benchmarkId}]` [page]; private benchmarks have GUID
/// ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Benchmark {
    pub benchmark_id: String,
    #[serde(default)]
    pub name: String,
}

/// A benchmark summary, or the audit report of one scan job: the audit report page's sample
/// [page], with the fields Generate-AuditReport.ps1 writes [script].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BenchmarkSummary {
    pub account_id: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub connector_type: String,
    pub benchmark_id: String,
    #[serde(default)]
    pub benchmark_name: String,
    #[serde(default)]
    pub job_id: Option<String>,
    pub resource_categories: Vec<ResourceCategory>,
    #[serde(default)]
    pub posture: Option<Posture>,
    #[serde(default)]
    pub last_scanned_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceCategory {
    #[serde(default)]
    pub category_name: String,
    #[serde(default)]
    pub policies: Vec<Policy>,
}

/// One policy's result. `riskProbability` is `" "` and `riskLevel` `""` for a Gray policy
/// (nothing to assess) [page sample].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub policy_id: String,
    #[serde(default)]
    pub short_title: String,
    #[serde(default)]
    pub compliance_number: String,
    #[serde(default, deserialize_with = "count")]
    pub total_resource_count: u64,
    #[serde(default, deserialize_with = "count")]
    pub passed_resource_count: u64,
    /// Green, Red, Amber or Gray.
    #[serde(default)]
    pub compliance: String,
    /// Critical, High, Moderate, Low or VeryLow.
    #[serde(default)]
    pub severity: String,
    /// Certain, High, Moderate or NotLikely.
    #[serde(default)]
    pub risk_probability: String,
    #[serde(default)]
    pub risk_level: String,
}

impl Policy {
    /// The script's "Failed Resource Count": total − passed [script]; never below zero, even
    /// if a service sends more passed than total.
    pub fn failed_resource_count(&self) -> u64 {
        self.total_resource_count.saturating_sub(self.passed_resource_count)
    }
}

/// Counts of policies by compliance; `compliancePercent` = green / (total − gray) × 100
/// [page sample].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Posture {
    #[serde(default, deserialize_with = "count")]
    pub total: u64,
    #[serde(default, deserialize_with = "count")]
    pub green: u64,
    #[serde(default, deserialize_with = "count")]
    pub red: u64,
    #[serde(default, deserialize_with = "count")]
    pub amber: u64,
    #[serde(default, deserialize_with = "count")]
    pub gray: u64,
    #[serde(default)]
    pub compliance_percent: f64,
}

/// One page of `failedassets` [script: the fields Generate-FailedAssetReport.ps1 reads,
/// spelled as it spells them: `benchMarkId`, `failedPolicyAssetsLists`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedAssetsPage {
    /// Of all pages; the script casts it with `[int]`, so a numeric string is read too.
    #[serde(deserialize_with = "count")]
    pub failed_asset_count: u64,
    #[serde(default)]
    pub account_id: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub connector_type: String,
    #[serde(default)]
    pub bench_mark_id: String,
    #[serde(default)]
    pub bench_mark_name: String,
    #[serde(default)]
    pub failed_policy_assets_lists: Vec<FailedAsset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedAsset {
    #[serde(default)]
    pub resource_name: String,
    #[serde(default)]
    pub resource_id: String,
    #[serde(default)]
    pub resource_type: String,
    #[serde(default)]
    pub resource_region: String,
    #[serde(default)]
    pub access_level: String,
    #[serde(default)]
    pub policy_id: String,
    #[serde(default)]
    pub short_title: String,
    #[serde(default)]
    pub category_name: String,
    #[serde(default)]
    pub impact: String,
    /// An object of tag names and values, as the script reads it [script]; kept as it comes,
    /// so a string or null from another service version does not fail the page.
    #[serde(default)]
    pub tags: Value,
}

/// `healthstatus` [page].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthStatus {
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    #[serde(default)]
    pub last_scanned_time: Option<String>,
    #[serde(default)]
    pub account_scan_quota_details: Option<ScanQuota>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prerequisite {
    pub name: String,
    /// "complete" or "incomplete" [page].
    #[serde(default)]
    pub is_healthy: String,
    #[serde(default)]
    pub description: String,
    /// A count or "All", as a string [page].
    #[serde(default, deserialize_with = "text")]
    pub no_of_policies: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub refer_link: String,
}

impl Prerequisite {
    pub fn is_complete(&self) -> bool {
        self.is_healthy.eq_ignore_ascii_case("complete")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanQuota {
    #[serde(default, deserialize_with = "count")]
    pub allocated_quota: u64,
    #[serde(default, deserialize_with = "count")]
    pub consumed_quota: u64,
}

/// What onboarding a cloud account answers: the new account and its first scan [page].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Onboarded {
    pub account_id: String,
    pub job_id: String,
}

/// A count sent as a number or as a numeric string (the scripts cast with `[int]`).
fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    use serde::de::Error;
    match Value::deserialize(deserializer)? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
            .ok_or_else(|| D::Error::custom(format!("{n} is not a count"))),
        Value::String(s) => {
            s.trim().parse().map_err(|_| D::Error::custom(format!("{s:?} is not a count")))
        }
        Value::Null => Ok(0),
        other => Err(D::Error::custom(format!("{other} is not a count"))),
    }
}

/// A string that a service may also send as a number.
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}
