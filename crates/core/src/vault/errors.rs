//! From keyring-core failures to the core's keychain error variants.
//!
//! What lives here: the one mapping every vault call goes through, and the rule for which
//! failures keep the open store. What must not: platform-specific decoding (that is
//! `platform::classify`), and any detail text that could carry a secret: the raw bytes that
//! some keyring-core errors hold are wiped here, never formatted.

use std::time::Duration;

use zeroize::Zeroize;

use super::platform::{self, Class};
use crate::error::Error;

/// Why a vault call failed, before it is told to the user.
pub(super) enum Failure {
    Core(keyring_core::Error),
    Timeout(Duration),
    Worker(String),
}

/// Whether the store that produced `e` can serve the next call. Answers about entries keep
/// it; anything that may be about the connection or the keyring's state drops it, so the next
/// call reconnects and sees an unlocked (or restarted) keyring.
pub(super) fn store_still_usable(e: &keyring_core::Error) -> bool {
    use keyring_core::Error::*;
    matches!(
        e,
        NoEntry | Ambiguous(_) | BadEncoding(_) | BadDataFormat(..) | Invalid(..) | TooLong(..)
    )
}

/// `entry` names the entry the call was about, as the user would recognise it.
pub(super) fn to_error(failure: Failure, entry: &str) -> Error {
    let backend = platform::BACKEND;
    let e = match failure {
        Failure::Core(e) => e,
        Failure::Timeout(t) => {
            return Error::Keychain {
                backend,
                detail: format!(
                    "no answer within {:.1} s; if the system is asking to unlock the keychain, answer it, then try again; if not, the keychain service has stopped answering: restart it or log in again",
                    t.as_secs_f32()
                ),
            }
        }
        Failure::Worker(detail) => return Error::Keychain { backend, detail },
    };
    use keyring_core::Error as K;
    match e {
        K::NoStorageAccess(p) => from_class(platform::classify(&p, true)),
        K::PlatformFailure(p) => from_class(platform::classify(&p, false)),
        K::Ambiguous(found) => {
            Error::KeychainAmbiguous { entry: format!("{entry} ({} entries found)", found.len()) }
        }
        K::BadEncoding(mut bytes) | K::BadDataFormat(mut bytes, _) => {
            bytes.zeroize();
            Error::Keychain {
                backend,
                detail: format!("the entry for {entry} is not in the expected format"),
            }
        }
        // Validation keeps secrets within every keychain's limit; this is the keychain's own
        // word should one be smaller still. The secret itself is never part of the text.
        K::TooLong(attribute, limit)
            if attribute.contains("secret") || attribute.contains("password") =>
        {
            Error::invalid(
                "secret",
                format!("it is longer than {backend} holds (at most {limit} bytes per entry)"),
                "Check that only the secret was pasted, nothing around it; nothing was stored.",
            )
        }
        K::TooLong(attribute, limit) => Error::invalid(
            "name",
            format!("is too long for the keychain ({attribute} is limited to {limit} characters)"),
            "Use a shorter name.",
        ),
        K::Invalid(attribute, reason) => Error::invalid(
            "name",
            format!("is not accepted by the keychain ({attribute} {reason})"),
            "Use a short name made of letters, digits, spaces, dots or dashes.",
        ),
        K::NotSupportedByStore(detail) => Error::KeychainUnavailable { backend, detail },
        K::NoEntry => Error::Keychain { backend, detail: format!("no entry for {entry}") },
        other => Error::Keychain { backend, detail: other.to_string() },
    }
}

fn from_class(class: Class) -> Error {
    let backend = platform::BACKEND;
    match class {
        Class::Unavailable(detail) => Error::KeychainUnavailable { backend, detail },
        Class::Locked => Error::KeychainLocked { backend },
        Class::Denied(detail) => Error::KeychainAccessDenied { backend, detail },
        Class::Other(detail) => Error::Keychain { backend, detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows Credential Manager's limit (2,560 bytes per credential) as the store reports it:
    /// told as a too-long secret, not as a name to shorten.
    #[test]
    fn a_secret_too_long_for_the_keychain_is_told_as_such() {
        let e = keyring_core::Error::TooLong("secret".into(), 2560);
        let message = to_error(Failure::Core(e), "the entry").to_string();
        assert!(message.starts_with("secret is not valid: it is longer than"), "{message}");
        assert!(message.contains("(at most 2560 bytes per entry)"), "{message}");
        let e = keyring_core::Error::TooLong("user".into(), 513);
        let message = to_error(Failure::Core(e), "the entry").to_string();
        assert!(message.starts_with("name is not valid: is too long"), "{message}");
    }
}
