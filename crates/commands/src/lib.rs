//! The app's command surface, host-neutral: what the web view may ask of the backend, as
//! plain async functions over [`AppState`]. Two hosts serve them: the Tauri shell
//! (src-tauri, one-line adapters) and the dev host (crates/devhost, HTTP for the browser
//! tests), so a UI test exercises the same Rust that ships.
//!
//! What lives here: the one declaration of the surface ([`command_surface!`], surface.rs), the
//! commands (commands/), the views that cross to the web view (ipc.rs), the app state
//! (state.rs), the host's desktop seam (desktop.rs) and the dispatcher by name (dispatch.rs).
//! What must not: HTTP, keychain or config logic (that is the core's), anything Tauri, and
//! any real secret crossing to the web view.

#[macro_use]
mod surface;

mod claims;
pub mod commands;
pub mod desktop;
pub mod dispatch;
pub mod ipc;
pub mod state;

#[cfg(test)]
mod typescript;

pub use desktop::{Desktop, SystemDesktop};
pub use ipc::{IpcError, IpcResult};
pub use state::AppState;
