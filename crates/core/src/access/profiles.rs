//! Profiles and settings: what is saved in the settings file, checked before it is written;
//! and which account of a profile's license a user means.

use super::Access;
use crate::activity::{Action, ActivityEntry};
use crate::error::NextStep;
use crate::model::{AccountId, ApiKeyMeta, Config, KnownAccount, Profile, Settings};
use crate::vault::SecretId;
use crate::{validate, Error, Result};

/// Whether a profile may send its API key to a host the key has not been sent to before.
///
/// A key is shared by name between profiles. The app's web view can create and edit
/// profiles, so a page that went wrong could point a profile that names a stored key at a
/// host of its choosing; the next token request would send the key there. So a new host for
/// a key that profiles already send elsewhere must be confirmed by the user outside the web
/// view: the CLI's user typed the command (`Confirmed`); the app asks in a dialog the backend
/// shows, then repeats the change as `Confirmed`. A key no profile uses yet may go anywhere:
/// its first use is the user's own set-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKeyHost {
    Confirmed,
    AskFirst,
}

/// A profile after an edit, and whether the edit removed its application secret (it moved to
/// another environment or license).
pub struct UpdatedProfile {
    pub profile: Profile,
    pub secret_removed: bool,
}

impl Access {
    /// Saves the preferences after checking them ([`Settings::check`]).
    pub fn save_settings(&self, settings: Settings) -> Result<()> {
        settings.check()?;
        self.store.update(|config| {
            config.settings = settings;
            Ok(())
        })
    }

    pub fn add_profile(&self, profile: Profile, new_host: NewKeyHost) -> Result<()> {
        // The API key may come later: the portal gives the app secret first (walkthrough step 1)
        // and the key only after the subscription is activated (step 2), and pipelines give it
        // in CLOUDNEETI_API_KEY. A key name not known yet is recorded as not stored.
        let result = self.store.update(|config| {
            if config.api_key(&profile.api_key).is_err() {
                config.set_api_key(ApiKeyMeta::new(profile.api_key.clone()))?;
            }
            check_key_host(config, &profile, new_host)?;
            config.add_profile(profile.clone())
        });
        self.record(ActivityEntry::for_profile(Action::ProfileAdded, &profile), &result);
        result
    }

    /// Changes a profile's settings; tokens of its previous settings are forgotten.
    ///
    /// An edit that moves the profile to another environment or license removes its stored
    /// application secret in the same step (the keychain entry first, put back if the settings
    /// cannot be written), so there is no moment in which the new host and the old secret go
    /// together: the secret was stored for the old place, and is stored again for the new one.
    pub async fn update_profile(
        &self,
        name: &str,
        change: impl Fn(&mut Profile) -> Result<()>,
        new_host: NewKeyHost,
    ) -> Result<UpdatedProfile> {
        let before = self.store.load()?.profile(name)?.clone();
        let mut draft = before.clone();
        change(&mut draft)?;
        let moved =
            draft.environment != before.environment || draft.license_id != before.license_id;
        let secret_removed = moved && before.secret_stored_at.is_some();
        let apply = |config: &mut Config| {
            check_key_host(config, &draft, new_host)?;
            config.update_profile(name, |p| {
                change(p)?;
                if secret_removed {
                    p.secret_stored_at = None;
                }
                Ok(p.clone())
            })
        };
        let result = if secret_removed {
            self.keychain_and_settings(SecretId::app_secret(&before.name), None, apply).await
        } else {
            self.store.update(apply)
        };
        if let Ok(after) = &result {
            self.forget_tokens(&before);
            self.record(ActivityEntry::for_profile(Action::ProfileUpdated, after), &Ok(()));
        }
        result.map(|profile| UpdatedProfile { profile, secret_removed })
    }

    /// Removes a profile and its application secret from the keychain.
    pub async fn remove_profile(&self, name: &str) -> Result<()> {
        let profile = self.store.load()?.profile(name)?.clone();
        let result = self
            .keychain_and_settings(SecretId::app_secret(&profile.name), None, |config| {
                config.remove_profile(name).map(drop)
            })
            .await;
        self.forget_tokens(&profile);
        self.record(ActivityEntry::for_profile(Action::ProfileRemoved, &profile), &result);
        result
    }

    pub(super) fn forget_tokens(&self, profile: &Profile) {
        self.cache.release(&profile.name);
        if let Ok(endpoint) = self.endpoint(&profile.environment) {
            if let Some(app_id) = profile.app_id {
                self.cache.forget(endpoint.base.as_str(), &app_id.to_string());
            }
        }
    }

    /// An account given by id, or by name among the license's accounts (fetched if unknown).
    pub async fn resolve_account(&self, profile_name: &str, text: &str) -> Result<AccountId> {
        if let Ok(id) = validate::account_id(text) {
            return Ok(id);
        }
        // Nothing to look up: refused before any request is made or the settings written.
        if text.trim().is_empty() {
            return Err(Error::invalid(
                "account",
                "it is empty",
                "Give the account id, or the name of one of the license's accounts.",
            )
            .with_step(NextStep::ListAccounts));
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
                "Give the account id, or the name of one of the license's accounts.",
            )
            .with_step(NextStep::ListAccounts)),
            many => Err(Error::invalid(
                "account",
                format!("{} accounts are named \"{}\"", many.len(), text.trim()),
                "Give the account id instead.",
            )
            .with_step(NextStep::ListAccounts)),
        }
    }
}

/// Where a profile's environment sends the API key: the API's host (and port), or the
/// built-in Sandbox.
fn receiver(environment: &crate::model::Environment) -> String {
    let host = environment.base_url().and_then(|u| url::Url::parse(u).ok()).and_then(|u| {
        let host = u.host_str()?.to_string();
        Some(u.port().map_or(host.clone(), |p| format!("{host}:{p}")))
    });
    host.unwrap_or_else(|| "the built-in Sandbox".into())
}

/// Refuses, unless confirmed, to send `profile`'s key to a receiver no profile using that key
/// sends it to today (the edited profile's own previous environment included).
fn check_key_host(config: &Config, profile: &Profile, new_host: NewKeyHost) -> Result<()> {
    if new_host == NewKeyHost::Confirmed {
        return Ok(());
    }
    let mut known: Vec<String> = config
        .profiles
        .iter()
        .filter(|p| p.api_key == profile.api_key)
        .map(|p| receiver(&p.environment))
        .collect();
    known.sort();
    known.dedup();
    let host = receiver(&profile.environment);
    if known.contains(&host) {
        return Ok(());
    }
    // A key no profile uses yet: its first use is the user's own set-up, unless the key is
    // stored already and the host is not one of Cloudneeti's own (a profile from elsewhere,
    // an imported file, pointing a stored key at an address of its choosing).
    let stored = config.api_key(&profile.api_key).is_ok_and(|k| k.stored_at.is_some());
    let cloudneeti = !matches!(profile.environment, crate::model::Environment::Custom { .. });
    if known.is_empty() && (!stored || cloudneeti) {
        return Ok(());
    }
    if known.is_empty() {
        known.push("nowhere yet (it is stored, and no profile uses it)".into());
    }
    Err(Error::ApiKeyNewHost { name: profile.api_key.to_string(), host, known: known.join(", ") })
}
