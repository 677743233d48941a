//! `cnaccess rescan [--wait]` and `cnaccess job`: start a scan, and follow it.

use crate::cli::{JobArgs, RescanArgs};
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::client::JobState;
use cloudneeti_core::model::{AccountId, JobId};
use cloudneeti_core::{validate, Error, Result};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    account_id: String,
    job_id: String,
    /// Pending, New, Running, Success or Failed; `None` right after the start.
    job_status: Option<String>,
    #[serde(skip)]
    failed: bool,
}

impl Job {
    fn of(account: AccountId, job: &JobId, state: Option<&JobState>) -> Job {
        Job {
            account_id: account.to_string(),
            job_id: job.to_string(),
            job_status: state.map(|s| s.job_status.clone()),
            failed: state.is_some_and(JobState::is_failed),
        }
    }
}

pub async fn rescan(ctx: &mut Context, args: RescanArgs) -> Result<Outcome> {
    let account = super::account(ctx, &args.target).await?;
    let session = ctx.access.session(&args.target.profile)?;
    let started = session.rescan(account).await?;
    let job = validate::job_id(&started.job_id)?;
    if !args.wait {
        return Ok(Some(Box::new(Job::of(account, &job, None))));
    }
    let profile = args.target.profile.clone();
    let follow = follow(&session, account, &job, Duration::from_secs(args.poll));
    let status = tokio::select! {
        status = follow => status?,
        _ = tokio::signal::ctrl_c() => {
            end_line();
            eprintln!("Stopped waiting; the scan goes on. Look again with `cnaccess job {profile} --account {account} {job}`.");
            return Err(Error::Cancelled);
        }
    };
    Ok(Some(Box::new(Job::of(account, &job, Some(&status)))))
}

pub async fn job(ctx: &mut Context, args: JobArgs) -> Result<Outcome> {
    let job = validate::job_id(&args.job)?;
    let account = super::account(ctx, &args.target).await?;
    let state = ctx.access.session(&args.target.profile)?.job_status(account, &job).await?;
    Ok(Some(Box::new(Job::of(account, &job, Some(&state)))))
}

/// Polls the job until it ends, with its status on stderr: one line redrawn on a terminal,
/// a line per change otherwise.
async fn follow(
    session: &cloudneeti_core::access::Session<'_>,
    account: AccountId,
    job: &JobId,
    every: Duration,
) -> Result<JobState> {
    let started = Instant::now();
    let live = std::io::stderr().is_terminal();
    let mut last = String::new();
    loop {
        let state = session.job_status(account, job).await?;
        let status = state.job_status.clone();
        let elapsed = started.elapsed().as_secs();
        if live {
            eprint!("\r\x1b[2KScan {job}: {status} ({}m {:02}s)", elapsed / 60, elapsed % 60);
            let _ = std::io::stderr().flush();
        } else if status != last {
            eprintln!("Scan {job}: {status}");
        }
        last = status;
        if state.is_finished() {
            if live {
                eprintln!();
            }
            return Ok(state);
        }
        tokio::time::sleep(every).await;
    }
}

fn end_line() {
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
}

impl Output for Job {
    fn text(&self, out: &mut Text) {
        match &self.job_status {
            None => out.line(format!("Scan started: job {}. Follow it with --wait, or `cnaccess job PROFILE --account {} {}`.", self.job_id, self.account_id, self.job_id)),
            Some(status) => out.line(format!("Scan {}: {status}", self.job_id)),
        }
    }

    fn verdict(&self) -> Result<()> {
        match self.failed {
            true => Err(Error::ScanFailed { job_id: self.job_id.clone() }),
            false => Ok(()),
        }
    }
}
