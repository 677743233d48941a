//! Tauri commands, one module per feature.
pub mod app;
