//! The API client against the real emulator, over real HTTP(S) on loopback: every documented
//! call, every refusal of docs/emulator.md mapped to its own `Error`, every injected fault,
//! TLS, what arrives on the wire, and many account tokens at once.
//!
//! Each test starts its own emulator, so they run in parallel and share nothing.

mod common;

use chrono::{DateTime, Duration as Lifetime, Utc};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cloudneeti_core::client::{
    AccessToken, AzureDirectory, ClientOptions, NewCloudAccount, TokenKind, FAILED_ASSETS_PAGE_SIZE,
};
use cloudneeti_core::{Error, Secret};
use cloudneeti_emulator::seed::{
    Account, ApiApplication, ApiKey, JobOutcome, KeyState, License, RateLimit, TokenAnswer,
    TokenFormat, ALL_APIS,
};
use cloudneeti_emulator::state::NewApp;
use common::*;

fn secrets_and(keys: &Keys, token: &AccessToken) -> Vec<String> {
    let mut all = keys.secrets();
    all.push(token.value.expose().to_string());
    all
}

fn new_app(apis: Option<&[&str]>, secret_expires_at: Option<DateTime<Utc>>) -> NewApp {
    NewApp {
        license_id: DEMO_LICENSE_ID.into(),
        name: "Integration test app".into(),
        apis: apis.map(|a| a.iter().map(|s| s.to_string()).collect()),
        account_ids: None,
        token_expiry_minutes: 60,
        secret_expires_at,
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Success paths
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn license_and_account_tokens_expire_when_their_jwt_says() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();

    let before = Utc::now();
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let after = Utc::now();
    assert_eq!(license.kind, TokenKind::License);
    assert_eq!(license.license_id, DEMO_LICENSE_ID);
    assert_eq!(license.account_id, None);
    assert!(before <= license.obtained_at && license.obtained_at <= after);
    let claims = jwt_claims(license.value.expose());
    assert_eq!(claims["license_id"], DEMO_LICENSE_ID);
    let exp = DateTime::from_timestamp(claims["exp"].as_i64().unwrap(), 0).unwrap();
    assert_eq!(license.expires_at, Some(exp), "expiry is the JWT's exp");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    let lifetime = (exp - license.obtained_at).num_seconds();
    assert!((3595..=3600).contains(&lifetime), "60 min after obtaining it, got {lifetime} s");
    assert!(license.is_fresh(Utc::now()));

    let account =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    assert_eq!(account.kind, TokenKind::Account);
    assert_eq!(account.account_id.as_deref(), Some(DEMO_AZURE_ACCOUNT_ID));
    let claims = jwt_claims(account.value.expose());
    assert_eq!(claims["account_id"], DEMO_AZURE_ACCOUNT_ID);
    let exp = DateTime::from_timestamp(claims["exp"].as_i64().unwrap(), 0).unwrap();
    assert_eq!(account.expires_at, Some(exp));
    assert_ne!(account.value.expose(), license.value.expose());
}

/// The vendor's scripts read `result.token` [script]; the token page lists `token` at the top
/// [page]. The client reads both, and each opens the data calls.
#[tokio::test]
async fn tokens_are_read_inside_result_as_the_scripts_do_and_flat_as_the_page_lists() {
    for shape in [TokenAnswer::Result, TokenAnswer::Flat] {
        let mut seed = Seed::demo();
        seed.settings.token_answer = shape;
        let emulator = start_with(Options { seed, ..Options::default() }).await;
        let client = client(&emulator);
        let keys = Keys::demo();
        let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
        let accounts = client.license_accounts(&keys.api_key, &license).await.unwrap();
        assert_eq!(accounts.license_id, DEMO_LICENSE_ID, "{shape:?}");
        let account = client
            .account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID)
            .await
            .unwrap();
        assert_eq!(account.kind, TokenKind::Account, "{shape:?}");
    }
}

/// A refusal may come as HTTP 200 with its own `statusCode`: it is the same error the HTTP
/// status would give, never a success and never "no token".
#[tokio::test]
async fn an_error_inside_an_http_200_answer_is_the_error_its_status_code_names() {
    let mut seed = Seed::demo();
    seed.settings.errors_in_body = true;
    let emulator = start_with(Options { seed, ..Options::default() }).await;
    let client = client(&emulator);

    let wrong = Keys::new(DEMO_API_KEY, DEMO_APP_ID, "not-the-secret-of-this-app-xyz");
    let result = client.license_token(&wrong.creds(), DEMO_LICENSE_ID).await;
    failure(result, "app_credentials_rejected", &wrong.secrets());

    let keys = Keys::demo();
    let unknown_account = "a2c4e6f8-1b3d-4f5a-8c7e-000000000000";
    let result = client.account_token(&keys.creds(), DEMO_LICENSE_ID, unknown_account).await;
    failure(result, "account_not_found", &keys.secrets());
    let result = client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AWS_ACCOUNT_ID).await;
    failure(result, "account_out_of_scope", &keys.secrets());

    // A data call refused inside a 200 too (an account token on a license call).
    let account =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let result = client.license_accounts(&keys.api_key, &account).await;
    failure(result, "wrong_token_kind", &keys.secrets());
}

/// Every refusal shows the service's own words after our explanation, never instead of it,
/// whether it came as an HTTP status or inside a 200.
#[tokio::test]
async fn every_refusal_shows_the_services_words_after_ours() {
    for errors_in_body in [false, true] {
        let mut seed = Seed::demo();
        seed.settings.errors_in_body = errors_in_body;
        let emulator = start_with(Options { seed, ..Options::default() }).await;
        let client = client(&emulator);
        let keys = Keys::demo();

        let result =
            client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AWS_ACCOUNT_ID).await;
        let text = failure(result, "account_out_of_scope", &keys.secrets()).to_string();
        let ours = format!("account {DEMO_AWS_ACCOUNT_ID} is not in the API application's scope");
        let theirs = format!("(the service said: \u{201c}Account {DEMO_AWS_ACCOUNT_ID} is not in the API application scope.\u{201d})");
        assert!(text.starts_with(&ours) && text.ends_with(&theirs), "{text}");

        let new = emulator.control().with(|s| s.regenerate_secret(DEMO_APP_ID)).unwrap();
        let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
        let mut secrets = keys.secrets();
        secrets.push(new.secret);
        let text = failure(result, "secret_regenerated", &secrets).to_string();
        assert!(text.contains("the previous secret is no longer valid"), "{text}");
    }
    // The gateway's refusal too, with its own words.
    let emulator = start().await;
    let keys = Keys::new("ffffffffffffffffffffffffffffffff", DEMO_APP_ID, DEMO_APP_SECRET);
    let result = client(&emulator).license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let text = failure(result, "api_key_rejected", &keys.secrets()).to_string();
    assert!(text.contains("Access denied due to invalid subscription key"), "{text}");
}

/// A hostile service whose refusal echoes the key and secret, with control characters: its
/// words are shown without them, as an HTTP error and inside a 200.
#[tokio::test]
async fn a_refusal_echoing_the_secrets_shows_neither() {
    let message =
        format!("Secret {DEMO_APP_SECRET} is wrong for key {DEMO_API_KEY}\u{1b}[2J\r\nOK");
    let body = serde_json::json!({"statusCode": 401, "message": message}).to_string();
    for server in
        [answer_server("401 Unauthorized", body.clone()).await, one_answer_server(body).await]
    {
        let client = client_at(&format!("http://{server}"), ClientOptions::default());
        let keys = Keys::demo();
        let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
        let text = failure(result, "app_credentials_rejected", &keys.secrets()).to_string();
        assert!(text.contains("Secret <redacted> is wrong for key <redacted>"), "{text}");
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}

/// A 200 with no token names what the service said, so the user sees its words.
#[tokio::test]
async fn a_token_answer_without_a_token_shows_the_service_message() {
    let server = one_answer_server(
        r#"{"result": null, "statusCode": 200, "message": "Token generation is paused for maintenance"}"#.into(),
    )
    .await;
    let client = client_at(&format!("http://{server}"), ClientOptions::default());
    let keys = Keys::demo();
    let error = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap_err();
    assert_eq!(error.code(), "malformed_response");
    let text = error.to_string();
    assert!(text.contains("no token"), "{text}");
    assert!(text.contains("Token generation is paused for maintenance"), "{text}");
}

/// A hostile service that echoes the secret and key it received: the error shows its words
/// without them.
#[tokio::test]
async fn a_token_answer_echoing_the_secrets_shows_neither() {
    let message = format!("No token for secret {DEMO_APP_SECRET} and key {DEMO_API_KEY}");
    let server =
        one_answer_server(serde_json::json!({"statusCode": 200, "message": message}).to_string())
            .await;
    let client = client_at(&format!("http://{server}"), ClientOptions::default());
    let keys = Keys::demo();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "malformed_response", &keys.secrets());
    assert!(error.to_string().contains("No token for secret <redacted>"), "{error}");
}

/// A token holding quotes, a command substitution and a terminal escape is refused, never
/// handed on to a header, a terminal or a pasted command.
#[tokio::test]
async fn a_token_with_characters_no_token_has_is_refused() {
    for token in [
        "abc'; echo PWNED; '",
        "abc\u{2019}; Write-Output PWNED",
        "ab$(id)",
        "ab\u{1b}[2Jcd",
        "two words",
    ] {
        let body = serde_json::json!({"result": {"token": token}, "statusCode": 200}).to_string();
        let server = one_answer_server(body).await;
        let client = client_at(&format!("http://{server}"), ClientOptions::default());
        let keys = Keys::demo();
        let mut secrets = keys.secrets();
        secrets.push(token.to_string());
        let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
        let error = failure(result, "malformed_response", &secrets);
        assert!(error.to_string().contains("characters no token has"), "{error}");
    }
}

/// A service whose clock is behind issues tokens already past their `exp`: a clear error,
/// never a token with negative seconds left.
#[tokio::test]
async fn a_token_expired_on_arrival_is_refused_with_the_clock_named() {
    let emulator = start().await;
    emulator.control().with(|s| s.advance_clock(-2 * 3600));
    let keys = Keys::demo();
    let result = client(&emulator).license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "token_expired_on_arrival", &keys.secrets());
    assert!(
        error.hint(|_| "").contains("clock") || error.hint(|_| "").contains("date, time"),
        "{}",
        error.hint(|_| "")
    );
}

/// A loopback server that answers every request with HTTP 200 and `body`.
async fn one_answer_server(body: String) -> SocketAddr {
    answer_server("200 OK", body).await
}

#[tokio::test]
async fn opaque_tokens_expire_after_the_configured_lifetime_or_never_known() {
    let mut seed = Seed::demo();
    seed.settings.token_format = TokenFormat::Opaque;
    let emulator = start_with(Options { seed, ..Options::default() }).await;
    let keys = Keys::demo();

    let lifetime = Lifetime::minutes(17);
    let with_option = client_with(
        &emulator,
        ClientOptions { token_lifetime: Some(lifetime), ..ClientOptions::default() },
    );
    let token = with_option.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    assert_eq!(token.value.expose().split('.').count(), 1, "the seed issues opaque tokens");
    assert_eq!(token.expires_at, Some(token.obtained_at + lifetime));
    assert_eq!(token.seconds_left(token.obtained_at), Some(17 * 60));

    let without = client(&emulator);
    let token = without
        .account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_OFFICE_ACCOUNT_ID)
        .await
        .unwrap();
    assert_eq!(token.expires_at, None);
    assert!(!token.is_fresh(Utc::now()), "an unknown expiry is never cached");
    // The opaque token works for a data call all the same.
    let health = without.health_status(&keys.api_key, &token).await.unwrap();
    assert!(!health.prerequisites.is_empty());
}

#[tokio::test]
async fn an_added_account_joins_the_license_and_then_the_scope() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let tenant_secret = "customer-azure-ad-client-secret-0001";
    let office = NewCloudAccount::Office {
        account_name: "Contoso tenant".into(),
        directory: AzureDirectory {
            domain_name: "contoso.example".into(),
            tenant_id: "11111111-2222-4333-8444-555555555555".into(),
            client_id: "66666666-7777-4888-9999-000000000000".into(),
            client_secret: Secret::new(tenant_secret.to_string()),
        },
    };
    let added = client.add_account(&keys.api_key, &license, &office).await.unwrap();
    let id = added.account_id.clone();
    assert!(!added.job_id.is_empty(), "onboarding starts the first scan");
    // The page's PascalCase body arrived; the customer's secret only as a fingerprint.
    let sent = requests_to(&emulator, "addAccount").last().unwrap()["bodyFields"].clone();
    let mut names: Vec<&str> = sent.as_object().unwrap().keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ADApplicationClientId",
            "ADApplicationClientSecret",
            "AccountName",
            "DomainName",
            "TenantId"
        ]
    );
    assert_ne!(sent["ADApplicationClientSecret"], tenant_secret);
    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    let new = listed.accounts.iter().find(|a| a.account_id == id).unwrap();
    assert!(!new.is_in_api_scope);
    assert_eq!(new.connector_type, "Office365");
    client.update_api_access(&keys.api_key, &license, &id).await.unwrap();
    let token = client.account_token(&keys.creds(), DEMO_LICENSE_ID, &id).await.unwrap();
    assert_eq!(token.account_id.as_deref(), Some(id.as_str()));

    let roleless = NewCloudAccount::Aws {
        account_name: "Contoso AWS logs".into(),
        aws_account_id: "123456789012".into(),
        aws_role_name: String::new(),
    };
    let refused = client.add_account(&keys.api_key, &license, &roleless).await;
    let error = failure(refused, "rejected", &keys.secrets());
    assert!(error.to_string().contains("AWSRoleName is missing"), "{error}");
}

#[tokio::test]
async fn license_accounts_then_update_api_access_brings_an_account_into_scope() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();

    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    assert_eq!(listed.license_id, DEMO_LICENSE_ID);
    let scope: Vec<(&str, bool, &str)> = listed
        .accounts
        .iter()
        .map(|a| (a.account_id.as_str(), a.is_in_api_scope, a.connector_type.as_str()))
        .collect();
    assert_eq!(
        scope,
        vec![
            (DEMO_AZURE_ACCOUNT_ID, true, "Azure"),
            (DEMO_AWS_ACCOUNT_ID, false, "AWS"),
            (DEMO_OFFICE_ACCOUNT_ID, true, "Office365"),
            (DEMO_GCP_ACCOUNT_ID, true, "GCP"),
        ]
    );
    assert!(listed.accounts.iter().all(|a| !a.account_name.is_empty()));
    assert_eq!(listed.apis, ALL_APIS.iter().map(|s| s.to_string()).collect::<Vec<_>>());

    let refused = client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AWS_ACCOUNT_ID).await;
    failure(refused, "account_out_of_scope", &keys.secrets());

    let added = client.update_api_access(&keys.api_key, &license, DEMO_AWS_ACCOUNT_ID).await;
    assert_eq!(added.unwrap(), "Account Added");
    let aws =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AWS_ACCOUNT_ID).await.unwrap();
    assert_eq!(aws.account_id.as_deref(), Some(DEMO_AWS_ACCOUNT_ID));
    let benchmarks = client.benchmarks(&keys.api_key, &aws).await.unwrap();
    assert_eq!(benchmarks[0].benchmark_id, "AWSFDCIS1_2_0");
    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    assert!(listed.accounts.iter().all(|a| a.is_in_api_scope));
}

#[tokio::test]
async fn account_calls_benchmarks_health_rescan_job_status_and_summaries() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let token =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let key = &keys.api_key;

    let benchmarks = client.benchmarks(key, &token).await.unwrap();
    let ids: Vec<&str> = benchmarks.iter().map(|b| b.benchmark_id.as_str()).collect();
    assert_eq!(ids[..2], ["AZFDCIS1_1_0", "CSBP"]);
    assert_eq!(benchmarks[1].name, "Cloud Security Best Practices");

    let health = client.health_status(key, &token).await.unwrap();
    let reader = &health.prerequisites[0];
    assert_eq!(
        (reader.name.as_str(), reader.required, reader.is_complete()),
        ("Subscription Reader", true, true)
    );
    assert_eq!(reader.no_of_policies, "All");
    assert!(health.prerequisites.iter().any(|p| !p.is_complete()));
    let quota = health.account_scan_quota_details.clone().unwrap();
    assert_eq!((quota.allocated_quota, quota.consumed_quota), (5, 0));
    assert!(health.last_scanned_time.is_some());

    let baseline = client.benchmark_summary(key, &token, "AZFDCIS1_1_0", None).await.unwrap();
    assert_eq!(baseline.account_id, DEMO_AZURE_ACCOUNT_ID);
    assert_eq!(baseline.benchmark_id, "AZFDCIS1_1_0");
    assert_eq!(baseline.connector_type, "Azure");
    let policies: Vec<_> = baseline.resource_categories.iter().flat_map(|c| &c.policies).collect();
    assert!(!policies.is_empty() && policies.iter().all(|p| !p.policy_id.is_empty()));
    let posture = baseline.posture.clone().unwrap();
    assert_eq!(posture.total as usize, policies.len());

    let job = client.rescan(key, &token).await.unwrap();
    assert!(!job.job_id.is_empty());
    let state = client.job_status(key, &token, &job.job_id).await.unwrap();
    assert_eq!(state.job_status, "New");
    assert!(!state.is_finished());
    emulator.control().with(|s| s.advance_clock(3));
    assert_eq!(client.job_status(key, &token, &job.job_id).await.unwrap().job_status, "Running");
    let early = client.audit_report(key, &token, &job.job_id, "AZFDCIS1_1_0").await;
    let error = failure(early, "rejected", &keys.secrets());
    assert!(error.to_string().contains("has not completed"), "{error}");
    emulator.control().with(|s| s.advance_clock(10));
    let state = client.job_status(key, &token, &job.job_id).await.unwrap();
    assert_eq!(state.job_status, "Success");
    assert!(state.is_finished());

    let summary = client.benchmark_summary(key, &token, "AZFDCIS1_1_0", Some(&job.job_id)).await;
    let summary = summary.unwrap();
    assert_eq!(summary.job_id.as_deref(), Some(job.job_id.as_str()));
    assert_ne!(baseline.job_id, summary.job_id, "without a job id: the scan before");
    let query = requests_to(&emulator, "summary").last().unwrap()["query"].clone();
    assert_eq!(query, format!("jobId={}", job.job_id).as_str());
    let audit = client.audit_report(key, &token, &job.job_id, "AZFDCIS1_1_0").await.unwrap();
    assert_eq!(audit, summary);
}

/// The page's sample is PascalCase, the scripts read camelCase: the same summary either way.
#[tokio::test]
async fn a_summary_in_pascal_case_reads_as_in_camel_case() {
    let camel = start().await;
    let mut seed = Seed::demo();
    seed.settings.summary_case = cloudneeti_emulator::seed::KeyCase::Pascal;
    let pascal = start_with(Options { seed, ..Options::default() }).await;
    let keys = Keys::demo();
    let mut read = Vec::new();
    for emulator in [&camel, &pascal] {
        let client = client(emulator);
        let token = client
            .account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID)
            .await
            .unwrap();
        let mut summary =
            client.benchmark_summary(&keys.api_key, &token, "CSBP", None).await.unwrap();
        summary.last_scanned_date = None; // each emulator scanned at its own start
        read.push(summary);
    }
    assert!(!read[0].resource_categories.is_empty());
    assert_eq!(read[0], read[1]);
}

#[tokio::test]
async fn all_failed_assets_are_read_through_the_last_page() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let token =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let all = client.all_failed_assets(&keys.api_key, &token, "CSBP").await.unwrap();
    let count = all.page.failed_asset_count;
    assert!(count > 2 * FAILED_ASSETS_PAGE_SIZE, "the demo needs several pages: {count}");
    assert_eq!(all.pages, count.div_ceil(FAILED_ASSETS_PAGE_SIZE));
    assert_eq!(all.page.failed_policy_assets_lists.len() as u64, count);
    assert_eq!(
        (all.page.bench_mark_id.as_str(), all.page.connector_type.as_str()),
        ("CSBP", "Azure")
    );
    // Every page was asked for once, with the script's page size, and kept in page order.
    let mut asked: Vec<String> = requests_to(&emulator, "failedAssets")
        .iter()
        .map(|r| r["query"].as_str().unwrap().to_string())
        .collect();
    asked.sort();
    let mut expected: Vec<String> = (1..=all.pages)
        .map(|n| format!("benchmarkId=CSBP&pageNumber={n}&pageSize={FAILED_ASSETS_PAGE_SIZE}"))
        .collect();
    expected.sort();
    assert_eq!(asked, expected);
    let page_two = client.failed_assets_page(&keys.api_key, &token, "CSBP", 2).await.unwrap();
    let first_of_two = &page_two.failed_policy_assets_lists[0];
    assert_eq!(
        &all.page.failed_policy_assets_lists[FAILED_ASSETS_PAGE_SIZE as usize],
        first_of_two
    );
    // Tags come as objects, some empty.
    let assets = &all.page.failed_policy_assets_lists;
    assert!(assets.iter().all(|a| a.tags.is_object()));
    assert!(assets.iter().any(|a| a.tags.as_object().unwrap().is_empty()));

    // The summary's failed resources are these assets.
    let summary = client.benchmark_summary(&keys.api_key, &token, "CSBP", None).await.unwrap();
    let failed: u64 = summary
        .resource_categories
        .iter()
        .flat_map(|c| &c.policies)
        .map(|p| p.failed_resource_count())
        .sum();
    assert_eq!(failed, count);
}

/// A count the client would have to trust to size hundreds of requests is refused.
#[tokio::test]
async fn an_absurd_failed_asset_count_is_refused_without_asking_for_more_pages() {
    // One body serves both calls: the token answer reads `result.token`, the page the rest.
    let server = one_answer_server(
        r#"{"result": {"token": "opaque-token", "failedAssetCount": "900000000", "failedPolicyAssetsLists": []}, "statusCode": 200, "message": "Request Successful"}"#.into(),
    )
    .await;
    let client = client_at(&format!("http://{server}"), ClientOptions::default());
    let keys = Keys::demo();
    let token =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let error = client.all_failed_assets(&keys.api_key, &token, "CSBP").await.unwrap_err();
    assert_eq!(error.code(), "malformed_response");
    assert!(error.to_string().contains("900000000"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// 2. Every refusal of the emulator maps to its own Error
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_api_key_is_rejected_and_not_retried() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::new("ffffffffffffffffffffffffffffffff", DEMO_APP_ID, DEMO_APP_SECRET);
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "api_key_rejected", &keys.secrets());
    assert!(matches!(error, Error::ApiKeyRejected { .. }));
    assert_eq!(requests(&emulator).len(), 1, "a 401 is never retried");
}

#[tokio::test]
async fn a_pending_api_key_is_rejected_until_activated() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::new(DEMO_PENDING_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET);
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    failure(result, "api_key_rejected", &keys.secrets());
    emulator.control().with(|s| s.activate_key(DEMO_PENDING_API_KEY)).unwrap();
    client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
}

#[tokio::test]
async fn a_wrong_app_id_or_secret_is_rejected() {
    let emulator = start().await;
    let client = client(&emulator);
    let wrong_id = Keys::new(DEMO_API_KEY, "0b7e5f3a-2c1d-4e8f-9a6b-000000000000", DEMO_APP_SECRET);
    let result = client.license_token(&wrong_id.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "app_credentials_rejected", &wrong_id.secrets());
    assert!(matches!(error, Error::AppCredentialsRejected { .. }));

    let wrong_secret = Keys::new(DEMO_API_KEY, DEMO_APP_ID, "not-the-secret-of-this-app-xyz");
    let result = client.license_token(&wrong_secret.creds(), DEMO_LICENSE_ID).await;
    failure(result, "app_credentials_rejected", &wrong_secret.secrets());
}

#[tokio::test]
async fn a_regenerated_secret_has_its_own_error_and_the_new_one_works() {
    let emulator = start().await;
    let client = client(&emulator);
    let old = Keys::demo();
    let new = emulator.control().with(|s| s.regenerate_secret(DEMO_APP_ID)).unwrap();
    let result = client.license_token(&old.creds(), DEMO_LICENSE_ID).await;
    let mut secrets = old.secrets();
    secrets.push(new.secret.clone());
    let error = failure(result, "secret_regenerated", &secrets);
    assert!(matches!(error, Error::SecretRegenerated { .. }));

    let fresh = Keys::new(DEMO_API_KEY, &new.app_id, &new.secret);
    client.license_token(&fresh.creds(), DEMO_LICENSE_ID).await.unwrap();
}

#[tokio::test]
async fn an_expired_secret_has_its_own_error() {
    let emulator = start().await;
    let client = client(&emulator);
    let yesterday = Utc::now() - Lifetime::days(1);
    let app = emulator.control().with(|s| s.create_app(new_app(None, Some(yesterday)))).unwrap();
    let keys = Keys::new(DEMO_API_KEY, &app.app_id, &app.secret);
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "secret_expired", &keys.secrets());
    assert!(matches!(error, Error::SecretExpired { .. }));
}

#[tokio::test]
async fn an_unknown_license_or_account_names_the_id() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let unknown_license = "6f1d3c2a-9b4e-4c1a-8f2d-000000000000";
    let result = client.license_token(&keys.creds(), unknown_license).await;
    let error = failure(result, "license_not_found", &keys.secrets());
    assert!(
        matches!(&error, Error::LicenseNotFound { license_id, .. } if license_id == unknown_license)
    );
    assert!(error.to_string().contains(unknown_license));

    let unknown_account = "a2c4e6f8-1b3d-4f5a-8c7e-000000000000";
    let result = client.account_token(&keys.creds(), DEMO_LICENSE_ID, unknown_account).await;
    let error = failure(result, "account_not_found", &keys.secrets());
    assert!(
        matches!(&error, Error::AccountNotFound { account_id, .. } if account_id == unknown_account)
    );
    assert!(error.to_string().contains(unknown_account));
}

#[tokio::test]
async fn an_account_outside_the_apps_scope_is_refused() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let result = client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AWS_ACCOUNT_ID).await;
    let error = failure(result, "account_out_of_scope", &keys.secrets());
    assert!(
        matches!(&error, Error::AccountOutOfScope { account_id, .. } if account_id == DEMO_AWS_ACCOUNT_ID)
    );
}

#[tokio::test]
async fn an_api_not_granted_to_the_app_is_refused() {
    let emulator = start().await;
    let client = client(&emulator);
    let limited = &["License.GetAPIAccess", "Account.Rescan"][..];
    let app = emulator.control().with(|s| s.create_app(new_app(Some(limited), None))).unwrap();
    let keys = Keys::new(DEMO_API_KEY, &app.app_id, &app.secret);

    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    assert_eq!(listed.apis, limited);
    let result = client.update_api_access(&keys.api_key, &license, DEMO_AWS_ACCOUNT_ID).await;
    let error = failure(result, "api_not_granted", &secrets_and(&keys, &license));
    assert!(error.to_string().contains("License.UpdateAPIAccess"), "{error}");

    let account =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    client.rescan(&keys.api_key, &account).await.unwrap();
    let result = client.benchmarks(&keys.api_key, &account).await;
    let error = failure(result, "api_not_granted", &secrets_and(&keys, &account));
    assert!(matches!(&error, Error::ApiNotGranted { detail } if detail.contains("Account.Audit")));
}

#[tokio::test]
async fn an_expired_bearer_token_is_rejected() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    emulator.control().with(|s| s.advance_clock(3601));
    let result = client.license_accounts(&keys.api_key, &license).await;
    let error = failure(result, "token_rejected", &secrets_and(&keys, &license));
    assert!(matches!(&error, Error::TokenRejected { detail } if detail.contains("expired")));
}

/// Tokens the service did not issue, or issued for something else, built by hand (the fields
/// of `AccessToken` are public, as a cache restoring one would do).
#[tokio::test]
async fn a_forged_or_misdirected_bearer_token_is_rejected() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let forged = AccessToken {
        value: Secret::new("not-a-token-this-emulator-issued".into()),
        kind: TokenKind::License,
        license_id: DEMO_LICENSE_ID.into(),
        account_id: None,
        obtained_at: Utc::now(),
        expires_at: None,
    };
    let result = client.license_accounts(&keys.api_key, &forged).await;
    let error = failure(result, "token_rejected", &secrets_and(&keys, &forged));
    assert!(error.to_string().contains("invalid"), "{error}");

    // A real account token presented for another account of the same license.
    let azure =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let misdirected = AccessToken {
        value: Secret::new(azure.value.expose().to_string()),
        kind: TokenKind::Account,
        license_id: DEMO_LICENSE_ID.into(),
        account_id: Some(DEMO_OFFICE_ACCOUNT_ID.into()),
        obtained_at: azure.obtained_at,
        expires_at: azure.expires_at,
    };
    let result = client.health_status(&keys.api_key, &misdirected).await;
    let error = failure(result, "token_rejected", &secrets_and(&keys, &azure));
    assert!(error.to_string().contains("this account"), "{error}");
}

#[tokio::test]
async fn tokens_of_the_wrong_kind_are_refused_by_the_client_or_the_service() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    clear_log(&emulator);

    // License token on an account call: the client refuses before sending anything.
    let result = client.benchmarks(&keys.api_key, &license).await;
    let error = failure(result, "wrong_token_kind", &secrets_and(&keys, &license));
    assert!(matches!(
        error,
        Error::WrongTokenKind { needed: "an account", given: "a license", .. }
    ));
    let result = client.job_status(&keys.api_key, &license, "some-job").await;
    failure(result, "wrong_token_kind", &secrets_and(&keys, &license));
    assert!(requests(&emulator).is_empty(), "nothing was sent");

    // Account token on a license call: the service refuses it.
    let account =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let result = client.license_accounts(&keys.api_key, &account).await;
    let error = failure(result, "wrong_token_kind", &secrets_and(&keys, &account));
    assert!(matches!(
        error,
        Error::WrongTokenKind { needed: "a license", given: "an account", .. }
    ));
    let calls = requests_to(&emulator, "licenseAccounts");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["status"], 403);
}

#[tokio::test]
async fn an_unknown_job_or_benchmark_is_a_refusal_in_the_services_words() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let token =
        client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_AZURE_ACCOUNT_ID).await.unwrap();
    let result = client.job_status(&keys.api_key, &token, "no-such-job").await;
    let error = failure(result, "rejected", &secrets_and(&keys, &token));
    assert!(matches!(&error, Error::Rejected { status: 404, detail } if detail.contains("Job")));

    let result = client.benchmark_summary(&keys.api_key, &token, "AWSFDCIS1_2_0", None).await;
    let error = failure(result, "rejected", &secrets_and(&keys, &token));
    assert!(
        matches!(&error, Error::Rejected { status: 404, detail } if detail.contains("Benchmark AWSFDCIS1_2_0")),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_keys_own_rate_limit_gives_rate_limited_with_the_wait() {
    let mut seed = Seed::demo();
    seed.api_keys[0].rate_limit = Some(RateLimit { calls: 2, renewal_period_seconds: 60 });
    let emulator = start_with(Options { seed, ..Options::default() }).await;
    let client = client(&emulator);
    let keys = Keys::demo();
    for _ in 0..2 {
        client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    }
    let started = Instant::now();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "rate_limited", &keys.secrets());
    let Error::RateLimited { retry_after_secs, .. } = error else { unreachable!() };
    assert!((55..=60).contains(&retry_after_secs), "{retry_after_secs}");
    assert!(started.elapsed() < Duration::from_secs(2), "a 60 s wait is not waited for");
}

// ---------------------------------------------------------------------------------------------
// 3. Injected faults
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_waited_for_and_retried() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::RateLimit { retry_after_seconds: 1 }, Some(1));
    let started = Instant::now();
    client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "Retry-After honoured: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let log = requests_to(&emulator, "token");
    assert_eq!(log.len(), 2);
    assert_eq!((log[0]["status"].as_u64(), log[1]["status"].as_u64()), (Some(429), Some(200)));
}

#[tokio::test]
async fn a_429_with_a_long_retry_after_fails_at_once_saying_how_long() {
    let emulator = start().await;
    let client = client_with(
        &emulator,
        ClientOptions { max_retry_wait: Duration::from_secs(5), ..ClientOptions::default() },
    );
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::RateLimit { retry_after_seconds: 120 }, None);
    let started = Instant::now();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "rate_limited", &keys.secrets());
    assert!(matches!(error, Error::RateLimited { retry_after_secs: 120, .. }));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(requests(&emulator).len(), 1);
}

#[tokio::test]
async fn retries_are_bounded() {
    let emulator = start().await;
    let client =
        client_with(&emulator, ClientOptions { max_retries: 2, ..ClientOptions::default() });
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::RateLimit { retry_after_seconds: 0 }, None);
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    failure(result, "rate_limited", &keys.secrets());
    assert_eq!(requests(&emulator).len(), 3, "the first try and two retries");
}

#[tokio::test]
async fn a_503_html_page_with_retry_after_is_retried() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let fault = FaultKind::GatewayError { status: 503, retry_after_seconds: Some(1) };
    arm(&emulator, "licenseAccounts", fault, Some(1));
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let started = Instant::now();
    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    assert_eq!(listed.accounts.len(), 4);
    assert!(started.elapsed() >= Duration::from_millis(950));
    let log = requests_to(&emulator, "licenseAccounts");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["fault"], "gatewayError");
}

#[tokio::test]
async fn a_persistent_502_is_a_server_error_and_not_retried() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    arm(
        &emulator,
        "token",
        FaultKind::GatewayError { status: 502, retry_after_seconds: None },
        None,
    );
    let started = Instant::now();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "server_error", &keys.secrets());
    assert!(matches!(error, Error::ServerError { status: 502, .. }));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(requests(&emulator).len(), 1, "a 502 is not retried");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_malformed_response() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::MalformedJson, Some(1));
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    failure(result, "malformed_response", &keys.secrets());
}

#[tokio::test]
async fn a_body_cut_short_is_a_malformed_response() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::TruncatedBody, Some(1));
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "malformed_response", &keys.secrets());
    assert!(
        matches!(&error, Error::MalformedResponse { detail } if detail.contains("cut short")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_body_within_the_timeout_arrives() {
    let emulator = start().await;
    let client = client_with(
        &emulator,
        ClientOptions { timeout: Duration::from_secs(5), ..ClientOptions::default() },
    );
    let keys = Keys::demo();
    let fault = FaultKind::SlowBody { bytes_per_chunk: 32, chunk_delay_ms: 15 };
    arm(&emulator, "token", fault, Some(1));
    let started = Instant::now();
    let token = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    assert!(token.expires_at.is_some(), "the whole JWT arrived");
    assert!(started.elapsed() >= Duration::from_millis(100), "the body was trickled");
    assert_eq!(requests(&emulator)[0]["fault"], "slowBody");
}

#[tokio::test]
async fn latency_or_a_slow_body_beyond_the_timeout_is_a_timeout() {
    let emulator = start().await;
    let client = client_with(
        &emulator,
        ClientOptions { timeout: Duration::from_millis(400), ..ClientOptions::default() },
    );
    let keys = Keys::demo();

    arm(&emulator, "token", FaultKind::Latency { ms: 3000 }, Some(1));
    let started = Instant::now();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "timeout", &keys.secrets());
    assert!(matches!(&error, Error::Timeout { host } if host == "127.0.0.1"));
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());

    // The head arrives at once; the body would take seconds.
    let fault = FaultKind::SlowBody { bytes_per_chunk: 4, chunk_delay_ms: 100 };
    arm(&emulator, "token", fault, Some(1));
    let started = Instant::now();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    failure(result, "timeout", &keys.secrets());
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_dropped_connection_is_a_connect_error() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    arm(&emulator, "token", FaultKind::DropConnection, Some(1));
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "connect", &keys.secrets());
    assert!(matches!(&error, Error::Connect { host, .. } if host == "127.0.0.1"));
    let log = requests(&emulator);
    assert_eq!(log.len(), 1, "not retried");
    assert_eq!(log[0]["status"], 0);
}

#[tokio::test]
async fn a_redirect_is_never_followed_so_the_key_reaches_no_other_host() {
    let emulator = start().await;
    let other = start_with(Options {
        addr: "127.0.0.2:0".parse::<SocketAddr>().unwrap(),
        ..Options::default()
    })
    .await;
    let target = format!("{}{}", other.url(), token_path(DEMO_LICENSE_ID));
    arm(&emulator, "token", FaultKind::Redirect { location: target.clone() }, None);
    let client = client(&emulator);
    let keys = Keys::demo();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "redirect", &keys.secrets());
    assert!(matches!(&error, Error::Redirect { location } if *location == target), "{error:?}");
    assert!(error.to_string().contains(&target));
    assert_eq!(requests(&emulator).len(), 1);
    assert_eq!(requests(&emulator)[0]["status"], 307);
    assert!(requests(&other).is_empty(), "the key never arrived at the other host");
}

/// A redirect whose Location repeats the key (as a query parameter, URL-encoded): the error
/// names the place without it.
#[tokio::test]
async fn a_redirect_echoing_the_key_shows_the_place_without_it() {
    let emulator = start().await;
    let location = format!(
        "https://elsewhere.example/t?subscription-key={DEMO_API_KEY}&s={}",
        DEMO_APP_SECRET.replace('-', "%2D")
    );
    arm(&emulator, "token", FaultKind::Redirect { location }, None);
    let keys = Keys::demo();
    let result = client(&emulator).license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "redirect", &keys.secrets());
    assert!(
        error.to_string().contains("https://elsewhere.example/t?subscription-key=<redacted>"),
        "{error}"
    );
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_refused() {
    let emulator = start().await;
    let keys = Keys::demo();
    let license = client(&emulator).license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let small = client_with(
        &emulator,
        ClientOptions { max_response_bytes: 100, ..ClientOptions::default() },
    );
    let result = small.license_accounts(&keys.api_key, &license).await;
    let error = failure(result, "response_too_large", &secrets_and(&keys, &license));
    assert!(matches!(error, Error::ResponseTooLarge { limit_bytes: 100 }));
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let client = client_at(&dead_url(), ClientOptions::default());
    let keys = Keys::demo();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "connect", &keys.secrets());
    assert!(matches!(&error, Error::Connect { host, .. } if host == "127.0.0.1"));
}

#[tokio::test]
async fn an_unknown_host_name_is_a_dns_error() {
    let client = client_at(
        "https://nonexistent.invalid",
        ClientOptions { connect_timeout: Duration::from_secs(5), ..ClientOptions::default() },
    );
    let keys = Keys::demo();
    let result = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = result.expect_err("nonexistent.invalid cannot answer");
    assert_no_leak(&error, &keys.secrets());
    // Without any DNS server in a sandbox the failure may surface as a connect error; either
    // way the message names the host.
    assert!(matches!(error, Error::Dns { .. } | Error::Connect { .. }), "{error:?}");
    assert!(error.to_string().contains("nonexistent.invalid"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// 4. TLS
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn tls_works_with_the_emulators_ca_and_fails_without_it() {
    let emulator = start_with(Options { tls: true, ..Options::default() }).await;
    assert!(emulator.url().starts_with("https://127.0.0.1:"));
    let keys = Keys::demo();
    let ca = emulator.ca_pem().expect("a CA in TLS mode").to_string();
    let trusting = client_with(
        &emulator,
        ClientOptions { extra_root_pem: Some(ca), ..ClientOptions::default() },
    );
    let token = trusting.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    trusting.license_accounts(&keys.api_key, &token).await.unwrap();

    let untrusting = client(&emulator);
    let result = untrusting.license_token(&keys.creds(), DEMO_LICENSE_ID).await;
    let error = failure(result, "tls", &keys.secrets());
    assert!(matches!(&error, Error::Tls { host, .. } if host == "127.0.0.1"));
    assert_eq!(requests_to(&emulator, "token").len(), 1, "the key went out only over trusted TLS");
}

// ---------------------------------------------------------------------------------------------
// 5. What arrives on the wire
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_request_log_shows_the_documented_headers_and_body_fields() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let token = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    client.license_accounts(&keys.api_key, &token).await.unwrap();
    let log = requests(&emulator);
    assert_eq!(log.len(), 2);

    let request = &log[0];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["path"], token_path(DEMO_LICENSE_ID).as_str());
    assert_eq!(request["query"], serde_json::Value::Null);
    let key_fp = fingerprint(DEMO_API_KEY);
    assert_eq!(key_fp, format!("fp:{}", keys.api_key.fingerprint()));
    let headers = request["headers"].as_object().unwrap();
    assert_eq!(headers["ocp-apim-subscription-key"], key_fp.as_str());
    assert_eq!(headers["content-type"], "application/json");
    assert!(!headers.contains_key("authorization"), "a token request carries no bearer");
    let body = request["bodyFields"].as_object().unwrap();
    let mut names: Vec<&str> = body.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["APIApplicationId", "Secret"], "exactly the documented fields");
    assert_eq!(body["APIApplicationId"], DEMO_APP_ID);
    assert_eq!(body["Secret"], fingerprint(DEMO_APP_SECRET).as_str());

    let request = &log[1];
    assert_eq!(request["method"], "GET");
    let headers = request["headers"].as_object().unwrap();
    assert_eq!(headers["ocp-apim-subscription-key"], key_fp.as_str());
    let bearer = format!("Bearer {}", fingerprint(token.value.expose()));
    assert_eq!(headers["authorization"], bearer.as_str());
    assert_eq!(request["bodyFields"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_account_token_request_names_the_account_in_the_query() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    client.account_token(&keys.creds(), DEMO_LICENSE_ID, DEMO_OFFICE_ACCOUNT_ID).await.unwrap();
    let log = requests(&emulator);
    assert_eq!(log[0]["query"], format!("accountId={DEMO_OFFICE_ACCOUNT_ID}").as_str());
}

// ---------------------------------------------------------------------------------------------
// 6. Many account tokens at once
// ---------------------------------------------------------------------------------------------

const BIG_LICENSE: &str = "9e8d7c6b-5a49-4382-9170-aabbccddeeff";
const BIG_APP: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const BIG_SECRET: &str = "big-license-app-secret-for-tests";
const BIG_KEY: &str = "aaaabbbbccccddddeeeeffff99998888";
const OUT_OF_SCOPE: [usize; 3] = [5, 17, 33];

fn big_account_id(i: usize) -> String {
    format!("4d3c2b1a-0f9e-4d8c-b7a6-{i:012}")
}

/// One license of 50 accounts, all in the app's scope but three, and a key with no rate limit.
fn big_seed() -> Seed {
    let accounts: Vec<Account> = (0..50)
        .map(|i| Account {
            account_id: big_account_id(i),
            account_name: format!("Account {i}"),
            connector_type: "Azure".into(),
            rescan_outcome: JobOutcome::Success,
        })
        .collect();
    Seed {
        licenses: vec![License {
            license_id: BIG_LICENSE.into(),
            license_name: "Fifty accounts".into(),
            accounts,
        }],
        api_applications: vec![ApiApplication {
            app_id: BIG_APP.into(),
            name: "Fleet reporting".into(),
            license_id: BIG_LICENSE.into(),
            secret: BIG_SECRET.into(),
            apis: ALL_APIS.iter().map(|s| s.to_string()).collect(),
            account_ids: (0..50)
                .filter(|i| !OUT_OF_SCOPE.contains(i))
                .map(big_account_id)
                .collect(),
            token_expiry_minutes: 60,
            secret_expires_at: None,
        }],
        api_keys: vec![ApiKey {
            key: BIG_KEY.into(),
            state: KeyState::Active,
            owner: None,
            rate_limit: None,
        }],
        settings: Default::default(),
    }
}

#[tokio::test]
async fn account_tokens_come_back_in_input_order_with_failures_in_place() {
    let emulator = start_with(Options { seed: big_seed(), ..Options::default() }).await;
    let client = client(&emulator);
    let keys = Keys::new(BIG_KEY, BIG_APP, BIG_SECRET);
    let unknown = "4d3c2b1a-0f9e-4d8c-b7a6-ffffffffffff".to_string();
    let mut ids: Vec<String> = (0..50).map(big_account_id).collect();
    ids.insert(25, unknown.clone());

    let results = client.account_tokens(&keys.creds(), BIG_LICENSE, &ids).await;
    assert_eq!(results.len(), ids.len());
    for (id, result) in ids.iter().zip(results) {
        let in_scope = (0..50).any(|i| !OUT_OF_SCOPE.contains(&i) && big_account_id(i) == *id);
        if *id == unknown {
            let error = failure(result, "account_not_found", &keys.secrets());
            assert!(
                matches!(&error, Error::AccountNotFound { account_id, .. } if account_id == id)
            );
        } else if in_scope {
            let token = result.unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(token.account_id.as_deref(), Some(id.as_str()));
            assert_eq!(token.license_id, BIG_LICENSE);
            assert_eq!(jwt_claims(token.value.expose())["account_id"], id.as_str());
        } else {
            let error = failure(result, "account_out_of_scope", &keys.secrets());
            assert!(
                matches!(&error, Error::AccountOutOfScope { account_id, .. } if account_id == id)
            );
        }
    }
    assert_eq!(requests_to(&emulator, "token").len(), 51);
}

#[tokio::test]
async fn account_tokens_are_requested_concurrently_up_to_the_limit() {
    let emulator = start_with(Options { seed: big_seed(), ..Options::default() }).await;
    let client =
        client_with(&emulator, ClientOptions { concurrency: 10, ..ClientOptions::default() });
    let keys = Keys::new(BIG_KEY, BIG_APP, BIG_SECRET);
    let in_scope: Vec<String> =
        (0..50).filter(|i| !OUT_OF_SCOPE.contains(i)).map(big_account_id).collect();
    let ids: Vec<String> = in_scope.iter().cycle().take(50).cloned().collect();
    arm(&emulator, "token", FaultKind::Latency { ms: 50 }, None);

    let started = Instant::now();
    let results = client.account_tokens(&keys.creds(), BIG_LICENSE, &ids).await;
    let elapsed = started.elapsed();
    assert!(results.iter().all(Result::is_ok));
    // Serial: 50 x 50 ms = 2.5 s. Ten at a time: about 5 x 50 ms.
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(250), "at most 10 at once, took {elapsed:?}");
}
