//! The vault against a real Secret Service: GNOME Keyring in a private D-Bus session.
//!
//! Run only through `scripts/with-keyring.sh cargo test -p cloudneeti-core --test keychain`:
//! the script gives the tests their own HOME, bus and keyring, and the locking tests lock that
//! keyring. Without it every test fails on purpose (never passes silently), and nothing here
//! may ever run against a user's own session bus.
//!
//! What lives here: behaviour a user depends on (round trip, interop with other Secret Service
//! clients, labels, locked / absent / ambiguous keyrings, recovery without restart). What must
//! not: tests of other platforms' keychains, or any fixed service name (each test makes its
//! own, so runs never see each other's entries).
#![cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]

use std::process::Command;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use cloudneeti_core::{Error, Secret, SecretId, Vault};
use cloudneeti_testkit::keyring::{run_tool as run, secret_tool, unique_service, PASSWORD_ENV};

const LOGIN: &str = "/org/freedesktop/secrets/collection/login";
/// Tells the child process of `absent_secret_service_...` which bus to switch to.
const REAL_BUS_ENV: &str = "CNACCESS_TEST_REAL_BUS";
/// Marks the child process of `never_unlocked_...`.
const CHILD_ENV: &str = "CNACCESS_TEST_CHILD";

/// Tests that lock the keyring take it for writing, all others for reading: cargo runs tests
/// on parallel threads, and a locked keyring would fail the others.
static KEYRING_STATE: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    require_private_keyring();
    KEYRING_STATE.read().unwrap_or_else(PoisonError::into_inner)
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    require_private_keyring();
    KEYRING_STATE.write().unwrap_or_else(PoisonError::into_inner)
}

fn require_private_keyring() {
    cloudneeti_testkit::require_private_keyring("cargo test -p cloudneeti-core --test keychain");
}

fn secret(s: &str) -> Secret {
    Secret::new(s.to_string())
}

fn lock_login() {
    // `secret-tool lock` waits on a prompt forever; the Lock call never prompts.
    let out = run(
        "dbus-send",
        &[
            "--session",
            "--dest=org.freedesktop.secrets",
            "--type=method_call",
            "--print-reply",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            &format!("array:objpath:{LOGIN}"),
        ],
        None,
    );
    assert!(out.status.success(), "Lock failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(login_is_locked(), "the login keyring did not lock");
}

fn login_is_locked() -> bool {
    let out = run(
        "dbus-send",
        &[
            "--session",
            "--dest=org.freedesktop.secrets",
            "--print-reply",
            LOGIN,
            "org.freedesktop.DBus.Properties.Get",
            "string:org.freedesktop.Secret.Collection",
            "string:Locked",
        ],
        None,
    );
    assert!(out.status.success(), "Get Locked failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).contains("boolean true")
}

/// Unlocks the login keyring without a prompt. `gnome-keyring-daemon --unlock` does nothing
/// to a running daemon, and the standard `Unlock` call needs a prompt that cannot show
/// headless; gnome-keyring's own `UnlockWithMasterPassword` takes the password directly.
fn unlock_login() {
    let password = std::env::var(PASSWORD_ENV).unwrap();
    let conn = zbus::blocking::Connection::session().expect("session bus");
    let reply = conn
        .call_method(
            Some("org.freedesktop.secrets"),
            "/org/freedesktop/secrets",
            Some("org.freedesktop.Secret.Service"),
            "OpenSession",
            &("plain", zbus::zvariant::Value::from("")),
        )
        .expect("OpenSession");
    let (_, session): (zbus::zvariant::OwnedValue, zbus::zvariant::OwnedObjectPath) =
        reply.body().deserialize().expect("OpenSession reply");
    let login = zbus::zvariant::ObjectPath::try_from(LOGIN).unwrap();
    let master = (session.as_ref(), Vec::<u8>::new(), password.into_bytes(), "text/plain");
    conn.call_method(
        Some("org.freedesktop.secrets"),
        "/org/freedesktop/secrets",
        Some("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
        "UnlockWithMasterPassword",
        &(login, master),
    )
    .expect("UnlockWithMasterPassword");
    assert!(!login_is_locked(), "the login keyring did not unlock");
}

/// Unlocks even when an assertion fails half-way, so one failure does not cascade.
struct UnlockOnDrop;
impl Drop for UnlockOnDrop {
    fn drop(&mut self) {
        if login_is_locked() {
            unlock_login();
        }
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.code(),
    }
}

#[test]
fn round_trip_store_load_overwrite_delete() {
    let _g = shared();
    let vault = Vault::new(unique_service("roundtrip"));
    let id = SecretId::api_key(&"primary".parse().unwrap());

    vault.store(&id, &secret("key-value-1")).unwrap();
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "key-value-1");

    vault.store(&id, &secret("key-value-2")).unwrap();
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "key-value-2");

    // The other kind of secret with the same name is a different entry.
    let other = SecretId::app_secret(&"primary".parse().unwrap());
    assert!(vault.load(&other).unwrap().is_none());

    vault.delete(&id).unwrap();
    assert!(vault.load(&id).unwrap().is_none());
}

#[test]
fn missing_entry_is_none_and_delete_is_idempotent() {
    let _g = shared();
    let vault = Vault::new(unique_service("missing"));
    let id = SecretId::app_secret(&"never-stored".parse().unwrap());
    assert!(vault.load(&id).unwrap().is_none());
    assert_eq!(code(vault.require(&id)), "secret_missing");
    vault.delete(&id).unwrap();
    vault.delete(&id).unwrap();

    vault.store(&id, &secret("s")).unwrap();
    vault.delete(&id).unwrap();
    vault.delete(&id).unwrap();
    assert!(vault.load(&id).unwrap().is_none());
}

#[test]
fn other_secret_service_clients_see_the_entry_and_its_label() {
    let _g = shared();
    let service = unique_service("interop");
    let vault = Vault::new(&service);
    let key = SecretId::api_key(&"contoso".parse().unwrap());
    let app = SecretId::app_secret(&"contoso-prod".parse().unwrap());
    vault.store(&key, &secret("api-key-value")).unwrap();
    vault.store(&key, &secret("api-key-value")).unwrap(); // replaces, never duplicates
    vault.store(&app, &secret("app-secret-value")).unwrap();

    // The zbus store searches and creates items by the attributes `service` and `username`.
    let out = secret_tool(&["lookup", "service", &service, "username", "api-key:contoso"], None);
    assert!(out.status.success(), "lookup failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "api-key-value");

    // secret-tool prints labels and secrets on stdout, attributes on stderr.
    let out = secret_tool(&["search", "--all", "service", &service], None);
    let listing =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(listing.matches("label = ").count(), 2, "one item per secret:\n{listing}");
    assert!(listing.contains("label = Cloudneeti Access API key \"contoso\"\n"), "{listing}");
    assert!(
        listing.contains(
            "label = Cloudneeti Access application secret for profile \"contoso-prod\"\n"
        ),
        "{listing}"
    );
    assert!(listing.contains("attribute.username = app-secret:contoso-prod"), "{listing}");

    // And the other way round: what another client stores under the same attributes loads.
    let out = secret_tool(
        &["store", "--label=by hand", "service", &service, "username", "api-key:manual"],
        Some("typed-by-hand"),
    );
    assert!(out.status.success());
    let manual = SecretId::api_key(&"manual".parse().unwrap());
    assert_eq!(vault.load(&manual).unwrap().unwrap().expose(), "typed-by-hand");

    for id in [key, app, manual] {
        vault.delete(&id).unwrap();
    }
    let out = secret_tool(&["search", "--all", "service", &service], None);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("label = "));
}

#[test]
fn duplicate_entries_are_ambiguous() {
    let _g = shared();
    let service = unique_service("ambiguous");
    let vault = Vault::new(&service);
    let id = SecretId::api_key(&"dup".parse().unwrap());
    // secret-tool replaces an item with exactly the same attributes, so the duplicates differ
    // in one extra attribute; both still match the vault's search on service + username.
    for copy in ["1", "2"] {
        let out = secret_tool(
            &[
                "store",
                "--label=duplicate",
                "service",
                &service,
                "username",
                "api-key:dup",
                "copy",
                copy,
            ],
            Some("value"),
        );
        assert!(out.status.success());
    }

    let (load, took) = timed(|| vault.load(&id));
    let err = load.unwrap_err();
    assert_eq!(err.code(), "keychain_ambiguous");
    assert!(err.to_string().contains("Cloudneeti Access API key \"dup\""), "{err}");
    assert!(err.to_string().contains("2 entries"), "{err}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(code(vault.store(&id, &secret("new"))), "keychain_ambiguous");
    assert_eq!(code(vault.delete(&id)), "keychain_ambiguous");

    // After the user removes the duplicates the same vault works again.
    assert!(secret_tool(&["clear", "service", &service], None).status.success());
    assert!(vault.load(&id).unwrap().is_none());
}

#[test]
fn preflight_names_the_backend_and_keyring() {
    let _g = shared();
    let vault = Vault::new(unique_service("preflight"));
    let (info, took) = timed(|| vault.preflight());
    let info = info.unwrap();
    assert_eq!(info.backend, "Secret Service");
    assert_eq!(vault.backend_name(), "Secret Service");
    assert_eq!(info.service, vault.service());
    assert_eq!(info.keyring.as_deref(), Some("Login"));
    eprintln!("preflight (cold vault): {took:?}");
    // Preflight only reads.
    let out = secret_tool(&["search", "--all", "service", vault.service()], None);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("label = "));
}

#[test]
fn locked_keyring_is_reported_fast_and_unlocking_needs_no_restart() {
    let _g = exclusive();
    let vault = Vault::new(unique_service("locked"));
    let id = SecretId::api_key(&"locked".parse().unwrap());
    vault.store(&id, &secret("before-lock")).unwrap();

    lock_login();
    let _unlock = UnlockOnDrop;
    // A vault first used while the keyring is locked, as when the app starts before login.
    let late = Vault::new(vault.service());

    let (load, took) = timed(|| vault.load(&id));
    assert_eq!(code(load), "keychain_locked");
    assert!(took < Duration::from_secs(2), "load took {took:?}");
    let (stored, took) =
        timed(|| vault.store(&SecretId::api_key(&"new".parse().unwrap()), &secret("x")));
    assert_eq!(code(stored), "keychain_locked");
    assert!(took < Duration::from_secs(2), "store took {took:?}");
    assert_eq!(code(vault.delete(&id)), "keychain_locked");
    let (pre, took) = timed(|| late.preflight());
    assert_eq!(code(pre), "keychain_locked");
    assert!(took < Duration::from_secs(2), "preflight took {took:?}");
    assert_eq!(code(late.load(&id)), "keychain_locked");
    // gnome-keyring searches a locked collection without unlocking it: an entry that does not
    // exist is reported missing even while locked (preflight is what tells "locked").
    assert!(vault.load(&SecretId::api_key(&"never-stored".parse().unwrap())).unwrap().is_none());
    eprintln!("locked answers in {took:?}");

    unlock_login();
    // Same objects, same process: they work as soon as the keyring is unlocked.
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "before-lock");
    assert_eq!(late.load(&id).unwrap().unwrap().expose(), "before-lock");
    late.preflight().unwrap();
    late.store(&SecretId::api_key(&"new".parse().unwrap()), &secret("after-unlock")).unwrap();
    assert_eq!(
        vault.load(&SecretId::api_key(&"new".parse().unwrap())).unwrap().unwrap().expose(),
        "after-unlock"
    );
    vault.delete(&id).unwrap();
    vault.delete(&SecretId::api_key(&"new".parse().unwrap())).unwrap();
}

/// The parent half: runs `child_absent_then_present` in a new process whose bus address
/// points where nothing listens, then lets it switch to the real bus.
#[test]
fn absent_secret_service_is_unavailable_fast_and_recovers_without_restart() {
    let _g = shared();
    let real_bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_absent_then_present", "--nocapture"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cnaccess-test-bus")
        .env(REAL_BUS_ENV, real_bus)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child test did not run:\n{stdout}\n{stderr}");
    eprint!("{stderr}");
}

/// Not a test of its own: the parent above runs it in a child process.
#[test]
#[ignore = "run by absent_secret_service_is_unavailable_fast_and_recovers_without_restart"]
fn child_absent_then_present() {
    let Ok(real_bus) = std::env::var(REAL_BUS_ENV) else {
        return eprintln!("helper of another test; does nothing when run alone");
    };
    let service = unique_service("absent");
    let vault = Vault::new(&service);
    let id = SecretId::api_key(&"absent".parse().unwrap());

    let (pre, took) = timed(|| vault.preflight());
    let err = pre.unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable", "{err}");
    assert!(took < Duration::from_secs(2), "preflight took {took:?}");
    eprintln!("no Secret Service answers in {took:?}: {err}");
    assert_eq!(code(vault.load(&id)), "keychain_unavailable");
    assert_eq!(code(vault.store(&id, &secret("x"))), "keychain_unavailable");
    assert_eq!(code(vault.delete(&id)), "keychain_unavailable");

    // The Secret Service comes up later (here: the address becomes a live bus). This child
    // runs a single test, so nothing else reads the environment concurrently.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", real_bus);
    vault.preflight().unwrap();
    vault.store(&id, &secret("after")).unwrap();
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "after");
    vault.delete(&id).unwrap();
}

#[test]
fn a_call_that_outlasts_the_timeout_is_abandoned_not_waited_for() {
    let _g = shared();
    let service = unique_service("timeout");
    let id = SecretId::api_key(&"slow".parse().unwrap());
    let impatient = Vault::new(&service).with_timeout(Duration::ZERO);
    let (load, took) = timed(|| impatient.load(&id));
    let err = load.unwrap_err();
    assert_eq!(err.code(), "keychain_error");
    assert!(err.to_string().contains("no answer within"), "{err}");
    assert!(took < Duration::from_millis(500), "{took:?}");
    // The abandoned worker does not get in the way of later calls.
    let vault = Vault::new(&service);
    vault.store(&id, &secret("v")).unwrap();
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "v");
    vault.delete(&id).unwrap();
}

/// Resumes a stopped process when dropped, so a failing test never leaves the private
/// keyring frozen for the next one.
struct Stopped(String);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.0]).status();
    }
}

/// A Secret Service that has frozen (stopped, not prompting) is reported within about 2 s,
/// not after the 30 s an unlock prompt is given.
#[test]
fn a_frozen_secret_service_is_reported_within_two_seconds() {
    // It freezes the keyring every other test uses.
    let _g = exclusive();
    let service = unique_service("frozen");
    let id = SecretId::api_key(&"frozen".parse().unwrap());
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
        ])
        .args(["org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.secrets"])
        .output()
        .expect("dbus-send runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let pid = text.split_whitespace().last().expect("the Secret Service's pid").to_string();
    assert!(pid.parse::<u32>().is_ok(), "{text}");
    let vault = Vault::new(&service);
    vault.store(&id, &secret("v")).unwrap();

    assert!(Command::new("kill").args(["-STOP", &pid]).status().unwrap().success());
    let stopped = Stopped(pid);
    let (load, took) = timed(|| Vault::new(&service).load(&id));
    drop(stopped);
    let err = load.unwrap_err();
    assert_eq!(err.code(), "keychain_error");
    assert!(err.to_string().contains("stopped answering"), "{err}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert!(took >= Duration::from_millis(1400), "it was given its chance first: {took:?}");
    // Resumed, it answers again.
    assert_eq!(vault.load(&id).unwrap().unwrap().expose(), "v");
    vault.delete(&id).unwrap();
}

#[test]
fn invalid_names_and_empty_secrets_never_reach_the_keychain() {
    let _g = shared();
    let vault = Vault::new(unique_service("invalid"));
    // A name is a parsed one before it can name an entry: these never become one.
    for bad in ["", "a\nb", "a b", "0123456789abcdef0123456789abcdef"] {
        assert!(bad.parse::<cloudneeti_core::model::KeyName>().is_err(), "{bad:?}");
        assert!(bad.parse::<cloudneeti_core::model::ProfileName>().is_err(), "{bad:?}");
    }
    assert_eq!(
        code(vault.store(&SecretId::api_key(&"ok".parse().unwrap()), &secret(""))),
        "invalid_input"
    );
    assert_eq!(
        code(Vault::new(" ").load(&SecretId::api_key(&"ok".parse().unwrap()))),
        "invalid_input"
    );
}

#[test]
fn per_call_cost() {
    let _g = shared();
    let vault = Vault::new(unique_service("cost"));
    let id = SecretId::api_key(&"cost".parse().unwrap());
    let (_, cold) = timed(|| vault.store(&id, &secret("v")).unwrap());
    const N: u32 = 50;
    let (_, warm) = timed(|| {
        for _ in 0..N {
            assert!(vault.load(&id).unwrap().is_some());
        }
    });
    let (_, missing) = timed(|| {
        for _ in 0..N {
            assert!(vault.load(&SecretId::api_key(&"none".parse().unwrap())).unwrap().is_none());
        }
    });
    eprintln!(
        "first call (connect + store): {cold:?}; load: {:?}/call; load of a missing entry: {:?}/call",
        warm / N,
        missing / N
    );
    assert!(warm / N < Duration::from_millis(100), "load is slow: {:?}", warm / N);
    vault.delete(&id).unwrap();
}

/// The parent half: a second private bus whose GNOME Keyring is started on demand by D-Bus
/// activation and never unlocked, as on a desktop where nothing unlocked it at login.
#[test]
fn never_unlocked_keyring_is_unavailable_with_the_fix() {
    let _g = shared();
    let home = std::env::temp_dir().join(unique_service("fresh-home"));
    std::fs::create_dir_all(home.join("run")).unwrap();
    let out = Command::new("timeout")
        .arg("60")
        .arg("dbus-run-session")
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_never_unlocked", "--nocapture"])
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env(CHILD_ENV, "never-unlocked")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child test did not run:\n{stdout}\n{stderr}");
}

#[test]
#[ignore = "run by never_unlocked_keyring_is_unavailable_with_the_fix"]
fn child_never_unlocked() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("never-unlocked") {
        return eprintln!("helper of another test; does nothing when run alone");
    }
    let vault = Vault::new(unique_service("fresh"));
    let id = SecretId::api_key(&"fresh".parse().unwrap());
    let (pre, took) = timed(|| vault.preflight());
    let err = pre.unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable", "{err}");
    assert!(err.to_string().contains("no default keyring"), "{err}");
    assert!(took < Duration::from_secs(5), "preflight took {took:?}");
    // Reads find nothing (there is nowhere anything could be); writes say why they cannot.
    assert!(vault.load(&id).unwrap().is_none());
    assert_eq!(code(vault.store(&id, &secret("x"))), "keychain_unavailable");
    eprintln!("never-unlocked keyring answers in {took:?}: {err}");
}
