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
    /// How results are printed: text (the default), json, env (`token` only), or csv
    /// (`report` only, its default; `--json --format csv` writes CSV with a JSON summary).
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
    /// Call any data API by path with the right token, and print the service's JSON (like
    /// `gh api`): `cnaccess api PROFILE /audit/license/{license}/account/{account}/benchmarks
    /// --account NAME`.
    Api(ApiArgs),
    /// Run a program with a token in its environment (CLOUDNEETI_TOKEN, CLOUDNEETI_API_URL,
    /// CLOUDNEETI_TOKEN_EXPIRES_AT, CLOUDNEETI_LICENSE_ID, CLOUDNEETI_ACCOUNT_ID) and pass its
    /// exit code through.
    Exec(ExecArgs),
    /// The benchmarks an account is assessed against.
    Benchmarks(AccountArgs),
    /// An account's health: its prerequisites, last scan and scan quota.
    Health(AccountArgs),
    /// Start a rescan of an account; with --wait, follow it until it ends.
    Rescan(RescanArgs),
    /// Where a scan job stands.
    Job(JobArgs),
    /// The API application's scope (the accounts its tokens may be for).
    #[command(subcommand)]
    Scope(ScopeCommand),
    /// Onboard a cloud account to the license (its first scan starts).
    #[command(subcommand)]
    Account(AccountCommand),
    /// The vendor scripts' reports for many accounts at once, as CSV (or JSON with --json).
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Args)]
pub struct ApiArgs {
    pub profile: String,
    /// `[METHOD] PATH`: PATH relative to the environment's API address, starting with /;
    /// {license} and {account} are filled in. METHOD defaults to GET, or POST with a body.
    #[arg(num_args = 1..=2, value_names = ["METHOD", "PATH"], required = true)]
    pub request: Vec<String>,
    /// An account id or name: send its account token (else the path's account, else a
    /// license token).
    #[arg(long)]
    pub account: Option<String>,
    /// KEY=VALUE: a query parameter of a GET, a string field of the JSON body otherwise.
    #[arg(long = "field", short = 'f', value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
    /// The JSON body, from FILE or - for stdin.
    #[arg(long, value_name = "FILE")]
    pub input: Option<std::path::PathBuf>,
    /// Follow the failed-assets paging: every page's assets in one answer.
    #[arg(long)]
    pub paginate: bool,
}

#[derive(Args)]
pub struct ExecArgs {
    pub profile: String,
    /// An account id or name: an account token instead of a license token.
    #[arg(long)]
    pub account: Option<String>,
    /// Also put the API key in the program's environment as CLOUDNEETI_API_KEY (it is left
    /// out unless asked for: most programs need only the token).
    #[arg(long)]
    pub with_api_key: bool,
    /// How long the program is expected to run, in minutes: a warning is given before it
    /// starts when the token would expire sooner.
    #[arg(long, value_name = "MINUTES")]
    pub duration: Option<u32>,
    /// The program and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Args)]
pub struct AccountArgs {
    pub profile: String,
    /// The account's id or name.
    #[arg(long)]
    pub account: String,
}

#[derive(Args)]
pub struct RescanArgs {
    #[command(flatten)]
    pub target: AccountArgs,
    /// Follow the scan until it ends (Ctrl-C stops waiting, not the scan).
    #[arg(long)]
    pub wait: bool,
    /// Seconds between two looks at the job's status while waiting.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub poll: u64,
}

#[derive(Args)]
pub struct JobArgs {
    #[command(flatten)]
    pub target: AccountArgs,
    /// The job id a rescan printed.
    pub job: String,
}

#[derive(Subcommand)]
pub enum ScopeCommand {
    /// Add an account to the API application's scope (needs License.UpdateAPIAccess).
    Add {
        profile: String,
        /// The account's id or name.
        account: String,
    },
}

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Onboard a cloud account: aws, azure or office (Microsoft 365). The Azure AD
    /// application's client secret (azure, office) is read from stdin or a hidden prompt.
    Add(AccountAddArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Cloud {
    Aws,
    Azure,
    Office,
}

#[derive(Args)]
pub struct AccountAddArgs {
    pub profile: String,
    pub cloud: Cloud,
    /// The account's name in Cloudneeti.
    #[arg(long)]
    pub name: String,
    /// aws: the 12-digit AWS account id.
    #[arg(long)]
    pub aws_account_id: Option<String>,
    /// aws: the IAM role Cloudneeti assumes.
    #[arg(long)]
    pub aws_role_name: Option<String>,
    /// azure, office: the directory's domain name.
    #[arg(long)]
    pub domain: Option<String>,
    /// azure, office: the directory (tenant) id.
    #[arg(long)]
    pub tenant_id: Option<String>,
    /// azure, office: the Azure AD application's client id.
    #[arg(long)]
    pub client_id: Option<String>,
    /// azure: the subscription id.
    #[arg(long)]
    pub subscription_id: Option<String>,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Generate-AuditReport.ps1's report: a row per policy, for every account at once.
    Audit(ReportArgs),
    /// Generate-FailedAssetReport.ps1's report: a row per failed asset, every page.
    FailedAssets(ReportArgs),
}

#[derive(Args)]
pub struct ReportArgs {
    pub profile: String,
    /// The benchmark id (as `cnaccess benchmarks` lists it).
    #[arg(long, default_value = "CSBP")]
    pub benchmark: String,
    /// `all` (every account in the application's scope) or account ids or names, comma
    /// separated.
    #[arg(long, default_value = "all")]
    pub accounts: String,
    /// Accounts asked for at once (one connection pool for all).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// The file to write (complete or not at all), or - for stdout. Default: the scripts'
    /// name, e.g. audit_report-2026-12-04-10-30-00.csv, in the current folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
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
        /// Store it without asking the service first (e.g. while its subscription waits for
        /// activation). By default a key a profile uses is checked with that profile's secret,
        /// and a refused key is not stored.
        #[arg(long)]
        no_check: bool,
    },
    /// List the stored API keys (names and dates, never values).
    List,
    /// Remove an API key from the keychain; refused while a profile uses it.
    Remove { name: String },
}

#[derive(Subcommand)]
pub enum SecretCommand {
    /// Store PROFILE's API application secret, read from stdin or a hidden prompt. It is
    /// checked first (a license token with it and the profile's API key): a refused secret is
    /// not stored.
    Set {
        profile: String,
        /// Store it without asking the service first.
        #[arg(long)]
        no_check: bool,
    },
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
    /// Print a profile for hand-off to an analyst: its settings and the API key's name, never
    /// a secret (the key and secret are handed over separately).
    Export {
        name: String,
        /// Write to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Add a profile from a hand-off (`profile export`), FILE or - for stdin; then store the
    /// API key and the secret you were given.
    Import {
        file: std::path::PathBuf,
        /// Add it under another name (when its name is taken).
        #[arg(long)]
        name: Option<String>,
        /// Let the profile send a stored API key to a host no profile sends it to yet (the
        /// file, not you, chose that host: without this flag such an import is refused).
        #[arg(long)]
        allow_new_host: bool,
    },
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
