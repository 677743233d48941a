//! Helpers shared by the end-to-end tests of `cnaccess`: the real binary, run as a user would
//! run it, against an emulator started in this process and a real (private) Secret Service.
//!
//! Run only through `scripts/with-keyring.sh cargo test -p cloudneeti-cli`: the script gives
//! the tests their own HOME, D-Bus session and unlocked GNOME Keyring. Without it every test
//! fails on purpose, and nothing here may ever touch a user's own keyring or config folder:
//! each run gets a fresh config folder and a keychain service name no other run uses.
//! What other crates' tests need too (demo credentials, the keyring guard, secret-tool, the
//! emulator's request log, JWTs) comes from cloudneeti-testkit.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code, unused_imports)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use cloudneeti_testkit::demo::*;
pub use cloudneeti_testkit::{
    arm, clear_log, dead_url, is_jwt, license_accounts_path, requests, requests_to, secret_tool,
    secret_tool_lookup, unique_service, Controls, KEY_HEADER,
};

/// Exit codes of `cnaccess` (crates/core/src/error.rs, `mod exit`), spelled out again here on
/// purpose: a renumbering in the core must fail these tests, not follow along silently.
pub mod exit {
    pub const INPUT: i32 = 2;
    pub const CONFIG: i32 = 3;
    pub const KEYCHAIN: i32 = 4;
    pub const AUTH: i32 = 5;
    pub const NOT_FOUND_OR_SCOPE: i32 = 6;
    pub const NETWORK: i32 = 7;
    pub const SERVICE: i32 = 8;
    pub const CHECK_FAILED: i32 = 9;
}

/// A `cnaccess` run that takes longer than this is a hang (a keyring prompt, a stuck request).
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// Refuses to run outside scripts/with-keyring.sh (the tests store secrets in a real keychain).
#[track_caller]
pub fn require_private_keyring() {
    cloudneeti_testkit::require_private_keyring("cargo test -p cloudneeti-cli");
}

// ---- the emulator ----

/// An emulator in this process, on its own runtime, for the life of the test.
pub struct Emu {
    emulator: Option<Emulator>,
    runtime: tokio::runtime::Runtime,
    pub url: String,
}

impl Emu {
    /// The demo seed (docs/emulator.md).
    pub fn start() -> Emu {
        Emu::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> Emu {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime starts");
        let emulator = runtime.block_on(cloudneeti_testkit::start_with(options));
        let url = emulator.url().to_string();
        Emu { emulator: Some(emulator), runtime, url }
    }

    pub fn control(&self) -> Control {
        self.emulator.as_ref().expect("the emulator is running").control()
    }

    /// Stops the emulator; the URL then refuses connections.
    pub fn stop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Controls for Emu {
    fn control_handle(&self) -> Control {
        self.control()
    }
}

// ---- one user's world: config folder, keychain service, environment ----

/// One isolated user of `cnaccess`: a fresh config folder and a keychain service name of its
/// own. Its keychain entries are cleared when it is dropped.
pub struct User {
    pub config: tempfile::TempDir,
    pub service: String,
    /// HOME for the runs (and TMPDIR under it), when the test wants to inspect it.
    pub home: Option<tempfile::TempDir>,
    /// Extra environment for every run.
    pub env: Vec<(String, String)>,
}

impl User {
    pub fn new() -> User {
        require_private_keyring();
        User {
            config: tempfile::tempdir().expect("a temp config folder"),
            service: unique_service("cli"),
            home: None,
            env: Vec::new(),
        }
    }

    /// A user whose runs also get HOME (and TMPDIR inside it) in a temp folder.
    pub fn with_home() -> User {
        let mut user = User::new();
        let home = tempfile::tempdir().expect("a temp HOME");
        std::fs::create_dir(home.path().join("tmp")).unwrap();
        user.home = Some(home);
        user
    }

    pub fn config_dir(&self) -> &Path {
        self.config.path()
    }

    pub fn config_file(&self) -> PathBuf {
        self.config.path().join("config.json")
    }

    pub fn activity_file(&self) -> PathBuf {
        self.config.path().join("activity.jsonl")
    }

    /// `cnaccess ARGS` with nothing on stdin.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    /// `cnaccess ARGS` with `stdin` piped in (how secrets are given: never in argv).
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.run_env(args, stdin, &[])
    }

    /// `cnaccess ARGS` with extra environment variables for this run only.
    pub fn run_env(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cnaccess"));
        cmd.args(args);
        self.finish(cmd, args, stdin, env)
    }

    /// `cnaccess ARGS` with its settings folder on a disk that is `disk`: a small tmpfs with
    /// the folder's files on it, mounted over the folder in a mount namespace of this run
    /// alone (`unshare`, as root or in a user namespace), full or read-only. The real folder
    /// outside is untouched, and the keychain is the real one.
    pub fn run_on_disk(&self, disk: Disk, args: &[&str], stdin: &str) -> Run {
        const SCRIPT: &str = r#"set -e
dir="$CNACCESS_CONFIG_DIR"; stage=$(mktemp -d)
cp -a "$dir/." "$stage/"
mount -t tmpfs -o size=256k tmpfs "$dir"
cp -a "$stage/." "$dir/"; rm -rf "$stage"
case "$DISK" in
  full) dd if=/dev/zero of="$dir/.filler" bs=4096 2>/dev/null || true ;;
  readonly) mount -o remount,ro "$dir" ;;
esac
exec "$@""#;
        let mut cmd = Command::new("unshare");
        let user_namespace = if is_root() { None } else { Some("--map-root-user") };
        cmd.args(user_namespace)
            .args(["--mount", "sh", "-c", SCRIPT, "sh", env!("CARGO_BIN_EXE_cnaccess")])
            .args(args)
            .env("DISK", disk.name());
        self.finish(cmd, args, stdin, &[])
    }

    fn finish(&self, mut cmd: Command, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        cmd.env("CNACCESS_CONFIG_DIR", self.config.path())
            .env("CNACCESS_KEYCHAIN_SERVICE", &self.service)
            .env("NO_COLOR", "1")
            .env_remove("CLOUDNEETI_API_KEY")
            .env_remove("CLOUDNEETI_APP_SECRET")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(home) = &self.home {
            cmd.env("HOME", home.path()).env("TMPDIR", home.path().join("tmp"));
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let shown = format!("cnaccess {}", args.join(" "));
        let out = run_to_end(cmd, stdin.as_bytes(), &shown);
        Run {
            command: shown,
            code: out.0,
            stdout: String::from_utf8(out.1.clone()).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.2.clone()).expect("stderr is UTF-8"),
            stdout_bytes: out.1,
            stderr_bytes: out.2,
        }
    }

    /// `key set NAME` with the key on stdin; must succeed.
    pub fn set_key(&self, name: &str, key: &str) {
        self.run_with_stdin(&["key", "set", name], key).success();
    }

    /// `profile add NAME --env URL --license L --app-id A`; must succeed.
    pub fn add_profile(&self, name: &str, url: &str, license: &str, app_id: &str) {
        self.run(&["profile", "add", name, "--env", url, "--license", license, "--app-id", app_id])
            .success();
    }

    /// `secret set PROFILE` with the secret on stdin; must succeed.
    pub fn set_secret(&self, profile: &str, secret: &str) {
        self.run_with_stdin(&["secret", "set", profile], secret).success();
    }

    /// `secret set PROFILE --no-check`: stores a secret the service would refuse, for tests
    /// of what happens next.
    pub fn set_secret_unchecked(&self, profile: &str, secret: &str) {
        self.run_with_stdin(&["secret", "set", profile, "--no-check"], secret).success();
    }

    /// `key set NAME --no-check`.
    pub fn set_key_unchecked(&self, name: &str, key: &str) {
        self.run_with_stdin(&["key", "set", name, "--no-check"], key).success();
    }

    /// The demo setup of a profile on `url`: default key, profile, secret.
    pub fn demo_profile(&self, name: &str, url: &str) {
        self.set_key("default", DEMO_API_KEY);
        self.add_profile(name, url, DEMO_LICENSE_ID, DEMO_APP_ID);
        self.set_secret(name, DEMO_APP_SECRET);
    }

    /// What `secret-tool lookup service <service> username <username>` finds, if anything.
    pub fn keychain_lookup(&self, username: &str) -> Option<String> {
        secret_tool_lookup(&self.service, username)
    }
}

impl Drop for User {
    fn drop(&mut self) {
        // Best effort: the private keyring disappears with the run anyway.
        let _ = secret_tool(&["clear", "service", &self.service], None);
    }
}

/// Runs `cmd` with `stdin`, waits at most RUN_TIMEOUT; (exit code, stdout, stderr).
fn run_to_end(mut cmd: Command, stdin: &[u8], shown: &str) -> (i32, Vec<u8>, Vec<u8>) {
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{shown}: could not start: {e}"));
    {
        let mut pipe = child.stdin.take().unwrap();
        // A command that does not read stdin may close it first; that is not a failure here.
        let _ = pipe.write_all(stdin);
    }
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for cnaccess") {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shown}: still running after {RUN_TIMEOUT:?}; killed (a keyring prompt?)");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap().expect("stdout is readable");
    let stderr = err_reader.join().unwrap().expect("stderr is readable");
    let code = status.code().unwrap_or_else(|| panic!("{shown}: killed by a signal: {status}"));
    (code, stdout, stderr)
}

/// What is wrong with the disk of `User::run_on_disk`.
#[derive(Debug, Clone, Copy)]
pub enum Disk {
    Full,
    ReadOnly,
}

impl Disk {
    fn name(self) -> &'static str {
        match self {
            Disk::Full => "full",
            Disk::ReadOnly => "readonly",
        }
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

// ---- one run's outcome ----

pub struct Run {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr_bytes: Vec<u8>,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "`{}` exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    /// Exit 0; returns self for more checks.
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success: {}", self.describe());
        self
    }

    /// Exit `code` with a plain (uncoloured) two-line message on stderr: the error, and what
    /// to do about it. Nothing on stdout.
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "wrong exit code: {}", self.describe());
        assert!(!self.stderr.contains('\x1b'), "stderr must be plain text: {}", self.describe());
        let lines: Vec<&str> = self.stderr.lines().collect();
        let error = lines.iter().position(|l| l.starts_with("error: "));
        let hint = lines.iter().position(|l| l.starts_with("what to do: "));
        match (error, hint) {
            (Some(e), Some(h)) if h == e + 1 && lines[h].len() > "what to do: ".len() + 10 => {}
            _ => panic!("stderr must say `error: ...` then `what to do: ...`: {}", self.describe()),
        }
        self
    }

    /// Like `fails_with`, and nothing at all on stdout.
    #[track_caller]
    pub fn fails_quietly_with(&self, code: i32) -> &Run {
        self.fails_with(code);
        assert!(
            self.stdout.is_empty(),
            "a failure must print nothing on stdout: {}",
            self.describe()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(self.stderr.contains(text), "stderr should contain {text:?}: {}", self.describe());
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(self.stdout.contains(text), "stdout should contain {text:?}: {}", self.describe());
        self
    }

    #[track_caller]
    pub fn stdout_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.describe()))
    }

    /// The `{code, message, hint}` report a `--json` failure prints on stderr.
    #[track_caller]
    pub fn stderr_report(&self) -> serde_json::Value {
        let report: serde_json::Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not one JSON report ({e}): {}", self.describe()));
        for field in ["code", "message", "hint"] {
            assert!(
                report[field].as_str().is_some_and(|s| !s.is_empty()),
                "the report lacks a {field}: {}",
                self.describe()
            );
        }
        assert_eq!(report.as_object().unwrap().len(), 3, "only code, message, hint: {report}");
        report
    }
}

/// `curl` GET `url` with the given headers, which go in on stdin (`-H @-`), never in argv.
/// Returns (HTTP status, body).
pub fn curl_get(url: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut cmd = Command::new("curl");
    cmd.args(["-sS", "--max-time", "10", "-H", "@-", "-w", "\n%{http_code}", url])
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let header_text: String = headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    let (code, out, err) = run_to_end(cmd, header_text.as_bytes(), "curl");
    assert_eq!(code, 0, "curl failed: {}", String::from_utf8_lossy(&err));
    let out = String::from_utf8(out).expect("the answer is UTF-8");
    let (body, status) = out.rsplit_once('\n').expect("curl printed the status");
    (status.trim().parse().expect("an HTTP status"), body.to_string())
}
