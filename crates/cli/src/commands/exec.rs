//! `cnaccess exec`: a program run with a token in its environment, its exit code passed
//! through (as `aws-vault exec`).

use crate::cli::ExecArgs;
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use chrono::{SecondsFormat, Utc};
use cloudneeti_core::access::{Fetch, API_KEY_ENV, APP_SECRET_ENV};
use cloudneeti_core::{Error, Result};
use serde::Serialize;

/// The program's exit, for `main` to exit with.
#[derive(Serialize)]
struct Exited {
    #[serde(rename = "exitCode")]
    code: u8,
}

/// A token this close to its end is worth a warning even when no duration was given.
const SHORT_MINUTES: i64 = 5;

pub async fn run(ctx: &mut Context, args: ExecArgs) -> Result<Outcome> {
    ctx.profile(&args.profile).await?;
    let account = match &args.account {
        Some(text) => Some(ctx.access.resolve_account(&args.profile, text).await?),
        None => None,
    };
    let session = ctx.access.session(&args.profile)?;
    let token = session.token(account, Fetch::Cached).await?;
    let minutes_left = token.seconds_left(Utc::now()).map(|s| s / 60);
    if let Some(left) = minutes_left {
        let wanted = args.duration.map(i64::from);
        if wanted.is_some_and(|w| w > left) || left < SHORT_MINUTES {
            let run = wanted
                .map(|w| format!(" a run of {w} minutes will outlive it, and"))
                .unwrap_or_default();
            eprintln!(
                "warning: the token expires in {left} minutes:{run} calls after that are refused (401). The application's Token Expiry (portal: Configure App) sets how long tokens last."
            );
        }
    }
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    let mut command = std::process::Command::new(program);
    command
        .args(rest)
        // The program gets what it asked for, and no secret it did not: a secret given to
        // this process in its environment is not inherited.
        .env_remove(APP_SECRET_ENV)
        .env_remove(API_KEY_ENV)
        // Set below only when this token has them: none may come stale from the caller.
        .env_remove("CLOUDNEETI_TOKEN_EXPIRES_AT")
        .env_remove("CLOUDNEETI_ACCOUNT_ID")
        .env("CLOUDNEETI_TOKEN", token.value.expose())
        .env("CLOUDNEETI_API_URL", session.endpoint().base.as_str())
        .env("CLOUDNEETI_LICENSE_ID", &token.license_id);
    if let Some(at) = token.expires_at {
        command.env("CLOUDNEETI_TOKEN_EXPIRES_AT", at.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if let Some(account) = &token.account_id {
        command.env("CLOUDNEETI_ACCOUNT_ID", account);
    }
    if args.with_api_key {
        command.env(API_KEY_ENV, session.api_key().await?.expose());
    }
    let name = program.to_string_lossy().to_string();
    // Ctrl-C reaches the program from the terminal; this process waits for it to end and
    // then exits as it did, rather than dying first.
    let ignore_interrupts = tokio::spawn(async {
        loop {
            if tokio::signal::ctrl_c().await.is_err() {
                break;
            }
        }
    });
    let status = tokio::task::spawn_blocking(move || command.status()).await;
    ignore_interrupts.abort();
    let status = status.map_err(|_| Error::Cancelled)?.map_err(|e| {
        let reason = if e.kind() == std::io::ErrorKind::NotFound {
            "it was not found".to_string()
        } else {
            e.to_string()
        };
        Error::invalid(
            "command",
            format!("{name} could not be started: {reason}"),
            "Check the program's name and your PATH.",
        )
    })?;
    Ok(Some(Box::new(Exited { code: exit_code(&status) })))
}

/// The program's code; killed by a signal, 128 + the signal, as shells report it.
fn exit_code(status: &std::process::ExitStatus) -> u8 {
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(status) {
        return u8::try_from(128 + signal).unwrap_or(u8::MAX);
    }
    // A code that does not fit a byte (Windows: 256, 0xC0000005) must not read as success.
    match status.code() {
        Some(code) => u8::try_from(code).unwrap_or(match code & 0xff {
            0 => 1,
            low => low as u8,
        }),
        None => 1,
    }
}

impl Output for Exited {
    fn text(&self, _out: &mut Text) {}

    /// The program wrote its own output; stdout is its.
    fn quiet(&self) -> bool {
        true
    }

    fn exit_status(&self) -> u8 {
        self.code
    }
}
