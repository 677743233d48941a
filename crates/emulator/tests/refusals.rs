//! Every rule of the "Refusals" table of docs/emulator.md, with its status and message.

mod common;

use cloudneeti_emulator::seed::{ApiApplication, License, ALL_APIS};
use common::*;
use reqwest::Method;
use serde_json::json;

const WRONG_APP_OR_SECRET: &str = "Invalid API application id or secret.";

fn azure_benchmarks() -> String {
    account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmarks")
}

fn azure_job_status(job: &str) -> String {
    account_path("compliance", DEMO_AZURE_ACCOUNT_ID, &format!("job/{job}/status"))
}

fn not_granted(api: &str) -> String {
    format!("The API application does not have access to {api}.")
}

#[tokio::test]
async fn a_path_not_in_the_api_is_404_before_any_key_check() {
    let emu = Emu::start().await;
    send(emu.bare(Method::GET, "/nothing/here")).await.refused(404, "Resource not found");
    // Wrong method and wrong case of a documented path are not in the API either.
    send(emu.keyed(Method::GET, &token_path(DEMO_LICENSE_ID)))
        .await
        .refused(404, "Resource not found");
    let lower = format!("/onboarding/license/{DEMO_LICENSE_ID}/licenseaccounts");
    send(emu.keyed(Method::GET, &lower)).await.refused(404, "Resource not found");
    // License.AddAccount takes aws, azure and office only.
    let add = format!("/onboarding/license/{DEMO_LICENSE_ID}/account/oracle");
    send(emu.keyed(Method::POST, &add)).await.refused(404, "Resource not found");
}

#[tokio::test]
async fn the_subscription_key_must_be_present_known_and_active() {
    let emu = Emu::start().await;
    let no_key = emu.bare(Method::POST, &token_path(DEMO_LICENSE_ID));
    send(no_key.json(&credentials(DEMO_APP_ID, DEMO_APP_SECRET))).await.refused(401, MISSING_KEY);
    // The key is checked before the body.
    send(emu.bare(Method::POST, &token_path(DEMO_LICENSE_ID)).body("nonsense"))
        .await
        .refused(401, MISSING_KEY);

    let unknown = "00000000000000000000000000000000";
    let answer = emu.demo_token_with_key(unknown).await;
    answer.refused(401, INVALID_KEY);
    // Also on data calls, before the bearer is looked at.
    let token = emu.demo_token(None).await;
    let request =
        emu.bare(Method::GET, &license_accounts_path(DEMO_LICENSE_ID)).bearer_auth(&token);
    send(request.header(KEY_HEADER, unknown)).await.refused(401, INVALID_KEY);
}

#[tokio::test]
async fn a_pending_key_is_refused_until_activated() {
    let emu = Emu::start().await;
    let pending = || emu.demo_token_with_key(DEMO_PENDING_API_KEY);
    pending().await.refused(401, INVALID_KEY);
    let activated = emu.control_ok(
        Method::POST,
        "keys/activate",
        Some(json!({"key": DEMO_PENDING_API_KEY})),
        200,
    );
    assert_eq!(activated.await, json!({"state": "active"}));
    pending().await.token();
}

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after_until_the_window_renews() {
    let emu = Emu::with_seed(rate_limited_seed(2, 60)).await;
    emu.demo_token(None).await;
    emu.demo_token(None).await;
    let limited = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, None).await;
    let retry_after: u64 = limited.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    limited.refused(429, &format!("Rate limit is exceeded. Try again in {retry_after} seconds."));
    // Still limited until the window renews, on every route of the key.
    let token_call = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, None).await;
    assert_eq!(token_call.status, 429);
    let data_call = emu.get(&license_accounts_path(DEMO_LICENSE_ID), "any").await;
    assert_eq!((data_call.status, data_call.header("retry-after").is_some()), (429, true));
    emu.advance_clock(60).await;
    emu.demo_token(None).await;
}

#[tokio::test]
async fn a_token_body_must_be_exactly_the_documented_fields() {
    let emu = Emu::start().await;
    let expected = "Expected {\"APIApplicationId\": \"<id>\", \"Secret\": \"<secret>\"}.";
    let post = |body: String| {
        let request = emu.keyed(Method::POST, &token_path(DEMO_LICENSE_ID));
        send(request.header("Content-Type", "application/json").body(body))
    };
    let wrong_case = json!({"apiApplicationId": DEMO_APP_ID, "Secret": DEMO_APP_SECRET});
    post(wrong_case.to_string()).await.refused(
        400,
        &format!("Invalid request body: APIApplicationId is missing or not a string. {expected}"),
    );
    let wrong_secret_case = json!({"APIApplicationId": DEMO_APP_ID, "secret": DEMO_APP_SECRET});
    post(wrong_secret_case.to_string()).await.refused(
        400,
        &format!("Invalid request body: Secret is missing or not a string. {expected}"),
    );
    let not_json = format!("APIApplicationId={DEMO_APP_ID}&Secret={DEMO_APP_SECRET}");
    post(not_json)
        .await
        .refused(400, &format!("Invalid request body: the body is not a JSON object. {expected}"));
    post("[]".into())
        .await
        .refused(400, &format!("Invalid request body: the body is not a JSON object. {expected}"));
}

#[tokio::test]
async fn an_unknown_license_is_404() {
    let emu = Emu::start().await;
    let license = "11111111-2222-4333-8444-555555555555";
    let answer =
        emu.token_with_key(DEMO_API_KEY, license, DEMO_APP_ID, DEMO_APP_SECRET, None).await;
    answer.refused(404, &format!("License {license} not found."));
}

#[tokio::test]
async fn a_wrong_app_id_or_secret_is_401_with_one_message() {
    let emu = Emu::start().await;
    let other_app = "99999999-2c1d-4e8f-9a6b-7c8d9e0f1a02";
    emu.token(other_app, DEMO_APP_SECRET, None).await.refused(401, WRONG_APP_OR_SECRET);
    emu.token(DEMO_APP_ID, "DEMO-public-app-secret-wrong", None)
        .await
        .refused(401, WRONG_APP_OR_SECRET);
}

#[tokio::test]
async fn a_regenerated_secret_fails_with_its_own_message_and_the_new_one_works() {
    let emu = Emu::start().await;
    let path = format!("apps/{DEMO_APP_ID}/regenerate-secret");
    let regenerated = emu.control_ok(Method::POST, &path, None, 200).await;
    assert_eq!(regenerated["appId"], DEMO_APP_ID);
    let new_secret = regenerated["secret"].as_str().unwrap();
    assert_ne!(new_secret, DEMO_APP_SECRET);
    let old = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, None).await;
    old.refused(
        401,
        "The API application secret has been regenerated; the previous secret is no longer valid.",
    );
    emu.token(DEMO_APP_ID, new_secret, None).await.token();
}

#[tokio::test]
async fn an_expired_secret_is_401_whether_created_past_or_reached_by_the_clock() {
    let emu = Emu::start().await;
    let expired_msg = "The API application secret has expired.";
    let past = json!({"licenseId": DEMO_LICENSE_ID, "name": "Old", "secretExpiresAt": "2020-01-01T00:00:00Z"});
    let (app_id, secret) = emu.create_app(past).await;
    emu.token(&app_id, &secret, None).await.refused(401, expired_msg);

    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let spec = json!({"licenseId": DEMO_LICENSE_ID, "name": "Soon", "secretExpiresAt": soon});
    let (app_id, secret) = emu.create_app(spec).await;
    emu.token(&app_id, &secret, None).await.token();
    emu.advance_clock(3601).await;
    emu.token(&app_id, &secret, None).await.refused(401, expired_msg);
}

#[tokio::test]
async fn an_account_must_be_in_the_license_and_in_the_app_scope() {
    let emu = Emu::start().await;
    let stranger = "deadbeef-1b3d-4f5a-8c7e-9d0b1a2c3d11";
    let answer = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, Some(stranger)).await;
    answer.refused(404, &format!("Account {stranger} not found in this license."));
    let answer = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, Some(DEMO_AWS_ACCOUNT_ID)).await;
    answer.refused(
        403,
        &format!("Account {DEMO_AWS_ACCOUNT_ID} is not in the API application scope."),
    );
}

#[tokio::test]
async fn a_bearer_must_be_present_issued_here_and_unexpired() {
    let emu = Emu::start().await;
    let path = license_accounts_path(DEMO_LICENSE_ID);
    send(emu.keyed(Method::GET, &path)).await.refused(401, "Authorization token is missing.");
    let invalid = "Authorization token is invalid.";
    emu.get(&path, "not-a-token").await.refused(401, invalid);
    send(emu.keyed(Method::GET, &path).header("Authorization", "Basic abc"))
        .await
        .refused(401, invalid);

    let token = emu.demo_token(None).await;
    // A tampered JWT, and one from another emulator (another signing key).
    let tampered = format!("{token}x");
    emu.get(&path, &tampered).await.refused(401, invalid);
    let other = Emu::start().await;
    emu.get(&path, &other.demo_token(None).await).await.refused(401, invalid);

    emu.get(&path, &token).await.ok();
    emu.advance_clock(3600).await;
    emu.get(&path, &token).await.refused(401, "Authorization token has expired.");
}

#[tokio::test]
async fn a_token_for_another_license_is_403() {
    let second_license = "7a2e4d3b-0c5f-4d2b-9a3e-2b3c4d5e6f02";
    let second_app = "1c8f6a4b-3d2e-4f9a-8b7c-8d9e0f1a2b03";
    let mut seed = Seed::demo();
    let mut license: License = seed.licenses[0].clone();
    license.license_id = second_license.into();
    license.license_name = "Fabrikam".into();
    license.accounts.truncate(1);
    license.accounts[0].account_id = "e1e1e1e1-1b3d-4f5a-8c7e-9d0b1a2c3d11".into();
    seed.licenses.push(license);
    seed.api_applications.push(ApiApplication {
        app_id: second_app.into(),
        name: "Fabrikam reports".into(),
        license_id: second_license.into(),
        secret: "second-license-secret".into(),
        apis: ALL_APIS.iter().map(|s| s.to_string()).collect(),
        account_ids: vec!["e1e1e1e1-1b3d-4f5a-8c7e-9d0b1a2c3d11".into()],
        token_expiry_minutes: 60,
        secret_expires_at: None,
    });
    let emu = Emu::with_seed(seed).await;
    let answer = emu
        .token_with_key(DEMO_API_KEY, second_license, second_app, "second-license-secret", None)
        .await;
    let token = answer.token();
    emu.get(&license_accounts_path(second_license), &token).await.ok();
    let other = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await;
    other.refused(403, "The authorization token was not issued for this license.");
    // An app of one license cannot get a token for another license.
    let cross = emu
        .token_with_key(DEMO_API_KEY, DEMO_LICENSE_ID, second_app, "second-license-secret", None)
        .await;
    cross.refused(401, WRONG_APP_OR_SECRET);
}

#[tokio::test]
async fn a_token_must_be_of_the_kind_and_account_the_call_takes() {
    let emu = Emu::start().await;
    let license = emu.demo_token(None).await;
    let azure = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let office_health = account_path("audit", DEMO_OFFICE_ACCOUNT_ID, "healthstatus");
    emu.get(&office_health, &azure)
        .await
        .refused(403, "The authorization token was not issued for this account.");
    emu.get(&azure_benchmarks(), &license)
        .await
        .refused(403, "This API requires an account token; a license token was provided.");
    emu.get(&license_accounts_path(DEMO_LICENSE_ID), &azure)
        .await
        .refused(403, "This API requires a license token; an account token was provided.");
}

#[tokio::test]
async fn an_api_not_granted_to_the_app_is_403() {
    let emu = Emu::start().await;
    let spec = json!({"licenseId": DEMO_LICENSE_ID, "name": "Limited", "apis": ["License.GetAPIAccess", "Account.Rescan"]});
    let (app_id, secret) = emu.create_app(spec).await;
    let license = emu.token(&app_id, &secret, None).await.token();
    let listed = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &license).await.ok();
    assert_eq!(listed["apis"], json!(["License.GetAPIAccess", "Account.Rescan"]));
    let config = format!("/onboarding/license/{DEMO_LICENSE_ID}/config");
    let put = emu
        .keyed(Method::PUT, &config)
        .bearer_auth(&license)
        .json(&json!({"accountId": DEMO_AWS_ACCOUNT_ID}));
    send(put).await.refused(403, &not_granted("License.UpdateAPIAccess"));

    let account = emu.token(&app_id, &secret, Some(DEMO_AZURE_ACCOUNT_ID)).await.token();
    emu.get(&account_path("compliance", DEMO_AZURE_ACCOUNT_ID, "rescan"), &account).await.ok();
    emu.get(&azure_benchmarks(), &account).await.refused(403, &not_granted("Account.Audit"));
    let health = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "healthstatus");
    emu.get(&health, &account).await.refused(403, &not_granted("Account.Health"));
}

#[tokio::test]
async fn an_unknown_job_or_benchmark_is_404() {
    let emu = Emu::start().await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let job = "12345678-1234-4234-8234-123456789abc";
    let status = azure_job_status(job);
    emu.get(&status, &token).await.refused(404, &format!("Job {job} not found."));
    let summary = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/AZFDCIS1_1_0/summary");
    emu.get(&format!("{summary}?jobId={job}"), &token)
        .await
        .refused(404, &format!("Job {job} not found."));
    let audit = account_path(
        "audit",
        DEMO_AZURE_ACCOUNT_ID,
        &format!("job/{job}/benchmark/AZFDCIS1_1_0/summary"),
    );
    emu.get(&audit, &token).await.refused(404, &format!("Job {job} not found."));

    // An AWS benchmark is not one of an Azure account's.
    let aws_bench = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/AWSFDCIS1_2_0/summary");
    emu.get(&aws_bench, &token)
        .await
        .refused(404, "Benchmark AWSFDCIS1_2_0 not found for this account.");

    // A job of another account is unknown to this one.
    let office = emu.demo_token(Some(DEMO_OFFICE_ACCOUNT_ID)).await;
    let rescan =
        emu.get(&account_path("compliance", DEMO_OFFICE_ACCOUNT_ID, "rescan"), &office).await.ok();
    let office_job = rescan["jobId"].as_str().unwrap();
    let status = azure_job_status(office_job);
    emu.get(&status, &token).await.refused(404, &format!("Job {office_job} not found."));
}

#[tokio::test]
async fn a_request_body_over_64_kib_is_413() {
    let emu = Emu::start().await;
    let big = format!("{{\"APIApplicationId\": \"{}\"}}", "x".repeat(65 * 1024));
    let request = emu
        .keyed(Method::POST, &token_path(DEMO_LICENSE_ID))
        .header("Content-Type", "application/json");
    send(request.body(big)).await.refused(413, "Request body too large.");
}

#[tokio::test]
async fn when_several_rules_break_the_first_in_the_table_answers() {
    let emu = Emu::start().await;
    let unknown_license = "11111111-2222-4333-8444-555555555555";
    // Body before license, license before application.
    let request = emu.keyed(Method::POST, &token_path(unknown_license)).body("{}");
    assert_eq!(send(request).await.status, 400);
    let answer = emu.token_with_key(DEMO_API_KEY, unknown_license, "no-app", "no-secret", None);
    answer.await.refused(404, &format!("License {unknown_license} not found."));
    // Secret before account.
    let stranger = "deadbeef-1b3d-4f5a-8c7e-9d0b1a2c3d11";
    let answer = emu.token(DEMO_APP_ID, "wrong", Some(stranger)).await;
    answer.refused(401, WRONG_APP_OR_SECRET);
    let past = json!({"licenseId": DEMO_LICENSE_ID, "name": "Old", "secretExpiresAt": "2020-01-01T00:00:00Z"});
    let (app_id, old_secret) = emu.create_app(past).await;
    let answer = emu.token(&app_id, &old_secret, Some(stranger)).await;
    answer.refused(401, "The API application secret has expired.");
    // A regenerated secret is told apart even when the application's secret has expired.
    emu.control_ok(Method::POST, &format!("apps/{app_id}/regenerate-secret"), None, 200).await;
    let answer = emu.token(&app_id, &old_secret, None).await;
    answer.refused(
        401,
        "The API application secret has been regenerated; the previous secret is no longer valid.",
    );

    // Token kind before grants, grants before unknown jobs.
    let spec =
        json!({"licenseId": DEMO_LICENSE_ID, "name": "Limited", "apis": ["License.GetAPIAccess"]});
    let (app_id, secret) = emu.create_app(spec).await;
    let license = emu.token(&app_id, &secret, None).await.token();
    emu.get(&azure_benchmarks(), &license)
        .await
        .refused(403, "This API requires an account token; a license token was provided.");
    let account = emu.token(&app_id, &secret, Some(DEMO_AZURE_ACCOUNT_ID)).await.token();
    let job = "12345678-1234-4234-8234-123456789abc";
    let status = azure_job_status(job);
    emu.get(&status, &account).await.refused(403, &not_granted("Account.GetJobstatus"));
    // Account before grants: another account's path is refused for the account, not the API.
    let office = account_path("audit", DEMO_OFFICE_ACCOUNT_ID, "benchmarks");
    emu.get(&office, &account)
        .await
        .refused(403, "The authorization token was not issued for this account.");
}

/// Not in the docs' table, but answered: malformed input to a data call is a 400 with the
/// same `{statusCode, message}` shape.
#[tokio::test]
async fn malformed_data_call_input_is_400_invalid_request() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    let config = format!("/onboarding/license/{DEMO_LICENSE_ID}/config");
    let put = emu.keyed(Method::PUT, &config).bearer_auth(&token);
    send(put.json(&json!({"account": DEMO_AWS_ACCOUNT_ID})))
        .await
        .refused(400, "Invalid request: accountId is missing.");
    let stranger = "deadbeef-1b3d-4f5a-8c7e-9d0b1a2c3d11";
    let put = emu.keyed(Method::PUT, &config).bearer_auth(&token);
    send(put.json(&json!({"accountId": stranger})))
        .await
        .refused(404, &format!("Account {stranger} not found in this license."));
    let empty = format!("{}?accountId=", token_path(DEMO_LICENSE_ID));
    let request = emu.keyed(Method::POST, &empty).json(&credentials(DEMO_APP_ID, DEMO_APP_SECRET));
    send(request).await.refused(400, "Invalid request: accountId is empty.");
}
