//! The link-by-link diagnosis of a profile (`cnaccess doctor`, the app's "Test connection").
//!
//! Links are checked in the order a token request depends on them; the first broken one is
//! named with what to do in the portal, and the links after it are reported as not checked,
//! because their outcome would say nothing.

use chrono::Utc;
use serde::Serialize;

use crate::access::{Access, Fetch, SecretSource};
use crate::error::{Said, Words};
use crate::model::SECRET_EXPIRY_WARNING_DAYS;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CheckStatus"))]
pub enum Status {
    Ok,
    Warning,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CheckView"))]
pub struct Check {
    /// Stable id, e.g. `api_key_accepted`.
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub detail: String,
    /// What to do when the link is broken or shaky; empty when it is fine.
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DiagnosisView"))]
pub struct Report {
    pub profile: String,
    pub checks: Vec<Check>,
}

impl Report {
    /// The first failed link, if any.
    pub fn broken(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == Status::Failed)
    }
}

/// The links, in order.
const LINKS: &[(&str, &str)] = &[
    ("keychain", "Keychain reachable"),
    ("secrets", "API key and application secret present"),
    ("endpoint", "Service reachable"),
    ("api_key_accepted", "API key accepted"),
    ("app_accepted", "Application id and secret accepted"),
    ("license_known", "License known"),
    ("accounts_in_scope", "Accounts in the application's scope"),
    ("secret_expiry", "Application secret not about to expire"),
];

struct Builder {
    checks: Vec<Check>,
    /// How the front end that asked words its next steps.
    words: Words,
}

impl Builder {
    fn push(&mut self, status: Status, detail: impl Into<String>, fix: impl Into<String>) {
        let (id, title) = LINKS[self.checks.len()];
        self.checks.push(Check { id, title, status, detail: detail.into(), fix: fix.into() });
    }

    fn fail(&mut self, error: &Error) {
        self.push(Status::Failed, error.to_string(), error.hint(self.words));
    }

    fn ok(&mut self, detail: impl Into<String>) {
        self.push(Status::Ok, detail, "");
    }

    fn skip_rest(mut self, profile: &str) -> Report {
        while self.checks.len() < LINKS.len() {
            self.push(Status::Skipped, "not checked: an earlier link is broken", "");
        }
        Report { profile: profile.to_string(), checks: self.checks }
    }
}

/// Which link a token request's error belongs to.
fn link_of(error: &Error) -> usize {
    match error {
        Error::ApiKeyMissingInRequest { .. }
        | Error::ApiKeyRejected { .. }
        | Error::RateLimited { .. } => 3,
        Error::AppCredentialsRejected { .. }
        | Error::SecretExpired { .. }
        | Error::SecretRegenerated { .. } => 4,
        Error::AppIdMissing { .. } => 4,
        Error::LicenseNotFound { .. } => 5,
        _ => 2,
    }
}

/// The diagnosis of `profile_name`; each failed link's "what to do" names its front-end step
/// in `words`.
pub async fn diagnose(access: &Access, profile_name: &str, words: Words) -> Result<Report> {
    let profile = access.config()?.profile(profile_name)?.clone();
    let mut b = Builder { checks: Vec::new(), words };

    let env_secrets = std::env::var_os(crate::access::API_KEY_ENV).is_some()
        && std::env::var_os(crate::access::APP_SECRET_ENV).is_some();
    match access.preflight().await {
        Ok(info) => b.ok(format!("secrets are kept in {} (service \"{}\")", info.backend, info.service)),
        Err(_) if env_secrets => b.push(
            Status::Warning,
            "no keychain is usable, but both secrets come from the environment",
            "Fine for pipelines; on a desktop, start your keychain so secrets need not sit in the environment.",
        ),
        Err(e) => {
            b.fail(&e);
            return Ok(b.skip_rest(profile_name));
        }
    }

    let secrets = match access.secrets(&profile).await {
        Ok(s) => s,
        Err(e) => {
            b.fail(&e);
            return Ok(b.skip_rest(profile_name));
        }
    };
    let source = |s: SecretSource| match s {
        SecretSource::Environment => "the environment",
        SecretSource::Keychain => "the keychain",
    };
    b.ok(format!(
        "API key \"{}\" from {}, application secret from {}",
        profile.api_key,
        source(secrets.api_key_source),
        source(secrets.app_secret_source)
    ));
    drop(secrets);

    // One token request proves or breaks the next four links at once; the details say what
    // each passed link showed.
    let endpoint = access.endpoint(&profile.environment)?;
    let passed = [
        format!("{} answered", endpoint.base),
        "the gateway accepted the key".to_string(),
        format!(
            "a license token was issued for application {}",
            profile.app_id.map(|id| id.to_string()).unwrap_or_default()
        ),
        format!("license {} is known", profile.license_id),
    ];
    let broken = access.token_from(profile_name, None, Fetch::Fresh).await.err();
    let stop = broken.as_ref().map_or(passed.len(), |e| link_of(e) - b.checks.len());
    for detail in passed.into_iter().take(stop) {
        b.ok(detail);
    }
    if let Some(e) = broken {
        b.fail(&e);
        return Ok(b.skip_rest(profile_name));
    }

    match access.license_accounts(profile_name).await {
        Ok(list) => {
            let in_scope = list.accounts.iter().filter(|a| a.is_in_api_scope).count();
            if in_scope == 0 {
                b.push(
                    Status::Warning,
                    format!("none of the license's {} accounts is in the application's scope", list.accounts.len()),
                    "Add accounts to the scope in the portal: Configuration > Cloudneeti API Access > Configure App > Cloud Accounts.",
                );
            } else {
                b.ok(format!("{in_scope} of {} accounts in scope", list.accounts.len()));
            }
        }
        Err(e @ Error::ApiNotGranted { .. }) => {
            b.push(Status::Warning, e.to_string(), "Grant License.GetAPIAccess to the application in the portal (Configure App > APIs) to list the accounts.");
        }
        Err(e) => b.fail(&e),
    }

    // The portal's date is the secret's last day, to midnight UTC (model::secret_valid_until).
    match (profile.secret_expires_on, profile.secret_expiry_warning(Utc::now())) {
        (None, _) => b.ok("no expiry date recorded for the secret"),
        (Some(on), None) => b.ok(format!("the secret works until the end of {on} (midnight UTC)")),
        (Some(on), Some(days)) if days < 0 => b.push(
            Status::Failed,
            format!("the secret expired at the end of {on} (midnight UTC)"),
            Error::SecretExpired { said: Said::nothing() }.hint(words),
        ),
        (Some(on), Some(days)) => b.push(
            Status::Warning,
            format!("the secret expires at the end of {on} (midnight UTC), in {days} day(s) (warning from {SECRET_EXPIRY_WARNING_DAYS} days)"),
            Error::SecretExpired { said: Said::nothing() }.hint(words),
        ),
    }
    Ok(Report { profile: profile_name.to_string(), checks: b.checks })
}
