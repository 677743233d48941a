//! `cloudneeti-emulator`: a local Cloudneeti API, faithful to the public documentation, with
//! the Azure API Management gateway in front of it, a control surface for tests and the
//! desktop app's Sandbox, and faults on demand.
//!
//! What lives here: the emulated endpoints and their rules, seeds, the server, TLS material.
//! What must not: anything the real client needs (this crate is a test and demo fixture; the
//! core never depends on it outside tests), and any real credential — the demo ones in
//! [`seed`] are public by design.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudneeti_emulator::StartError> {
//! let emulator = cloudneeti_emulator::Emulator::start(Default::default()).await?;
//! println!("API at {}", emulator.url());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

pub mod api;
pub mod control;
pub mod faults;
pub mod log;
mod posture;
pub mod route;
pub mod seed;
pub mod server;
pub mod state;
pub mod tls;
pub mod token;

pub use faults::{FaultKind, FaultSpec};
pub use seed::Seed;
pub use server::{Control, Emulator, Options, StartError};
