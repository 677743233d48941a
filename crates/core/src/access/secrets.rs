//! Secrets: the keychain, always changed together with the settings that record it, and
//! read for a profile's calls (the pipelines' environment variables first).

use chrono::Utc;

use super::{blocking, Access};
use crate::activity::{Action, ActivityEntry};
use crate::client::Credentials;
use crate::model::{ApiKeyMeta, Config, Profile};
use crate::vault::{BackendInfo, SecretId};
use crate::{validate, Error, Result, Secret};

/// Takes precedence over the keychain's API key, for pipelines.
pub const API_KEY_ENV: &str = "CLOUDNEETI_API_KEY";
/// Takes precedence over the keychain's application secret, for pipelines.
pub const APP_SECRET_ENV: &str = "CLOUDNEETI_APP_SECRET";

/// What a checked store found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The service gave a token with it.
    Accepted,
    /// Stored without a check, and why (nothing to check it with yet, the service out of
    /// reach).
    NotChecked(String),
}

/// A check's outcome: a refusal of the very credential being stored (`refuses_it`) stops
/// the store; any other failure (the other credential refused, the service out of reach)
/// only means "not checked".
fn checked(outcome: Result<()>, refuses_it: fn(&Error) -> bool) -> Result<Checked> {
    match outcome {
        Ok(()) => Ok(Checked::Accepted),
        Err(e) if refuses_it(&e) => Err(e),
        Err(e) => Ok(Checked::NotChecked(format!("the check could not be made: {e}"))),
    }
}

/// Where a secret in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretSource {
    Environment,
    Keychain,
}

/// The secrets a profile's calls need, and where each came from.
pub struct ProfileSecrets {
    pub api_key: Secret,
    pub api_key_source: SecretSource,
    pub app_secret: Secret,
    pub app_secret_source: SecretSource,
}

impl Access {
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
    pub(super) async fn keychain_and_settings<T>(
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
            (Error::ConfigIo { file, path, detail }, Err(undo)) => Error::ConfigIo {
                file,
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
                let mut meta = config
                    .api_key(&name)
                    .cloned()
                    .unwrap_or_else(|_| ApiKeyMeta::new(name.clone()));
                meta.stored_at = Some(Utc::now());
                config.set_api_key(meta)
            })
            .await;
        self.record(
            ActivityEntry::for_api_key(Action::ApiKeyStored, &ApiKeyMeta::new(name.clone())),
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
            .keychain_and_settings(SecretId::api_key(&meta.name), None, |config| {
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
            .keychain_and_settings(SecretId::app_secret(&existing.name), Some(secret), |config| {
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
        let api_key = match env_api_key()? {
            Some(key) => key,
            None => {
                let (vault, id) = (self.vault.clone(), SecretId::api_key(&profile.api_key));
                blocking(move || vault.require(&id)).await?
            }
        };
        self.license_token_with(profile_name, &api_key, &candidate).await?;
        self.set_app_secret(profile_name, &candidate).await
    }

    /// Stores a profile's application secret once the service has accepted it (a license
    /// token with it and the profile's key); refused, it is not stored. When it cannot be
    /// checked (no key stored yet, no application id, the service out of reach) it is stored,
    /// and the answer says why it was not checked.
    pub async fn set_app_secret_checked(
        &self,
        profile_name: &str,
        value: &Secret,
    ) -> Result<Checked> {
        let profile = self.store.load()?.profile(profile_name)?.clone();
        let candidate = Secret::new(validate::app_secret(value.expose())?.to_string());
        let checked = match (self.stored_api_key(&profile).await?, profile.app_id) {
            (None, _) => {
                Checked::NotChecked(format!("no API key \"{}\" is stored yet", profile.api_key))
            }
            (_, None) => Checked::NotChecked("the profile has no application id yet".into()),
            (Some(key), Some(_)) => {
                let outcome = self.license_token_with(profile_name, &key, &candidate).await;
                checked(outcome, Error::is_secret_refused)?
            }
        };
        self.set_app_secret(profile_name, &candidate).await?;
        Ok(checked)
    }

    /// Stores an API key once the service has accepted it, with the secret of a profile that
    /// uses it; refused, it is not stored. With no such profile (the key comes first, as the
    /// portal gives it) or the service out of reach, it is stored unchecked, saying why.
    pub async fn set_api_key_checked(
        &self,
        name: &str,
        value: &Secret,
        allow_any_format: bool,
    ) -> Result<Checked> {
        let key_name = validate::key_name(name)?;
        let candidate = Secret::new(validate::api_key(value.expose(), allow_any_format)?);
        let config = self.store.load()?;
        let secret_in_env = env_secret(APP_SECRET_ENV)?.is_some();
        let user = config
            .profiles
            .iter()
            .filter(|p| p.api_key == key_name && p.app_id.is_some())
            .find(|p| p.secret_stored_at.is_some() || secret_in_env)
            .cloned();
        let checked = match user {
            None => Checked::NotChecked(
                "no profile with a stored application secret uses this key yet".into(),
            ),
            Some(profile) => {
                let secret = self.app_secret_of(&profile).await?;
                let outcome = self.license_token_with(&profile.name, &candidate, &secret).await;
                checked(outcome, Error::is_api_key_refused)?
            }
        };
        self.set_api_key(name, &candidate, true).await?;
        Ok(checked)
    }

    /// A license token for `profile` with these credentials instead of the stored ones.
    async fn license_token_with(
        &self,
        profile_name: &str,
        api_key: &Secret,
        app_secret: &Secret,
    ) -> Result<()> {
        let session = self.session(profile_name)?;
        let profile = session.profile();
        let app_id = profile.app_id()?.to_string();
        let creds = Credentials { api_key, app_id: &app_id, app_secret };
        session.client()?.license_token(&creds, &profile.license_id.to_string()).await.map(drop)
    }

    /// The profile's API key from the environment or the keychain, if there is one.
    async fn stored_api_key(&self, profile: &Profile) -> Result<Option<Secret>> {
        if let Some(key) = env_api_key()? {
            return Ok(Some(key));
        }
        let (vault, id) = (self.vault.clone(), SecretId::api_key(&profile.api_key));
        blocking(move || vault.load(&id)).await
    }

    /// The profile's application secret (environment first), for checking another key.
    async fn app_secret_of(&self, profile: &Profile) -> Result<Secret> {
        if let Some(secret) = env_secret(APP_SECRET_ENV)? {
            return Ok(secret);
        }
        let (vault, id) = (self.vault.clone(), SecretId::app_secret(&profile.name));
        blocking(move || vault.require(&id)).await
    }

    pub async fn remove_app_secret(&self, profile: &str) -> Result<()> {
        let existing = self.store.load()?.profile(profile)?.clone();
        let result = self
            .keychain_and_settings(SecretId::app_secret(&existing.name), None, |config| {
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
