//! Where Cloudneeti Access keeps its files.
//!
//! One folder holds both the settings file (`config.json`, with its lock `config.json.lock`)
//! and the activity log (`activity.jsonl`, lock `activity.jsonl.lock`), so that
//! `CNACCESS_CONFIG_DIR` moves everything at once: tests and second installations are
//! isolated by one variable. Without it the folder is the OS config dir:
//! Linux `$XDG_CONFIG_HOME/cloudneeti-access` (default `~/.config/cloudneeti-access`),
//! macOS `~/Library/Application Support/com.cloudneeti.access`,
//! Windows `%APPDATA%\cloudneeti-access`.
//!
//! What must not live here: file contents or I/O beyond resolving the path; and no secret is
//! ever written to this folder.

use crate::error::FileKind;
use crate::{Error, Result};
use std::ffi::OsString;
use std::path::PathBuf;

/// Environment variable that overrides the folder (an empty value counts as unset).
pub const CONFIG_DIR_ENV: &str = "CNACCESS_CONFIG_DIR";
pub const CONFIG_FILE_NAME: &str = "config.json";
pub const ACTIVITY_FILE_NAME: &str = "activity.jsonl";

#[cfg(target_os = "macos")]
const APP_DIR_NAME: &str = "com.cloudneeti.access";
#[cfg(not(target_os = "macos"))]
const APP_DIR_NAME: &str = "cloudneeti-access";

/// The folder of the settings file and the activity log, as an absolute path.
pub fn config_dir() -> Result<PathBuf> {
    resolve(std::env::var_os(CONFIG_DIR_ENV), dirs::config_dir())
}

fn resolve(override_dir: Option<OsString>, os_config_dir: Option<PathBuf>) -> Result<PathBuf> {
    let dir = match override_dir.filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => os_config_dir.map(|d| d.join(APP_DIR_NAME)).ok_or_else(|| Error::ConfigIo {
            file: FileKind::Folder,
            path: PathBuf::from(APP_DIR_NAME),
            detail: format!(
                "the system does not say where settings belong (no home folder); set {CONFIG_DIR_ENV} to a folder"
            ),
        })?,
    };
    // Absolute, so that messages name a path that means the same from any folder.
    std::path::absolute(&dir).map_err(|e| Error::ConfigIo {
        file: FileKind::Folder,
        path: dir.clone(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_wins_and_empty_override_is_ignored() {
        let tmp = std::env::temp_dir();
        let os = Some(tmp.join(".config"));
        let chosen = tmp.join("cn");
        assert_eq!(resolve(Some(chosen.clone().into()), os.clone()).unwrap(), chosen);
        assert_eq!(
            resolve(Some("".into()), os.clone()).unwrap(),
            tmp.join(".config").join(APP_DIR_NAME)
        );
        assert_eq!(resolve(None, os).unwrap(), tmp.join(".config").join(APP_DIR_NAME));
    }

    #[test]
    fn relative_override_is_made_absolute() {
        let dir = resolve(Some("rel/dir".into()), None).unwrap();
        assert!(dir.is_absolute());
        assert!(dir.ends_with("rel/dir"));
    }

    #[test]
    fn no_home_and_no_override_is_a_config_error_with_a_way_out() {
        let err = resolve(None, None).unwrap_err();
        assert_eq!(err.code(), "config_io");
        assert!(err.to_string().contains(CONFIG_DIR_ENV));
    }
}
