use crate::desktop::Question;
use crate::ipc::{IpcResult, ProfileView, Removal, SavedProfile};
use crate::state::AppState;
use cloudneeti_core::access::NewKeyHost;
use cloudneeti_core::model::ProfileForm;
use cloudneeti_core::Error;

/// A change the web view asked for that would send a stored key to a new host: the user is
/// asked in the backend's native dialog. `Some` is the change's own outcome (no question was
/// needed); `None` means the user said yes and the change is to be made again, confirmed; a
/// no is the refusal itself, which the app shows.
pub(crate) async fn confirmed_new_host<T>(
    state: &AppState,
    outcome: Result<T, Error>,
) -> IpcResult<Option<T>> {
    let (name, host, known) = match outcome {
        Err(Error::ApiKeyNewHost { name, host, known }) => {
            (name.clone(), host.clone(), known.clone())
        }
        other => return Ok(Some(other?)),
    };
    let question = Question {
        title: "Send the API key to a new host?".into(),
        message: format!(
            "The API key \"{name}\" has been sent only to {known}.\n\nThis profile would send it to {host}, and with it access to your Cloudneeti license's API.\n\nSend it there only if {host} is your organisation's Cloudneeti API."
        ),
        yes: format!("Send it to {host}"),
    };
    let desktop = state.desktop.clone();
    let yes =
        tokio::task::spawn_blocking(move || desktop.confirm(&question)).await.unwrap_or(false);
    if yes {
        Ok(None)
    } else {
        Err(Error::ApiKeyNewHost { name, host, known }.into())
    }
}

pub async fn list_profiles(state: &AppState) -> IpcResult<Vec<ProfileView>> {
    let config = state.access.config()?;
    Ok(config
        .profiles
        .iter()
        .map(|p| ProfileView::new(p, config.api_key(&p.api_key).ok().and_then(|k| k.stored_at)))
        .collect())
}

/// Creates a profile, or edits the one named `editing` (its name cannot change: the keychain
/// entry of its secret is named after it).
///
/// An edit that moves the profile to another environment or license removes its stored
/// application secret (`Access::update_profile`): the web view must not be able to send a
/// secret to a host it was not stored for, so the user stores it again (and is told so).
pub async fn save_profile(
    state: &AppState,
    input: ProfileForm,
    editing: Option<String>,
) -> IpcResult<SavedProfile> {
    let form = ProfileForm { name: editing.clone().unwrap_or_else(|| input.name.clone()), ..input };
    match editing {
        None => {
            let profile = form.validate()?;
            let added = state.access.add_profile(profile.clone(), NewKeyHost::AskFirst);
            match confirmed_new_host(state, added).await? {
                Some(()) => {}
                None => state.access.add_profile(profile, NewKeyHost::Confirmed)?,
            }
        }
        Some(name) => {
            let update = |new_host| {
                state.access.update_profile(
                    &name,
                    |p| {
                        // Checked against the profile as it is, which may keep an old token expiry.
                        let draft = form.validate_edit(p)?;
                        p.environment = draft.environment;
                        p.license_id = draft.license_id;
                        p.app_id = draft.app_id;
                        p.api_key = draft.api_key;
                        p.token_expiry_minutes = draft.token_expiry_minutes;
                        p.secret_expires_on = draft.secret_expires_on;
                        Ok(())
                    },
                    new_host,
                )
            };
            let updated =
                match confirmed_new_host(state, update(NewKeyHost::AskFirst).await).await? {
                    Some(updated) => updated,
                    None => update(NewKeyHost::Confirmed).await?,
                };
            if updated.secret_removed {
                return Ok(SavedProfile {
                    note: Some(format!(
                        "Profile \"{name}\" saved. Its application secret was removed because the environment or license changed: a secret goes only where it was stored for. Store it again for {}.",
                        updated.profile.environment
                    )),
                });
            }
        }
    }
    Ok(SavedProfile { note: None })
}

/// Asks first, in the native dialog, naming what is lost with the profile.
pub async fn delete_profile(state: &AppState, name: String) -> IpcResult<Removal> {
    let config = state.access.config()?;
    let profile = config.profile(&name)?;
    let secret = match profile.secret_stored_at {
        Some(_) => "its application secret is removed from the keychain (the portal shows a secret only once)",
        None => "it has no stored application secret",
    };
    let others = config.profiles_using_key(&profile.api_key).len().saturating_sub(1);
    let key = match others {
        0 => format!("The API key \"{}\" stays in the keychain.", profile.api_key),
        n => format!("The API key \"{}\" stays: {n} other profile(s) use it.", profile.api_key),
    };
    let question = Question {
        title: "Delete the profile?".into(),
        message: format!(
            "Profile \"{name}\" ({}, license {}) is deleted, and {secret}.\n\n{key}",
            profile.environment, profile.license_id
        ),
        yes: "Delete the profile".into(),
    };
    if !super::confirmed(state, question).await {
        return Ok(Removal { removed: false });
    }
    state.access.remove_profile(&name).await?;
    Ok(Removal { removed: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{list_profiles, set_app_secret};
    use cloudneeti_core::access::Access;
    use cloudneeti_core::{ActivityLog, ConfigStore, Vault};
    use std::sync::Arc;

    fn form(environment: &str, license: &str) -> ProfileForm {
        ProfileForm {
            name: "contoso".into(),
            environment: environment.into(),
            license_id: license.into(),
            app_id: "6fa459ea-ee8a-3ca4-894e-db77e160355e".into(),
            api_key: "main".into(),
            ..ProfileForm::default()
        }
    }

    const LICENSE: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

    /// The web view moves a profile to another host: the secret stored for the old one does
    /// not go along; the user is told to store it again.
    #[tokio::test]
    async fn moving_a_profile_elsewhere_removes_its_secret_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let access = Access::new(
            ConfigStore::open(dir.path()),
            Vault::in_memory("move-test"),
            ActivityLog::open(dir.path()),
        );
        // The user's answer in the native dialog, as the test sets it.
        let answer = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let asked = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let (a, q) = (answer.clone(), asked.clone());
        let dialogs = crate::desktop::NativeDialogs {
            save: Box::new(|_| None),
            open: Box::new(|_| None),
            confirm: Box::new(move |question| {
                q.lock().unwrap().push(question.message.clone());
                a.load(std::sync::atomic::Ordering::SeqCst)
            }),
        };
        let state =
            AppState::new(access, None, Arc::new(crate::SystemDesktop::new(dialogs))).unwrap();
        save_profile(&state, form("trial", LICENSE), None).await.unwrap();
        set_app_secret(&state, "contoso".into(), "s3cret-value-123".into()).await.unwrap();
        let key = "0123456789abcdef0123456789abcdef".to_string();
        crate::commands::set_api_key(&state, "main".into(), key, false).await.unwrap();

        let same =
            save_profile(&state, form("trial", LICENSE), Some("contoso".into())).await.unwrap();
        assert!(same.note.is_none(), "an edit that stays keeps the secret");
        assert!(list_profiles(&state).await.unwrap()[0].secret_stored_at.is_some());

        // The key has only gone to the trial service: the user is asked, and a no changes
        // nothing.
        let elsewhere = form("https://evil.example", LICENSE);
        let refused = save_profile(&state, elsewhere.clone(), Some("contoso".into())).await;
        assert_eq!(refused.err().map(|e| e.code), Some("api_key_new_host".to_string()));
        let question = asked.lock().unwrap().last().cloned().expect("the user was asked");
        assert!(
            question.contains("evil.example") && question.contains("trialapi.cloudneeti.com"),
            "{question}"
        );
        assert!(list_profiles(&state).await.unwrap()[0].secret_stored_at.is_some());

        answer.store(true, std::sync::atomic::Ordering::SeqCst);
        let moved = save_profile(&state, elsewhere, Some("contoso".into())).await.unwrap();
        let note = moved.note.expect("the user is told");
        assert!(
            note.contains("application secret was removed")
                && note.contains("https://evil.example"),
            "{note}"
        );
        assert!(list_profiles(&state).await.unwrap()[0].secret_stored_at.is_none());
        // And gone from the keychain, not only from the settings.
        let profile = state.access.config().unwrap().profile("contoso").unwrap().clone();
        let missing = state.access.secrets(&profile).await.err().expect("no secret is left");
        assert_eq!(missing.to_string(), "no application secret is stored for profile \"contoso\"");
    }
}
