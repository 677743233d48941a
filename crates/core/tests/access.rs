//! `Access`, the front ends' entry point, end to end: a real keychain (run through
//! scripts/with-keyring.sh), a real config dir, and the emulator on loopback.

mod common;

use cloudneeti_core::access::{Access, Fetch, NewKeyHost};
use cloudneeti_core::model::AccountId;
use cloudneeti_core::model::ProfileForm;
use cloudneeti_core::{ActivityLog, ConfigStore, Secret, Vault};
use common::*;

struct Fixture {
    access: Access,
    /// The keychain service the fixture's vault uses, for looking into the keychain directly.
    service: String,
    emulator: Emulator,
    _dir: tempfile::TempDir,
}

/// The form of a profile `name` of the demo license and application at `url`, key "default".
fn demo_form(name: &str, url: &str) -> ProfileForm {
    ProfileForm {
        name: name.into(),
        environment: url.into(),
        license_id: DEMO_LICENSE_ID.into(),
        app_id: DEMO_APP_ID.into(),
        api_key: "default".into(),
        ..ProfileForm::default()
    }
}

/// A profile "p" on a fresh emulator with the demo key and secret stored in the keychain.
async fn fixture() -> Fixture {
    cloudneeti_testkit::require_private_keyring("cargo test -p cloudneeti-core --test access");
    let emulator = start().await;
    let dir = tempfile::tempdir().unwrap();
    let service = cloudneeti_testkit::unique_service("access");
    let access = Access::new(
        ConfigStore::open(dir.path()),
        Vault::new(&service),
        ActivityLog::open(dir.path()),
    );
    access
        .add_profile(demo_form("p", emulator.url()).validate().unwrap(), NewKeyHost::Confirmed)
        .unwrap();
    access.set_api_key("default", &Secret::new(DEMO_API_KEY.into()), false).await.unwrap();
    access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    Fixture { access, service, emulator, _dir: dir }
}

#[tokio::test]
async fn a_fresh_token_is_reused_and_a_new_secret_forgets_it() {
    let f = fixture().await;
    let first = f.access.token("p", None).await.unwrap();
    let again = f.access.token("p", None).await.unwrap();
    assert_eq!(first.value.expose(), again.value.expose());
    assert_eq!(requests_to(&f.emulator, "token").len(), 1, "the second token came from the cache");

    f.access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    f.access.token("p", None).await.unwrap();
    assert_eq!(requests_to(&f.emulator, "token").len(), 2, "a stored secret drops cached tokens");
}

#[tokio::test]
async fn a_regenerated_secret_replaces_the_stored_one_only_once_the_service_accepts_it() {
    let f = fixture().await;
    let wrong = Secret::new("not-the-new-secret".into());
    let refused = f.access.replace_app_secret_checked("p", &wrong).await.unwrap_err();
    assert_eq!(refused.code(), "app_credentials_rejected");
    f.access.token("p", None).await.expect("the old secret is still stored and works");

    let regenerated =
        f.emulator.control().with(|s| s.regenerate_secret(DEMO_APP_ID)).unwrap().secret;
    let stale = f.access.token("p", None).await;
    assert!(stale.is_ok(), "a cached token outlives the regeneration until it expires");
    f.access.replace_app_secret_checked("p", &Secret::new(regenerated.clone())).await.unwrap();
    let profile = f.access.config().unwrap().profile("p").unwrap().clone();
    let stored = f.access.secrets(&profile).await.unwrap();
    assert_eq!(stored.app_secret.expose(), regenerated);
    f.access.token("p", None).await.expect("the new secret works");
}

#[tokio::test]
async fn accounts_are_found_by_name_and_remembered_in_the_profile() {
    let f = fixture().await;
    let id = f.access.resolve_account("p", "contoso azure PRODUCTION").await.unwrap();
    assert_eq!(id.to_string(), DEMO_AZURE_ACCOUNT_ID);
    let profile = f.access.config().unwrap().profile("p").unwrap().clone();
    assert_eq!(profile.known_accounts.len(), 4);
    assert!(profile.granted_apis.iter().any(|a| a == "License.GetAPIAccess"));
    let unknown = f.access.resolve_account("p", "Nobody's account").await.unwrap_err();
    assert_eq!(unknown.code(), "invalid_input");
}

#[tokio::test]
async fn many_account_tokens_keep_their_order_and_are_each_logged() {
    let f = fixture().await;
    let ids: Vec<AccountId> = [DEMO_AZURE_ACCOUNT_ID, DEMO_AWS_ACCOUNT_ID, DEMO_OFFICE_ACCOUNT_ID]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let results = f.access.account_tokens("p", &ids).await.unwrap();
    assert_eq!(results[0].as_ref().unwrap().account_id.as_deref(), Some(DEMO_AZURE_ACCOUNT_ID));
    assert_eq!(results[1].as_ref().unwrap_err().code(), "account_out_of_scope");
    assert_eq!(results[2].as_ref().unwrap().account_id.as_deref(), Some(DEMO_OFFICE_ACCOUNT_ID));
    let log = f.access.recent_activity(10).unwrap();
    let outcomes: Vec<&str> = log.iter().rev().take(3).map(|e| e.outcome()).collect();
    assert_eq!(outcomes, ["ok", "account_out_of_scope", "ok"]);
}

#[tokio::test]
async fn removing_a_profile_removes_its_secret_from_the_keychain() {
    let f = fixture().await;
    f.access.remove_profile("p").await.unwrap();
    // A vault of its own on the same service: what the keychain holds, not what Access says.
    let stored = Vault::new(&f.service)
        .load(&cloudneeti_core::SecretId::app_secret(&"p".parse().unwrap()))
        .unwrap();
    assert!(stored.is_none());
    assert_eq!(f.access.token("p", None).await.unwrap_err().code(), "profile_not_found");
}

#[tokio::test]
async fn a_profile_may_wait_for_its_application_id_and_says_what_is_missing() {
    let f = fixture().await;
    let form = ProfileForm { app_id: String::new(), ..demo_form("later", f.emulator.url()) };
    f.access.add_profile(form.validate().unwrap(), NewKeyHost::Confirmed).unwrap();
    f.access.set_app_secret("later", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    let missing = f.access.token("later", None).await.unwrap_err();
    assert_eq!(missing.code(), "invalid_input");
    assert!(missing.to_string().contains("no API application id yet"), "{missing}");
    let report = cloudneeti_core::doctor::diagnose(&f.access, "later", |_| "").await.unwrap();
    assert_eq!(report.broken().unwrap().id, "app_accepted");

    f.access
        .update_profile(
            "later",
            |p| {
                p.app_id = Some(DEMO_APP_ID.parse().unwrap());
                Ok(())
            },
            NewKeyHost::Confirmed,
        )
        .await
        .unwrap();
    f.access.token("later", None).await.expect("the id entered later completes the profile");
}

/// After a License Admin regenerates the secret, Test connection (the doctor) must turn red on
/// the credentials link at once, and no token of the application may come from the cache.
#[tokio::test]
async fn a_regenerated_secret_turns_the_doctor_red_and_drops_every_cached_token() {
    let f = fixture().await;
    let account: AccountId = DEMO_AZURE_ACCOUNT_ID.parse().unwrap();
    f.access.token("p", None).await.unwrap();
    f.access.token("p", Some(account)).await.unwrap();
    let healthy = cloudneeti_core::doctor::diagnose(&f.access, "p", |_| "").await.unwrap();
    assert_eq!(healthy.broken(), None, "{healthy:?}");

    f.emulator.control().with(|s| s.regenerate_secret(DEMO_APP_ID)).unwrap();
    let report = cloudneeti_core::doctor::diagnose(&f.access, "p", |_| "").await.unwrap();
    let broken = report.broken().expect("the doctor asked the service, not the cache");
    assert_eq!(broken.id, "app_accepted", "{report:?}");
    assert!(broken.detail.contains("regenerated"), "{broken:?}");

    // The refusal dropped the account token too: the next one is asked for, and refused.
    let before = requests_to(&f.emulator, "token").len();
    let error = f.access.token("p", Some(account)).await.unwrap_err();
    assert_eq!(error.code(), "secret_regenerated");
    assert_eq!(requests_to(&f.emulator, "token").len(), before + 1);
}

/// The app's token cards name tokens by handle; a new secret or the profile's removal makes
/// every handle of that profile refused, so a card can never show a token of old settings.
#[tokio::test]
async fn held_tokens_go_when_the_secret_changes_or_the_profile_goes() {
    let f = fixture().await;
    let session = f.access.session("p").unwrap();
    let token = session.token(None, Fetch::Cached).await.unwrap();
    let handle = session.hold(&token).unwrap();
    let value =
        f.access.with_held_token(&handle, |p, t| (p.to_string(), t.value.expose().to_string()));
    assert_eq!(value.unwrap(), ("p".to_string(), token.value.expose().to_string()));

    f.access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    let refused = f.access.with_held_token(&handle, |_, _| ()).unwrap_err();
    assert_eq!(refused.to_string(), "token is not valid: this token is no longer held");

    // A session from before the change may not hold a token any more.
    let refused = session.hold(&token).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "token is not valid: the profile changed while the token was on its way"
    );

    let session = f.access.session("p").unwrap();
    let again = session.hold(&session.token(None, Fetch::Cached).await.unwrap()).unwrap();
    f.access.remove_profile("p").await.unwrap();
    assert!(f.access.with_held_token(&again, |_, _| ()).is_err());
}

/// A token request still on its way when its profile's secret changes does not put its token
/// back in the cache: the next request asks the service again.
#[tokio::test]
async fn a_token_that_arrives_after_a_change_is_not_kept() {
    let f = fixture().await;
    let session = f.access.session("p").unwrap();
    f.access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    session.token(None, Fetch::Cached).await.unwrap(); // asked under the old settings
    f.access.token("p", None).await.unwrap();
    assert_eq!(requests_to(&f.emulator, "token").len(), 2, "the late token was not kept");
}

/// Two profiles of the same application: the one with a wrong secret is not handed the token
/// the other earned (it once was, from the cache, and looked as if it worked).
#[tokio::test]
async fn a_profile_never_gets_a_token_another_profile_earned() {
    let f = fixture().await;
    f.access
        .add_profile(demo_form("q", f.emulator.url()).validate().unwrap(), NewKeyHost::Confirmed)
        .unwrap();
    f.access.set_app_secret("q", &Secret::new("not-the-demo-secret".into())).await.unwrap();
    f.access.token("p", None).await.unwrap();
    let refused = f.access.token("q", None).await.unwrap_err();
    assert_eq!(refused.code(), "app_credentials_rejected");
}

/// Account names are the service's text: one that echoes the API key, carries a newline, an
/// escape sequence or a bidi override reaches neither the caller nor the settings as it came.
#[tokio::test]
async fn account_names_from_the_service_are_cleaned_at_the_border() {
    let mut seed = cloudneeti_emulator::Seed::demo();
    let hostile = format!("Contoso\u{202E}gpj.exe\n\u{1b}[31m{DEMO_API_KEY}");
    seed.licenses[0].accounts[0].account_name = hostile.clone();
    seed.licenses[0].accounts[0].connector_type = "Azure\r\nforged".into();
    seed.licenses[0].accounts[1].account_name = format!("Upper {}", DEMO_API_KEY.to_uppercase());
    let emulator = start_with(cloudneeti_emulator::Options { seed, ..Default::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let access = Access::new(
        ConfigStore::open(dir.path()),
        Vault::in_memory("border-test"),
        ActivityLog::open(dir.path()),
    );
    access
        .add_profile(demo_form("p", emulator.url()).validate().unwrap(), NewKeyHost::Confirmed)
        .unwrap();
    access.set_api_key("default", &Secret::new(DEMO_API_KEY.into()), false).await.unwrap();
    access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();

    let listed = access.license_accounts("p").await.unwrap();
    let stored = access.config().unwrap().profile("p").unwrap().known_accounts.clone();
    for accounts in [&listed.accounts, &stored] {
        let first = &accounts[0];
        assert!(!first.account_name.contains(DEMO_API_KEY), "{first:?}");
        assert!(first.account_name.contains("<redacted>"), "{first:?}");
        assert!(
            first.account_name.starts_with("Contoso\u{FFFD}gpj.exe\u{FFFD}\u{FFFD}[31m"),
            "{first:?}"
        );
        assert_eq!(first.connector_type, "Azure\u{FFFD}\u{FFFD}forged");
    }
    let raw = std::fs::read_to_string(dir.path().join("config.json")).unwrap();
    assert!(
        !raw.contains(DEMO_API_KEY) && !raw.contains('\u{202E}'),
        "the settings file holds it clean"
    );
}

/// A service that echoes the secrets it received: the activity log (as read and as exported
/// for an auditor) records the refusal in its words, without the secrets.
#[tokio::test]
async fn the_activity_log_and_its_export_hold_no_echoed_secret() {
    let echo = format!("Secret {DEMO_APP_SECRET} is wrong for key {DEMO_API_KEY}");
    let body = serde_json::json!({"statusCode": 401, "message": echo}).to_string();
    let server = answer_server("401 Unauthorized", body).await;
    let dir = tempfile::tempdir().unwrap();
    let access = Access::new(
        ConfigStore::open(dir.path()),
        Vault::in_memory("log-leak-test"),
        ActivityLog::open(dir.path()),
    );
    access
        .add_profile(
            demo_form("p", &format!("http://{server}")).validate().unwrap(),
            NewKeyHost::Confirmed,
        )
        .unwrap();
    access.set_api_key("default", &Secret::new(DEMO_API_KEY.into()), false).await.unwrap();
    access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
    assert_eq!(access.token("p", None).await.unwrap_err().code(), "app_credentials_rejected");

    let entries = access.recent_activity(10).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.outcome(), "app_credentials_rejected");
    assert!(
        last.detail().unwrap().contains("Secret <redacted> is wrong for key <redacted>"),
        "{last:?}"
    );
    let export = ActivityLog::open(dir.path()).export_json().unwrap();
    let file = std::fs::read_to_string(dir.path().join("activity.jsonl")).unwrap();
    for text in [&export, &file] {
        cloudneeti_testkit::leak::assert_none(text, &[DEMO_API_KEY, DEMO_APP_SECRET], 8);
    }
}

/// Moving a profile removes its secret in the same step as the settings change: when the
/// settings cannot be changed, the keychain entry is put back and the profile stays where
/// it was.
#[tokio::test]
async fn a_move_and_its_secret_removal_land_together_or_not_at_all() {
    let f = fixture().await;
    let custom = cloudneeti_core::Environment::parse("https://api.elsewhere.example").unwrap();
    let calls = std::cell::Cell::new(0);
    // Refused the second time it is applied: inside the settings write, after the keychain.
    let failing = f
        .access
        .update_profile(
            "p",
            |p| {
                calls.set(calls.get() + 1);
                if calls.get() > 1 {
                    return Err(cloudneeti_core::Error::Cancelled);
                }
                p.environment = custom.clone();
                Ok(())
            },
            NewKeyHost::Confirmed,
        )
        .await;
    assert!(failing.is_err());
    let id = cloudneeti_core::SecretId::app_secret(&"p".parse().unwrap());
    let kept = Vault::new(&f.service).load(&id).unwrap();
    assert_eq!(kept.unwrap().expose(), DEMO_APP_SECRET, "the secret was put back");
    let profile = f.access.config().unwrap().profile("p").unwrap().clone();
    assert_ne!(profile.environment, custom, "the profile did not move");
    assert!(profile.secret_stored_at.is_some());

    let moved = f
        .access
        .update_profile(
            "p",
            |p| {
                p.environment = custom.clone();
                Ok(())
            },
            NewKeyHost::Confirmed,
        )
        .await
        .unwrap();
    assert!(moved.secret_removed);
    assert!(Vault::new(&f.service).load(&id).unwrap().is_none());
    assert!(moved.profile.secret_stored_at.is_none());
}

/// The web view's changes (`AskFirst`) cannot point a stored key at a new host: adding or
/// moving a profile so that a key goes where no profile sends it today is refused until the
/// user confirms outside the web view; the same host, or a key's first use, needs nothing.
#[tokio::test]
async fn a_key_goes_to_a_new_host_only_when_the_user_confirms() {
    let f = fixture().await;
    let evil = "https://api.evil.example";
    let refused = f
        .access
        .add_profile(demo_form("evil", evil).validate().unwrap(), NewKeyHost::AskFirst)
        .unwrap_err();
    assert_eq!(refused.code(), "api_key_new_host");
    let said = refused.to_string();
    assert!(said.contains("\"default\"") && said.contains("api.evil.example"), "{said}");
    assert!(said.contains("127.0.0.1"), "names where the key goes today: {said}");
    assert!(f.access.config().unwrap().profile("evil").is_err(), "nothing was saved");

    f.access
        .add_profile(demo_form("again", f.emulator.url()).validate().unwrap(), NewKeyHost::AskFirst)
        .expect("the same host needs no confirmation");

    let target = cloudneeti_core::Environment::parse(evil).unwrap();
    let moved = f
        .access
        .update_profile(
            "p",
            |p| {
                p.environment = target.clone();
                Ok(())
            },
            NewKeyHost::AskFirst,
        )
        .await;
    assert_eq!(moved.err().map(|e| e.code()), Some("api_key_new_host"));
    let p = f.access.config().unwrap().profile("p").unwrap().clone();
    assert_ne!(p.environment, target, "the profile did not move");
    assert!(p.secret_stored_at.is_some(), "its secret is still there");

    let fresh = cloudneeti_core::model::ProfileForm {
        api_key: "fresh".into(),
        ..demo_form("first-use", evil)
    };
    f.access
        .add_profile(fresh.validate().unwrap(), NewKeyHost::AskFirst)
        .expect("a key no profile uses yet may go anywhere");
    f.access
        .update_profile(
            "p",
            |p| {
                p.environment = target.clone();
                Ok(())
            },
            NewKeyHost::Confirmed,
        )
        .await
        .expect("confirmed, it moves");
}

/// A data call's refusal or a wrongly typed answer may echo what the service was ever sent:
/// the key in any case and the application secret are replaced before the error is shown,
/// and a value serde could not read is not quoted at all (review finding).
#[tokio::test]
async fn a_data_calls_errors_hold_no_secret_the_service_echoed() {
    let secrets =
        format!("secret {DEMO_APP_SECRET} key {} {DEMO_API_KEY}", DEMO_API_KEY.to_uppercase());
    let answers = [
        ("400 Bad Request", format!(r#"{{"message":"bad {secrets}"}}"#)),
        ("200 OK", format!(r#"{{"statusCode":200,"result":"leak: {secrets}"}}"#)),
        ("500 Internal Server Error", format!(r#"{{"message":"{secrets}"}}"#)),
    ];
    for (status, body) in answers {
        let server = hostile_service(status, body).await;
        let dir = tempfile::tempdir().unwrap();
        let access = Access::new(
            ConfigStore::open(dir.path()),
            Vault::in_memory("hostile-data-test"),
            ActivityLog::open(dir.path()),
        );
        let form = demo_form("p", &format!("http://{server}"));
        access.add_profile(form.validate().unwrap(), NewKeyHost::Confirmed).unwrap();
        access.set_api_key("default", &Secret::new(DEMO_API_KEY.into()), false).await.unwrap();
        access.set_app_secret("p", &Secret::new(DEMO_APP_SECRET.into())).await.unwrap();
        let account: AccountId = DEMO_AZURE_ACCOUNT_ID.parse().unwrap();
        let e = access.session("p").unwrap().benchmarks(account).await.unwrap_err();
        let text = format!("{e} | {}", e.hint(|_| ""));
        for secret in
            [DEMO_APP_SECRET.to_string(), DEMO_API_KEY.to_string(), DEMO_API_KEY.to_uppercase()]
        {
            assert!(!text.contains(&secret), "{status}: {text}");
        }
    }
}
