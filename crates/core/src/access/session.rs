//! Tokens and calls through a [`Session`]: one profile ready to talk to its service, built
//! once per operation, so the chain "profile, endpoint, secrets, client, credentials" is
//! written here and nowhere else. Also the tokens held for a front end.

use chrono::Utc;
use serde_json::Value;
use std::sync::Arc;

use super::{Access, Endpoint, Fetch, ProfileSecrets};
use crate::activity::{Action, ActivityEntry};
use crate::client::{AccessToken, ApiClient, Credentials, LicenseAccounts, Redactor};
use crate::model::{AccountId, Profile};
use crate::text::{acts_on_display, printable};
use crate::token_cache::{CacheKey, Generation};
use crate::{token_policy, Error, Result, Secret};

/// A profile as it is saved now, with the endpoint its environment names. Secrets are read
/// only when a call needs them: a fresh token from the cache needs none.
pub struct Session<'a> {
    access: &'a Access,
    profile: Profile,
    endpoint: Endpoint,
    /// The profile's settings generation when the session was built: a token asked for
    /// under it is not kept or held once the profile has changed.
    generation: Generation,
    /// The secrets and client, read at the first call that needs them and shared by every
    /// later call of the session: a report over 200 accounts reads the keychain once.
    connected: tokio::sync::OnceCell<Connected>,
}

/// What a call to the service needs beyond the session: the secrets, read in one keychain
/// session, and the client for the endpoint.
pub(super) struct Connected {
    pub(super) secrets: ProfileSecrets,
    pub(super) client: Arc<ApiClient>,
    app_id: String,
}

impl Connected {
    pub(super) fn credentials(&self) -> Credentials<'_> {
        Credentials {
            api_key: &self.secrets.api_key,
            app_id: &self.app_id,
            app_secret: &self.secrets.app_secret,
        }
    }

    /// What cleans the service's text of this session's secrets (and `token`, when a call
    /// sent one) and of characters that act on a display, at the border, before any front
    /// end shows, stores or writes it.
    pub(super) fn scrub(&self, token: Option<&Secret>) -> Scrub {
        // The key is hex: a service may echo it in either case.
        let key = self.secrets.api_key.expose();
        let (upper, lower) = (Secret::new(key.to_uppercase()), Secret::new(key.to_lowercase()));
        let mut hidden = vec![&self.secrets.api_key, &self.secrets.app_secret, &upper, &lower];
        hidden.extend(token);
        Scrub(Redactor::new(&hidden))
    }
}

/// Service text made safe: secrets replaced (`Redactor`), then `printable`.
pub(super) struct Scrub(Redactor);

impl Scrub {
    pub(super) fn text(&self, text: &str) -> String {
        printable(&self.0.apply(text))
    }

    pub(super) fn in_place(&self, text: &mut String) {
        *text = self.text(text);
    }

    /// `e` with the service's words in it redacted of this session's secrets.
    pub(super) fn error(&self, e: Error) -> Error {
        e.map_service_text(&|text| self.0.apply(text))
    }

    /// Whether `json`, a serialised answer, is clean for display as it is: every string in
    /// it is spelled as it is (no `\\` escape: serde_json escapes every control character),
    /// holds no secret, and has no other character that acts on the display. A report's
    /// thousands of answers are then checked in one pass each instead of rebuilt string by
    /// string (docs/performance.md).
    pub(super) fn leaves_alone(&self, json: &str) -> bool {
        !json.contains('\\') && self.0.holds_none(json) && !json.chars().any(acts_on_display)
    }

    /// Every string of `value` (keys too) cleaned for display.
    pub(super) fn display_value(&self, value: &mut Value) {
        map_strings(value, &|s| self.text(s));
    }

    /// Every string of `value` (keys too) with the secrets replaced, and nothing else changed.
    pub(super) fn redact_value(&self, value: &mut Value) {
        map_strings(value, &|s| self.0.apply(s));
    }
}

fn map_strings(value: &mut Value, f: &dyn Fn(&str) -> String) {
    match value {
        Value::String(s) => *s = f(s),
        Value::Array(items) => items.iter_mut().for_each(|v| map_strings(v, f)),
        Value::Object(map) => {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(k, mut v)| {
                    map_strings(&mut v, f);
                    (f(&k), v)
                })
                .collect();
        }
        _ => {}
    }
}

impl Access {
    /// The session of `profile_name`; refused when there is no such profile or its
    /// environment cannot be reached from this program (the Sandbox outside the app or CLI).
    pub fn session(&self, profile_name: &str) -> Result<Session<'_>> {
        // Read before the settings: a change after this point bumps it and marks the session
        // as of the settings before.
        let generation = self.cache.generation(profile_name);
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let endpoint = self.endpoint(&profile.environment)?;
        Ok(Session {
            access: self,
            profile,
            endpoint,
            generation,
            connected: tokio::sync::OnceCell::new(),
        })
    }

    /// The client for a profile's endpoint: the profile's token expiry applies to tokens
    /// that do not say when they expire.
    pub(super) fn client_for(
        &self,
        profile: &Profile,
        endpoint: &Endpoint,
    ) -> Result<Arc<ApiClient>> {
        self.client(endpoint, profile.token_expiry_minutes)
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

    /// Runs `f` on every token held now, newest first, with its handle and profile's name.
    pub fn each_held_token<R>(&self, f: impl FnMut(&str, &str, &AccessToken) -> R) -> Vec<R> {
        self.cache.each_held(f)
    }

    /// A license token (no account) or an account token, from the cache while it is fresh.
    pub async fn token(
        &self,
        profile_name: &str,
        account_id: Option<AccountId>,
    ) -> Result<AccessToken> {
        self.token_from(profile_name, account_id, Fetch::Cached).await
    }

    /// As [`Access::token`], but `Fetch::Fresh` always asks the service (and keeps the new
    /// token for the next caller): a check such as Test connection must prove that the
    /// credentials work now, not that they worked when a cached token was issued.
    pub async fn token_from(
        &self,
        profile_name: &str,
        account_id: Option<AccountId>,
        fetch: Fetch,
    ) -> Result<AccessToken> {
        self.session(profile_name)?.token(account_id, fetch).await
    }

    /// Account tokens for many accounts at once (bounded concurrency, input order kept).
    pub async fn account_tokens(
        &self,
        profile_name: &str,
        accounts: &[AccountId],
    ) -> Result<Vec<Result<AccessToken>>> {
        self.session(profile_name)?.account_tokens(accounts).await
    }

    /// The license's accounts and the app's APIs, fetched live; remembered in the profile so
    /// account names can be used offline and shown before the next fetch.
    pub async fn license_accounts(&self, profile_name: &str) -> Result<LicenseAccounts> {
        self.session(profile_name)?.license_accounts().await
    }
}

impl Session<'_> {
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Holds `token` for a front end that shows it later (the app's token card); the handle
    /// names it. Held tokens go when their profile is edited or removed or its secret changes;
    /// one that arrives after such a change is refused rather than held.
    pub fn hold(&self, token: &AccessToken) -> Result<String> {
        self.access.cache.hold(&self.profile.name, token, self.generation).ok_or_else(|| {
            Error::invalid(
                "token",
                "the profile changed while the token was on its way",
                "Get a new token.",
            )
        })
    }

    /// How many calls of one operation (accounts of a report, pages) are in flight at once.
    pub(super) fn concurrency(&self) -> usize {
        self.access.options.concurrency.max(1)
    }

    /// The client for this session's endpoint; no secret is read.
    pub(super) fn client(&self) -> Result<Arc<ApiClient>> {
        self.access.client_for(&self.profile, &self.endpoint)
    }

    /// Reads the secrets and picks the client, once per session. The keychain answers from
    /// its own thread, so the client (trust store, TLS config) is built meanwhile: a cold
    /// `cnaccess token` spends most of its time on these two.
    pub(super) async fn connect(&self) -> Result<&Connected> {
        self.connected
            .get_or_try_init(|| async {
                let (secrets, client) =
                    tokio::join!(self.access.secrets(&self.profile), async { self.client() });
                Ok(Connected {
                    secrets: secrets?,
                    client: client?,
                    app_id: self.profile.app_id()?.to_string(),
                })
            })
            .await
    }

    /// The API key, for a program the user runs with it (`cnaccess exec --with-api-key`): the
    /// one way it leaves the core other than in a request header.
    pub async fn api_key(&self) -> Result<Secret> {
        Ok(Secret::new(self.connect().await?.secrets.api_key.expose().to_string()))
    }

    /// A token, logged with its outcome.
    pub async fn token(&self, account_id: Option<AccountId>, fetch: Fetch) -> Result<AccessToken> {
        let result = self.issue(account_id, fetch).await;
        self.access.record(self.entry(account_id), &result);
        result
    }

    fn entry(&self, account_id: Option<AccountId>) -> ActivityEntry {
        match account_id {
            None => ActivityEntry::for_profile(Action::LicenseToken, &self.profile),
            Some(account) => ActivityEntry::for_profile(Action::AccountToken, &self.profile)
                .with_account(account),
        }
    }

    /// A token from the cache while it is fresh (with `Fetch::Cached`), else from the service.
    async fn issue(&self, account_id: Option<AccountId>, fetch: Fetch) -> Result<AccessToken> {
        let key = CacheKey {
            profile: self.profile.name.to_string(),
            base_url: self.endpoint.base.as_str().to_string(),
            app_id: self.profile.app_id()?.to_string(),
            license_id: self.profile.license_id.to_string(),
            account_id: account_id.map(|a| a.to_string()),
        };
        let cache = &self.access.cache;
        if fetch == Fetch::Cached {
            if let Some(token) = cache.get(&key, Utc::now()) {
                return Ok(token);
            }
        }
        let connected = self.connect().await?;
        let creds = connected.credentials();
        let license = &key.license_id;
        let answer = match &key.account_id {
            None => connected.client.license_token(&creds, license).await,
            Some(account) => connected.client.account_token(&creds, license, account).await,
        };
        let token = answer.inspect_err(|e| {
            // A refused secret (wrong, expired, regenerated) is refused for every token of
            // the application: none issued before may be handed out again.
            if token_policy::ends_every_token_of_the_app(e) {
                cache.forget(&key.base_url, &key.app_id);
            }
        })?;
        cache.put(key, &token, self.generation);
        Ok(token)
    }

    /// Account tokens for many accounts at once (bounded concurrency, input order kept),
    /// each logged.
    pub async fn account_tokens(&self, accounts: &[AccountId]) -> Result<Vec<Result<AccessToken>>> {
        let connected = self.connect().await?;
        let ids: Vec<String> = accounts.iter().map(AccountId::to_string).collect();
        let license = self.profile.license_id.to_string();
        let results =
            connected.client.account_tokens(&connected.credentials(), &license, &ids).await;
        for (account, result) in accounts.iter().zip(&results) {
            self.access.note(self.entry(Some(*account)), result.as_ref().err());
        }
        Ok(results)
    }

    /// The license's accounts and the app's APIs, fetched live with a license token;
    /// remembered in the profile. The names are the service's text: they are cleaned here, at
    /// the border, of the profile's secrets (should the service echo one) and of characters
    /// that act on a display, before any front end shows or stores them.
    pub async fn license_accounts(&self) -> Result<LicenseAccounts> {
        let token = self.token(None, Fetch::Cached).await?;
        let connected = self.connect().await?;
        let mut accounts =
            connected.client.license_accounts(&connected.secrets.api_key, &token).await?;
        let scrub = connected.scrub(Some(&token.value));
        let clean = |text: &mut String| scrub.in_place(text);
        for account in &mut accounts.accounts {
            clean(&mut account.account_id);
            clean(&mut account.account_name);
            clean(&mut account.connector_type);
        }
        accounts.apis.iter_mut().for_each(clean);
        let known = accounts.accounts.clone();
        let apis = accounts.apis.clone();
        self.access.store.update(|config| {
            config.update_profile(&self.profile.name, |p| {
                p.known_accounts = known;
                p.granted_apis = apis;
                Ok(())
            })
        })?;
        Ok(accounts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of cleaning an answer: only an answer that holds nothing to clean is
    /// left as it is; anything a cleaning pass would change, or could hide a secret, is not.
    #[test]
    fn only_an_answer_with_nothing_to_clean_is_left_alone() {
        let secret = Secret::new("s3cr3t-Value+/".into());
        let scrub = Scrub(Redactor::new(&[&secret]));
        let json = |v: Value| serde_json::to_string(&v).unwrap();
        assert!(scrub.leaves_alone(&json(serde_json::json!({"name": "Zürich ✓", "passed": 3}))));
        for dirty in [
            serde_json::json!({"name": "echo s3cr3t-Value+/ back"}),
            serde_json::json!({"s3cr3t-Value+/": 1}),
            serde_json::json!({"name": "s3cr3t%2DValue%2B%2F"}),
            serde_json::json!({"name": "line\nbreak"}),
            serde_json::json!({"name": "del\u{7f}"}),
            serde_json::json!({"name": "abc\u{202E}fdp.exe"}),
        ] {
            assert!(!scrub.leaves_alone(&json(dirty.clone())), "{dirty}");
            // And the full pass does change each of them.
            let mut cleaned = dirty.clone();
            scrub.display_value(&mut cleaned);
            assert_ne!(cleaned, dirty, "{dirty}");
        }
        // An escape or a `%` that hides nothing takes the full pass too (it changes nothing).
        for spelled in [serde_json::json!({"name": "quote \" inside"}), serde_json::json!("100%")] {
            assert!(!scrub.leaves_alone(&json(spelled.clone())), "{spelled}");
        }
    }
}
