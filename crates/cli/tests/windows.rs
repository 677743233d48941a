//! The Windows build of `cnaccess` (and of the emulator), built with mingw, run under Wine as a
//! user would run it: its secrets in Wine's Credential Manager, its settings in the prefix's
//! %APPDATA%, against the emulator on 127.0.0.1 (this process's, native; and once the Windows
//! build of the emulator under Wine).
//!
//! Run: `scripts/windows/test.sh` (builds the .exe files, then `cargo test --workspace --test
//! windows -- --ignored`). Ignored in a plain `cargo test`: it needs the Windows build and
//! Wine. `CNACCESS_WINDOWS_BIN` names the folder of `cnaccess.exe` and
//! `cloudneeti-emulator.exe` (default `target/x86_64-pc-windows-gnu/release`).
//!
//! Wine starts once (a new prefix takes seconds), so the whole flow runs once, in order, in
//! [`flow`], recording every run; each test then checks one step of it. The Wine prefix, and
//! HOME and TMPDIR of every Wine process, are inside this run's temporary folder, which is
//! removed at the end of the flow; Wine gets no display (no DISPLAY, no X) and
//! `WINEDEBUG=-all`.
//!
//! The credential store is the registry key `HKCU\Software\Wine\Credential Manager`, kept by
//! wineserver in the prefix's `user.reg` (sections `[Software\\Wine\\Credential Manager...]`,
//! one per credential, named `Generic: <target>` (ours: `cloudneeti-access/app-secret:demo`),
//! with the user name and comment cnaccess gives it, the password encrypted with the
//! key's `EncryptionKey`). The leak scan searches every file of the prefix, HOME and TMPDIR
//! except those sections.
#![cfg(target_os = "linux")]

mod common;

use cloudneeti_emulator::state::NewApp;
use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

/// A Wine run that takes longer than this is a hang (the first one sets up the prefix).
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// The shortest piece of a secret that counts as a leak (as in tests/leak.rs).
const PIECE: usize = 12;

const WINE_CANDIDATES: [&str; 3] = ["/usr/lib/wine/wine64", "wine64", "wine"];
const WINESERVER_CANDIDATES: [&str; 3] = ["/usr/lib/wine/wineserver", "wineserver64", "wineserver"];

/// The credential store's sections in user.reg start with this header.
const STORE_SECTION: &str = "[Software\\\\Wine\\\\Credential Manager";

// ---- Wine ----

struct Wine {
    root: tempfile::TempDir,
    wine: PathBuf,
    wineserver: PathBuf,
}

impl Wine {
    fn prefix(&self) -> PathBuf {
        self.root.path().join("prefix")
    }
    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }
    fn bin(&self) -> PathBuf {
        self.root.path().join("bin")
    }

    /// A Wine command with nothing of this machine's environment but PATH and the language.
    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", self.home())
            .env("TMPDIR", self.root.path().join("tmp"))
            .env("WINEPREFIX", self.prefix())
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installer, no menu entries written under HOME.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d")
            .env("NO_COLOR", "1");
        cmd
    }

    /// `wine PROGRAM ARGS` with `stdin`, to its end.
    fn run(&self, shown: &str, windows_program: &str, args: &[&str], stdin: &str) -> Run {
        let mut cmd = self.command(&self.wine);
        cmd.arg(windows_program).args(args);
        let started = Instant::now();
        let (code, stdout, stderr) = run_to_end(cmd, stdin.as_bytes(), shown);
        eprintln!("wine: {shown}: exit {code} in {:.2} s", started.elapsed().as_secs_f64());
        Run {
            command: shown.to_string(),
            code,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            stdout_bytes: stdout,
            stderr_bytes: stderr,
        }
    }

    /// `cnaccess.exe ARGS` under Wine.
    fn cnaccess(&self, args: &[&str], stdin: &str) -> Run {
        let exe = self.bin().join("cnaccess.exe");
        self.run(&format!("cnaccess {}", args.join(" ")), exe.to_str().unwrap(), args, stdin)
    }

    /// Windows' own `reg.exe` in the prefix.
    fn reg(&self, args: &[&str]) -> Run {
        self.run(&format!("reg {}", args.join(" ")), "reg", args, "")
    }

    /// Starts wineserver to stay until killed, and the prefix's services with it (`wineboot`;
    /// `--init` makes a new prefix). Each Wine run then takes about 0.1 s instead of the 1.3 s
    /// of starting a server and reading the registry again. Nothing of these inherits a run's
    /// pipes: a service that did would keep its output open for the server's life.
    fn serve(&self, init: bool) {
        let quiet = |mut cmd: Command| {
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
            cmd.status().expect("Wine runs")
        };
        let mut server = self.command(&self.wineserver);
        server.arg("-p");
        let status = quiet(server);
        assert!(status.success(), "wineserver -p: {status}");
        let mut boot = self.command(&self.wine);
        boot.arg("wineboot").args(init.then_some("--init"));
        let status = quiet(boot);
        assert!(status.success(), "wineboot: {status}");
    }

    /// Has wineserver write the registry to disk (it does when it stops), then starts it again.
    fn flush(&self) {
        self.stop();
        self.serve(false);
    }

    fn stop(&self) {
        // Exit 1 when no server was running: then there is nothing to write.
        let _ = self
            .command(&self.wineserver)
            .arg("-k")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// The credential store as wineserver saved it: its sections of user.reg, and the rest.
    fn user_reg(&self) -> (String, String) {
        self.flush();
        let text = std::fs::read_to_string(self.prefix().join("user.reg")).expect("user.reg");
        let (mut store, mut rest) = (String::new(), String::new());
        let mut in_store = false;
        for line in text.split_inclusive('\n') {
            if line.starts_with('[') {
                in_store = line.starts_with(STORE_SECTION);
            }
            if in_store { &mut store } else { &mut rest }.push_str(line);
        }
        (store, rest)
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        self.stop();
    }
}

fn find_program(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().find_map(|c| {
        let path = Path::new(c);
        if path.is_absolute() {
            return path.is_file().then(|| path.to_path_buf());
        }
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths).map(|d| d.join(c)).find(|p| p.is_file())
        })
    })
}

fn windows_bin() -> PathBuf {
    std::env::var_os("CNACCESS_WINDOWS_BIN").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/x86_64-pc-windows-gnu/release")
    })
}

/// The prefix's folder, the two .exe files and the ProcessPrng stand-in, built here.
fn set_up() -> Wine {
    let wine = find_program(&WINE_CANDIDATES).expect("Wine is installed (apt package wine64)");
    let wineserver = find_program(&WINESERVER_CANDIDATES).expect("wineserver is installed");
    let root = tempfile::tempdir().expect("a temp folder");
    for dir in ["bin", "home", "tmp"] {
        std::fs::create_dir(root.path().join(dir)).unwrap();
    }
    let wine = Wine { root, wine, wineserver };
    let from = windows_bin();
    for exe in ["cnaccess.exe", "cloudneeti-emulator.exe"] {
        std::fs::copy(from.join(exe), wine.bin().join(exe)).unwrap_or_else(|e| {
            panic!("{} is missing ({e}): run scripts/windows/test.sh", from.join(exe).display())
        });
    }
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/windows");
    let status = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-shared", "-o"])
        .arg(wine.bin().join("bcryptprimitives.dll"))
        .arg(shim.join("bcryptprimitives.c"))
        .arg(shim.join("bcryptprimitives.def"))
        .arg("-ladvapi32")
        .status()
        .expect("x86_64-w64-mingw32-gcc runs (apt package gcc-mingw-w64-x86-64)");
    assert!(status.success(), "the bcryptprimitives.dll stand-in builds: {status}");
    let status = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-o"])
        .arg(wine.bin().join("no-credential-store.exe"))
        .arg(shim.join("no-credential-store.c"))
        .arg("-ladvapi32")
        .status()
        .expect("x86_64-w64-mingw32-gcc runs");
    assert!(status.success(), "no-credential-store.exe builds: {status}");
    std::fs::create_dir(wine.prefix()).unwrap();
    wine.serve(true);
    wine
}

/// Runs `cmd` with `stdin`, waits at most RUN_TIMEOUT; (exit code, stdout, stderr).
fn run_to_end(mut cmd: Command, stdin: &[u8], shown: &str) -> (i32, Vec<u8>, Vec<u8>) {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{shown}: could not start: {e}"));
    {
        let mut pipe = child.stdin.take().unwrap();
        let _ = pipe.write_all(stdin);
    }
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (out_tx, out) = mpsc::channel();
    let (err_tx, err) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        let _ = out_tx.send(buf);
    });
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        let _ = err_tx.send(buf);
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shown}: still running after {RUN_TIMEOUT:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let code = status.code().unwrap_or_else(|| panic!("{shown}: killed by a signal: {status}"));
    // A process it started (a Wine service) could keep the pipes open: wait a while only.
    let rest = |rx: mpsc::Receiver<Vec<u8>>| {
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("{shown}: exited, but something keeps its output open"))
    };
    (code, rest(out), rest(err))
}

// ---- the leak scan ----

/// A secret and what to call it in a failure message (never the value itself).
struct Needle {
    name: &'static str,
    value: String,
    /// Whether a PIECE-long piece counts too. Not for the demo key: its pieces are the hex
    /// alphabet ("0123456789ab..."), which stands in any DLL's digit table.
    pieces: bool,
}

/// Every form a needle is searched in: whole and (if asked) every piece, as UTF-8 and as
/// UTF-16LE (what Windows' wide APIs write), the hex keys in both cases.
fn patterns(needles: &[Needle]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for n in needles {
        let mut texts = vec![n.value.clone()];
        if n.value.bytes().all(|b| b.is_ascii_hexdigit()) {
            texts.push(n.value.to_ascii_uppercase());
        }
        for text in texts {
            let chars: Vec<char> = text.chars().collect();
            let mut parts = vec![text.clone()];
            if n.pieces {
                parts.extend(chars.windows(PIECE).map(|w| w.iter().collect::<String>()));
            }
            for part in parts {
                let wide: Vec<u8> = part.encode_utf16().flat_map(u16::to_le_bytes).collect();
                out.push((n.name.to_string(), part.into_bytes()));
                out.push((format!("{} (UTF-16)", n.name), wide));
            }
        }
    }
    out
}

/// What a leak scan found: the files (and which secret), and how many files it read.
#[derive(Debug, Default)]
struct Scan {
    leaks: Vec<String>,
    files: usize,
    /// Whether the credential store's sections were there to leave out.
    store_sections: usize,
}

/// Searches every file under the prefix, HOME and TMPDIR (symlinks not followed: the prefix's
/// `dosdevices/z:` is `/`) except the credential store's sections of user.reg.
fn leak_scan(wine: &Wine, needles: &[Needle]) -> Scan {
    let (store, rest) = wine.user_reg();
    let root = wine.root.path();
    let scratch = tempfile::tempdir().unwrap();
    let list = scratch.path().join("patterns");
    let patterns = patterns(needles);
    let mut file = std::fs::File::create(&list).unwrap();
    for (_, bytes) in &patterns {
        file.write_all(bytes).unwrap();
        file.write_all(b"\n").unwrap();
    }
    drop(file);
    // A file that must be found: the scan would find a leak in the least likely form.
    let canary = scratch.path().join("canary");
    std::fs::write(&canary, [b"x".as_slice(), &patterns.last().unwrap().1, b"x"].concat()).unwrap();
    let reg = scratch.path().join("user.reg-without-the-credential-store");
    // Values wrapped onto a next line ("\\\n  ") are searched joined up.
    std::fs::write(&reg, rest.replace("\\\n  ", "")).unwrap();
    // GNU grep: fixed strings (NUL bytes included) from the file, binary read as text, -r not
    // following symlinks; exit 1 is "none found".
    let out = Command::new("grep")
        .args(["-rlaF", "--exclude=user.reg", "-f"])
        .arg(&list)
        .args([root.join("prefix"), root.join("home"), root.join("tmp"), reg.clone()])
        .arg(&canary)
        .output()
        .expect("grep runs");
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "grep failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut scan = Scan {
        files: count_files(root),
        store_sections: store.matches(STORE_SECTION).count(),
        ..Scan::default()
    };
    let found = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(found.lines().any(|p| Path::new(p) == canary), "the scan finds a planted piece");
    for path in found.lines().filter(|p| Path::new(p) != canary) {
        let bytes = std::fs::read(path).unwrap_or_default();
        let names: Vec<&str> = patterns
            .iter()
            .filter(|(_, p)| bytes.windows(p.len()).any(|w| w == p.as_slice()))
            .map(|(name, _)| name.as_str())
            .collect();
        let shown =
            if Path::new(path) == reg { "user.reg (outside the credential store)" } else { path };
        scan.leaks.push(format!("{shown}: {}", names.first().copied().unwrap_or("a secret")));
    }
    scan
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => count_files(&e.path()),
                    Ok(t) if t.is_file() => 1,
                    _ => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

// ---- the flow, once ----

struct Flow {
    runs: BTreeMap<&'static str, Run>,
    /// The credential store (user.reg sections) while every secret is stored, and after
    /// `profile remove demo`.
    store_before_remove: String,
    store_after_remove: String,
    scan_stored: Scan,
    scan_end: Scan,
    /// The Windows emulator's first stdout line under Wine (its URL), if it started.
    windows_emulator_url: Option<String>,
}

static FLOW: OnceLock<Result<Flow, String>> = OnceLock::new();

fn flow() -> &'static Flow {
    FLOW.get_or_init(|| {
        std::panic::catch_unwind(run_flow).map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the flow panicked".into())
        })
    })
    .as_ref()
    .unwrap_or_else(|e| panic!("the Windows flow under Wine did not complete: {e}"))
}

fn run(step: &str) -> &'static Run {
    flow().runs.get(step).unwrap_or_else(|| panic!("no run recorded for {step}"))
}

fn run_flow() -> Flow {
    let wine = set_up();
    let emu = Emu::start();
    let url = emu.url.clone();
    let control = emu.control();
    // A key and an application of this run alone, whose every piece is distinctive.
    let fresh_app = control
        .with(|s| {
            let new: NewApp = serde_json::from_value(serde_json::json!({
                "licenseId": DEMO_LICENSE_ID,
                "name": "Windows test app",
            }))
            .unwrap();
            s.create_app(new)
        })
        .expect("the application is created");
    let fresh_key = control.with(|s| s.subscribe(Some("windows@contoso.example".into())));
    control.with(|s| s.activate_key(&fresh_key)).expect("the key is activated");

    let mut runs = BTreeMap::new();
    let mut rec = |step: &'static str, run: Run| {
        runs.insert(step, run);
    };
    let profile_add = |name: &str, env: &str| {
        let args = ["profile", "add", name, "--env", env, "--license", DEMO_LICENSE_ID];
        wine.cnaccess(&[&args[..], &["--app-id", DEMO_APP_ID]].concat(), "")
    };

    rec("version", wine.cnaccess(&["--version"], ""));
    rec("key set", wine.cnaccess(&["key", "set"], DEMO_API_KEY));
    rec("key list", wine.cnaccess(&["key", "list"], ""));
    rec("profile add", profile_add("demo", &url));
    rec("secret set", wine.cnaccess(&["secret", "set", "demo"], DEMO_APP_SECRET));
    // More than Credential Manager holds (2,560 bytes): refused before the store; the stored
    // secret stays (the token below uses it).
    rec("secret set too long", wine.cnaccess(&["secret", "set", "demo"], &"x".repeat(3000)));
    rec("token", wine.cnaccess(&["token", "demo"], ""));
    rec(
        "account token",
        wine.cnaccess(&["token", "demo", "--account", "Contoso Azure production", "--json"], ""),
    );
    rec("accounts", wine.cnaccess(&["accounts", "demo"], ""));
    rec("doctor", wine.cnaccess(&["doctor", "demo"], ""));
    rec("doctor json", wine.cnaccess(&["--json", "doctor", "demo"], ""));

    let fresh_app_id = fresh_app.app_id.clone();
    rec("fresh key set", wine.cnaccess(&["key", "set", "fresh"], &fresh_key));
    rec(
        "fresh profile add",
        wine.cnaccess(
            &[
                "profile",
                "add",
                "fresh",
                "--env",
                &url,
                "--license",
                DEMO_LICENSE_ID,
                "--app-id",
                &fresh_app_id,
                "--api-key",
                "fresh",
            ],
            "",
        ),
    );
    rec("fresh secret set", wine.cnaccess(&["secret", "set", "fresh"], &fresh_app.secret));
    rec("fresh token", wine.cnaccess(&["--json", "token", "fresh"], ""));

    // The Windows build of the emulator, under Wine: its URL is its first stdout line.
    let windows_emulator_url = {
        let mut cmd = wine.command(&wine.wine);
        cmd.arg(wine.bin().join("cloudneeti-emulator.exe"))
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("the Windows emulator starts under Wine");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line.trim().to_string());
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).ok().filter(|u| !u.is_empty());
        if let Some(u) = &url {
            rec("windows emulator profile add", profile_add("winemu", u));
            rec(
                "windows emulator secret set",
                wine.cnaccess(&["secret", "set", "winemu"], DEMO_APP_SECRET),
            );
            rec("windows emulator token", wine.cnaccess(&["--json", "token", "winemu"], ""));
            rec(
                "windows emulator profile remove",
                wine.cnaccess(&["profile", "remove", "winemu"], ""),
            );
        }
        let _ = child.kill();
        let _ = child.wait();
        url
    };

    let needles = [
        Needle { name: "the demo API key", value: DEMO_API_KEY.into(), pieces: false },
        Needle { name: "the demo application secret", value: DEMO_APP_SECRET.into(), pieces: true },
        Needle { name: "this run's API key", value: fresh_key.clone(), pieces: true },
        Needle {
            name: "this run's application secret",
            value: fresh_app.secret.clone(),
            pieces: true,
        },
    ];
    let scan_stored = leak_scan(&wine, &needles);
    let (store_before_remove, _) = wine.user_reg();

    rec("log", wine.cnaccess(&["log"], ""));
    rec("profile remove", wine.cnaccess(&["profile", "remove", "demo"], ""));
    rec(
        "reg query after remove",
        wine.reg(&["query", "HKCU\\Software\\Wine\\Credential Manager", "/s"]),
    );
    let (store_after_remove, _) = wine.user_reg();
    // The same name again: its old secret must not come back.
    rec("profile add again", profile_add("demo", &url));
    rec("token after remove", wine.cnaccess(&["token", "demo"], ""));
    rec("token after remove json", wine.cnaccess(&["--json", "token", "demo"], ""));

    // The credential deleted behind cnaccess's back, as a user might in Credential Manager.
    let target =
        "HKCU\\Software\\Wine\\Credential Manager\\Generic: cloudneeti-access/app-secret:fresh";
    rec("reg delete", wine.reg(&["delete", target, "/f"]));
    rec("token missing credential", wine.cnaccess(&["token", "fresh"], ""));
    rec("token missing credential json", wine.cnaccess(&["--json", "token", "fresh"], ""));
    rec("doctor missing credential", wine.cnaccess(&["doctor", "fresh"], ""));

    let scan_end = leak_scan(&wine, &needles);

    // Last, as it cannot be undone: no credential store for this user (as for a service
    // account or an SSH logon on Windows).
    let deny = wine.bin().join("no-credential-store.exe");
    rec("store taken away", wine.run("no-credential-store", deny.to_str().unwrap(), &[], ""));
    rec("key set without a store", wine.cnaccess(&["key", "set", "other"], &fresh_key));
    rec(
        "key set without a store json",
        wine.cnaccess(&["--json", "key", "set", "other"], &fresh_key),
    );
    rec("key list without a store", wine.cnaccess(&["key", "list"], ""));
    rec("token without a store", wine.cnaccess(&["token", "demo"], ""));
    drop(emu);
    drop(wine);
    Flow {
        runs,
        store_before_remove,
        store_after_remove,
        scan_stored,
        scan_end,
        windows_emulator_url,
    }
}

// ---- the checks ----

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn the_windows_build_starts_under_wine() {
    let run = run("version");
    run.success().stdout_has("cnaccess ");
    assert!(run.stderr.is_empty(), "nothing on stderr: {:?}", run.stderr);
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn key_set_stores_the_key_quietly_and_key_list_names_it() {
    let set = run("key set");
    set.success();
    assert!(set.stdout.is_empty(), "key set prints nothing on stdout: {:?}", set.stdout);
    run("key list").success().stdout_has("default");
    assert!(!run("key list").stdout.contains(DEMO_API_KEY), "key list never shows a key");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn profile_add_and_secret_set_succeed() {
    run("profile add").success();
    run("secret set").success();
    assert!(run("secret set").stdout.is_empty());
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn token_prints_the_license_token_alone() {
    let run = run("token");
    run.success();
    assert!(run.stdout.ends_with('\n') && run.stdout.lines().count() == 1, "{:?}", run.stdout);
    assert!(is_jwt(run.stdout.trim()), "a JWT alone on stdout: {:?}", run.stdout);
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn account_token_by_name_is_for_that_account() {
    let json = run("account token").success().stdout_json();
    assert_eq!(json["kind"], "account");
    assert_eq!(json["accountId"], DEMO_AZURE_ACCOUNT_ID);
    assert_eq!(json["licenseId"], DEMO_LICENSE_ID);
    assert!(is_jwt(json["token"].as_str().unwrap_or("")));
    assert!(json["secondsLeft"].as_i64().is_some_and(|s| s > 3000), "{json}");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn accounts_lists_the_license_accounts_and_grants() {
    let run = run("accounts");
    run.success()
        .stdout_has("Contoso Azure production")
        .stdout_has("Contoso AWS sandbox")
        .stdout_has(DEMO_OFFICE_ACCOUNT_ID)
        .stdout_has("APIs granted to the application");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn doctor_names_windows_credential_manager_and_passes() {
    let run = run("doctor");
    run.success().stdout_has("Windows Credential Manager");
    for line in run.stdout.lines().filter(|l| l.starts_with('[')) {
        assert!(line.starts_with("[ok  ]"), "every check passes: {}", run.stdout);
    }
    let json = run_json("doctor json");
    let keychain = &json["checks"][0];
    assert_eq!(keychain["id"], "keychain");
    assert_eq!(keychain["status"], "ok");
    assert!(keychain["detail"].as_str().unwrap().contains("Windows Credential Manager"));
}

fn run_json(step: &str) -> serde_json::Value {
    run(step).success().stdout_json()
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn log_records_the_flow_and_no_secret() {
    let run = run("log");
    run.success();
    for action in
        ["api_key_stored", "profile_added", "app_secret_stored", "license_token", "account_token"]
    {
        run.stdout_has(action);
    }
    run.stdout_has(DEMO_AZURE_ACCOUNT_ID);
    assert!(!run.stdout.contains(DEMO_APP_SECRET) && !run.stdout.contains(DEMO_API_KEY));
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn profile_remove_deletes_its_secret_from_credential_manager() {
    let flow = flow();
    run("profile remove").success();
    let before = &flow.store_before_remove;
    let after = &flow.store_after_remove;
    assert!(before.contains("\"UserName\"=\"app-secret:demo\""), "stored before: {before}");
    assert!(!after.contains("app-secret:demo"), "gone from user.reg after: {after}");
    assert!(after.contains("\"UserName\"=\"api-key:default\""), "the key stays: {after}");
    // Windows' own view of the store says the same.
    let query = run("reg query after remove");
    query.success().stdout_has("cloudneeti-access/api-key:default");
    assert!(!query.stdout.contains("app-secret:demo"), "{}", query.stdout);
    // A profile of the same name does not get the old secret back.
    run("profile add again").success();
    run("token after remove").fails_quietly_with(exit::KEYCHAIN).stderr_has("profile \"demo\"");
    assert_eq!(run("token after remove json").stderr_report()["code"], "secret_missing");
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn credential_manager_entries_carry_names_a_user_recognises() {
    let flow = flow();
    let store = &flow.store_before_remove;
    for (target, user, comment) in [
        (
            "cloudneeti-access/api-key:default",
            "api-key:default",
            r#"Cloudneeti Access API key \"default\""#,
        ),
        (
            "cloudneeti-access/app-secret:demo",
            "app-secret:demo",
            r#"Cloudneeti Access application secret for profile \"demo\""#,
        ),
    ] {
        assert!(store.contains(&format!("Generic: {target}]")), "{target} in: {store}");
        assert!(store.contains(&format!("\"UserName\"=\"{user}\"")), "{user} in: {store}");
        assert!(store.contains(&format!("\"Comment\"=\"{comment}\"")), "{comment} in: {store}");
    }
    // Kept on this machine (CRED_PERSIST_LOCAL_MACHINE = 2), never roaming (Enterprise, 3).
    assert!(store.contains("\"Persist\"=dword:00000002"), "{store}");
    assert!(!store.contains("\"Persist\"=dword:00000003"), "{store}");
    // Windows' own view: the target and the comment, as Credential Manager lists them.
    let query = run("reg query after remove");
    query.success().stdout_has("Generic: cloudneeti-access/api-key:default");
    query.stdout_has(r#"Cloudneeti Access API key "default""#);
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn a_secret_longer_than_credential_manager_holds_is_refused_before_the_store() {
    run("secret set too long")
        .fails_quietly_with(exit::INPUT)
        .stderr_has("it is 3000 bytes long; at most 1024 are accepted");
    run("token").success();
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn a_credential_deleted_outside_is_secret_missing() {
    run("reg delete").success();
    run("token missing credential")
        .fails_quietly_with(exit::KEYCHAIN)
        .stderr_has("profile \"fresh\"")
        .stderr_has("cnaccess secret set");
    let report = run("token missing credential json").stderr_report();
    assert_eq!(report["code"], "secret_missing", "{report}");
    let doctor = run("doctor missing credential");
    assert_eq!(doctor.code, exit::CHECK_FAILED, "doctor fails: {}", doctor.stdout);
    assert!(doctor.stdout.contains("Windows Credential Manager"), "{}", doctor.stdout);
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn no_credential_store_is_its_own_error_with_the_windows_fix() {
    run("store taken away").success().stdout_has("open after: 5");
    let set = run("key set without a store").fails_quietly_with(exit::KEYCHAIN);
    set.stderr_has("no keychain is available to store secrets (Windows Credential Manager)")
        .stderr_has("no logon session can hold credentials")
        .stderr_has("Run it as yourself, in your own Windows session");
    // Not Linux's fix: there is nothing to install on Windows.
    assert!(!set.stderr.contains("Secret Service"), "{}", set.stderr);
    assert_eq!(run("key set without a store json").stderr_report()["code"], "keychain_unavailable");
    // The settings did not change without the keychain: no key "other" listed.
    let list = run("key list without a store").success();
    assert!(!list.stdout.contains("other"), "{}", list.stdout);
    // Reading is refused the same way, not taken for a missing secret.
    let token = run("token without a store").fails_quietly_with(exit::KEYCHAIN);
    token.stderr_has("Windows Credential Manager");
    assert!(!token.stderr.contains("cnaccess secret set"), "{}", token.stderr);
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn a_fresh_key_and_secret_give_a_token() {
    run("fresh key set").success();
    run("fresh profile add").success();
    run("fresh secret set").success();
    let json = run_json("fresh token");
    assert_eq!(json["kind"], "license");
    assert!(is_jwt(json["token"].as_str().unwrap_or("")));
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn no_secret_in_any_file_of_the_prefix_outside_the_credential_store() {
    let flow = flow();
    for (when, scan) in
        [("with the secrets stored", &flow.scan_stored), ("at the end", &flow.scan_end)]
    {
        assert!(scan.files > 500, "{when}: the prefix was scanned ({} files)", scan.files);
        assert!(scan.leaks.is_empty(), "{when}: secrets found: {:#?}", scan.leaks);
    }
    // The left-out part really is the store, and it held the secrets (encrypted).
    assert!(flow.scan_stored.store_sections >= 4, "{}", flow.store_before_remove);
    assert!(flow.store_before_remove.contains("\"UserName\"=\"api-key:fresh\""));
    assert!(flow.store_before_remove.contains("\"Password\"=hex:"));
}

#[test]
#[ignore = "needs the Windows build and Wine: scripts/windows/test.sh"]
fn the_windows_emulator_serves_under_wine() {
    let url = flow().windows_emulator_url.as_deref().expect("the Windows emulator printed its URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    run("windows emulator profile add").success();
    run("windows emulator secret set").success();
    let json = run_json("windows emulator token");
    assert_eq!(json["kind"], "license");
    assert_eq!(json["apiUrl"], url);
    run("windows emulator profile remove").success();
}
