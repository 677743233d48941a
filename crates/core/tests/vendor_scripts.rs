//! A replay of what the vendor's own client scripts read, against the emulator, through our
//! client: if the emulator and the client agree with each other but not with the scripts,
//! this is where it shows.
//!
//! Written from Cloudneeti/docs_cloudneeti `scripts/Generate-AuditReport.ps1` and
//! `scripts/Generate-FailedAssetReport.ps1`: each step below names the script lines it
//! replays, and each report column is computed from the same field the script reads. The
//! health, rescan and job-status steps follow the API pages (getHealthStatus,
//! initiateScanAPI, scanStatusAPI), which no script uses.

mod common;

use cloudneeti_core::client::{AccessToken, ApiClient, BenchmarkSummary, FailedAssetsPage};
use cloudneeti_emulator::state::NewApp;
use common::*;
use serde_json::Value;

/// The script's per-account outcome: `$summaryAccountsStatus` with AccountId, Status and
/// Details.
struct AccountStatus {
    account_id: String,
    status: &'static str,
    details: String,
}

type Row = Vec<(&'static str, String)>;

/// `Get-LicenseToken`, then `Get-AccountList`: `result.accounts[].accountId`, refusing to go
/// on when `result.apis` lacks Account.Audit ("Token is not valid for API permission...").
async fn account_list(client: &ApiClient, keys: &Keys) -> Result<Vec<String>, String> {
    let license = client.license_token(&keys.creds(), DEMO_LICENSE_ID).await.unwrap();
    let listed = client.license_accounts(&keys.api_key, &license).await.unwrap();
    if !listed.apis.iter().any(|a| a == "Account.Audit") {
        return Err("Token is not valid for API permission. Update API application permission(Account.Audit) and regenerate token".into());
    }
    Ok(listed.accounts.into_iter().map(|a| a.account_id).collect())
}

/// The foreach over accounts: an account token each; a failure is that account's "Failed"
/// with the service's message, and the next account goes on.
async fn per_account<F, Fut>(
    client: &ApiClient,
    keys: &Keys,
    accounts: &[String],
    mut report: F,
) -> (Vec<Row>, Vec<AccountStatus>)
where
    F: FnMut(AccessToken) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Row>, cloudneeti_core::Error>>,
{
    let (mut rows, mut statuses) = (Vec::new(), Vec::new());
    for id in accounts {
        let result = match client.account_token(&keys.creds(), DEMO_LICENSE_ID, id).await {
            Ok(token) => report(token).await,
            Err(e) => Err(e),
        };
        let (status, details) = match result {
            Ok(new) => {
                let details = format!("Number of records added: {}", new.len());
                rows.extend(new);
                ("Success", details)
            }
            Err(e) => ("Failed", e.to_string()),
        };
        statuses.push(AccountStatus { account_id: id.clone(), status, details });
    }
    (rows, statuses)
}

/// `Add-Csv` of Generate-AuditReport.ps1: one row per policy of each resource category.
fn audit_rows(result: &BenchmarkSummary) -> Vec<Row> {
    let mut rows = Vec::new();
    for category in &result.resource_categories {
        for policy in &category.policies {
            rows.push(vec![
                ("Cloud Account Id", result.account_id.clone()),
                ("Cloud Account Name", result.account_name.clone()),
                ("Connector Type", result.connector_type.clone()),
                // The script writes the id under this name.
                ("Benchmark Name", result.benchmark_id.clone()),
                ("Category Name", category.category_name.clone()),
                ("Policy ID", policy.policy_id.clone()),
                ("Policy Name", policy.short_title.clone()),
                ("Control Number", policy.compliance_number.clone()),
                ("Total Resource Count", policy.total_resource_count.to_string()),
                ("Passed Resource Count", policy.passed_resource_count.to_string()),
                ("Failed Resource Count", policy.failed_resource_count().to_string()),
                ("Risk Impact", policy.severity.clone()),
                ("Risk Likelihood", policy.risk_probability.clone()),
                ("Risk Level", policy.risk_level.clone()),
            ]);
        }
    }
    rows
}

/// `[string]` of the PSCustomObject Invoke-RestMethod makes of the tags, `@{a=1; b=2}`, with
/// the script's `substring(2)` and `-replace ".$"` cutting the braces.
fn script_tags(tags: &Value) -> String {
    match tags {
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .map(|(k, v)| {
                format!("{k}={}", v.as_str().map_or_else(|| v.to_string(), str::to_string))
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// `Add-Csv` of Generate-FailedAssetReport.ps1: one row per failed asset.
fn failed_asset_rows(result: &FailedAssetsPage) -> Vec<Row> {
    result
        .failed_policy_assets_lists
        .iter()
        .map(|asset| {
            let group = if result.connector_type == "Azure"
                && asset.resource_id.contains("resourceGroups/")
            {
                asset.resource_id.split('/').nth(4).unwrap_or_default().to_string()
            } else {
                "NA".to_string()
            };
            vec![
                ("Asset Name", asset.resource_name.clone()),
                ("Access Level", asset.access_level.clone()),
                ("Asset Type", asset.resource_type.clone()),
                ("Resource Group Name", group),
                ("Asset Id", asset.resource_id.clone()),
                ("Policy Id", asset.policy_id.clone()),
                ("Policy Title", asset.short_title.clone()),
                ("Category Name", asset.category_name.clone()),
                ("Impact", asset.impact.clone()),
                ("Region", asset.resource_region.clone()),
                ("Tags", script_tags(&asset.tags)),
                ("Account Id", result.account_id.clone()),
                ("Account Name", result.account_name.clone()),
                ("Cloud Provider", result.connector_type.clone()),
                ("Benchmark ID", result.bench_mark_id.clone()),
                ("Benchmark Name", result.bench_mark_name.clone()),
            ]
        })
        .collect()
}

fn column<'a>(row: &'a Row, name: &str) -> &'a str {
    &row.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no column {name}")).1
}

#[tokio::test]
async fn generate_audit_report_reads_every_column_it_writes() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let accounts = account_list(&client, &keys).await.unwrap();
    assert_eq!(accounts.len(), 4);

    let (rows, statuses) = per_account(&client, &keys, &accounts, |token| {
        let client = &client;
        let key = &keys.api_key;
        async move { Ok(audit_rows(&client.benchmark_summary(key, &token, "CSBP", None).await?)) }
    })
    .await;

    // The AWS account is outside the demo app's scope: the script's "Failed" with the
    // service's words; the others succeed.
    let failed: Vec<&AccountStatus> = statuses.iter().filter(|s| s.status == "Failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].account_id, DEMO_AWS_ACCOUNT_ID);
    assert!(
        failed[0].details.contains("is not in the API application scope"),
        "{}",
        failed[0].details
    );
    assert!(statuses
        .iter()
        .filter(|s| s.status == "Success")
        .all(|s| s.details.starts_with("Number of records added: ")));

    assert!(!rows.is_empty());
    let connectors: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| column(r, "Connector Type")).collect();
    assert_eq!(connectors.into_iter().collect::<Vec<_>>(), ["Azure", "GCP", "Office365"]);
    for row in &rows {
        for (name, value) in row {
            let may_be_blank = matches!(*name, "Risk Level");
            assert!(may_be_blank || !value.is_empty(), "{name} is empty in {row:?}");
        }
        assert_eq!(column(row, "Benchmark Name"), "CSBP");
        let total: u64 = column(row, "Total Resource Count").parse().unwrap();
        let passed: u64 = column(row, "Passed Resource Count").parse().unwrap();
        let failed: u64 = column(row, "Failed Resource Count").parse().unwrap();
        assert_eq!(failed, total - passed);
        assert!(["Critical", "High", "Moderate", "Low", "VeryLow"]
            .contains(&column(row, "Risk Impact")));
        let likelihood = column(row, "Risk Likelihood");
        assert!(["Certain", "High", "Moderate", "NotLikely", " "].contains(&likelihood));
        // A policy with nothing to assess: the sample's " " and "".
        assert_eq!(total == 0, likelihood == " ", "{row:?}");
        assert_eq!(total == 0, column(row, "Risk Level").is_empty(), "{row:?}");
    }
    assert!(rows.iter().any(|r| column(r, "Control Number") == "1000.1"), "the sample's numbering");
}

#[tokio::test]
async fn generate_audit_report_stops_when_the_app_lacks_account_audit() {
    let emulator = start().await;
    let apis = ["License.GetAPIAccess", "Account.Health"].map(String::from).to_vec();
    let app = emulator
        .control()
        .with(|s| {
            s.create_app(NewApp {
                license_id: DEMO_LICENSE_ID.into(),
                name: "No audit".into(),
                apis: Some(apis),
                account_ids: None,
                token_expiry_minutes: 60,
                secret_expires_at: None,
            })
        })
        .unwrap();
    let keys = Keys::new(DEMO_API_KEY, &app.app_id, &app.secret);
    let error = account_list(&client(&emulator), &keys).await.unwrap_err();
    assert!(error.contains("Account.Audit"), "{error}");
}

#[tokio::test]
async fn generate_failed_asset_report_reads_every_page_and_column() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let accounts = account_list(&client, &keys).await.unwrap();
    let counts = std::cell::RefCell::new(Vec::new());
    let (rows, statuses) = per_account(&client, &keys, &accounts, |token| {
        let (client, key, counts) = (&client, &keys.api_key, &counts);
        async move {
            // Page 1, then 2..=ceil(failedAssetCount / 1000), each through Add-Csv.
            let all = client.all_failed_assets(key, &token, "CSBP").await?;
            counts.borrow_mut().push((
                all.page.connector_type.clone(),
                all.page.failed_asset_count,
                all.pages,
            ));
            Ok(failed_asset_rows(&all.page))
        }
    })
    .await;
    assert_eq!(statuses.iter().filter(|s| s.status == "Success").count(), 3);
    let counts = counts.into_inner();
    let total: u64 = counts.iter().map(|(_, n, _)| n).sum();
    assert_eq!(rows.len() as u64, total, "a row for every failed asset of every page");
    let (_, azure_count, azure_pages) = counts.iter().find(|(c, _, _)| c == "Azure").unwrap();
    assert!(*azure_pages >= 3, "the Azure account fills several pages: {azure_count}");

    for row in &rows {
        for name in [
            "Asset Name",
            "Asset Type",
            "Asset Id",
            "Policy Id",
            "Policy Title",
            "Category Name",
            "Impact",
            "Region",
            "Account Id",
            "Account Name",
            "Cloud Provider",
            "Benchmark ID",
            "Benchmark Name",
        ] {
            assert!(!column(row, name).is_empty(), "{name} is empty in {row:?}");
        }
        assert!(["Public", "Private"].contains(&column(row, "Access Level")));
        assert_eq!(column(row, "Benchmark ID"), "CSBP");
    }
    let azure: Vec<&Row> = rows.iter().filter(|r| column(r, "Cloud Provider") == "Azure").collect();
    // Resources in a resource group name it; subscription-level ones are "NA".
    assert!(azure.iter().any(|r| column(r, "Resource Group Name").starts_with("rg-")));
    assert!(azure.iter().any(|r| column(r, "Resource Group Name") == "NA"));
    assert!(rows
        .iter()
        .filter(|r| column(r, "Cloud Provider") != "Azure")
        .all(|r| column(r, "Resource Group Name") == "NA"));
    // Tags as the script writes them, quotes and commas kept.
    assert!(rows
        .iter()
        .any(|r| column(r, "Tags") == "Environment=Production; Owner=it-ops@contoso.example"));
    assert!(rows.iter().any(|r| column(r, "Tags") == "Project=Apollo, \"Phase 2\""));
    assert!(rows.iter().any(|r| column(r, "Tags").is_empty()));
}

#[tokio::test]
async fn health_rescan_and_job_status_as_their_pages_describe() {
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let key = &keys.api_key;
    for (account, ends) in [(DEMO_AZURE_ACCOUNT_ID, "Success"), (DEMO_GCP_ACCOUNT_ID, "Failed")] {
        let token = client.account_token(&keys.creds(), DEMO_LICENSE_ID, account).await.unwrap();
        let health = client.health_status(key, &token).await.unwrap();
        assert!(health
            .prerequisites
            .iter()
            .all(|p| ["complete", "incomplete"].contains(&p.is_healthy.as_str())));
        assert!(health.prerequisites.iter().any(|p| p.required && p.is_complete()));
        let before = health.account_scan_quota_details.unwrap().consumed_quota;

        let job = client.rescan(key, &token).await.unwrap();
        let mut seen = vec![client.job_status(key, &token, &job.job_id).await.unwrap().job_status];
        for _ in 0..3 {
            emulator.control().with(|s| s.advance_clock(3));
            let status = client.job_status(key, &token, &job.job_id).await.unwrap().job_status;
            if seen.last() != Some(&status) {
                seen.push(status);
            }
        }
        assert_eq!(seen, ["New", "Running", ends]);
        let health = client.health_status(key, &token).await.unwrap();
        assert_eq!(health.account_scan_quota_details.unwrap().consumed_quota, before + 1);
    }
}

/// The report the product writes (`cloudneeti_core::report`) is, cell for cell, the replay of
/// the scripts' `Add-Csv` above, for every account of the demo seed.
#[tokio::test]
async fn the_products_reports_are_the_scripts_rows_cell_for_cell() {
    use cloudneeti_core::report::{self, Cell};
    let emulator = start().await;
    let client = client(&emulator);
    let keys = Keys::demo();
    let text = |row: Vec<Cell>| -> Vec<String> {
        row.into_iter()
            .map(|cell| match cell {
                Cell::Text(s) => s,
                Cell::Count(n) => n.to_string(),
            })
            .collect()
    };
    let names = |rows: &[Row]| -> Vec<Vec<&'static str>> {
        rows.iter().map(|r| r.iter().map(|(n, _)| *n).collect()).collect()
    };
    let mut compared = 0;
    for account in [DEMO_AZURE_ACCOUNT_ID, DEMO_OFFICE_ACCOUNT_ID, DEMO_GCP_ACCOUNT_ID] {
        let token = client.account_token(&keys.creds(), DEMO_LICENSE_ID, account).await.unwrap();
        let summary = client.benchmark_summary(&keys.api_key, &token, "CSBP", None).await.unwrap();
        let script = audit_rows(&summary);
        let ours: Vec<Vec<String>> = report::audit_rows(&summary).map(text).collect();
        assert!(names(&script).iter().all(|n| n == report::AUDIT_COLUMNS));
        let script_cells: Vec<Vec<String>> =
            script.iter().map(|r| r.iter().map(|(_, v)| v.clone()).collect()).collect();
        assert_eq!(ours, script_cells, "audit rows of {account}");

        let assets = client.all_failed_assets(&keys.api_key, &token, "CSBP").await.unwrap();
        let script = failed_asset_rows(&assets.page);
        let ours: Vec<Vec<String>> = report::failed_asset_rows(&assets.page).map(text).collect();
        assert!(names(&script).iter().all(|n| n == report::FAILED_ASSET_COLUMNS));
        let script_cells: Vec<Vec<String>> =
            script.iter().map(|r| r.iter().map(|(_, v)| v.clone()).collect()).collect();
        assert_eq!(ours, script_cells, "failed-asset rows of {account}");
        compared += ours.len();
    }
    assert!(compared > 1000, "the comparison covered the paged account");
}
