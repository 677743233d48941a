//! `cloudneeti-core`: everything of Cloudneeti Access that is not UI.
//!
//! What lives here: the keychain vault, profiles and the config store, input validation, the
//! Cloudneeti API client and the analysts' calls and reports on it, the token cache, the
//! profile hand-off, and the activity log. What must not: any Tauri or UI dependency, any
//! plaintext storage of a secret, any `String` error.

pub mod access;
pub mod activity;
pub mod client;
pub mod config_store;
pub mod doctor;
pub mod error;
mod fsutil;
pub mod handoff;
pub mod model;
pub mod parsed;
pub mod paths;
pub mod process;
pub mod report;
pub mod secret;
pub mod shell;
pub mod text;
pub mod token_cache;
pub mod token_policy;
pub mod validate;
pub mod vault;

pub use activity::{Action, ActivityEntry, ActivityLog};
pub use config_store::ConfigStore;
pub use error::{Error, ErrorReport, Result};
pub use model::{ApiKeyMeta, BaseUrl, Config, Environment, KnownAccount, Profile, Settings};
pub use secret::Secret;
pub use vault::{BackendInfo, SecretId, Vault};
