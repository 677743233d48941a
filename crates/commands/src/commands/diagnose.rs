use crate::ipc::{DiagnosisView, IpcResult};
use crate::state::AppState;
use cloudneeti_core::doctor;

/// "Test connection": the same link-by-link diagnosis as `cnaccess doctor`.
pub async fn diagnose(
    state: &AppState,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<DiagnosisView> {
    let report = state.cancellable(op_id, doctor::diagnose(&state.access, &profile)).await?;
    Ok(report.into())
}
