//! The license's accounts and the Accounts view: an account's health, its benchmarks, a
//! benchmark's summary, and rescans. Each call takes the account token it needs through a
//! session of the profile; ids are parsed by the core, which words a refusal.

use crate::ipc::{
    BenchmarkView, HealthView, IpcResult, JobView, LicenseAccounts, RescanView, SummaryView,
};
use crate::state::AppState;
use cloudneeti_core::validate;

pub async fn license_accounts(
    state: &AppState,
    profile: String,
    op_id: Option<String>,
) -> IpcResult<LicenseAccounts> {
    Ok(state.cancellable(op_id, state.access.license_accounts(&profile)).await?)
}

pub async fn account_health(
    state: &AppState,
    profile: String,
    account_id: String,
    op_id: Option<String>,
) -> IpcResult<HealthView> {
    let account = validate::account_id(&account_id)?;
    let session = state.access.session(&profile)?;
    Ok(HealthView::from(&state.cancellable(op_id, session.health(account)).await?))
}

pub async fn account_benchmarks(
    state: &AppState,
    profile: String,
    account_id: String,
    op_id: Option<String>,
) -> IpcResult<Vec<BenchmarkView>> {
    let account = validate::account_id(&account_id)?;
    let session = state.access.session(&profile)?;
    let benchmarks = state.cancellable(op_id, session.benchmarks(account)).await?;
    Ok(benchmarks.iter().map(BenchmarkView::from).collect())
}

/// Of the last successful scan, or of `job_id` (a rescan that ended in Success).
pub async fn benchmark_summary(
    state: &AppState,
    profile: String,
    account_id: String,
    benchmark_id: String,
    job_id: Option<String>,
    op_id: Option<String>,
) -> IpcResult<SummaryView> {
    let account = validate::account_id(&account_id)?;
    let benchmark = validate::benchmark_id(&benchmark_id)?;
    let job = job_id.as_deref().map(validate::job_id).transpose()?;
    let session = state.access.session(&profile)?;
    let summary = session.summary(account, &benchmark, job.as_ref());
    Ok(SummaryView::from(&state.cancellable(op_id, summary).await?))
}

pub async fn rescan_account(
    state: &AppState,
    profile: String,
    account_id: String,
) -> IpcResult<RescanView> {
    let account = validate::account_id(&account_id)?;
    let started = state.access.session(&profile)?.rescan(account).await?;
    Ok(RescanView { job_id: started.job_id })
}

pub async fn job_status(
    state: &AppState,
    profile: String,
    account_id: String,
    job_id: String,
) -> IpcResult<JobView> {
    let account = validate::account_id(&account_id)?;
    let job = validate::job_id(&job_id)?;
    let job_state = state.access.session(&profile)?.job_status(account, &job).await?;
    Ok(JobView::new(job.as_str(), &job_state))
}
