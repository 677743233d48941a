//! Secrets go in and never come back: these commands take a value and return nothing of it.

use super::confirmed;
use crate::desktop::Question;
use crate::ipc::{ApiKeyView, CheckedView, IpcResult, Removal};
use crate::state::AppState;
use cloudneeti_core::Secret;

pub async fn list_api_keys(state: &AppState) -> IpcResult<Vec<ApiKeyView>> {
    let config = state.access.config()?;
    Ok(config
        .api_keys
        .iter()
        .map(|k| ApiKeyView {
            name: k.name.to_string(),
            stored_at: k.stored_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            used_by: config.profiles_using_key(&k.name).into_iter().map(str::to_string).collect(),
        })
        .collect())
}

pub async fn set_api_key(
    state: &AppState,
    name: String,
    value: String,
    allow_any_format: bool,
) -> IpcResult<()> {
    state.access.set_api_key(&name, &Secret::new(value), allow_any_format).await?;
    Ok(())
}

/// Asks first, in the native dialog, naming what is lost; a key still in use is refused by
/// the core without a question (there is nothing to confirm).
pub async fn remove_api_key(state: &AppState, name: String) -> IpcResult<Removal> {
    let config = state.access.config()?;
    config.api_key(&name)?;
    if config.profiles_using_key(&name).is_empty() {
        let question = Question {
            title: "Remove the API key?".into(),
            message: format!(
                "The API key \"{name}\" is removed from the keychain. To use it again you need its value from the API portal (Profile > Primary key), or from whoever gave it to you."
            ),
            yes: "Remove the key".into(),
        };
        if !confirmed(state, question).await {
            return Ok(Removal { removed: false });
        }
    }
    state.access.remove_api_key(&name).await?;
    Ok(Removal { removed: true })
}

pub async fn set_app_secret(state: &AppState, profile: String, value: String) -> IpcResult<()> {
    state.access.set_app_secret(&profile, &Secret::new(value)).await?;
    Ok(())
}

/// Asks first, in the native dialog, naming what is lost: the portal shows a secret once.
pub async fn remove_app_secret(state: &AppState, profile: String) -> IpcResult<Removal> {
    state.access.config()?.profile(&profile)?;
    let question = Question {
        title: "Remove the application secret?".into(),
        message: format!(
            "The application secret of profile \"{profile}\" is removed from the keychain, and its tokens end.\n\nThe portal shows a secret only once: unless you have it elsewhere, getting a token again needs a new secret (Configure App > Regenerate Secret Key), which stops the old one working for everyone who uses it."
        ),
        yes: "Remove the secret".into(),
    };
    if !confirmed(state, question).await {
        return Ok(Removal { removed: false });
    }
    state.access.remove_app_secret(&profile).await?;
    Ok(Removal { removed: true })
}

/// Stores the secret once the service gave a token with it. Refused, it is stored only with
/// `keep_if_refused` (the user's explicit choice, after seeing the refusal); either way the
/// answer carries the refusal (status `refused` or `keptRefused`). Cancellable.
pub async fn set_app_secret_checked(
    state: &AppState,
    profile: String,
    value: String,
    keep_if_refused: bool,
    op_id: Option<String>,
) -> IpcResult<CheckedView> {
    let value = Secret::new(value);
    let check = state.access.set_app_secret_checked(&profile, &value);
    match state.cancellable(op_id, check).await {
        Ok(checked) => Ok(checked.into()),
        Err(refusal) if refusal.is_secret_refused() => {
            if keep_if_refused {
                state.access.set_app_secret(&profile, &value).await?;
            }
            Ok(CheckedView::refused(&refusal, keep_if_refused))
        }
        Err(e) => Err(e.into()),
    }
}

/// Stores the API key once the service gave a token with it (and the secret of a profile
/// that uses it); refused, as `set_app_secret_checked`. Cancellable.
pub async fn set_api_key_checked(
    state: &AppState,
    name: String,
    value: String,
    allow_any_format: bool,
    keep_if_refused: bool,
    op_id: Option<String>,
) -> IpcResult<CheckedView> {
    let value = Secret::new(value);
    let check = state.access.set_api_key_checked(&name, &value, allow_any_format);
    match state.cancellable(op_id, check).await {
        Ok(checked) => Ok(checked.into()),
        Err(refusal) if refusal.is_api_key_refused() => {
            if keep_if_refused {
                state.access.set_api_key(&name, &value, allow_any_format).await?;
            }
            Ok(CheckedView::refused(&refusal, keep_if_refused))
        }
        Err(e) => Err(e.into()),
    }
}

/// The appendix's regenerated secret: checked against the service before it replaces the old.
pub async fn replace_app_secret_checked(
    state: &AppState,
    profile: String,
    value: String,
    op_id: Option<String>,
) -> IpcResult<()> {
    let value = Secret::new(value);
    let check = state.access.replace_app_secret_checked(&profile, &value);
    state.cancellable(op_id, check).await?;
    Ok(())
}
