use crate::ipc::{AppInfo, IpcResult, SettingsView};
use crate::state::AppState;
use cloudneeti_core::Error;
use tauri::State;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        name: "Cloudneeti Access".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        keychain: state.access.vault().backend_name().into(),
        sandbox_url: state.sandbox.as_ref().map(|e| e.url().to_string()),
    }
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> IpcResult<SettingsView> {
    let settings = state.access.config()?.settings;
    Ok(SettingsView { clipboard_clear_seconds: settings.clipboard_clear_seconds })
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: SettingsView) -> IpcResult<()> {
    if !(5..=600).contains(&settings.clipboard_clear_seconds) {
        return Err(Error::invalid(
            "clipboard delay",
            format!("{} seconds is outside 5 to 600", settings.clipboard_clear_seconds),
            "Choose how long a copied token stays on the clipboard, from 5 seconds to 10 minutes.",
        )
        .into());
    }
    state.access.config_store().update(|config| {
        config.settings.clipboard_clear_seconds = settings.clipboard_clear_seconds;
        Ok(())
    })?;
    Ok(())
}

/// Opens Cloudneeti's portal and documentation in the system browser; any other address is
/// refused, so the web view cannot be used to launch arbitrary URLs.
#[tauri::command]
pub fn open_link(url: String) -> IpcResult<()> {
    if !is_cloudneeti_page(&url) {
        return Err(Error::invalid(
            "link",
            "only Cloudneeti's own https pages open from the app",
            "Open other addresses in your browser yourself.",
        )
        .into());
    }
    open::that_detached(&url).map_err(|e| {
        Error::invalid(
            "link",
            format!("the browser could not be started ({e})"),
            "Open the address in your browser yourself.",
        )
    })?;
    Ok(())
}

#[tauri::command]
pub fn cancel_operation(state: State<'_, AppState>, op_id: String) {
    state.cancel(&op_id);
}

fn is_cloudneeti_page(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| h == "cloudneeti.com" || h.ends_with(".cloudneeti.com"))
    })
}

#[cfg(test)]
mod tests {
    use super::is_cloudneeti_page;

    #[test]
    fn only_cloudneeti_https_pages_may_be_opened() {
        assert!(is_cloudneeti_page("https://docs.cloudneeti.com/some/page"));
        assert!(is_cloudneeti_page("https://cloudneeti.com"));
        assert!(!is_cloudneeti_page("http://docs.cloudneeti.com"));
        assert!(!is_cloudneeti_page("https://cloudneeti.com.evil.example"));
        assert!(!is_cloudneeti_page("https://evilcloudneeti.com"));
        assert!(!is_cloudneeti_page("file:///etc/passwd"));
    }
}
