//! Tokens stay in the backend. The UI gets a description and a handle; the value crosses
//! only through `reveal_token`, or goes to the clipboard through `copy_token`.

use crate::ipc::{CopyFormat, CopyResult, IpcResult, RevealedToken, TokenView};
use crate::state::AppState;
use cloudneeti_core::access::Fetch;
use cloudneeti_core::client::TokenKind;
use cloudneeti_core::{shell, validate, Error};
use std::time::Duration;

/// A token from the cache while it is fresh, or with `fresh` always a new one from the
/// service ("Get a fresh token", e.g. after a grant changed: grants are probably fixed in a
/// token when it is issued [assumed]).
pub async fn get_token(
    state: &AppState,
    profile: String,
    account_id: Option<String>,
    fresh: bool,
    op_id: Option<String>,
) -> IpcResult<TokenView> {
    let account = account_id.as_deref().map(validate::account_id).transpose()?;
    let session = state.access.session(&profile)?;
    let fetch = if fresh { Fetch::Fresh } else { Fetch::Cached };
    let token = state.cancellable(op_id, session.token(account, fetch)).await?;
    let view = TokenView::new(String::new(), &profile, session.endpoint().base.as_str(), &token);
    let handle = session.hold(&token)?;
    Ok(TokenView { handle, ..view })
}

/// Each token held now, described as `get_token` described it, so the Tokens view lists them
/// across navigation. Held tokens go with their profile's changes, so its address now is the
/// one the token came from.
pub async fn held_tokens(state: &AppState) -> IpcResult<Vec<TokenView>> {
    let config = state.access.config()?;
    let described = state.access.each_held_token(|handle, profile, token| {
        let environment = &config.profile(profile).ok()?.environment;
        let base = state.access.endpoint(environment).ok()?.base;
        Some(TokenView::new(handle.to_string(), profile, base.as_str(), token))
    });
    Ok(described.into_iter().flatten().collect())
}

pub async fn reveal_token(state: &AppState, handle: String) -> IpcResult<RevealedToken> {
    Ok(state.access.with_held_token(&handle, |_, token| RevealedToken {
        token: token.value.expose().to_string(),
    })?)
}

/// Puts the token (or a ready command using it) on the clipboard, and clears the clipboard
/// after the configured delay unless something else was copied meanwhile.
pub async fn copy_token(
    state: &AppState,
    handle: String,
    format: CopyFormat,
) -> IpcResult<CopyResult> {
    let text =
        state.access.with_held_token(&handle, |profile, token| -> Result<String, Error> {
            let profile = state.access.config()?.profile(profile)?.clone();
            let base = state.access.endpoint(&profile.environment)?.base;
            Ok(render(format, base.as_str(), token))
        })??;
    Ok(put_on_clipboard(state, text, "Use Reveal and copy the token by hand.")?)
}

/// The app's one way to the clipboard (the web view has none): puts `text` there and clears it
/// after the configured delay unless something else was copied meanwhile. `fallback` is the
/// hint when the clipboard cannot be used.
pub(crate) fn put_on_clipboard(
    state: &AppState,
    text: String,
    fallback: &str,
) -> Result<CopyResult, Error> {
    let delay = state.access.config()?.settings.clipboard_clear_seconds;
    state.desktop.copy(&text).map_err(|e| {
        Error::invalid("clipboard", format!("the clipboard could not be used ({e})"), fallback)
    })?;
    let desktop = state.desktop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(u64::from(delay))).await;
        desktop.clear_if_still(&text);
    });
    Ok(CopyResult { clears_in_seconds: delay })
}

/// The token alone, or a command that uses it with the API key from an environment variable,
/// so the key itself is never pasted anywhere.
fn render(format: CopyFormat, base: &str, token: &cloudneeti_core::client::AccessToken) -> String {
    let value = token.value.expose();
    let url = match (&token.kind, &token.account_id) {
        (TokenKind::Account, Some(account)) => {
            format!("{base}/audit/license/{}/account/{account}/benchmarks", token.license_id)
        }
        _ => format!("{base}/onboarding/license/{}/licenseAccounts", token.license_id),
    };
    match format {
        CopyFormat::Raw => value.to_string(),
        // Quoted by the core's one function per shell (crates/core/src/shell.rs).
        CopyFormat::Curl => shell::curl_command(&url, value),
        CopyFormat::Powershell => shell::powershell_command(&url, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudneeti_core::client::AccessToken;
    use cloudneeti_core::Secret;

    fn token(account: Option<&str>) -> AccessToken {
        AccessToken {
            value: Secret::new("tok.en.value".into()),
            kind: if account.is_some() { TokenKind::Account } else { TokenKind::License },
            license_id: "L".into(),
            account_id: account.map(str::to_string),
            obtained_at: chrono::Utc::now(),
            expires_at: None,
        }
    }

    #[test]
    fn ready_commands_use_the_token_and_take_the_key_from_the_environment() {
        let base = "https://api.example";
        assert_eq!(render(CopyFormat::Raw, base, &token(None)), "tok.en.value");
        let curl = render(CopyFormat::Curl, base, &token(None));
        assert!(
            curl.starts_with("curl -sS 'https://api.example/onboarding/license/L/licenseAccounts'")
        );
        assert!(curl.contains("Bearer tok.en.value") && curl.contains("$CLOUDNEETI_API_KEY"));
        let ps = render(CopyFormat::Powershell, base, &token(Some("A")));
        assert!(ps.contains("/audit/license/L/account/A/benchmarks"));
        assert!(ps.contains("$env:CLOUDNEETI_API_KEY"));
    }
}
