//! `Secret`: the one type that holds an API key or an application secret in memory.
//!
//! What lives here: the wrapper that wipes its bytes on drop and never prints them. What must
//! not: `Serialize`, `Clone`, `PartialEq` or any other way to copy, compare or emit the value
//! implicitly. Code that really needs the text calls [`Secret::expose`], which is easy to find
//! in review; everything that only needs to tell secrets apart in logs uses
//! [`Secret::fingerprint`].

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// A secret string (API key, application secret), wiped from memory when dropped.
///
/// `Debug` and `Display` print `<redacted>`. There is deliberately no `Serialize`, so putting
/// a `Secret` in an IPC reply, a config file or a log record fails to compile:
///
/// ```compile_fail
/// fn wants_serialize<T: serde::Serialize>() {}
/// wants_serialize::<cloudneeti_core::secret::Secret>();
/// ```
///
/// Nor can it be cloned by accident:
///
/// ```compile_fail
/// let s = cloudneeti_core::secret::Secret::new("k".to_string());
/// let _copy = s.clone();
/// ```
pub struct Secret(String);

impl Secret {
    /// Takes ownership of `value`; its buffer is the one wiped on drop, so no copy is left.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The secret text. Call it only where the value leaves for the keychain or the network.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// First 8 hex characters of the SHA-256 of the value: enough to tell two secrets apart in
    /// a log or a "which key is this?" display, far too little to recover the secret.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        digest[..4].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether the secret is empty (an empty secret is never worth storing).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // `String::zeroize` wipes the whole capacity, not only the current length.
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("hunter2-very-secret".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:#?}"), "<redacted>");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn fingerprint_is_short_stable_hex() {
        let a = Secret::new("abc".to_string());
        // SHA-256("abc") = ba7816bf...
        assert_eq!(a.fingerprint(), "ba7816bf");
        assert_ne!(a.fingerprint(), Secret::new("abd".to_string()).fingerprint());
    }
}
