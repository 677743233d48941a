//! The activity log on a real disk, in a temp folder: the lines an auditor would read, their
//! order, their bound, and appends from many threads at once.

use cloudneeti_core::{
    validate, Action, ActivityEntry, ActivityLog, ApiKeyMeta, Environment, Error, Profile,
};
use std::fs;

const LICENSE: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
const ACCOUNT: &str = "a1b2c3d4-0000-4000-8000-000000000001";

fn profile(name: &str) -> Profile {
    Profile::new(
        validate::profile_name(name).unwrap(),
        Environment::Trial,
        validate::license_id(LICENSE).unwrap(),
        Some(validate::app_id("6fa459ea-ee8a-3ca4-894e-db77e160355e").unwrap()),
        validate::key_name("main").unwrap(),
    )
}

fn raw_lines(log: &ActivityLog) -> Vec<serde_json::Value> {
    fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

#[test]
fn each_entry_is_one_json_line_an_auditor_can_read() {
    let tmp = tempfile::tempdir().unwrap();
    let log = ActivityLog::open(tmp.path());
    assert!(log.read(10).unwrap().is_empty());
    assert_eq!(log.export_json().unwrap(), "[]");

    let account = validate::account_id(ACCOUNT).unwrap();
    log.append(&ActivityEntry::for_profile(Action::LicenseToken, &profile("contoso"))).unwrap();
    log.append(
        &ActivityEntry::for_profile(Action::AccountToken, &profile("contoso"))
            .with_account(account)
            .failed(&Error::AccountOutOfScope {
                account_id: ACCOUNT.into(),
                said: cloudneeti_core::error::Said::nothing(),
            }),
    )
    .unwrap();
    log.append(&ActivityEntry::for_api_key(
        Action::ApiKeyStored,
        &ApiKeyMeta::new(validate::key_name("main").unwrap()),
    ))
    .unwrap();

    assert_eq!(log.path(), tmp.path().join("activity.jsonl"));
    let lines = raw_lines(&log);
    assert_eq!(lines.len(), 3);
    let ok = &lines[0];
    let time = ok["time"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok() && time.ends_with('Z'), "{time}");
    assert_eq!(ok["action"], "license_token");
    assert_eq!(ok["profile"], "contoso");
    assert_eq!(ok["apiKey"], "main");
    assert_eq!(ok["environment"], "trial");
    assert_eq!(ok["licenseId"], LICENSE);
    assert_eq!(ok["outcome"], "ok");
    assert!(ok.get("accountId").is_none() && ok.get("detail").is_none());

    let failed = &lines[1];
    assert_eq!(failed["action"], "account_token");
    assert_eq!(failed["accountId"], ACCOUNT);
    assert_eq!(failed["outcome"], "account_out_of_scope");
    assert_eq!(
        failed["detail"],
        format!("account {ACCOUNT} is not in the API application's scope")
    );

    assert_eq!(lines[2]["action"], "api_key_stored");
    assert_eq!(lines[2]["apiKey"], "main");
    assert!(lines[2].get("profile").is_none());

    let entries = log.read(2).unwrap();
    assert_eq!(entries.len(), 2, "the newest two, oldest first");
    assert_eq!(entries[0].action(), Action::AccountToken);
    assert_eq!(entries[0].account_id(), Some(account.as_uuid()));
    assert_eq!(entries[0].outcome(), "account_out_of_scope");
    assert_eq!(entries[1].action(), Action::ApiKeyStored);
    assert!(entries[0].time() <= entries[1].time());

    let exported: Vec<serde_json::Value> =
        serde_json::from_str(&log.export_json().unwrap()).unwrap();
    assert_eq!(exported, lines);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(log.path()).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn lines_this_version_cannot_read_are_skipped_by_read_but_exported() {
    let tmp = tempfile::tempdir().unwrap();
    let log = ActivityLog::open(tmp.path());
    log.append(&ActivityEntry::for_profile(Action::ProfileAdded, &profile("a"))).unwrap();
    let future = r#"{"time":"2031-01-01T00:00:00.000Z","action":"quantum_token","outcome":"ok"}"#;
    let mut text = fs::read_to_string(log.path()).unwrap();
    text.push_str(future);
    text.push('\n');
    // A crash mid-append leaves a line without its newline; the next entry must survive it.
    text.push_str(r#"{"time":"2031-01-01T00:00:0"#);
    fs::write(log.path(), text).unwrap();

    log.append(&ActivityEntry::for_profile(Action::ProfileRemoved, &profile("a"))).unwrap();
    let actions: Vec<Action> = log.read(100).unwrap().iter().map(|e| e.action()).collect();
    assert_eq!(actions, [Action::ProfileAdded, Action::ProfileRemoved]);
    let exported: Vec<serde_json::Value> =
        serde_json::from_str(&log.export_json().unwrap()).unwrap();
    assert_eq!(exported.len(), 3);
    assert_eq!(exported[1]["action"], "quantum_token");
}

#[test]
fn the_log_stays_under_its_bound_and_keeps_the_newest_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let max = 4096;
    let log = ActivityLog::open(tmp.path()).with_max_bytes(max);
    for i in 0..300 {
        log.append(&ActivityEntry::for_profile(Action::LicenseToken, &profile(&format!("p{i}"))))
            .unwrap();
        let size = fs::metadata(log.path()).unwrap().len();
        assert!(size <= max, "{size} bytes after entry {i}");
    }
    let names: Vec<String> =
        log.read(usize::MAX).unwrap().iter().map(|e| e.profile().unwrap().to_owned()).collect();
    assert!(names.len() > 5 && names.len() < 300, "{}", names.len());
    let first: usize = names[0][1..].parse().unwrap();
    let expected: Vec<String> = (first..300).map(|i| format!("p{i}")).collect();
    assert_eq!(names, expected, "a contiguous run ending with the newest");
    let mut files: Vec<_> =
        fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    files.sort();
    assert_eq!(files, ["activity.jsonl", "activity.jsonl.lock"], "no temp file left");
}

#[test]
fn appends_from_many_threads_never_interleave() {
    let tmp = tempfile::tempdir().unwrap();
    let log = ActivityLog::open(tmp.path());
    std::thread::scope(|s| {
        for t in 0..8 {
            let log = log.clone();
            s.spawn(move || {
                for i in 0..40 {
                    let entry = ActivityEntry::for_profile(
                        Action::AccountToken,
                        &profile(&format!("t{t}-{i}")),
                    );
                    log.append(&entry).unwrap();
                }
            });
        }
    });
    let lines = raw_lines(&log);
    assert_eq!(lines.len(), 320);
    for t in 0..8 {
        let mine: Vec<&str> = lines
            .iter()
            .filter_map(|l| l["profile"].as_str())
            .filter(|p| p.starts_with(&format!("t{t}-")))
            .collect();
        let expected: Vec<String> = (0..40).map(|i| format!("t{t}-{i}")).collect();
        assert_eq!(mine, expected, "each thread's entries whole and in order");
    }
}

/// A log that cannot be read is called the activity log, with its path, and the hint says
/// the profiles are not affected: it was once reported as "the settings file".
#[test]
fn an_unreadable_log_is_named_as_the_activity_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = ActivityLog::open(dir.path());
    fs::create_dir(log.path()).unwrap(); // a folder where the file should be
    let e = log.read(10).unwrap_err();
    assert_eq!(e.code(), "config_io");
    let message = e.to_string();
    assert!(message.starts_with("the activity log "), "{message}");
    assert!(message.contains(&log.path().display().to_string()), "{message}");
    assert!(e.hint(|_| "").contains("profiles and secrets are not affected"));
}
