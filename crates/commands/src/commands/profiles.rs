use crate::ipc::{IpcResult, ProfileView};
use crate::state::AppState;
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
pub async fn save_profile(
    state: &AppState,
    input: ProfileForm,
    editing: Option<String>,
) -> IpcResult<()> {
    let form = ProfileForm { name: editing.clone().unwrap_or_else(|| input.name.clone()), ..input };
    match editing {
        None => state.access.add_profile(form.validate()?)?,
        Some(name) => {
            state.access.update_profile(&name, |p| {
                // Checked against the profile as it is, which may keep an old token expiry.
                let draft = form.validate_edit(p)?;
                p.environment = draft.environment;
                p.license_id = draft.license_id;
                p.app_id = draft.app_id;
                p.api_key = draft.api_key;
                p.token_expiry_minutes = draft.token_expiry_minutes;
                p.secret_expires_on = draft.secret_expires_on;
                Ok(())
            })?;
        }
    }
    Ok(())
}

pub async fn delete_profile(state: &AppState, name: String) -> IpcResult<()> {
    state.access.remove_profile(&name).await?;
    Ok(())
}
