//! What a host's desktop does for the commands: the clipboard, the browser, the save and open
//! dialogs and the confirmation dialog. The app uses the real ones ([`SystemDesktop`]); the dev host
//! records instead (and answers the dialogs as its test chose), so a browser test can see
//! what would have been copied or opened without touching the machine's clipboard.

use std::path::PathBuf;
use std::sync::Mutex;

pub trait Desktop: Send + Sync + 'static {
    /// Puts `text` on the clipboard; the error says why it could not.
    fn copy(&self, text: &str) -> Result<(), String>;
    /// Clears the clipboard if it still holds `text` (something copied since is left alone).
    fn clear_if_still(&self, text: &str);
    /// Opens a page that was already checked (see `commands::app::open_link`) in the browser.
    fn open(&self, url: &url::Url) -> Result<(), String>;
    /// Asks the user where to save a file, proposing `suggested_name`; `None` when they
    /// dismissed the dialog. It blocks until they answer, so callers run it off the async
    /// threads (`tokio::task::spawn_blocking`). The backend writes the file: the web view
    /// never gets a path to write to, nor any file-system access.
    fn choose_save_path(&self, suggested_name: &str) -> Option<PathBuf>;
    /// Asks the user which file to open (of the kind `filter` names); `None` when they
    /// dismissed the dialog. Blocking, like `choose_save_path`. The backend reads the file:
    /// the web view never gets a path or the file's bytes to read itself.
    fn choose_open_path(&self, filter: &FileFilter) -> Option<PathBuf>;
    /// Asks the user a yes-or-no question in a native dialog the web view cannot draw or
    /// answer; `true` only for an explicit yes. Blocking, like `choose_save_path`.
    fn confirm(&self, question: &Question) -> bool;
}

/// The kind of file an open dialog offers: its name and extensions (no dot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFilter {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

/// A question for [`Desktop::confirm`].
pub struct Question {
    pub title: String,
    pub message: String,
    /// The label of the button that says yes (the other says Cancel).
    pub yes: String,
}

/// The host's native confirmation dialog (see [`Desktop::confirm`]).
pub type ConfirmDialog = Box<dyn Fn(&Question) -> bool + Send + Sync>;

/// The native dialogs the shell gives the desktop: they need the window, which only the
/// Tauri side has.
pub struct NativeDialogs {
    pub save: SaveDialog,
    pub open: OpenDialog,
    pub confirm: ConfirmDialog,
}

impl NativeDialogs {
    /// Dialogs that are always dismissed, for tests that must not open a window.
    pub fn dismissed() -> NativeDialogs {
        NativeDialogs {
            save: Box::new(|_| None),
            open: Box::new(|_| None),
            confirm: Box::new(|_| false),
        }
    }
}

/// The host's native open dialog: blocking, `None` when dismissed (see
/// [`Desktop::choose_open_path`]).
pub type OpenDialog = Box<dyn Fn(&FileFilter) -> Option<PathBuf> + Send + Sync>;

/// The host's native save dialog: blocking, `None` when dismissed (see
/// [`Desktop::choose_save_path`]).
pub type SaveDialog = Box<dyn Fn(&str) -> Option<PathBuf> + Send + Sync>;

/// The machine's clipboard (arboard) and browser (`open`), and the dialogs the shell gives it.
pub struct SystemDesktop {
    // Kept open: on X11 the clipboard's content lives as long as the handle that set it.
    clipboard: Mutex<Option<arboard::Clipboard>>,
    dialogs: NativeDialogs,
}

impl SystemDesktop {
    pub fn new(dialogs: NativeDialogs) -> Self {
        SystemDesktop { clipboard: Mutex::default(), dialogs }
    }
}

impl Desktop for SystemDesktop {
    fn copy(&self, text: &str) -> Result<(), String> {
        let mut slot = self.clipboard.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        slot.as_mut().expect("set above").set_text(text.to_string()).map_err(|e| e.to_string())
    }

    fn clear_if_still(&self, text: &str) {
        // A separate handle: reading what is on the clipboard now, not what this app holds.
        if let Ok(mut clipboard) = arboard::Clipboard::new() {
            if clipboard.get_text().ok().as_deref() == Some(text) {
                let _ = clipboard.clear();
            }
        }
    }

    fn open(&self, url: &url::Url) -> Result<(), String> {
        open::that_detached(url.as_str()).map_err(|e| e.to_string())
    }

    fn choose_save_path(&self, suggested_name: &str) -> Option<PathBuf> {
        (self.dialogs.save)(suggested_name)
    }

    fn choose_open_path(&self, filter: &FileFilter) -> Option<PathBuf> {
        (self.dialogs.open)(filter)
    }

    fn confirm(&self, question: &Question) -> bool {
        (self.dialogs.confirm)(question)
    }
}
