//! Access tokens the emulator issues and checks.
//!
//! JWT mode signs HS256 tokens with a key made at start, so a token from one emulator run is
//! invalid in the next. Opaque mode hands out random strings and remembers their claims,
//! because the real format is undocumented and a client must cope with either.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashMap;

use crate::seed::TokenFormat;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    /// The API application the token was issued to.
    pub sub: String,
    pub license_id: String,
    /// Present on account tokens only.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account_id: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

impl Claims {
    pub fn kind(&self) -> TokenKind {
        if self.account_id.is_some() {
            TokenKind::Account
        } else {
            TokenKind::License
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    License,
    Account,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenCheck {
    Valid(Claims),
    Expired,
    Invalid,
}

/// Opaque tokens kept at most this long past expiry, so a load test cannot grow memory forever.
const OPAQUE_GRACE_SECONDS: i64 = 3600;

pub struct TokenIssuer {
    format: TokenFormat,
    key: [u8; 32],
    opaque: HashMap<String, Claims>,
}

impl TokenIssuer {
    pub fn new(format: TokenFormat) -> Self {
        TokenIssuer { format, key: rand::random(), opaque: HashMap::new() }
    }

    pub fn issue(&mut self, claims: Claims) -> String {
        match self.format {
            TokenFormat::Jwt => self.sign(&claims),
            TokenFormat::Opaque => {
                if self.opaque.len() > 100_000 {
                    let horizon = claims.iat - OPAQUE_GRACE_SECONDS;
                    self.opaque.retain(|_, c| c.exp > horizon);
                }
                let token = B64.encode(rand::random::<[u8; 32]>());
                self.opaque.insert(token.clone(), claims);
                token
            }
        }
    }

    pub fn check(&self, token: &str, now: i64) -> TokenCheck {
        let claims = match self.format {
            TokenFormat::Jwt => self.verify(token),
            TokenFormat::Opaque => self.opaque.get(token).cloned(),
        };
        match claims {
            None => TokenCheck::Invalid,
            Some(c) if c.exp <= now => TokenCheck::Expired,
            Some(c) => TokenCheck::Valid(c),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length")
    }

    fn sign(&self, claims: &Claims) -> String {
        let header = B64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = B64.encode(serde_json::to_vec(claims).expect("claims serialise"));
        let mut mac = self.mac();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        let signature = B64.encode(mac.finalize().into_bytes());
        format!("{header}.{payload}.{signature}")
    }

    fn verify(&self, token: &str) -> Option<Claims> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let mut mac = self.mac();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac.verify_slice(&B64.decode(signature).ok()?).ok()?;
        serde_json::from_slice(&B64.decode(payload).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            iss: "test".into(),
            sub: "app".into(),
            license_id: "lic".into(),
            account_id: None,
            iat: 0,
            exp,
            jti: "1".into(),
        }
    }

    #[test]
    fn jwt_tokens_verify_expire_and_reject_tampering() {
        let mut issuer = TokenIssuer::new(TokenFormat::Jwt);
        let token = issuer.issue(claims(100));
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(issuer.check(&token, 99), TokenCheck::Valid(claims(100)));
        assert_eq!(issuer.check(&token, 100), TokenCheck::Expired);
        let mut tampered = token.clone();
        tampered.insert(token.find('.').unwrap() + 2, 'x');
        assert_eq!(issuer.check(&tampered, 0), TokenCheck::Invalid);
        let other = TokenIssuer::new(TokenFormat::Jwt);
        assert_eq!(other.check(&token, 0), TokenCheck::Invalid);
    }

    #[test]
    fn opaque_tokens_are_not_jwts_and_are_remembered() {
        let mut issuer = TokenIssuer::new(TokenFormat::Opaque);
        let token = issuer.issue(claims(100));
        assert!(!token.contains('.'));
        assert!(matches!(issuer.check(&token, 1), TokenCheck::Valid(_)));
        assert_eq!(issuer.check("nope", 1), TokenCheck::Invalid);
    }
}
