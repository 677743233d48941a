//! `cloudneeti-core`: everything of Cloudneeti Access that is not UI.
//!
//! What lives here: the keychain vault, profiles and the config store, input validation, the
//! Cloudneeti API client, the token cache, and the activity log. What must not: any Tauri or
//! UI dependency, any plaintext storage of a secret, any `String` error.

pub mod error;

pub use error::{Error, ErrorReport, Result};
