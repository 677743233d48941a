//! `cnaccess`: the command-line face of Cloudneeti Access (docs/cli.md).
//!
//! What lives here: argument parsing, reading secrets from stdin or a hidden prompt, and
//! printing. What must not: HTTP, keychain or config logic (the core's), and any secret in
//! argv, in output other than the token a user asked for, or in an error.

mod cli;
mod commands;
mod context;
mod output;
mod secret_input;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before any secret is read: no core dump may hold one.
    cloudneeti_core::process::harden();
    let args = cli::Cli::parse();
    let json = args.json;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output::error(&error, json);
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}
