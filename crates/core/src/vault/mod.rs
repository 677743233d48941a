//! The keychain vault: where API keys and application secrets are kept between runs.
//!
//! What lives here: [`Vault`] (store / load / delete / preflight against the OS keychain),
//! [`SecretId`] (which secret, and how its keychain entry is named and labelled) and
//! [`BackendInfo`]. What must not: any other place a secret could be written (no file, no
//! environment, no cache; when no keychain works the answer is an error, never a fallback),
//! any async code (callers wrap these calls in `spawn_blocking`), any UI wording beyond the
//! entry labels a user sees in Seahorse / Keychain Access.
//!
//! Why not `keyring::Entry`: keyring 4 picks its store once per process and keeps a failure
//! for the process's life, so an app started before the keyring was unlocked (or before the
//! Secret Service was up) could never recover. The vault owns its keyring-core store instead,
//! drops it after any failure that may be transient, and opens a new one on the next call.
//!
//! Why a worker thread per call: a Secret Service call can wait on an unlock prompt for as
//! long as the user leaves it open (or forever, if the prompt is on a display nobody sees).
//! Each call runs on its own short-lived thread and the caller waits at most
//! [`DEFAULT_TIMEOUT`]; a stuck thread is abandoned together with its store.

mod errors;
mod platform;

use std::fmt;
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, MissingSecret, Result};
use crate::parsed::{KeyName, ProfileName};
use crate::secret::Secret;

use errors::Failure;

/// What to do when no keychain answers on this system ([`Error::KeychainUnavailable`]'s hint).
pub const UNAVAILABLE_FIX: &str = platform::UNAVAILABLE_FIX;

/// Keychain service name of the released app; every entry lives under it.
pub const DEFAULT_SERVICE: &str = "cloudneeti-access";

/// Environment variable that overrides the service name, so build flavours, test runs and
/// scripts never read or overwrite the user's real entries.
pub const SERVICE_ENV: &str = "CNACCESS_KEYCHAIN_SERVICE";

/// Longest wait for one keychain call. Long enough for a user to type a password into an
/// unlock prompt, short enough that a prompt nobody can see does not look like a hang.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// After this long without an answer the vault checks that the keychain is alive at all
/// (`platform::answers`, within `PING_TIMEOUT`): a frozen one is then reported at once rather
/// than at `DEFAULT_TIMEOUT`, while one showing an unlock prompt is waited for.
const ALIVE_CHECK_AFTER: Duration = Duration::from_millis(1500);
const PING_TIMEOUT: Duration = Duration::from_millis(500);

/// What [`Vault::backend_name`] says of a vault made by [`Vault::in_memory`].
pub const IN_MEMORY_BACKEND: &str = "In-memory keychain (dev host)";

/// Account name of the entry `preflight` reads (never writes) to prove the store answers.
const PREFLIGHT_ACCOUNT: &str = "preflight-check";
const PREFLIGHT_LABEL: &str = "Cloudneeti Access keychain check (never written)";

/// Which secret: one keychain entry each. Named by parsed names only, so what becomes a
/// keychain attribute (in clear text) has passed `validate`: no pasted key, no control
/// character, nothing around it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretId {
    /// A named API (subscription) key; several profiles may share it.
    ApiKey { name: KeyName },
    /// The API application secret of one profile.
    AppSecret { profile: ProfileName },
}

impl SecretId {
    pub fn api_key(name: &KeyName) -> Self {
        SecretId::ApiKey { name: name.clone() }
    }

    pub fn app_secret(profile: &ProfileName) -> Self {
        SecretId::AppSecret { profile: profile.clone() }
    }

    /// The keychain account (user) of the entry. Stable: changing it orphans stored secrets.
    pub fn account(&self) -> String {
        match self {
            SecretId::ApiKey { name } => format!("api-key:{name}"),
            SecretId::AppSecret { profile } => format!("app-secret:{profile}"),
        }
    }

    /// The label a user sees in Seahorse (Secret Service) and, as the comment, in Windows
    /// Credential Manager; Keychain Access shows the service and account instead.
    pub fn label(&self) -> String {
        match self {
            SecretId::ApiKey { name } => format!("Cloudneeti Access API key \"{name}\""),
            SecretId::AppSecret { profile } => {
                format!("Cloudneeti Access application secret for profile \"{profile}\"")
            }
        }
    }

    /// The error for "this secret should be stored but is not".
    pub fn missing(&self) -> Error {
        match self {
            SecretId::ApiKey { name } => {
                Error::SecretMissing { what: MissingSecret::ApiKey, owner: format!("\"{name}\"") }
            }
            SecretId::AppSecret { profile } => Error::SecretMissing {
                what: MissingSecret::AppSecret,
                owner: format!("profile \"{profile}\""),
            },
        }
    }
}

/// A keychain entry's bytes as a `Secret`; entries this app did not write may hold non-text.
fn text(id: &SecretId, mut bytes: Zeroizing<Vec<u8>>) -> Result<Secret> {
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Secret::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(Error::Keychain {
                backend: platform::BACKEND,
                detail: format!(
                    "the entry for {} does not hold text; delete it and store the secret again",
                    id.label()
                ),
            })
        }
    }
}

impl fmt::Display for SecretId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What `preflight` found: safe to show and to send over IPC (it holds no secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackendInfo {
    /// "Secret Service", "macOS Keychain" or "Windows Credential Manager".
    pub backend: &'static str,
    /// The keychain service name the entries are stored under.
    pub service: String,
    /// The keyring (Secret Service collection) new entries go to, where the backend has one.
    pub keyring: Option<String>,
}

/// The OS keychain, under one service name. Cheap to share: `Send + Sync`, every method
/// takes `&self` and blocks for at most the timeout.
pub struct Vault {
    service: String,
    timeout: Duration,
    // `None` until the first call, and again after any failure that may be transient.
    store: Mutex<Option<Arc<CredentialStore>>>,
    // The store of an in-memory vault, kept for its life; `None` for the OS keychain.
    in_memory: Option<Arc<CredentialStore>>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("backend", &self.backend_name())
            .field("service", &self.service)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Vault {
    /// A vault under `service`; tests pass a unique one each.
    pub fn new(service: impl Into<String>) -> Self {
        Vault {
            service: service.into(),
            timeout: DEFAULT_TIMEOUT,
            store: Mutex::new(None),
            in_memory: None,
        }
    }

    /// A vault that keeps its entries in this process's memory only (keyring-core's mock
    /// store), for the dev host that serves the browser tests: the same vault code runs, but
    /// nothing reaches the machine's keychain and everything is gone when the process ends.
    /// Never used by the app or the CLI.
    pub fn in_memory(service: impl Into<String>) -> Self {
        let store: Arc<CredentialStore> =
            keyring_core::mock::Store::new().expect("the in-memory store never fails to open");
        Vault {
            in_memory: Some(store.clone()),
            store: Mutex::new(Some(store)),
            ..Vault::new(service)
        }
    }

    /// The vault of this process: [`SERVICE_ENV`] if set and not blank, else
    /// [`DEFAULT_SERVICE`].
    pub fn from_env() -> Self {
        match std::env::var(SERVICE_ENV) {
            Ok(s) if !s.trim().is_empty() => Vault::new(s.trim()),
            _ => Vault::new(DEFAULT_SERVICE),
        }
    }

    /// Replaces [`DEFAULT_TIMEOUT`] for every later call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The keychain this build uses: "Secret Service", "macOS Keychain" or
    /// "Windows Credential Manager".
    pub fn backend_name(&self) -> &'static str {
        if self.in_memory.is_some() {
            IN_MEMORY_BACKEND
        } else {
            platform::BACKEND
        }
    }

    /// Checks that the keychain can take a secret, before the user types one in: the backend
    /// answers, and (Secret Service) a default keyring exists and is unlocked. Reads only.
    pub fn preflight(&self) -> Result<BackendInfo> {
        self.check_service()?;
        let service = self.service.clone();
        let in_memory = self.in_memory.is_some();
        let keyring = self
            .run(move |store| {
                let keyring = if in_memory { None } else { platform::probe()? };
                let entry =
                    entry_of(store, in_memory, &service, PREFLIGHT_ACCOUNT, PREFLIGHT_LABEL)?;
                match entry.get_secret() {
                    Ok(mut found) => found.zeroize(),
                    Err(keyring_core::Error::NoEntry) => {}
                    Err(e) => return Err(e),
                }
                Ok(keyring)
            })
            .map_err(|f| errors::to_error(f, "the preflight check entry"))?;
        Ok(BackendInfo { backend: self.backend_name(), service: self.service.clone(), keyring })
    }

    /// Saves `secret` as the entry of `id`, replacing any value it had.
    pub fn store(&self, id: &SecretId, secret: &Secret) -> Result<()> {
        self.check_service()?;
        if secret.is_empty() {
            return Err(Error::invalid(
                "secret",
                "is empty",
                "Paste the whole value; an empty secret is never stored.",
            ));
        }
        let service = self.service.clone();
        let account = id.account();
        let label = id.label();
        let in_memory = self.in_memory.is_some();
        // The worker outlives this call when it times out, so it gets its own copy, wiped
        // when the worker finishes.
        let value = Zeroizing::new(secret.expose().as_bytes().to_vec());
        self.run(move |store| {
            let entry = entry_of(store, in_memory, &service, &account, &label)?;
            entry.set_secret(&value)?;
            if !in_memory {
                // The secret is stored: a description that could not be added makes the entry
                // harder to recognise by hand, it loses nothing, so it does not fail the call.
                let _ = platform::describe(&entry, &account, &label);
            }
            Ok(())
        })
        .map_err(|f| errors::to_error(f, &id.label()))
    }

    /// The secret of `id`, or `None` when no entry exists. A locked Secret Service still
    /// answers `None` for an entry it does not hold (it searches locked keyrings without
    /// unlocking them); `preflight` is the call that tells "locked" up front.
    pub fn load(&self, id: &SecretId) -> Result<Option<Secret>> {
        Ok(self.load_many(std::slice::from_ref(id))?.pop().flatten())
    }

    /// Several secrets in one keychain session, in the order asked: a cold process pays for
    /// opening the session once, not once per secret.
    pub fn load_many(&self, ids: &[SecretId]) -> Result<Vec<Option<Secret>>> {
        self.check_service()?;
        let service = self.service.clone();
        let in_memory = self.in_memory.is_some();
        let entries: Vec<(String, String)> =
            ids.iter().map(|id| (id.account(), id.label())).collect();
        let found = self
            .run(move |store| {
                let mut found = Vec::with_capacity(entries.len());
                for (account, label) in &entries {
                    let entry = entry_of(store, in_memory, &service, account, label)?;
                    found.push(match entry.get_secret() {
                        Ok(bytes) => Some(Zeroizing::new(bytes)),
                        Err(keyring_core::Error::NoEntry) => None,
                        Err(e) => return Err(e),
                    });
                }
                Ok(found)
            })
            .map_err(|f| {
                let labels: Vec<String> = ids.iter().map(SecretId::label).collect();
                errors::to_error(f, &labels.join(", "))
            })?;
        ids.iter().zip(found).map(|(id, bytes)| bytes.map(|b| text(id, b)).transpose()).collect()
    }

    /// Like [`Vault::load`], but a missing entry is [`Error::SecretMissing`].
    pub fn require(&self, id: &SecretId) -> Result<Secret> {
        self.load(id)?.ok_or_else(|| id.missing())
    }

    /// Removes the entry of `id`; removing an entry that does not exist succeeds.
    pub fn delete(&self, id: &SecretId) -> Result<()> {
        self.check_service()?;
        let service = self.service.clone();
        let account = id.account();
        let label = id.label();
        let in_memory = self.in_memory.is_some();
        self.run(move |store| {
            let entry = entry_of(store, in_memory, &service, &account, &label)?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(e),
            }
        })
        .map_err(|f| errors::to_error(f, &id.label()))
    }

    fn check_service(&self) -> Result<()> {
        if self.service.trim().is_empty() {
            return Err(Error::invalid(
                "keychain service name",
                "is empty",
                format!("Unset {SERVICE_ENV} or give it a non-empty value."),
            ));
        }
        Ok(())
    }

    /// Runs `op` against the store on a worker thread, opening the store first when there is
    /// none, and waits at most the timeout.
    fn run<T, F>(&self, op: F) -> std::result::Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Arc<CredentialStore>) -> keyring_core::Result<T> + Send + 'static,
    {
        let started = std::time::Instant::now();
        let cached = self
            .in_memory
            .clone()
            .or_else(|| self.store.lock().unwrap_or_else(PoisonError::into_inner).clone());
        let (tx, rx) = mpsc::sync_channel(1);
        let worker = thread::Builder::new().name("cnaccess-keychain".into()).spawn(move || {
            let outcome = match cached.map_or_else(platform::open_store, Ok) {
                Ok(store) => {
                    let result = op(&store);
                    (Some(store), result)
                }
                Err(e) => (None, Err(e)),
            };
            // The caller may have given up (timeout); the result is then dropped here.
            let _ = tx.send(outcome);
        });
        if let Err(e) = worker {
            return Err(Failure::Worker(format!("could not start a keychain thread: {e}")));
        }
        let outcome = match rx.recv_timeout(self.timeout.min(ALIVE_CHECK_AFTER)) {
            Err(mpsc::RecvTimeoutError::Timeout) if self.timeout > ALIVE_CHECK_AFTER => {
                if alive_within(PING_TIMEOUT) == Some(false) {
                    Err(mpsc::RecvTimeoutError::Timeout)
                } else {
                    rx.recv_timeout(self.timeout - ALIVE_CHECK_AFTER)
                }
            }
            other => other,
        };
        let waited = started.elapsed();
        let mut slot = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok((store, result)) => {
                let keep = match &result {
                    Ok(_) => true,
                    Err(e) => errors::store_still_usable(e),
                };
                *slot = if keep { store } else { None };
                result.map_err(Failure::Core)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                *slot = None;
                Err(Failure::Timeout(waited))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                *slot = None;
                Err(Failure::Worker("the keychain thread stopped without an answer".into()))
            }
        }
    }
}

/// The entry of `account`, named the way the system's keychain UI shows it
/// (`platform::entry`). The in-memory store takes no modifiers: names only matter in a real
/// keychain.
fn entry_of(
    store: &Arc<CredentialStore>,
    in_memory: bool,
    service: &str,
    account: &str,
    label: &str,
) -> keyring_core::Result<Entry> {
    if in_memory {
        Entry::new_in_store(store, service, account)
    } else {
        platform::entry(store, service, account, label)
    }
}

/// `platform::answers`, given at most `limit`; `None` when it cannot tell or takes longer.
fn alive_within(limit: Duration) -> Option<bool> {
    let (tx, rx) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name("cnaccess-keychain-ping".into())
        .spawn(move || {
            let _ = tx.send(platform::answers());
        })
        .ok()?;
    match rx.recv_timeout(limit) {
        Ok(answer) => answer,
        // No answer to a ping either: not alive.
        Err(mpsc::RecvTimeoutError::Timeout) => Some(false),
        Err(mpsc::RecvTimeoutError::Disconnected) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dev host's vault: same calls, its own entries, nothing in the OS keychain.
    #[test]
    fn an_in_memory_vault_keeps_entries_for_its_life_and_apart_from_others() {
        let vault = Vault::in_memory("devhost-test");
        let other = Vault::in_memory("devhost-test");
        let id = SecretId::api_key(&"contoso".parse().unwrap());
        assert_eq!(vault.backend_name(), IN_MEMORY_BACKEND);
        assert_eq!(vault.preflight().unwrap().keyring, None);
        assert!(vault.load(&id).unwrap().is_none());
        vault.store(&id, &Secret::new("k-1".into())).unwrap();
        assert_eq!(vault.require(&id).unwrap().expose(), "k-1");
        assert!(other.load(&id).unwrap().is_none(), "each in-memory vault is its own");
        vault.delete(&id).unwrap();
        assert!(vault.load(&id).unwrap().is_none());
    }

    #[test]
    fn entry_names_and_labels_are_stable() {
        let key = SecretId::api_key(&"contoso".parse().unwrap());
        assert_eq!(key.account(), "api-key:contoso");
        assert_eq!(key.label(), "Cloudneeti Access API key \"contoso\"");
        let app = SecretId::app_secret(&"prod".parse().unwrap());
        assert_eq!(app.account(), "app-secret:prod");
        assert_eq!(app.label(), "Cloudneeti Access application secret for profile \"prod\"");
        assert_eq!(app.missing().code(), "secret_missing");
        assert_eq!(
            app.missing().to_string(),
            "no application secret is stored for profile \"prod\""
        );
    }

    #[test]
    fn vault_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Vault>();
    }
}
