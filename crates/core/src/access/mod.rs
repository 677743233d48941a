//! `Access`: the core's one entry point for the front ends (the app's commands and the CLI's
//! subcommands). It ties the config store, the keychain vault, the API client, the token
//! cache and the activity log together, so each front-end command is a few lines. A front end
//! reaches none of those parts except through it.
//!
//! Split by concern: `secrets` (the keychain, always together with the settings), `profiles`
//! (profiles and settings), `session` (one profile ready to talk to its service: tokens and
//! calls), `audit` (the activity log). This file holds what they share: the parts, the
//! endpoints and one client per endpoint.
//!
//! Secrets enter here as `Secret` and go straight to the keychain; they leave only as request
//! headers and bodies built by the client. Pipelines without a keychain set
//! `CLOUDNEETI_API_KEY` and `CLOUDNEETI_APP_SECRET`, which take precedence over the keychain.

mod audit;
mod calls;
mod profiles;
mod reports;
mod secrets;
mod session;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::activity::ActivityLog;
use crate::client::{ApiClient, ClientOptions, OnWait};
use crate::model::{BaseUrl, Config, Environment, TokenExpiry};
use crate::token_cache::TokenCache;
use crate::vault::Vault;
use crate::{token_policy, ConfigStore, Error, Result};

pub use calls::{ApiRequest, MAX_API_BODY_BYTES};
pub use profiles::{NewKeyHost, UpdatedProfile};
pub use secrets::{Checked, ProfileSecrets, SecretSource, API_KEY_ENV, APP_SECRET_ENV};
pub use session::Session;

/// An API endpoint to talk to: its base URL and, for a local emulator in TLS mode, the CA.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub base: BaseUrl,
    pub extra_root_pem: Option<String>,
}

/// Whether a token may come from the in-memory cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    Cached,
    Fresh,
}

pub struct Access {
    store: ConfigStore,
    vault: Arc<Vault>,
    activity: ActivityLog,
    cache: TokenCache,
    clients: Mutex<HashMap<String, Arc<ApiClient>>>,
    sandbox: Mutex<Option<Endpoint>>,
    options: ClientOptions,
}

impl Access {
    pub fn new(store: ConfigStore, vault: Vault, activity: ActivityLog) -> Access {
        Access {
            store,
            vault: Arc::new(vault),
            activity,
            cache: TokenCache::default(),
            clients: Mutex::new(HashMap::new()),
            sandbox: Mutex::new(None),
            options: ClientOptions::default(),
        }
    }

    /// How this program's calls wait when the service says "later" (429, 503): `announce`
    /// hears of each wait before it is made; with `wait` false none is made, and the error
    /// says how long the service asked for.
    pub fn with_waits(mut self, announce: Option<OnWait>, wait: bool) -> Access {
        self.options.on_wait = announce;
        if !wait {
            self.options.max_retries = 0;
        }
        self
    }

    /// How many calls of one operation (a report's accounts, failed-asset pages, account
    /// tokens) are in flight at once; at least 1. Set before the first call: clients made
    /// earlier keep theirs.
    pub fn set_concurrency(&mut self, concurrency: usize) {
        self.options.concurrency = concurrency.max(1);
    }

    /// The user's config dir and keychain service, or the test overrides
    /// (`CNACCESS_CONFIG_DIR`, `CNACCESS_KEYCHAIN_SERVICE`).
    pub fn from_env() -> Result<Access> {
        Ok(Access::new(ConfigStore::from_env()?, Vault::from_env(), ActivityLog::from_env()?))
    }

    /// The keychain this program keeps secrets in, as a user would name it.
    pub fn keychain_name(&self) -> &'static str {
        self.vault.backend_name()
    }

    pub fn config(&self) -> Result<Config> {
        self.store.load()
    }

    /// Where the Sandbox environment is served: the front end starts the embedded emulator
    /// and says so here.
    pub fn set_sandbox(&self, endpoint: Endpoint) {
        *lock(&self.sandbox) = Some(endpoint);
    }

    pub fn endpoint(&self, environment: &Environment) -> Result<Endpoint> {
        match environment.base_url() {
            Some(url) => {
                Ok(Endpoint { base: crate::validate::base_url(url)?, extra_root_pem: None })
            }
            None => lock(&self.sandbox).clone().ok_or_else(|| {
                Error::invalid(
                    "environment",
                    "the Sandbox is not running in this program",
                    "Use the Sandbox from the app or from cnaccess, which start it for you.",
                )
            }),
        }
    }

    /// One client (one connection pool) per base URL and token lifetime: the profile's token
    /// expiry applies to tokens that do not say when they expire.
    fn client(
        &self,
        endpoint: &Endpoint,
        token_expiry: Option<TokenExpiry>,
    ) -> Result<Arc<ApiClient>> {
        let id = format!("{} {:?}", endpoint.base, token_expiry);
        let mut clients = lock(&self.clients);
        if let Some(client) = clients.get(&id) {
            return Ok(client.clone());
        }
        let options = ClientOptions {
            extra_root_pem: endpoint.extra_root_pem.clone(),
            token_lifetime: token_policy::profile_lifetime(token_expiry)
                .or(self.options.token_lifetime),
            ..self.options.clone()
        };
        let client = Arc::new(ApiClient::new(endpoint.base.clone(), options)?);
        clients.insert(id, client.clone());
        Ok(client)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.unwrap_or(Err(Error::Cancelled))
}
