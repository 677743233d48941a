use serde::Serialize;

/// What the window shows about the build it runs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: &'static str,
    pub version: &'static str,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo { name: "Cloudneeti Access", version: env!("CARGO_PKG_VERSION") }
}
