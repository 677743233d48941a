use crate::ipc::{AppInfo, Catalog, IpcResult};
use crate::state::AppState;
use cloudneeti_core::model::{cloudneeti_pages, Settings};
use cloudneeti_core::Error;

pub async fn app_info(state: &AppState) -> IpcResult<AppInfo> {
    Ok(AppInfo {
        name: "Cloudneeti Access".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        keychain: state.access.keychain_name().into(),
        sandbox_url: state.sandbox.as_ref().map(|e| e.url().to_string()),
        catalog: Catalog::from_core(),
    })
}

pub async fn get_settings(state: &AppState) -> IpcResult<Settings> {
    Ok(state.access.config()?.settings)
}

pub async fn save_settings(state: &AppState, settings: Settings) -> IpcResult<()> {
    Ok(state.access.save_settings(settings)?)
}

/// Opens Cloudneeti's portals and documentation in the system browser; any other address is
/// refused, so the web view cannot be used to launch arbitrary URLs.
pub async fn open_link(state: &AppState, url: String) -> IpcResult<()> {
    let Some(page) = cloudneeti_page(&url) else {
        return Err(Error::invalid(
            "link",
            "only Cloudneeti's own https pages open from the app",
            "Open other addresses in your browser yourself.",
        )
        .into());
    };
    // The opener gets the URL that was checked, serialized from its parsed form, never the
    // raw string: the two can differ (spaces, control characters, a leading "-").
    state.desktop.open(&page).map_err(|e| {
        Error::invalid(
            "link",
            format!("the browser could not be started ({e})"),
            "Open the address in your browser yourself.",
        )
    })?;
    Ok(())
}

pub async fn cancel_operation(state: &AppState, op_id: String) -> IpcResult<()> {
    state.cancel(&op_id);
    Ok(())
}

/// An https page on one of the hosts the core names (`cloudneeti_pages`: the known services'
/// portals and API portals, and the documentation), on the default port. Not every
/// *.cloudneeti.com: a subdomain nobody vouches for is refused too [ours].
fn cloudneeti_page(url: &str) -> Option<url::Url> {
    let allowed = |u: &url::Url| {
        cloudneeti_pages().filter_map(|page| url::Url::parse(page).ok()).any(|page| {
            page.host_str() == u.host_str()
                && page.port_or_known_default() == u.port_or_known_default()
        })
    };
    url::Url::parse(url).ok().filter(|u| {
        u.scheme() == "https" && u.username().is_empty() && u.password().is_none() && allowed(u)
    })
}

#[cfg(test)]
mod tests {
    use super::cloudneeti_page;

    fn is_cloudneeti_page(url: &str) -> bool {
        cloudneeti_page(url).is_some()
    }

    #[test]
    fn the_opener_gets_the_checked_url_serialized_not_the_raw_text() {
        let raw = " https://docs.cloudneeti.com/a b\n\t--new-window";
        assert_eq!(
            cloudneeti_page(raw).unwrap().as_str(),
            "https://docs.cloudneeti.com/a%20b--new-window"
        );
        assert!(!is_cloudneeti_page("https://:pw@app.cloudneeti.com/"));
    }

    #[test]
    fn the_known_portals_and_the_documentation_may_be_opened() {
        for page in [
            "https://docs.cloudneeti.com/some/page",
            "https://app.cloudneeti.com",
            "https://app1.cloudneeti.com/#/login",
            "https://trial.cloudneeti.com",
            "https://portal.cloudneeti.com/",
            "https://trialportal.cloudneeti.com/products",
            "https://APP.cloudneeti.com",
        ] {
            assert!(is_cloudneeti_page(page), "{page}");
        }
    }

    #[test]
    fn any_other_address_is_refused() {
        for page in [
            "https://evil.cloudneeti.com",
            "https://cloudneeti.com",
            "https://api.cloudneeti.com/authorize/license/x/token",
            "http://docs.cloudneeti.com",
            "https://docs.cloudneeti.com:8443/",
            "https://user@app.cloudneeti.com",
            "https://app.cloudneeti.com.evil.example",
            "https://evilcloudneeti.com",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(!is_cloudneeti_page(page), "{page}");
        }
    }
}
