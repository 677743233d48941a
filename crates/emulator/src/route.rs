//! Which documented endpoint a request is for, decided from its method and path alone.
//!
//! One parser serves routing, fault matching and the request log, so the three never
//! disagree about what a request was.

use http::Method;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `POST /authorize/license/{licenseId}/token[?accountId=]`
    Token { license_id: String },
    /// `GET /onboarding/license/{licenseId}/licenseAccounts`
    LicenseAccounts { license_id: String },
    /// `PUT /onboarding/license/{licenseId}/config`
    UpdateApiAccess { license_id: String },
    /// `POST /onboarding/license/{licenseId}/account/{aws|azure|office}`
    AddAccount { license_id: String, cloud: String },
    /// `GET /audit/license/{licenseId}/account/{accountId}/benchmarks`
    Benchmarks { license_id: String, account_id: String },
    /// `GET /audit/license/{licenseId}/account/{accountId}/healthstatus`
    HealthStatus { license_id: String, account_id: String },
    /// `GET /compliance/license/{licenseId}/account/{accountId}/rescan`
    Rescan { license_id: String, account_id: String },
    /// `GET /compliance/license/{licenseId}/account/{accountId}/job/{jobId}/status`
    JobStatus { license_id: String, account_id: String, job_id: String },
    /// `GET /audit/license/{licenseId}/account/{accountId}/benchmark/{benchmarkId}/summary`
    Summary { license_id: String, account_id: String, benchmark_id: String },
    /// `GET /audit/license/{licenseId}/account/{accountId}/job/{jobId}/benchmark/{benchmarkId}/summary`
    Audit { license_id: String, account_id: String, job_id: String, benchmark_id: String },
    /// `GET /audit/license/{licenseId}/account/{accountId}/failedassets?benchmarkId=&pageNumber=&pageSize=`
    /// [script: Generate-FailedAssetReport.ps1; no documentation page]
    FailedAssets { license_id: String, account_id: String },
    /// Anything under `/_emulator/`: the control surface, not part of the emulated API.
    Control,
    /// A path the API does not have (APIM answers 404 before checking the key).
    Unknown,
}

impl Route {
    pub fn parse(method: &Method, path: &str) -> Route {
        if path == "/_emulator" || path.starts_with("/_emulator/") {
            return Route::Control;
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let s = |v: &str| v.to_string();
        match (method.as_str(), segments.as_slice()) {
            ("POST", ["authorize", "license", lic, "token"]) => Route::Token { license_id: s(lic) },
            ("GET", ["onboarding", "license", lic, "licenseAccounts"]) => {
                Route::LicenseAccounts { license_id: s(lic) }
            }
            ("PUT", ["onboarding", "license", lic, "config"]) => {
                Route::UpdateApiAccess { license_id: s(lic) }
            }
            (
                "POST",
                ["onboarding", "license", lic, "account", cloud @ ("aws" | "azure" | "office")],
            ) => Route::AddAccount { license_id: s(lic), cloud: s(cloud) },
            ("GET", ["audit", "license", lic, "account", acc, "benchmarks"]) => {
                Route::Benchmarks { license_id: s(lic), account_id: s(acc) }
            }
            ("GET", ["audit", "license", lic, "account", acc, "healthstatus"]) => {
                Route::HealthStatus { license_id: s(lic), account_id: s(acc) }
            }
            ("GET", ["audit", "license", lic, "account", acc, "failedassets"]) => {
                Route::FailedAssets { license_id: s(lic), account_id: s(acc) }
            }
            ("GET", ["compliance", "license", lic, "account", acc, "rescan"]) => {
                Route::Rescan { license_id: s(lic), account_id: s(acc) }
            }
            ("GET", ["compliance", "license", lic, "account", acc, "job", job, "status"]) => {
                Route::JobStatus { license_id: s(lic), account_id: s(acc), job_id: s(job) }
            }
            ("GET", ["audit", "license", lic, "account", acc, "benchmark", bm, "summary"]) => {
                Route::Summary { license_id: s(lic), account_id: s(acc), benchmark_id: s(bm) }
            }
            (
                "GET",
                ["audit", "license", lic, "account", acc, "job", job, "benchmark", bm, "summary"],
            ) => Route::Audit {
                license_id: s(lic),
                account_id: s(acc),
                job_id: s(job),
                benchmark_id: s(bm),
            },
            _ => Route::Unknown,
        }
    }

    /// The short name used to aim faults at a route and to label the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Route::Token { .. } => "token",
            Route::LicenseAccounts { .. } => "licenseAccounts",
            Route::UpdateApiAccess { .. } => "updateApiAccess",
            Route::AddAccount { .. } => "addAccount",
            Route::Benchmarks { .. } => "benchmarks",
            Route::HealthStatus { .. } => "healthStatus",
            Route::Rescan { .. } => "rescan",
            Route::JobStatus { .. } => "jobStatus",
            Route::Summary { .. } => "summary",
            Route::Audit { .. } => "audit",
            Route::FailedAssets { .. } => "failedAssets",
            Route::Control => "control",
            Route::Unknown => "unknown",
        }
    }

    /// The grant an application needs to call this route (cloudneeti-api.md, "Grants"). These
    /// are the names of the portal's picker and of `licenseAccounts`' `apis` [page, shot], not
    /// the documentation's page titles: the vendor's scripts require `License.GetAPIAccess` to
    /// list accounts and `Account.Audit` for summaries and failed assets [script]. Health under
    /// `Account.Health` is [assumed] from the documented `apis` list.
    pub fn required_api(&self) -> Option<&'static str> {
        match self {
            Route::LicenseAccounts { .. } => Some("License.GetAPIAccess"),
            Route::UpdateApiAccess { .. } => Some("License.UpdateAPIAccess"),
            Route::AddAccount { .. } => Some("License.AddAccount"),
            Route::Benchmarks { .. }
            | Route::Audit { .. }
            | Route::Summary { .. }
            | Route::FailedAssets { .. } => Some("Account.Audit"),
            Route::HealthStatus { .. } => Some("Account.Health"),
            Route::Rescan { .. } => Some("Account.Rescan"),
            Route::JobStatus { .. } => Some("Account.GetJobstatus"),
            Route::Token { .. } | Route::Control | Route::Unknown => None,
        }
    }

    /// All route names a fault may target (besides `*`).
    pub const NAMES: &'static [&'static str] = &[
        "token",
        "licenseAccounts",
        "updateApiAccess",
        "addAccount",
        "benchmarks",
        "healthStatus",
        "rescan",
        "jobStatus",
        "summary",
        "audit",
        "failedAssets",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_paths_parse_and_others_do_not() {
        let token = Route::parse(&Method::POST, "/authorize/license/L/token");
        assert_eq!(token, Route::Token { license_id: "L".into() });
        assert_eq!(Route::parse(&Method::GET, "/authorize/license/L/token"), Route::Unknown);
        let audit =
            Route::parse(&Method::GET, "/audit/license/L/account/A/job/J/benchmark/B/summary");
        assert_eq!(audit.name(), "audit");
        assert_eq!(Route::parse(&Method::GET, "/_emulator/requests"), Route::Control);
        assert_eq!(
            Route::parse(&Method::GET, "/onboarding/license/L/licenseaccounts"),
            Route::Unknown
        );
        for name in Route::NAMES {
            assert!(!name.is_empty());
        }
    }
}
