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
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args = match cli::Cli::try_parse_from(&raw) {
        Ok(args) => args,
        Err(error) => return output::argument_error(error, &raw),
    };
    let json_errors = output::errors_as_json(&args);
    let printer = match output::Printer::choose(&args) {
        Ok(printer) => printer,
        Err(error) => return failed(&error, json_errors),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(args)).and_then(|outcome| printer.print(outcome)) {
        Ok(status) => ExitCode::from(status),
        Err(error) => failed(&error, json_errors),
    }
}

fn failed(error: &cloudneeti_core::Error, json: bool) -> ExitCode {
    output::error(error, json);
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
}
