//! `cloudneeti-testkit`: the helpers that the tests of more than one crate need, once.
//!
//! What lives here: the public demo credentials ([`demo`]), starting an emulator and driving
//! its control surface without HTTP ([`emulator`]), the guard that keeps keychain tests in a
//! private Secret Service and the tools they check it with ([`keyring`]), the search for
//! pieces of a secret ([`leak`]), JWT decoding ([`jwt`]), and the API's documented shape as a
//! test writes it down independently of the product ([`api`]: paths, header, fingerprints).
//!
//! What must not: product logic (a rule the client or the emulator implements is tested, not
//! copied, here), helpers only one crate's tests use (they stay in that crate's
//! `tests/common`), and anything outside tests: every crate takes this one as a
//! `[dev-dependencies]` entry only, and it is never published.

pub mod api;
pub mod bench;
pub mod demo;
pub mod emulator;
pub mod jwt;
pub mod keyring;
pub mod leak;

pub use api::{fingerprint, license_accounts_path, token_path, KEY_HEADER};
pub use demo::*;
pub use emulator::{arm, clear_log, dead_url, requests, requests_to, start, start_with, Controls};
pub use jwt::is_jwt;
pub use keyring::{require_private_keyring, secret_tool, secret_tool_lookup, unique_service};
