use crate::ipc::{Diagnosis, IpcResult};
use crate::state::AppState;
use cloudneeti_core::doctor;

/// "Test connection": the same link-by-link diagnosis as `cnaccess doctor`.
pub async fn diagnose(
    state: &AppState,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<Diagnosis> {
    let diagnosis = doctor::diagnose(&state.access, &profile, crate::ipc::words);
    Ok(state.cancellable(op_id, diagnosis).await?)
}
