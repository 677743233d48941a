//! Reports exported from the Accounts view: the vendor scripts' audit and failed-asset CSV
//! files for every account in the application's scope, written by the backend where the user
//! chose in the host's save dialog. The web view gets no path to write to and no file-system
//! access; it sees the outcome, and the progress while the report runs.

use crate::ipc::{ExportKind, ExportView, IpcResult, ReportProgressView, WaitView};
use crate::state::AppState;
use cloudneeti_core::report::{AccountChoice, Encoding, ReportKind, ReportOutput, ReportRequest};
use cloudneeti_core::validate;

/// Asks where to save (proposing the script's file name), then writes the report there,
/// complete or not at all: a cancel (`cancel_operation(op_id)`) drops the run, and with it
/// the unfinished file. Progress is readable under `op_id` while it runs (`report_progress`).
pub async fn export_report(
    state: &AppState,
    profile: String,
    kind: ExportKind,
    benchmark_id: String,
    op_id: Option<String>,
) -> IpcResult<ExportView> {
    // Everything that can be refused without the service is refused before the dialog opens,
    // so the user never chooses a place for a report that cannot start.
    let benchmark = validate::benchmark_id(&benchmark_id)?;
    let session = state.access.session(&profile)?;
    let kind = ReportKind::from(kind);
    let Some(path) = choose_save_path(state, kind.default_file_name(Encoding::Csv)).await else {
        return Ok(ExportView::dismissed());
    };
    let output = ReportOutput::file(&path, Encoding::Csv, kind)?;
    let request = ReportRequest { kind, benchmark, accounts: AccountChoice::All };
    let tracker = state.track_progress(op_id.as_deref());
    let tell = |p| tracker.tell(p);
    let outcome = state.cancellable(op_id, session.report(&request, output, &tell)).await?;
    Ok(ExportView::new(&outcome, &path))
}

/// The host's dialog blocks until the user answers, so it waits on a blocking thread, not on
/// one of the threads every other command shares.
async fn choose_save_path(state: &AppState, suggested: String) -> Option<std::path::PathBuf> {
    let desktop = state.desktop.clone();
    match tokio::task::spawn_blocking(move || desktop.choose_save_path(&suggested)).await {
        Ok(path) => path,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // The runtime is shutting down: the app is closing, nothing is to be written.
        Err(_) => None,
    }
}

/// The wait being made for the service now (rate limit, unavailable), for any operation.
pub async fn service_wait(state: &AppState) -> IpcResult<Option<WaitView>> {
    Ok(state.service_wait().map(|(notice, left)| WaitView {
        message: notice.describe(),
        seconds_left: u32::try_from(left).unwrap_or(u32::MAX),
    }))
}

/// Where the export of `op_id` stands; absent before its first answer and after its end.
pub async fn report_progress(
    state: &AppState,
    op_id: String,
) -> IpcResult<Option<ReportProgressView>> {
    Ok(state.progress(&op_id).map(ReportProgressView::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desktop::Desktop;
    use crate::dispatch::dispatch;
    use crate::ipc::ExportStatus;
    use cloudneeti_core::access::Access;
    use cloudneeti_core::{ActivityLog, ConfigStore, Vault};
    use cloudneeti_emulator::seed::{DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_LICENSE_ID};
    use cloudneeti_emulator::{Emulator, Options};
    use serde_json::json;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};

    /// A save dialog that answers `path` and remembers what it proposed.
    struct Answers {
        path: Option<PathBuf>,
        asked: Mutex<Vec<String>>,
    }

    impl Desktop for Answers {
        fn copy(&self, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn clear_if_still(&self, _: &str) {}
        fn open(&self, _: &url::Url) -> Result<(), String> {
            Ok(())
        }
        fn choose_save_path(&self, suggested_name: &str) -> Option<PathBuf> {
            self.asked.lock().unwrap().push(suggested_name.to_string());
            self.path.clone()
        }
        fn choose_open_path(&self, _: &crate::desktop::FileFilter) -> Option<PathBuf> {
            None
        }
        fn confirm(&self, _: &crate::desktop::Question) -> bool {
            false
        }
    }

    /// The app over the demo Sandbox with a working profile `demo`, its dialog answering `path`.
    async fn app(dir: &std::path::Path, path: Option<PathBuf>) -> (AppState, Arc<Answers>) {
        let access = Access::new(
            ConfigStore::open(dir),
            Vault::in_memory("reports-test"),
            ActivityLog::open(dir),
        );
        let sandbox = Emulator::start(Options::default()).await.unwrap();
        let desktop = Arc::new(Answers { path, asked: Mutex::default() });
        let state = AppState::new(access, Some(sandbox), desktop.clone()).unwrap();
        let calls = [
            ("set_api_key", json!({"name": "k", "value": DEMO_API_KEY, "allowAnyFormat": false})),
            (
                "save_profile",
                json!({"input": {"name": "demo", "environment": "sandbox", "licenseId": DEMO_LICENSE_ID,
                    "appId": DEMO_APP_ID, "apiKey": "k", "tokenExpiryMinutes": null, "secretExpiresOn": null},
                    "editing": null}),
            ),
            ("set_app_secret", json!({"profile": "demo", "value": DEMO_APP_SECRET})),
        ];
        for (command, args) in calls {
            dispatch(&state, command, args).await.unwrap();
        }
        (state, desktop)
    }

    #[tokio::test]
    async fn an_export_writes_where_the_dialog_answered_and_lists_every_account() {
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("audit.csv");
        let (state, desktop) = app(dir.path(), Some(path.clone())).await;
        let view = export_report(
            &state,
            "demo".into(),
            ExportKind::Audit,
            "CSBP".into(),
            Some("op".into()),
        )
        .await
        .unwrap();
        assert_eq!(view.file.as_deref(), Some(path.to_str().unwrap()));
        let asked = desktop.asked.lock().unwrap().clone();
        assert!(
            asked.len() == 1 && asked[0].starts_with("audit_report-") && asked[0].ends_with(".csv"),
            "{asked:?}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().starts_with("\"Cloud Account Id\",\"Cloud Account Name\""));
        assert_eq!(lines.count() as u32, view.rows, "the rows reported are the file's");
        assert!(view.rows > 0 && view.failed == 0);
        assert!(view.accounts.iter().all(|a| a.status == ExportStatus::Success));
        assert!(!view.left_out.is_empty(), "the demo's AWS account is outside the scope");
        assert_eq!(report_progress(&state, "op".into()).await.unwrap(), None, "gone at the end");
        let left: Vec<_> =
            std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, [std::ffi::OsString::from("audit.csv")], "no temporary file stays");
    }

    #[tokio::test]
    async fn a_dismissed_dialog_writes_nothing_and_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let (state, desktop) = app(dir.path(), None).await;
        let view =
            export_report(&state, "demo".into(), ExportKind::FailedAssets, "CSBP".into(), None)
                .await
                .unwrap();
        assert!(view.file.is_none() && view.accounts.is_empty() && view.rows == 0);
        let asked = desktop.asked.lock().unwrap().clone();
        assert!(asked[0].starts_with("failed_asset-"), "{asked:?}");
    }

    /// What can be refused at once is, before the user is asked where to save.
    #[tokio::test]
    async fn a_bad_benchmark_or_profile_is_refused_before_the_dialog() {
        let dir = tempfile::tempdir().unwrap();
        let (state, desktop) = app(dir.path(), None).await;
        let bad = export_report(&state, "demo".into(), ExportKind::Audit, "no/such".into(), None);
        assert_eq!(bad.await.unwrap_err().code, "invalid_input");
        let unknown =
            export_report(&state, "nobody".into(), ExportKind::Audit, "CSBP".into(), None);
        assert_eq!(unknown.await.unwrap_err().code, "profile_not_found");
        assert!(desktop.asked.lock().unwrap().is_empty());
    }
}
