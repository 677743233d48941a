// Keep a release build on Windows from opening a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any secret is read: no core dump may hold one (crates/core/src/process.rs).
    cloudneeti_core::process::harden();
    cloudneeti_access_app::run();
}
