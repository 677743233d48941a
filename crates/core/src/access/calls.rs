//! The analysts' calls through a [`Session`]: benchmarks, health, summaries, failed assets,
//! rescans and their jobs, the application's scope, onboarding, and any data call by path
//! (`cnaccess api`). Each picks the token its call needs (license or account), and every text
//! the service answers is cleaned at this border (`Scrub`) before a front end sees it.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::session::{Connected, Scrub};
use super::{Fetch, Session};
use crate::client::{
    AccessToken, Benchmark, BenchmarkSummary, FailedAssets, HealthStatus, JobState, Method,
    NewCloudAccount, Onboarded, RescanStarted, FAILED_ASSETS_PAGE_SIZE, MAX_FAILED_ASSETS,
};
use crate::model::{AccountId, BenchmarkId, JobId};
use crate::{validate, Error, Result};

/// The longest `--input` body `api` sends.
pub const MAX_API_BODY_BYTES: usize = 1024 * 1024;

/// A data call by path, as `cnaccess api` takes it.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// GET when `None` and there is no body, POST when there is one (as `gh api` does).
    pub method: Option<String>,
    /// Relative to the environment's base URL; `{license}` and `{account}` are filled in.
    pub path: String,
    /// The account whose token is sent; else the path's account, else a license token.
    pub account: Option<AccountId>,
    /// `key=value` pairs: the query of a GET, the JSON body's string fields otherwise.
    pub fields: Vec<(String, String)>,
    /// A JSON body (refused together with `fields` of a non-GET call).
    pub body: Option<Value>,
    /// Follow the failed-assets paging and answer every page's assets in one result.
    pub paginate: bool,
}

impl Session<'_> {
    /// An account token and the connection its call goes through.
    async fn for_account(&self, account: AccountId) -> Result<(&Connected, AccessToken)> {
        let token = self.token(Some(account), Fetch::Cached).await?;
        Ok((self.connect().await?, token))
    }

    async fn for_license(&self) -> Result<(&Connected, AccessToken)> {
        let token = self.token(None, Fetch::Cached).await?;
        Ok((self.connect().await?, token))
    }

    /// `benchmarks` of an account.
    pub async fn benchmarks(&self, account: AccountId) -> Result<Vec<Benchmark>> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .benchmarks(&c.secrets.api_key, &token)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        scrubbed(&c.scrub(Some(&token.value)), answer)
    }

    /// `healthstatus` of an account.
    pub async fn health(&self, account: AccountId) -> Result<HealthStatus> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .health_status(&c.secrets.api_key, &token)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        scrubbed(&c.scrub(Some(&token.value)), answer)
    }

    /// A benchmark's summary: of the last successful scan, or of `job`.
    pub async fn summary(
        &self,
        account: AccountId,
        benchmark: &BenchmarkId,
        job: Option<&JobId>,
    ) -> Result<BenchmarkSummary> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .benchmark_summary(&c.secrets.api_key, &token, benchmark, job.map(|j| j.as_str()))
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        scrubbed(&c.scrub(Some(&token.value)), answer)
    }

    /// Every failed asset of a benchmark, all pages.
    pub async fn failed_assets(
        &self,
        account: AccountId,
        benchmark: &BenchmarkId,
    ) -> Result<FailedAssets> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .all_failed_assets(&c.secrets.api_key, &token, benchmark)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        let scrub = c.scrub(Some(&token.value));
        Ok(FailedAssets { page: scrubbed(&scrub, answer.page)?, pages: answer.pages })
    }

    /// Starts a rescan of an account; the answer names its job.
    pub async fn rescan(&self, account: AccountId) -> Result<RescanStarted> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .rescan(&c.secrets.api_key, &token)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        scrubbed(&c.scrub(Some(&token.value)), answer)
    }

    /// Where a scan job stands.
    pub async fn job_status(&self, account: AccountId, job: &JobId) -> Result<JobState> {
        let (c, token) = self.for_account(account).await?;
        let answer = c
            .client
            .job_status(&c.secrets.api_key, &token, job)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        scrubbed(&c.scrub(Some(&token.value)), answer)
    }

    /// Adds an account to the application's scope (`License.UpdateAPIAccess`); the profile's
    /// known accounts are read again, so the change shows at once.
    pub async fn add_to_scope(&self, account: AccountId) -> Result<String> {
        let (c, token) = self.for_license().await?;
        let id = account.to_string();
        let said = c
            .client
            .update_api_access(&c.secrets.api_key, &token, &id)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        let said = c.scrub(Some(&token.value)).text(&said);
        self.license_accounts().await?;
        Ok(said)
    }

    /// Onboards a cloud account to the license (`License.AddAccount`); its first scan starts.
    pub async fn add_account(&self, account: &NewCloudAccount) -> Result<Onboarded> {
        let (c, token) = self.for_license().await?;
        let answer = c
            .client
            .add_account(&c.secrets.api_key, &token, account)
            .await
            .map_err(|e| c.scrub(Some(&token.value)).error(e))?;
        let answer = scrubbed(&c.scrub(Some(&token.value)), answer)?;
        self.license_accounts().await?;
        Ok(answer)
    }

    /// Any data call by path, answered as the service's JSON with the profile's secrets
    /// replaced wherever the service echoed one (keys included). The text is otherwise kept
    /// as sent: a front end that shows it escapes what acts on a display
    /// (`text::json_for_display`).
    pub async fn api(&self, request: ApiRequest) -> Result<Value> {
        let planned = plan(self, &request)?;
        let (c, token) = match planned.account {
            Some(account) => self.for_account(account).await?,
            None => self.for_license().await?,
        };
        let key = &c.secrets.api_key;
        let call = |path: String| {
            let body = planned.body.clone();
            let (method, token) = (planned.method.clone(), &token);
            async move {
                let answer = c.client.call(method, &path, key, token, body.as_ref()).await;
                answer.map_err(|e| c.scrub(Some(&token.value)).error(e))
            }
        };
        let mut answer = if request.paginate {
            let first = call(page_path(&planned.path, 1)).await?;
            let count = failed_asset_count(&first)?;
            let pages = count.div_ceil(FAILED_ASSETS_PAGE_SIZE).max(1);
            let rest: Vec<Result<Value>> = futures_util::stream::iter(2..=pages)
                .map(|n| call(page_path(&planned.path, n)))
                .buffered(self.concurrency())
                .collect()
                .await;
            let mut merged = first;
            for page in rest {
                let mut page = page?;
                let more = assets_of(&mut page).map(std::mem::take).unwrap_or_default();
                if let Some(list) = assets_of(&mut merged) {
                    list.extend(more);
                }
            }
            merged
        } else {
            call(planned.path.clone()).await?
        };
        c.scrub(Some(&token.value)).redact_value(&mut answer);
        Ok(answer)
    }
}

/// `value` with every string of it cleaned by `scrub`, as the same type; `value` itself when
/// it holds nothing to clean.
fn scrubbed<T: Serialize + DeserializeOwned>(scrub: &Scrub, value: T) -> Result<T> {
    let broken = |e: serde_json::Error| Error::MalformedResponse {
        detail: format!("the answer could not be read after cleaning ({e})"),
    };
    let text = serde_json::to_string(&value).map_err(broken)?;
    if scrub.leaves_alone(&text) {
        return Ok(value);
    }
    let mut json: Value = serde_json::from_str(&text).map_err(broken)?;
    scrub.display_value(&mut json);
    serde_json::from_value(json).map_err(broken)
}

/// What `api` will send, decided before any token is asked for.
#[derive(Debug)]
struct Planned {
    method: Method,
    path: String,
    account: Option<AccountId>,
    body: Option<Value>,
}

fn refused(reason: impl Into<String>, hint: &str) -> Error {
    Error::invalid("API path", reason, hint)
}

const PATH_HINT: &str = "Give the call's path as the API documentation writes it, starting with /, e.g. /audit/license/{license}/account/{account}/benchmarks ({license} and {account} are filled in).";

/// The request checked and resolved: the path's placeholders filled, its license the
/// profile's, its account (if any) the token's.
fn plan(session: &Session<'_>, request: &ApiRequest) -> Result<Planned> {
    let license = session.profile().license_id.to_string();
    let path = request.path.trim();
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(refused(
            "it does not start with a single /; only paths of the profile's environment are called, never another address",
            PATH_HINT,
        ));
    }
    if let Some(c) =
        path.chars().find(|c| c.is_whitespace() || c.is_control() || matches!(c, '#' | '\\'))
    {
        return Err(refused(format!("it holds {c:?}, which no API path has"), PATH_HINT));
    }
    // The URL parser would turn these back into `.`, `/` and `\\` after the checks below
    // (`/x/%2e%2e/authorize/...` is `/authorize/...`): refused, as no API path needs them.
    let lower = path.to_ascii_lowercase();
    if let Some(code) = ["%2e", "%2f", "%5c"].into_iter().find(|code| lower.contains(code)) {
        return Err(refused(
            format!("it holds {code}, an encoded '.', '/' or '\\', which no API path needs"),
            PATH_HINT,
        ));
    }
    let mut filled = path.replace("{license}", &license);
    if filled.contains("{account}") {
        let account = request.account.ok_or_else(|| {
            refused(
                "it names {account}, but no account was given",
                "Give the account with --account ID or NAME.",
            )
        })?;
        filled = filled.replace("{account}", &account.to_string());
    }
    let (route, query) = filled.split_once('?').unwrap_or((&filled, ""));
    let segments: Vec<&str> = route.split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err(refused("it holds a . or .. segment", PATH_HINT));
    }
    if segments.get(1).is_some_and(|s| s.eq_ignore_ascii_case("authorize")) {
        return Err(refused(
            "tokens are not asked for by path: this program asks for the token each call needs and sends it",
            "Give a data call's path, e.g. /onboarding/license/{license}/licenseAccounts.",
        ));
    }
    let after = |name: &str| {
        segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case(name))
            .and_then(|i| segments.get(i + 1))
            .copied()
    };
    if let Some(named) = after("license") {
        if !named.eq_ignore_ascii_case(&license) {
            return Err(refused(
                format!("it names license {named}, but the profile is for license {license}"),
                "Use {license} in the path, or a profile of that license.",
            ));
        }
    }
    let account = match (after("account").map(validate::account_id).transpose()?, request.account) {
        (Some(in_path), Some(given)) if in_path != given => {
            return Err(refused(
                format!("it names account {in_path}, but --account gave {given}"),
                "Give one account: in the path or with --account.",
            ))
        }
        (in_path, given) => in_path.or(given),
    };
    let method = match &request.method {
        Some(m) => Method::from_bytes(m.trim().to_ascii_uppercase().as_bytes()).map_err(|_| {
            Error::invalid(
                "HTTP method",
                format!("{m:?} is not one"),
                "Use GET, POST, PUT, PATCH or DELETE.",
            )
        })?,
        None if request.body.is_some() || !request.fields.is_empty() => Method::POST,
        None => Method::GET,
    };
    let (path, body) = with_fields(route, query, &method, request)?;
    if request.paginate && !route.to_ascii_lowercase().ends_with("/failedassets") {
        return Err(refused(
            "--paginate follows the failed-assets pages, and this is not a failedassets path",
            "Leave out --paginate, or call .../account/{account}/failedassets?benchmarkId=ID.",
        ));
    }
    Ok(Planned { method, path, account, body })
}

/// The path and body once the fields are placed: in the query of a GET, else in the body.
fn with_fields(
    route: &str,
    query: &str,
    method: &Method,
    request: &ApiRequest,
) -> Result<(String, Option<Value>)> {
    let mut body = request.body.clone();
    let mut pairs: Vec<String> =
        query.split('&').filter(|p| !p.is_empty()).map(str::to_string).collect();
    if *method == Method::GET || *method == Method::DELETE {
        if body.is_some() {
            return Err(Error::invalid(
                "body",
                format!("a {method} call sends none"),
                "Leave out --input, or give --method POST.",
            ));
        }
        for (k, v) in &request.fields {
            let encode =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            pairs.push(format!("{}={}", encode(k), encode(v)));
        }
    } else if !request.fields.is_empty() {
        let object = body.get_or_insert_with(|| Value::Object(Default::default()));
        let Value::Object(map) = object else {
            return Err(Error::invalid(
                "body",
                "--field adds to a JSON object, and --input is not one",
                "Give the fields inside the --input object.",
            ));
        };
        for (k, v) in &request.fields {
            map.insert(k.clone(), Value::String(v.clone()));
        }
    }
    let path =
        if pairs.is_empty() { route.to_string() } else { format!("{route}?{}", pairs.join("&")) };
    Ok((path, body))
}

/// The path with `pageNumber` set to `n` and `pageSize` to the page size the script uses,
/// unless the caller chose one.
fn page_path(path: &str, n: u64) -> String {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("pagenumber="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("pageNumber={n}"));
    if !pairs.iter().any(|p| p.to_ascii_lowercase().starts_with("pagesize=")) {
        pairs.push(format!("pageSize={FAILED_ASSETS_PAGE_SIZE}"));
    }
    format!("{route}?{}", pairs.join("&"))
}

/// A key of an object, matched as PowerShell matches it: whatever its case [script].
fn field<'a>(value: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    value.as_object_mut()?.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}

fn assets_of(page: &mut Value) -> Option<&mut Vec<Value>> {
    field(field(page, "result")?, "failedPolicyAssetsLists")?.as_array_mut()
}

fn failed_asset_count(first: &Value) -> Result<u64> {
    let mut first = first.clone();
    let count = field(&mut first, "result")
        .and_then(|r| field(r, "failedAssetCount"))
        .and_then(|c| c.as_u64().or_else(|| c.as_str().and_then(|s| s.trim().parse().ok())));
    match count {
        Some(n) if n <= MAX_FAILED_ASSETS => Ok(n),
        Some(n) => Err(Error::MalformedResponse {
            detail: format!("the service reports {n} failed assets, more than the {MAX_FAILED_ASSETS} this tool reads at once"),
        }),
        None => Err(Error::MalformedResponse {
            detail: "the first page has no failedAssetCount to page by".into(),
        }),
    }
}
