//! The Cloudneeti API client: tokens and the calls that use them.
//!
//! The rules (docs/architecture.md, "HTTP client rules"): rustls with the platform's trust
//! store plus any extra root a caller adds; proxies from the environment, never for loopback;
//! redirects are never followed, because the subscription key must reach no other host; connect
//! and total timeouts; answers larger than a cap are refused; 429 and 503 are retried a bounded
//! number of times honouring `Retry-After`; every failure is one `Error`. Nothing here logs.

mod case_insensitive;
mod rules;
mod token;
mod types;

pub use rules::{redact, Call, Redactor};
pub use token::{AccessToken, TokenKind};
pub use types::{
    Benchmark, BenchmarkSummary, FailedAsset, FailedAssetsPage, HealthStatus, JobState,
    LicenseAccounts, Onboarded, Policy, Posture, Prerequisite, RescanStarted, ResourceCategory,
    ScanQuota,
};

use chrono::{Duration as Lifetime, Utc};
use futures_util::StreamExt;
pub use reqwest::Method;
use reqwest::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::time::Duration;

use crate::model::BaseUrl;
use crate::{Error, Result, Secret};

/// What a token request needs. Borrowed, so the secrets stay where the caller keeps them.
pub struct Credentials<'a> {
    pub api_key: &'a Secret,
    pub app_id: &'a str,
    pub app_secret: &'a Secret,
}

/// A wait the client is about to make because the service said "later" (429, or 503), so a
/// front end can say what it waits for instead of hanging in silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitNotice {
    /// 429 (rate limit) or 503 (unavailable).
    pub status: u16,
    pub seconds: u64,
    /// This retry, from 1, of at most `of`.
    pub attempt: u32,
    pub of: u32,
    /// Longer waits than this are not made: the error then says how long was asked for.
    pub max_wait_secs: u64,
}

impl WaitNotice {
    /// What the service's answer means, for a person: the same words in every front end.
    pub fn describe(&self) -> String {
        let why = if self.status == 429 {
            "it is rate limiting this API key"
        } else {
            "it is unavailable"
        };
        format!(
            "The service asked to retry later ({why}, HTTP {}): waiting {} s, retry {} of {}. Waits over {} s are not made.",
            self.status, self.seconds, self.attempt, self.of, self.max_wait_secs
        )
    }
}

/// Who hears of each wait (`ClientOptions::on_wait`).
#[derive(Clone)]
pub struct OnWait(pub std::sync::Arc<dyn Fn(&WaitNotice) + Send + Sync>);

impl std::fmt::Debug for OnWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnWait(..)")
    }
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// For a whole request, answer included.
    pub timeout: Duration,
    pub max_response_bytes: usize,
    /// Retries of a 429 or 503 answer.
    pub max_retries: u32,
    /// A `Retry-After` longer than this is not waited for; the error says how long instead.
    pub max_retry_wait: Duration,
    /// Extra trusted roots (PEM), e.g. the emulator's CA in TLS mode; added to the system's.
    pub extra_root_pem: Option<String>,
    /// Lifetime assumed for tokens that do not carry `exp` (the profile's "Token Expiry").
    pub token_lifetime: Option<Lifetime>,
    /// Account tokens requested at once by `account_tokens`.
    pub concurrency: usize,
    /// Told of every wait before it is made.
    pub on_wait: Option<OnWait>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_response_bytes: 4 * 1024 * 1024,
            max_retries: 3,
            max_retry_wait: Duration::from_secs(30),
            extra_root_pem: None,
            token_lifetime: None,
            concurrency: 16,
            on_wait: None,
        }
    }
}

/// A cloud account to onboard (`License.AddAccount`), with the fields the onboarding page
/// gives for each cloud [page]. The Azure and Microsoft 365 connectors carry the customer's
/// Azure AD application secret: a `Secret`, sent in the body and nowhere else.
pub enum NewCloudAccount {
    Aws { account_name: String, aws_account_id: String, aws_role_name: String },
    Azure { account_name: String, directory: AzureDirectory, subscription_id: String },
    Office { account_name: String, directory: AzureDirectory },
}

/// The Azure AD application through which Cloudneeti reads an Azure or Microsoft 365 tenant.
pub struct AzureDirectory {
    pub domain_name: String,
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: Secret,
}

impl NewCloudAccount {
    fn segment(&self) -> &'static str {
        match self {
            NewCloudAccount::Aws { .. } => "aws",
            NewCloudAccount::Azure { .. } => "azure",
            NewCloudAccount::Office { .. } => "office",
        }
    }

    /// The page's PascalCase body [page].
    fn body(&self) -> Value {
        let directory = |name: &str, d: &AzureDirectory| {
            json!({
                "AccountName": name,
                "DomainName": d.domain_name,
                "TenantId": d.tenant_id,
                "ADApplicationClientId": d.client_id,
                "ADApplicationClientSecret": d.client_secret.expose(),
            })
        };
        match self {
            NewCloudAccount::Aws { account_name, aws_account_id, aws_role_name } => json!({
                "AccountName": account_name,
                "AWSAccountId": aws_account_id,
                "AWSRoleName": aws_role_name,
            }),
            NewCloudAccount::Azure { account_name, directory: d, subscription_id } => {
                let mut body = directory(account_name, d);
                body["SubscriptionId"] = json!(subscription_id);
                body
            }
            NewCloudAccount::Office { account_name, directory: d } => directory(account_name, d),
        }
    }
}

/// The page size Generate-FailedAssetReport.ps1 asks for [script], which this client uses
/// too: fewer, larger answers.
pub const FAILED_ASSETS_PAGE_SIZE: u64 = 1000;

/// The most failed assets `all_failed_assets` reads: a count beyond it is refused rather than
/// trusted to size hundreds of requests and the memory they fill.
pub const MAX_FAILED_ASSETS: u64 = 500_000;

/// Every failed asset of a benchmark, all pages together.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedAssets {
    /// The first page's header (count, account, benchmark), with every page's assets.
    pub page: FailedAssetsPage,
    pub pages: u64,
}

/// One client per API base URL: it owns the connection pool every call shares.
pub struct ApiClient {
    http: reqwest::Client,
    base: BaseUrl,
    host: String,
    options: ClientOptions,
}

impl ApiClient {
    pub fn new(base: BaseUrl, options: ClientOptions) -> Result<ApiClient> {
        // reqwest is built without a default crypto provider; the process-wide one is ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = reqwest::Url::parse(base.as_str()).map_err(|e| {
            Error::invalid("base URL", e.to_string(), "Check the environment's address.")
        })?;
        let host = url.host_str().unwrap_or_default().to_string();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .user_agent(concat!("cloudneeti-access/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&url) {
            builder = builder.no_proxy();
        }
        if let Some(pem) = &options.extra_root_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| {
                Error::invalid("trusted certificate", e.to_string(), "Give a PEM certificate file.")
            })?;
            builder = builder.tls_certs_merge(certs);
        }
        let http =
            builder.build().map_err(|e| Error::Tls { host: host.clone(), detail: chain(&e) })?;
        Ok(ApiClient { http, base, host, options })
    }

    /// `POST /authorize/license/{licenseId}/token`
    pub async fn license_token(
        &self,
        creds: &Credentials<'_>,
        license_id: &str,
    ) -> Result<AccessToken> {
        self.token(creds, license_id, None).await
    }

    /// `POST /authorize/license/{licenseId}/token?accountId={accountId}`
    pub async fn account_token(
        &self,
        creds: &Credentials<'_>,
        license_id: &str,
        account_id: &str,
    ) -> Result<AccessToken> {
        self.token(creds, license_id, Some(account_id)).await
    }

    /// Many account tokens over one connection pool, at most `concurrency` at once. Results
    /// come in input order; one failure does not stop the others.
    pub async fn account_tokens(
        &self,
        creds: &Credentials<'_>,
        license_id: &str,
        account_ids: &[String],
    ) -> Vec<Result<AccessToken>> {
        futures_util::stream::iter(account_ids)
            .map(|id| self.token(creds, license_id, Some(id)))
            .buffered(self.options.concurrency.max(1))
            .collect()
            .await
    }

    async fn token(
        &self,
        creds: &Credentials<'_>,
        license_id: &str,
        account_id: Option<&str>,
    ) -> Result<AccessToken> {
        let mut path = format!("/authorize/license/{}/token", segment(license_id));
        if let Some(account) = account_id {
            path.push_str(&format!("?accountId={}", segment(account)));
        }
        let body = json!({"APIApplicationId": creds.app_id, "Secret": creds.app_secret.expose()});
        let call = Call::Token { license_id, account_id };
        let obtained_at = Utc::now();
        let (upper, lower) = key_cases(creds.api_key);
        let hidden = [creds.api_key, &upper, &lower, creds.app_secret];
        let answer: types::TokenResponse =
            self.send(Method::POST, &path, creds.api_key, None, Some(&body), call, &hidden).await?;
        let message = answer.message.clone().filter(|m| !m.trim().is_empty());
        let value = answer.into_token().ok_or_else(|| Error::MalformedResponse {
            detail: match message {
                Some(m) => format!(
                    "the answer has no token; the service said: {}",
                    rules::detail(&rules::redact(&m, &hidden))
                ),
                None => "the answer has no token".into(),
            },
        })?;
        if !crate::token_policy::is_well_formed(&value) {
            return Err(Error::MalformedResponse {
                detail: "the token holds characters no token has (only letters, digits and - _ . ~ + / = are)".into(),
            });
        }
        let token = AccessToken::new(
            Secret::new(value),
            license_id,
            account_id,
            obtained_at,
            self.options.token_lifetime,
        );
        // Never hand out a token that is dead on arrival: its `exp` is already past by this
        // computer's clock, so one of the two clocks is wrong.
        match token.expires_at {
            Some(expired_at) if expired_at <= Utc::now() => {
                Err(Error::TokenExpiredOnArrival { expired_at })
            }
            _ => Ok(token),
        }
    }

    /// `GET /onboarding/license/{licenseId}/licenseAccounts` (license token).
    pub async fn license_accounts(
        &self,
        api_key: &Secret,
        token: &AccessToken,
    ) -> Result<LicenseAccounts> {
        let path = format!("/onboarding/license/{}/licenseAccounts", segment(&token.license_id));
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `PUT /onboarding/license/{licenseId}/config`: adds an account to the app's scope.
    pub async fn update_api_access(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        account_id: &str,
    ) -> Result<String> {
        let path = format!("/onboarding/license/{}/config", segment(&token.license_id));
        let body = json!({"accountId": account_id});
        self.data(Method::PUT, &path, api_key, token, Some(&body)).await
    }

    /// `POST /onboarding/license/{licenseId}/account/{aws|azure|office}` (license token): adds
    /// a cloud account to the license and starts its first scan [page]. It stays outside the
    /// app's scope until `update_api_access` [assumed].
    pub async fn add_account(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        account: &NewCloudAccount,
    ) -> Result<Onboarded> {
        let path = format!(
            "/onboarding/license/{}/account/{}",
            segment(&token.license_id),
            account.segment()
        );
        self.data(Method::POST, &path, api_key, token, Some(&account.body())).await
    }

    /// `GET /audit/license/{l}/account/{a}/benchmarks` (account token).
    pub async fn benchmarks(
        &self,
        api_key: &Secret,
        token: &AccessToken,
    ) -> Result<Vec<Benchmark>> {
        let path = format!("{}/benchmarks", self.account_path("audit", token)?);
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /audit/license/{l}/account/{a}/healthstatus` (account token).
    pub async fn health_status(
        &self,
        api_key: &Secret,
        token: &AccessToken,
    ) -> Result<HealthStatus> {
        let path = format!("{}/healthstatus", self.account_path("audit", token)?);
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /compliance/license/{l}/account/{a}/rescan` (account token).
    pub async fn rescan(&self, api_key: &Secret, token: &AccessToken) -> Result<RescanStarted> {
        let path = format!("{}/rescan", self.account_path("compliance", token)?);
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /compliance/license/{l}/account/{a}/job/{jobId}/status` (account token).
    pub async fn job_status(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        job_id: &str,
    ) -> Result<JobState> {
        let path =
            format!("{}/job/{}/status", self.account_path("compliance", token)?, segment(job_id));
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /audit/license/{l}/account/{a}/benchmark/{b}/summary[?jobId=]` (account token);
    /// without a job, the last successful scan [page].
    pub async fn benchmark_summary(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        benchmark_id: &str,
        job_id: Option<&str>,
    ) -> Result<BenchmarkSummary> {
        let mut path = format!(
            "{}/benchmark/{}/summary",
            self.account_path("audit", token)?,
            segment(benchmark_id)
        );
        if let Some(job) = job_id {
            path.push_str(&format!("?jobId={}", segment(job)));
        }
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /audit/license/{l}/account/{a}/job/{j}/benchmark/{b}/summary`: the audit report of
    /// one scan job (account token).
    pub async fn audit_report(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        job_id: &str,
        benchmark_id: &str,
    ) -> Result<BenchmarkSummary> {
        let path = format!(
            "{}/job/{}/benchmark/{}/summary",
            self.account_path("audit", token)?,
            segment(job_id),
            segment(benchmark_id)
        );
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /audit/license/{l}/account/{a}/failedassets?benchmarkId=&pageNumber=&pageSize=`:
    /// one page (account token) [script].
    pub async fn failed_assets_page(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        benchmark_id: &str,
        page_number: u64,
    ) -> Result<FailedAssetsPage> {
        let path = format!(
            "{}/failedassets?benchmarkId={}&pageNumber={page_number}&pageSize={FAILED_ASSETS_PAGE_SIZE}",
            self.account_path("audit", token)?,
            segment(benchmark_id),
        );
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// Every page of failed assets. The script reads page 1, then pages 2 to
    /// ceil(failedAssetCount / pageSize) one after another [script]; this asks for the later
    /// pages at once (at most `concurrency` in flight), and keeps them in page order.
    pub async fn all_failed_assets(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        benchmark_id: &str,
    ) -> Result<FailedAssets> {
        let mut first = self.failed_assets_page(api_key, token, benchmark_id, 1).await?;
        let count = first.failed_asset_count;
        if count > MAX_FAILED_ASSETS {
            return Err(Error::MalformedResponse {
                detail: format!(
                    "the service reports {count} failed assets, more than the {MAX_FAILED_ASSETS} this tool reads at once"
                ),
            });
        }
        let pages = count.div_ceil(FAILED_ASSETS_PAGE_SIZE).max(1);
        let rest: Vec<Result<FailedAssetsPage>> = futures_util::stream::iter(2..=pages)
            .map(|n| self.failed_assets_page(api_key, token, benchmark_id, n))
            .buffered(self.options.concurrency.max(1))
            .collect()
            .await;
        let oversized = |page: &FailedAssetsPage| {
            (page.failed_policy_assets_lists.len() as u64 > FAILED_ASSETS_PAGE_SIZE).then(|| {
                Error::MalformedResponse {
                    detail: format!(
                        "a page holds more than the {FAILED_ASSETS_PAGE_SIZE} assets asked for"
                    ),
                }
            })
        };
        if let Some(e) = oversized(&first) {
            return Err(e);
        }
        for page in rest {
            let page = page?;
            if let Some(e) = oversized(&page) {
                return Err(e);
            }
            first.failed_policy_assets_lists.extend(page.failed_policy_assets_lists);
        }
        Ok(FailedAssets { page: first, pages })
    }

    /// Any data call, `path_and_query` relative to the base URL, answered as the service's
    /// whole JSON (envelope included), for `cnaccess api`. Refusals are read as for every
    /// other call; `statusCode` inside a 2xx answer included.
    pub async fn call(
        &self,
        method: Method,
        path_and_query: &str,
        api_key: &Secret,
        token: &AccessToken,
        body: Option<&Value>,
    ) -> Result<Value> {
        let call =
            Call::Data { license_id: &token.license_id, account_id: token.account_id.as_deref() };
        let (upper, lower) = key_cases(api_key);
        let hidden = [api_key, &upper, &lower, &token.value];
        self.send(method, path_and_query, api_key, Some(&token.value), body, call, &hidden).await
    }

    fn account_path(&self, area: &str, token: &AccessToken) -> Result<String> {
        let account = token.account_id.as_deref().ok_or(Error::WrongTokenKind {
            needed: "an account",
            given: "a license",
            said: crate::error::Said::nothing(),
        })?;
        Ok(format!("/{area}/license/{}/account/{}", segment(&token.license_id), segment(account)))
    }

    async fn data<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        api_key: &Secret,
        token: &AccessToken,
        body: Option<&Value>,
    ) -> Result<T> {
        let call =
            Call::Data { license_id: &token.license_id, account_id: token.account_id.as_deref() };
        let (upper, lower) = key_cases(api_key);
        let hidden = [api_key, &upper, &lower, &token.value];
        let wrapped: types::Wrapped<T> =
            self.send(method, path, api_key, Some(&token.value), body, call, &hidden).await?;
        Ok(wrapped.result)
    }

    /// One call with the retry policy; the answer parsed as `T` on success. A service may
    /// echo what it received, so its words reach an error only with the `hidden` secrets
    /// replaced.
    #[allow(clippy::too_many_arguments)]
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        api_key: &Secret,
        bearer: Option<&Secret>,
        body: Option<&Value>,
        call: Call<'_>,
        hidden: &[&Secret],
    ) -> Result<T> {
        let url = format!("{}{}", self.base, path);
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header("Ocp-Apim-Subscription-Key", api_key.expose())
                .header(header::ACCEPT, "application/json");
            if let Some(token) = bearer {
                request = request.bearer_auth(token.expose());
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.map_err(|e| self.transport(&e))?;
            let status = response.status();
            let retry_after = retry_after(&response);
            let location = response.headers().get(header::LOCATION).cloned();
            let bytes = self.read_capped(response).await?;
            if status.is_success() {
                return parse_success(&bytes, call, hidden);
            }
            if status.is_redirection() {
                let location = location
                    .and_then(|l| l.to_str().ok().map(|l| rules::detail(&rules::redact(l, hidden))))
                    .unwrap_or_else(|| "an unnamed place".into());
                return Err(Error::Redirect { location });
            }
            let retryable =
                matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE);
            let wait = retry_after.unwrap_or(Duration::from_secs(1 << attempt.min(4)));
            if retryable
                && attempt < self.options.max_retries
                && wait <= self.options.max_retry_wait
            {
                attempt += 1;
                if let Some(OnWait(tell)) = &self.options.on_wait {
                    tell(&WaitNotice {
                        status: status.as_u16(),
                        seconds: wait.as_secs().max(1),
                        attempt,
                        of: self.options.max_retries,
                        max_wait_secs: self.options.max_retry_wait.as_secs(),
                    });
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            let message = rules::redact(&service_message(&bytes), hidden);
            return Err(refused(status.as_u16(), &message, call, retry_after));
        }
    }

    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>> {
        let limit = self.options.max_response_bytes;
        if response.content_length().is_some_and(|len| len as usize > limit) {
            return Err(Error::ResponseTooLarge { limit_bytes: limit });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(&e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(Error::ResponseTooLarge { limit_bytes: limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn transport(&self, e: &reqwest::Error) -> Error {
        let host = self.host.clone();
        let text = chain(e);
        let lower = text.to_ascii_lowercase();
        if e.is_timeout() {
            Error::Timeout { host }
        } else if e.is_body() || e.is_decode() {
            Error::MalformedResponse { detail: "the answer was cut short".into() }
        } else if lower.contains("dns error") || lower.contains("failed to lookup") {
            Error::Dns { host }
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            Error::Tls { host, detail: rules::detail(&text) }
        } else if lower.contains("connection closed before message completed")
            || lower.contains("connection reset")
        {
            Error::Connect {
                host,
                detail: "the connection was closed before an answer arrived".into(),
            }
        } else {
            Error::Connect { host, detail: rules::detail(&text) }
        }
    }
}

/// The key in both cases: it is hex, and a service may echo it in either.
fn key_cases(key: &Secret) -> (Secret, Secret) {
    (Secret::new(key.expose().to_uppercase()), Secret::new(key.expose().to_lowercase()))
}

/// The error and its causes in one line; reqwest errors name the URL, never a header.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// An HTTP 2xx answer: refused all the same when its own `statusCode` says so (the envelope
/// every call answers with carries one [page, script]), else parsed as `T`.
fn parse_success<T: DeserializeOwned>(
    bytes: &[u8],
    call: Call<'_>,
    hidden: &[&Secret],
) -> Result<T> {
    let malformed = |e: serde_json::Error| Error::MalformedResponse {
        // serde quotes the value it could not read, which a service may have filled with
        // anything, a secret included: its words are kept, the value is not.
        detail: format!(
            "the answer is not the expected JSON ({})",
            rules::detail(&crate::text::without_values(&e.to_string()))
        ),
    };
    let value: Value = serde_json::from_slice(bytes).map_err(malformed)?;
    let field = |name: &str| {
        value.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    };
    let inner_status = field("statusCode").and_then(Value::as_u64);
    if let Some(code) = inner_status.filter(|c| !(200..300).contains(c)) {
        let message = field("message").and_then(Value::as_str).unwrap_or_default();
        let code = u16::try_from(code).unwrap_or(u16::MAX);
        return Err(refused(code, &rules::redact(message, hidden), call, None));
    }
    case_insensitive::from_value(value).map_err(malformed)
}

/// The refusal a status and message name, with the wait the `Retry-After` header asked for
/// (one second when it asked for none).
fn refused(status: u16, message: &str, call: Call<'_>, retry_after: Option<Duration>) -> Error {
    match rules::refusal(status, message, call) {
        Error::RateLimited { said, .. } => Error::RateLimited {
            retry_after_secs: retry_after.map(|d| d.as_secs()).unwrap_or(1),
            said,
        },
        other => other,
    }
}

/// The `message` of a JSON refusal, its key in any case; a gateway's HTML page or an empty
/// body gives "".
fn service_message(bytes: &[u8]) -> String {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
        return String::new();
    };
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("message"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
        .unwrap_or_default()
}

/// Ids go into paths; anything but the characters of a GUID-like id is percent-encoded so a
/// pasted value cannot change the path.
pub(crate) fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
