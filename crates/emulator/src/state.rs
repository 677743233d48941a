//! The emulator's mutable world: what the seed set up plus everything that happened since
//! (created apps, regenerated secrets, activated keys, issued tokens, jobs, the moved clock).
//!
//! The "portal side" operations live here as plain methods, so the HTTP control surface and
//! an embedding program (the desktop app's Sandbox) share one implementation.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::faults::{ArmedFault, FaultError, FaultSpec, Faults};
use crate::log::{fingerprint, LoggedRequest, RequestLog};
use crate::seed::{ApiApplication, ApiKey, JobOutcome, KeyState, License, Seed, ALL_APIS};
use crate::token::TokenIssuer;

pub struct State {
    seed: Seed,
    clock_offset: Duration,
    pub(crate) licenses: HashMap<String, License>,
    pub(crate) apps: HashMap<String, AppRecord>,
    pub(crate) keys: HashMap<String, KeyRecord>,
    pub(crate) tokens: TokenIssuer,
    pub(crate) jobs: HashMap<String, Job>,
    /// When the scan every seeded account has had before the emulator started ran: an hour
    /// before start [ours].
    pub(crate) baseline_scan: i64,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
}

pub(crate) struct AppRecord {
    pub app: ApiApplication,
    /// Secrets replaced by a regeneration: they fail with their own message.
    pub retired_secrets: Vec<String>,
}

pub(crate) struct KeyRecord {
    pub key: ApiKey,
    pub window_start: i64,
    pub calls_in_window: u32,
}

pub(crate) struct Job {
    pub license_id: String,
    pub account_id: String,
    pub started: i64,
    pub outcome: JobOutcome,
}

/// A new API application as the portal's "Create API Application" form takes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewApp {
    pub license_id: String,
    pub name: String,
    /// Defaults to every API.
    #[serde(default)]
    pub apis: Option<Vec<String>>,
    /// Defaults to every account of the license.
    #[serde(default)]
    pub account_ids: Option<Vec<String>>,
    #[serde(default = "default_expiry")]
    pub token_expiry_minutes: u32,
    #[serde(default)]
    pub secret_expires_at: Option<DateTime<Utc>>,
}

fn default_expiry() -> u32 {
    60
}

/// Shown once, like the portal's dialog: the secret cannot be read back later.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppCredentials {
    pub app_id: String,
    pub secret: String,
}

/// A public view of the world: no secret and no API key in full.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub now: DateTime<Utc>,
    pub licenses: Vec<License>,
    pub api_applications: Vec<AppView>,
    pub api_keys: Vec<KeyView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppView {
    pub app_id: String,
    pub name: String,
    pub license_id: String,
    pub apis: Vec<String>,
    pub account_ids: Vec<String>,
    pub token_expiry_minutes: u32,
    pub secret_expires_at: Option<DateTime<Utc>>,
    pub secret_fingerprint: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyView {
    pub key_fingerprint: String,
    pub state: KeyState,
    pub owner: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ControlError {
    #[error("license {0} does not exist")]
    UnknownLicense(String),
    #[error("API application {0} does not exist")]
    UnknownApp(String),
    #[error("no API key matches")]
    UnknownKey,
    #[error("account {account} is not in license {license}")]
    UnknownAccount { license: String, account: String },
    #[error("unknown API name {0}")]
    UnknownApi(String),
    #[error("{0}")]
    Invalid(String),
}

impl State {
    pub fn new(seed: Seed) -> State {
        let tokens = TokenIssuer::new(seed.settings.token_format);
        let mut state = State {
            seed: seed.clone(),
            clock_offset: Duration::zero(),
            licenses: HashMap::new(),
            apps: HashMap::new(),
            keys: HashMap::new(),
            tokens,
            jobs: HashMap::new(),
            baseline_scan: (Utc::now() - Duration::hours(1)).timestamp(),
            faults: Faults::default(),
            log: RequestLog::default(),
        };
        state.load(seed);
        state
    }

    fn load(&mut self, seed: Seed) {
        self.licenses = seed.licenses.into_iter().map(|l| (l.license_id.clone(), l)).collect();
        self.apps = seed
            .api_applications
            .into_iter()
            .map(|app| (app.app_id.clone(), AppRecord { app, retired_secrets: Vec::new() }))
            .collect();
        self.keys = seed
            .api_keys
            .into_iter()
            .map(|key| (key.key.clone(), KeyRecord { key, window_start: 0, calls_in_window: 0 }))
            .collect();
    }

    /// Back to the seed: apps, keys, jobs, faults, clock and log as at start.
    pub fn reset(&mut self) {
        let seed = self.seed.clone();
        self.tokens = TokenIssuer::new(seed.settings.token_format);
        self.jobs.clear();
        self.baseline_scan = (Utc::now() - Duration::hours(1)).timestamp();
        self.faults.clear();
        self.log.clear();
        self.clock_offset = Duration::zero();
        self.load(seed);
    }

    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// The emulated time: the wall clock moved by every `advance_clock` so far.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }

    pub fn advance_clock(&mut self, seconds: i64) -> DateTime<Utc> {
        self.clock_offset += Duration::seconds(seconds);
        self.now()
    }

    pub fn create_app(&mut self, new: NewApp) -> Result<AppCredentials, ControlError> {
        let license = self
            .licenses
            .get(&new.license_id)
            .ok_or_else(|| ControlError::UnknownLicense(new.license_id.clone()))?;
        if new.name.trim().is_empty() {
            return Err(ControlError::Invalid("an API application needs a name".into()));
        }
        let apis = new.apis.unwrap_or_else(|| ALL_APIS.iter().map(|s| s.to_string()).collect());
        if let Some(unknown) = apis.iter().find(|a| !ALL_APIS.contains(&a.as_str())) {
            return Err(ControlError::UnknownApi(unknown.clone()));
        }
        let account_ids = new
            .account_ids
            .unwrap_or_else(|| license.accounts.iter().map(|a| a.account_id.clone()).collect());
        if let Some(missing) =
            account_ids.iter().find(|id| !license.accounts.iter().any(|a| &a.account_id == *id))
        {
            return Err(ControlError::UnknownAccount {
                license: new.license_id.clone(),
                account: missing.clone(),
            });
        }
        let app = ApiApplication {
            app_id: uuid::Uuid::new_v4().to_string(),
            name: new.name,
            license_id: new.license_id,
            secret: new_secret(),
            apis,
            account_ids,
            token_expiry_minutes: new.token_expiry_minutes.max(1),
            secret_expires_at: new.secret_expires_at,
        };
        let credentials = AppCredentials { app_id: app.app_id.clone(), secret: app.secret.clone() };
        self.apps.insert(app.app_id.clone(), AppRecord { app, retired_secrets: Vec::new() });
        Ok(credentials)
    }

    /// Configure App > Regenerate Secret Key > Confirm: the old secret stops working at once.
    pub fn regenerate_secret(&mut self, app_id: &str) -> Result<AppCredentials, ControlError> {
        let record =
            self.apps.get_mut(app_id).ok_or_else(|| ControlError::UnknownApp(app_id.into()))?;
        let new = new_secret();
        let old = std::mem::replace(&mut record.app.secret, new.clone());
        record.retired_secrets.push(old);
        Ok(AppCredentials { app_id: app_id.into(), secret: new })
    }

    /// Products > Unlimited > Subscribe: a new key that waits for activation.
    pub fn subscribe(&mut self, owner: Option<String>) -> String {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let record = ApiKey { key: key.clone(), state: KeyState::Pending, owner, rate_limit: None };
        self.keys
            .insert(key.clone(), KeyRecord { key: record, window_start: 0, calls_in_window: 0 });
        key
    }

    /// Cloudneeti's manual activation of a subscription.
    pub fn activate_key(&mut self, key: &str) -> Result<(), ControlError> {
        let record = self.keys.get_mut(key).ok_or(ControlError::UnknownKey)?;
        record.key.state = KeyState::Active;
        Ok(())
    }

    /// Arms a fault (see docs/emulator.md, "Faults"); returns its id.
    pub fn arm_fault(&mut self, spec: FaultSpec) -> Result<u64, FaultError> {
        self.faults.arm(spec)
    }

    pub fn faults(&self) -> Vec<ArmedFault> {
        self.faults.list()
    }

    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    /// The request log, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log.entries()
    }

    pub fn clear_requests(&mut self) {
        self.log.clear();
    }

    pub fn overview(&self) -> Overview {
        let mut licenses: Vec<License> = self.licenses.values().cloned().collect();
        licenses.sort_by(|a, b| a.license_id.cmp(&b.license_id));
        let mut api_applications: Vec<AppView> = self
            .apps
            .values()
            .map(|r| AppView {
                app_id: r.app.app_id.clone(),
                name: r.app.name.clone(),
                license_id: r.app.license_id.clone(),
                apis: r.app.apis.clone(),
                account_ids: r.app.account_ids.clone(),
                token_expiry_minutes: r.app.token_expiry_minutes,
                secret_expires_at: r.app.secret_expires_at,
                secret_fingerprint: fingerprint(&r.app.secret),
            })
            .collect();
        api_applications.sort_by(|a, b| a.app_id.cmp(&b.app_id));
        let mut api_keys: Vec<KeyView> = self
            .keys
            .values()
            .map(|r| KeyView {
                key_fingerprint: fingerprint(&r.key.key),
                state: r.key.state,
                owner: r.key.owner.clone(),
            })
            .collect();
        api_keys.sort_by(|a, b| a.key_fingerprint.cmp(&b.key_fingerprint));
        Overview { now: self.now(), licenses, api_applications, api_keys }
    }
}

/// Secrets look like the portal's: long, random, URL-safe.
fn new_secret() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 30]>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::DEMO_LICENSE_ID;

    #[test]
    fn created_apps_default_to_every_api_and_account_and_regeneration_retires_the_secret() {
        let mut state = State::new(Seed::demo());
        let new = NewApp {
            license_id: DEMO_LICENSE_ID.into(),
            name: "Reports".into(),
            apis: None,
            account_ids: None,
            token_expiry_minutes: 30,
            secret_expires_at: None,
        };
        let created = state.create_app(new).unwrap();
        let record = &state.apps[&created.app_id];
        assert_eq!(record.app.account_ids.len(), 4);
        assert_eq!(record.app.apis.len(), ALL_APIS.len());
        let again = state.regenerate_secret(&created.app_id).unwrap();
        assert_ne!(again.secret, created.secret);
        assert_eq!(state.apps[&created.app_id].retired_secrets, vec![created.secret]);
    }

    #[test]
    fn the_overview_shows_no_secret() {
        let state = State::new(Seed::demo());
        let text = serde_json::to_string(&state.overview()).unwrap();
        assert!(!text.contains(crate::seed::DEMO_APP_SECRET));
        assert!(!text.contains(crate::seed::DEMO_API_KEY));
    }
}
