fn main() {
    // The capability files live under src-tauri/ while the config sits at the root, so tell
    // cargo to rebuild when they change (tauri-build does not watch a custom pattern).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&["app_info"]));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
