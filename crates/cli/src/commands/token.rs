use crate::cli::{TokenArgs, TokenFormat};
use crate::context::Context;
use crate::output;
use chrono::{SecondsFormat, Utc};
use cloudneeti_core::{shell, Result};
use serde::Serialize;

/// `--format json`, fields in the order a reader expects them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenJson<'a> {
    token: &'a str,
    kind: cloudneeti_core::client::TokenKind,
    license_id: &'a str,
    account_id: Option<&'a str>,
    /// Where and when it was obtained, so a pasted token can be traced to its service.
    api_url: &'a str,
    obtained_at: String,
    expires_at: Option<String>,
    seconds_left: Option<i64>,
}

pub async fn run(ctx: &mut Context, args: TokenArgs) -> Result<()> {
    let profile = ctx.profile(&args.profile).await?;
    let api_url = ctx.access.endpoint(&profile.environment)?.base.to_string();
    let account = match &args.account {
        Some(text) => Some(ctx.access.resolve_account(&args.profile, text).await?),
        None => None,
    };
    let token = ctx.access.token(&args.profile, account).await?;
    let expires_at = token.expires_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    match args.format {
        TokenFormat::Raw => println!("{}", token.value.expose()),
        TokenFormat::Json => output::json(&TokenJson {
            token: token.value.expose(),
            kind: token.kind,
            license_id: &token.license_id,
            account_id: token.account_id.as_deref(),
            api_url: &api_url,
            obtained_at: token.obtained_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            expires_at: expires_at.clone(),
            seconds_left: token.seconds_left(Utc::now()),
        }),
        TokenFormat::Env => {
            let line = if args.powershell { shell::powershell_export } else { shell::sh_export };
            println!("{}", line("CLOUDNEETI_TOKEN", token.value.expose()));
            if let Some(at) = &expires_at {
                println!("{}", line("CLOUDNEETI_TOKEN_EXPIRES_AT", at));
            }
        }
    }
    Ok(())
}
