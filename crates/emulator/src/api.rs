//! The emulated API: Azure API Management's checks in front, then Cloudneeti's rules.
//!
//! Every answer the documentation does not spell out (error statuses and messages of the
//! application rules, result shapes of the account calls) is an assumption; they are all in
//! this file and listed in docs/emulator.md, so a change of mind is one edit.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::posture::{self, Scan};
use crate::route::Route;
use crate::seed::{Account, JobOutcome, KeyCase, KeyState, License, TokenAnswer};
use crate::state::{Job, State};
use crate::token::{Claims, TokenCheck, TokenKind};

/// What the service answers; the server turns it into an HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub retry_after: Option<u64>,
}

impl Reply {
    fn ok(result: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: json!({"result": result, "statusCode": 200, "message": "Request Successful"}),
            retry_after: None,
        }
    }
}

/// Every refusal the emulator can give. Status and message together identify the rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    // Azure API Management (well-known APIM behaviour).
    MissingKey,
    InvalidKey,
    RateLimited { retry_after: u64 },
    ResourceNotFound,
    // Cloudneeti application rules (assumptions: the documentation does not give them).
    BadTokenRequest(String),
    UnknownLicense(String),
    WrongAppIdOrSecret,
    SecretRegenerated,
    SecretExpired,
    UnknownAccount(String),
    AccountNotInScope(String),
    ApiNotGranted(&'static str),
    BearerMissing,
    BearerInvalid,
    BearerExpired,
    TokenForOtherLicense,
    TokenForOtherAccount,
    LicenseTokenGiven,
    AccountTokenGiven,
    BadRequest(String),
    UnknownJob(String),
    UnknownBenchmark(String),
    ScanNotComplete(String),
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        use Refusal::*;
        match self {
            MissingKey | InvalidKey | WrongAppIdOrSecret | SecretRegenerated | SecretExpired
            | BearerMissing | BearerInvalid | BearerExpired => StatusCode::UNAUTHORIZED,
            RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ResourceNotFound | UnknownLicense(_) | UnknownAccount(_) | UnknownJob(_)
            | UnknownBenchmark(_) | ScanNotComplete(_) => StatusCode::NOT_FOUND,
            BadTokenRequest(_) | BadRequest(_) => StatusCode::BAD_REQUEST,
            AccountNotInScope(_) | ApiNotGranted(_) | TokenForOtherLicense
            | TokenForOtherAccount | LicenseTokenGiven | AccountTokenGiven => StatusCode::FORBIDDEN,
        }
    }

    pub fn message(&self) -> String {
        use Refusal::*;
        match self {
            MissingKey => "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.".into(),
            InvalidKey => "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.".into(),
            RateLimited { retry_after } => format!("Rate limit is exceeded. Try again in {retry_after} seconds."),
            ResourceNotFound => "Resource not found".into(),
            BadTokenRequest(why) => format!("Invalid request body: {why}. Expected {{\"APIApplicationId\": \"<id>\", \"Secret\": \"<secret>\"}}."),
            UnknownLicense(id) => format!("License {id} not found."),
            WrongAppIdOrSecret => "Invalid API application id or secret.".into(),
            SecretRegenerated => "The API application secret has been regenerated; the previous secret is no longer valid.".into(),
            SecretExpired => "The API application secret has expired.".into(),
            UnknownAccount(id) => format!("Account {id} not found in this license."),
            AccountNotInScope(id) => format!("Account {id} is not in the API application scope."),
            ApiNotGranted(api) => format!("The API application does not have access to {api}."),
            BearerMissing => "Authorization token is missing.".into(),
            BearerInvalid => "Authorization token is invalid.".into(),
            BearerExpired => "Authorization token has expired.".into(),
            TokenForOtherLicense => "The authorization token was not issued for this license.".into(),
            TokenForOtherAccount => "The authorization token was not issued for this account.".into(),
            LicenseTokenGiven => "This API requires an account token; a license token was provided.".into(),
            AccountTokenGiven => "This API requires a license token; an account token was provided.".into(),
            BadRequest(why) => format!("Invalid request: {why}."),
            UnknownJob(id) => format!("Job {id} not found."),
            UnknownBenchmark(id) => format!("Benchmark {id} not found for this account."),
            ScanNotComplete(id) => format!("No audit report for scan job {id}: the scan has not completed successfully."),
        }
    }

    /// Whether the Cloudneeti application answers this (not Azure API Management in front of
    /// it): only the application's answers can come as HTTP 200 with an error `statusCode`.
    fn is_application(&self) -> bool {
        !matches!(self, Refusal::MissingKey | Refusal::InvalidKey | Refusal::RateLimited { .. })
    }

    pub fn reply(&self) -> Reply {
        let status = self.status();
        Reply {
            status,
            body: json!({"statusCode": status.as_u16(), "message": self.message()}),
            retry_after: match self {
                Refusal::RateLimited { retry_after } => Some(*retry_after),
                _ => None,
            },
        }
    }
}

type Outcome = Result<Reply, Refusal>;

/// Answers one request to the emulated API (not the control surface).
pub fn handle(
    state: &mut State,
    route: &Route,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    match serve(state, route, query, headers, body) {
        Ok(reply) => reply,
        Err(refusal) if state.seed().settings.errors_in_body && refusal.is_application() => {
            let mut reply = refusal.reply();
            reply.status = StatusCode::OK;
            reply
        }
        Err(refusal) => refusal.reply(),
    }
}

fn serve(
    state: &mut State,
    route: &Route,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Outcome {
    if matches!(route, Route::Unknown | Route::Control) {
        return Err(Refusal::ResourceNotFound);
    }
    gateway(state, headers)?;
    match route {
        Route::Token { license_id } => issue_token(state, license_id, query, body),
        _ => {
            let claims = bearer(state, headers)?;
            authorize(state, route, &claims)?;
            call(state, route, query, body, &claims)
        }
    }
}

/// APIM: the subscription key must be present, known and active, and within its rate limit.
fn gateway(state: &mut State, headers: &HeaderMap) -> Result<(), Refusal> {
    let key = headers
        .get("ocp-apim-subscription-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or(Refusal::MissingKey)?;
    let now = state.now().timestamp();
    let record = state.keys.get_mut(key).ok_or(Refusal::InvalidKey)?;
    if record.key.state != KeyState::Active {
        return Err(Refusal::InvalidKey);
    }
    if let Some(limit) = record.key.rate_limit {
        let period = i64::from(limit.renewal_period_seconds.max(1));
        if now >= record.window_start + period {
            record.window_start = now;
            record.calls_in_window = 0;
        }
        if record.calls_in_window >= limit.calls {
            let retry_after = (record.window_start + period - now).max(1) as u64;
            return Err(Refusal::RateLimited { retry_after });
        }
        record.calls_in_window += 1;
    }
    Ok(())
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn issue_token(state: &mut State, license_id: &str, query: Option<&str>, body: &[u8]) -> Outcome {
    let fields: serde_json::Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(Refusal::BadTokenRequest("the body is not a JSON object".into())),
    };
    let field = |name: &str| -> Result<String, Refusal> {
        match fields.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            _ => Err(Refusal::BadTokenRequest(format!("{name} is missing or not a string"))),
        }
    };
    let (app_id, secret) = (field("APIApplicationId")?, field("Secret")?);
    let license =
        state.licenses.get(license_id).ok_or_else(|| Refusal::UnknownLicense(license_id.into()))?;
    let record = state
        .apps
        .get(&app_id)
        .filter(|r| r.app.license_id == license_id)
        .ok_or(Refusal::WrongAppIdOrSecret)?;
    if record.app.secret != secret {
        return Err(if record.retired_secrets.contains(&secret) {
            Refusal::SecretRegenerated
        } else {
            Refusal::WrongAppIdOrSecret
        });
    }
    let now = state.now();
    if record.app.secret_expires_at.is_some_and(|at| at <= now) {
        return Err(Refusal::SecretExpired);
    }
    let account_id = match query_param(query, "accountId") {
        None => None,
        Some("") => return Err(Refusal::BadRequest("accountId is empty".into())),
        Some(id) => {
            if !license.accounts.iter().any(|a| a.account_id == id) {
                return Err(Refusal::UnknownAccount(id.into()));
            }
            if !record.app.account_ids.iter().any(|a| a == id) {
                return Err(Refusal::AccountNotInScope(id.into()));
            }
            Some(id.to_string())
        }
    };
    let expiry = Duration::minutes(i64::from(record.app.token_expiry_minutes));
    let claims = Claims {
        iss: "cloudneeti-emulator".into(),
        sub: app_id,
        license_id: license_id.into(),
        account_id,
        iat: now.timestamp(),
        exp: (now + expiry).timestamp(),
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let token = state.tokens.issue(claims);
    let body = match state.seed().settings.token_answer {
        TokenAnswer::Result => {
            json!({"result": {"token": token}, "statusCode": 200, "message": "Request Successful"})
        }
        TokenAnswer::Flat => {
            json!({"token": token, "statusCode": 200, "message": "Request Successful"})
        }
    };
    Ok(Reply { status: StatusCode::OK, body, retry_after: None })
}

fn bearer(state: &State, headers: &HeaderMap) -> Result<Claims, Refusal> {
    let value = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(Refusal::BearerMissing)?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Refusal::BearerInvalid)?;
    match state.tokens.check(token, state.now().timestamp()) {
        TokenCheck::Valid(claims) => Ok(claims),
        TokenCheck::Expired => Err(Refusal::BearerExpired),
        TokenCheck::Invalid => Err(Refusal::BearerInvalid),
    }
}

/// Which token a route takes, and whether the token's app may call it.
fn authorize(state: &State, route: &Route, claims: &Claims) -> Result<(), Refusal> {
    let (license_id, account_id) = match route {
        Route::LicenseAccounts { license_id }
        | Route::UpdateApiAccess { license_id }
        | Route::AddAccount { license_id, .. } => (license_id, None),
        Route::Benchmarks { license_id, account_id }
        | Route::HealthStatus { license_id, account_id }
        | Route::Rescan { license_id, account_id }
        | Route::JobStatus { license_id, account_id, .. }
        | Route::Summary { license_id, account_id, .. }
        | Route::Audit { license_id, account_id, .. }
        | Route::FailedAssets { license_id, account_id } => (license_id, Some(account_id)),
        Route::Token { .. } | Route::Control | Route::Unknown => {
            return Err(Refusal::ResourceNotFound)
        }
    };
    if &claims.license_id != license_id {
        return Err(Refusal::TokenForOtherLicense);
    }
    match (account_id, claims.kind()) {
        (None, TokenKind::Account) => return Err(Refusal::AccountTokenGiven),
        (Some(_), TokenKind::License) => return Err(Refusal::LicenseTokenGiven),
        (Some(path_account), TokenKind::Account)
            if claims.account_id.as_deref() != Some(path_account.as_str()) =>
        {
            return Err(Refusal::TokenForOtherAccount)
        }
        _ => {}
    }
    let app = state.apps.get(&claims.sub).ok_or(Refusal::BearerInvalid)?;
    match route.required_api() {
        Some(api) if !app.app.apis.iter().any(|a| a == api) => Err(Refusal::ApiNotGranted(api)),
        _ => Ok(()),
    }
}

fn call(
    state: &mut State,
    route: &Route,
    query: Option<&str>,
    body: &[u8],
    claims: &Claims,
) -> Outcome {
    // Borrowed, and only the account a call names is cloned: a report asks a license of 200
    // or 2,000 accounts 400 or 4,000 times, and a copy of them all per call made the
    // emulator, not the client, what its benchmark measured (docs/performance.md).
    let license = state
        .licenses
        .get(&claims.license_id)
        .ok_or_else(|| Refusal::UnknownLicense(claims.license_id.clone()))?;
    let account = |id: &str| -> Result<Account, Refusal> {
        license
            .accounts
            .iter()
            .find(|a| a.account_id == id)
            .cloned()
            .ok_or_else(|| Refusal::UnknownAccount(id.into()))
    };
    let now = state.now();
    match route {
        Route::LicenseAccounts { license_id } => {
            let app = &state.apps[&claims.sub].app;
            let accounts: Vec<Value> = license
                .accounts
                .iter()
                .map(|a| {
                    json!({
                        "accountId": a.account_id,
                        "accountName": a.account_name,
                        "isInApiScope": app.account_ids.contains(&a.account_id),
                        "connectorType": a.connector_type,
                    })
                })
                .collect();
            Ok(Reply::ok(json!({"licenseId": license_id, "accounts": accounts, "apis": app.apis})))
        }
        Route::UpdateApiAccess { .. } => {
            let id = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => match map.get("accountId") {
                    Some(Value::String(id)) => id.clone(),
                    _ => return Err(Refusal::BadRequest("accountId is missing".into())),
                },
                _ => return Err(Refusal::BadRequest("the body is not a JSON object".into())),
            };
            account(&id)?;
            let app = &mut state.apps.get_mut(&claims.sub).expect("authorized app exists").app;
            if !app.account_ids.contains(&id) {
                app.account_ids.push(id);
            }
            Ok(Reply::ok(json!("Account Added")))
        }
        Route::AddAccount { license_id, cloud } => {
            let (connector_type, fields) = onboarding_fields(cloud);
            let name = required_fields(body, fields)?;
            let added = Account {
                account_id: uuid::Uuid::new_v4().to_string(),
                account_name: name,
                connector_type: connector_type.into(),
                rescan_outcome: JobOutcome::Success,
            };
            // Onboarding starts the account's first scan [page: the answer carries its jobId].
            let job_id = start_job(state, &claims.license_id, &added, now.timestamp());
            let result = json!({"accountId": added.account_id, "jobId": job_id});
            state
                .licenses
                .get_mut(license_id)
                .expect("authorized license exists")
                .accounts
                .push(added);
            Ok(Reply::ok(result))
        }
        Route::Benchmarks { account_id, .. } => {
            let account = account(account_id)?;
            let list: Vec<Value> = benchmarks_of(&account)
                .iter()
                .map(|(id, name)| json!({"name": name, "benchmarkId": id}))
                .collect();
            Ok(Reply::ok(Value::Array(list)))
        }
        Route::HealthStatus { account_id, .. } => {
            let account = account(account_id)?;
            let (_, scanned) = last_successful_scan(state, &account.account_id);
            let consumed =
                state.jobs.values().filter(|j| j.account_id == account.account_id).count();
            // The health page's sample [page]; the quota of 5 is the sample's, consumed
            // counts this emulator's scans of the account [ours].
            Ok(Reply::ok(json!({
                "prerequisites": posture::prerequisites(&account),
                "lastScannedTime": timestamp(scanned).map(rfc3339),
                "accountScanQuotaDetails": {"allocatedQuota": 5, "consumedQuota": consumed},
            })))
        }
        Route::Rescan { account_id, .. } => {
            let account = account(account_id)?;
            let job_id = start_job(state, &claims.license_id, &account, now.timestamp());
            Ok(Reply::ok(json!({"jobId": job_id})))
        }
        Route::JobStatus { job_id, .. } => {
            let job = find_job(state, job_id, claims)?;
            let status = job_status(state, job, now.timestamp());
            Ok(Reply::ok(json!({"jobId": job_id, "jobStatus": status})))
        }
        Route::Summary { account_id, benchmark_id, .. } => {
            let account = account(account_id)?;
            let (job_id, scanned) = match query_param(query, "jobId") {
                Some(id) => (id.to_string(), completed_scan(state, id, claims, now.timestamp())?),
                None => last_successful_scan(state, account_id),
            };
            summary(state, license, &account, benchmark_id, &job_id, scanned)
        }
        Route::Audit { account_id, job_id, benchmark_id, .. } => {
            let account = account(account_id)?;
            let scanned = completed_scan(state, job_id, claims, now.timestamp())?;
            summary(state, license, &account, benchmark_id, job_id, scanned)
        }
        Route::FailedAssets { account_id, .. } => {
            let account = account(account_id)?;
            failed_assets(state, &account, query)
        }
        Route::Token { .. } | Route::Control | Route::Unknown => Err(Refusal::ResourceNotFound),
    }
}

fn find_job<'a>(state: &'a State, job_id: &str, claims: &Claims) -> Result<&'a Job, Refusal> {
    state
        .jobs
        .get(job_id)
        .filter(|j| {
            j.license_id == claims.license_id && claims.account_id.as_ref() == Some(&j.account_id)
        })
        .ok_or_else(|| Refusal::UnknownJob(job_id.into()))
}

fn job_status(state: &State, job: &Job, now: i64) -> &'static str {
    let settings = &state.seed().settings;
    let elapsed = now - job.started;
    let new_until = i64::from(settings.job_new_seconds);
    let running_until = new_until + i64::from(settings.job_running_seconds);
    if elapsed < new_until {
        "New"
    } else if elapsed < running_until {
        "Running"
    } else {
        match job.outcome {
            JobOutcome::Success => "Success",
            JobOutcome::Failed => "Failed",
        }
    }
}

// Benchmark ids and names as the benchmarks page's sample answer gives them [page]; which
// connector offers which, from the summary page's "Cloudneeti supported benchmarks" table
// [page] (a subset). The AWS and Microsoft 365 CIS names are [ours] in the page's style; GCP
// and Kubernetes, absent from the table, get CSBP alone [ours].
const CSBP: (&str, &str) = ("CSBP", "Cloud Security Best Practices");
const PCI: (&str, &str) = ("PCI3_2", "PCI_DSS_3.2");
const HIPAA: (&str, &str) = ("HIPAA", "HIPAA Safeguards");
const GDPR: (&str, &str) = ("GDPR2016_679", "General Data Protection Regulation");
const NIST: (&str, &str) = ("NISTCSF1_1", "NIST Cybersecurity Framework1.1");
const ISO: (&str, &str) = ("ISO27001_2013", "ISO-IEC 27001-2013");
const SOC2: (&str, &str) = ("SOC2_AICPA_TSC_2017", "SOC2 - AICPA TSC 2017");

/// The compliance benchmarks a connector type offers, as `benchmarks` lists them.
fn benchmarks_of(account: &Account) -> &'static [(&'static str, &'static str)] {
    match account.connector_type.as_str() {
        "Azure" => &[
            ("AZFDCIS1_1_0", "CIS Azure Foundations Benchmark1.1.0"),
            CSBP,
            PCI,
            HIPAA,
            GDPR,
            NIST,
            ISO,
            SOC2,
        ],
        "AWS" => &[
            ("AWSFDCIS1_2_0", "CIS AWS Foundations Benchmark1.2.0"),
            CSBP,
            HIPAA,
            PCI,
            GDPR,
            ISO,
            SOC2,
            NIST,
        ],
        "Office365" => &[
            ("M365CIS1_1_0", "CIS Microsoft 365 Foundations Benchmark1.1.0"),
            CSBP,
            PCI,
            GDPR,
            HIPAA,
            NIST,
            ISO,
        ],
        _ => &[CSBP],
    }
}

/// A stable id for the scan every seeded account has had before the emulator started.
fn baseline_job_id(account_id: &str) -> String {
    let digest = Sha256::digest(account_id.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// Starts a scan of an account; it ends as the account's seed says.
fn start_job(state: &mut State, license_id: &str, account: &Account, now: i64) -> String {
    let job_id = uuid::Uuid::new_v4().to_string();
    state.jobs.insert(
        job_id.clone(),
        Job {
            license_id: license_id.into(),
            account_id: account.account_id.clone(),
            started: now,
            outcome: account.rescan_outcome,
        },
    );
    job_id
}

fn job_end(state: &State, job: &Job) -> i64 {
    let settings = &state.seed().settings;
    job.started + i64::from(settings.job_new_seconds) + i64::from(settings.job_running_seconds)
}

/// The scan a report without `jobId` shows: "the last successful scan job" [page], the
/// baseline scan before start when no rescan has succeeded.
fn last_successful_scan(state: &State, account_id: &str) -> (String, i64) {
    let now = state.now().timestamp();
    state
        .jobs
        .iter()
        .filter(|(_, j)| j.account_id == account_id && j.outcome == JobOutcome::Success)
        .map(|(id, j)| (id, job_end(state, j)))
        .filter(|(_, end)| *end <= now)
        .max_by_key(|(_, end)| *end)
        .map(|(id, end)| (id.clone(), end))
        .unwrap_or_else(|| (baseline_job_id(account_id), state.baseline_scan))
}

/// When a named scan ended; a report of a scan still running or failed is refused [ours].
fn completed_scan(state: &State, job_id: &str, claims: &Claims, now: i64) -> Result<i64, Refusal> {
    let job = find_job(state, job_id, claims)?;
    match job_status(state, job, now) {
        "Success" => Ok(job_end(state, job)),
        _ => Err(Refusal::ScanNotComplete(job_id.into())),
    }
}

fn benchmark_name(account: &Account, benchmark_id: &str) -> Result<&'static str, Refusal> {
    benchmarks_of(account)
        .iter()
        .find(|(id, _)| *id == benchmark_id)
        .map(|(_, name)| *name)
        .ok_or_else(|| Refusal::UnknownBenchmark(benchmark_id.into()))
}

/// The benchmark summary and audit report: the page's sample's fields [page], in the casing
/// the seed asks for.
fn summary(
    state: &State,
    license: &License,
    account: &Account,
    benchmark_id: &str,
    job_id: &str,
    scanned: i64,
) -> Outcome {
    let name = benchmark_name(account, benchmark_id)?;
    let (categories, posture) = Scan::new(account, benchmark_id, job_id).report();
    let cloud = posture::cloud_id(account);
    let cloud_of = |connector: &str| (account.connector_type == connector).then(|| cloud.clone());
    let scanned_at = timestamp(scanned).unwrap_or_else(Utc::now);
    let body = json!({
        "benchmarkName": name,
        "benchmarkId": benchmark_id,
        "accountId": account.account_id,
        "licenseId": license.license_id,
        "licenseName": license.license_name,
        "accountName": account.account_name,
        "connectorType": account.connector_type,
        "subscriptionId": cloud_of("Azure"),
        "awsAccountId": cloud_of("AWS"),
        "jobId": job_id,
        "resourceCategories": categories,
        "posture": posture,
        "lastScannedDateEpochTime": scanned as f64,
        "title": name,
        "lastScannedDate": scanned_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "longName": null,
        "timeToLive": null,
    });
    Ok(Reply::ok(match state.seed().settings.summary_case {
        KeyCase::Camel => body,
        KeyCase::Pascal => pascal_case(body),
    }))
}

/// Every key with its first letter upper-cased, as the page's PowerShell sample shows them.
fn pascal_case(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let mut chars = key.chars();
                    let key = chars
                        .next()
                        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default();
                    (key, pascal_case(value))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(pascal_case).collect()),
        other => other,
    }
}

/// The largest page the emulator serves; the vendor's script asks for 1000 [script], a
/// larger page is refused [ours].
const MAX_PAGE_SIZE: u64 = 1000;

/// `failedassets?benchmarkId=&pageNumber=&pageSize=` of the last successful scan: the
/// fields Generate-FailedAssetReport.ps1 reads, which pages while
/// `pageNumber * pageSize < failedAssetCount` [script]. A page past the end is empty [ours].
fn failed_assets(state: &State, account: &Account, query: Option<&str>) -> Outcome {
    let benchmark_id = query_param(query, "benchmarkId")
        .filter(|b| !b.is_empty())
        .ok_or_else(|| Refusal::BadRequest("benchmarkId is missing".into()))?;
    let number = |name: &str, default: u64| -> Result<u64, Refusal> {
        match query_param(query, name) {
            None => Ok(default),
            Some(v) => v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                Refusal::BadRequest(format!("{name} must be a whole number from 1"))
            }),
        }
    };
    let page_number = number("pageNumber", 1)?;
    let page_size = number("pageSize", MAX_PAGE_SIZE)?;
    if page_size > MAX_PAGE_SIZE {
        return Err(Refusal::BadRequest(format!("pageSize must be at most {MAX_PAGE_SIZE}")));
    }
    let name = benchmark_name(account, benchmark_id)?;
    let (job_id, _) = last_successful_scan(state, &account.account_id);
    let scan = Scan::new(account, benchmark_id, &job_id);
    let skip = (page_number - 1).saturating_mul(page_size);
    Ok(Reply::ok(json!({
        "failedAssetCount": scan.failed_asset_count(),
        "accountId": account.account_id,
        "accountName": account.account_name,
        "connectorType": account.connector_type,
        "benchMarkId": benchmark_id,
        "benchMarkName": name,
        "failedPolicyAssetsLists": scan.failed_assets(skip, page_size),
    })))
}

/// The connector type and required body fields of `account/{aws|azure|office}`, as the
/// onboarding page gives them (PascalCase) [page].
fn onboarding_fields(cloud: &str) -> (&'static str, &'static [&'static str]) {
    match cloud {
        "aws" => ("AWS", &["AccountName", "AWSAccountId", "AWSRoleName"]),
        "azure" => (
            "Azure",
            &[
                "AccountName",
                "DomainName",
                "TenantId",
                "ADApplicationClientId",
                "ADApplicationClientSecret",
                "SubscriptionId",
            ],
        ),
        _ => (
            "Office365",
            &[
                "AccountName",
                "DomainName",
                "TenantId",
                "ADApplicationClientId",
                "ADApplicationClientSecret",
            ],
        ),
    }
}

/// Checks that every required field is a non-empty string and returns `AccountName`. Field
/// names match whatever their case, as ASP.NET's model binding does [assumed].
fn required_fields(body: &[u8], fields: &[&str]) -> Result<String, Refusal> {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(Refusal::BadRequest("the body is not a JSON object".into())),
    };
    let get = |field: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(field))
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    if let Some(missing) = fields.iter().find(|f| get(f).is_none()) {
        return Err(Refusal::BadRequest(format!("{missing} is missing")));
    }
    Ok(get("AccountName").expect("checked above").to_string())
}

fn timestamp(t: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t, 0)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
