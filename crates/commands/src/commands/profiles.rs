use crate::ipc::{IpcResult, ProfileView, SavedProfile};
use crate::state::AppState;
use cloudneeti_core::access::NewKeyHost;
use cloudneeti_core::model::ProfileForm;

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
        None => state.access.add_profile(form.validate()?, NewKeyHost::AskFirst)?,
        Some(name) => {
            let updated = state
                .access
                .update_profile(
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
                    NewKeyHost::AskFirst,
                )
                .await?;
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

pub async fn delete_profile(state: &AppState, name: String) -> IpcResult<()> {
    state.access.remove_profile(&name).await?;
    Ok(())
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
        let state =
            AppState::new(access, None, Arc::new(crate::SystemDesktop::new(Box::new(|_| None))))
                .unwrap();
        save_profile(&state, form("trial", LICENSE), None).await.unwrap();
        set_app_secret(&state, "contoso".into(), "s3cret-value-123".into()).await.unwrap();
        let key = "0123456789abcdef0123456789abcdef".to_string();
        crate::commands::set_api_key(&state, "main".into(), key, false).await.unwrap();

        let same =
            save_profile(&state, form("trial", LICENSE), Some("contoso".into())).await.unwrap();
        assert!(same.note.is_none(), "an edit that stays keeps the secret");
        assert!(list_profiles(&state).await.unwrap()[0].secret_stored_at.is_some());

        let moved =
            save_profile(&state, form("https://evil.example", LICENSE), Some("contoso".into()))
                .await
                .unwrap();
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
