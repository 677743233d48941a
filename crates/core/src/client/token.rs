//! Access tokens as the client hands them out: the value (a `Secret`, so it never prints),
//! what it is for, and when it stops working.
//!
//! The token format is undocumented; when it expires, and when it is refreshed, is
//! `token_policy`'s to say.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::{token_policy, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    License,
    Account,
}

#[derive(Debug)]
pub struct AccessToken {
    pub value: Secret,
    pub kind: TokenKind,
    pub license_id: String,
    pub account_id: Option<String>,
    pub obtained_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl AccessToken {
    pub(crate) fn new(
        value: Secret,
        license_id: &str,
        account_id: Option<&str>,
        obtained_at: DateTime<Utc>,
        fallback_lifetime: Option<Duration>,
    ) -> AccessToken {
        let expires_at = token_policy::expires_at(value.expose(), obtained_at, fallback_lifetime);
        AccessToken {
            value,
            kind: if account_id.is_some() { TokenKind::Account } else { TokenKind::License },
            license_id: license_id.to_string(),
            account_id: account_id.map(str::to_string),
            obtained_at,
            expires_at,
        }
    }

    /// Seconds until expiry (negative once expired); `None` when unknown.
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        self.expires_at.map(|at| (at - now).num_seconds())
    }

    /// Whether the token may still be handed out at `now` (`token_policy::is_fresh`).
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        token_policy::is_fresh(self.obtained_at, self.expires_at, now)
    }

    /// A copy for a second holder (the cache and the caller each keep one).
    pub(crate) fn duplicate(&self) -> AccessToken {
        AccessToken {
            value: Secret::new(self.value.expose().to_string()),
            kind: self.kind,
            license_id: self.license_id.clone(),
            account_id: self.account_id.clone(),
            obtained_at: self.obtained_at,
            expires_at: self.expires_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_for_an_account_is_an_account_token() {
        let now = Utc::now();
        let token = AccessToken::new(Secret::new("opaque".into()), "L", Some("A"), now, None);
        assert_eq!(token.kind, TokenKind::Account);
        assert_eq!(token.expires_at, None);
    }
}
