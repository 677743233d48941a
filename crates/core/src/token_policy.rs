//! Token policy, in one place: how long a token lives, when it is refreshed, when it may be
//! kept, and what ends it. The client, the token cache, the sessions and the profile form ask
//! here; none decides for itself.
//!
//! - Lifetime: a JWT's `exp` first (read without verifying the signature: the client only
//!   needs to know when to refresh, and the service checks the token), else the profile's
//!   Token Expiry (the portal's setting), else unknown.
//! - Refresh: a token is handed out again only while fresh, with a margin of a tenth of its
//!   lifetime, at most a minute, so no request starts with a token that dies in flight.
//! - Acceptance: a token is taken only in token characters (`is_well_formed`).
//! - Keeping: only tokens whose expiry is known are kept for reuse.
//! - Invalidation: a refused application secret (wrong, expired, regenerated) ends every
//!   token of that application; editing or removing a profile or changing its secret ends the
//!   profile's tokens (`token_cache`, called from `access`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};

use crate::parsed::TokenExpiry;
use crate::{Error, Result};

/// The Token Expiry choices of the portal's drop-down: 60 minutes, 4 hours, 24 hours [shot].
/// New input must be one of them; a stored profile with another value keeps it.
pub const TOKEN_EXPIRY_CHOICES: [u32; 3] = [60, 240, 1440];

/// When a token obtained at `obtained_at` stops working: its `exp`, else `fallback` (the
/// profile's Token Expiry) after it was obtained, else unknown.
pub fn expires_at(
    value: &str,
    obtained_at: DateTime<Utc>,
    fallback: Option<Duration>,
) -> Option<DateTime<Utc>> {
    jwt_expiry(value).or_else(|| fallback.map(|lifetime| obtained_at + lifetime))
}

/// The lifetime the profile's Token Expiry gives a token that does not say when it expires.
pub fn profile_lifetime(expiry: Option<TokenExpiry>) -> Option<Duration> {
    expiry.map(|e| Duration::minutes(i64::from(e.minutes())))
}

/// Whether a token may still be handed out at `now` (see the module's "Refresh").
pub fn is_fresh(
    obtained_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let Some(expires_at) = expires_at else { return false };
    let margin = ((expires_at - obtained_at) / 10).min(Duration::seconds(60)).max(Duration::zero());
    now + margin < expires_at
}

/// Whether a token may be kept for reuse: only when its expiry is known.
pub fn may_keep(expires_at: Option<DateTime<Utc>>) -> bool {
    expires_at.is_some()
}

/// Whether `error` ends every token of the application that asked, not only this request.
pub fn ends_every_token_of_the_app(error: &Error) -> bool {
    error.is_secret_refused()
}

/// A Token Expiry a person chose: one of the portal's choices, or the value the profile
/// already had (chosen before the portal's drop-down; it may stay).
pub fn token_expiry(minutes: u32, kept: Option<TokenExpiry>) -> Result<TokenExpiry> {
    if TOKEN_EXPIRY_CHOICES.contains(&minutes) || kept.map(|k| k.minutes()) == Some(minutes) {
        return Ok(TokenExpiry::new_unchecked(minutes));
    }
    Err(Error::invalid(
        "token expiry",
        format!("{minutes} minutes is not one of the portal's choices"),
        format!(
            "Give the Token Expiry chosen in the portal, in minutes: one of {}.",
            TOKEN_EXPIRY_CHOICES.map(|m| m.to_string()).join(", ")
        ),
    ))
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
    DateTime::from_timestamp(jwt_claims(token)?.get("exp")?.as_i64()?, 0)
}

/// The claims of a JWT's payload, read without verifying the signature (the service checks
/// tokens; this program only reads what one says); `None` for an opaque token.
pub fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(claims) => Some(claims),
        _ => None,
    }
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
        let five = profile_lifetime(Some(TokenExpiry::new_unchecked(5)));
        assert_eq!(expires_at(&jwt(1_000_600), now, five), Some(now + Duration::seconds(600)));
        assert_eq!(expires_at("opaque", now, five), Some(now + Duration::minutes(5)));
        assert_eq!(expires_at("opaque", now, None), None);
        assert!(!may_keep(None));
    }

    #[test]
    fn a_token_is_refreshed_before_it_expires() {
        let now = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let end = Some(now + Duration::seconds(3600));
        assert!(is_fresh(now, end, now + Duration::seconds(3500)));
        assert!(!is_fresh(now, end, now + Duration::seconds(3545)), "within the minute's margin");
        assert!(!is_fresh(now, end, now + Duration::seconds(3600)));
        assert!(!is_fresh(now, None, now), "an unknown expiry is never fresh");
    }

    #[test]
    fn new_input_is_one_of_the_portals_choices_and_an_old_value_may_stay() {
        assert_eq!(token_expiry(240, None).unwrap().minutes(), 240);
        assert!(token_expiry(30, None).unwrap_err().to_string().contains("30 minutes"));
        let old = Some(TokenExpiry::new_unchecked(30));
        assert_eq!(token_expiry(30, old).unwrap().minutes(), 30);
    }

    #[test]
    fn only_token_characters_are_well_formed() {
        assert!(is_well_formed("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.sig"));
        assert!(is_well_formed("opaque_TOKEN-1~+/="));
        for bad in ["", "a b", "a'b", "a\u{2019}b", "a\nb", "a\u{1b}[2Jb", "a$(x)", "a\"b"] {
            assert!(!is_well_formed(bad), "{bad:?}");
        }
        assert!(!is_well_formed(&"a".repeat(MAX_TOKEN_LEN + 1)));
    }
}
