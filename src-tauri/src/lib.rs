//! The desktop shell: a thin layer of Tauri commands over `cloudneeti-core`.
//!
//! What lives here: window set-up, managed state (state.rs), the IPC types (ipc.rs) and
//! commands that are a few lines each (commands/). What must not: HTTP, keychain or config
//! logic (that is the core's), and any real secret crossing to the web view.

mod commands;
mod ipc;
mod state;

use commands::*;

pub fn run() {
    let state = tauri::async_runtime::block_on(state::AppState::start());
    let state = match state {
        Ok(state) => state,
        Err(e) => {
            eprintln!("Cloudneeti Access could not start: {e}\n{}", e.hint());
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            app::app_info,
            app::get_settings,
            app::save_settings,
            app::open_link,
            app::cancel_operation,
            profiles::list_profiles,
            profiles::save_profile,
            profiles::delete_profile,
            secrets::list_api_keys,
            secrets::set_api_key,
            secrets::remove_api_key,
            secrets::set_app_secret,
            secrets::remove_app_secret,
            secrets::replace_app_secret_checked,
            accounts::license_accounts,
            tokens::get_token,
            tokens::reveal_token,
            tokens::copy_token,
            diagnose::diagnose,
            practice::practice_license,
            practice::practice_apps,
            practice::practice_create_app,
            practice::practice_update_app,
            practice::practice_delete_app,
            practice::practice_regenerate_secret,
            practice::practice_subscribe,
            practice::practice_activate,
            practice::practice_subscription,
            practice::practice_copy,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Cloudneeti Access window");
}
