use crate::ipc::{DiagnosisView, IpcResult};
use crate::state::AppState;
use cloudneeti_core::doctor;
use tauri::State;

/// "Test connection": the same link-by-link diagnosis as `cnaccess doctor`.
#[tauri::command]
pub async fn diagnose(
    state: State<'_, AppState>,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<DiagnosisView> {
    let report = state.cancellable(op_id, doctor::diagnose(&state.access, &profile)).await?;
    Ok(report.into())
}
