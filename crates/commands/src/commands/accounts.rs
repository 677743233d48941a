use crate::ipc::{IpcResult, LicenseAccountsView};
use crate::state::AppState;

pub async fn license_accounts(
    state: &AppState,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<LicenseAccountsView> {
    let accounts = state.cancellable(op_id, state.access.license_accounts(&profile)).await?;
    Ok(accounts.into())
}
