//! `Access`: the core's one entry point for the front ends (the app's commands and the CLI's
//! subcommands). It ties the config store, the keychain vault, the API client, the token
//! cache and the activity log together, so each front-end command is a few lines.
//!
//! Secrets enter here as `Secret` and go straight to the keychain; they leave only as request
//! headers and bodies built by the client. Pipelines without a keychain set
//! `CLOUDNEETI_API_KEY` and `CLOUDNEETI_APP_SECRET`, which take precedence over the keychain.

use chrono::{Duration, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

use crate::activity::{Action, ActivityEntry, ActivityLog};
use crate::client::{AccessToken, ApiClient, ClientOptions, Credentials, LicenseAccounts};
use crate::model::{ApiKeyMeta, BaseUrl, Config, Environment, KnownAccount, Profile, Settings};
use crate::token_cache::{CacheKey, TokenCache};
use crate::vault::{BackendInfo, SecretId, Vault};
use crate::{validate, ConfigStore, Error, Result, Secret};

/// Takes precedence over the keychain's API key, for pipelines.
pub const API_KEY_ENV: &str = "CLOUDNEETI_API_KEY";
/// Takes precedence over the keychain's application secret, for pipelines.
pub const APP_SECRET_ENV: &str = "CLOUDNEETI_APP_SECRET";

/// Where a secret in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretSource {
    Environment,
    Keychain,
}

/// An API endpoint to talk to: its base URL and, for a local emulator in TLS mode, the CA.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub base: BaseUrl,
    pub extra_root_pem: Option<String>,
}

/// The secrets a profile's calls need, and where each came from.
pub struct ProfileSecrets {
    pub api_key: Secret,
    pub api_key_source: SecretSource,
    pub app_secret: Secret,
    pub app_secret_source: SecretSource,
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

    /// Saves the preferences after checking them ([`Settings::check`]).
    pub fn save_settings(&self, settings: Settings) -> Result<()> {
        settings.check()?;
        self.store.update(|config| {
            config.settings = settings;
            Ok(())
        })
    }

    /// The last `limit` entries of the activity log, oldest first.
    pub fn recent_activity(&self, limit: usize) -> Result<Vec<ActivityEntry>> {
        self.activity.read(limit)
    }

    /// Where the Sandbox environment is served: the front end starts the embedded emulator
    /// and says so here.
    pub fn set_sandbox(&self, endpoint: Endpoint) {
        *lock(&self.sandbox) = Some(endpoint);
    }

    pub fn endpoint(&self, environment: &Environment) -> Result<Endpoint> {
        match environment.base_url() {
            Some(url) => Ok(Endpoint { base: BaseUrl::parse(url)?, extra_root_pem: None }),
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
        token_expiry_minutes: Option<u32>,
    ) -> Result<Arc<ApiClient>> {
        let id = format!("{} {:?}", endpoint.base, token_expiry_minutes);
        let mut clients = lock(&self.clients);
        if let Some(client) = clients.get(&id) {
            return Ok(client.clone());
        }
        let options = ClientOptions {
            extra_root_pem: endpoint.extra_root_pem.clone(),
            token_lifetime: token_expiry_minutes
                .map(|m| Duration::minutes(i64::from(m)))
                .or(self.options.token_lifetime),
            ..self.options.clone()
        };
        let client = Arc::new(ApiClient::new(endpoint.base.clone(), options)?);
        clients.insert(id, client.clone());
        Ok(client)
    }

    // ---- keychain ----

    /// Which keychain will hold secrets; refuses (with the fix) when none is usable.
    pub async fn preflight(&self) -> Result<BackendInfo> {
        let vault = self.vault.clone();
        blocking(move || vault.preflight()).await
    }

    /// A keychain change (`Some`: store that value, `None`: delete the entry) and a settings
    /// change that land together or not at all. The keychain goes first, its previous value
    /// kept in memory; when the settings then cannot be written (a full disk, a read-only
    /// folder, a refused change), the keychain gets its previous value back. This order,
    /// because the settings write is the one a disk can refuse, and undoing a keychain change
    /// needs no disk.
    async fn keychain_and_settings<T>(
        &self,
        id: SecretId,
        change: Option<Secret>,
        settings: impl FnOnce(&mut Config) -> Result<T>,
    ) -> Result<T> {
        let vault = self.vault.clone();
        let entry = id.clone();
        let previous = blocking(move || {
            vault.preflight()?;
            let previous = vault.load(&entry)?;
            match &change {
                Some(value) => vault.store(&entry, value)?,
                None => vault.delete(&entry)?,
            }
            Ok(previous)
        })
        .await?;
        let error = match self.store.update(settings) {
            Ok(out) => return Ok(out),
            Err(error) => error,
        };
        let vault = self.vault.clone();
        let undone = blocking(move || match &previous {
            Some(value) => vault.store(&id, value),
            None => vault.delete(&id),
        })
        .await;
        Err(match (error, undone) {
            (error, Ok(())) => error,
            // Both failed: say so, or the user believes the keychain unchanged.
            (Error::ConfigIo { path, detail }, Err(undo)) => Error::ConfigIo {
                path,
                detail: format!(
                    "{detail}; the keychain change could not be undone either ({undo})"
                ),
            },
            (error, Err(_)) => error,
        })
    }

    /// Stores (or replaces) a named API key. `allow_any_format` skips the 32-hex check.
    pub async fn set_api_key(
        &self,
        name: &str,
        value: &Secret,
        allow_any_format: bool,
    ) -> Result<()> {
        let name = validate::key_name(name)?;
        let key = Secret::new(validate::api_key(value.expose(), allow_any_format)?);
        let result = self
            .keychain_and_settings(SecretId::api_key(&name), Some(key), |config| {
                let mut meta =
                    config.api_key(&name).cloned().unwrap_or_else(|_| ApiKeyMeta::new(&name));
                meta.stored_at = Some(Utc::now());
                config.set_api_key(meta)
            })
            .await;
        self.record(
            ActivityEntry::for_api_key(Action::ApiKeyStored, &ApiKeyMeta::new(&name)),
            &result,
        );
        result
    }

    /// Removes an API key from the keychain and the config; refused while a profile uses it.
    pub async fn remove_api_key(&self, name: &str) -> Result<()> {
        let config = self.store.load()?;
        let meta = config.api_key(name)?.clone();
        let users = config.profiles_using_key(name);
        if !users.is_empty() {
            return Err(Error::ApiKeyInUse { name: name.into(), profiles: users.join(", ") });
        }
        let result = self
            .keychain_and_settings(SecretId::api_key(name), None, |config| {
                config.remove_api_key(name).map(drop)
            })
            .await;
        self.record(ActivityEntry::for_api_key(Action::ApiKeyRemoved, &meta), &result);
        result
    }

    /// Stores (or replaces) a profile's application secret.
    pub async fn set_app_secret(&self, profile: &str, value: &Secret) -> Result<()> {
        let existing = self.store.load()?.profile(profile)?.clone();
        let secret = Secret::new(validate::app_secret(value.expose())?.to_string());
        let result = self
            .keychain_and_settings(SecretId::app_secret(profile), Some(secret), |config| {
                config.update_profile(profile, |p| {
                    p.secret_stored_at = Some(Utc::now());
                    Ok(())
                })
            })
            .await;
        if result.is_ok() {
            self.forget_tokens(&existing);
        }
        self.record(ActivityEntry::for_profile(Action::AppSecretStored, &existing), &result);
        result
    }

    /// The portal's "Regenerate Secret Key": the new secret must get a license token before it
    /// replaces the stored one, so a mistyped paste never overwrites a working secret.
    pub async fn replace_app_secret_checked(
        &self,
        profile_name: &str,
        value: &Secret,
    ) -> Result<()> {
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let candidate = Secret::new(validate::app_secret(value.expose())?.to_string());
        let endpoint = self.endpoint(&profile.environment)?;
        let api_key = match env_api_key()? {
            Some(key) => key,
            None => {
                let (vault, id) = (self.vault.clone(), SecretId::api_key(&profile.api_key));
                blocking(move || vault.require(&id)).await?
            }
        };
        let app_id = profile.app_id()?.to_string();
        let creds = Credentials { api_key: &api_key, app_id: &app_id, app_secret: &candidate };
        self.client_for(&profile, &endpoint)?
            .license_token(&creds, &profile.license_id.to_string())
            .await?;
        self.set_app_secret(profile_name, &candidate).await
    }

    pub async fn remove_app_secret(&self, profile: &str) -> Result<()> {
        let existing = self.store.load()?.profile(profile)?.clone();
        let result = self
            .keychain_and_settings(SecretId::app_secret(profile), None, |config| {
                config.update_profile(profile, |p| {
                    p.secret_stored_at = None;
                    Ok(())
                })
            })
            .await;
        self.forget_tokens(&existing);
        self.record(ActivityEntry::for_profile(Action::AppSecretRemoved, &existing), &result);
        result
    }

    /// The secrets a profile's calls need: the environment variables first, then the keychain,
    /// which is asked for whatever the environment did not give in one session.
    pub async fn secrets(&self, profile: &Profile) -> Result<ProfileSecrets> {
        let env_key = env_api_key()?;
        let env_secret = env_secret(APP_SECRET_ENV)?
            .map(|v| validate::app_secret(v.expose()).map(|s| Secret::new(s.to_string())))
            .transpose()?;
        let key_id = SecretId::api_key(&profile.api_key);
        let secret_id = SecretId::app_secret(&profile.name);
        let wanted: Vec<SecretId> =
            [(env_key.is_none(), &key_id), (env_secret.is_none(), &secret_id)]
                .into_iter()
                .filter(|(missing, _)| *missing)
                .map(|(_, id)| id.clone())
                .collect();
        let mut stored = if wanted.is_empty() {
            Vec::new()
        } else {
            let vault = self.vault.clone();
            blocking(move || vault.load_many(&wanted)).await?
        }
        .into_iter();
        let mut pick = |from_env: Option<Secret>, id: &SecretId| match from_env {
            Some(value) => Ok((value, SecretSource::Environment)),
            None => stored
                .next()
                .flatten()
                .map(|value| (value, SecretSource::Keychain))
                .ok_or_else(|| id.missing()),
        };
        let (api_key, api_key_source) = pick(env_key, &key_id)?;
        let (app_secret, app_secret_source) = pick(env_secret, &secret_id)?;
        Ok(ProfileSecrets { api_key, api_key_source, app_secret, app_secret_source })
    }

    // ---- profiles ----

    pub fn add_profile(&self, profile: Profile) -> Result<()> {
        // The API key may come later: the portal gives the app secret first (walkthrough step 1)
        // and the key only after the subscription is activated (step 2), and pipelines give it
        // in CLOUDNEETI_API_KEY. A key name not known yet is recorded as not stored.
        let result = self.store.update(|config| {
            if config.api_key(&profile.api_key).is_err() {
                config.set_api_key(ApiKeyMeta::new(&profile.api_key))?;
            }
            config.add_profile(profile.clone())
        });
        self.record(ActivityEntry::for_profile(Action::ProfileAdded, &profile), &result);
        result
    }

    /// Changes a profile's settings; tokens of its previous settings are forgotten.
    pub fn update_profile(
        &self,
        name: &str,
        change: impl FnOnce(&mut Profile) -> Result<()>,
    ) -> Result<Profile> {
        let before = self.store.load()?.profile(name)?.clone();
        let result = self.store.update(|config| {
            config.update_profile(name, |p| {
                change(p)?;
                Ok(p.clone())
            })
        });
        if let Ok(after) = &result {
            self.forget_tokens(&before);
            self.record(ActivityEntry::for_profile(Action::ProfileUpdated, after), &Ok(()));
        }
        result
    }

    /// Removes a profile and its application secret from the keychain.
    pub async fn remove_profile(&self, name: &str) -> Result<()> {
        let profile = self.store.load()?.profile(name)?.clone();
        let result = self
            .keychain_and_settings(SecretId::app_secret(name), None, |config| {
                config.remove_profile(name).map(drop)
            })
            .await;
        self.forget_tokens(&profile);
        self.record(ActivityEntry::for_profile(Action::ProfileRemoved, &profile), &result);
        result
    }

    fn forget_tokens(&self, profile: &Profile) {
        self.cache.release(&profile.name);
        if let Ok(endpoint) = self.endpoint(&profile.environment) {
            if let Some(app_id) = profile.app_id {
                self.cache.forget(endpoint.base.as_str(), &app_id.to_string());
            }
        }
    }

    // ---- tokens and calls ----

    /// Holds `token` for a front end that shows it later (the app's token card); the handle
    /// names it. Held tokens go when their profile is edited or removed or its secret changes.
    pub fn hold_token(&self, profile: &str, token: &AccessToken) -> String {
        self.cache.hold(profile, token)
    }

    /// Runs `f` on a held token and its profile's name; a handle from an earlier run or of a
    /// changed profile is refused.
    pub fn with_held_token<R>(
        &self,
        handle: &str,
        f: impl FnOnce(&str, &AccessToken) -> R,
    ) -> Result<R> {
        self.cache.with_held(handle, f).ok_or_else(|| {
            Error::invalid("token", "this token is no longer held", "Get a new token.")
        })
    }

    /// A license token (no account) or an account token, from the cache while it is fresh.
    pub async fn token(&self, profile_name: &str, account_id: Option<Uuid>) -> Result<AccessToken> {
        self.token_from(profile_name, account_id, Fetch::Cached).await
    }

    /// As [`Access::token`], but `Fetch::Fresh` always asks the service (and keeps the new
    /// token for the next caller): a check such as Test connection must prove that the
    /// credentials work now, not that they worked when a cached token was issued.
    pub async fn token_from(
        &self,
        profile_name: &str,
        account_id: Option<Uuid>,
        fetch: Fetch,
    ) -> Result<AccessToken> {
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let action = if account_id.is_some() { Action::AccountToken } else { Action::LicenseToken };
        let mut entry = ActivityEntry::for_profile(action, &profile);
        if let Some(account) = account_id {
            entry = entry.with_account(account);
        }
        let result = self.fresh_token(&profile, account_id, fetch).await;
        self.record(entry, &result);
        result
    }

    async fn fresh_token(
        &self,
        profile: &Profile,
        account_id: Option<Uuid>,
        fetch: Fetch,
    ) -> Result<AccessToken> {
        let endpoint = self.endpoint(&profile.environment)?;
        let key = CacheKey {
            base_url: endpoint.base.as_str().to_string(),
            app_id: profile.app_id()?.to_string(),
            license_id: profile.license_id.to_string(),
            account_id: account_id.map(|a| a.to_string()),
        };
        if fetch == Fetch::Cached {
            if let Some(token) = self.cache.get(&key, Utc::now()) {
                return Ok(token);
            }
        }
        // The keychain answers from its own thread; build the client (trust store, TLS
        // config) meanwhile: a cold `cnaccess token` spends most of its time on these two.
        let (secrets, client) =
            tokio::join!(self.secrets(profile), async { self.client_for(profile, &endpoint) });
        let (secrets, client) = (secrets?, client?);
        let app_id = profile.app_id()?.to_string();
        let creds = Credentials {
            api_key: &secrets.api_key,
            app_id: &app_id,
            app_secret: &secrets.app_secret,
        };
        let license = profile.license_id.to_string();
        let answer = match account_id {
            None => client.license_token(&creds, &license).await,
            Some(account) => client.account_token(&creds, &license, &account.to_string()).await,
        };
        let token = answer.inspect_err(|e| {
            // A refused secret (wrong, expired, regenerated) is refused for every token of
            // the application: none issued before may be handed out again.
            if e.is_secret_refused() {
                self.cache.forget(&key.base_url, &key.app_id);
            }
        })?;
        self.cache.put(key, &token);
        Ok(token)
    }

    fn client_for(&self, profile: &Profile, endpoint: &Endpoint) -> Result<Arc<ApiClient>> {
        self.client(endpoint, profile.token_expiry_minutes)
    }

    /// Account tokens for many accounts at once (bounded concurrency, input order kept).
    pub async fn account_tokens(
        &self,
        profile_name: &str,
        accounts: &[Uuid],
    ) -> Result<Vec<Result<AccessToken>>> {
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let endpoint = self.endpoint(&profile.environment)?;
        let secrets = self.secrets(&profile).await?;
        let client = self.client_for(&profile, &endpoint)?;
        let app_id = profile.app_id()?.to_string();
        let creds = Credentials {
            api_key: &secrets.api_key,
            app_id: &app_id,
            app_secret: &secrets.app_secret,
        };
        let ids: Vec<String> = accounts.iter().map(Uuid::to_string).collect();
        let results = client.account_tokens(&creds, &profile.license_id.to_string(), &ids).await;
        for (account, result) in accounts.iter().zip(&results) {
            let entry =
                ActivityEntry::for_profile(Action::AccountToken, &profile).with_account(*account);
            self.note(entry, result.as_ref().err());
        }
        Ok(results)
    }

    /// The license's accounts and the app's APIs, fetched live; remembered in the profile so
    /// account names can be used offline and shown before the next fetch.
    pub async fn license_accounts(&self, profile_name: &str) -> Result<LicenseAccounts> {
        let token = self.token(profile_name, None).await?;
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let endpoint = self.endpoint(&profile.environment)?;
        let secrets = self.secrets(&profile).await?;
        let accounts = self
            .client_for(&profile, &endpoint)?
            .license_accounts(&secrets.api_key, &token)
            .await?;
        let known: Vec<KnownAccount> = accounts
            .accounts
            .iter()
            .map(|a| KnownAccount {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                connector_type: a.connector_type.clone(),
                is_in_api_scope: a.is_in_api_scope,
            })
            .collect();
        let apis = accounts.apis.clone();
        self.store.update(|config| {
            config.update_profile(profile_name, |p| {
                p.known_accounts = known;
                p.granted_apis = apis;
                Ok(())
            })
        })?;
        Ok(accounts)
    }

    /// An account given by id, or by name among the license's accounts (fetched if unknown).
    pub async fn resolve_account(&self, profile_name: &str, text: &str) -> Result<Uuid> {
        if let Ok(id) = validate::account_id(text) {
            return Ok(id);
        }
        // Nothing to look up: refused before any request is made or the settings written.
        if text.trim().is_empty() {
            return Err(Error::invalid(
                "account",
                "it is empty",
                "Give the account id, or a name from `cnaccess accounts PROFILE`.",
            ));
        }
        let mut known = self.store.load()?.profile(profile_name)?.known_accounts.clone();
        if known.is_empty() {
            self.license_accounts(profile_name).await?;
            known = self.store.load()?.profile(profile_name)?.known_accounts.clone();
        }
        let wanted = text.trim().to_lowercase();
        let matches: Vec<&KnownAccount> =
            known.iter().filter(|a| a.account_name.to_lowercase() == wanted).collect();
        match matches.as_slice() {
            [one] => validate::account_id(&one.account_id),
            [] => Err(Error::invalid(
                "account",
                format!("no account of this license is named \"{}\"", text.trim()),
                "Give the account id, or a name from `cnaccess accounts PROFILE`.",
            )),
            many => Err(Error::invalid(
                "account",
                format!("{} accounts are named \"{}\"", many.len(), text.trim()),
                "Give the account id instead (see `cnaccess accounts PROFILE`).",
            )),
        }
    }

    fn record<T>(&self, entry: ActivityEntry, result: &Result<T>) {
        self.note(entry, result.as_ref().err());
    }

    fn note(&self, entry: ActivityEntry, error: Option<&Error>) {
        let entry = match error {
            None => entry,
            Some(e) => entry.failed(e),
        };
        // The log serves audits; a full disk must not turn a working token request into an
        // error, so a failed append is dropped.
        let _ = self.activity.append(&entry);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.unwrap_or(Err(Error::Cancelled))
}

/// `CLOUDNEETI_API_KEY`, checked like a typed key but in any format (pipelines know theirs).
fn env_api_key() -> Result<Option<Secret>> {
    env_secret(API_KEY_ENV)?
        .map(|v| validate::api_key(v.expose(), true).map(Secret::new))
        .transpose()
}

fn env_secret(name: &str) -> Result<Option<Secret>> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(Some(Secret::new(value))),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid(
            "environment variable",
            format!("{name} is not valid text"),
            format!("Set {name} to the value exactly as the portal shows it."),
        )),
    }
}
