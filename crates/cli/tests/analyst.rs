//! End to end: what analysts do with the token (`api`, `exec`, `benchmarks`, `health`,
//! `rescan`, `job`, `scope add`, `account add`, `report`), the real binary against the
//! emulator and a real Secret Service. Expected figures come from the emulator's own answers
//! (read with `api`, a different path through the tool), never from constants.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Exit code of a report that landed for some accounts only (crates/core/src/error.rs).
const PARTIAL: i32 = 10;

fn setup() -> (Emu, User) {
    let emu = Emu::start();
    let user = User::with_home();
    user.demo_profile("p", &emu.url);
    (emu, user)
}

fn home(user: &User) -> &Path {
    user.home.as_ref().unwrap().path()
}

/// RFC 4180 records: quoted fields, doubled quotes, CRLF between records.
fn csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the last record ends with CRLF");
    records
}

const IN_SCOPE: [&str; 3] = [DEMO_AZURE_ACCOUNT_ID, DEMO_OFFICE_ACCOUNT_ID, DEMO_GCP_ACCOUNT_ID];

fn api(user: &User, path: &str) -> Value {
    let run = user.run(&["api", "p", path]);
    run.success();
    run.stdout_json()
}

/// Policies per account of the CSBP summary, as the service answers it.
fn policies_of(user: &User, account: &str) -> usize {
    let summary =
        api(user, &format!("/audit/license/{{license}}/account/{account}/benchmark/CSBP/summary"));
    summary["result"]["resourceCategories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["policies"].as_array().unwrap().len())
        .sum()
}

fn failed_assets_of(user: &User, account: &str) -> u64 {
    let page = api(user, &format!("/audit/license/{{license}}/account/{account}/failedassets?benchmarkId=CSBP&pageNumber=1&pageSize=1000"));
    page["result"]["failedAssetCount"].as_u64().unwrap()
}

#[test]
fn the_audit_report_has_the_scripts_columns_and_a_row_per_policy_of_every_account_in_scope() {
    let (_emu, user) = setup();
    let out = home(&user).join("audit.csv");
    let run = user.run(&["report", "audit", "p", "--out", out.to_str().unwrap()]);
    run.success();
    let records = csv(&std::fs::read_to_string(&out).unwrap());
    // Generate-AuditReport.ps1's headers, in its order.
    assert_eq!(
        records[0],
        [
            "Cloud Account Id",
            "Cloud Account Name",
            "Connector Type",
            "Benchmark Name",
            "Category Name",
            "Policy ID",
            "Policy Name",
            "Control Number",
            "Total Resource Count",
            "Passed Resource Count",
            "Failed Resource Count",
            "Risk Impact",
            "Risk Likelihood",
            "Risk Level",
        ]
    );
    for account in IN_SCOPE {
        let rows: Vec<&Vec<String>> = records[1..].iter().filter(|r| r[0] == account).collect();
        assert_eq!(rows.len(), policies_of(&user, account), "rows of {account}");
        for row in rows {
            let n = |i: usize| row[i].parse::<u64>().unwrap();
            assert_eq!(n(10), n(8) - n(9), "failed = total - passed: {row:?}");
            assert_eq!(row[3], "CSBP", "the script writes the benchmark's id as its name");
        }
    }
    // The account outside the scope is not asked for, and the summary says so.
    assert!(!records.iter().any(|r| r[0] == DEMO_AWS_ACCOUNT_ID));
    run.stdout_has("Left out, outside the API application's scope: Contoso AWS sandbox");
    let total: usize = IN_SCOPE.iter().map(|a| policies_of(&user, a)).sum();
    run.stdout_has(&format!("{total} rows from 3 of 3 accounts written to"));
}

#[test]
fn the_failed_asset_report_reads_every_page_and_writes_the_scripts_columns() {
    let (emu, user) = setup();
    let out = home(&user).join("fa.csv");
    clear_log(&emu);
    user.run(&["report", "failed-assets", "p", "--out", out.to_str().unwrap()]).success();
    let records = csv(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(
        records[0],
        [
            "Asset Name",
            "Access Level",
            "Asset Type",
            "Resource Group Name",
            "Asset Id",
            "Policy Id",
            "Policy Title",
            "Category Name",
            "Impact",
            "Region",
            "Tags",
            "Account Id",
            "Account Name",
            "Cloud Provider",
            "Benchmark ID",
            "Benchmark Name",
        ]
    );
    let pages = requests_to(&emu, "failedAssets").len();
    for account in IN_SCOPE {
        let rows = records[1..].iter().filter(|r| r[11] == account).count() as u64;
        assert_eq!(rows, failed_assets_of(&user, account), "rows of {account}");
    }
    // The Azure account has more than one page of 1000: paging was followed.
    assert!(failed_assets_of(&user, DEMO_AZURE_ACCOUNT_ID) > 1000);
    assert!(pages > 3, "{pages} pages were read");
    for row in &records[1..] {
        let in_group = row[4].to_ascii_lowercase().contains("resourcegroups/");
        if row[13] == "Azure" && in_group {
            assert_eq!(row[3], row[4].split('/').nth(4).unwrap(), "{row:?}");
        } else {
            assert_eq!(row[3], "NA", "{row:?}");
        }
    }
}

#[test]
fn json_reports_are_one_array_of_objects_keyed_by_the_scripts_headers() {
    let (_emu, user) = setup();
    let out = home(&user).join("audit.json");
    let run = user.run(&[
        "--json",
        "report",
        "audit",
        "p",
        "--accounts",
        "Contoso Office 365",
        "--out",
        out.to_str().unwrap(),
    ]);
    run.success();
    let rows: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rows.len(), policies_of(&user, DEMO_OFFICE_ACCOUNT_ID));
    assert_eq!(rows[0]["Cloud Account Name"], "Contoso Office 365");
    assert!(rows[0]["Failed Resource Count"].is_u64());
    let summary = run.stdout_json();
    assert_eq!(summary["accounts"][0]["status"], "Success");
    assert_eq!(summary["rows"].as_u64().unwrap() as usize, rows.len());
}

#[test]
fn one_failing_account_is_named_with_its_reason_and_the_others_still_land() {
    let (emu, user) = setup();
    let out = home(&user).join("audit.csv");
    // The second summary asked for fails; the accounts are asked for at once, so which one
    // it is is read from the summary.
    arm(
        &emu,
        "summary",
        FaultKind::GatewayError { status: 500, retry_after_seconds: None },
        Some(1),
    );
    let run = user.run(&[
        "--json",
        "--format",
        "csv",
        "report",
        "audit",
        "p",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, PARTIAL, "{}", run.stderr);
    let summary = run.stdout_json();
    let accounts = summary["accounts"].as_array().unwrap();
    let failed: Vec<&Value> = accounts.iter().filter(|a| a["status"] == "Failed").collect();
    assert_eq!(failed.len(), 1, "{summary}");
    assert_eq!(failed[0]["error"]["code"], "server_error");
    let failed_id = failed[0]["accountId"].as_str().unwrap();
    let report = run.stderr_report();
    assert_eq!(report["code"], "report_partial");
    let records = csv(&std::fs::read_to_string(&out).unwrap());
    for account in IN_SCOPE.iter().filter(|a| **a != failed_id) {
        assert_eq!(
            records.iter().filter(|r| r[0] == *account).count(),
            policies_of(&user, account)
        );
    }
    assert!(!records.iter().any(|r| r[0] == failed_id));
}

#[test]
fn a_stopped_report_leaves_no_file_not_even_a_partial_one() {
    for signal in ["-INT", "-TERM"] {
        stopped_by(signal);
    }
}

/// A report stopped by `signal` while its summaries are on their way.
fn stopped_by(signal: &str) {
    let (emu, user) = setup();
    let out = home(&user).join("audit.csv");
    std::fs::write(&out, "the previous report\r\n").unwrap();
    arm(&emu, "summary", FaultKind::Latency { ms: 20_000 }, None);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cnaccess"))
        .args(["report", "audit", "p", "--out", out.to_str().unwrap()])
        .env("CNACCESS_CONFIG_DIR", user.config_dir())
        .env("CNACCESS_KEYCHAIN_SERVICE", &user.service)
        .env_remove("CLOUDNEETI_API_KEY")
        .env_remove("CLOUDNEETI_APP_SECRET")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let partial = || {
        std::fs::read_dir(home(&user))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".partial"))
    };
    let started = std::time::Instant::now();
    while !partial() {
        assert!(started.elapsed().as_secs() < 20, "the report never started writing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // While the summaries are on their way, as Ctrl-C sends it.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args([signal, &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "stopped by {signal}");
    assert!(!partial(), "the unfinished report was removed");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the previous report\r\n",
        "the old file is untouched"
    );
}

#[test]
fn a_report_to_stdout_streams_the_csv_and_keeps_its_summary_on_stderr() {
    let (_emu, user) = setup();
    let run = user.run(&[
        "report",
        "audit",
        "p",
        "--accounts",
        &format!("{DEMO_GCP_ACCOUNT_ID}, Contoso Office 365"),
        "--out",
        "-",
    ]);
    run.success();
    let records = csv(&run.stdout);
    assert_eq!(
        records.len() - 1,
        policies_of(&user, DEMO_GCP_ACCOUNT_ID) + policies_of(&user, DEMO_OFFICE_ACCOUNT_ID)
    );
    // The order asked for.
    assert_eq!(records[1][0], DEMO_GCP_ACCOUNT_ID);
    run.stderr_has("rows from 2 of 2 accounts written to stdout");
}

#[test]
fn a_report_without_the_audit_grant_is_refused_before_any_account_is_asked_for() {
    let (emu, user) = setup();
    emu.control()
        .with(|s| {
            s.update_app(
                DEMO_APP_ID,
                serde_json::from_value(serde_json::json!({
                    "name": "Demo app without Account.Audit",
                    "apis": ["License.GetAPIAccess"],
                    "accountIds": IN_SCOPE,
                    "tokenExpiryMinutes": 60,
                }))
                .unwrap(),
            )
        })
        .unwrap();
    clear_log(&emu);
    let out = home(&user).join("audit.csv");
    user.run(&["report", "audit", "p", "--out", out.to_str().unwrap()])
        .fails_quietly_with(exit::NOT_FOUND_OR_SCOPE)
        .stderr_has("Account.Audit");
    assert!(requests_to(&emu, "summary").is_empty());
    assert!(!out.exists());
}

#[test]
fn api_sends_the_token_the_path_needs_and_prints_the_services_json() {
    let (emu, user) = setup();
    let accounts = api(&user, "/onboarding/license/{license}/licenseAccounts");
    assert_eq!(accounts["result"]["accounts"].as_array().unwrap().len(), 4);
    clear_log(&emu);
    let run = user.run(&[
        "api",
        "p",
        "/audit/license/{license}/account/{account}/benchmarks",
        "--account",
        "Contoso Azure production",
    ]);
    run.success();
    let answer = run.stdout_json();
    let ids: Vec<&str> = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["benchmarkId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"CSBP"), "{ids:?}");
    // An account token for that account was asked for, and sent.
    let tokens: Vec<Value> = requests_to(&emu, "token")
        .into_iter()
        .filter(|t| t["query"].as_str().is_some_and(|q| q.contains("accountId")))
        .collect();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert!(
        tokens[0]["query"].as_str().unwrap().contains(DEMO_AZURE_ACCOUNT_ID),
        "{:?}",
        tokens[0]
    );
    // Piped, one line; the pretty form is for terminals.
    assert_eq!(run.stdout.trim_end().lines().count(), 1);
}

#[test]
fn api_paginate_merges_every_page_of_failed_assets() {
    let (_emu, user) = setup();
    let path = format!(
        "/audit/license/{{license}}/account/{DEMO_AZURE_ACCOUNT_ID}/failedassets?benchmarkId=CSBP"
    );
    let run = user.run(&["api", "p", &path, "--paginate"]);
    run.success();
    let answer = run.stdout_json();
    let count = answer["result"]["failedAssetCount"].as_u64().unwrap();
    assert!(count > 1000);
    assert_eq!(answer["result"]["failedPolicyAssetsLists"].as_array().unwrap().len() as u64, count);
}

#[test]
fn api_refuses_paths_that_leave_the_profile_before_anything_is_sent() {
    let (emu, user) = setup();
    clear_log(&emu);
    let other_license = "11111111-2222-4333-8444-555555555555";
    for (path, says) in [
        ("https://evil.example/x", "does not start with a single /"),
        ("//evil.example/x", "does not start with a single /"),
        (
            &format!("/onboarding/license/{other_license}/licenseAccounts") as &str,
            "the profile is for license",
        ),
        ("/authorize/license/{license}/token", "tokens are not asked for by path"),
        ("/audit/license/{license}/account/{account}/benchmarks", "no account was given"),
        ("/audit/../x", ". or .. segment"),
        ("/x/%2e%2e/authorize/license/{license}/token", "an encoded"),
        ("/x/%2E%2E/%2e%2e/y", "an encoded"),
        ("/audit\\license\\x", "which no API path has"),
    ] {
        user.run(&["api", "p", path]).fails_quietly_with(exit::INPUT).stderr_has(says);
    }
    user.run(&["api", "p", "/x", "--field", "novalue"]).fails_quietly_with(exit::INPUT);
    user.run(&["api", "p", "GET", "/onboarding/license/{license}/licenseAccounts", "--paginate"])
        .fails_quietly_with(exit::INPUT)
        .stderr_has("--paginate");
    assert!(requests(&emu).is_empty(), "nothing reached the service");
}

#[test]
fn api_says_the_services_refusal_in_plain_words() {
    let (_emu, user) = setup();
    user.run(&[
        "api",
        "p",
        &format!("/audit/license/{{license}}/account/{DEMO_AWS_ACCOUNT_ID}/benchmarks"),
    ])
    .fails_quietly_with(exit::NOT_FOUND_OR_SCOPE)
    .stderr_has("scope");
}

#[test]
fn exec_gives_the_program_a_token_not_the_secrets_and_passes_its_exit_code_through() {
    let (emu, user) = setup();
    let dump = home(&user).join("env.txt");
    let script = format!("env > '{}'; exit 42", dump.display());
    // A secret this process was given in its environment is not handed down.
    let run = user.run_env(
        &["exec", "p", "--", "sh", "-c", &script],
        "",
        &[("CLOUDNEETI_APP_SECRET", DEMO_APP_SECRET)],
    );
    assert_eq!(run.code, 42, "{}", run.stderr);
    let env = std::fs::read_to_string(&dump).unwrap();
    let var = |name: &str| {
        env.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).map(str::to_string)
    };
    assert!(is_jwt(&var("CLOUDNEETI_TOKEN").unwrap()));
    assert_eq!(var("CLOUDNEETI_API_URL").as_deref(), Some(emu.url.trim_end_matches('/')));
    assert_eq!(var("CLOUDNEETI_LICENSE_ID").as_deref(), Some(DEMO_LICENSE_ID));
    assert!(var("CLOUDNEETI_TOKEN_EXPIRES_AT").is_some());
    assert_eq!(var("CLOUDNEETI_API_KEY"), None);
    assert_eq!(var("CLOUDNEETI_APP_SECRET"), None);
    assert!(!env.contains(DEMO_API_KEY) && !env.contains(DEMO_APP_SECRET));

    let run = user.run(&[
        "exec",
        "p",
        "--with-api-key",
        "--account",
        "Contoso GCP analytics",
        "--",
        "sh",
        "-c",
        &format!("env > '{}'", dump.display()),
    ]);
    run.success();
    let env = std::fs::read_to_string(&dump).unwrap();
    assert!(env.contains(&format!("CLOUDNEETI_API_KEY={DEMO_API_KEY}")));
    assert!(env.contains(&format!("CLOUDNEETI_ACCOUNT_ID={DEMO_GCP_ACCOUNT_ID}")));
    // Killed by a signal: 128 + its number, as a shell says it.
    assert_eq!(user.run(&["exec", "p", "--", "sh", "-c", "kill -TERM $$"]).code, 143);
    user.run(&["exec", "p", "--", "no-such-program-here"])
        .fails_quietly_with(exit::INPUT)
        .stderr_has("not found");
}

#[test]
fn exec_warns_when_the_token_would_expire_during_the_run() {
    let (_emu, user) = setup();
    // The demo application's tokens last 60 minutes.
    let run = user.run(&["exec", "p", "--duration", "120", "--", "true"]);
    run.success().stderr_has("a run of 120 minutes will outlive it");
    let run = user.run(&["exec", "p", "--duration", "30", "--", "true"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn benchmarks_and_health_show_the_accounts_answers() {
    let (_emu, user) = setup();
    user.run(&["benchmarks", "p", "--account", "Contoso Azure production"])
        .success()
        .stdout_has("CSBP");
    let health = user.run(&["--json", "health", "p", "--account", DEMO_AZURE_ACCOUNT_ID]);
    let prerequisites = health.stdout_json()["prerequisites"].as_array().unwrap().clone();
    let text = user.run(&["health", "p", "--account", DEMO_AZURE_ACCOUNT_ID]);
    text.success();
    for p in &prerequisites {
        let line =
            text.stdout.lines().find(|l| l.starts_with(p["name"].as_str().unwrap())).unwrap();
        let complete = p["isHealthy"] == "complete";
        assert_eq!(line.contains("INCOMPLETE"), !complete, "{line}");
        assert!(line.contains(p["referLink"].as_str().unwrap()), "{line}");
    }
    user.run(&["benchmarks", "p", "--account", "no such account"]).fails_quietly_with(exit::INPUT);
}

#[test]
fn rescan_wait_follows_the_job_to_success_or_failure() {
    let (_emu, user) = setup();
    let run = user.run(&[
        "rescan",
        "p",
        "--account",
        "Contoso Azure production",
        "--wait",
        "--poll",
        "1",
    ]);
    run.success().stdout_has(": Success");
    run.stderr_has(": Running");
    // The demo's GCP scan fails: said, with the exit code of a service failure.
    let run = user.run(&[
        "--json",
        "rescan",
        "p",
        "--account",
        DEMO_GCP_ACCOUNT_ID,
        "--wait",
        "--poll",
        "1",
    ]);
    assert_eq!(run.code, exit::SERVICE);
    assert_eq!(run.stdout_json()["jobStatus"], "Failed");
    assert_eq!(
        run.stderr
            .lines()
            .last()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].clone()),
        Some("scan_failed".into())
    );
    // Without --wait: the job id, to look at later with `job`.
    let started = user.run(&["--json", "rescan", "p", "--account", DEMO_OFFICE_ACCOUNT_ID]);
    let job = started.stdout_json()["jobId"].as_str().unwrap().to_string();
    let state = user.run(&["--json", "job", "p", "--account", DEMO_OFFICE_ACCOUNT_ID, &job]);
    assert!(["Pending", "New", "Running", "Success"]
        .contains(&state.stdout_json()["jobStatus"].as_str().unwrap()));
}

#[test]
fn scope_add_brings_an_account_into_the_applications_scope() {
    let (_emu, user) = setup();
    user.run(&["token", "p", "--account", DEMO_AWS_ACCOUNT_ID])
        .fails_quietly_with(exit::NOT_FOUND_OR_SCOPE);
    user.run(&["scope", "add", "p", "Contoso AWS sandbox"]).success();
    user.run(&["token", "p", "--account", DEMO_AWS_ACCOUNT_ID]).success();
    let accounts = user.run(&["--json", "accounts", "p"]).stdout_json();
    let aws = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["accountId"] == DEMO_AWS_ACCOUNT_ID)
        .unwrap()
        .clone();
    assert_eq!(aws["isInApiScope"], true);
}

#[test]
fn account_add_reads_the_client_secret_from_stdin_and_sends_it_only_in_the_body() {
    let (emu, user) = setup();
    let client_secret = "cloud-client-secret-5f3a";
    let run = user.run_with_stdin(
        &[
            "--json",
            "account",
            "add",
            "p",
            "azure",
            "--name",
            "New Azure",
            "--domain",
            "contoso.example",
            "--tenant-id",
            "9a6b7c8d-9e0f-4a02-8b7e-5f3a2c1d4e8f",
            "--client-id",
            "1a6b7c8d-9e0f-4a02-8b7e-5f3a2c1d4e8f",
            "--subscription-id",
            "2a6b7c8d-9e0f-4a02-8b7e-5f3a2c1d4e8f",
        ],
        client_secret,
    );
    run.success();
    let added = run.stdout_json();
    let accounts = user.run(&["--json", "accounts", "p"]).stdout_json();
    assert!(accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["accountId"] == added["accountId"] && a["accountName"] == "New Azure"));
    assert!(!run.stdout.contains(client_secret) && !run.stderr.contains(client_secret));
    assert_eq!(requests_to(&emu, "addAccount").len(), 1);
    // A missing flag is refused before the secret is read or anything is sent.
    clear_log(&emu);
    user.run_with_stdin(
        &["account", "add", "p", "azure", "--name", "X", "--domain", "d"],
        client_secret,
    )
    .fails_quietly_with(exit::INPUT)
    .stderr_has("--subscription-id");
    assert!(requests(&emu).is_empty());
}

#[test]
fn hostile_names_reach_neither_the_terminal_nor_the_report_as_they_were_sent() {
    // An account name that echoes the API key, paints the terminal, forges a line and turns
    // text around.
    let hostile = format!("evil {DEMO_API_KEY} \u{1b}[31mred\u{1b}[0m\nforged\u{202e}txt.exe");
    let mut seed = Seed::demo();
    seed.licenses[0].accounts[0].account_name = hostile.clone();
    let emu = Emu::start_with(Options { seed, ..Options::default() });
    let user = User::with_home();
    user.demo_profile("p", &emu.url);

    let run = user.run(&["api", "p", "/onboarding/license/{license}/licenseAccounts"]);
    run.success();
    for raw in ["\u{1b}", "\u{202e}", DEMO_API_KEY] {
        assert!(!run.stdout.contains(raw), "{raw:?} reached stdout: {}", run.stdout);
    }
    // Escaped, not lost: the JSON reads back as the service's text, the key replaced.
    let name =
        run.stdout_json()["result"]["accounts"][0]["accountName"].as_str().unwrap().to_string();
    assert_eq!(name, hostile.replace(DEMO_API_KEY, "<redacted>"));

    let out = home(&user).join("audit.csv");
    user.run(&["report", "audit", "p", "--out", out.to_str().unwrap()]).success();
    let text = std::fs::read_to_string(&out).unwrap();
    for raw in ["\u{1b}", "\u{202e}", DEMO_API_KEY, "\nforged"] {
        assert!(!text.contains(raw), "{raw:?} reached the report");
    }
    assert!(text.contains("evil <redacted> \u{fffd}[31mred"), "{}", &text[..400]);
}

#[test]
fn an_analyst_imports_the_admins_hand_off_then_gets_a_token_with_what_they_were_given() {
    let (_emu, admin) = setup();
    let export = admin.run(&["profile", "export", "p"]);
    export.success();
    for secret in [DEMO_API_KEY, DEMO_APP_SECRET] {
        assert!(!export.stdout.contains(secret), "a hand-off carries no secret");
    }
    let analyst = User::with_home();
    analyst.run_with_stdin(&["profile", "import", "-"], &export.stdout).success();
    // Nothing works before the secrets are stored, and the error says which one.
    analyst.run(&["token", "p"]).fails_quietly_with(exit::KEYCHAIN);
    analyst.set_key("default", DEMO_API_KEY);
    analyst.set_secret("p", DEMO_APP_SECRET);
    assert!(is_jwt(analyst.run(&["token", "p"]).success().stdout.trim()));
    // The same hand-off again: the name is taken; --name gives another.
    analyst
        .run_with_stdin(&["profile", "import", "-"], &export.stdout)
        .fails_quietly_with(exit::CONFIG);
    analyst.run_with_stdin(&["profile", "import", "-", "--name", "p2"], &export.stdout).success();
    // A hand-off that tries to carry a secret is refused, the secret not repeated, nothing added.
    let file = home(&analyst).join("handoff.json");
    let tampered =
        export.stdout.replacen('{', &format!("{{\n  \"appSecret\": \"{DEMO_APP_SECRET}\","), 1);
    std::fs::write(&file, tampered).unwrap();
    let run = analyst.run(&["profile", "import", file.to_str().unwrap(), "--name", "p3"]);
    run.fails_quietly_with(exit::INPUT).stderr_has("never carries a secret");
    assert!(!run.stderr.contains(DEMO_APP_SECRET));
    analyst.run(&["profile", "show", "p3"]).fails_quietly_with(exit::CONFIG);
}

/// A hand-off chose its environment, not the user: one that would send a stored key to a
/// host no profile sends it to is refused until the user says so with --allow-new-host.
#[test]
fn an_imported_profile_sends_a_stored_key_to_a_new_host_only_when_allowed() {
    let (emu, user) = setup();
    let export = user.run(&["profile", "export", "p"]);
    let elsewhere =
        export.stdout.replace(emu.url.trim_end_matches('/'), "https://api.elsewhere.example");
    assert_ne!(elsewhere, export.stdout, "the hand-off names the emulator's address");
    user.run_with_stdin(&["profile", "import", "-", "--name", "moved"], &elsewhere)
        .fails_quietly_with(exit::CONFIG)
        .stderr_has("api.elsewhere.example")
        .stderr_has("--allow-new-host");
    user.run(&["profile", "show", "moved"]).fails_quietly_with(exit::CONFIG);
    user.run_with_stdin(
        &["profile", "import", "-", "--name", "moved", "--allow-new-host"],
        &elsewhere,
    )
    .success();
}

#[test]
fn a_report_to_a_folder_is_refused_before_any_account_is_asked_for() {
    let (emu, user) = setup();
    clear_log(&emu);
    let folder = home(&user).join("reports");
    std::fs::create_dir(&folder).unwrap();
    user.run(&["report", "audit", "p", "--out", folder.to_str().unwrap()])
        .fails_quietly_with(exit::CONFIG)
        .stderr_has("it is a folder");
    assert!(requests_to(&emu, "summary").is_empty());
}

#[test]
fn exec_passes_on_no_stale_value_from_its_own_environment() {
    let (_emu, user) = setup();
    let dump = home(&user).join("env.txt");
    let run = user.run_env(
        &["exec", "p", "--", "sh", "-c", &format!("env > '{}'", dump.display())],
        "",
        &[("CLOUDNEETI_ACCOUNT_ID", "stale-account"), ("CLOUDNEETI_TOKEN_EXPIRES_AT", "stale")],
    );
    run.success();
    let env = std::fs::read_to_string(&dump).unwrap();
    assert!(!env.contains("stale"), "{env}");
}

/// A stored key that no profile uses yet may go to Cloudneeti's own services, but a hand-off
/// pointing it at another address needs --allow-new-host (review finding).
#[test]
fn a_stored_unused_key_goes_to_a_custom_host_only_when_allowed() {
    let (_emu, user) = setup();
    user.set_key_unchecked("spare", DEMO_API_KEY);
    let export = user.run(&["profile", "export", "p"]);
    let custom = export.stdout.replace("\"apiKeyName\": \"default\"", "\"apiKeyName\": \"spare\"");
    let custom = custom
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("\"environment\"") {
                "  \"environment\": \"https://api.elsewhere.example\",".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    user.run_with_stdin(&["profile", "import", "-", "--name", "c1"], &custom)
        .fails_quietly_with(exit::CONFIG)
        .stderr_has("nowhere yet");
    let prod = custom.replace("https://api.elsewhere.example", "prod");
    user.run_with_stdin(&["profile", "import", "-", "--name", "c2"], &prod).success();
}
