//! The desktop shell: a thin layer of Tauri commands over `cloudneeti-core`.
//!
//! What lives here: window set-up, managed state, and commands that are a few lines each.
//! What must not: HTTP, keychain or config logic (that is the core's), and any secret
//! crossing to the web view.

mod commands;

pub fn run() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![commands::app::app_info])
        .run(tauri::generate_context!())
        .expect("error while running the Cloudneeti Access window");
}
