//! The commands, one module per feature; each a few lines over the core's `Access`, and each
//! named in the one declaration of the surface (`crate::surface`). Every command returns
//! `IpcResult`, so errors reach the UI as `{code, message, hint}`.

mod accounts;
mod app;
mod check;
mod diagnose;
mod practice;
mod profiles;
mod reports;
mod secrets;
mod tokens;

pub use accounts::*;
pub use app::*;
pub use check::*;
pub use diagnose::*;
pub use practice::*;
pub use profiles::*;
pub use reports::*;
pub use secrets::*;
pub use tokens::*;
