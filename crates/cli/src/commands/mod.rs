//! One module per subcommand; each is a few lines over the core and hands back its result
//! for output.rs to print (with the result's text layout next to the command).

mod accounts;
mod api;
mod doctor;
mod exec;
mod key;
mod log;
mod onboard;
mod posture;
mod profile;
mod report;
mod sandbox;
mod scan;
mod scope;
mod secret;
mod token;

use crate::cli::{AccountArgs, Cli, Command};
use crate::context::Context;
use crate::output::Outcome;
use cloudneeti_core::model::AccountId;
use cloudneeti_core::report::Encoding;
use cloudneeti_core::Result;

pub async fn run(args: Cli) -> Result<Outcome> {
    let json = crate::output::errors_as_json(&args);
    let mut ctx = Context::new(!args.no_wait, json)?;
    match args.command {
        Command::Key(cmd) => key::run(&ctx, cmd).await,
        Command::Secret(cmd) => secret::run(&mut ctx, cmd).await,
        Command::Profile(cmd) => profile::run(&ctx, cmd).await,
        Command::Token(args) => token::run(&mut ctx, args).await,
        Command::Accounts(args) => accounts::run(&mut ctx, &args.profile).await,
        Command::Doctor(args) => doctor::run(&mut ctx, &args.profile).await,
        Command::Log(args) => log::run(&ctx, args.limit),
        Command::Sandbox => sandbox::run(&ctx).await,
        Command::Api(args) => api::run(&mut ctx, args).await,
        Command::Exec(args) => exec::run(&mut ctx, args).await,
        Command::Benchmarks(args) => posture::benchmarks(&mut ctx, args).await,
        Command::Health(args) => posture::health(&mut ctx, args).await,
        Command::Rescan(args) => scan::rescan(&mut ctx, args).await,
        Command::Job(args) => scan::job(&mut ctx, args).await,
        Command::Scope(cmd) => scope::run(&mut ctx, cmd).await,
        Command::Account(cmd) => onboard::run(&mut ctx, cmd).await,
        Command::Report(cmd) => {
            // CSV unless JSON was asked for and CSV was not (`--json --format csv`: a CSV
            // file with a JSON summary).
            let csv = args.format == Some(crate::output::Format::Csv);
            let encoding = if json && !csv { Encoding::Json } else { Encoding::Csv };
            report::run(&mut ctx, cmd, encoding).await
        }
    }
}

/// A checked store's outcome; when the service refused the credential, a note (on a
/// terminal) that nothing was stored and how to store it anyway.
fn refused_not_stored(
    outcome: Result<cloudneeti_core::access::Checked>,
) -> Result<cloudneeti_core::access::Checked> {
    outcome.inspect_err(|_| {
        crate::output::done("Nothing was stored. To store it anyway (you are sure it is right), repeat with --no-check.");
    })
}

/// The profile (the Sandbox started if it is on it) and the account named by id or name.
async fn account(ctx: &mut Context, args: &AccountArgs) -> Result<AccountId> {
    ctx.profile(&args.profile).await?;
    ctx.access.resolve_account(&args.profile, &args.account).await
}
