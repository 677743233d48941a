//! The benchmarks' fixture: one license of many accounts, all in the scope of one application
//! granted every API, and one active key with no rate limit. The credentials exist only
//! inside the in-process emulator a benchmark starts: they open nothing else.

use cloudneeti_emulator::seed::{
    Account, ApiApplication, ApiKey, JobOutcome, KeyState, License, Seed, Settings, ALL_APIS,
};

pub const LICENSE: &str = "11111111-1111-4111-8111-111111111111";
pub const APP: &str = "22222222-2222-4222-8222-222222222222";
pub const APP_SECRET: &str = "bench-fixture-secret";
pub const KEY: &str = "00000000000000000000000000000bbb";

/// The id of account `i` of the fixture.
pub fn account_id(i: usize) -> String {
    format!("33333333-3333-4333-8333-{i:012}")
}

/// A license of `accounts` accounts (Azure, AWS and GCP in turn).
pub fn seed(accounts: usize) -> Seed {
    let accounts: Vec<Account> = (0..accounts)
        .map(|i| Account {
            account_id: account_id(i),
            account_name: format!("account {i}"),
            connector_type: ["Azure", "AWS", "GCP"][i % 3].into(),
            rescan_outcome: JobOutcome::Success,
        })
        .collect();
    Seed {
        api_applications: vec![ApiApplication {
            app_id: APP.into(),
            name: "bench".into(),
            license_id: LICENSE.into(),
            secret: APP_SECRET.into(),
            apis: ALL_APIS.iter().map(|a| a.to_string()).collect(),
            account_ids: accounts.iter().map(|a| a.account_id.clone()).collect(),
            token_expiry_minutes: 60,
            secret_expires_at: None,
        }],
        licenses: vec![License {
            license_id: LICENSE.into(),
            license_name: "bench".into(),
            accounts,
        }],
        api_keys: vec![ApiKey {
            key: KEY.into(),
            state: KeyState::Active,
            owner: None,
            rate_limit: None,
        }],
        settings: Settings::default(),
    }
}
