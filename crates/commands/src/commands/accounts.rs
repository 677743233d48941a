use crate::ipc::{IpcResult, LicenseAccounts};
use crate::state::AppState;

pub async fn license_accounts(
    state: &AppState,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<LicenseAccounts> {
    Ok(state.cancellable(op_id, state.access.license_accounts(&profile)).await?)
}
