use crate::cli::TokenArgs;
use crate::context::Context;
use crate::output::{Outcome, Output, Text};
use chrono::{SecondsFormat, Utc};
use cloudneeti_core::access::Fetch;
use cloudneeti_core::client::TokenKind;
use cloudneeti_core::{Result, Secret};
use serde::{Serialize, Serializer};

/// The token a user asked for, the one secret-derived value `cnaccess` prints: alone (text),
/// in the field `token` (json) or in CLOUDNEETI_TOKEN (env). The JSON fields are in the order
/// a reader expects them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    #[serde(serialize_with = "expose")]
    token: Secret,
    kind: TokenKind,
    license_id: String,
    account_id: Option<String>,
    /// Where and when it was obtained, so a pasted token can be traced to its service.
    api_url: String,
    obtained_at: String,
    expires_at: Option<String>,
    seconds_left: Option<i64>,
}

/// `Secret` refuses to serialise so that no secret reaches JSON by accident; this field is
/// the one place it is meant to.
fn expose<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

pub async fn run(ctx: &mut Context, args: TokenArgs) -> Result<Outcome> {
    ctx.profile(&args.profile).await?;
    let account = match &args.account {
        Some(text) => Some(ctx.access.resolve_account(&args.profile, text).await?),
        None => None,
    };
    let session = ctx.access.session(&args.profile)?;
    let api_url = session.endpoint().base.to_string();
    let token = session.token(account, Fetch::Cached).await?;
    let rfc3339 = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(Some(Box::new(Token {
        seconds_left: token.seconds_left(Utc::now()),
        expires_at: token.expires_at.map(rfc3339),
        obtained_at: rfc3339(token.obtained_at),
        kind: token.kind,
        license_id: token.license_id,
        account_id: token.account_id,
        api_url,
        token: token.value,
    })))
}

impl Output for Token {
    fn text(&self, out: &mut Text) {
        out.line(self.token.expose());
    }

    fn variables(&self) -> Vec<(&'static str, &str)> {
        let mut variables = vec![("CLOUDNEETI_TOKEN", self.token.expose())];
        variables.extend(self.expires_at.as_deref().map(|at| ("CLOUDNEETI_TOKEN_EXPIRES_AT", at)));
        variables
    }
}
