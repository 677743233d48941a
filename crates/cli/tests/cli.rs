//! `cnaccess` end to end, as a user runs it: the real binary, secrets piped on stdin, a real
//! Secret Service (private, from scripts/with-keyring.sh) and the emulator on loopback.
//!
//! Run: `scripts/with-keyring.sh cargo test -p cloudneeti-cli`. Outside that script every test
//! fails on purpose ("run via scripts/with-keyring.sh").
//!
//! What lives here: the flows and failures a user meets, checked by exit code, stdout and
//! stderr. What must not: the leak test (tests/leak.rs), or anything that reads the user's own
//! config folder or keychain namespace.
#![cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use serde_json::Value;

const AZURE_NAME: &str = "Contoso Azure production";

// ---- 1. the full flow ----

#[test]
fn full_flow_gives_tokens_in_every_format_and_they_open_the_api() {
    let emu = Emu::start();
    let user = User::new();
    user.run_with_stdin(&["key", "set", "default"], DEMO_API_KEY).success();
    user.run(&[
        "profile",
        "add",
        "p",
        "--env",
        &emu.url,
        "--license",
        DEMO_LICENSE_ID,
        "--app-id",
        DEMO_APP_ID,
    ])
    .success();
    user.run_with_stdin(&["secret", "set", "p"], DEMO_APP_SECRET).success();

    // Raw: the token alone on stdout, nothing on stderr (scripts capture stdout).
    let raw = user.run(&["token", "p"]);
    raw.success();
    assert_eq!(raw.stderr, "", "a token request prints nothing on stderr");
    let license_token = raw.stdout.trim_end_matches('\n');
    assert_eq!(raw.stdout, format!("{license_token}\n"), "one line: the token");
    assert!(is_jwt(license_token), "a JWT (3 dot-separated parts): {license_token:?}");

    // Account tokens, by id and by name, are the same kind of thing for the same account.
    let by_id = user.run(&["token", "p", "--account", DEMO_AZURE_ACCOUNT_ID, "--format", "json"]);
    let by_id = by_id.success().stdout_json();
    let by_name = user.run(&["token", "p", "--account", AZURE_NAME, "--format", "json"]);
    let by_name = by_name.success().stdout_json();
    for json in [&by_id, &by_name] {
        check_token_json(json, "account", Some(DEMO_AZURE_ACCOUNT_ID));
    }
    let raw_account = user.run(&["token", "p", "--account", AZURE_NAME]);
    assert!(is_jwt(raw_account.success().stdout.trim()));

    // JSON of a license token.
    let json = user.run(&["token", "p", "--format", "json"]);
    let json = json.success().stdout_json();
    check_token_json(&json, "license", None);

    // sh: an export line a shell can eval to exactly the token.
    let env_out = user.run(&["token", "p", "--format", "env"]);
    let line = env_out.success().stdout.lines().next().unwrap().to_string();
    let token = line
        .strip_prefix("export CLOUDNEETI_TOKEN='")
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not an sh export line: {line:?}"));
    assert!(is_jwt(token));
    env_out.stdout_has("export CLOUDNEETI_TOKEN_EXPIRES_AT='");
    let evaluated = std::process::Command::new("sh")
        .args(["-c", "eval \"$1\"; printf %s \"$CLOUDNEETI_TOKEN\"", "sh", &env_out.stdout])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(evaluated.stdout).unwrap(), token, "sh evaluates the line");

    // PowerShell.
    let ps = user.run(&["token", "p", "--format", "env", "--powershell"]);
    let line = ps.success().stdout.lines().next().unwrap().to_string();
    let token = line
        .strip_prefix("$env:CLOUDNEETI_TOKEN = '")
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a PowerShell line: {line:?}"));
    assert!(is_jwt(token));

    // The tokens open the API: a license call with the license token and the key...
    let accounts_url = format!("{}{}", emu.url, license_accounts_path(DEMO_LICENSE_ID));
    let auth = format!("Bearer {license_token}");
    let (status, body) =
        curl_get(&accounts_url, &[("Authorization", &auth), (KEY_HEADER, DEMO_API_KEY)]);
    assert_eq!(status, 200, "the license token opens licenseAccounts: {body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["result"]["accounts"].as_array().unwrap().len(), 4, "{body}");

    // ...and an account call with the account token.
    let account_token = by_name["token"].as_str().unwrap();
    let benchmarks = format!(
        "{}/audit/license/{DEMO_LICENSE_ID}/account/{DEMO_AZURE_ACCOUNT_ID}/benchmarks",
        emu.url
    );
    let auth = format!("Bearer {account_token}");
    let (status, body) =
        curl_get(&benchmarks, &[("Authorization", &auth), (KEY_HEADER, DEMO_API_KEY)]);
    assert_eq!(status, 200, "the account token opens the account's benchmarks: {body}");
}

fn check_token_json(json: &Value, kind: &str, account: Option<&str>) {
    assert!(is_jwt(json["token"].as_str().unwrap_or_default()), "token: {json}");
    assert_eq!(json["kind"], kind, "{json}");
    assert_eq!(json["licenseId"], DEMO_LICENSE_ID, "{json}");
    match account {
        Some(id) => assert_eq!(json["accountId"], id, "{json}"),
        None => assert!(json["accountId"].is_null(), "a license token has no account: {json}"),
    }
    let expires = json["expiresAt"].as_str().unwrap_or_else(|| panic!("expiresAt: {json}"));
    assert!(expires.ends_with('Z'), "UTC, ending in Z: {expires}");
    let expires: DateTime<Utc> = DateTime::parse_from_rfc3339(expires).unwrap().into();
    let in_an_hour = Utc::now() + Duration::seconds(3600);
    assert!((expires - in_an_hour).num_seconds().abs() < 120, "about an hour from now: {json}");
    let left = json["secondsLeft"].as_i64().unwrap_or_else(|| panic!("secondsLeft: {json}"));
    assert!((3480..=3600).contains(&left), "about 3600 seconds left: {json}");
    // Where and when it came from.
    let from = json["apiUrl"].as_str().unwrap_or_else(|| panic!("apiUrl: {json}"));
    assert!(from.starts_with("http://127.0.0.1:"), "the emulator's address: {json}");
    let obtained = json["obtainedAt"].as_str().unwrap_or_else(|| panic!("obtainedAt: {json}"));
    let obtained: DateTime<Utc> = DateTime::parse_from_rfc3339(obtained).unwrap().into();
    assert!((Utc::now() - obtained).num_seconds().abs() < 120, "obtained just now: {json}");
}

// ---- 2. accounts ----

#[test]
fn accounts_lists_the_four_accounts_with_their_scope() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);

    let out = user.run(&["accounts", "p"]);
    out.success();
    let row = |id: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{}", out.stdout))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(row(DEMO_AZURE_ACCOUNT_ID), "yes");
    assert_eq!(row(DEMO_OFFICE_ACCOUNT_ID), "yes");
    assert_eq!(row(DEMO_AWS_ACCOUNT_ID), "no");
    out.stdout_has("IN API SCOPE").stdout_has(AZURE_NAME).stdout_has("License.GetAPIAccess");

    let json = user.run(&["accounts", "p", "--json"]);
    let json = json.success().stdout_json();
    let accounts = json["accounts"].as_array().unwrap_or_else(|| panic!("accounts: {json}"));
    assert_eq!(accounts.len(), 4);
    let aws = accounts.iter().find(|a| a["accountId"] == DEMO_AWS_ACCOUNT_ID).unwrap();
    assert_eq!(aws["isInApiScope"], false);
    assert!(json["apis"].as_array().unwrap().iter().any(|a| a == "License.GetAPIAccess"));
}

/// More than 8 KiB on stdin is refused with a word, not cut to 8 KiB in silence.
#[test]
fn an_oversized_stdin_is_refused_not_cut() {
    let user = User::new();
    let out =
        user.run_with_stdin(&["key", "set", "k", "--allow-any-key-format"], &"a".repeat(9000));
    assert_eq!(out.code, exit::INPUT, "{}", out.stderr);
    assert!(out.stderr.contains("more than 8 KiB"), "{}", out.stderr);
    assert_eq!(user.keychain_lookup("api-key:k"), None);
}

/// Empty values are refused before anything reaches the network or the settings.
#[test]
fn an_empty_app_id_or_account_is_refused_before_any_request() {
    let emu = Emu::start();
    let user = User::new();
    let out = user.run(&[
        "profile",
        "add",
        "q",
        "--env",
        &emu.url,
        "--license",
        DEMO_LICENSE_ID,
        "--app-id",
        " ",
    ]);
    assert_eq!(out.code, exit::INPUT, "{}", out.stderr);
    assert!(out.stderr.contains("application id"), "{}", out.stderr);
    user.demo_profile("p", &emu.url);
    let settings = std::fs::read(user.config_file()).unwrap();
    clear_log(&emu);
    let out = user.run(&["token", "p", "--account", " "]);
    assert_eq!(out.code, exit::INPUT, "{}", out.stderr);
    assert!(requests(&emu).is_empty(), "no request was made");
    assert_eq!(std::fs::read(user.config_file()).unwrap(), settings, "nor the settings written");
}

/// Names and grants from the service reach the terminal without escape sequences, and a
/// newline in a name cannot forge a table row.
#[test]
fn hostile_account_names_and_grants_cannot_forge_the_table_or_drive_the_terminal() {
    let mut seed = Seed::demo();
    let forged = "00000000-0000-4000-8000-000000000000  Forged  Azure  yes";
    seed.licenses[0].accounts[0].account_name =
        format!("Evil\n{forged}\u{1b}]0;pwned\u{7}\u{202e}");
    seed.api_applications[0].apis.push("Account.Audit\u{1b}[2J".into());
    let emu = Emu::start_with(Options { seed, ..Options::default() });
    let user = User::new();
    user.demo_profile("p", &emu.url);
    let out = user.run(&["accounts", "p"]);
    out.success();
    assert!(
        !out.stdout.chars().any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
        "{:?}",
        out.stdout
    );
    assert!(!out.stdout.lines().any(|l| l.starts_with(forged)), "{}", out.stdout);
    assert!(out.stdout.contains("Evil\u{FFFD}00000000"), "{}", out.stdout);
}

/// While `cnaccess` waits for a secret on stdin, it already runs with core dumps off: a crash
/// cannot write the secret to disk.
#[test]
#[cfg(target_os = "linux")]
fn cnaccess_runs_with_core_dumps_off() {
    use std::io::Write;
    let user = User::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cnaccess"))
        .args(["key", "set", "k"])
        .env("CNACCESS_CONFIG_DIR", user.config_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The process starts before its main runs: look until it has hardened itself (it waits
    // for stdin, so it stays up), at most 5 s.
    let core_limit = || {
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
        let line = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap();
        line.split_whitespace().skip(4).take(2).collect::<Vec<_>>().join(" ")
    };
    let started = std::time::Instant::now();
    while core_limit() != "0 0" && started.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(core_limit(), "0 0");
    drop(child.stdin.take().map(|mut s| s.write_all(b"")));
    child.kill().ok();
    child.wait().unwrap();
}

// ---- 3. interop with other Secret Service clients ----

#[test]
fn stored_secrets_are_found_by_secret_tool_exactly_as_piped_in() {
    let emu = Emu::start();
    let user = User::new();
    // A trailing newline, as `echo KEY | cnaccess key set` sends, is not part of the value.
    user.run_with_stdin(&["key", "set", "default"], &format!("{DEMO_API_KEY}\n")).success();
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    user.run_with_stdin(&["secret", "set", "p"], &format!("{DEMO_APP_SECRET}\n")).success();

    assert_eq!(user.keychain_lookup("api-key:default").as_deref(), Some(DEMO_API_KEY));
    assert_eq!(user.keychain_lookup("app-secret:p").as_deref(), Some(DEMO_APP_SECRET));
    // Nothing under a name that was not used.
    assert_eq!(user.keychain_lookup("app-secret:other"), None);
}

// ---- 4. errors a user meets ----

#[test]
fn unknown_profile_is_a_config_error_in_text_and_in_json() {
    let user = User::new();
    user.run(&["token", "nope"])
        .fails_quietly_with(exit::CONFIG)
        .stderr_has("no profile named \"nope\"")
        .stderr_has("cnaccess profile list");

    let out = user.run(&["--json", "token", "nope"]);
    assert_eq!(out.code, exit::CONFIG);
    assert_eq!(out.stdout, "");
    let report = out.stderr_report();
    assert_eq!(report["code"], "profile_not_found");
    // --json is global: after the subcommand too.
    let out = user.run(&["accounts", "nope", "--json"]);
    assert_eq!(out.code, exit::CONFIG);
    assert_eq!(out.stderr_report()["code"], "profile_not_found");
}

#[test]
fn invalid_license_id_is_refused_before_anything_is_stored() {
    let emu = Emu::start();
    let user = User::new();
    let add = |license: &str| {
        user.run(&[
            "profile",
            "add",
            "p",
            "--env",
            &emu.url,
            "--license",
            license,
            "--app-id",
            DEMO_APP_ID,
        ])
    };
    add("not-a-license").fails_quietly_with(exit::INPUT).stderr_has("license");
    let files: Vec<_> = std::fs::read_dir(user.config_dir()).unwrap().collect();
    assert!(files.is_empty(), "nothing written to the config folder: {files:?}");

    // With settings already there, they are left byte for byte as they were.
    user.set_key("default", DEMO_API_KEY);
    let before = std::fs::read(user.config_file()).unwrap();
    add("6f1d3c2a-9b4e-4c1a-8f2d").fails_quietly_with(exit::INPUT);
    assert_eq!(std::fs::read(user.config_file()).unwrap(), before, "config unchanged");
    user.run(&["profile", "list", "--json"]).success();
    assert_eq!(user.run(&["profile", "list", "--json"]).stdout_json(), serde_json::json!([]));

    // In JSON too.
    let out = user.run(&[
        "--json",
        "profile",
        "add",
        "p",
        "--env",
        &emu.url,
        "--license",
        "x",
        "--app-id",
        DEMO_APP_ID,
    ]);
    assert_eq!(out.code, exit::INPUT);
    assert_eq!(out.stderr_report()["code"], "invalid_input");
}

/// `--env prod1` is PROD's second region, and `--token-expiry` takes the portal's drop-down
/// choices only (60, 240, 1440), checked by the core.
#[test]
fn prod1_is_an_environment_and_token_expiry_is_one_of_the_portals_choices() {
    let user = User::new();
    let add = |minutes: &str| {
        user.run(&[
            "profile",
            "add",
            "eu",
            "--env",
            "prod1",
            "--license",
            DEMO_LICENSE_ID,
            "--app-id",
            DEMO_APP_ID,
            "--token-expiry",
            minutes,
        ])
    };
    add("30").fails_quietly_with(exit::INPUT).stderr_has("not one of the portal's choices");
    add("240").success();
    let shown = user.run(&["profile", "show", "eu", "--json"]).success().stdout_json();
    assert_eq!(shown["profile"]["environment"], "prod1");
    assert_eq!(shown["profile"]["tokenExpiryMinutes"], 240);
}

#[test]
fn api_key_that_is_not_32_hex_is_refused_unless_any_format_is_allowed() {
    let user = User::new();
    let odd_key = "ak_live-Zq81-not-hex-0042";
    user.run_with_stdin(&["key", "set", "default"], odd_key)
        .fails_quietly_with(exit::INPUT)
        .stderr_has("API key is not valid")
        .stderr_has("--allow-any-key-format");
    assert_eq!(user.keychain_lookup("api-key:default"), None, "nothing stored");
    assert!(!user.config_file().exists(), "nothing recorded");
    // The refused value is not quoted back.
    assert!(!user.run(&["log", "--json"]).stdout.contains(odd_key));

    // A license id pasted by mistake is named as such.
    user.run_with_stdin(&["key", "set", "default"], DEMO_LICENSE_ID)
        .fails_quietly_with(exit::INPUT)
        .stderr_has("license or application id");

    user.run_with_stdin(&["key", "set", "default", "--allow-any-key-format"], odd_key).success();
    assert_eq!(user.keychain_lookup("api-key:default").as_deref(), Some(odd_key));
    let keys = user.run(&["key", "list", "--json"]).stdout_json();
    assert_eq!(keys[0]["name"], "default", "{keys}");
}

#[test]
fn token_without_a_stored_secret_says_to_store_it() {
    let emu = Emu::start();
    let user = User::new();
    user.set_key("default", DEMO_API_KEY);
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    user.run(&["token", "p"])
        .fails_quietly_with(exit::KEYCHAIN)
        .stderr_has("no application secret is stored")
        .stderr_has("cnaccess secret set PROFILE");
    let out = user.run(&["token", "p", "--json"]);
    assert_eq!(out.code, exit::KEYCHAIN);
    assert_eq!(out.stderr_report()["code"], "secret_missing");
}

#[test]
fn wrong_secret_is_an_auth_error_naming_the_portal_fix() {
    let emu = Emu::start();
    let user = User::new();
    user.set_key("default", DEMO_API_KEY);
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    user.set_secret_unchecked("p", "DEMO-not-the-right-secret");
    user.run(&["token", "p"])
        .fails_quietly_with(exit::AUTH)
        .stderr_has("rejected the API application id or secret")
        .stderr_has("Regenerate Secret Key");
    let out = user.run(&["--json", "token", "p"]);
    assert_eq!(out.code, exit::AUTH);
    assert_eq!(out.stderr_report()["code"], "app_credentials_rejected");
}

#[test]
fn account_outside_the_scope_is_refused_with_the_way_to_add_it() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    user.run(&["token", "p", "--account", DEMO_AWS_ACCOUNT_ID])
        .fails_quietly_with(exit::NOT_FOUND_OR_SCOPE)
        .stderr_has(DEMO_AWS_ACCOUNT_ID)
        .stderr_has("Cloud Accounts");
    // By name as well.
    let out = user.run(&["--json", "token", "p", "--account", "contoso aws sandbox"]);
    assert_eq!(out.code, exit::NOT_FOUND_OR_SCOPE);
    assert_eq!(out.stderr_report()["code"], "account_out_of_scope");
    // A name that is no account of the license is an input error.
    user.run(&["token", "p", "--account", "No such account"])
        .fails_quietly_with(exit::INPUT)
        .stderr_has("cnaccess accounts PROFILE");
}

#[test]
fn pending_api_key_is_rejected_with_the_activation_hint() {
    let emu = Emu::start();
    let user = User::new();
    user.set_key("default", DEMO_PENDING_API_KEY);
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    user.set_secret_unchecked("p", DEMO_APP_SECRET);
    user.run(&["token", "p"])
        .fails_quietly_with(exit::AUTH)
        .stderr_has("rejected the API key")
        .stderr_has("activation");
    let out = user.run(&["token", "p", "--json"]);
    assert_eq!(out.code, exit::AUTH);
    assert_eq!(out.stderr_report()["code"], "api_key_rejected");
}

#[test]
fn emulator_not_running_is_a_network_error() {
    let user = User::new();
    let url = dead_url();
    user.demo_profile("p", &url);
    user.run(&["token", "p"]).fails_quietly_with(exit::NETWORK).stderr_has("could not connect");
    let out = user.run(&["token", "p", "--json"]);
    assert_eq!(out.code, exit::NETWORK);
    assert_eq!(out.stderr_report()["code"], "connect");
}

// ---- 5. profiles and keys ----

#[test]
fn profile_list_show_remove_and_key_commands() {
    let emu = Emu::start();
    let user = User::new();
    let day_before = Utc::now().date_naive();
    user.demo_profile("p", &emu.url);
    user.add_profile("q", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    let day_after = Utc::now().date_naive();

    let list = user.run(&["profile", "list"]);
    list.success();
    let names: Vec<&str> =
        list.stdout.lines().skip(1).filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, ["p", "q"], "{}", list.stdout);
    list.stdout_has(&emu.url).stdout_has(DEMO_LICENSE_ID);
    let json = user.run(&["profile", "list", "--json"]).stdout_json();
    assert_eq!(json.as_array().unwrap().len(), 2, "{json}");

    let show = user.run(&["profile", "show", "p"]);
    show.success();
    let secret_line =
        show.stdout.lines().find(|l| l.starts_with("application secret:")).unwrap_or_default();
    let stored_on = |d: chrono::NaiveDate| format!("stored in Secret Service on {d}");
    assert!(
        secret_line.ends_with(&stored_on(day_before))
            || secret_line.ends_with(&stored_on(day_after)),
        "show says where and when the secret was stored: {}",
        show.stdout
    );
    for secret in [DEMO_APP_SECRET, DEMO_API_KEY] {
        assert!(!show.stdout.contains(secret) && !show.stderr.contains(secret));
    }
    let show_q = user.run(&["profile", "show", "q"]);
    show_q.success().stdout_has("application secret: not stored");
    let show_json = user.run(&["profile", "show", "p", "--json"]).stdout_json();
    assert_eq!(show_json["profile"]["name"], "p", "{show_json}");
    assert!(!show_json.to_string().contains(DEMO_APP_SECRET));
    user.run(&["profile", "show", "nope"]).fails_quietly_with(exit::CONFIG);

    // The key is in use: removing it is refused, and it stays.
    user.run(&["key", "remove", "default"])
        .fails_quietly_with(exit::CONFIG)
        .stderr_has("still used by profile(s) p, q");
    assert!(user.keychain_lookup("api-key:default").is_some());

    let keys = user.run(&["key", "list", "--json"]).stdout_json();
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["name"], "default");
    assert!(keys[0]["storedAt"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert!(!serde_json::to_string(keys).unwrap().contains(DEMO_API_KEY));
    user.run(&["key", "list"]).success().stdout_has("default");

    // Removing a profile removes its secret from the keychain too.
    assert!(user.keychain_lookup("app-secret:p").is_some());
    user.run(&["profile", "remove", "p"]).success();
    assert_eq!(user.keychain_lookup("app-secret:p"), None, "the secret went with the profile");
    user.run(&["token", "p"]).fails_quietly_with(exit::CONFIG);
    user.run(&["profile", "remove", "p"]).fails_quietly_with(exit::CONFIG);

    // Once no profile uses the key, it can go.
    user.run(&["profile", "remove", "q"]).success();
    user.run(&["key", "remove", "default"]).success();
    assert_eq!(user.keychain_lookup("api-key:default"), None);
    assert_eq!(user.run(&["key", "list", "--json"]).stdout_json(), serde_json::json!([]));
    user.run(&["key", "remove", "default"]).fails_quietly_with(exit::CONFIG);
}

#[test]
fn secret_remove_takes_the_secret_out_of_the_keychain() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    user.run(&["secret", "remove", "p"]).success();
    assert_eq!(user.keychain_lookup("app-secret:p"), None);
    user.run(&["profile", "show", "p"]).success().stdout_has("application secret: not stored");
    user.run(&["token", "p"]).fails_quietly_with(exit::KEYCHAIN);
    // A secret for a profile that does not exist is refused before the prompt.
    user.run_with_stdin(&["secret", "set", "nope"], DEMO_APP_SECRET)
        .fails_quietly_with(exit::CONFIG);
    assert_eq!(user.keychain_lookup("app-secret:nope"), None);
}

// ---- 6. doctor ----

#[test]
fn doctor_passes_on_a_good_setup_and_names_the_broken_link() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    let ok = user.run(&["doctor", "p"]);
    ok.success();
    assert!(!ok.stdout.contains("[FAIL]"), "{}", ok.stdout);
    for title in ["Keychain reachable", "API key accepted", "Application id and secret accepted"] {
        let line = ok.stdout.lines().find(|l| l.contains(title)).unwrap_or_default();
        assert!(line.starts_with("[ok  ]"), "{title} ok: {}", ok.stdout);
    }
    let json = user.run(&["doctor", "p", "--json"]).stdout_json();
    assert!(json["checks"].as_array().unwrap().iter().all(|c| c["status"] != "failed"));

    // A wrong secret: the failing link is named with its fix, and the exit code says so.
    user.set_secret_unchecked("p", "DEMO-not-the-right-secret");
    let bad = user.run(&["doctor", "p"]);
    bad.fails_with(exit::CHECK_FAILED);
    let lines: Vec<&str> = bad.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("[FAIL] Application id and secret accepted"))
        .unwrap_or_else(|| panic!("the app link fails: {}", bad.stdout));
    assert!(lines[at + 1].trim_start().starts_with("what to do: "), "{}", bad.stdout);
    assert!(lines[at + 1].contains("Regenerate Secret Key"), "{}", bad.stdout);
    assert_eq!(bad.stdout.matches("[FAIL]").count(), 1, "one broken link: {}", bad.stdout);
    bad.stderr_has("Application id and secret accepted");
    let line = |title: &str| lines.iter().find(|l| l.contains(title)).unwrap().to_string();
    assert!(line("API key accepted").starts_with("[ok  ]"));
    let out = user.run(&["doctor", "p", "--json"]);
    assert_eq!(out.code, exit::CHECK_FAILED);
    let failed: Vec<Value> = out.stdout_json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .cloned()
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["id"], "app_accepted");
    assert_eq!(out.stderr_report()["code"], "check_failed");

    // A pending key: the key link is the broken one.
    user.set_secret("p", DEMO_APP_SECRET);
    user.set_key_unchecked("default", DEMO_PENDING_API_KEY);
    let pending = user.run(&["doctor", "p"]);
    pending.fails_with(exit::CHECK_FAILED);
    let fail_line = pending.stdout.lines().find(|l| l.starts_with("[FAIL]")).unwrap_or_default();
    assert!(fail_line.starts_with("[FAIL] API key accepted"), "{}", pending.stdout);
    pending.stdout_has("activation");
}

// ---- 7. the activity log ----

#[test]
fn log_shows_token_requests_and_secret_changes_and_never_a_secret() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    user.run(&["token", "p"]).success();
    user.run(&["token", "p", "--account", DEMO_AZURE_ACCOUNT_ID]).success();
    user.run(&["token", "p", "--account", DEMO_AWS_ACCOUNT_ID])
        .fails_with(exit::NOT_FOUND_OR_SCOPE);
    user.run(&["secret", "remove", "p"]).success();

    let log = user.run(&["log"]);
    log.success();
    for action in [
        "api_key_stored",
        "profile_added",
        "app_secret_stored",
        "license_token",
        "account_token",
        "app_secret_removed",
    ] {
        log.stdout_has(action);
    }
    let out_of_scope = log
        .stdout
        .lines()
        .find(|l| l.contains(DEMO_AWS_ACCOUNT_ID))
        .unwrap_or_else(|| panic!("the refused account token is logged: {}", log.stdout));
    assert!(
        out_of_scope.contains("account_token") && out_of_scope.contains("account_out_of_scope")
    );

    let json = user.run(&["log", "--json"]);
    let entries = json.success().stdout_json();
    let entries = entries.as_array().unwrap_or_else(|| panic!("a JSON array: {}", json.stdout));
    let actions: Vec<&str> = entries.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "api_key_stored",
            "profile_added",
            "app_secret_stored",
            "license_token",
            "account_token",
            "account_token",
            "app_secret_removed"
        ]
    );
    let azure = &entries[4];
    assert_eq!(azure["accountId"], DEMO_AZURE_ACCOUNT_ID);
    assert_eq!(azure["outcome"], "ok");
    let limited = user.run(&["log", "--json", "--limit", "2"]).stdout_json();
    assert_eq!(limited.as_array().unwrap().len(), 2, "--limit keeps the newest: {limited}");
    assert_eq!(limited[1]["action"], "app_secret_removed");

    let file = std::fs::read_to_string(user.activity_file()).unwrap();
    for text in [&log.stdout, &json.stdout, &file] {
        assert!(!text.contains(DEMO_APP_SECRET) && !text.contains(DEMO_API_KEY));
    }
}

// ---- 8. the built-in sandbox ----

#[test]
fn sandbox_works_with_no_emulator_of_ours() {
    let user = User::new();
    let setup = user.run(&["sandbox"]);
    setup.success();
    let token = user.run(&["token", "sandbox"]);
    assert!(is_jwt(token.success().stdout.trim()), "{}", token.stdout);
    let account = user.run(&["token", "sandbox", "--account", AZURE_NAME, "--format", "json"]);
    assert_eq!(account.success().stdout_json()["kind"], "account");
    // Running it again is harmless.
    user.run(&["sandbox"]).success();
    user.run(&["doctor", "sandbox"]).success();
}

// ---- 9. pipelines ----

#[test]
fn pipeline_with_secrets_in_the_environment_and_none_in_the_keychain() {
    let emu = Emu::start();
    let user = User::new();
    // A profile can be added before its API key is stored (a runner has no keychain at all).
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    let keys = user.run(&["key", "list", "--json"]).stdout_json();
    assert_eq!(keys[0]["name"], "default", "the key name is known: {keys}");
    assert!(keys[0]["storedAt"].is_null(), "but not stored: {keys}");
    user.run(&["profile", "show", "p"]).success().stdout_has("\"default\", not stored");
    assert_eq!(user.keychain_lookup("api-key:default"), None);
    assert_eq!(user.keychain_lookup("app-secret:p"), None);
    let env = [("CLOUDNEETI_API_KEY", DEMO_API_KEY), ("CLOUDNEETI_APP_SECRET", DEMO_APP_SECRET)];

    let out = user.run_env(&["token", "p"], "", &env);
    assert!(is_jwt(out.success().stdout.trim()));
    assert_eq!(out.stderr, "");
    let out = user.run_env(&["token", "p", "--account", AZURE_NAME, "--format", "json"], "", &env);
    assert_eq!(out.success().stdout_json()["accountId"], DEMO_AZURE_ACCOUNT_ID);
    // Nothing was put in the keychain on the way.
    assert_eq!(user.keychain_lookup("api-key:default"), None);
    assert_eq!(user.keychain_lookup("app-secret:p"), None);

    // The environment wins over the keychain.
    user.set_secret_unchecked("p", "DEMO-not-the-right-secret");
    user.run_env(&["token", "p"], "", &env).success();
    user.run_env(&["token", "p"], "", &env[..1]).fails_quietly_with(exit::AUTH);
}

/// A rate limit is waited for out loud (how long, which retry, the cap, how to skip), and
/// --no-wait fails at once with how long the service asked for.
#[test]
fn rate_limit_waits_are_announced_and_can_be_skipped() {
    use cloudneeti_emulator::FaultKind;
    use cloudneeti_testkit::arm;
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);

    arm(&emu, "token", FaultKind::RateLimit { retry_after_seconds: 1 }, Some(1));
    let waited = user.run(&["token", "p"]);
    waited.success();
    assert!(
        waited.stderr.contains("rate limiting this API key, HTTP 429): waiting 1 s, retry 1 of 3"),
        "{}",
        waited.stderr
    );
    assert!(
        waited.stderr.contains("Waits over 30 s are not made. --no-wait fails at once instead."),
        "{}",
        waited.stderr
    );

    arm(&emu, "token", FaultKind::RateLimit { retry_after_seconds: 1 }, Some(1));
    let json = user.run(&["token", "p", "--json"]);
    json.success();
    let notice: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(notice["waiting"]["seconds"], 1, "{notice}");
    assert_eq!(notice["waiting"]["of"], 3, "{notice}");

    arm(&emu, "token", FaultKind::RateLimit { retry_after_seconds: 20 }, None);
    let started = std::time::Instant::now();
    let skipped = user.run(&["token", "p", "--no-wait"]);
    assert_eq!(skipped.code, exit::SERVICE, "{}", skipped.stderr);
    assert!(skipped.stderr.contains("retry after 20 s"), "{}", skipped.stderr);
    assert!(!skipped.stderr.contains("waiting"), "{}", skipped.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "no wait was made");
}

/// A key typed where a profile or key name goes is refused without being repeated.
#[test]
fn a_key_typed_as_a_name_is_not_repeated() {
    let user = User::new();
    for args in [
        &["token", DEMO_API_KEY][..],
        &["accounts", DEMO_API_KEY],
        &["key", "remove", DEMO_API_KEY],
    ] {
        let run = user.run(args);
        assert_eq!(run.code, exit::INPUT, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("looks like an API key"), "{}", run.stderr);
        cloudneeti_testkit::leak::assert_none(&run.stderr, &[DEMO_API_KEY], 8);
    }
}

/// A secret or key is checked with the service before it is stored: a refused one is not
/// stored (the keychain keeps what it had), unless `--no-check` says the user is sure; one
/// that cannot be checked yet (no key stored) is stored, saying so.
#[test]
fn secrets_and_keys_are_checked_before_they_are_stored() {
    let emu = Emu::start();
    let user = User::new();
    user.add_profile("p", &emu.url, DEMO_LICENSE_ID, DEMO_APP_ID);
    // The secret first (the portal shows it first): nothing to check it with yet.
    user.set_secret("p", DEMO_APP_SECRET);
    // A pending key is refused with the activation hint, and not stored.
    user.run_with_stdin(&["key", "set", "default"], DEMO_PENDING_API_KEY)
        .fails_quietly_with(exit::AUTH)
        .stderr_has("activation");
    assert_eq!(user.keychain_lookup("api-key:default"), None);
    user.set_key("default", DEMO_API_KEY);
    // A wrong secret is refused; the right one stays.
    let wrong = "DEMO-not-the-right-secret";
    user.run_with_stdin(&["secret", "set", "p"], wrong).fails_quietly_with(exit::AUTH);
    assert_eq!(user.keychain_lookup("app-secret:p").as_deref(), Some(DEMO_APP_SECRET));
    user.run(&["token", "p"]).success();
    // --no-check stores it all the same.
    user.set_secret_unchecked("p", wrong);
    assert_eq!(user.keychain_lookup("app-secret:p").as_deref(), Some(wrong));
    user.run(&["token", "p"]).fails_quietly_with(exit::AUTH);
}
