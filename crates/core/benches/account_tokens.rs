//! Many account tokens at once: 200 accounts, 20 ms of injected server latency per token
//! request, against the ideal wall time (200 x 20 ms / concurrency). Run with
//! `cargo bench -p cloudneeti-core --bench account_tokens`; docs/performance.md has figures.

use cloudneeti_core::client::{ApiClient, ClientOptions, Credentials};
use cloudneeti_core::Secret;
use cloudneeti_emulator::{Emulator, FaultKind, FaultSpec, Options};
use cloudneeti_testkit::bench::{account_id, seed, APP, APP_SECRET, KEY, LICENSE};
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 200;
const LATENCY_MS: u64 = 20;
const CONCURRENCY: usize = 20;
const RUNS: usize = 15;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start(Options { seed: seed(ACCOUNTS), ..Options::default() }).await.unwrap();
        emulator.control().with(|state| {
            state
                .arm_fault(FaultSpec {
                    route: "token".into(),
                    kind: FaultKind::Latency { ms: LATENCY_MS },
                    times: None,
                })
                .unwrap();
        });
        let options = ClientOptions { concurrency: CONCURRENCY, ..ClientOptions::default() };
        let client = ApiClient::new(cloudneeti_core::validate::base_url(emulator.url()).unwrap(), options).unwrap();
        let (key, secret) = (Secret::new(KEY.into()), Secret::new(APP_SECRET.into()));
        let creds = Credentials { api_key: &key, app_id: APP, app_secret: &secret };
        let ids: Vec<String> = (0..ACCOUNTS).map(account_id).collect();

        let mut times = Vec::with_capacity(RUNS);
        for run in 0..=RUNS {
            let started = Instant::now();
            let results = client.account_tokens(&creds, LICENSE, &ids).await;
            let elapsed = started.elapsed();
            assert!(results.iter().all(Result::is_ok), "every account token must succeed");
            if run > 0 {
                times.push(elapsed); // run 0 warms the connection pool
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        let ideal = Duration::from_millis(ACCOUNTS as u64 * LATENCY_MS / CONCURRENCY as u64);
        println!(
            "account_tokens: {ACCOUNTS} tokens, {LATENCY_MS} ms latency, concurrency {CONCURRENCY}: \
             median {:.1} ms (min {:.1}, max {:.1}) over {RUNS} runs; ideal {:.1} ms; ratio {:.3}",
            median.as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            ideal.as_secs_f64() * 1e3,
            median.as_secs_f64() / ideal.as_secs_f64()
        );
        emulator.shutdown().await;
    });
}
