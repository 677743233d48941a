//! The `cloudneeti-emulator` binary as a user runs it: real processes, real curl, real signals.

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdout, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cloudneeti-emulator");

/// A `serve` process; killed on drop if a test failed before stopping it.
struct Served {
    child: Child,
    stdout: BufReader<ChildStdout>,
    url: String,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        Served::start_with_env(args, &[])
    }

    fn start_with_env(args: &[&str], env: &[(&str, &std::path::Path)]) -> Served {
        let mut command = Command::new(BIN);
        command.arg("serve").args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the binary runs");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut served = Served { child, stdout, url: String::new() };
        served.url = served.line();
        served
    }

    /// The next stdout line, without its newline.
    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("stdout is readable");
        assert!(
            line.ends_with('\n'),
            "the emulator stopped early; stdout {line:?}; {}",
            self.stderr_now()
        );
        line.trim_end().to_string()
    }

    fn stderr_now(&mut self) -> String {
        let _ = self.child.kill();
        let mut text = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut text);
        }
        format!("stderr {text:?}")
    }

    fn addr(&self) -> SocketAddr {
        let host_port = self.url.split("://").nth(1).expect("a URL");
        host_port.parse().expect("host:port")
    }

    fn terminate(&mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(8);
        loop {
            if let Some(status) = self.child.try_wait().expect("waitable") {
                return status;
            }
            assert!(Instant::now() < deadline, "no exit within 8 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn curl(args: &[&str]) -> Output {
    let output = Command::new("curl").args(["-sS", "--max-time", "10"]).args(args).output();
    output.expect("curl runs")
}

/// curl's demo token request to `url`; more curl options may come first.
fn curl_token(url: &str, options: &[&str]) -> Output {
    let body = credentials(DEMO_APP_ID, DEMO_APP_SECRET).to_string();
    let target = format!("{url}{}", token_path(DEMO_LICENSE_ID));
    let key = format!("{KEY_HEADER}: {DEMO_API_KEY}");
    let mut args: Vec<&str> = options.to_vec();
    args.extend([
        "-X",
        "POST",
        &target,
        "-H",
        "Content-Type: application/json",
        "-H",
        &key,
        "-d",
        &body,
    ]);
    curl(&args)
}

fn token_of(output: &Output) -> String {
    assert!(output.status.success(), "curl failed: {output:?}");
    let answer: Value = serde_json::from_slice(&output.stdout).expect("curl got JSON");
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(answer["message"], "Request Successful");
    answer["result"]["token"].as_str().expect("a token").to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

#[test]
fn serve_prints_its_url_answers_curl_and_stops_cleanly_on_sigterm() {
    let mut served = Served::start(&["--port", "0"]);
    assert!(served.url.starts_with("http://127.0.0.1:"), "{}", served.url);
    let addr = served.addr();
    assert_ne!(addr.port(), 0);
    let token = token_of(&curl_token(&served.url, &[]));
    assert_eq!(token.split('.').count(), 3);

    // A request in flight when SIGTERM arrives still gets its answer.
    let fault = r#"{"route": "token", "kind": "latency", "ms": 1200}"#;
    let armed = curl(&["-X", "POST", &format!("{}/_emulator/faults", served.url), "-d", fault]);
    assert!(armed.status.success(), "{armed:?}");
    let url = served.url.clone();
    let in_flight = std::thread::spawn(move || curl_token(&url, &[]));
    std::thread::sleep(Duration::from_millis(400));
    let status = served.terminate();
    assert_eq!(status.code(), Some(0), "{status:?}");
    token_of(&in_flight.join().unwrap());

    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    assert!(refused.is_err(), "the port still accepts connections");
    let mut stderr = String::new();
    served.child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains("stopping"), "{stderr}");
}

/// A script may stop the emulator as soon as it has read the URL (docs/emulator.md: "SIGTERM
/// or Ctrl-C stops it cleanly ... and exits 0"), so the handler must be in place by then. The
/// shell's built-in `kill` is fast enough to hit that window; a spawned process is not.
/// SIGINT is what Ctrl-C sends.
#[test]
fn sigterm_or_sigint_right_after_the_url_is_printed_still_exits_0() {
    let script = r#"
        for sig in TERM INT TERM INT TERM INT TERM INT TERM INT; do
            coproc EMU { exec "$0" serve 2>/dev/null; }
            read -r url <&"${EMU[0]}"
            case "$url" in http://127.0.0.1:*) ;; *) echo "no URL: $url"; exit 1 ;; esac
            kill -"$sig" "$EMU_PID"
            wait "$EMU_PID"
            printf '%s ' "$?"
        done
    "#;
    let output = Command::new("bash").args(["-c", script, BIN]).output().expect("bash runs");
    let statuses = String::from_utf8_lossy(&output.stdout);
    assert_eq!(statuses.trim(), ["0"; 10].join(" "), "exit statuses; {output:?}");
}

#[test]
fn serve_refuses_a_non_loopback_bind() {
    let output = run(&["serve", "--bind", "0.0.0.0", "--port", "0"]);
    assert!(!output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("loopback") && stderr.contains("0.0.0.0"), "{stderr}");
}

#[test]
fn seed_prints_the_demo_seed_as_json() {
    let output = run(&["seed"]);
    assert!(output.status.success(), "{output:?}");
    let seed: Seed = serde_json::from_slice(&output.stdout).expect("the output is a seed");
    assert_eq!(seed, Seed::demo());
    assert_eq!(seed.licenses[0].license_id, DEMO_LICENSE_ID);
    let accounts: Vec<&str> =
        seed.licenses[0].accounts.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(
        accounts,
        [DEMO_AZURE_ACCOUNT_ID, DEMO_AWS_ACCOUNT_ID, DEMO_OFFICE_ACCOUNT_ID, DEMO_GCP_ACCOUNT_ID]
    );
    assert_eq!(seed.api_applications[0].app_id, DEMO_APP_ID);
    assert_eq!(seed.api_applications[0].secret, DEMO_APP_SECRET);
    let keys: Vec<&str> = seed.api_keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, [DEMO_API_KEY, DEMO_PENDING_API_KEY]);
}

#[test]
fn serve_with_a_bad_seed_file_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("bad.json", "{ not json", "is not a valid seed"),
        (
            "extra.json",
            r#"{"licenses": [], "apiApplications": [], "apiKeys": [], "users": []}"#,
            "unknown field `users`",
        ),
        (
            "orphan.json",
            r#"{"licenses": [], "apiKeys": [], "apiApplications": [{"appId": "a", "name": "n", "licenseId": "L", "secret": "s", "apis": [], "accountIds": [], "tokenExpiryMinutes": 5}]}"#,
            "the seed is inconsistent: application a names license L",
        ),
    ];
    for (name, text, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let output = run(&["serve", "--port", "0", "--seed", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{name}: {output:?}");
        assert!(output.stdout.is_empty(), "{name}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{name}: {stderr}");
        if name != "orphan.json" {
            assert!(stderr.contains(path.to_str().unwrap()), "{name}: {stderr}");
        }
    }
    let missing = dir.path().join("missing.json");
    let output = run(&["serve", "--seed", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("could not be read"), "{output:?}");
}

#[test]
fn serve_uses_a_seed_file_and_the_token_format_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    let mut seed = Seed::demo();
    seed.api_applications[0].token_expiry_minutes = 5;
    std::fs::write(&path, serde_json::to_string(&seed).unwrap()).unwrap();
    let served = Served::start(&["--seed", path.to_str().unwrap(), "--token-format", "opaque"]);
    let token = token_of(&curl_token(&served.url, &[]));
    assert!(!token.contains('.'), "{token}");
}

#[test]
fn serve_tls_writes_its_ca_for_curl_and_plain_curl_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("emulator-ca.pem");
    let ca_path = ca.to_str().unwrap();
    let mut served = Served::start(&["--tls", "--ca-out", ca_path]);
    assert!(served.url.starts_with("https://127.0.0.1:"), "{}", served.url);
    assert_eq!(served.line(), format!("ca-cert: {ca_path}"));
    let pem = std::fs::read_to_string(&ca).expect("the CA was written");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    token_of(&curl_token(&served.url, &["--cacert", ca_path]));
    let untrusted = curl_token(&served.url, &[]);
    assert_eq!(untrusted.status.code(), Some(60), "{untrusted:?}");
    assert_eq!(served.terminate().code(), Some(0));
}

#[test]
fn serve_tls_without_ca_out_writes_the_ca_to_the_temp_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = Served::start_with_env(&["--tls"], &[("TMPDIR", dir.path())]);
    let port = served.addr().port();
    let expected = dir.path().join(format!("cloudneeti-emulator-{port}-ca.pem"));
    assert_eq!(served.line(), format!("ca-cert: {}", expected.display()));
    let ca_path = expected.to_str().unwrap();
    token_of(&curl_token(&served.url, &["--cacert", ca_path]));
}

#[test]
fn ca_out_requires_tls() {
    let output = run(&["serve", "--ca-out", "/tmp/never-written.pem"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--tls"), "{output:?}");
}
