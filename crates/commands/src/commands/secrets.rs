//! Secrets go in and never come back: these commands take a value and return nothing of it.

use crate::ipc::{ApiKeyView, IpcResult};
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

pub async fn remove_api_key(state: &AppState, name: String) -> IpcResult<()> {
    Ok(state.access.remove_api_key(&name).await?)
}

pub async fn set_app_secret(state: &AppState, profile: String, value: String) -> IpcResult<()> {
    state.access.set_app_secret(&profile, &Secret::new(value)).await?;
    Ok(())
}

pub async fn remove_app_secret(state: &AppState, profile: String) -> IpcResult<()> {
    state.access.remove_app_secret(&profile).await?;
    Ok(())
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
