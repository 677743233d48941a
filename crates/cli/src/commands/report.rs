//! `cnaccess report audit|failed-assets`: the vendor scripts' reports for many accounts at
//! once, a progress bar on a terminal, the file complete or absent (also on Ctrl-C).

use crate::cli::{ReportArgs, ReportCommand};
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use cloudneeti_core::report::{
    AccountChoice, Encoding, Progress, ReportKind, ReportOutcome, ReportOutput, ReportRequest,
};
use cloudneeti_core::{validate, Error, ErrorReport, Result};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    /// Where the report went; `-` for stdout.
    file: String,
    rows: u64,
    accounts: Vec<AccountLine>,
    /// Accounts of the license outside the application's scope, not asked for.
    left_out: Vec<LeftOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountLine {
    account_id: String,
    account_name: String,
    status: &'static str,
    rows: Option<u64>,
    error: Option<ErrorReport>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LeftOut {
    account_id: String,
    account_name: String,
}

pub async fn run(ctx: &mut Context, cmd: ReportCommand, encoding: Encoding) -> Result<Outcome> {
    let (kind, args) = match cmd {
        ReportCommand::Audit(args) => (ReportKind::Audit, args),
        ReportCommand::FailedAssets(args) => (ReportKind::FailedAssets, args),
    };
    let benchmark = validate::benchmark_id(&args.benchmark)?;
    ctx.set_concurrency(usize::from(args.concurrency));
    ctx.profile(&args.profile).await?;
    let accounts = choice(ctx, &args).await?;
    let to_stdout = args.out.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let path = args.out.clone().unwrap_or_else(|| PathBuf::from(kind.default_file_name(encoding)));
    let output = if to_stdout {
        ReportOutput::stream(Box::new(std::io::stdout()), "stdout", encoding, kind)?
    } else {
        ReportOutput::file(&path, encoding, kind)?
    };
    let request = ReportRequest { kind, benchmark, accounts };
    let session = ctx.access.session(&args.profile)?;
    let bar = Bar::new();
    let show = |p| bar.show(p);
    let run = session.report(&request, output, &show);
    // Stopping drops the run, and with it the unfinished file.
    let outcome = tokio::select! {
        outcome = run => outcome,
        _ = stopped() => Err(Error::Cancelled),
    };
    bar.end();
    let outcome = outcome?;
    let file = if to_stdout { "-".to_string() } else { path.display().to_string() };
    let summary = Summary::of(&outcome, file);
    if to_stdout {
        // stdout holds the report; the summary goes where people read.
        let mut text = Vec::new();
        summary.text(&mut Text::new(&mut text));
        eprint!("{}", String::from_utf8_lossy(&text));
        summary.verdict()?;
        return Ok(None);
    }
    Ok(Some(Box::new(summary)))
}

/// Ctrl-C, or (on Unix) a hang-up or a polite kill: each stops the run, and dropping the run
/// removes the unfinished file.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (term, hup) = (signal(SignalKind::terminate()), signal(SignalKind::hangup()));
        if let (Ok(mut term), Ok(mut hup)) = (term, hup) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn choice(ctx: &mut Context, args: &ReportArgs) -> Result<AccountChoice> {
    if args.accounts.trim().eq_ignore_ascii_case("all") {
        return Ok(AccountChoice::All);
    }
    let mut ids = Vec::new();
    for part in args.accounts.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let id = ctx.access.resolve_account(&args.profile, part).await?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(Error::invalid(
            "--accounts",
            "it names no account",
            "Give all, or account ids or names separated by commas.",
        ));
    }
    Ok(AccountChoice::These(ids))
}

impl Summary {
    fn of(outcome: &ReportOutcome, file: String) -> Summary {
        let accounts = outcome
            .accounts
            .iter()
            .map(|a| AccountLine {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                status: if a.result.is_ok() { "Success" } else { "Failed" },
                rows: a.result.as_ref().ok().copied(),
                error: a.result.as_ref().err().map(|e| ErrorReport::new(e, crate::output::words)),
            })
            .collect();
        let left_out = outcome
            .left_out
            .iter()
            .map(|a| LeftOut {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
            })
            .collect();
        Summary { file, rows: outcome.rows, accounts, left_out }
    }
}

impl Output for Summary {
    fn text(&self, out: &mut Text) {
        let failed: Vec<&AccountLine> =
            self.accounts.iter().filter(|a| a.error.is_some()).collect();
        let ok = self.accounts.len() - failed.len();
        let place = if self.file == "-" { "stdout".to_string() } else { self.file.clone() };
        out.line(format!(
            "{} rows from {ok} of {} accounts written to {place}.",
            self.rows,
            self.accounts.len()
        ));
        if !failed.is_empty() {
            out.line("");
            let rows: Vec<Vec<String>> = failed
                .iter()
                .map(|a| {
                    let e = a.error.as_ref().expect("failed lines have one");
                    vec![
                        a.account_id.clone(),
                        a.account_name.clone(),
                        e.message.clone(),
                        e.hint.clone(),
                    ]
                })
                .collect();
            out.table(&["FAILED ACCOUNT", "NAME", "WHY", "WHAT TO DO"], &rows);
        }
        if !self.left_out.is_empty() {
            let names: Vec<String> = self
                .left_out
                .iter()
                .map(|a| format!("{} ({})", a.account_name, a.account_id))
                .collect();
            out.line("");
            out.line(cloudneeti_core::text::printable(&format!(
                "Left out, outside the API application's scope: {}. To include them: portal > Configuration > Cloudneeti API Access > Configure App > Cloud Accounts, or `cnaccess scope add PROFILE ACCOUNT`.",
                names.join(", ")
            )));
        }
    }

    fn verdict(&self) -> Result<()> {
        let failed = self.accounts.iter().filter(|a| a.error.is_some()).count();
        if failed > 0 {
            return Err(Error::ReportPartial { failed, total: self.accounts.len() });
        }
        Ok(())
    }
}

/// A progress bar on stderr when it is a terminal; nothing otherwise.
struct Bar {
    live: bool,
}

impl Bar {
    fn new() -> Bar {
        Bar { live: std::io::stderr().is_terminal() }
    }

    fn show(&self, p: Progress) {
        if !self.live || p.total == 0 {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * p.done / p.total;
        let failed = if p.failed > 0 { format!(", {} failed", p.failed) } else { String::new() };
        eprint!(
            "\r\x1b[2K[{}{}] {}/{} accounts{failed}, {} rows",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            p.done,
            p.total,
            p.rows
        );
        let _ = std::io::stderr().flush();
    }

    fn end(&self) {
        if self.live {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}
