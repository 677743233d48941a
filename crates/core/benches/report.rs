//! The audit report for a license of many accounts, with 20 ms of injected server latency
//! on every call, side by side in one run with the vendor script's way of doing it: a license
//! token, the accounts, then for one account after another its token and its summary
//! (Generate-AuditReport.ps1) [script]. Also the peak memory of a report run at 200 and 2,000
//! accounts, each in a process of its own (the emulator stays in this one).
//!
//! `cargo bench -p cloudneeti-core --bench report`; docs/performance.md has the figures.

use cloudneeti_core::access::{Access, NewKeyHost};
use cloudneeti_core::client::{ApiClient, ClientOptions, Credentials};
use cloudneeti_core::model::ProfileForm;
use cloudneeti_core::report::{
    audit_rows, AccountChoice, Encoding, ReportKind, ReportOutput, ReportRequest,
};
use cloudneeti_core::{validate, ActivityLog, ConfigStore, Secret, Vault};
use cloudneeti_emulator::{Emulator, FaultKind, FaultSpec, Options};
use cloudneeti_testkit::bench::{seed, APP, APP_SECRET, KEY, LICENSE};
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 200;
const LATENCY_MS: u64 = 20;
const CONCURRENCY: usize = 20;
const RUNS: usize = 5;
const MEMORY_AT: [usize; 2] = [200, 2000];

/// Set in a child process: `URL` of the emulator; it runs one report and prints its peak RSS.
const CHILD: &str = "CNACCESS_BENCH_REPORT_CHILD";

async fn start_emulator(accounts: usize) -> Emulator {
    let emulator =
        Emulator::start(Options { seed: seed(accounts), ..Options::default() }).await.unwrap();
    emulator.control().with(|state| {
        for route in ["token", "licenseAccounts", "summary"] {
            let kind = FaultKind::Latency { ms: LATENCY_MS };
            state.arm_fault(FaultSpec { route: route.into(), kind, times: None }).unwrap();
        }
    });
    emulator
}

/// A fresh `Access` (empty token cache) with a profile on `url`; the secrets come from the
/// pipelines' environment variables, so no keychain is in the measurement.
fn access(url: &str, dir: &std::path::Path) -> Access {
    let mut access =
        Access::new(ConfigStore::open(dir), Vault::in_memory("bench"), ActivityLog::open(dir));
    access.set_concurrency(CONCURRENCY);
    if access.config().unwrap().profile("bench").is_err() {
        let form = ProfileForm {
            name: "bench".into(),
            environment: url.into(),
            license_id: LICENSE.into(),
            app_id: APP.into(),
            api_key: "default".into(),
            ..ProfileForm::default()
        };
        access.add_profile(form.validate().unwrap(), NewKeyHost::Confirmed).unwrap();
    }
    access
}

fn request() -> ReportRequest {
    ReportRequest {
        kind: ReportKind::Audit,
        benchmark: validate::benchmark_id("CSBP").unwrap(),
        accounts: AccountChoice::All,
    }
}

/// Ours: `Session::report`, as `cnaccess report audit` runs it.
async fn ours(url: &str, dir: &std::path::Path) -> (Duration, u64) {
    let access = access(url, dir);
    let out = ReportOutput::file(&dir.join("ours.csv"), Encoding::Csv, ReportKind::Audit).unwrap();
    let started = Instant::now();
    let outcome = access.session("bench").unwrap().report(&request(), out, &|_| {}).await.unwrap();
    assert_eq!(outcome.failed(), 0);
    (started.elapsed(), outcome.rows)
}

/// The script's way, with the same client and the same CSV writer: one call after another.
async fn sequential(url: &str, dir: &std::path::Path) -> (Duration, u64) {
    let client =
        ApiClient::new(validate::base_url(url).unwrap(), ClientOptions::default()).unwrap();
    let (key, secret) = (Secret::new(KEY.into()), Secret::new(APP_SECRET.into()));
    let creds = Credentials { api_key: &key, app_id: APP, app_secret: &secret };
    let benchmark = "CSBP";
    let mut out =
        ReportOutput::file(&dir.join("sequential.csv"), Encoding::Csv, ReportKind::Audit).unwrap();
    let started = Instant::now();
    let license = client.license_token(&creds, LICENSE).await.unwrap();
    let accounts = client.license_accounts(&key, &license).await.unwrap();
    for account in &accounts.accounts {
        let token = client.account_token(&creds, LICENSE, &account.account_id).await.unwrap();
        let summary = client.benchmark_summary(&key, &token, benchmark, None).await.unwrap();
        out.rows(audit_rows(&summary)).unwrap();
    }
    let rows = out.finish().unwrap();
    (started.elapsed(), rows)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `VmHWM` (peak resident set) of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn child(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let before = peak_rss_kib();
    let (_, rows) = runtime.block_on(ours(url, dir.path()));
    println!("{before} {} {rows}", peak_rss_kib());
}

fn main() {
    // The pipelines' way to give the secrets (CLOUDNEETI_API_KEY, CLOUDNEETI_APP_SECRET).
    std::env::set_var("CLOUDNEETI_API_KEY", KEY);
    std::env::set_var("CLOUDNEETI_APP_SECRET", APP_SECRET);
    if let Ok(url) = std::env::var(CHILD) {
        return child(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let emulator = start_emulator(ACCOUNTS).await;
        let url = emulator.url().to_string();
        let dir = tempfile::tempdir().unwrap();
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        // Alternating, so both see the same machine; run 0 of each warms up.
        for run in 0..=RUNS {
            let (t, rows) = ours(&url, dir.path()).await;
            let (s, rows_seq) = sequential(&url, dir.path()).await;
            assert_eq!(rows, rows_seq, "both wrote the same report");
            if run > 0 {
                fast.push(t);
                slow.push(s);
            }
        }
        let calls = 2 + 2 * ACCOUNTS as u64;
        let ideal = Duration::from_millis(calls * LATENCY_MS / CONCURRENCY as u64);
        let (fast, slow) = (median(fast), median(slow));
        println!(
            "report audit: {ACCOUNTS} accounts, {calls} calls, {LATENCY_MS} ms latency, concurrency {CONCURRENCY}, median of {RUNS}:"
        );
        // What one call really takes as served (the injected sleep, timer and wake-ups
        // included), from the sequential run: the ideal again with it.
        let served = slow / calls as u32;
        let served_ideal = served * calls as u32 / CONCURRENCY as u32;
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!("  ideal (calls x {LATENCY_MS} ms / concurrency): {:.0} ms", ms(ideal));
        println!("  one call as served (sequential time / calls): {:.1} ms; ideal with it: {:.0} ms", ms(served), ms(served_ideal));
        println!("  ours:       {:.0} ms, {:.2}x the ideal, {:.2}x the ideal as served (goal: 1.2)", ms(fast), ratio(fast, ideal), ratio(fast, served_ideal));
        println!("  sequential: {:.0} ms, {:.1}x ours (goal: at least 10)", ms(slow), ratio(slow, fast));
        emulator.shutdown().await;

        for accounts in MEMORY_AT {
            let emulator = start_emulator(accounts).await;
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .env(CHILD, emulator.url())
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let figures: Vec<u64> = text.split_whitespace().map(|f| f.parse().unwrap()).collect();
            println!(
                "  peak RSS at {accounts} accounts: {:.1} MiB ({:.1} MiB before the run; {} rows)",
                figures[1] as f64 / 1024.0,
                figures[0] as f64 / 1024.0,
                figures[2]
            );
            emulator.shutdown().await;
        }
    });
}
