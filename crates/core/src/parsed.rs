//! Values that have been parsed once: names and ids as types, so a value that got past
//! `validate` is never checked again and cannot be confused with another kind of text.
//!
//! Only `validate` makes them (their constructors are crate-private); the model carries them.
//! What must not live here: the rules (they are `validate`'s), and anything that imports the
//! model, so that `model` -> `validate` -> `parsed` stays a line, not a cycle.
//!
//! A value read back from the settings file is read as written (serde transparent), so a bad
//! hand edit does not make the whole file look damaged; the store then checks the names and
//! reports a bad one with its line (`ConfigStore::check_names`).
//! `BaseUrl` is the exception: a custom address is checked again at load, because a hand edit
//! must not send the API key over plain http to another machine.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// A name or word id (profile, API key, benchmark, job): 1 to 64 ASCII letters, digits, `-`,
/// `_`, `.`.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub(crate) fn new_unchecked(name: String) -> Self {
                $name(name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }

        impl From<&$name> for String {
            fn from(name: &$name) -> String {
                name.0.clone()
            }
        }
    };
}

/// A GUID the portal shows, kept as the UUID it is and printed lowercase with hyphens.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub(crate) fn new_unchecked(id: Uuid) -> Self {
                $name(id)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

name_type!(
    /// A profile's name.
    ProfileName
);
name_type!(
    /// An API key's name (never its value).
    KeyName
);
name_type!(
    /// A benchmark id (`CSBP`, `AZFDCIS1_1_0`, a private benchmark's GUID).
    BenchmarkId
);
name_type!(
    /// A scan job's id.
    JobId
);
id_type!(
    /// A license id (portal: Configurations > Features and Quotas).
    LicenseId
);
id_type!(
    /// An API application id (portal: Configuration > Cloudneeti API Access).
    AppId
);
id_type!(
    /// A cloud account id (portal: Configurations > Cloud Accounts).
    AccountId
);

/// The application's Token Expiry as chosen in the portal, in minutes. New input is one of
/// the portal's choices (`token_policy::token_expiry`); a stored value loads as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenExpiry(u32);

impl TokenExpiry {
    pub(crate) fn new_unchecked(minutes: u32) -> Self {
        TokenExpiry(minutes)
    }

    pub fn minutes(&self) -> u32 {
        self.0
    }
}

/// A validated API base URL: https, or http on a loopback host; no credentials, query or
/// fragment; no trailing slash. Only `validate::base_url` makes one, so holding a `BaseUrl`
/// means the API key will never be sent in clear text to another machine.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(pub(crate) String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

// Its `Deserialize` is in `validate`, which checks the address again.
