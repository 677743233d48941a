//! The success case of every documented endpoint, over real HTTP, with the documented field
//! names; and the two token formats.

mod common;

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
            account(DEMO_GCP_ACCOUNT_ID, "Contoso GCP analytics", true, "GCP"),
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
    // The onboarding page's PascalCase body [page]; a field missing is named.
    let partial = json!({"AccountName": "Contoso AWS logs", "AWSAccountId": "123456789012"});
    let refused = send(emu.keyed(Method::POST, &path).bearer_auth(&token).json(&partial)).await;
    refused.refused(400, "Invalid request: AWSRoleName is missing.");
    let body = json!({"AccountName": "Contoso AWS logs", "AWSAccountId": "123456789012", "AWSRoleName": "CloudneetiRole"});
    let added = send(add.json(&body)).await.ok();
    assert_eq!(fields(&added), ["accountId", "jobId"]);

    let listed = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await.ok();
    let new = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accountId"] == added["accountId"]);
    assert_eq!(new.unwrap()["isInApiScope"], false, "a new account waits for UpdateAPIAccess");
    assert_eq!(new.unwrap()["connectorType"], "AWS");

    let nameless = emu.keyed(Method::POST, &path).bearer_auth(&token).json(&json!({}));
    send(nameless).await.refused(400, "Invalid request: AccountName is missing.");
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
async fn health_status_lists_prerequisites_the_last_scan_and_the_quota() {
    let emu = Emu::start().await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let health_path = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "healthstatus");
    let health = emu.get(&health_path, &token).await.ok();
    assert_eq!(fields(&health), ["accountScanQuotaDetails", "lastScannedTime", "prerequisites"]);
    let prerequisites = health["prerequisites"].as_array().unwrap();
    let first = &prerequisites[0];
    assert_eq!(
        fields(first),
        ["category", "description", "isHealthy", "name", "noOfPolicies", "referLink", "required"]
    );
    // As the page's sample: "complete"/"incomplete", policy counts as strings ("All" too).
    assert!(prerequisites.iter().any(|p| p["isHealthy"] == "incomplete"));
    assert!(prerequisites.iter().all(|p| p["noOfPolicies"].is_string()));
    assert_eq!(health["accountScanQuotaDetails"], json!({"allocatedQuota": 5, "consumedQuota": 0}));
    let before = health["lastScannedTime"].as_str().unwrap().to_string();
    chrono::DateTime::parse_from_rfc3339(&before).expect("an RFC 3339 time");

    // A rescan uses quota at once, and moves the last scan when it has succeeded.
    emu.get(&account_path("compliance", DEMO_AZURE_ACCOUNT_ID, "rescan"), &token).await.ok();
    let health = emu.get(&health_path, &token).await.ok();
    assert_eq!(health["accountScanQuotaDetails"]["consumedQuota"], 1);
    assert_eq!(health["lastScannedTime"], before.as_str());
    emu.advance_clock(10).await;
    let health = emu.get(&health_path, &token).await.ok();
    assert_ne!(health["lastScannedTime"], before.as_str());
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

/// The audit report page's sample fields [page], camelCase as the vendor's scripts read them.
const SUMMARY_FIELDS: [&str; 17] = [
    "accountId",
    "accountName",
    "awsAccountId",
    "benchmarkId",
    "benchmarkName",
    "connectorType",
    "jobId",
    "lastScannedDate",
    "lastScannedDateEpochTime",
    "licenseId",
    "licenseName",
    "longName",
    "posture",
    "resourceCategories",
    "subscriptionId",
    "timeToLive",
    "title",
];

fn policies(summary: &Value) -> Vec<Value> {
    summary["resourceCategories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["policies"].as_array().unwrap().clone())
        .collect()
}

#[tokio::test]
async fn summary_without_a_job_is_the_last_successful_scan_and_with_one_is_that_job_as_is_audit() {
    let emu = Emu::start().await;
    let (token, job) = rescan(&emu, DEMO_AZURE_ACCOUNT_ID).await;
    let summary_path =
        account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/AZFDCIS1_1_0/summary");

    let baseline = emu.get(&summary_path, &token).await.ok();
    assert_eq!(fields(&baseline), SUMMARY_FIELDS);
    assert_eq!(baseline["accountId"], DEMO_AZURE_ACCOUNT_ID);
    assert_eq!(baseline["benchmarkId"], "AZFDCIS1_1_0");
    assert_eq!(baseline["benchmarkName"], "CIS Azure Foundations Benchmark1.1.0");
    assert!(baseline["subscriptionId"].is_string() && baseline["awsAccountId"].is_null());
    let category = &baseline["resourceCategories"][0];
    assert_eq!(
        fields(category),
        [
            "amber",
            "categoryId",
            "categoryName",
            "compliancePercent",
            "controlCategoryOrder",
            "gray",
            "green",
            "policies",
            "red",
            "total"
        ]
    );
    let policy = &category["policies"][0];
    assert_eq!(
        fields(policy),
        [
            "compliance",
            "complianceNumber",
            "passedResourceCount",
            "policyId",
            "riskLevel",
            "riskProbability",
            "serviceName",
            "severity",
            "shortTitle",
            "totalResourceCount"
        ]
    );
    let all = policies(&baseline);
    let count = |c: &str| all.iter().filter(|p| p["compliance"] == c).count();
    let posture = &baseline["posture"];
    assert_eq!(posture["total"], all.len());
    assert_eq!(
        (posture["green"].clone(), posture["red"].clone()),
        (json!(count("Green")), json!(count("Red")))
    );
    let assessed = (all.len() - count("Gray")) as f64;
    let percent = posture["compliancePercent"].as_f64().unwrap();
    assert!((percent - count("Green") as f64 * 100.0 / assessed).abs() < 1e-9, "{percent}");
    for p in &all {
        let severity = p["severity"].as_str().unwrap();
        assert!(["Critical", "High", "Moderate", "Low", "VeryLow"].contains(&severity));
        let likelihood = p["riskProbability"].as_str().unwrap();
        assert!(["Certain", "High", "Moderate", "NotLikely", " "].contains(&likelihood));
    }
    let baseline_job = baseline["jobId"].as_str().unwrap().to_string();
    assert_ne!(baseline_job, job);
    // Deterministic: the same figures again.
    assert_eq!(emu.get(&summary_path, &token).await.ok(), baseline);

    // The new scan's report is refused until the scan has succeeded.
    let with_job_path = format!("{summary_path}?jobId={job}");
    let early = emu.get(&with_job_path, &token).await;
    early.refused(
        404,
        &format!("No audit report for scan job {job}: the scan has not completed successfully."),
    );
    emu.advance_clock(10).await;

    let with_job = emu.get(&with_job_path, &token).await.ok();
    assert_eq!(with_job["jobId"], job.as_str());
    assert_ne!(policies(&with_job), all, "a new scan has new results");
    let totals = |list: &[Value]| -> Vec<Value> {
        list.iter().map(|p| p["totalResourceCount"].clone()).collect()
    };
    assert_eq!(totals(&policies(&with_job)), totals(&all), "but the same resources");
    // Now the last successful scan is that job.
    assert_eq!(emu.get(&summary_path, &token).await.ok(), with_job);

    let audit_path = account_path(
        "audit",
        DEMO_AZURE_ACCOUNT_ID,
        &format!("job/{job}/benchmark/AZFDCIS1_1_0/summary"),
    );
    assert_eq!(emu.get(&audit_path, &token).await.ok(), with_job);
}

#[tokio::test]
async fn a_seed_can_answer_summaries_in_the_pages_pascal_case() {
    let mut seed = Seed::demo();
    seed.settings.summary_case = cloudneeti_emulator::seed::KeyCase::Pascal;
    let emu = Emu::with_seed(seed).await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let path = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/CSBP/summary");
    let summary = emu.get(&path, &token).await.ok();
    assert!(summary["ResourceCategories"][0]["Policies"][0]["PolicyId"].is_string());
    assert!(summary["Posture"]["CompliancePercent"].is_number());
}

#[tokio::test]
async fn failed_assets_come_in_pages_that_add_up_to_the_summarys_failed_resources() {
    let emu = Emu::start().await;
    let token = emu.demo_token(Some(DEMO_AZURE_ACCOUNT_ID)).await;
    let summary_path = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "benchmark/CSBP/summary");
    let failed_in_summary: u64 = policies(&emu.get(&summary_path, &token).await.ok())
        .iter()
        .map(|p| {
            p["totalResourceCount"].as_u64().unwrap() - p["passedResourceCount"].as_u64().unwrap()
        })
        .sum();
    let page = |n: u64| {
        account_path(
            "audit",
            DEMO_AZURE_ACCOUNT_ID,
            &format!("failedassets?benchmarkId=CSBP&pageNumber={n}&pageSize=1000"),
        )
    };
    let first = emu.get(&page(1), &token).await.ok();
    assert_eq!(
        fields(&first),
        [
            "accountId",
            "accountName",
            "benchMarkId",
            "benchMarkName",
            "connectorType",
            "failedAssetCount",
            "failedPolicyAssetsLists"
        ]
    );
    let count = first["failedAssetCount"].as_u64().unwrap();
    assert_eq!(count, failed_in_summary);
    assert!(count > 2000, "several pages of the script's 1000: {count}");
    let asset = &first["failedPolicyAssetsLists"][0];
    assert_eq!(
        fields(asset),
        [
            "accessLevel",
            "categoryName",
            "impact",
            "policyId",
            "resourceId",
            "resourceName",
            "resourceRegion",
            "resourceType",
            "shortTitle",
            "tags"
        ]
    );
    // The script's loop: pages 2..=ceil(count / 1000).
    let mut seen = first["failedPolicyAssetsLists"].as_array().unwrap().len() as u64;
    for n in 2..=count.div_ceil(1000) {
        seen += emu.get(&page(n), &token).await.ok()["failedPolicyAssetsLists"]
            .as_array()
            .unwrap()
            .len() as u64;
    }
    assert_eq!(seen, count);
    let past = emu.get(&page(count.div_ceil(1000) + 1), &token).await.ok();
    assert_eq!(past["failedPolicyAssetsLists"], json!([]));

    let oversized =
        account_path("audit", DEMO_AZURE_ACCOUNT_ID, "failedassets?benchmarkId=CSBP&pageSize=5000");
    assert_eq!(emu.get(&oversized, &token).await.status, 400);
    let nameless = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "failedassets?pageNumber=1");
    assert_eq!(emu.get(&nameless, &token).await.status, 400);
}

fn jwt_payload(token: &str) -> Value {
    assert_eq!(token.split('.').count(), 3, "a JWT has three parts: {token}");
    assert_eq!(jwt::header(token)["alg"], "HS256");
    jwt::claims(token)
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
