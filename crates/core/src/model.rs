//! The non-secret data model: environments, API key metadata, profiles, settings and the
//! config that holds them, with the rules that keep it consistent (unique names, no profile
//! pointing at an API key that is not there). Serialised as camelCase JSON by config_store.rs.
//!
//! What must not live here: any secret, and any I/O. An API key's value and an application
//! secret live in the keychain (vault.rs); this model only names them (`ApiKeyMeta`,
//! `Profile::api_key`) and remembers when they were stored. No type here can hold the vault's
//! secret type, so a secret cannot reach the settings file through it.

pub use crate::parsed::{
    AccountId, AppId, BaseUrl, BenchmarkId, JobId, KeyName, LicenseId, ProfileName, TokenExpiry,
};
use crate::{token_policy, validate, Error, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The settings file schema this version reads and writes. A file with a higher number was
/// written by a newer version and is left untouched (`Error::ConfigTooNew`).
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

/// How many days before an application secret expires the app starts reminding.
pub const SECRET_EXPIRY_WARNING_DAYS: i64 = 14;

pub use crate::token_policy::TOKEN_EXPIRY_CHOICES;

/// The vendor's documentation site, the one link besides the portals the app opens [page].
pub const DOCS_URL: &str = "https://docs.cloudneeti.com";

/// A Cloudneeti service the vendor runs, with its three addresses (cloudneeti-api.md,
/// "Environments and portals"). The only place these addresses are written: the client, the
/// app's links and its link allow-list all read them from here.
#[derive(Debug, PartialEq, Eq)]
pub struct Service {
    /// The API's base URL.
    pub api: &'static str,
    /// Where a License Admin creates the API application.
    pub portal: &'static str,
    /// The API portal (APIM developer portal), where the API key is obtained.
    pub api_portal: &'static str,
}

/// PROD [page].
pub const PROD: Service = Service {
    api: "https://api.cloudneeti.com",
    portal: "https://app.cloudneeti.com",
    api_portal: "https://portal.cloudneeti.com/",
};

/// PROD's second region: the vendor's scripts map `prod1` to api1.cloudneeti.com and sign in
/// at app1.cloudneeti.com [script]; nobody names its API portal, so PROD's is assumed
/// [assumed].
pub const PROD1: Service = Service {
    api: "https://api1.cloudneeti.com",
    portal: "https://app1.cloudneeti.com",
    api_portal: PROD.api_portal,
};

/// TRIAL: the portal from the scripts [script], the API portal from the documented
/// "<Environment>portal.cloudneeti.com" [page].
pub const TRIAL: Service = Service {
    api: "https://trialapi.cloudneeti.com",
    portal: "https://trial.cloudneeti.com",
    api_portal: "https://trialportal.cloudneeti.com/",
};

/// The pages the app may open in the system browser: every known service's portal and API
/// portal, and the documentation. Nothing else (not any *.cloudneeti.com) [ours].
pub fn cloudneeti_pages() -> impl Iterator<Item = &'static str> {
    Environment::NAMED
        .iter()
        .filter_map(Environment::service)
        .flat_map(|s| [s.portal, s.api_portal])
        .chain([DOCS_URL])
}

/// When a secret with the portal's expiry date `date` stops working: the date is "applicable
/// till midnight UTC of the selected date" [shot], so it is valid through that whole UTC day
/// and expires at the midnight that ends it.
pub fn secret_valid_until(date: NaiveDate) -> DateTime<Utc> {
    // `succ_opt` fails only for chrono's last representable day; that secret never expires.
    date.succ_opt().map_or(DateTime::<Utc>::MAX_UTC, |next| next.and_time(NaiveTime::MIN).and_utc())
}

/// Where a profile's API lives.
///
/// JSON: `"prod"`, `"prod1"`, `"trial"`, `"sandbox"`, or `{"custom": "https://host"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EnvironmentRepr", into = "EnvironmentRepr")]
pub enum Environment {
    /// api.cloudneeti.com
    Prod,
    /// api1.cloudneeti.com, PROD's second region
    Prod1,
    /// trialapi.cloudneeti.com
    Trial,
    /// The embedded local emulator; its address is chosen when it starts.
    Sandbox,
    /// Any other deployment, e.g. a private APIM gateway or an emulator run by hand.
    Custom { base_url: BaseUrl },
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum EnvironmentRepr {
    Prod,
    Prod1,
    Trial,
    Sandbox,
    Custom(BaseUrl),
}

impl From<EnvironmentRepr> for Environment {
    fn from(r: EnvironmentRepr) -> Self {
        match r {
            EnvironmentRepr::Prod => Environment::Prod,
            EnvironmentRepr::Prod1 => Environment::Prod1,
            EnvironmentRepr::Trial => Environment::Trial,
            EnvironmentRepr::Sandbox => Environment::Sandbox,
            EnvironmentRepr::Custom(base_url) => Environment::Custom { base_url },
        }
    }
}

impl From<Environment> for EnvironmentRepr {
    fn from(e: Environment) -> Self {
        match e {
            Environment::Prod => EnvironmentRepr::Prod,
            Environment::Prod1 => EnvironmentRepr::Prod1,
            Environment::Trial => EnvironmentRepr::Trial,
            Environment::Sandbox => EnvironmentRepr::Sandbox,
            Environment::Custom { base_url } => EnvironmentRepr::Custom(base_url),
        }
    }
}

impl Environment {
    /// The environments a person picks by name, in the order the app offers them.
    pub const NAMED: [Environment; 4] =
        [Environment::Prod, Environment::Prod1, Environment::Trial, Environment::Sandbox];

    /// Reads what a person typed: `prod` (or `production`), `prod1`, `trial`, `sandbox`, in
    /// any case, or a base URL. A known service's address gives its environment, so one
    /// service never appears as two environments.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if lower == "production" {
            return Ok(Environment::Prod);
        }
        if let Some(named) = Environment::NAMED.into_iter().find(|e| e.to_string() == lower) {
            return Ok(named);
        }
        if !t.contains("://") {
            return Err(Error::invalid(
                "environment",
                "it is not prod, prod1, trial, sandbox or an address starting with https://",
                "Use prod for api.cloudneeti.com, prod1 for api1.cloudneeti.com, trial for trialapi.cloudneeti.com, sandbox for the built-in emulator, or the API's address, e.g. https://api.example.com.",
            ));
        }
        let base_url = validate::base_url(t)?;
        Ok(Environment::NAMED
            .into_iter()
            .find(|e| e.base_url() == Some(base_url.as_str()))
            .unwrap_or(Environment::Custom { base_url }))
    }

    /// The vendor's service behind this environment; `None` for the Sandbox and custom
    /// addresses, whose portals this app does not know.
    pub fn service(&self) -> Option<&'static Service> {
        match self {
            Environment::Prod => Some(&PROD),
            Environment::Prod1 => Some(&PROD1),
            Environment::Trial => Some(&TRIAL),
            Environment::Sandbox | Environment::Custom { .. } => None,
        }
    }

    /// The API's base URL; `None` for the sandbox, whose address is known only at run time.
    pub fn base_url(&self) -> Option<&str> {
        match self {
            Environment::Custom { base_url } => Some(base_url.as_str()),
            known => known.service().map(|s| s.api),
        }
    }
}

impl FromStr for Environment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Environment::parse(s)
    }
}

/// `prod`, `prod1`, `trial`, `sandbox`, or the custom base URL: the same words `parse`
/// accepts, and the names the config file stores.
impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Prod => f.write_str("prod"),
            Environment::Prod1 => f.write_str("prod1"),
            Environment::Trial => f.write_str("trial"),
            Environment::Sandbox => f.write_str("sandbox"),
            Environment::Custom { base_url } => f.write_str(base_url.as_str()),
        }
    }
}

/// A named API key. The value is in the keychain under this name; one key serves every
/// profile of the portal user it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyMeta {
    pub name: KeyName,
    /// When the value was last stored in the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_at: Option<DateTime<Utc>>,
    /// A reminder for people (see `validate::note`); never the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ApiKeyMeta {
    pub fn new(name: KeyName) -> Self {
        ApiKeyMeta { name, stored_at: None, note: None }
    }
}

/// A cloud account of a license, as the service reports it (the license accounts call) and
/// the profile remembers it: one shape for both, and for the app's views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AccountView"))]
pub struct KnownAccount {
    /// Kept as the service sent it (GUIDs in every sample, but this is the service's data).
    pub account_id: String,
    pub account_name: String,
    /// e.g. Azure, AWS, GCP, Office365.
    pub connector_type: String,
    pub is_in_api_scope: bool,
}

/// One license in one environment, reached through one API application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: ProfileName,
    pub environment: Environment,
    pub license_id: LicenseId,
    /// Absent until entered: the portal shows the application secret before the id, and the
    /// walkthrough stores the secret the moment it is pasted.
    #[serde(default)]
    pub app_id: Option<AppId>,
    /// The name of the `ApiKeyMeta` this profile uses.
    pub api_key: KeyName,
    /// The application's "Token Expiry" as chosen in the portal, in minutes; used when a token
    /// does not say when it expires. Any value loads (files from before the portal's
    /// drop-down); new input is one of `TOKEN_EXPIRY_CHOICES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expiry_minutes: Option<TokenExpiry>,
    /// The application secret's expiry date as chosen in the portal, for reminders; the secret
    /// works through that whole UTC day (`secret_valid_until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_expires_on: Option<NaiveDate>,
    /// When the application secret was last stored in the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_stored_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub known_accounts: Vec<KnownAccount>,
    /// Grants of the application as `licenseAccounts` last listed them, e.g. `Account.Audit`.
    /// Earlier versions stored documentation page titles; they are renamed on load.
    #[serde(default, deserialize_with = "grants_by_their_real_names")]
    pub granted_apis: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Page titles that versions before 0.2 stored as grants, and the grant each stands for
/// (cloudneeti-api.md, "Grants"). `License.LicenseAccounts` is the page of the call that
/// `License.GetAPIAccess` opens; the summary and health pages are `Account.Audit` and
/// `Account.Health`.
const OLD_GRANT_NAMES: &[(&str, &str)] = &[
    ("License.LicenseAccounts", "License.GetAPIAccess"),
    ("Account.Audit.Summary", "Account.Audit"),
    ("Account.Audit.HealthStatus", "Account.Health"),
];

fn grants_by_their_real_names<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let stored = Vec::<String>::deserialize(deserializer)?;
    let mut grants: Vec<String> = Vec::with_capacity(stored.len());
    for name in stored {
        let real = OLD_GRANT_NAMES
            .iter()
            .find(|(old, _)| *old == name)
            .map_or(name, |(_, new)| (*new).to_string());
        if !grants.contains(&real) {
            grants.push(real);
        }
    }
    Ok(grants)
}

impl Profile {
    /// A profile created now, with nothing known yet beyond what the person entered.
    pub fn new(
        name: ProfileName,
        environment: Environment,
        license_id: LicenseId,
        app_id: Option<AppId>,
        api_key: KeyName,
    ) -> Self {
        let now = Utc::now();
        Profile {
            name,
            environment,
            license_id,
            app_id,
            api_key,
            token_expiry_minutes: None,
            secret_expires_on: None,
            secret_stored_at: None,
            known_accounts: Vec::new(),
            granted_apis: Vec::new(),
            created_at: now,
            updated_at: now,
        }
    }

    /// The API application id, which a token request needs.
    pub fn app_id(&self) -> Result<AppId> {
        self.app_id.ok_or_else(|| Error::AppIdMissing { profile: self.name.to_string() })
    }

    /// When the application secret stops working, from its expiry date.
    pub fn secret_valid_until(&self) -> Option<DateTime<Utc>> {
        self.secret_expires_on.map(secret_valid_until)
    }

    /// Days until the application secret expires, when that is at most
    /// `SECRET_EXPIRY_WARNING_DAYS` away; 0 means it expires at the coming midnight UTC (its
    /// last day), a negative number that it expired that many days ago. Counted in UTC days
    /// from the moment it stops working, whatever the caller's time zone. `None` when no
    /// expiry date is known or it is further off.
    pub fn secret_expiry_warning(&self, now: DateTime<Utc>) -> Option<i64> {
        let last_day = self.secret_valid_until()?.date_naive().pred_opt()?;
        let days_left = (last_day - now.date_naive()).num_days();
        (days_left <= SECRET_EXPIRY_WARNING_DAYS).then_some(days_left)
    }
}

/// Preferences shared by the app and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SettingsView"))]
pub struct Settings {
    /// Seconds after which a token copied to the clipboard is cleared (5 to 600).
    pub clipboard_clear_seconds: u32,
}

/// How long a copied token may stay on the clipboard, in seconds.
pub const CLIPBOARD_CLEAR_SECONDS: std::ops::RangeInclusive<u32> = 5..=600;

const CLIPBOARD_HINT: &str =
    "Choose how long a copied token stays on the clipboard, from 5 seconds to 10 minutes.";

impl Settings {
    /// Refuses settings a user could not have meant: a clipboard delay outside
    /// [`CLIPBOARD_CLEAR_SECONDS`].
    pub fn check(&self) -> Result<()> {
        let seconds = self.clipboard_clear_seconds;
        let (low, high) = (CLIPBOARD_CLEAR_SECONDS.start(), CLIPBOARD_CLEAR_SECONDS.end());
        let reason = if seconds < *low {
            format!("{seconds} seconds is too short; the shortest is {low} seconds")
        } else if seconds > *high {
            format!("{seconds} seconds is too long; the longest is {high} seconds")
        } else {
            return Ok(());
        };
        Err(Error::invalid("clipboard delay", reason, CLIPBOARD_HINT))
    }

    /// The clipboard delay as a person types it: a whole number of seconds in the range.
    pub fn clipboard_seconds(text: &str) -> Result<u32> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("clipboard delay", "it is empty", CLIPBOARD_HINT));
        }
        let seconds = text.parse::<u32>().map_err(|_| {
            Error::invalid("clipboard delay", "it is not a whole number of seconds", CLIPBOARD_HINT)
        })?;
        Settings { clipboard_clear_seconds: seconds }.check()?;
        Ok(seconds)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings { clipboard_clear_seconds: 30 }
    }
}

/// Everything in the settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub schema_version: u32,
    #[serde(default)]
    pub api_keys: Vec<ApiKeyMeta>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub settings: Settings,
    /// Top-level fields this version does not know (written by a newer version, a tool, a
    /// hand edit): kept as they are and written back, never dropped.
    #[serde(flatten)]
    pub unknown: serde_json::Map<String, serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            schema_version: CURRENT_SCHEMA_VERSION,
            api_keys: Vec::new(),
            profiles: Vec::new(),
            settings: Settings::default(),
            unknown: serde_json::Map::new(),
        }
    }
}

// Names are unique regardless of case: keychain entries are named after them, and Windows
// Credential Manager does not tell "Prod" from "prod".
fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Config {
    /// The profile of that name. A name that is not found is said back only once it has
    /// passed as a name: text that is not one (a pasted key, say) is refused unrepeated.
    pub fn profile(&self, name: &str) -> Result<&Profile> {
        if let Some(found) = self.profiles.iter().find(|p| p.name == name) {
            return Ok(found);
        }
        let name = validate::profile_name(name)?;
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::ProfileNotFound(name.into()))
    }

    /// Adds a profile; the API key it names must already be known.
    pub fn add_profile(&mut self, profile: Profile) -> Result<()> {
        if self.profiles.iter().any(|p| same_name(&p.name, &profile.name)) {
            return Err(Error::ProfileExists(profile.name.into()));
        }
        self.api_key(&profile.api_key)?;
        self.profiles.push(profile);
        Ok(())
    }

    /// Changes a profile through `change`, all or nothing: if `change` fails, or leaves the
    /// profile with a name that is taken or an unknown API key, nothing is changed.
    /// Sets `updated_at`.
    pub fn update_profile<T>(
        &mut self,
        name: &str,
        change: impl FnOnce(&mut Profile) -> Result<T>,
    ) -> Result<T> {
        let index = self
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::ProfileNotFound(name.to_owned()))?;
        let mut draft = self.profiles[index].clone();
        let out = change(&mut draft)?;
        let taken = self
            .profiles
            .iter()
            .enumerate()
            .any(|(i, p)| i != index && same_name(&p.name, &draft.name));
        if taken {
            return Err(Error::ProfileExists(draft.name.into()));
        }
        self.api_key(&draft.api_key)?;
        draft.updated_at = Utc::now();
        self.profiles[index] = draft;
        Ok(out)
    }

    /// Removes a profile and returns it, so the caller can delete its secret from the keychain.
    pub fn remove_profile(&mut self, name: &str) -> Result<Profile> {
        let index = self
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::ProfileNotFound(name.to_owned()))?;
        Ok(self.profiles.remove(index))
    }

    /// The API key of that name; as `profile`, an unknown name is said back only once it
    /// has passed as a name.
    pub fn api_key(&self, name: &str) -> Result<&ApiKeyMeta> {
        if let Some(found) = self.api_keys.iter().find(|k| k.name == name) {
            return Ok(found);
        }
        let name = validate::key_name(name)?;
        self.api_keys
            .iter()
            .find(|k| k.name == name)
            .ok_or_else(|| Error::ApiKeyNotFound(name.into()))
    }

    /// Records an API key's metadata, replacing the entry of the same name (storing a key
    /// again under its name is how a key is rotated). The note is validated and cleaned; a
    /// name that differs from a known one only in case is refused.
    pub fn set_api_key(&mut self, mut meta: ApiKeyMeta) -> Result<()> {
        meta.note = match meta.note {
            Some(note) => validate::note(&note)?,
            None => None,
        };
        match self.api_keys.iter_mut().find(|k| same_name(&k.name, &meta.name)) {
            Some(existing) if existing.name == meta.name => *existing = meta,
            Some(existing) => {
                return Err(Error::invalid(
                    "API key name",
                    format!("an API key named \"{}\" already exists, and names that differ only in case are not told apart", existing.name),
                    format!("Use \"{}\" to replace that key, or choose another name.", existing.name),
                ))
            }
            None => self.api_keys.push(meta),
        }
        Ok(())
    }

    /// Removes an API key's metadata and returns it; refused while a profile uses the key.
    pub fn remove_api_key(&mut self, name: &str) -> Result<ApiKeyMeta> {
        let users = self.profiles_using_key(name);
        if !users.is_empty() {
            return Err(Error::ApiKeyInUse { name: name.to_owned(), profiles: users.join(", ") });
        }
        let index = self
            .api_keys
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| Error::ApiKeyNotFound(name.to_owned()))?;
        Ok(self.api_keys.remove(index))
    }

    /// Names of the profiles that use the named API key.
    pub fn profiles_using_key(&self, name: &str) -> Vec<&str> {
        self.profiles.iter().filter(|p| p.api_key == *name).map(|p| p.name.as_str()).collect()
    }
}

/// A profile as a person types it (CLI flags, the app's form): every field is checked and
/// normalised by `validate` before it becomes a `Profile`. The app's IPC takes it as it is
/// (TypeScript name `ProfileInput`); the UI's own checks are for quick feedback only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProfileInput"))]
pub struct ProfileForm {
    pub name: String,
    /// prod, trial, sandbox or the API's https URL.
    pub environment: String,
    pub license_id: String,
    /// Empty until the portal has shown it.
    pub app_id: String,
    pub api_key: String,
    pub token_expiry_minutes: Option<u32>,
    /// YYYY-MM-DD; empty means none.
    pub secret_expires_on: Option<String>,
}

impl ProfileForm {
    /// A new profile from the form.
    pub fn validate(&self) -> Result<Profile> {
        self.validate_keeping(None)
    }

    /// The form as an edit of `current`: as `validate`, except that a token expiry the portal
    /// no longer offers may stay what `current` has (it was chosen before the drop-down).
    pub fn validate_edit(&self, current: &Profile) -> Result<Profile> {
        self.validate_keeping(current.token_expiry_minutes)
    }

    fn validate_keeping(&self, kept_token_expiry: Option<TokenExpiry>) -> Result<Profile> {
        // Every field parsed here, once: the model carries the parsed values.
        let mut profile = Profile::new(
            validate::profile_name(&self.name)?,
            Environment::parse(&self.environment)?,
            validate::license_id(&self.license_id)?,
            match self.app_id.trim() {
                "" => None,
                text => Some(validate::app_id(text)?),
            },
            validate::key_name(&self.api_key)?,
        );
        profile.token_expiry_minutes = self
            .token_expiry_minutes
            .map(|minutes| token_policy::token_expiry(minutes, kept_token_expiry))
            .transpose()?;
        profile.secret_expires_on =
            validate::secret_expires_on(self.secret_expires_on.as_deref().unwrap_or(""))?;
        Ok(profile)
    }
}
