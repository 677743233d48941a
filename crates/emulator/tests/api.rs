//! The success case of every documented endpoint, over real HTTP, with the documented field
//! names; and the two token formats.

mod common;

use base64::Engine;
use cloudneeti_emulator::seed::{JobOutcome, TokenFormat, ALL_APIS};
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn license_and_account_tokens_are_issued_with_the_documented_fields() {
    let emu = Emu::start().await;
    let license = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, None).await;
    assert_eq!(license.header("content-type"), Some(JSON_TYPE));
    let account = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, Some(DEMO_AZURE_ACCOUNT_ID)).await;
    assert_ne!(license.token(), account.token());
    // Each kind opens its own calls.
    emu.get(&license_accounts_path(DEMO_LICENSE_ID), &license.token()).await.ok();
    let benchmarks = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmarks");
    emu.get(&benchmarks, &account.token()).await.ok();
}

#[tokio::test]
async fn license_accounts_lists_every_account_its_scope_and_the_app_grants() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    let result = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await.ok();
    let account = |id: &str, name: &str, in_scope: bool, connector: &str| json!({"accountId": id, "accountName": name, "isInApiScope": in_scope, "connectorType": connector});
    let expected = json!({
        "licenseId": DEMO_LICENSE_ID,
        "accounts": [
            account(DEMO_AZURE_ACCOUNT_ID, "Contoso Azure production", true, "Azure"),
            account(DEMO_AWS_ACCOUNT_ID, "Contoso AWS sandbox", false, "AWS"),
            account(DEMO_OFFICE_ACCOUNT_ID, "Contoso Office 365", true, "Office365"),
        ],
        "apis": ALL_APIS,
    });
    assert_eq!(result, expected);
}

#[tokio::test]
async fn update_api_access_puts_an_account_in_the_app_scope() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    // Before: the AWS account is outside the scope.
    let before = emu.token(DEMO_APP_ID, DEMO_APP_SECRET, Some(DEMO_AWS_ACCOUNT_ID)).await;
    assert_eq!(before.status, 403);

    let config = format!("/onboarding/license/{DEMO_LICENSE_ID}/config");
    let put = emu.keyed(Method::PUT, &config).bearer_auth(&token);
    let answer = send(put.json(&json!({"accountId": DEMO_AWS_ACCOUNT_ID}))).await;
    assert_eq!(answer.ok(), json!("Account Added"));

    let listed = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await.ok();
    let aws = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accountId"] == DEMO_AWS_ACCOUNT_ID)
        .unwrap()
        .clone();
    assert_eq!(aws["isInApiScope"], true);
    let aws_token = emu.demo_token(Some(DEMO_AWS_ACCOUNT_ID)).await;
    let benchmarks = account_path("audit", DEMO_AWS_ACCOUNT_ID, "benchmarks");
    let listed = emu.get(&benchmarks, &aws_token).await.ok();
    assert_eq!(
        listed[0],
        json!({"name": "CIS AWS Foundations Benchmark1.2.0", "benchmarkId": "AWSFDCIS1_2_0"})
    );
}

#[tokio::test]
async fn add_account_joins_the_license_outside_the_app_scope() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    let path = format!("/onboarding/license/{DEMO_LICENSE_ID}/account/aws");
    let add = emu.keyed(Method::POST, &path).bearer_auth(&token);
    let added = send(add.json(&json!({"accountName": "Contoso AWS logs"}))).await.ok();
    assert_eq!(fields(&added), ["accountId", "accountName", "connectorType"]);
    assert_eq!(added["connectorType"], "AWS");

    let listed = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await.ok();
    let new = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accountId"] == added["accountId"]);
    assert_eq!(new.unwrap()["isInApiScope"], false, "a new account waits for UpdateAPIAccess");

    let nameless = emu.keyed(Method::POST, &path).bearer_auth(&token).json(&json!({}));
    send(nameless).await.refused(400, "Invalid request: accountName is missing.");
    let gcp = format!("/onboarding/license/{DEMO_LICENSE_ID}/account/gcp");
    let unknown_cloud =
        emu.keyed(Method::POST, &gcp).bearer_auth(&token).json(&json!({"accountName": "x"}));
    send(unknown_cloud).await.refused(404, "Resource not found");
}

#[tokio::test]
async fn benchmarks_follow_the_connector_type() {
    let emu = Emu::start().await;
    let azure = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let listed =
        emu.get(&account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmarks"), &azure).await.ok();
    let ids: Vec<&str> =
        listed.as_array().unwrap().iter().map(|b| b["benchmarkId"].as_str().unwrap()).collect();
    // The ids and names of the benchmarks page's sample [page], in the documented shape.
    assert_eq!(
        ids,
        [
            "AZFDCIS1_1_0",
            "CSBP",
            "PCI3_2",
            "HIPAA",
            "GDPR2016_679",
            "NISTCSF1_1",
            "ISO27001_2013",
            "SOC2_AICPA_TSC_2017"
        ]
    );
    assert_eq!(fields(&listed[0]), ["benchmarkId", "name"]);
    assert_eq!(listed[1]["name"], "Cloud Security Best Practices");

    let office = emu.demo_token(Some(DEMO_OFFICE_ACCOUNT_ID)).await;
    let listed =
        emu.get(&account_path("audit", DEMO_OFFICE_ACCOUNT_ID, "benchmarks"), &office).await.ok();
    assert_eq!(
        listed[0],
        json!({"name": "CIS Microsoft 365 Foundations Benchmark1.1.0", "benchmarkId": "M365CIS1_1_0"})
    );
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|b| !b["benchmarkId"].as_str().unwrap().starts_with("AZ")));
}

#[tokio::test]
async fn health_status_describes_the_account_and_its_last_scan() {
    let emu = Emu::start().await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let health_path = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "healthstatus");
    let health = emu.get(&health_path, &token).await.ok();
    let expected = json!({
        "accountId": DEMO_AZURE_ACCOUNT_ID,
        "accountName": "Contoso Azure production",
        "connectorType": "Azure",
        "healthStatus": "Healthy",
        "lastScanTime": null,
    });
    assert_eq!(health, expected);

    emu.get(&account_path("compliance", DEMO_AZURE_ACCOUNT_ID, "rescan"), &token).await.ok();
    let health = emu.get(&health_path, &token).await.ok();
    let last_scan = health["lastScanTime"].as_str().expect("a scan time after a rescan");
    chrono::DateTime::parse_from_rfc3339(last_scan).expect("an RFC 3339 time");
}

/// Starts a rescan of `account` and returns (token, jobId).
async fn rescan(emu: &Emu, account: &str) -> (String, String) {
    let token = emu.demo_token(Some(account)).await;
    let started = emu.get(&account_path("compliance", account, "rescan"), &token).await.ok();
    assert_eq!(fields(&started), ["jobId"]);
    let job_id = started["jobId"].as_str().unwrap().to_string();
    uuid::Uuid::parse_str(&job_id).expect("job ids are GUIDs");
    (token, job_id)
}

async fn job_status(emu: &Emu, token: &str, account: &str, job_id: &str) -> Value {
    let path = account_path("compliance", account, &format!("job/{job_id}/status"));
    let result = emu.get(&path, token).await.ok();
    assert_eq!(result["jobId"], job_id);
    result["jobStatus"].clone()
}

/// Job ages are whole seconds of the emulated clock, whose fraction is the wall clock's: start
/// just after a second begins so that the steps below land exactly on the boundaries.
async fn at_the_start_of_a_second() {
    let into_second = chrono::Utc::now().timestamp_subsec_millis();
    if into_second > 50 {
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(1005 - into_second))).await;
    }
}

#[tokio::test]
async fn a_rescan_job_is_new_then_running_then_success_on_the_emulated_clock() {
    let emu = Emu::start().await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    at_the_start_of_a_second().await;
    let rescan_path = account_path("compliance", DEMO_AZURE_ACCOUNT_ID, "rescan");
    let job = emu.get(&rescan_path, &token).await.ok()["jobId"].as_str().unwrap().to_string();
    // Demo settings: New for 2 s, Running for 5 s.
    for (advance, expected) in
        [(0, "New"), (1, "New"), (1, "Running"), (4, "Running"), (1, "Success")]
    {
        emu.advance_clock(advance).await;
        assert_eq!(job_status(&emu, &token, DEMO_AZURE_ACCOUNT_ID, &job).await, expected);
    }
}

#[tokio::test]
async fn a_rescan_of_an_account_seeded_to_fail_ends_failed() {
    let mut seed = Seed::demo();
    seed.licenses[0].accounts[2].rescan_outcome = JobOutcome::Failed;
    seed.settings.job_new_seconds = 1;
    seed.settings.job_running_seconds = 2;
    let emu = Emu::with_seed(seed).await;
    let (token, job) = rescan(&emu, DEMO_OFFICE_ACCOUNT_ID).await;
    // Ages are whole seconds: one second later the job is 1 or 2 s old, Running either way.
    emu.advance_clock(1).await;
    assert_eq!(job_status(&emu, &token, DEMO_OFFICE_ACCOUNT_ID, &job).await, "Running");
    emu.advance_clock(2).await;
    assert_eq!(job_status(&emu, &token, DEMO_OFFICE_ACCOUNT_ID, &job).await, "Failed");
    // The other accounts still succeed.
    let (token, job) = rescan(&emu, DEMO_AZURE_ACCOUNT_ID).await;
    emu.advance_clock(3).await;
    assert_eq!(job_status(&emu, &token, DEMO_AZURE_ACCOUNT_ID, &job).await, "Success");
}

const SUMMARY_FIELDS: [&str; 8] = [
    "accountId",
    "benchmarkId",
    "benchmarkName",
    "compliancePercentage",
    "failedRules",
    "jobId",
    "passedRules",
    "totalRules",
];

#[tokio::test]
async fn summary_without_a_job_is_the_baseline_and_with_one_is_that_job_as_is_audit() {
    let emu = Emu::start().await;
    let (token, job) = rescan(&emu, DEMO_AZURE_ACCOUNT_ID).await;
    let summary_path =
        account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/AZFDCIS1_1_0/summary");

    let baseline = emu.get(&summary_path, &token).await.ok();
    assert_eq!(fields(&baseline), SUMMARY_FIELDS);
    assert_eq!(baseline["accountId"], DEMO_AZURE_ACCOUNT_ID);
    assert_eq!(baseline["benchmarkId"], "AZFDCIS1_1_0");
    assert_eq!(baseline["benchmarkName"], "CIS Azure Foundations Benchmark1.1.0");
    let (total, passed, failed) = (
        baseline["totalRules"].as_u64().unwrap(),
        baseline["passedRules"].as_u64().unwrap(),
        baseline["failedRules"].as_u64().unwrap(),
    );
    assert_eq!(total, passed + failed);
    let percentage = baseline["compliancePercentage"].as_f64().unwrap();
    assert!((percentage - passed as f64 * 100.0 / total as f64).abs() < 0.051, "{percentage}");
    let baseline_job = baseline["jobId"].as_str().unwrap().to_string();
    assert_ne!(baseline_job, job);
    // Deterministic: the same figures again.
    assert_eq!(emu.get(&summary_path, &token).await.ok(), baseline);

    let with_job = emu.get(&format!("{summary_path}?jobId={job}"), &token).await.ok();
    let mut expected = baseline.clone();
    expected["jobId"] = json!(job);
    assert_eq!(with_job, expected);

    let audit_path = account_path(
        "audit",
        DEMO_AZURE_ACCOUNT_ID,
        &format!("job/{job}/benchmark/AZFDCIS1_1_0/summary"),
    );
    assert_eq!(emu.get(&audit_path, &token).await.ok(), expected);
}

fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts: {token}");
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[0]).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&header).unwrap()["alg"], "HS256");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    serde_json::from_slice(&payload).unwrap()
}

#[tokio::test]
async fn jwt_tokens_carry_exp_iat_and_the_app_token_expiry() {
    let emu = Emu::start().await;
    let license = jwt_payload(&emu.demo_token(None).await);
    assert_eq!(license["exp"].as_i64().unwrap() - license["iat"].as_i64().unwrap(), 60 * 60);
    assert_eq!(license["sub"], DEMO_APP_ID);
    assert_eq!(license["license_id"], DEMO_LICENSE_ID);
    assert!(license.get("account_id").is_none());

    let spec =
        json!({"licenseId": DEMO_LICENSE_ID, "name": "Short-lived", "tokenExpiryMinutes": 15});
    let (app_id, secret) = emu.create_app(spec).await;
    let token = emu.token(&app_id, &secret, Some(DEMO_OFFICE_ACCOUNT_ID)).await.token();
    let account = jwt_payload(&token);
    assert_eq!(account["exp"].as_i64().unwrap() - account["iat"].as_i64().unwrap(), 15 * 60);
    assert_eq!(account["account_id"], DEMO_OFFICE_ACCOUNT_ID);
    let now = chrono::Utc::now().timestamp();
    assert!((account["iat"].as_i64().unwrap() - now).abs() <= 5);
}

#[tokio::test]
async fn opaque_tokens_have_no_dots_and_still_open_the_api() {
    let mut seed = Seed::demo();
    seed.settings.token_format = TokenFormat::Opaque;
    let emu = Emu::with_seed(seed).await;
    let license = emu.demo_token(None).await;
    assert!(!license.contains('.'), "{license}");
    emu.get(&license_accounts_path(DEMO_LICENSE_ID), &license).await.ok();
    let account = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    assert!(!account.contains('.'), "{account}");
    emu.get(&account_path("audit", DEMO_AZURE_ACCOUNT_ID, "healthstatus"), &account).await.ok();
}
