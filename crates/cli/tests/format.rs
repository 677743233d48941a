//! `--format text|json|env` and `--json`, its alias: every command with a result prints it in
//! the chosen format, `token` included, and flags that disagree are refused before the command
//! does anything.
//!
//! Run: `scripts/with-keyring.sh cargo test -p cloudneeti-cli --test format`.
#![cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]

mod common;

use common::*;
use serde_json::Value;

/// `args` with `--format json`, and with `--json` before the subcommand: both succeed with the
/// same JSON, which is returned.
#[track_caller]
fn json_both_ways(user: &User, args: &[&str]) -> Value {
    let by_format = user.run(&[args, &["--format", "json"]].concat());
    let by_format = by_format.success().stdout_json();
    let by_alias = user.run(&[&["--json"], args].concat());
    assert_eq!(by_alias.success().stdout_json(), by_format, "--json is --format json: {args:?}");
    by_format
}

#[test]
fn every_command_with_a_result_prints_json_with_format_json_and_json_is_its_alias() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    user.run(&["token", "p"]).success();

    let keys = json_both_ways(&user, &["key", "list"]);
    assert_eq!(keys[0]["name"], "default", "{keys}");
    let profiles = json_both_ways(&user, &["profile", "list"]);
    assert_eq!(profiles[0]["name"], "p", "{profiles}");
    let shown = json_both_ways(&user, &["profile", "show", "p"]);
    assert_eq!(shown["profile"]["licenseId"], DEMO_LICENSE_ID, "{shown}");
    assert!(shown["apiKeyStoredAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{shown}");
    assert!(shown["secretExpiryWarningDays"].is_null(), "{shown}");
    let accounts = json_both_ways(&user, &["accounts", "p"]);
    assert_eq!(accounts["accounts"].as_array().map(Vec::len), Some(4), "{accounts}");
    let report = json_both_ways(&user, &["doctor", "p"]);
    assert_eq!(report["profile"], "p", "{report}");
    assert!(report["checks"].as_array().unwrap().iter().all(|c| c["status"] == "ok"), "{report}");
    let log = json_both_ways(&user, &["log"]);
    let actions: Vec<&str> =
        log.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"license_token"), "{log}");

    // Text stays the default, and --format text says so explicitly.
    for args in [&["profile", "list"][..], &["key", "list"], &["accounts", "p"], &["doctor", "p"]] {
        let default = user.run(args);
        let text = user.run(&[args, &["--format", "text"]].concat());
        assert_eq!(text.success().stdout, default.success().stdout, "{args:?}");
        assert!(serde_json::from_str::<Value>(&text.stdout).is_err(), "{args:?}: text, not JSON");
    }
}

#[test]
fn token_json_is_the_same_object_by_either_flag_and_text_is_the_token_alone() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);

    // Each run gets a fresh token, so the two spellings are compared field by field.
    let by_alias = user.run(&["token", "p", "--json"]);
    let by_alias = by_alias.success().stdout_json();
    let by_format = user.run(&["token", "p", "--format", "json"]).success().stdout_json();
    let fields = |json: &Value| {
        let mut names: Vec<String> = json.as_object().unwrap().keys().cloned().collect();
        names.sort();
        names
    };
    assert_eq!(
        fields(&by_alias),
        [
            "accountId",
            "apiUrl",
            "expiresAt",
            "kind",
            "licenseId",
            "obtainedAt",
            "secondsLeft",
            "token"
        ]
    );
    assert_eq!(fields(&by_alias), fields(&by_format));
    for json in [&by_alias, &by_format] {
        assert!(is_jwt(json["token"].as_str().unwrap_or_default()), "{json}");
        assert_eq!(json["kind"], "license", "{json}");
        assert_eq!(json["licenseId"], DEMO_LICENSE_ID, "{json}");
        assert!(json["accountId"].is_null(), "{json}");
        assert_eq!(json["apiUrl"].as_str().map(|u| u.trim_end_matches('/')), Some(&*emu.url));
        assert!(json["expiresAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{json}");
        assert!(json["secondsLeft"].as_i64().is_some_and(|s| s > 3000), "{json}");
    }
    let account = user.run(&["--json", "token", "p", "--account", DEMO_AZURE_ACCOUNT_ID]);
    let account = account.success().stdout_json();
    assert_eq!(account["kind"], "account", "{account}");
    assert_eq!(account["accountId"], DEMO_AZURE_ACCOUNT_ID, "{account}");

    // Text, by default, by name, and by token's old name `raw`: one line, the token.
    for args in [
        &["token", "p"][..],
        &["token", "p", "--format", "text"],
        &["token", "p", "--format", "raw"],
    ] {
        let out = user.run(args);
        let token = out.success().stdout.strip_suffix('\n').unwrap_or_default();
        assert!(is_jwt(token), "{args:?}: {:?}", out.stdout);
        assert_eq!(out.stderr, "", "{args:?}");
    }

    // With --format json, errors are JSON reports too, as with --json.
    let out = user.run(&["token", "nope", "--format", "json"]);
    assert_eq!(out.code, exit::CONFIG);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr_report()["code"], "profile_not_found");
}

#[test]
fn flags_that_disagree_are_refused_before_anything_runs() {
    let emu = Emu::start();
    let user = User::new();
    user.demo_profile("p", &emu.url);
    user.set_key("spare", DEMO_API_KEY);
    let settings = std::fs::read(user.config_file()).unwrap();
    clear_log(&emu);

    // --json asked for JSON, so the refusal is a JSON report.
    for args in [
        &["key", "remove", "spare", "--json", "--format", "text"][..],
        &["--json", "token", "p", "--format", "env"],
        &["--json", "token", "p", "--format", "raw"],
        &["--format", "json", "token", "p", "--powershell"],
    ] {
        let out = user.run(args);
        assert_eq!(out.code, exit::INPUT, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}");
        assert_eq!(out.stderr_report()["code"], "invalid_input", "{args:?}");
    }
    let message = user.run(&["token", "p", "--json", "--format", "text"]).stderr_report()
        ["message"]
        .to_string();
    assert!(message.contains("--json") && message.contains("--format"), "names both: {message}");

    // Text refusals: env is for `token` only, --powershell only changes env.
    user.run(&["key", "remove", "spare", "--format", "env"])
        .fails_quietly_with(exit::INPUT)
        .stderr_has("only for `cnaccess token`");
    user.run(&["--format", "env", "log"]).fails_quietly_with(exit::INPUT);
    user.run(&["token", "p", "--powershell"])
        .fails_quietly_with(exit::INPUT)
        .stderr_has("--powershell")
        .stderr_has("--format env");

    // Nothing ran: no request, no settings written, the key still there.
    assert!(requests(&emu).is_empty(), "no request was made");
    assert_eq!(std::fs::read(user.config_file()).unwrap(), settings, "settings unchanged");
    assert_eq!(user.keychain_lookup("api-key:spare").as_deref(), Some(DEMO_API_KEY));

    // Flags that agree are fine.
    assert!(user.run(&["--json", "token", "p", "--format", "json"]).success().stdout_json()
        ["token"]
        .is_string());
    let env = user.run(&["token", "p", "--format", "env", "--powershell"]);
    assert!(env.success().stdout.starts_with("$env:CLOUDNEETI_TOKEN = '"), "{}", env.stdout);
}

/// An argument clap refuses comes out as JSON when JSON was asked for, by either flag and
/// wherever it stands; without it, clap's own text.
#[test]
fn argument_errors_are_json_when_json_is_asked_for() {
    let user = User::new();
    for args in [
        &["--json", "token"][..],
        &["token", "--format", "json"],
        &["--format=json", "bogus"],
        &["token", "p", "--json", "--nope"],
    ] {
        let run = user.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let report: Value = serde_json::from_str(run.stderr.trim())
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", run.stderr));
        assert_eq!(report["code"], "invalid_input", "{report}");
        assert!(report["message"].as_str().is_some_and(|m| !m.is_empty()), "{report}");
        assert!(report["hint"].as_str().unwrap().contains("--help"), "{report}");
    }
    let missing = user.run(&["--json", "token"]);
    assert!(
        missing.stderr.contains("<PROFILE>"),
        "the missing argument is named: {}",
        missing.stderr
    );
    let text = user.run(&["bogus"]);
    assert_eq!(text.code, 2);
    assert!(text.stderr.starts_with("error: unrecognized subcommand"), "{}", text.stderr);

    // A secret typed where clap refuses it is not repeated, in either format, nor in a tip.
    let key = DEMO_API_KEY;
    let flag = format!("--{key}");
    for args in [
        vec!["key", "set", "mykey", key],
        vec!["--json", "key", "set", "mykey", key],
        vec!["key", "set", flag.as_str()],
        vec!["--json", "--format", key, "key", "list"],
    ] {
        let run = user.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("32 characters, not shown"), "{args:?}: {}", run.stderr);
        cloudneeti_testkit::leak::assert_none(&run.stderr, &[key], 8);
    }
}
