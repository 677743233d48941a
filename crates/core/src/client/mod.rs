//! The Cloudneeti API client: tokens and the calls that use them.
//!
//! The rules (docs/architecture.md, "HTTP client rules"): rustls with the platform's trust
//! store plus any extra root a caller adds; proxies from the environment, never for loopback;
//! redirects are never followed, because the subscription key must reach no other host; connect
//! and total timeouts; answers larger than a cap are refused; 429 and 503 are retried a bounded
//! number of times honouring `Retry-After`; every failure is one `Error`. Nothing here logs.

mod rules;
mod token;
mod types;

pub use rules::Call;
pub use token::{AccessToken, TokenKind};
pub use types::{JobState, LicenseAccount, LicenseAccounts, RescanStarted};

use chrono::{Duration as Lifetime, Utc};
use futures_util::StreamExt;
use reqwest::{header, Method, StatusCode};
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
        }
    }
}

/// The clouds `License.AddAccount` takes, as its path names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    Aws,
    Azure,
    Office,
}

impl Cloud {
    fn segment(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Office => "office",
        }
    }
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
        let answer: types::TokenResponse =
            self.send(Method::POST, &path, creds.api_key, None, Some(&body), call).await?;
        let message = answer.message.clone().filter(|m| !m.trim().is_empty());
        let value = answer.into_token().ok_or_else(|| Error::MalformedResponse {
            detail: match message {
                // A service may echo what it received: its words never carry our secrets.
                Some(m) => format!(
                    "the answer has no token; the service said: {}",
                    rules::detail(&rules::redact(&m, &[creds.api_key, creds.app_secret]))
                ),
                None => "the answer has no token".into(),
            },
        })?;
        Ok(AccessToken::new(
            Secret::new(value),
            license_id,
            account_id,
            obtained_at,
            self.options.token_lifetime,
        ))
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
    /// a cloud account to the license, outside the app's scope until `update_api_access`. The
    /// body is the connector's settings, which the documentation does not spell out.
    pub async fn add_account(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        cloud: Cloud,
        settings: &Value,
    ) -> Result<Value> {
        let path = format!(
            "/onboarding/license/{}/account/{}",
            segment(&token.license_id),
            cloud.segment()
        );
        self.data(Method::POST, &path, api_key, token, Some(settings)).await
    }

    /// `GET /audit/license/{l}/account/{a}/benchmarks` (account token).
    pub async fn benchmarks(&self, api_key: &Secret, token: &AccessToken) -> Result<Value> {
        let path = format!("{}/benchmarks", self.account_path("audit", token)?);
        self.data(Method::GET, &path, api_key, token, None).await
    }

    /// `GET /audit/license/{l}/account/{a}/healthstatus` (account token).
    pub async fn health_status(&self, api_key: &Secret, token: &AccessToken) -> Result<Value> {
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

    /// `GET /audit/license/{l}/account/{a}/benchmark/{b}/summary[?jobId=]` (account token).
    pub async fn benchmark_summary(
        &self,
        api_key: &Secret,
        token: &AccessToken,
        benchmark_id: &str,
        job_id: Option<&str>,
    ) -> Result<Value> {
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

    fn account_path(&self, area: &str, token: &AccessToken) -> Result<String> {
        let account = token
            .account_id
            .as_deref()
            .ok_or(Error::WrongTokenKind { needed: "an account", given: "a license" })?;
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
        let wrapped: types::Wrapped<T> =
            self.send(method, path, api_key, Some(&token.value), body, call).await?;
        Ok(wrapped.result)
    }

    /// One call with the retry policy; the answer parsed as `T` on success.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        api_key: &Secret,
        bearer: Option<&Secret>,
        body: Option<&Value>,
        call: Call<'_>,
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
                return parse_success(&bytes, call);
            }
            if status.is_redirection() {
                let location = location
                    .and_then(|l| l.to_str().ok().map(rules::detail))
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
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(refused(status.as_u16(), &service_message(&bytes), call, retry_after));
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
fn parse_success<T: DeserializeOwned>(bytes: &[u8], call: Call<'_>) -> Result<T> {
    let malformed = |e: serde_json::Error| Error::MalformedResponse {
        detail: format!("the answer is not the expected JSON ({e})"),
    };
    let value: Value = serde_json::from_slice(bytes).map_err(malformed)?;
    let inner_status = value.get("statusCode").and_then(Value::as_u64);
    if let Some(code) = inner_status.filter(|c| !(200..300).contains(c)) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or_default();
        let code = u16::try_from(code).unwrap_or(u16::MAX);
        return Err(refused(code, message, call, None));
    }
    serde_json::from_value(value).map_err(malformed)
}

/// The refusal a status and message name, with the wait the `Retry-After` header asked for
/// (one second when it asked for none).
fn refused(status: u16, message: &str, call: Call<'_>, retry_after: Option<Duration>) -> Error {
    match rules::refusal(status, message, call) {
        Error::RateLimited { .. } => {
            Error::RateLimited { retry_after_secs: retry_after.map(|d| d.as_secs()).unwrap_or(1) }
        }
        other => other,
    }
}

/// The `message` of a JSON refusal; a gateway's HTML page or an empty body gives "".
fn service_message(bytes: &[u8]) -> String {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default()
}

/// Ids go into paths; anything but the characters of a GUID-like id is percent-encoded so a
/// pasted value cannot change the path.
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
