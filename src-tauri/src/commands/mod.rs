//! Tauri commands, one module per feature; each a few lines over the core's `Access`.
//! Every command returns `IpcResult`, so errors reach the UI as `{code, message, hint}`.

pub mod accounts;
pub mod app;
pub mod diagnose;
pub mod practice;
pub mod profiles;
pub mod secrets;
pub mod tokens;
