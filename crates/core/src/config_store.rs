//! The settings file (`config.json`), shared by the app and the CLI, possibly running at the
//! same time.
//!
//! Every change is read-modify-write under an exclusive lock on `config.json.lock`, written
//! atomically (temp file, fsync, rename; mode 0600, folder 0700 on unix), so concurrent
//! writers never lose each other's changes and readers never see half a file. A damaged file
//! is moved aside to `config.json.corrupt-<UTC timestamp>` and reported, never silently
//! replaced; a file from a newer version is reported and left untouched.
//!
//! What must not live here: any secret (the model has no field for one), and the rules of the
//! data itself (model.rs).

use crate::error::{FileKind, LockedFile};
use crate::fsutil::{self, io_error, with_suffix};
use crate::model::{Config, CURRENT_SCHEMA_VERSION};
use crate::{paths, validate, Error, Result};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The settings file in one folder. Cheap to create: nothing touches the disk until
/// `load` or `update`.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    dir: PathBuf,
    path: PathBuf,
    lock_path: PathBuf,
}

enum Read {
    Good(Config),
    Damaged(String),
}

impl ConfigStore {
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let path = dir.join(paths::CONFIG_FILE_NAME);
        let lock_path = with_suffix(&path, ".lock");
        ConfigStore { dir, path, lock_path }
    }

    /// The store in `CNACCESS_CONFIG_DIR` or the OS config folder (see paths.rs).
    pub fn from_env() -> Result<Self> {
        Ok(ConfigStore::open(paths::config_dir()?))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The settings file itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current settings; an empty config when there is no file yet.
    pub fn load(&self) -> Result<Config> {
        match self.read()? {
            Read::Good(config) => Ok(config),
            // Confirm under the lock before moving anything: a writer may have just replaced
            // the file we read, and its good file must not be moved aside.
            Read::Damaged(_) => {
                let _lock = fsutil::lock_exclusive(LockedFile::Settings, &self.lock_path)?;
                self.read_locked()
            }
        }
    }

    /// Applies `change` to the current settings and saves them, all under the lock. If
    /// `change` fails nothing is written and its error is returned.
    pub fn update<T>(&self, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
        fsutil::create_private_dir(&self.dir)?;
        let _lock = fsutil::lock_exclusive(LockedFile::Settings, &self.lock_path)?;
        let mut config = self.read_locked()?;
        let out = change(&mut config)?;
        let mut bytes = serde_json::to_vec_pretty(&config)
            .map_err(|e| io_error(FileKind::Settings, &self.path, e.into()))?;
        bytes.push(b'\n');
        fsutil::write_atomic(FileKind::Settings, &self.path, &bytes)?;
        Ok(out)
    }

    fn read_locked(&self) -> Result<Config> {
        match self.read()? {
            Read::Good(config) => Ok(config),
            Read::Damaged(detail) => Err(self.move_aside(detail)),
        }
    }

    fn read(&self) -> Result<Read> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Read::Good(Config::default()))
            }
            Err(e) => return Err(io_error(FileKind::Settings, &self.path, e)),
        };
        let value: serde_json::Value = match serde_json::from_slice(&bytes) {
            Ok(value) => value,
            Err(e) => return Ok(Read::Damaged(format!("not valid JSON: {e}"))),
        };
        // The version is checked before the shape: a newer schema may have another shape,
        // and such a file is not damaged, only not ours to read.
        // Compared as a number, whatever its JSON spelling (2, 2.0, 1e0): a hand edit or
        // another writer may not write an integer, and a newer file must never look damaged.
        let mut value = value;
        let Some(found) = value.get("schemaVersion").and_then(serde_json::Value::as_f64) else {
            return Ok(Read::Damaged("no schemaVersion number at the top level".into()));
        };
        if found > f64::from(CURRENT_SCHEMA_VERSION) {
            return Err(Error::ConfigTooNew {
                path: self.path.clone(),
                found: found.ceil().min(f64::from(u32::MAX)) as u32,
                supported: CURRENT_SCHEMA_VERSION,
            });
        }
        if found.fract() != 0.0 || found < 1.0 {
            return Ok(Read::Damaged(format!(
                "schemaVersion {found} was never written by any version"
            )));
        }
        value["schemaVersion"] = serde_json::Value::from(found as u32);
        let raw = value.clone();
        match serde_json::from_value(value) {
            Ok(config) => self.check_names(&config, &raw, &bytes).map(|()| Read::Good(config)),
            Err(e) => Ok(Read::Damaged(format!(
                "unexpected content: {}",
                crate::text::without_values(&e.to_string())
            ))),
        }
    }

    /// Names and ids are read as written (the file is ours), but one a hand edit broke (a
    /// space, a control character, a pasted key) would fail later, far from its cause: it is
    /// reported now, with the line to fix, and the file is left as it is. Ids are checked in
    /// the file's own text (`raw`): read as GUIDs they would also take 32 hex digits without
    /// hyphens, the shape of an API key pasted into the wrong field.
    fn check_names(&self, config: &Config, raw: &serde_json::Value, bytes: &[u8]) -> Result<()> {
        let names = config
            .profiles
            .iter()
            .map(|p| {
                (
                    "profile name",
                    "name",
                    p.name.to_string(),
                    validate::profile_name(&p.name).map(drop),
                )
            })
            .chain(config.profiles.iter().map(|p| {
                (
                    "API key name",
                    "apiKey",
                    p.api_key.to_string(),
                    validate::key_name(&p.api_key).map(drop),
                )
            }))
            .chain(config.api_keys.iter().map(|k| {
                ("API key name", "name", k.name.to_string(), validate::key_name(&k.name).map(drop))
            }))
            .chain(ids(raw));
        for (what, field, name, checked) in names {
            let reason = match checked {
                Err(Error::InvalidInput { reason, .. }) => reason,
                Err(other) => other.to_string(),
                Ok(()) => continue,
            };
            // The name itself is never quoted: the reason it was refused may be that it is a
            // pasted API key, and this text reaches the terminal, the app and the activity log.
            return Err(Error::ConfigEntryInvalid {
                path: self.path.clone(),
                entry: format!("a {what}"),
                reason,
                line: line_of(bytes, field, &name),
            });
        }
        Ok(())
    }

    /// Moves the damaged file to `config.json.corrupt-<UTC timestamp>` (with `-2`, `-3`, ...
    /// if that name is taken) and returns the error that reports both paths.
    fn move_aside(&self, detail: String) -> Error {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let first = with_suffix(&self.path, format!(".corrupt-{stamp}"));
        let mut moved_to = first.clone();
        for n in 2.. {
            if !moved_to.exists() {
                break;
            }
            moved_to = with_suffix(&first, format!("-{n}"));
        }
        match fs::rename(&self.path, &moved_to) {
            Ok(()) => Error::ConfigCorrupt { path: self.path.clone(), moved_to, detail },
            Err(e) => Error::ConfigIo {
                file: FileKind::Settings,
                path: self.path.clone(),
                detail: format!("the file is damaged ({detail}) and could not be moved aside: {e}"),
            },
        }
    }
}

/// The line (from 1) where `value` first stands as a JSON string in `bytes`; 1 if not found.
/// The license and application ids of the file's profiles, as written, with their checks.
fn ids(raw: &serde_json::Value) -> Vec<(&'static str, &'static str, String, Result<()>)> {
    let profiles = raw.get("profiles").and_then(serde_json::Value::as_array);
    let mut out = Vec::new();
    for profile in profiles.into_iter().flatten() {
        let text = |field: &str| profile.get(field).and_then(serde_json::Value::as_str);
        if let Some(id) = text("licenseId") {
            out.push((
                "license id",
                "licenseId",
                id.to_string(),
                validate::license_id(id).map(drop),
            ));
        }
        if let Some(id) = text("appId").filter(|id| !id.is_empty()) {
            out.push((
                "API application id",
                "appId",
                id.to_string(),
                validate::app_id(id).map(drop),
            ));
        }
    }
    out
}

/// The line of `"field": "value"` in the file (the first such pair; else the first place the
/// value is written at all; else 1).
fn line_of(bytes: &[u8], field: &str, value: &str) -> usize {
    let needle = serde_json::to_string(value).unwrap_or_default();
    let key = serde_json::to_string(field).unwrap_or_default();
    let text = String::from_utf8_lossy(bytes);
    let is_pair = |at: usize| {
        let before = text[..at].trim_end();
        before.strip_suffix(':').is_some_and(|b| b.trim_end().ends_with(&key))
    };
    let found = text.match_indices(&needle).map(|(at, _)| at);
    let at = found.clone().find(|at| is_pair(*at)).or_else(|| found.clone().next());
    at.map_or(1, |at| text[..at].matches('\n').count() + 1)
}
