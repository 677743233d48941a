//! The commands, one module per feature; each a few lines over the core's `Access`, and each
//! named in the one declaration of the surface (`crate::surface`). Every command returns
//! `IpcResult`, so errors reach the UI as `{code, message, hint}`.

mod accounts;
mod app;
mod check;
mod diagnose;
mod handoff;
mod practice;
mod profiles;
mod reports;
mod secrets;
mod tokens;

pub use accounts::*;
pub use app::*;
pub use check::*;
pub use diagnose::*;
pub use handoff::*;
pub use practice::*;
pub use profiles::*;
pub use reports::*;
pub use secrets::*;
pub use tokens::*;

use crate::desktop::{Desktop, Question};
use crate::state::AppState;

/// Runs one of the desktop's blocking dialogs on a blocking thread, not on the threads every
/// other command shares; `dismissed` when the runtime is shutting down (the app is closing).
pub(crate) async fn on_desktop<T: Send + 'static>(
    state: &AppState,
    dismissed: T,
    ask: impl FnOnce(&dyn Desktop) -> T + Send + 'static,
) -> T {
    let desktop = state.desktop.clone();
    match tokio::task::spawn_blocking(move || ask(desktop.as_ref())).await {
        Ok(answer) => answer,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => dismissed,
    }
}

/// The user's yes in the native confirmation dialog; anything else is a no.
pub(crate) async fn confirmed(state: &AppState, question: Question) -> bool {
    on_desktop(state, false, move |desktop| desktop.confirm(&question)).await
}
