//! Everything `cnaccess` writes. A command hands back its result; this module alone decides
//! the format (`--format`, or `--json` for short), once, before the command runs, and writes
//! the result in it on stdout. Messages for people and errors go to stderr, colour only on a
//! terminal and never when NO_COLOR is set.

use crate::cli::{Cli, Command};
use clap::ValueEnum;
use cloudneeti_core::client::{OnWait, WaitNotice};
use cloudneeti_core::error::NextStep;
use cloudneeti_core::text::printable;
use cloudneeti_core::{shell, Error, ErrorReport, Result};
use serde::Serialize;
use std::fmt::Display;
use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people; `token` prints the token alone.
    // `raw` was `token`'s own name for it before --format was global; scripts still say it.
    #[value(alias = "raw")]
    Text,
    /// One JSON value on stdout; an error as {code, message, hint} on stderr.
    Json,
    /// `token` only: lines that set CLOUDNEETI_TOKEN (sh, or PowerShell with --powershell).
    Env,
    /// `report` only, and its default: the report as CSV.
    Csv,
}

/// A command's result. Its JSON is its `Serialize` form (see [`Json`]); its text, and for
/// `token` its variables, are written here by the type itself.
pub trait Output: Json {
    fn text(&self, out: &mut Text);

    /// The variables `--format env` sets. Only `token`'s result has any: [`Printer::choose`]
    /// refuses `--format env` for every other command before it runs.
    fn variables(&self) -> Vec<(&'static str, &str)> {
        Vec::new()
    }

    /// A result that is itself a failure (`doctor`'s broken link) is printed in full, then
    /// this error gives the exit code.
    fn verdict(&self) -> Result<()> {
        Ok(())
    }

    /// The exit code of a successful run: 0, or what `exec`'s program exited with.
    fn exit_status(&self) -> u8 {
        0
    }

    /// A result with nothing to print in any format (`exec`: its program wrote its own).
    fn quiet(&self) -> bool {
        false
    }
}

/// What a command hands back: a result for stdout, or nothing (a command that only changes
/// something is quiet on success; its confirmation, if any, went to stderr through `done`).
pub type Outcome = Option<Box<dyn Output>>;

/// `Serialize` in a form a `dyn Output` can call (serde's own trait is generic, so it cannot
/// be), given to every serialisable result.
pub trait Json {
    fn write_json(&self, out: &mut dyn Write) -> serde_json::Result<()>;
}

impl<T: Serialize> Json for T {
    fn write_json(&self, out: &mut dyn Write) -> serde_json::Result<()> {
        // Written straight to stdout, so no extra copy of a token is left in memory.
        write_json(out, self, true)
    }
}

/// JSON that cannot act on a terminal: serde escapes C0 controls, and this also escapes the
/// characters it leaves as they are that a display obeys (DEL, C1 controls, bidirectional
/// overrides, zero-width characters) as `\uXXXX`. The value read back is the same.
pub fn write_json(
    out: &mut dyn Write,
    value: &impl Serialize,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let mut ser = serde_json::Serializer::with_formatter(
            out,
            DisplaySafe(serde_json::ser::PrettyFormatter::new()),
        );
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(
            out,
            DisplaySafe(serde_json::ser::CompactFormatter),
        );
        value.serialize(&mut ser)
    }
}

struct DisplaySafe<F>(F);

/// Everything as the inner formatter does it, but string contents.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
            self.0.$name(w $(, $arg)*)
        }
    )*};
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for DisplaySafe<F> {
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) =
            rest.char_indices().find(|(_, c)| cloudneeti_core::text::acts_on_display(*c))
        {
            w.write_all(&rest.as_bytes()[..at])?;
            write!(w, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
}

/// Where a result's text goes: stdout only through `Printer::print`; `new` is for a result
/// shown elsewhere (a report's summary on stderr while stdout carries the report).
pub struct Text<'a>(&'a mut dyn Write);

impl<'a> Text<'a> {
    pub fn new(out: &'a mut dyn Write) -> Text<'a> {
        Text(out)
    }

    pub fn line(&mut self, line: impl Display) {
        // A closed stdout ends the run as `println!` would; there is no one left to tell.
        writeln!(self.0, "{line}").expect("failed printing to stdout");
    }

    /// Rows of text in aligned columns. Cells often come from the service (names, grants), so
    /// each is made printable: no escape sequence reaches the terminal, no newline forges a
    /// row.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let rows: Vec<Vec<String>> =
            rows.iter().map(|row| row.iter().map(|cell| printable(cell)).collect()).collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut line = |cells: Vec<&str>| {
            let parts: Vec<String> =
                cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}", w = *w)).collect();
            self.line(parts.join("  ").trim_end());
        };
        line(header.to_vec());
        for row in &rows {
            line(row.iter().map(String::as_str).collect());
        }
    }
}

/// The format chosen for this run.
pub struct Printer {
    format: Format,
    powershell: bool,
}

impl Printer {
    /// Reads `--format`, `--json` and `--powershell` together, and refuses a combination
    /// that cannot all be honoured before the command does anything: a flag silently ignored
    /// would hand a script output it did not ask for.
    pub fn choose(cli: &Cli) -> Result<Printer> {
        let format = match (cli.format, cli.json) {
            // A report's file as CSV, its summary and errors as JSON: for scripts.
            (Some(Format::Csv), true) if matches!(cli.command, Command::Report(_)) => Format::Json,
            (Some(format), true) if format != Format::Json => {
                return Err(refused(
                    format!("--json asks for json, --format for {}", name(format)),
                    "Give one of them: --json is short for --format json.",
                ))
            }
            (Some(format), _) => format,
            (None, true) => Format::Json,
            (None, false) => Format::Text,
        };
        if cli.format == Some(Format::Csv) && !matches!(cli.command, Command::Report(_)) {
            return Err(refused(
                "--format csv is only for `cnaccess report`",
                "Use --format text or --format json with this command.",
            ));
        }
        let powershell = match &cli.command {
            Command::Token(args) => args.powershell,
            _ if format == Format::Env => {
                return Err(refused(
                    "--format env is only for `cnaccess token`",
                    "Use --format text or --format json with this command.",
                ))
            }
            _ => false,
        };
        if powershell && format != Format::Env {
            return Err(refused(
                format!("--powershell changes only --format env, not {}", name(format)),
                "Add --format env for PowerShell lines, or leave out --powershell.",
            ));
        }
        Ok(Printer { format, powershell })
    }

    /// Writes the result, if any, in the chosen format; then its verdict. Answers the exit
    /// code of a successful run.
    pub fn print(&self, outcome: Outcome) -> Result<u8> {
        let Some(result) = outcome else { return Ok(0) };
        if result.quiet() {
            return Ok(result.exit_status());
        }
        let mut stdout = std::io::stdout().lock();
        let mut text = Text(&mut stdout);
        match self.format {
            // A report's results are its summary; its rows went to the report itself.
            Format::Text | Format::Csv => result.text(&mut text),
            Format::Json => {
                result.write_json(text.0).expect("failed printing to stdout");
                text.line("");
            }
            Format::Env => {
                let export =
                    if self.powershell { shell::powershell_export } else { shell::sh_export };
                for (variable, value) in result.variables() {
                    text.line(export(variable, value));
                }
            }
        }
        result.verdict()?;
        Ok(result.exit_status())
    }
}

fn name(format: Format) -> String {
    format.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

fn refused(reason: impl Into<String>, hint: &str) -> Error {
    Error::invalid("the output format", reason, hint)
}

/// Whether errors are JSON reports: when JSON was asked for, by either flag, even if the
/// flags were refused together (a script that asked for JSON can read why).
pub fn errors_as_json(cli: &Cli) -> bool {
    cli.json || cli.format == Some(Format::Json)
}

/// Tells of each wait on stderr before it is made, in words or (with `json`) as one JSON line
/// `{"waiting": {...}}`, so neither a person nor a script is left guessing.
pub fn wait_announcer(json: bool) -> OnWait {
    OnWait(std::sync::Arc::new(move |wait: &WaitNotice| {
        if json {
            let line = serde_json::json!({ "waiting": {
                "status": wait.status, "seconds": wait.seconds, "attempt": wait.attempt,
                "of": wait.of, "maxWaitSeconds": wait.max_wait_secs,
            }});
            eprintln!("{line}");
            return;
        }
        eprintln!("{} --no-wait fails at once instead.", wait.describe());
    }))
}

/// Whether the raw arguments ask for JSON, for an argument error (no `Cli` was parsed then).
fn args_ask_for_json(args: &[std::ffi::OsString]) -> bool {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter().any(|a| *a == "--json" || *a == "--format=json")
        || args.windows(2).any(|w| w[0] == "--format" && w[1] == "json")
}

/// An argument error as the format asks: clap's own text, or with `--json` / `--format json`
/// the same {code, message, hint} as every other error. Help and version go out as clap
/// prints them.
pub fn argument_error(error: clap::Error, args: &[std::ffi::OsString]) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    let is_help = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if is_help {
        error.exit();
    }
    let (rendered, hid) = without_secret_like_arguments(&error.render().to_string(), args);
    if !args_ask_for_json(args) {
        if !hid {
            error.exit();
        }
        eprint!("{rendered}");
        return std::process::ExitCode::from(2);
    }
    // clap's first paragraph says what is wrong (a list of missing arguments follows on the
    // next lines); usage and tips come after a blank line.
    let message = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string();
    let report = ErrorReport {
        code: "invalid_input".into(),
        message: printable(&message),
        hint:
            "Check the command's arguments with `cnaccess --help` (or `cnaccess COMMAND --help`)."
                .into(),
    };
    eprintln!("{}", serde_json::to_string(&report).expect("reports serialise"));
    std::process::ExitCode::from(u8::try_from(cloudneeti_core::error::exit::INPUT).unwrap_or(2))
}

/// An argument clap refused may be a secret typed in the wrong place (`key set NAME KEY`):
/// every argument that does not look like a flag or a name is replaced in clap's text by its
/// length, and clap's tips that would repeat it are dropped. Whether anything was hidden.
fn without_secret_like_arguments(rendered: &str, args: &[std::ffi::OsString]) -> (String, bool) {
    // A flag or a name: short, plain characters, no long run of hex digits (a key is 32).
    let looks_plain = |part: &str| {
        let hex_run = part.split(|c: char| !c.is_ascii_hexdigit()).map(str::len).max().unwrap_or(0);
        part.len() <= 24
            && hex_run < 8
            && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    let mut text = rendered.to_string();
    let mut hid = false;
    for arg in args.iter().skip(1).filter_map(|a| a.to_str()) {
        for part in arg.trim_start_matches('-').split('=').filter(|p| !p.is_empty()) {
            if !looks_plain(part) && text.contains(part) {
                let shown = format!("<{} characters, not shown>", part.chars().count());
                text = text.replace(part, &shown);
                hid = true;
            }
        }
    }
    if hid {
        text = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("tip:"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
    }
    (text, hid)
}

fn color_on_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// A checked store's confirmation: accepted by the service, or stored without a check and why.
pub fn checked(stored: &str, checked: cloudneeti_core::access::Checked) {
    match checked {
        cloudneeti_core::access::Checked::Accepted => {
            done(&format!("{stored}; the service accepted it."))
        }
        cloudneeti_core::access::Checked::NotChecked(why) => {
            done(&format!("{stored}; not checked yet: {}.", printable(&why)))
        }
    }
}

/// A confirmation for people; scripts (stderr not a terminal) get silence.
pub fn done(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{message}");
    }
}

/// The CLI's words for the next steps a hint names (the app has its own, in
/// cloudneeti-commands' ipc.rs).
pub fn words(step: NextStep) -> &'static str {
    match step {
        NextStep::StoreApiKey => "Store it with `cnaccess key set NAME`.",
        NextStep::StoreAppSecret => "Store it with `cnaccess secret set PROFILE`.",
        NextStep::FindProfile => {
            "List the profiles with `cnaccess profile list`, or create one with `cnaccess profile add`."
        }
        NextStep::FindApiKey => {
            "List the stored API keys with `cnaccess key list`, or store one with `cnaccess key set NAME`."
        }
        NextStep::ListAccounts => "`cnaccess accounts PROFILE` lists the license's accounts.",
        NextStep::AllowAnyKeyFormat => {
            "If your key really has another format, repeat with --allow-any-key-format."
        }
        NextStep::AskAccountToken => "Ask for an account token with `--account ACCOUNT`.",
        NextStep::ConfirmNewKeyHost => "repeat with --allow-new-host.",
    }
}

pub fn error(error: &Error, as_json: bool) {
    if as_json {
        let report = ErrorReport::new(error, words);
        eprintln!("{}", serde_json::to_string(&report).expect("reports serialise"));
        return;
    }
    let (red, bold, reset) =
        if color_on_stderr() { ("\x1b[31m", "\x1b[1m", "\x1b[0m") } else { ("", "", "") };
    eprintln!("{red}{bold}error:{reset} {error}");
    eprintln!("{bold}what to do:{reset} {}", error.hint(words));
}
