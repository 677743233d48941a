//! Keychain tests run against a real Secret Service, but only a private one: the guard that
//! refuses anything else, service names no other run uses, and libsecret's `secret-tool` as
//! the other client that reads what the product stored.

use std::process::{Command, Output, Stdio};

/// Set by scripts/with-keyring.sh (the private keyring's password); with a session bus
/// address, it proves the tests run in the private session the script made.
pub const PASSWORD_ENV: &str = "CNACCESS_TEST_KEYRING_PASSWORD";

/// Refuses to go on outside scripts/with-keyring.sh: these tests store secrets in a real
/// keychain, and must never do so in a user's own session. `command` is the test command the
/// message suggests, e.g. `cargo test -p cloudneeti-cli`.
#[track_caller]
pub fn require_private_keyring(command: &str) {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let password = std::env::var(PASSWORD_ENV).unwrap_or_default();
    assert!(
        !bus.is_empty() && !password.is_empty(),
        "these tests need a private Secret Service: run them via scripts/with-keyring.sh, e.g.\n    \
         scripts/with-keyring.sh {command}\n\
         (DBUS_SESSION_BUS_ADDRESS set: {}, {PASSWORD_ENV} set: {})",
        !bus.is_empty(),
        !password.is_empty()
    );
}

/// A keychain service name no other test or run uses: `cnaccess-test-{label}-{uuid}`.
pub fn unique_service(label: &str) -> String {
    format!("cnaccess-test-{label}-{}", uuid::Uuid::new_v4())
}

/// Runs a tool under `timeout 10`, so a hanging one (a keyring prompt) fails the test instead
/// of the run; `stdin` is piped in when given.
pub fn run_tool(program: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new("timeout");
    cmd.arg("10").arg(program).args(args);
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    // `timeout` exits 127 when it cannot find the program.
    assert_ne!(
        out.status.code(),
        Some(127),
        "{program} is missing (apt-get install libsecret-tools dbus)"
    );
    out
}

/// `secret-tool ARGS`, under the timeout of [`run_tool`].
pub fn secret_tool(args: &[&str], stdin: Option<&str>) -> Output {
    run_tool("secret-tool", args, stdin)
}

/// What `secret-tool lookup service SERVICE username USERNAME` finds, if anything.
pub fn secret_tool_lookup(service: &str, username: &str) -> Option<String> {
    let out = secret_tool(&["lookup", "service", service, "username", username], None);
    let value = String::from_utf8(out.stdout).expect("secret-tool prints text");
    // secret-tool exits 1 and prints nothing when there is no such entry.
    if out.status.success() && !value.is_empty() {
        Some(value.trim_end_matches('\n').to_string())
    } else {
        None
    }
}
