//! The desktop shell: the window, and one Tauri adapter per command of the surface that
//! cloudneeti-commands declares once (`command_surface!`). The commands' bodies live there,
//! host-neutral, so the dev host's browser tests run the same code.
//!
//! What lives here: window set-up and the adapters (generated below). What must not: any
//! command logic, HTTP, keychain or config logic, and any real secret crossing to the web view.

use cloudneeti_commands::desktop::{
    ConfirmDialog, FileFilter, NativeDialogs, OpenDialog, Question, SaveDialog,
};
use cloudneeti_commands::ipc::*;
use cloudneeti_commands::{AppState, SystemDesktop};
use cloudneeti_core::access::Access;
use cloudneeti_emulator::{Emulator, Options};
use std::sync::{Arc, OnceLock};
use tauri::Manager;
use tauri_plugin_dialog::DialogExt;

/// One `#[tauri::command]` per declared command, each calling its host-neutral function, and
/// the handler list of all of them.
macro_rules! tauri_adapters {
    ($( $(#[doc = $doc:literal])* $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty ; )*) => {
        mod adapters {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, AppState>,
                    $($arg: $ty),*
                ) -> IpcResult<$ret> {
                    cloudneeti_commands::commands::$name(&state, $($arg),*).await
                }
            )*
        }

        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(adapters::$name),*]
        }

        /// The declared commands' names, for the capability test.
        #[cfg(test)]
        const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

cloudneeti_commands::command_surface!(tauri_adapters);

/// The user's config and keychain, the Sandbox on a loopback port, and the desktop: its save
/// dialog opens in the app once it runs (`app`, set when the window is set up).
async fn start(app: Arc<OnceLock<tauri::AppHandle>>) -> cloudneeti_core::Result<AppState> {
    let access = Access::from_env()?;
    let sandbox = Emulator::start(Options::default()).await.ok();
    let dialogs = NativeDialogs {
        save: save_dialog(app.clone()),
        open: open_dialog(app.clone()),
        confirm: confirm_dialog(app),
    };
    AppState::new(access, sandbox, Arc::new(SystemDesktop::new(dialogs)))
}

/// The system's native yes-or-no dialog over the main window: what the web view must not
/// decide alone (a stored key sent to a new host) is asked here, where no page can answer.
fn confirm_dialog(app: Arc<OnceLock<tauri::AppHandle>>) -> ConfirmDialog {
    use tauri_plugin_dialog::{MessageDialogButtons, MessageDialogKind};
    Box::new(move |question: &Question| {
        let Some(app) = app.get() else { return false };
        let mut dialog = app
            .dialog()
            .message(question.message.clone())
            .title(question.title.clone())
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(question.yes.clone(), "Cancel".into()));
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.parent(&window);
        }
        dialog.blocking_show()
    })
}

/// The system's native save dialog (GTK, AppKit, Win32), opened from Rust over the main
/// window. The dialog plugin's own commands are granted to no window (the capability file),
/// so the web view cannot open it or learn a path by itself.
fn save_dialog(app: Arc<OnceLock<tauri::AppHandle>>) -> SaveDialog {
    Box::new(move |suggested: &str| {
        // Before the app is set up there is no window to ask in; no command runs then.
        let app = app.get()?;
        // The filter follows the proposed name: a report is CSV, a profile hand-off JSON.
        let (kind, ext) = match suggested.rsplit_once('.') {
            Some((_, "json")) => ("Profile hand-off", "json"),
            _ => ("CSV", "csv"),
        };
        let mut dialog = app.dialog().file().set_file_name(suggested).add_filter(kind, &[ext]);
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        // A desktop dialog answers a path; anything else (a mobile content URI) is no place
        // this backend can write to, so it counts as not chosen.
        dialog.blocking_save_file()?.into_path().ok()
    })
}

/// The system's native open dialog, opened from Rust like the save dialog: the backend reads
/// the chosen file, the web view gets neither the path nor a file permission.
fn open_dialog(app: Arc<OnceLock<tauri::AppHandle>>) -> OpenDialog {
    Box::new(move |filter: &FileFilter| {
        let app = app.get()?;
        let mut dialog = app.dialog().file().add_filter(filter.name, filter.extensions);
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        dialog.blocking_pick_file()?.into_path().ok()
    })
}

pub fn run() {
    let handle = Arc::new(OnceLock::new());
    let state = match tauri::async_runtime::block_on(start(handle.clone())) {
        Ok(state) => state,
        Err(e) => {
            eprintln!(
                "Cloudneeti Access could not start: {e}\n{}",
                e.hint(cloudneeti_commands::ipc::words)
            );
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let _ = handle.set(app.handle().clone());
            Ok(())
        })
        .manage(state)
        .invoke_handler(handler())
        .run(tauri::generate_context!())
        .expect("error while running the Cloudneeti Access window");
}

#[cfg(test)]
mod tests {
    use super::COMMANDS;

    /// The window may call exactly the declared commands: a permission for a command that
    /// does not exist, or a command nobody granted, fails here rather than at run time.
    #[test]
    fn the_capability_file_grants_exactly_the_declared_commands() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/capabilities/main-window.json");
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut granted: Vec<String> = file["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        let mut declared: Vec<String> =
            COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        // No plugin's permission (`dialog:…`, `fs:…`): the save dialog is opened from Rust, so
        // the web view never picks a path or touches a file itself.
        assert!(!granted.iter().any(|p| p.contains(':')), "a plugin permission: {granted:?}");
        granted.sort();
        declared.sort();
        assert_eq!(granted, declared, "src-tauri/capabilities/main-window.json");
    }
}
