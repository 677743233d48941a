//! The settings file on a real disk, in a temp folder: what a user would find there after
//! each operation, including damaged files, files from newer versions, and several writers
//! at once (threads, and processes that re-run this test binary).

use chrono::{NaiveDate, TimeZone, Utc};
use cloudneeti_core::model::CURRENT_SCHEMA_VERSION;
use cloudneeti_core::{
    validate, ApiKeyMeta, Config, ConfigStore, Environment, Error, KnownAccount, Profile,
};
use std::fs;
use std::path::Path;

const LICENSE: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
const APP: &str = "6fa459ea-ee8a-3ca4-894e-db77e160355e";

fn profile(name: &str, key: &str) -> Profile {
    Profile::new(
        validate::profile_name(name).unwrap(),
        Environment::Prod,
        validate::license_id(LICENSE).unwrap(),
        Some(validate::app_id(APP).unwrap()),
        validate::key_name(key).unwrap(),
    )
}

fn with_key(config: &mut Config, key: &str) {
    config.set_api_key(ApiKeyMeta::new(validate::key_name(key).unwrap())).unwrap();
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn a_missing_file_is_an_empty_config_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path().join("cfg"));
    let config = store.load().unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.schema_version, CURRENT_SCHEMA_VERSION);
    assert_eq!(config.settings.clipboard_clear_seconds, 30);
    assert!(!tmp.path().join("cfg").exists());
}

#[test]
fn update_writes_camel_case_json_privately_and_leaves_no_temp_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nested").join("cfg");
    let store = ConfigStore::open(&dir);
    store
        .update(|c| {
            with_key(c, "main");
            let mut p = profile("contoso-prod", "main");
            p.token_expiry_minutes =
                Some(cloudneeti_core::token_policy::token_expiry(60, None).unwrap());
            p.secret_expires_on = NaiveDate::from_ymd_opt(2030, 1, 31);
            p.known_accounts.push(KnownAccount {
                account_id: "a1b2c3d4-0000-4000-8000-000000000001".into(),
                account_name: "Azure".into(),
                connector_type: "Azure".into(),
                is_in_api_scope: true,
            });
            p.granted_apis.push("Account.Audit".into());
            c.add_profile(p)
        })
        .unwrap();

    assert_eq!(store.path(), dir.join("config.json"));
    assert_eq!(files_in(&dir), ["config.json", "config.json.lock"]);
    let text = fs::read_to_string(store.path()).unwrap();
    for field in [
        "\"schemaVersion\": 1",
        "\"apiKeys\"",
        "\"licenseId\": \"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"",
        "\"appId\"",
        "\"apiKey\": \"main\"",
        "\"environment\": \"prod\"",
        "\"tokenExpiryMinutes\": 60",
        "\"secretExpiresOn\": \"2030-01-31\"",
        "\"isInApiScope\": true",
        "\"clipboardClearSeconds\": 30",
    ] {
        assert!(text.contains(field), "{field} missing in\n{text}");
    }
    let loaded = store.load().unwrap();
    assert_eq!(loaded.profile("contoso-prod").unwrap().granted_apis, ["Account.Audit"]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }
}

#[test]
fn a_failed_change_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    store
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap();
    let before = fs::read(store.path()).unwrap();
    let err = store.update(|c| c.add_profile(profile("p", "no-such-key"))).unwrap_err();
    assert!(matches!(err, Error::ApiKeyNotFound(ref k) if k == "no-such-key"), "{err}");
    assert_eq!(fs::read(store.path()).unwrap(), before);
}

#[test]
fn a_damaged_file_is_moved_aside_with_its_bytes_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    let damaged = b"{\"schemaVersion\": 1, \"profiles\": [ {\"name\": \"half";
    fs::write(store.path(), damaged).unwrap();

    let err = store.load().unwrap_err();
    let Error::ConfigCorrupt { path, moved_to, .. } = &err else { panic!("{err}") };
    assert_eq!(path, store.path());
    let aside = moved_to.file_name().unwrap().to_str().unwrap();
    assert!(aside.starts_with("config.json.corrupt-") && aside.ends_with('Z'), "{aside}");
    assert_eq!(fs::read(moved_to).unwrap(), damaged);
    assert!(!store.path().exists());
    let message = err.to_string();
    assert!(message.contains(&*store.path().to_string_lossy()), "{message}");
    assert!(message.contains(&*moved_to.to_string_lossy()), "{message}");
    assert_eq!(err.code(), "config_corrupt");

    // The next start begins empty, and writing works again.
    assert_eq!(store.load().unwrap(), Config::default());
    store
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap();
    assert_eq!(store.load().unwrap().api_keys.len(), 1);
}

#[test]
fn valid_json_of_the_wrong_shape_is_damaged_too_and_update_does_not_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    for (n, bad) in
        [r#"{"schemaVersion": 1, "profiles": "none"}"#, "[1, 2, 3]", r#"{"schemaVersion": 0}"#, ""]
            .into_iter()
            .enumerate()
    {
        fs::write(store.path(), bad).unwrap();
        let err = store
            .update(|c| {
                with_key(c, "main");
                Ok(())
            })
            .unwrap_err();
        let Error::ConfigCorrupt { moved_to, .. } = &err else { panic!("{bad:?}: {err}") };
        assert_eq!(fs::read_to_string(moved_to).unwrap(), bad);
        assert!(!store.path().exists(), "the update was not applied");
        // Same second, same stamp: later ones get -2, -3, ... and none is overwritten.
        let corrupt = files_in(tmp.path()).iter().filter(|f| f.contains(".corrupt-")).count();
        assert_eq!(corrupt, n + 1);
    }
}

#[test]
fn a_file_from_a_newer_version_is_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    let newer = br#"{"schemaVersion": 7, "profiles": {"a": "whole new shape"}}"#;
    fs::write(store.path(), newer).unwrap();

    let err = store.load().unwrap_err();
    assert!(matches!(err, Error::ConfigTooNew { found: 7, supported: 1, .. }), "{err}");
    assert!(err.hint(|_| "").contains("Update Cloudneeti Access"));
    let err = store
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap_err();
    assert_eq!(err.code(), "config_too_new");
    assert_eq!(fs::read(store.path()).unwrap(), newer);
    assert!(!files_in(tmp.path()).iter().any(|f| f.contains("corrupt")));
}

/// Versions are numbers, however they are spelled: 2.0 is a newer version, not damage, and
/// 1.0 is this one.
#[test]
fn schema_versions_compare_as_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    fs::write(store.path(), br#"{"schemaVersion": 2.0}"#).unwrap();
    let err = store.load().unwrap_err();
    assert!(matches!(err, Error::ConfigTooNew { found: 2, .. }), "{err}");
    fs::write(store.path(), br#"{"schemaVersion": 1.0, "apiKeys": []}"#).unwrap();
    assert_eq!(store.load().unwrap().schema_version, 1);
    assert!(!files_in(tmp.path()).iter().any(|f| f.contains("corrupt")));
}

/// Top-level fields this version does not know survive a write.
#[test]
fn unknown_top_level_fields_are_kept_on_the_next_write() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    fs::write(store.path(), br#"{"schemaVersion": 1, "teamNotes": {"owner": "ops"}, "x": [1, 2]}"#)
        .unwrap();
    store
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap();
    let written: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path()).unwrap()).unwrap();
    assert_eq!(written["teamNotes"], serde_json::json!({"owner": "ops"}));
    assert_eq!(written["x"], serde_json::json!([1, 2]));
    assert_eq!(written["apiKeys"][0]["name"], "main");
}

/// A settings file kept as a symlink (to dotfiles in a repository) stays one: the file it
/// points to gets the change.
#[test]
#[cfg(unix)]
fn a_symlinked_settings_file_stays_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let dotfiles = tmp.path().join("dotfiles");
    fs::create_dir(&dotfiles).unwrap();
    fs::write(dotfiles.join("cnaccess.json"), br#"{"schemaVersion": 1}"#).unwrap();
    let dir = tmp.path().join("config");
    fs::create_dir(&dir).unwrap();
    let store = ConfigStore::open(&dir);
    std::os::unix::fs::symlink("../dotfiles/cnaccess.json", store.path()).unwrap();
    store
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap();
    assert!(fs::symlink_metadata(store.path()).unwrap().file_type().is_symlink());
    let target = fs::read_to_string(dotfiles.join("cnaccess.json")).unwrap();
    assert!(target.contains("\"main\""), "{target}");
    assert_eq!(store.load().unwrap().api_keys.len(), 1);
}

#[test]
fn profile_and_key_rules() {
    let mut c = Config::default();
    with_key(&mut c, "main");
    with_key(&mut c, "spare");
    c.add_profile(profile(" prod \n", "main")).unwrap();
    assert_eq!(c.profiles[0].name, "prod", "names are cleaned like typed input");
    c.add_profile(profile("trial", "main")).unwrap();

    assert!(
        matches!(c.add_profile(profile("PROD", "main")), Err(Error::ProfileExists(n)) if n == "PROD")
    );
    assert!(matches!(c.add_profile(profile("x", "nokey")), Err(Error::ApiKeyNotFound(_))));
    // A bad name never becomes a profile: it is refused where it is parsed.
    assert_eq!(validate::profile_name("bad name").unwrap_err().code(), "invalid_input");
    assert!(matches!(c.profile("nope"), Err(Error::ProfileNotFound(_))));
    assert!(matches!(c.remove_profile("nope"), Err(Error::ProfileNotFound(_))));
    assert!(matches!(c.update_profile("nope", |_| Ok(())), Err(Error::ProfileNotFound(_))));

    // Updates are all or nothing.
    let before = c.clone();
    let err = c
        .update_profile("trial", |p| {
            p.name = validate::profile_name("Prod").unwrap();
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, Error::ProfileExists(_)));
    assert!(matches!(
        c.update_profile("trial", |p| {
            p.api_key = validate::key_name("gone").unwrap();
            Ok(())
        }),
        Err(Error::ApiKeyNotFound(_))
    ));
    assert!(c
        .update_profile("trial", |p| {
            p.granted_apis.push("x".into());
            Err::<(), _>(Error::Cancelled)
        })
        .is_err());
    assert_eq!(c, before);
    let created = c.profile("trial").unwrap().updated_at;
    c.update_profile("trial", |p| {
        p.environment = Environment::Trial;
        Ok(())
    })
    .unwrap();
    assert!(c.profile("trial").unwrap().updated_at >= created);

    // An API key in use cannot go; the error names who uses it.
    let err = c.remove_api_key("main").unwrap_err();
    assert_eq!(err.to_string(), "the API key \"main\" is still used by profile(s) prod, trial");
    assert!(matches!(c.remove_api_key("nope"), Err(Error::ApiKeyNotFound(_))));
    assert_eq!(c.remove_api_key("spare").unwrap().name, "spare");
    assert_eq!(
        c.set_api_key(ApiKeyMeta::new(validate::key_name("MAIN").unwrap())).unwrap_err().code(),
        "invalid_input"
    );
    let mut leaky = ApiKeyMeta::new(validate::key_name("other").unwrap());
    leaky.note = Some("0123456789abcdef0123456789abcdef".into());
    assert_eq!(c.set_api_key(leaky).unwrap_err().code(), "invalid_input");
    let mut rotated = ApiKeyMeta::new(validate::key_name("main").unwrap());
    rotated.note = Some("  SecOps team \n".into());
    rotated.stored_at = Some(Utc::now());
    c.set_api_key(rotated).unwrap();
    assert_eq!(c.api_keys.len(), 1);
    assert!(c.api_key("main").unwrap().stored_at.is_some());
    assert_eq!(c.api_key("main").unwrap().note.as_deref(), Some("SecOps team"));

    assert_eq!(c.remove_profile("prod").unwrap().name, "prod");
    c.remove_profile("trial").unwrap();
    c.remove_api_key("main").unwrap();
    assert!(c.api_keys.is_empty() && c.profiles.is_empty());
}

#[test]
fn secret_expiry_warning_starts_two_weeks_ahead() {
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap();
    let today = now.date_naive();
    let mut p = profile("p", "main");
    assert_eq!(p.secret_expiry_warning(now), None);
    for (days, want) in [(15, None), (14, Some(14)), (1, Some(1)), (0, Some(0)), (-3, Some(-3))] {
        p.secret_expires_on = Some(today + chrono::Duration::days(days));
        assert_eq!(p.secret_expiry_warning(now), want, "{days}");
    }
}

/// The portal's date is "applicable till midnight UTC of the selected date": the secret works
/// through that whole UTC day, and the reminder counts from the midnight that ends it.
#[test]
fn a_secret_works_through_its_expiry_date_until_midnight_utc() {
    let mut p = profile("p", "main");
    p.secret_expires_on = NaiveDate::from_ymd_opt(2026, 12, 10);
    let at = |d, h, m, s| Utc.with_ymd_and_hms(2026, 12, d, h, m, s).unwrap();
    assert_eq!(p.secret_valid_until(), Some(at(11, 0, 0, 0)));
    assert_eq!(p.secret_expiry_warning(at(10, 0, 0, 0)), Some(0));
    assert_eq!(p.secret_expiry_warning(at(10, 23, 59, 59)), Some(0), "its last second");
    assert_eq!(p.secret_expiry_warning(at(11, 0, 0, 0)), Some(-1), "expired at midnight");
    assert_eq!(p.secret_expiry_warning(at(9, 23, 59, 59)), Some(1));
    // Fourteen days before its last day: the first reminder, wherever the user is.
    assert_eq!(
        p.secret_expiry_warning(Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap()),
        Some(14)
    );
    assert_eq!(
        p.secret_expiry_warning(Utc.with_ymd_and_hms(2026, 11, 25, 23, 59, 59).unwrap()),
        None
    );
}

/// A file written before the portal's Token Expiry drop-down loads with its odd value kept.
#[test]
fn a_stored_token_expiry_outside_the_portals_choices_still_loads_and_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    let text = format!(
        r#"{{"schemaVersion": 1, "apiKeys": [{{"name": "main"}}], "profiles": [{{
            "name": "old", "environment": "prod1", "licenseId": "{LICENSE}", "appId": "{APP}",
            "apiKey": "main", "tokenExpiryMinutes": 30,
            "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z"}}]}}"#
    );
    fs::write(store.path(), text).unwrap();
    let old = store.load().unwrap().profile("old").unwrap().clone();
    assert_eq!(old.token_expiry_minutes.map(|e| e.minutes()), Some(30));
    assert_eq!(old.environment, Environment::Prod1);
    store.update(|c| c.update_profile("old", |_| Ok(()))).unwrap();
    assert!(fs::read_to_string(store.path()).unwrap().contains("\"tokenExpiryMinutes\": 30"));
}

#[test]
fn files_written_by_hand_with_optional_parts_missing_still_load() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    let text = format!(
        r#"{{"schemaVersion": 1, "apiKeys": [{{"name": "main"}}], "profiles": [{{
            "name": "lab", "environment": {{"custom": "http://127.0.0.1:4010/"}},
            "licenseId": "{LICENSE}", "appId": "{APP}", "apiKey": "main",
            "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z"}}]}}"#
    );
    fs::write(store.path(), text).unwrap();
    let c = store.load().unwrap();
    let lab = c.profile("lab").unwrap();
    assert_eq!(lab.environment.base_url(), Some("http://127.0.0.1:4010"));
    assert_eq!(lab.created_at, Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap());
    assert!(lab.known_accounts.is_empty() && lab.token_expiry_minutes.is_none());
    assert_eq!(c.settings.clipboard_clear_seconds, 30);
}

/// Version 0.1 stored the documentation's page titles as grants; they load under the names the
/// service really returns, without duplicates, and are written back that way.
#[test]
fn grants_stored_under_page_titles_load_by_their_real_names() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    let text = format!(
        r#"{{"schemaVersion": 1, "apiKeys": [{{"name": "main"}}], "profiles": [{{
            "name": "old", "environment": "prod", "licenseId": "{LICENSE}", "appId": "{APP}",
            "apiKey": "main", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z",
            "grantedApis": ["License.LicenseAccounts", "Account.Audit", "Account.Audit.Summary",
                            "Account.Audit.HealthStatus", "Account.Rescan"]}}]}}"#
    );
    fs::write(store.path(), text).unwrap();
    let real = ["License.GetAPIAccess", "Account.Audit", "Account.Health", "Account.Rescan"];
    assert_eq!(store.load().unwrap().profile("old").unwrap().granted_apis, real);
    store.update(|c| c.update_profile("old", |_| Ok(()))).unwrap();
    let written = fs::read_to_string(store.path()).unwrap();
    assert!(!written.contains("License.LicenseAccounts"), "{written}");
    assert_eq!(store.load().unwrap().profile("old").unwrap().granted_apis, real);
}

/// Adds `count` profiles named `{prefix}-{i}` and bumps the clipboard setting once per add,
/// each in its own update, as separate app and CLI invocations would.
fn add_many(store: &ConfigStore, prefix: &str, count: usize) {
    for i in 0..count {
        store
            .update(|c| {
                c.settings.clipboard_clear_seconds += 1;
                c.add_profile(profile(&format!("{prefix}-{i}"), "main"))
            })
            .unwrap();
    }
}

fn assert_all_present(store: &ConfigStore, prefixes: &[String], count: usize) {
    let c = store.load().unwrap();
    assert_eq!(c.profiles.len(), prefixes.len() * count);
    assert_eq!(c.settings.clipboard_clear_seconds as usize, prefixes.len() * count);
    for prefix in prefixes {
        for i in 0..count {
            c.profile(&format!("{prefix}-{i}")).unwrap();
        }
    }
    assert_eq!(files_in(store.dir()), ["config.json", "config.json.lock"]);
}

fn start_with_key(store: &ConfigStore) {
    store
        .update(|c| {
            c.settings.clipboard_clear_seconds = 0;
            {
                with_key(c, "main");
                Ok(())
            }
        })
        .unwrap();
}

#[test]
fn concurrent_updates_from_threads_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    start_with_key(&store);
    let prefixes: Vec<String> = (0..8).map(|t| format!("thread{t}")).collect();
    std::thread::scope(|s| {
        for prefix in &prefixes {
            let store = store.clone();
            s.spawn(move || add_many(&store, prefix, 25));
        }
    });
    assert_all_present(&store, &prefixes, 25);
}

const CHILD_ENV: &str = "CNACCESS_TEST_CHILD_CONFIG_DIR";
const CHILD_PREFIX_ENV: &str = "CNACCESS_TEST_CHILD_PREFIX";
const PER_CHILD: usize = 10;

/// Not a test on its own: the body of each child process of the test below.
#[test]
fn child_process_body() {
    if let (Some(dir), Some(prefix)) =
        (std::env::var_os(CHILD_ENV), std::env::var(CHILD_PREFIX_ENV).ok())
    {
        add_many(&ConfigStore::open(dir), &prefix, PER_CHILD);
    }
}

#[test]
fn concurrent_updates_from_processes_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(tmp.path());
    start_with_key(&store);
    let prefixes: Vec<String> = (0..4).map(|n| format!("process{n}")).collect();
    let children: Vec<_> = prefixes
        .iter()
        .map(|prefix| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args(["child_process_body", "--exact", "--test-threads=1", "--quiet"])
                .env(CHILD_ENV, tmp.path())
                .env(CHILD_PREFIX_ENV, prefix)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    assert_all_present(&store, &prefixes, PER_CHILD);
}

/// Settings go through Access, which refuses a clipboard delay outside 5 to 600 seconds and
/// leaves the file as it was.
#[test]
fn settings_are_saved_through_access_only_within_their_range() {
    use cloudneeti_core::access::Access;
    use cloudneeti_core::{ActivityLog, Settings, Vault};
    let dir = tempfile::tempdir().unwrap();
    let access = Access::new(
        ConfigStore::open(dir.path()),
        Vault::in_memory("settings-test"),
        ActivityLog::open(dir.path()),
    );
    access.save_settings(Settings { clipboard_clear_seconds: 45 }).unwrap();
    for (refused, reason) in [
        (0, "0 seconds is too short; the shortest is 5 seconds"),
        (4, "4 seconds is too short; the shortest is 5 seconds"),
        (601, "601 seconds is too long; the longest is 600 seconds"),
    ] {
        let e = access.save_settings(Settings { clipboard_clear_seconds: refused }).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert!(e.to_string().contains(reason), "{e}");
    }
    assert_eq!(access.config().unwrap().settings.clipboard_clear_seconds, 45);
}

/// A name a hand edit broke is reported with the line to fix, and the file is left as it is
/// (not moved aside: it is not damaged, only one value in it).
#[test]
fn a_hand_edited_bad_profile_name_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path());
    store
        .update(|c| {
            with_key(c, "main");
            c.add_profile(profile("contoso", "main"))
        })
        .unwrap();
    let path = dir.path().join("config.json");
    let edited = fs::read_to_string(&path).unwrap().replace("\"contoso\"", "\"my contoso\"");
    fs::write(&path, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains("\"my contoso\"")).unwrap() + 1;

    let e = store.load().unwrap_err();
    assert_eq!(e.code(), "config_entry_invalid");
    let message = e.to_string();
    assert!(message.contains("holds a profile name that is not valid"), "{message}");
    assert!(!message.contains("my contoso"), "the name is not quoted: {message}");
    assert!(message.ends_with(&format!("at line {line}")), "{message}");
    assert!(e.hint(|_| "").contains("Nothing was changed"));
    assert_eq!(fs::read_to_string(&path).unwrap(), edited, "the file is left as it is");
    assert_eq!(files_in(dir.path()).iter().filter(|f| f.contains("corrupt")).count(), 0);

    // A name that is a pasted key is refused as one, and the key appears nowhere.
    let key = "0123456789abcdef0123456789abcdef";
    fs::write(&path, edited.replace("\"my contoso\"", &format!("\"x{key}x\""))).unwrap();
    let e = store.load().unwrap_err();
    assert!(e.to_string().contains("looks like an API key"), "{e}");
    cloudneeti_testkit::leak::assert_none(&format!("{e} {}", e.hint(|_| "")), &[key], 8);
}

/// A value in the wrong place (a key pasted as the clipboard delay) is not repeated when the
/// file is reported damaged.
#[test]
fn a_damaged_file_is_reported_without_the_values_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path());
    let key = "0123456789abcdef0123456789abcdef";
    fs::write(
        store.path(),
        format!(r#"{{"schemaVersion":1,"settings":{{"clipboardClearSeconds":"{key}"}}}}"#),
    )
    .unwrap();
    let e = store.load().unwrap_err();
    assert_eq!(e.code(), "config_corrupt");
    assert!(e.to_string().contains("invalid type: string \"…\""), "{e}");
    cloudneeti_testkit::leak::assert_none(&e.to_string(), &[key], 8);
}

/// A license id a hand edit turned into 32 hex digits without hyphens (an API key's shape)
/// would load as a GUID and be sent and logged as one: it is reported with its line, and the
/// value appears nowhere.
#[test]
fn a_hand_edited_id_in_an_api_keys_shape_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path());
    store
        .update(|c| {
            with_key(c, "main");
            c.add_profile(profile("contoso", "main"))
        })
        .unwrap();
    let path = dir.path().join("config.json");
    let key = "0123456789abcdef0123456789abcdef";
    let edited = fs::read_to_string(&path).unwrap().replace(LICENSE, key);
    fs::write(&path, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains(key)).unwrap() + 1;
    let e = store.load().unwrap_err();
    assert_eq!(e.code(), "config_entry_invalid");
    assert!(e.to_string().contains("holds a license id that is not valid"), "{e}");
    assert!(e.to_string().ends_with(&format!("at line {line}")), "{e}");
    cloudneeti_testkit::leak::assert_none(&format!("{e} {}", e.hint(|_| "")), &[key], 8);
    assert_eq!(fs::read_to_string(&path).unwrap(), edited, "the file is left as it is");
}

/// The line named is the entry's own, not the first place the same text is written.
#[test]
fn the_line_named_is_that_of_the_bad_entry_itself() {
    let dir = tempfile::tempdir().unwrap();
    let store = ConfigStore::open(dir.path());
    store
        .update(|c| {
            with_key(c, "main");
            c.add_profile(profile("alpha", "main"))?;
            c.add_profile(profile("beta", "main"))
        })
        .unwrap();
    let path = dir.path().join("config.json");
    let text = fs::read_to_string(&path).unwrap();
    // The first profile's name is "alpha"; the second profile's key name becomes "alpha x",
    // a text the first profile's note-like fields could hold too: put it there first.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["profiles"][0]["knownAccounts"] = serde_json::json!([{
        "accountId": "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3d11",
        "accountName": "alpha x",
        "connectorType": "Azure",
        "isInApiScope": true
    }]);
    value["profiles"][1]["apiKey"] = serde_json::json!("alpha x");
    let edited = serde_json::to_string_pretty(&value).unwrap();
    fs::write(&path, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains("\"apiKey\": \"alpha x\"")).unwrap() + 1;
    let first = edited.lines().position(|l| l.contains("\"alpha x\"")).unwrap() + 1;
    assert!(first < line, "the test puts the same text earlier");
    let e = store.load().unwrap_err();
    assert!(e.to_string().ends_with(&format!("at line {line}")), "{e}");
}

/// A lock file that cannot be opened is named as what it is, not as the settings file.
#[test]
fn a_lock_file_that_cannot_be_opened_is_named_as_the_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the lock file goes: opening it for writing fails.
    fs::create_dir(dir.path().join("config.json.lock")).unwrap();
    let e = ConfigStore::open(dir.path())
        .update(|c| {
            with_key(c, "main");
            Ok(())
        })
        .unwrap_err();
    assert_eq!(e.code(), "config_io");
    assert!(e.to_string().starts_with("the settings file's lock file "), "{e}");
    assert!(e.to_string().contains("config.json.lock"), "{e}");
}
