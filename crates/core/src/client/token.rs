//! Access tokens as the client hands them out: the value (a `Secret`, so it never prints),
//! what it is for, and when it stops working.
//!
//! The token format is undocumented. When a token is a JWT with `exp`, that claim is read
//! (without verifying the signature: the client only needs to know when to refresh, and the
//! service checks the token); otherwise the profile's token expiry decides; otherwise the
//! expiry is unknown and the token is never cached.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::Secret;

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
        let expires_at = jwt_expiry(value.expose())
            .or_else(|| fallback_lifetime.map(|lifetime| obtained_at + lifetime));
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

    /// Whether the token may still be handed out at `now`, keeping a margin so a caller never
    /// starts a request with a token that dies in flight: a tenth of its lifetime, at most a
    /// minute.
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        let Some(expires_at) = self.expires_at else { return false };
        let lifetime = expires_at - self.obtained_at;
        let margin = (lifetime / 10).min(Duration::seconds(60)).max(Duration::zero());
        now + margin < expires_at
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

/// The longest token accepted: JWTs with many claims stay far below it.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Whether `value` looks like a token at all: base64 or base64url characters and the dots of
/// a JWT, and not too long [ours: the JWT and opaque forms]. Anything else (quotes, spaces,
/// control characters) is refused rather than carried into a header, a terminal or a pasted
/// command.
pub fn is_well_formed(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_TOKEN_LEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~+/=".contains(&b))
}

/// Reads `exp` from a JWT's payload, if the token is one.
pub fn jwt_expiry(token: &str) -> Option<DateTime<Utc>> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    DateTime::from_timestamp(claims.get("exp")?.as_i64()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(exp: i64) -> String {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp}}}"#));
        format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig")
    }

    #[test]
    fn expiry_comes_from_exp_then_from_the_profile_then_is_unknown() {
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let from_jwt = AccessToken::new(Secret::new(jwt(1_000_600)), "L", None, now, None);
        assert_eq!(from_jwt.seconds_left(now), Some(600));
        let opaque = Secret::new("opaque-token".into());
        let from_profile =
            AccessToken::new(opaque, "L", Some("A"), now, Some(Duration::minutes(5)));
        assert_eq!(from_profile.seconds_left(now), Some(300));
        assert_eq!(from_profile.kind, TokenKind::Account);
        let unknown = AccessToken::new(Secret::new("x".into()), "L", None, now, None);
        assert_eq!(unknown.expires_at, None);
        assert!(!unknown.is_fresh(now));
    }

    #[test]
    fn only_token_characters_are_well_formed() {
        assert!(is_well_formed(&jwt(1)));
        assert!(is_well_formed("opaque_TOKEN-1~+/="));
        for bad in ["", "a b", "a'b", "a\u{2019}b", "a\nb", "a\u{1b}[2Jb", "a$(x)", "a\"b"] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
        assert!(!is_well_formed(&"a".repeat(MAX_TOKEN_LEN + 1)));
    }

    #[test]
    fn a_token_is_refreshed_before_it_expires() {
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let token = AccessToken::new(Secret::new(jwt(1_003_600)), "L", None, now, None);
        assert!(token.is_fresh(now + Duration::seconds(3500)));
        assert!(!token.is_fresh(now + Duration::seconds(3545)));
        assert!(!token.is_fresh(now + Duration::seconds(3600)));
    }
}
