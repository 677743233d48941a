//! What a token says about itself: the claims of a JWT's payload, read without verifying the
//! signature (the service checks tokens; the app only shows what one says), so the token
//! card can show them without the value crossing to the web view.
//!
//! The claim names of the real service's tokens are not documented [assumed]: `iat` and
//! `exp` are JWT's own; the license and the account are taken from `license_id` /
//! `licenseId` / `license` and `account_id` / `accountId` / `account`, whatever their case
//! (the emulator sends `license_id` and `account_id`).
//!
//! The payload is decoded by the core (`token_policy::jwt_claims`), which reads `exp` from it
//! too; this module only picks and shows the claims.

use crate::ipc::TokenClaims;
use chrono::{DateTime, SecondsFormat};
use cloudneeti_core::text::printable;
use cloudneeti_core::token_policy;
use serde_json::{Map, Value};

/// The longest claim shown; longer ones are cut, as no id is near it.
const MAX_CLAIM_CHARS: usize = 200;

/// The claims of `token` if it is a JWT, else `None` (an opaque token says nothing).
pub fn token_claims(token: &str) -> Option<TokenClaims> {
    let payload = token_policy::jwt_claims(token)?;
    let time = |names: &[&str]| {
        claim(&payload, names)
            .and_then(Value::as_i64)
            .and_then(|t| DateTime::from_timestamp(t, 0))
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
    };
    let text = |names: &[&str]| {
        let shown = match claim(&payload, names)? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        Some(printable(&shown.chars().take(MAX_CLAIM_CHARS).collect::<String>()))
    };
    Some(TokenClaims {
        issued_at: time(&["iat"]),
        expires_at: time(&["exp"]),
        license_id: text(&["licenseid", "license"]),
        account_id: text(&["accountid", "account"]),
    })
}

/// The first claim whose name, lowercased and without `_` or `-`, is one of `names`.
fn claim<'a>(payload: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    let plain = |k: &str| k.chars().filter(|c| *c != '_' && *c != '-').collect::<String>();
    names.iter().find_map(|name| {
        payload.iter().find(|(k, _)| plain(&k.to_ascii_lowercase()) == *name).map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn jwt(payload: &str) -> String {
        format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_the_times_license_and_account_whatever_the_names_case() {
        let claims = token_claims(&jwt(
            r#"{"iat":1700000000,"exp":1700003600,"license_id":"L-1","AccountId":"A-1"}"#,
        ))
        .unwrap();
        assert_eq!(
            claims,
            TokenClaims {
                issued_at: Some("2023-11-14T22:13:20Z".into()),
                expires_at: Some("2023-11-14T23:13:20Z".into()),
                license_id: Some("L-1".into()),
                account_id: Some("A-1".into()),
            }
        );
        let license = token_claims(&jwt(r#"{"licenseId":42}"#)).unwrap();
        assert_eq!((license.license_id.as_deref(), license.account_id), (Some("42"), None));
    }

    #[test]
    fn an_opaque_token_has_no_claims_and_a_claim_cannot_act_on_the_display() {
        assert_eq!(token_claims("opaque-random-token"), None);
        assert_eq!(token_claims(&format!("{}.extra", jwt("{}"))), None);
        assert_eq!(token_claims(&jwt("[1,2]")), None);
        let odd = token_claims(&jwt(r#"{"license_id":"L\u001b[31m\u202e"}"#)).unwrap();
        assert_eq!(odd.license_id.as_deref(), Some("L\u{FFFD}[31m\u{FFFD}"));
    }
}
