//! The per-OS half of the vault: which keyring-core store to open, how to read its errors,
//! and what `preflight` can check beyond "the store answers".
//!
//! What lives here: one `imp` module per target, each with the same eight items (`BACKEND`,
//! `UNAVAILABLE_FIX`, `open_store`, `entry`, `describe`, `probe`, `classify`, `answers`). What must not: anything that stores
//! or reads a secret (that is the vault's job, through keyring-core), and any fallback store
//! for a platform without a keychain: such a platform gets an "unavailable" error.

use keyring_core::error::PlatformError;

/// A platform error, sorted into the core's keychain error kinds.
pub(super) enum Class {
    Unavailable(String),
    // Windows Credential Manager has no lock and no per-item access prompt: the Windows store
    // reports only a missing logon session (Unavailable) and other failures, never these two.
    #[cfg_attr(target_os = "windows", expect(dead_code, reason = "never reported on Windows"))]
    Locked,
    #[cfg_attr(target_os = "windows", expect(dead_code, reason = "never reported on Windows"))]
    Denied(String),
    Other(String),
}

pub(super) use imp::{
    answers, classify, describe, entry, open_store, probe, BACKEND, UNAVAILABLE_FIX,
};

#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
mod imp {
    use std::collections::HashMap;
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error as KError};
    use secret_service::blocking::SecretService;
    use secret_service::{EncryptionType, Error as SsError};
    use zbus::DBusError;

    use super::{Class, PlatformError};

    pub const BACKEND: &str = "Secret Service";

    /// What to do when no keychain answers, for this system's user.
    pub const UNAVAILABLE_FIX: &str = "Install and start a Secret Service provider (GNOME Keyring or KeePassXC with Secret Service enabled), then try again.";

    const NO_PROVIDER: &str = "no Secret Service provider (such as GNOME Keyring or KeePassXC) answers on the D-Bus session bus";
    const NO_DEFAULT: &str = "the Secret Service has no default keyring; create one in Passwords and Keys (Seahorse) and make it the default";

    pub fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
        Ok(store)
    }

    /// Seahorse lists an item by its label: the zbus store takes it as an entry modifier (it
    /// is written when the item is created, and finding the item needs only service and user).
    pub fn entry(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
        label: &str,
    ) -> keyring_core::Result<Entry> {
        let modifiers = HashMap::from([("label", label)]);
        Entry::new_in_store_with_modifiers(store, service, account, &modifiers)
    }

    /// The label went in with the item.
    pub fn describe(_entry: &Entry, _account: &str, _label: &str) -> keyring_core::Result<()> {
        Ok(())
    }

    /// Whether the Secret Service answers at all: a D-Bus `Peer.Ping` to it, which no unlock
    /// prompt delays. A service that does not answer a ping is frozen, not waiting for the
    /// user.
    pub fn answers() -> Option<bool> {
        let ping = || -> zbus::Result<()> {
            let bus = zbus::blocking::Connection::session()?;
            bus.call_method(
                Some("org.freedesktop.secrets"),
                "/org/freedesktop/secrets",
                Some("org.freedesktop.DBus.Peer"),
                "Ping",
                &(),
            )?;
            Ok(())
        };
        Some(ping().is_ok())
    }

    /// The default collection's label, if it exists and is unlocked. Uses its own plain
    /// session: no secret crosses it, and asking for the lock state never prompts.
    pub fn probe() -> keyring_core::Result<Option<String>> {
        let failure = |e: SsError| KError::PlatformFailure(Box::new(e));
        let ss = SecretService::connect(EncryptionType::Plain).map_err(failure)?;
        let collection = ss.get_default_collection().map_err(failure)?;
        if collection.is_locked().map_err(failure)? {
            return Err(KError::NoStorageAccess(Box::new(SsError::Locked)));
        }
        Ok(Some(collection.get_label().map_err(failure)?))
    }

    pub fn classify(err: &PlatformError, _no_access: bool) -> Class {
        if let Some(e) = err.downcast_ref::<SsError>() {
            return match e {
                SsError::Unavailable => Class::Unavailable(NO_PROVIDER.into()),
                // Headless, an unlock prompt cannot be shown and comes back dismissed at once.
                SsError::Locked | SsError::Prompt | SsError::PromptDisconnected => Class::Locked,
                // Only `ReadAlias("default")` answering "/" gives this.
                SsError::NoResult => Class::Unavailable(NO_DEFAULT.into()),
                SsError::Zbus(z) => zbus_error(z),
                SsError::ZbusFdo(f) => fdo_error(f),
                other => Class::Other(other.to_string()),
            };
        }
        if let Some(z) = err.downcast_ref::<zbus::Error>() {
            return zbus_error(z);
        }
        Class::Other(err.to_string())
    }

    fn zbus_error(e: &zbus::Error) -> Class {
        match e {
            zbus::Error::Address(_)
            | zbus::Error::InterfaceNotFound
            | zbus::Error::Handshake(_)
            | zbus::Error::Connection(..)
            | zbus::Error::InputOutput(_) => {
                Class::Unavailable(format!("the D-Bus session bus cannot be reached ({e})"))
            }
            zbus::Error::MethodError(name, description, _) => {
                by_name(name.as_str(), description.as_deref().unwrap_or(""))
            }
            zbus::Error::FDO(f) => fdo_error(f),
            other => Class::Other(other.to_string()),
        }
    }

    fn fdo_error(e: &zbus::fdo::Error) -> Class {
        match e {
            zbus::fdo::Error::ZBus(z) => zbus_error(z),
            other => by_name(other.name().as_str(), other.description().unwrap_or("")),
        }
    }

    fn by_name(name: &str, description: &str) -> Class {
        match name {
            "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NameHasNoOwner" => Class::Unavailable(NO_PROVIDER.into()),
            n if n.starts_with("org.freedesktop.DBus.Error.Spawn") => {
                Class::Unavailable(format!("{NO_PROVIDER}: it failed to start ({description})"))
            }
            "org.freedesktop.Secret.Error.IsLocked" => Class::Locked,
            "org.freedesktop.DBus.Error.AccessDenied" | "org.freedesktop.DBus.Error.AuthFailed" => {
                Class::Denied(format!("{name}: {description}"))
            }
            _ => Class::Other(format!("{name}: {description}")),
        }
    }
}

#[cfg(target_os = "macos")]
mod imp {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry};

    use super::{Class, PlatformError};

    pub const BACKEND: &str = "macOS Keychain";

    pub const UNAVAILABLE_FIX: &str = "Open Keychain Access and check that your login keychain exists and is the default (if it is missing, Keychain Access > Settings > Reset My Default Keychain), then try again.";

    pub fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
        Ok(store)
    }

    /// Keychain Access lists a generic password by its service (Name and Where) and shows the
    /// account beside it; the store sets no label or comment (it takes no modifiers), so the
    /// service name `cloudneeti-access` and the account `api-key:NAME` / `app-secret:PROFILE`
    /// are what a user finds.
    pub fn entry(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
        _label: &str,
    ) -> keyring_core::Result<Entry> {
        Entry::new_in_store(store, service, account)
    }

    /// Nothing more can be written: see `entry`.
    pub fn describe(_entry: &Entry, _account: &str, _label: &str) -> keyring_core::Result<()> {
        Ok(())
    }

    /// Opening the store touched nothing; the read probe in `preflight` is the check.
    pub fn probe() -> keyring_core::Result<Option<String>> {
        Ok(None)
    }

    /// No cheap liveness check is known here: a slow answer is waited for to the timeout.
    pub fn answers() -> Option<bool> {
        None
    }

    pub fn classify(err: &PlatformError, no_access: bool) -> Class {
        // security-framework's Debug is `Error { code: -25308, .. }`; reading the OSStatus
        // from it spares a direct dependency on that crate just to downcast.
        let debug = format!("{err:?}");
        let code = debug
            .split("code: ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| c != '-' && !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse::<i32>().ok());
        match code {
            // errSecInteractionNotAllowed: the keychain is locked and may not prompt.
            Some(-25308) => Class::Locked,
            // errSecNotAvailable, errSecNoSuchKeychain, errSecInvalidKeychain
            Some(-25291 | -25294 | -25295) => Class::Unavailable(err.to_string()),
            // userCanceledErr, errSecAuthFailed
            Some(-128 | -25293) => Class::Denied(err.to_string()),
            _ if no_access => Class::Denied(err.to_string()),
            _ => Class::Other(err.to_string()),
        }
    }
}

#[cfg(target_os = "windows")]
mod imp {
    use std::sync::Arc;

    use std::collections::HashMap;

    use keyring_core::{CredentialStore, Entry};

    use super::{Class, PlatformError};

    pub const BACKEND: &str = "Windows Credential Manager";

    /// Credential Manager is there on every Windows; it fails only outside a user's own logon
    /// session (a service account, an SSH or network logon, a task set to run whether the user
    /// is logged on or not).
    pub const UNAVAILABLE_FIX: &str = "Run it as yourself, in your own Windows session (signed in at the desktop, or a scheduled task set to 'Run only when user is logged on'): Credential Manager keeps no credentials for a service account or an SSH or network logon.";

    pub fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
        Ok(store)
    }

    /// Credential Manager lists a generic credential by its target name, and shows its user
    /// name and comment when opened. The store's own target would be `app-secret:demo.cloudneeti-access`
    /// (user, '.', service), read backwards; ours puts the service first, as Windows' own
    /// entries do (`git:https://...`, `MicrosoftAccount:...`): `cloudneeti-access/app-secret:demo`.
    /// The name is fixed at creation: `describe` adds the rest.
    pub fn entry(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
        _label: &str,
    ) -> keyring_core::Result<Entry> {
        let target = target_name(service, account);
        // Local: kept on this machine only. The store's default, Enterprise, would copy the
        // secrets to every machine a roaming profile logs on to.
        let modifiers = HashMap::from([("target", target.as_str()), ("persistence", "Local")]);
        Entry::new_in_store_with_modifiers(store, service, account, &modifiers)
    }

    fn target_name(service: &str, account: &str) -> String {
        format!("{service}/{account}")
    }

    /// After the secret is written: the user name (an explicit target leaves it empty) and the
    /// label as the comment, which Credential Manager shows under the entry. Both fit its
    /// limits (513 and 256 characters): names are at most 64 characters.
    pub fn describe(entry: &Entry, account: &str, label: &str) -> keyring_core::Result<()> {
        let attributes = HashMap::from([("username", account), ("comment", label)]);
        entry.update_attributes(&attributes)
    }

    /// Credential Manager has no keyrings to check; the read probe in `preflight` is the check.
    pub fn probe() -> keyring_core::Result<Option<String>> {
        Ok(None)
    }

    /// No cheap liveness check is known here: a slow answer is waited for to the timeout.
    pub fn answers() -> Option<bool> {
        None
    }

    pub fn classify(err: &PlatformError, no_access: bool) -> Class {
        if no_access {
            // The store reports only ERROR_NO_SUCH_LOGON_SESSION this way: no user profile to
            // keep credentials in (a service account, a network logon).
            Class::Unavailable(format!("no logon session can hold credentials ({err})"))
        } else {
            Class::Other(err.to_string())
        }
    }
}

#[cfg(not(any(
    all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))),
    target_os = "macos",
    target_os = "windows"
)))]
mod imp {
    use std::sync::Arc;

    use keyring_core::{CredentialStore, Entry, Error as KError};

    use super::{Class, PlatformError};

    pub const BACKEND: &str = "no supported keychain";

    pub const UNAVAILABLE_FIX: &str = "This system has no keychain Cloudneeti Access can use (Linux's Secret Service, macOS Keychain, Windows Credential Manager).";

    pub fn entry(
        store: &Arc<CredentialStore>,
        service: &str,
        account: &str,
        _label: &str,
    ) -> keyring_core::Result<Entry> {
        Entry::new_in_store(store, service, account)
    }

    pub fn describe(_entry: &Entry, _account: &str, _label: &str) -> keyring_core::Result<()> {
        Ok(())
    }

    pub fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
        Err(KError::NotSupportedByStore("this operating system has no supported keychain".into()))
    }

    pub fn probe() -> keyring_core::Result<Option<String>> {
        open_store().map(|_| None)
    }

    /// No cheap liveness check is known here: a slow answer is waited for to the timeout.
    pub fn answers() -> Option<bool> {
        None
    }

    pub fn classify(err: &PlatformError, _no_access: bool) -> Class {
        Class::Unavailable(err.to_string())
    }
}
