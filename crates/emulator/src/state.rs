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
    /// The (primary, secondary) keys of the APIM subscription this key belongs to: one made
    /// through `subscribe` has two, both accepted by the gateway. `None` for a seeded key.
    pub pair: Option<(String, String)>,
}

impl KeyRecord {
    pub(crate) fn new(key: ApiKey) -> KeyRecord {
        KeyRecord { key, window_start: 0, calls_in_window: 0, pair: None }
    }
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

/// Configure App > Update API Application: the Create form again, for an existing app.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppChanges {
    pub name: String,
    pub apis: Vec<String>,
    pub account_ids: Vec<String>,
    pub token_expiry_minutes: u32,
    #[serde(default)]
    pub secret_expires_at: Option<DateTime<Utc>>,
}

/// An APIM subscription's keys, as the API portal's Profile page shows them after Show.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionKeys {
    pub primary: String,
    /// `None` for a seeded key, which has no partner.
    pub secondary: Option<String>,
    pub state: KeyState,
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
        self.keys =
            seed.api_keys.into_iter().map(|key| (key.key.clone(), KeyRecord::new(key))).collect();
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
        let apis = new.apis.unwrap_or_else(|| ALL_APIS.iter().map(|s| s.to_string()).collect());
        let account_ids = new
            .account_ids
            .unwrap_or_else(|| license.accounts.iter().map(|a| a.account_id.clone()).collect());
        check_app_form(license, &new.name, &apis, &account_ids)?;
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

    /// Configure App > Update API Application > Save: the same form as Create, the secret
    /// (current and retired) untouched. Tokens already issued keep what they were issued with.
    pub fn update_app(&mut self, app_id: &str, changes: AppChanges) -> Result<(), ControlError> {
        let record =
            self.apps.get(app_id).ok_or_else(|| ControlError::UnknownApp(app_id.into()))?;
        let license_id = record.app.license_id.clone();
        let license = self
            .licenses
            .get(&license_id)
            .ok_or_else(|| ControlError::UnknownLicense(license_id.clone()))?;
        check_app_form(license, &changes.name, &changes.apis, &changes.account_ids)?;
        let app = &mut self.apps.get_mut(app_id).expect("looked up above").app;
        app.name = changes.name;
        app.apis = changes.apis;
        app.account_ids = changes.account_ids;
        app.token_expiry_minutes = changes.token_expiry_minutes.max(1);
        app.secret_expires_at = changes.secret_expires_at;
        Ok(())
    }

    /// Configure App > Delete API Application: its secret stops working at once, like an
    /// unknown application's.
    pub fn delete_app(&mut self, app_id: &str) -> Result<(), ControlError> {
        self.apps.remove(app_id).map(|_| ()).ok_or_else(|| ControlError::UnknownApp(app_id.into()))
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

    /// Products > Unlimited > Subscribe: a new subscription that waits for activation. Like
    /// APIM's, it has a primary and a secondary key; the primary is returned (see
    /// [`State::subscription_keys`] for both).
    pub fn subscribe(&mut self, owner: Option<String>) -> String {
        let primary = uuid::Uuid::new_v4().simple().to_string();
        let secondary = uuid::Uuid::new_v4().simple().to_string();
        for key in [&primary, &secondary] {
            let api_key = ApiKey {
                key: key.clone(),
                state: KeyState::Pending,
                owner: owner.clone(),
                rate_limit: None,
            };
            let pair = Some((primary.clone(), secondary.clone()));
            self.keys.insert(key.clone(), KeyRecord { pair, ..KeyRecord::new(api_key) });
        }
        primary
    }

    /// Cloudneeti's manual activation of a subscription: both of its keys.
    pub fn activate_key(&mut self, key: &str) -> Result<(), ControlError> {
        let record = self.keys.get_mut(key).ok_or(ControlError::UnknownKey)?;
        let both = match record.pair.clone() {
            Some((primary, secondary)) => vec![primary, secondary],
            None => vec![key.to_string()],
        };
        for k in both {
            if let Some(r) = self.keys.get_mut(&k) {
                r.key.state = KeyState::Active;
            }
        }
        Ok(())
    }

    /// Username > Profile > Show: the subscription that `key` (either of its keys) belongs to.
    /// A seeded key has no secondary.
    pub fn subscription_keys(&self, key: &str) -> Result<SubscriptionKeys, ControlError> {
        let record = self.keys.get(key).ok_or(ControlError::UnknownKey)?;
        let (primary, secondary) = match &record.pair {
            Some((primary, secondary)) => (primary.clone(), Some(secondary.clone())),
            None => (key.to_string(), None),
        };
        Ok(SubscriptionKeys { primary, secondary, state: record.key.state })
    }

    /// Whether `text` is a credential this emulator issued and still honours: the current
    /// secret of an API application or a subscription key. The Sandbox copies only these.
    pub fn holds_credential(&self, text: &str) -> bool {
        !text.is_empty()
            && (self.keys.contains_key(text) || self.apps.values().any(|r| r.app.secret == text))
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

/// The Create / Update form's rules: a name, known APIs, accounts of the license.
fn check_app_form(
    license: &License,
    name: &str,
    apis: &[String],
    account_ids: &[String],
) -> Result<(), ControlError> {
    if name.trim().is_empty() {
        return Err(ControlError::Invalid("an API application needs a name".into()));
    }
    if let Some(unknown) = apis.iter().find(|a| !ALL_APIS.contains(&a.as_str())) {
        return Err(ControlError::UnknownApi(unknown.clone()));
    }
    if let Some(missing) =
        account_ids.iter().find(|id| !license.accounts.iter().any(|a| &a.account_id == *id))
    {
        return Err(ControlError::UnknownAccount {
            license: license.license_id.clone(),
            account: missing.clone(),
        });
    }
    Ok(())
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

    fn reports(state: &mut State) -> AppCredentials {
        let new = NewApp {
            license_id: DEMO_LICENSE_ID.into(),
            name: "Reports".into(),
            apis: Some(vec!["Account.Audit".into()]),
            account_ids: Some(vec![]),
            token_expiry_minutes: 60,
            secret_expires_at: None,
        };
        state.create_app(new).unwrap()
    }

    #[test]
    fn an_update_changes_the_form_and_keeps_the_secret() {
        let mut state = State::new(Seed::demo());
        let created = reports(&mut state);
        let account = state.licenses[DEMO_LICENSE_ID].accounts[0].account_id.clone();
        let until = Utc::now() + Duration::days(30);
        let changes = AppChanges {
            name: "Reports v2".into(),
            apis: vec!["Account.Audit".into(), "License.GetAPIAccess".into()],
            account_ids: vec![account.clone()],
            token_expiry_minutes: 240,
            secret_expires_at: Some(until),
        };
        state.update_app(&created.app_id, changes.clone()).unwrap();
        let app = &state.apps[&created.app_id].app;
        assert_eq!(app.name, "Reports v2");
        assert_eq!(app.apis, changes.apis);
        assert_eq!(app.account_ids, vec![account]);
        assert_eq!(app.token_expiry_minutes, 240);
        assert_eq!(app.secret_expires_at, Some(until));
        assert_eq!(app.secret, created.secret, "an update does not touch the secret");

        let refused = |state: &mut State, changes: AppChanges| {
            state.update_app(&created.app_id, changes).unwrap_err()
        };
        let blank = AppChanges { name: " ".into(), ..changes.clone() };
        assert!(matches!(refused(&mut state, blank), ControlError::Invalid(_)));
        let unknown = AppChanges { apis: vec!["License.Authorize".into()], ..changes.clone() };
        assert_eq!(
            refused(&mut state, unknown),
            ControlError::UnknownApi("License.Authorize".into())
        );
        let stranger = AppChanges { account_ids: vec!["nope".into()], ..changes.clone() };
        assert!(matches!(refused(&mut state, stranger), ControlError::UnknownAccount { .. }));
        assert_eq!(
            state.apps[&created.app_id].app.name, "Reports v2",
            "a refused update changes nothing"
        );
        assert_eq!(
            state.update_app("missing", changes).unwrap_err(),
            ControlError::UnknownApp("missing".into())
        );
    }

    #[test]
    fn a_deleted_app_is_gone_and_its_secret_no_longer_a_credential() {
        let mut state = State::new(Seed::demo());
        let created = reports(&mut state);
        assert!(state.holds_credential(&created.secret));
        state.delete_app(&created.app_id).unwrap();
        assert!(!state.apps.contains_key(&created.app_id));
        assert!(!state.holds_credential(&created.secret));
        assert!(state.overview().api_applications.iter().all(|a| a.app_id != created.app_id));
        assert_eq!(
            state.delete_app(&created.app_id).unwrap_err(),
            ControlError::UnknownApp(created.app_id.clone())
        );
    }

    #[test]
    fn a_subscription_has_a_primary_and_a_secondary_key_activated_together() {
        let mut state = State::new(Seed::demo());
        let primary = state.subscribe(Some("you@sandbox.example".into()));
        let keys = state.subscription_keys(&primary).unwrap();
        let secondary = keys.secondary.clone().expect("a secondary key");
        assert_eq!(keys.primary, primary);
        assert_ne!(secondary, primary);
        assert_eq!(keys.state, KeyState::Pending);
        assert_eq!(state.subscription_keys(&secondary).unwrap(), keys, "either key finds it");
        for k in [&primary, &secondary] {
            assert!(k.len() == 32 && k.chars().all(|c| c.is_ascii_hexdigit()), "{k}");
            assert_eq!(state.keys[k].key.state, KeyState::Pending);
            assert!(state.holds_credential(k));
        }
        // Activating by either key activates the subscription: both keys.
        state.activate_key(&secondary).unwrap();
        for k in [&primary, &secondary] {
            assert_eq!(state.keys[k].key.state, KeyState::Active);
        }
        assert_eq!(state.subscription_keys(&primary).unwrap().state, KeyState::Active);
        // A seeded key stands alone.
        let seeded = state.subscription_keys(crate::seed::DEMO_API_KEY).unwrap();
        assert_eq!((seeded.primary.as_str(), seeded.secondary), (crate::seed::DEMO_API_KEY, None));
        assert_eq!(state.subscription_keys("0000").unwrap_err(), ControlError::UnknownKey);
        assert!(!state.holds_credential(""));
        assert!(!state.holds_credential("anything else"));
    }

    #[test]
    fn the_overview_shows_no_secret() {
        let state = State::new(Seed::demo());
        let text = serde_json::to_string(&state.overview()).unwrap();
        assert!(!text.contains(crate::seed::DEMO_APP_SECRET));
        assert!(!text.contains(crate::seed::DEMO_API_KEY));
    }
}
