//! The practice portal's newer IPC shapes (Configure App, the API portal's Profile page), with
//! their TypeScript twins generated into `ui/src/lib/backend/generated/` like those of ipc.rs
//! (the first practice shapes, `PracticeLicense` to `PracticeKey`, live there). A test fails
//! when the committed TypeScript drifts; `UPDATE_IPC_TYPES=1 cargo test -p cloudneeti-access
//! practice_ipc` rewrites it.
//!
//! Like `PracticeCredentials`, `PracticeSubscription` carries Sandbox keys: they open nothing
//! but the embedded emulator, which is why they may cross to the web view.

use serde::Serialize;
use ts_rs::TS;

/// A row of the portal's Cloudneeti API Access table (Create_API_Application_5.png): no secret.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeApp {
    pub app_id: String,
    pub name: String,
    pub apis: Vec<String>,
    pub account_ids: Vec<String>,
    pub token_expiry_minutes: u32,
    /// YYYY-MM-DD: the last day the secret works (it expires at the following midnight UTC),
    /// or absent for never.
    pub secret_expires_on: Option<String>,
}

/// The API portal's Profile > Your subscriptions row (Primary_key.png).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSubscription {
    /// The product subscribed to: "Unlimited".
    pub product: String,
    /// "pending" (the portal's "Submitted") until Cloudneeti activates it, then "active".
    pub state: String,
    pub primary_key: String,
    /// Absent only for a key that was seeded without one.
    pub secondary_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn check<T: TS + 'static>(drift: &mut Vec<String>) {
        let cfg = ts_rs::Config::new();
        let text = T::export_to_string(&cfg).expect("IPC types export");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/backend/generated");
        let path = dir.join(format!("{}.ts", T::name(&cfg)));
        if std::env::var_os("UPDATE_IPC_TYPES").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            drift.push(path.display().to_string());
        }
    }

    #[test]
    fn practice_typescript_types_match_the_rust_types() {
        let mut drift = Vec::new();
        check::<PracticeApp>(&mut drift);
        check::<PracticeSubscription>(&mut drift);
        assert!(
            drift.is_empty(),
            "the generated IPC types are out of date: {drift:?}; run UPDATE_IPC_TYPES=1 cargo test -p cloudneeti-access practice_ipc"
        );
    }
}
