//! One module per subcommand; each is a few lines over the core.

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
use cloudneeti_core::Result;

pub async fn run(args: Cli) -> Result<()> {
    let mut ctx = Context::new(args.json)?;
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
