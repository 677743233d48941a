//! One module per subcommand; each is a few lines over the core and hands back its result
//! for output.rs to print (with the result's text layout next to the command).

mod accounts;
mod doctor;
mod key;
mod log;
mod profile;
mod sandbox;
mod secret;
mod token;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::output::Outcome;
use cloudneeti_core::Result;

pub async fn run(args: Cli) -> Result<Outcome> {
    let mut ctx = Context::new(!args.no_wait, crate::output::errors_as_json(&args))?;
    match args.command {
        Command::Key(cmd) => key::run(&ctx, cmd).await,
        Command::Secret(cmd) => secret::run(&ctx, cmd).await,
        Command::Profile(cmd) => profile::run(&ctx, cmd).await,
        Command::Token(args) => token::run(&mut ctx, args).await,
        Command::Accounts(args) => accounts::run(&mut ctx, &args.profile).await,
        Command::Doctor(args) => doctor::run(&mut ctx, &args.profile).await,
        Command::Log(args) => log::run(&ctx, args.limit),
        Command::Sandbox => sandbox::run(&ctx).await,
    }
}
