//! File primitives shared by the config store and the activity log: a private folder, an
//! exclusive lock on a sibling lock file, and atomic replacement of a file.
//!
//! What must not live here: knowledge of what the files contain.

use crate::error::{FileKind, LockedFile};
use crate::{Error, Result};
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub(crate) fn io_error(file: FileKind, path: &Path, e: io::Error) -> Error {
    Error::ConfigIo { file, path: path.to_owned(), detail: e.to_string() }
}

/// `path` with `suffix` appended to its file name: `config.json` -> `config.json.lock`.
pub(crate) fn with_suffix(path: &Path, suffix: impl AsRef<OsStr>) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Creates the folder (and its parents) readable by the owner only. An existing folder keeps
/// its permissions: it may be one the user chose on purpose.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io_error(FileKind::Folder, dir, e))
}

/// Open options for a new file readable by the owner only. On Windows a new file takes its
/// folder's access list (the user's profile folder is the user's own), so there is no mode to
/// set.
pub(crate) fn private_file() -> OpenOptions {
    #[cfg(unix)]
    {
        let mut options = OpenOptions::new();
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
    }
    #[cfg(not(unix))]
    OpenOptions::new()
}

/// Blocks until this handle holds the exclusive lock on `lock_path`; the lock is released
/// when the returned file is dropped. The lock lives on a separate file, never on the data
/// file, because the data file is replaced by rename while the lock is held.
pub(crate) fn lock_exclusive(of: LockedFile, lock_path: &Path) -> Result<File> {
    let kind = FileKind::LockOf(of);
    let file = private_file()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path)
        .map_err(|e| io_error(kind, lock_path, e))?;
    file.lock().map_err(|e| io_error(kind, lock_path, e))?;
    Ok(file)
}

/// Replaces `path` with `bytes` so that a reader, or a crash, sees the old content or the new,
/// never a mix: temp file in the same folder, fsync, rename, fsync of the folder. The caller
/// holds the file's lock, so the fixed temp name cannot collide with another writer.
pub(crate) fn write_atomic(file: FileKind, path: &Path, bytes: &[u8]) -> Result<()> {
    // A settings file that is a symlink (dotfiles kept in a repository) stays one: the file it
    // points to is replaced, not the link.
    let target = symlink_target(path);
    let path = target.as_deref().unwrap_or(path);
    let tmp = with_suffix(path, ".tmp");
    let result = (|| {
        // A writer that crashed may have left one behind.
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut file = private_file().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        sync_parent(path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(file, path, e)
    })
}

/// Where `path` points when it is a symlink (followed to the end, relative links taken from
/// their folder); `None` for anything else.
fn symlink_target(path: &Path) -> Option<std::path::PathBuf> {
    let mut current = path.to_path_buf();
    let mut followed = false;
    // A bound, so a loop of links cannot hang a write.
    for _ in 0..40 {
        if !fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink()) {
            return followed.then_some(current);
        }
        let link = fs::read_link(&current).ok()?;
        current = match current.parent() {
            Some(folder) if link.is_relative() => folder.join(link),
            _ => link,
        };
        followed = true;
    }
    None
}

// Makes the rename itself durable; Windows offers no way to fsync a folder, and NTFS journals
// the rename.
#[cfg(unix)]
fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> io::Result<()> {
    Ok(())
}
