//! The activity log (`activity.jsonl`): one JSON line per token request and per change of a
//! secret or profile, kept on this computer for admins and auditors.
//!
//! A line looks like
//! `{"time":"2025-01-31T09:15:02.125Z","action":"account_token","profile":"contoso-prod",
//! "apiKey":"main","environment":"prod","licenseId":"…","accountId":"…","outcome":"ok"}`;
//! `outcome` is `ok` or an error code (`Error::code`), and `detail` (only on failures) is the
//! error's message. Field names are camelCase like the settings file's.
//!
//! What must not live here: a secret. An entry's fields are private and filled only from
//! values that are not secret by construction: a `Profile` or `ApiKeyMeta` (names, ids and
//! environment), a `Uuid`, an `Action`, and an `Error` (whose variants carry no secret). No
//! constructor takes free text or the vault's secret type.
//!
//! The file is bounded: when an append takes it past `max_bytes` (1 MiB by default), it is
//! rewritten atomically with the newest entries that fit in half of that. Appends and that
//! rewrite happen under an exclusive lock on `activity.jsonl.lock`, so lines written from
//! several threads or processes never interleave.

use crate::error::{FileKind, LockedFile};
use crate::fsutil::{self, io_error, with_suffix};
use crate::model::{AccountId, ApiKeyMeta, Profile};
use crate::{paths, Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The bound used outside tests.
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024;

// Keeps one entry small next to the bound, whatever a future error message says.
const MAX_DETAIL_CHARS: usize = 500;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    LicenseToken,
    AccountToken,
    ApiKeyStored,
    ApiKeyRemoved,
    AppSecretStored,
    AppSecretRemoved,
    ProfileAdded,
    ProfileUpdated,
    ProfileRemoved,
}

/// One line of the log. See the module documentation for why it cannot hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    #[serde(with = "rfc3339_millis")]
    time: DateTime<Utc>,
    action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    license_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account_id: Option<Uuid>,
    outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

impl ActivityEntry {
    /// Something done with a profile, now, successfully so far: its name, environment,
    /// license and API key name are recorded.
    pub fn for_profile(action: Action, profile: &Profile) -> Self {
        ActivityEntry {
            profile: Some(profile.name.to_string()),
            api_key: Some(profile.api_key.to_string()),
            environment: Some(profile.environment.to_string()),
            license_id: Some(profile.license_id.as_uuid()),
            ..ActivityEntry::bare(action)
        }
    }

    /// Something done with an API key (stored, removed), now: only its name is recorded.
    pub fn for_api_key(action: Action, key: &ApiKeyMeta) -> Self {
        ActivityEntry { api_key: Some(key.name.to_string()), ..ActivityEntry::bare(action) }
    }

    /// The cloud account an account token was asked for.
    pub fn with_account(mut self, account_id: AccountId) -> Self {
        self.account_id = Some(account_id.as_uuid());
        self
    }

    /// Marks the entry failed: the outcome becomes the error's code, the detail its message.
    pub fn failed(mut self, error: &Error) -> Self {
        self.outcome = error.code().to_owned();
        self.detail = Some(error.to_string().chars().take(MAX_DETAIL_CHARS).collect());
        self
    }

    fn bare(action: Action) -> Self {
        ActivityEntry {
            time: Utc::now(),
            action,
            profile: None,
            api_key: None,
            environment: None,
            license_id: None,
            account_id: None,
            outcome: "ok".to_owned(),
            detail: None,
        }
    }

    pub fn time(&self) -> DateTime<Utc> {
        self.time
    }
    pub fn action(&self) -> Action {
        self.action
    }
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }
    pub fn api_key(&self) -> Option<&str> {
        self.api_key.as_deref()
    }
    pub fn environment(&self) -> Option<&str> {
        self.environment.as_deref()
    }
    pub fn license_id(&self) -> Option<Uuid> {
        self.license_id
    }
    pub fn account_id(&self) -> Option<Uuid> {
        self.account_id
    }
    /// `ok`, or the code of the error that ended the action.
    pub fn outcome(&self) -> &str {
        &self.outcome
    }
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

/// RFC 3339 in UTC with milliseconds, e.g. `2025-01-31T09:15:02.125Z`: precise enough to
/// order entries, and the same width on every line.
mod rfc3339_millis {
    use super::*;

    pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

/// The activity log in one folder. Cheap to create: nothing touches the disk until used.
#[derive(Debug, Clone)]
pub struct ActivityLog {
    dir: PathBuf,
    path: PathBuf,
    lock_path: PathBuf,
    max_bytes: u64,
}

impl ActivityLog {
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let path = dir.join(paths::ACTIVITY_FILE_NAME);
        let lock_path = with_suffix(&path, ".lock");
        ActivityLog { dir, path, lock_path, max_bytes: DEFAULT_MAX_BYTES }
    }

    /// The log in `CNACCESS_CONFIG_DIR` or the OS config folder (see paths.rs).
    pub fn from_env() -> Result<Self> {
        Ok(ActivityLog::open(paths::config_dir()?))
    }

    /// Sets the size past which the oldest half is dropped.
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds one line, durably, then trims the file if it grew past the bound.
    pub fn append(&self, entry: &ActivityEntry) -> Result<()> {
        let mut line = serde_json::to_vec(entry)
            .map_err(|e| io_error(FileKind::ActivityLog, &self.path, e.into()))?;
        line.push(b'\n');
        fsutil::create_private_dir(&self.dir)?;
        let _lock = fsutil::lock_exclusive(LockedFile::ActivityLog, &self.lock_path)?;
        let size = self
            .append_locked(&mut line)
            .map_err(|e| io_error(FileKind::ActivityLog, &self.path, e))?;
        if size > self.max_bytes {
            self.keep_newest_half()?;
        }
        Ok(())
    }

    /// Returns the file's size after the append.
    fn append_locked(&self, line: &mut Vec<u8>) -> io::Result<u64> {
        let mut file =
            fsutil::private_file().read(true).append(true).create(true).open(&self.path)?;
        let len = file.metadata()?.len();
        if len > 0 {
            // A crash mid-append can leave a last line without its newline; starting a fresh
            // line keeps this entry readable.
            file.seek(SeekFrom::End(-1))?;
            let mut last = [0u8];
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                line.insert(0, b'\n');
            }
        }
        file.write_all(line)?;
        file.sync_data()?;
        Ok(len + line.len() as u64)
    }

    /// Rewrites the file with the newest whole lines that fit in half the bound. Called with
    /// the lock held.
    fn keep_newest_half(&self) -> Result<()> {
        let bytes =
            fs::read(&self.path).map_err(|e| io_error(FileKind::ActivityLog, &self.path, e))?;
        let budget = usize::try_from(self.max_bytes / 2).unwrap_or(usize::MAX);
        let mut kept = Vec::new();
        let mut used = 0;
        for line in lines(&bytes).rev() {
            if used + line.len() + 1 > budget {
                break;
            }
            used += line.len() + 1;
            kept.push(line);
        }
        let mut out = Vec::with_capacity(used);
        for line in kept.iter().rev() {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        fsutil::write_atomic(FileKind::ActivityLog, &self.path, &out)
    }

    /// The newest `limit` entries, oldest first. Lines this version cannot read (damaged, or
    /// written by a newer version) are skipped; `export_json` still includes them.
    pub fn read(&self, limit: usize) -> Result<Vec<ActivityEntry>> {
        let bytes = self.contents()?;
        let mut entries: Vec<ActivityEntry> =
            lines(&bytes).filter_map(|l| serde_json::from_slice(l).ok()).collect();
        let skip = entries.len().saturating_sub(limit);
        entries.drain(..skip);
        Ok(entries)
    }

    /// Every entry as one pretty-printed JSON array, oldest first, for handing to an auditor.
    /// Includes lines with fields or actions this version does not know.
    pub fn export_json(&self) -> Result<String> {
        let bytes = self.contents()?;
        let entries: Vec<serde_json::Value> = lines(&bytes)
            .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
            .filter(serde_json::Value::is_object)
            .collect();
        serde_json::to_string_pretty(&entries)
            .map_err(|e| io_error(FileKind::ActivityLog, &self.path, e.into()))
    }

    // No lock needed to read: the only rewrite is an atomic rename, and a line being appended
    // at this moment is at worst incomplete, which the parsers skip.
    fn contents(&self) -> Result<Vec<u8>> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(io_error(FileKind::ActivityLog, &self.path, e)),
        }
    }
}

fn lines(bytes: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty())
}
