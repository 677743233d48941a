//! The command line, as clap reads it. Flags are checked here for shape only; what they mean
//! (which profile, which keychain entry) is resolved by the commands through the core.

use crate::output::Format;
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cnaccess",
    version,
    about = "Cloudneeti API access from the command line: keys and secrets in the OS keychain, tokens on demand.",
    after_help = "Secrets are never taken from arguments: `key set` and `secret set` read stdin when it is not a terminal, else prompt without echo.\nPipelines without a keychain may set CLOUDNEETI_API_KEY and CLOUDNEETI_APP_SECRET instead."
)]
pub struct Cli {
    /// How results are printed: text (the default), json, or env (`token` only).
    // Not a default value: `--json` must be able to tell "not given" from "text"; how the
    // flags combine is decided in output.rs (`Printer::choose`).
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Short for --format json (errors as {code, message, hint} on stderr).
    #[arg(long, global = true)]
    pub json: bool,
    /// When the service asks to retry later (rate limit), fail at once, saying how long it
    /// asked for, instead of waiting (waits are announced on stderr and capped at 30 s each).
    #[arg(long, global = true)]
    pub no_wait: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Store, list and remove API keys (the portal's "Primary key").
    #[command(subcommand)]
    Key(KeyCommand),
    /// Store or remove a profile's API application secret.
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Add, list, show and remove profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Get a license token, or an account token with --account: alone (text), with its
    /// expiry (--format json), or as export lines (--format env).
    Token(TokenArgs),
    /// List the license's accounts and the APIs granted to the application.
    Accounts(ProfileArg),
    /// Check each link from keychain to license and say which one is broken.
    Doctor(ProfileArg),
    /// Show the activity log (token requests and secret changes; never a secret).
    Log(LogArgs),
    /// Set up the "sandbox" profile on the built-in emulator with its public demo credentials.
    Sandbox,
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Store an API key under NAME (default "default"), read from stdin or a hidden prompt.
    Set {
        #[arg(default_value = "default")]
        name: String,
        /// Accept a key that is not 32 hex characters, for a service that issues other formats.
        #[arg(long)]
        allow_any_key_format: bool,
    },
    /// List the stored API keys (names and dates, never values).
    List,
    /// Remove an API key from the keychain; refused while a profile uses it.
    Remove { name: String },
}

#[derive(Subcommand)]
pub enum SecretCommand {
    /// Store PROFILE's API application secret, read from stdin or a hidden prompt.
    Set { profile: String },
    /// Remove PROFILE's API application secret from the keychain.
    Remove { profile: String },
}

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// Add a profile: a license in an environment, reached through an API application.
    Add(ProfileAddArgs),
    /// List the profiles.
    List,
    /// Show one profile.
    Show { name: String },
    /// Remove a profile and its application secret.
    Remove { name: String },
}

#[derive(Args)]
pub struct ProfileAddArgs {
    pub name: String,
    /// prod, prod1, trial, sandbox, or the API's https base URL.
    #[arg(long = "env")]
    pub environment: String,
    /// License id (portal: Configurations > Features and Quotas).
    #[arg(long)]
    pub license: String,
    /// API application id (portal: Configuration > Cloudneeti API Access).
    #[arg(long)]
    pub app_id: String,
    /// Name of the stored API key this profile uses.
    #[arg(long, default_value = "default")]
    pub api_key: String,
    /// The application's Token Expiry in minutes, as chosen in the portal: 60, 240 or 1440.
    // No range here: ProfileForm::validate checks the choice, so the rule is written once.
    #[arg(long)]
    pub token_expiry: Option<u32>,
    /// The application secret's expiry date (YYYY-MM-DD), for reminders.
    #[arg(long)]
    pub secret_expires: Option<String>,
}

#[derive(Args)]
pub struct ProfileArg {
    pub profile: String,
}

#[derive(Args)]
pub struct TokenArgs {
    pub profile: String,
    /// An account id or name: get an account token instead of a license token.
    #[arg(long)]
    pub account: Option<String>,
    /// With --format env: PowerShell lines instead of sh (refused with any other format).
    #[arg(long)]
    pub powershell: bool,
}

#[derive(Args)]
pub struct LogArgs {
    /// How many of the newest entries to show.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}
