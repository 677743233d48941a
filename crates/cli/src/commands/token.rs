use crate::cli::{TokenArgs, TokenFormat};
use crate::context::Context;
use crate::output;
use chrono::{SecondsFormat, Utc};
use cloudneeti_core::Result;
use serde_json::json;

pub async fn run(ctx: &mut Context, args: TokenArgs) -> Result<()> {
    ctx.profile(&args.profile).await?;
    let account = match &args.account {
        Some(text) => Some(ctx.access.resolve_account(&args.profile, text).await?),
        None => None,
    };
    let token = ctx.access.token(&args.profile, account).await?;
    let expires_at = token.expires_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    match args.format {
        TokenFormat::Raw => println!("{}", token.value.expose()),
        TokenFormat::Json => output::json(&json!({
            "token": token.value.expose(),
            "kind": token.kind,
            "licenseId": token.license_id,
            "accountId": token.account_id,
            "expiresAt": expires_at,
            "secondsLeft": token.seconds_left(Utc::now()),
        })),
        TokenFormat::Env if args.powershell => {
            println!("$env:CLOUDNEETI_TOKEN = '{}'", token.value.expose().replace('\'', "''"));
            if let Some(at) = &expires_at {
                println!("$env:CLOUDNEETI_TOKEN_EXPIRES_AT = '{at}'");
            }
        }
        TokenFormat::Env => {
            println!("export CLOUDNEETI_TOKEN='{}'", token.value.expose().replace('\'', r"'\''"));
            if let Some(at) = &expires_at {
                println!("export CLOUDNEETI_TOKEN_EXPIRES_AT='{at}'");
            }
        }
    }
    Ok(())
}
