//! `cnaccess api`: any data call by path, the service's JSON printed (pretty on a terminal).

use crate::cli::ApiArgs;
use crate::context::Context;
use crate::output::{self, Outcome, Output, Text};
use cloudneeti_core::access::{ApiRequest, MAX_API_BODY_BYTES};
use cloudneeti_core::{Error, Result};
use serde::Serialize;
use std::io::{IsTerminal, Read};

/// The service's answer, with the profile's secrets already replaced by the core.
#[derive(Serialize)]
#[serde(transparent)]
struct Answer(serde_json::Value);

pub async fn run(ctx: &mut Context, args: ApiArgs) -> Result<Outcome> {
    // Everything that can be refused is, before a profile, a keychain or the network is used.
    let (method, path) = match args.request.as_slice() {
        [path] => (None, path.clone()),
        [method, path] => (Some(method.clone()), path.clone()),
        _ => unreachable!("clap takes one or two"),
    };
    let fields = args.fields.iter().map(|f| field(f)).collect::<Result<Vec<_>>>()?;
    let body = args.input.as_deref().map(read_body).transpose()?;
    ctx.profile(&args.profile).await?;
    let account = match &args.account {
        Some(text) => Some(ctx.access.resolve_account(&args.profile, text).await?),
        None => None,
    };
    let request = ApiRequest { method, path, account, fields, body, paginate: args.paginate };
    let answer = ctx.access.session(&args.profile)?.api(request).await?;
    Ok(Some(Box::new(Answer(answer))))
}

fn field(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(Error::invalid(
            "--field",
            format!("{text:?} is not KEY=VALUE"),
            "Write each field as KEY=VALUE, e.g. --field benchmarkId=CSBP.",
        )),
    }
}

/// A JSON body from a file or stdin (`-`), at most `MAX_API_BODY_BYTES`.
fn read_body(path: &std::path::Path) -> Result<serde_json::Value> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        Error::invalid(
            "--input",
            format!("{name} could not be read ({e})"),
            "Give a readable JSON file, or - for stdin.",
        )
    };
    let mut bytes = Vec::new();
    let limit = MAX_API_BODY_BYTES as u64 + 1;
    if name == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes).map_err(unreadable)?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(unreadable)?;
    }
    if bytes.len() > MAX_API_BODY_BYTES {
        return Err(Error::invalid(
            "--input",
            format!("{name} is larger than {} KiB", MAX_API_BODY_BYTES / 1024),
            "API bodies are small JSON objects; check the file.",
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(
            "--input",
            format!("{name} is not JSON ({e})"),
            "Give the body as JSON, e.g. {\"accountId\": \"...\"}.",
        )
    })
}

impl Output for Answer {
    /// Pretty for a person, one line for a pipe (as `gh api`).
    fn text(&self, out: &mut Text) {
        let pretty = std::io::stdout().is_terminal();
        let mut bytes = Vec::new();
        output::write_json(&mut bytes, &self.0, pretty).expect("JSON values serialise");
        out.line(String::from_utf8_lossy(&bytes));
    }
}
