//! The secret-leak test: every `cnaccess` command, successful and failing, run with fresh
//! distinctive secrets, and then a search of everything the user can see or that stayed on
//! disk (stdout, stderr, the settings file, the activity log, every file under HOME, TMPDIR
//! and the config folder) for any of those secrets, whole or any 12-character piece.
//!
//! Run: `scripts/with-keyring.sh cargo test -p cloudneeti-cli --test leak`.
//!
//! The only secret-derived value a command may print is the token a user asked for, so the
//! token (and only it) is cut out of `token` output before the search.
#![cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]

mod common;

use cloudneeti_emulator::state::NewApp;
use common::*;
use std::path::Path;

/// The shortest piece of a secret that counts as a leak.
const PIECE: usize = 12;

/// A secret and what to call it in a failure message (never the value itself).
struct Needle {
    name: &'static str,
    value: String,
}

/// Where `needle` (whole, or any PIECE-long piece) occurs in `haystack`: the offset.
fn find_leak(haystack: &[u8], needle: &str) -> Option<usize> {
    assert!(needle.len() >= PIECE, "needles are longer than a piece");
    cloudneeti_testkit::leak::find(haystack, needle, PIECE)
}

/// Cuts the token a `token` command printed out of its stdout: raw, JSON or env lines.
fn without_token(run: &Run) -> Vec<u8> {
    let mut stdout = run.stdout.clone();
    if run.code != 0 {
        return stdout.into_bytes();
    }
    let mut tokens = Vec::new();
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&stdout) {
        tokens.extend(json["token"].as_str().map(str::to_string));
    } else {
        for line in stdout.lines() {
            if let Some(quoted) = line
                .strip_prefix("export CLOUDNEETI_TOKEN='")
                .or_else(|| line.strip_prefix("$env:CLOUDNEETI_TOKEN = '"))
            {
                tokens.push(quoted.trim_end_matches('\'').to_string());
            } else if is_jwt(line.trim()) {
                tokens.push(line.trim().to_string());
            }
        }
    }
    assert!(!tokens.is_empty(), "no token found in the output of `{}`", run.command);
    for token in tokens {
        stdout = stdout.replace(&token, "<token>");
    }
    stdout.into_bytes()
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files_under(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

#[test]
fn the_search_finds_a_planted_secret() {
    // The leak test below is only worth something if its search can find a leak.
    let secret = "Zx9-q_Lm3PtR8vWk2Yb7Nc4Hd6Fj1Gs0";
    assert_eq!(find_leak(format!("before {secret} after").as_bytes(), secret), Some(7));
    assert!(find_leak(format!("only {} here", &secret[5..17]).as_bytes(), secret).is_some());
    assert!(find_leak(format!("too short: {}", &secret[5..16]).as_bytes(), secret).is_none());
}

#[test]
fn no_command_leaks_the_api_key_or_the_app_secret() {
    let emu = Emu::start();
    let control = emu.control();
    // Fresh secrets, made by the emulator as the portal would: a new API application (its
    // secret shown once) and a new subscription activated by Cloudneeti; plus a second,
    // never activated, subscription.
    let app = control
        .with(|s| {
            let new: NewApp = serde_json::from_value(serde_json::json!({
                "licenseId": DEMO_LICENSE_ID,
                "name": "Leak test app",
                "accountIds": [DEMO_AZURE_ACCOUNT_ID, DEMO_OFFICE_ACCOUNT_ID],
            }))
            .unwrap();
            s.create_app(new)
        })
        .expect("the application is created");
    let key = control.with(|s| s.subscribe(Some("leak@contoso.example".into())));
    control.with(|s| s.activate_key(&key)).expect("the key is activated");
    let pending_key = control.with(|s| s.subscribe(None));
    let wrong_secret = format!("wrong-{}", uuid::Uuid::new_v4().simple());
    let cloud_secret = format!("cloud-{}", uuid::Uuid::new_v4().simple());
    let needles = [
        Needle { name: "the API key", value: key.clone() },
        Needle { name: "the application secret", value: app.secret.clone() },
        Needle { name: "the pending API key", value: pending_key.clone() },
        Needle { name: "the wrong application secret", value: wrong_secret.clone() },
        Needle { name: "a cloud account's client secret", value: cloud_secret.clone() },
    ];

    let user = User::with_home();
    let url = emu.url.clone();
    let app_id = app.app_id.clone();
    let mut runs: Vec<Run> = Vec::new();

    // Each step: args, stdin, extra env, expected exit code.
    type Step = (Vec<String>, String, Vec<(&'static str, String)>, i32);
    let step = |args: &[&str], stdin: &str, code: i32| -> Step {
        (args.iter().map(|a| a.to_string()).collect(), stdin.to_string(), Vec::new(), code)
    };
    let mut steps: Vec<Step> = vec![
        // Refused input first: a secret pasted where a key belongs is not quoted back.
        step(&["key", "set", "default"], &app.secret, exit::INPUT),
        step(&["--json", "key", "set", "default"], &app.secret, exit::INPUT),
        step(&["key", "set", "default"], &key, 0),
        step(&["key", "set", "pending"], &pending_key, 0),
        step(&["key", "set", "other", "--allow-any-key-format"], &format!("x{key}"), 0),
        step(&["key", "list"], "", 0),
        step(&["key", "list", "--json"], "", 0),
        step(
            &[
                "profile",
                "add",
                "p",
                "--env",
                &url,
                "--license",
                DEMO_LICENSE_ID,
                "--app-id",
                &app_id,
            ],
            "",
            0,
        ),
        step(
            &[
                "profile",
                "add",
                "q",
                "--env",
                &url,
                "--license",
                DEMO_LICENSE_ID,
                "--app-id",
                &app_id,
                "--api-key",
                "pending",
            ],
            "",
            0,
        ),
        step(&["secret", "set", "nope"], &app.secret, exit::CONFIG),
        step(&["token", "p"], "", exit::KEYCHAIN),
        step(&["secret", "set", "p"], &app.secret, 0),
        step(&["secret", "set", "q"], &app.secret, 0),
        step(&["profile", "list"], "", 0),
        step(&["profile", "list", "--json"], "", 0),
        step(&["profile", "show", "p"], "", 0),
        step(&["profile", "show", "p", "--json"], "", 0),
        step(&["token", "p"], "", 0),
        step(&["token", "p", "--format", "json"], "", 0),
        step(&["token", "p", "--format", "env"], "", 0),
        step(&["token", "p", "--format", "env", "--powershell"], "", 0),
        step(&["token", "p", "--account", DEMO_AZURE_ACCOUNT_ID], "", 0),
        step(&["token", "p", "--account", "Contoso Office 365", "--format", "json"], "", 0),
        step(&["accounts", "p"], "", 0),
        step(&["accounts", "p", "--json"], "", 0),
        step(&["doctor", "p"], "", 0),
        step(&["doctor", "p", "--json"], "", 0),
        // Failures the service reports.
        step(&["token", "p", "--account", DEMO_AWS_ACCOUNT_ID], "", exit::NOT_FOUND_OR_SCOPE),
        step(
            &["--json", "token", "p", "--account", DEMO_AWS_ACCOUNT_ID],
            "",
            exit::NOT_FOUND_OR_SCOPE,
        ),
        step(&["token", "q"], "", exit::AUTH),
        step(&["--json", "token", "q"], "", exit::AUTH),
        step(&["doctor", "q"], "", exit::CHECK_FAILED),
        step(&["doctor", "q", "--json"], "", exit::CHECK_FAILED),
        step(&["accounts", "q"], "", exit::AUTH),
        step(&["secret", "set", "p"], &wrong_secret, exit::AUTH),
        step(&["secret", "set", "p", "--no-check"], &wrong_secret, 0),
        step(&["token", "p"], "", exit::AUTH),
        step(&["token", "p", "--format", "json", "--json"], "", exit::AUTH),
        step(&["doctor", "p"], "", exit::CHECK_FAILED),
        step(&["doctor", "p", "--json"], "", exit::CHECK_FAILED),
        step(&["accounts", "p", "--json"], "", exit::AUTH),
        step(&["secret", "set", "p"], &app.secret, 0),
        step(&["key", "remove", "default"], "", exit::CONFIG),
        step(&["profile", "show", "nope"], "", exit::CONFIG),
    ];
    // Pipelines: the secrets in the environment, which outranks the keychain.
    let pipeline = |args: &[&str], api_key: &str, secret: &str, code: i32| -> Step {
        let env = vec![
            ("CLOUDNEETI_API_KEY", api_key.to_string()),
            ("CLOUDNEETI_APP_SECRET", secret.to_string()),
        ];
        (args.iter().map(|a| a.to_string()).collect(), String::new(), env, code)
    };
    steps.push(pipeline(&["token", "q"], &key, &app.secret, 0));
    steps.push(pipeline(&["token", "q", "--format", "json"], &key, &app.secret, 0));
    steps.push(pipeline(&["token", "p"], &key, &wrong_secret, exit::AUTH));
    steps.push(pipeline(&["doctor", "p"], &pending_key, &app.secret, exit::CHECK_FAILED));
    steps.push(pipeline(&["accounts", "q", "--json"], &key, &app.secret, 0));
    // Emulator down: network errors.
    let dead = dead_url();
    steps.push(step(
        &[
            "profile",
            "add",
            "dead",
            "--env",
            &dead,
            "--license",
            DEMO_LICENSE_ID,
            "--app-id",
            &app_id,
        ],
        "",
        0,
    ));
    steps.push(step(&["secret", "set", "dead"], &app.secret, 0));
    steps.push(step(&["token", "dead"], "", exit::NETWORK));
    steps.push(step(&["doctor", "dead"], "", exit::CHECK_FAILED));
    // The analysts' commands: every file they write is under HOME, searched below.
    let home = user.home.as_ref().unwrap().path().to_path_buf();
    let file = |name: &str| home.join(name).display().to_string();
    let (audit, assets, json) = (file("audit.csv"), file("assets.csv"), file("audit.json"));
    let env_dump = format!("env | grep -v CLOUDNEETI_TOKEN > '{}'", file("env.txt"));
    let azure_path = format!("/audit/license/{{license}}/account/{DEMO_AZURE_ACCOUNT_ID}");
    let analyst: Vec<Step> = vec![
        step(&["profile", "export", "p"], "", 0),
        step(&["profile", "export", "p", "--out", &file("handoff.json")], "", 0),
        step(&["api", "p", "/onboarding/license/{license}/licenseAccounts"], "", 0),
        step(
            &["api", "p", &format!("{azure_path}/failedassets?benchmarkId=CSBP"), "--paginate"],
            "",
            0,
        ),
        step(&["--json", "api", "p", &format!("{azure_path}/benchmarks")], "", 0),
        step(
            &[
                "api",
                "p",
                &format!("/audit/license/{{license}}/account/{DEMO_AWS_ACCOUNT_ID}/benchmarks"),
            ],
            "",
            exit::NOT_FOUND_OR_SCOPE,
        ),
        step(&["benchmarks", "p", "--account", DEMO_AZURE_ACCOUNT_ID], "", 0),
        step(&["health", "p", "--account", "Contoso Azure production"], "", 0),
        step(&["--json", "rescan", "p", "--account", DEMO_OFFICE_ACCOUNT_ID], "", 0),
        step(&["report", "audit", "p", "--out", &audit], "", 0),
        step(&["report", "failed-assets", "p", "--out", &assets], "", 0),
        step(&["--json", "report", "audit", "p", "--out", &json], "", 0),
        step(&["report", "audit", "p", "--out", "-", "--accounts", DEMO_OFFICE_ACCOUNT_ID], "", 0),
        step(&["exec", "p", "--", "sh", "-c", &env_dump], "", 0),
        step(&["exec", "p", "--account", DEMO_AZURE_ACCOUNT_ID, "--", "true"], "", 0),
        step(&["scope", "add", "p", "Contoso AWS sandbox"], "", 0),
        step(
            &[
                "account",
                "add",
                "p",
                "office",
                "--name",
                "Leak M365",
                "--domain",
                "contoso.example",
                "--tenant-id",
                "t",
                "--client-id",
                "c",
            ],
            &cloud_secret,
            0,
        ),
    ];
    steps.extend(analyst);
    // The log, then everything removed.
    steps.push(step(&["log"], "", 0));
    steps.push(step(&["log", "--json"], "", 0));
    steps.push(step(&["secret", "remove", "q"], "", 0));
    steps.push(step(&["profile", "remove", "q"], "", 0));
    steps.push(step(&["key", "remove", "pending"], "", 0));
    steps.push(step(&["key", "remove", "other"], "", 0));
    steps.push(step(&["log", "--json", "--limit", "500"], "", 0));

    for (args, stdin, env, code) in &steps {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let run = user.run_env(&args, stdin, &env);
        // Exit codes are checked so each step really took the path it stands for.
        assert_eq!(run.code, *code, "`{}`:\n{}\n{}", run.command, run.stdout, run.stderr);
        runs.push(run);
    }

    // The secrets really went in: the test is not passing for want of any secret.
    assert_eq!(user.keychain_lookup("api-key:default").as_deref(), Some(key.as_str()));
    assert_eq!(user.keychain_lookup("app-secret:p").as_deref(), Some(app.secret.as_str()));
    let log = std::fs::read_to_string(user.activity_file()).unwrap();
    assert!(log.lines().count() > 40, "the activity log recorded the runs:\n{log}");

    // Every subcommand ran at least once.
    let ran: Vec<String> = runs
        .iter()
        .map(|r| r.command.trim_start_matches("cnaccess ").trim_start_matches("--json "))
        .map(|c| c.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect();
    for command in [
        "key set",
        "key list",
        "key remove",
        "secret set",
        "secret remove",
        "profile add",
        "profile list",
        "profile show",
        "profile remove",
        "token p",
        "accounts p",
        "doctor p",
        "log",
        "log --json",
        "api p",
        "benchmarks p",
        "health p",
        "rescan p",
        "report audit",
        "report failed-assets",
        "exec p",
        "scope add",
        "account add",
    ] {
        assert!(ran.iter().any(|r| r == command || r.starts_with(command)), "{command} not run");
    }

    // The search: outputs...
    for run in &runs {
        let is_token = run.command.starts_with("cnaccess token");
        let stdout = if is_token { without_token(run) } else { run.stdout_bytes.clone() };
        for (stream, bytes) in [("stdout", &stdout), ("stderr", &run.stderr_bytes)] {
            for needle in &needles {
                assert!(
                    find_leak(bytes, &needle.value).is_none(),
                    "`{}` printed (part of) {} on {stream}",
                    run.command,
                    needle.name
                );
            }
        }
    }
    // ...and every file left behind.
    let mut files = Vec::new();
    files_under(user.config_dir(), &mut files);
    files_under(user.home.as_ref().unwrap().path(), &mut files);
    assert!(files.contains(&user.config_file()) && files.contains(&user.activity_file()));
    for written in ["audit.csv", "assets.csv", "audit.json", "env.txt", "handoff.json"] {
        let path = user.home.as_ref().unwrap().path().join(written);
        assert!(files.contains(&path), "{written} was written, so it is searched");
    }
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for needle in &needles {
            assert!(
                find_leak(&bytes, &needle.value).is_none(),
                "{} holds (part of) {}",
                file.display(),
                needle.name
            );
        }
    }
}
