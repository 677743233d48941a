/// Every command the window may call. The capability file grants `allow-<name>` for each;
/// tauri-build refuses a permission for a command not listed here.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "save_settings",
    "open_link",
    "cancel_operation",
    "list_profiles",
    "save_profile",
    "delete_profile",
    "list_api_keys",
    "set_api_key",
    "remove_api_key",
    "set_app_secret",
    "remove_app_secret",
    "replace_app_secret_checked",
    "license_accounts",
    "get_token",
    "reveal_token",
    "copy_token",
    "diagnose",
    "practice_license",
    "practice_apps",
    "practice_create_app",
    "practice_update_app",
    "practice_delete_app",
    "practice_regenerate_secret",
    "practice_subscribe",
    "practice_activate",
    "practice_subscription",
    "practice_copy",
];

fn main() {
    // The capability files live under src-tauri/ while the config sits at the root, so tell
    // cargo to rebuild when they change (tauri-build does not watch a custom pattern).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
