//! JWTs decoded here, independently of the client and the emulator.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// True when `text` looks like a JWT: three non-empty base64url parts.
pub fn is_jwt(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The JOSE header of a JWT (`alg`, `typ`).
pub fn header(token: &str) -> Value {
    part(token, 0, "a JWT has a header")
}

/// The claims of a JWT (`exp`, `iat`, `sub`, …).
pub fn claims(token: &str) -> Value {
    part(token, 1, "a JWT has a payload")
}

fn part(token: &str, index: usize, what: &str) -> Value {
    let part = token.split('.').nth(index).expect(what);
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url"))
        .expect("a JSON object")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_of_a_jwt_decode() {
        // {"alg":"HS256"} . {"sub":"x"} . signature
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assert!(is_jwt(token));
        assert_eq!(header(token)["alg"], "HS256");
        assert_eq!(claims(token)["sub"], "x");
        assert!(!is_jwt("opaque-token"));
        assert!(!is_jwt("a..c"));
        assert!(!is_jwt("a.b.c+"));
    }
}
