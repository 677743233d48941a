//! The hand-off from a License Admin to an analyst: a profile's settings without any secret
//! (`cloudneeti_core::handoff`), exported as a text block or a file the backend writes where
//! the user chose, and imported from pasted text or a file the backend reads. The web view
//! never touches a file itself.

use super::on_desktop;
use super::profiles::confirmed_new_host;
use super::tokens::put_on_clipboard;
use crate::desktop::FileFilter;
use crate::ipc::{CopyResult, ImportedProfile, IpcResult, SavedFile};
use crate::state::AppState;
use cloudneeti_core::access::NewKeyHost;
use cloudneeti_core::handoff;

/// What the open and save dialogs offer for a hand-off.
pub const HANDOFF_FILES: FileFilter =
    FileFilter { name: "Profile hand-off", extensions: &["json"] };

/// Adds the profile a hand-off describes: from `text` when given (pasted), else from the file
/// the user chooses in the native open dialog (`name` absent in the answer when dismissed).
/// Checked like typed input; a hand-off that carries a secret is refused. `name` renames it
/// (when its own is taken). A stored key that would go to a new host is asked about in the
/// native dialog, as for a typed profile.
pub async fn import_profile(
    state: &AppState,
    text: Option<String>,
    name: Option<String>,
) -> IpcResult<ImportedProfile> {
    let text = match text {
        Some(text) => text,
        None => {
            let chosen =
                on_desktop(state, None, |desktop| desktop.choose_open_path(&HANDOFF_FILES)).await;
            let Some(path) = chosen else { return Ok(ImportedProfile { name: None }) };
            handoff::read_file(&path)?
        }
    };
    let rename = name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let profile = handoff::import(&text, rename)?.validate()?;
    let added = state.access.add_profile(profile.clone(), NewKeyHost::AskFirst);
    if confirmed_new_host(state, added).await?.is_none() {
        state.access.add_profile(profile.clone(), NewKeyHost::Confirmed)?;
    }
    Ok(ImportedProfile { name: Some(profile.name.to_string()) })
}

/// The profile as a hand-off text block: settings only, never a secret.
pub async fn export_profile(state: &AppState, name: String) -> IpcResult<String> {
    Ok(handoff::export(state.access.config()?.profile(&name)?))
}

/// The hand-off put on the clipboard through the backend (the web view has none). It holds no
/// secret, so it is copied as any text; the usual delay clears it all the same.
pub async fn copy_profile_export(state: &AppState, name: String) -> IpcResult<CopyResult> {
    let text = handoff::export(state.access.config()?.profile(&name)?);
    Ok(put_on_clipboard(state, text, "Select the text block and copy it by hand.")?)
}

/// The hand-off written to the file the user chooses in the native save dialog.
pub async fn save_profile_export(state: &AppState, name: String) -> IpcResult<SavedFile> {
    let text = handoff::export(state.access.config()?.profile(&name)?);
    let suggested = format!("{name}.cloudneeti-profile.json");
    let Some(path) = on_desktop(state, None, move |d| d.choose_save_path(&suggested)).await else {
        return Ok(SavedFile { file: None });
    };
    handoff::write_file(&path, &text)?;
    Ok(SavedFile { file: Some(path.display().to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::{
        delete_profile, list_profiles, remove_api_key, remove_app_secret, set_api_key,
        set_api_key_checked, set_app_secret_checked,
    };
    use crate::desktop::{Desktop, Question};
    use crate::ipc::StoreCheck;
    use cloudneeti_core::access::Access;
    use cloudneeti_core::{ActivityLog, ConfigStore, Vault};
    use cloudneeti_emulator::seed::{DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_LICENSE_ID};
    use cloudneeti_emulator::{Emulator, Options};
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};

    /// Dialogs answered as the test sets them, remembering what they were asked.
    #[derive(Default)]
    struct Scripted {
        open: Mutex<Option<PathBuf>>,
        save: Mutex<Option<PathBuf>>,
        yes: Mutex<bool>,
        copied: Mutex<Option<String>>,
        asked: Mutex<Vec<String>>,
    }

    impl Desktop for Scripted {
        fn copy(&self, text: &str) -> Result<(), String> {
            *self.copied.lock().unwrap() = Some(text.to_string());
            Ok(())
        }
        fn clear_if_still(&self, _: &str) {}
        fn open(&self, _: &url::Url) -> Result<(), String> {
            Ok(())
        }
        fn choose_save_path(&self, suggested: &str) -> Option<PathBuf> {
            self.asked.lock().unwrap().push(format!("save {suggested}"));
            self.save.lock().unwrap().clone()
        }
        fn choose_open_path(&self, filter: &FileFilter) -> Option<PathBuf> {
            self.asked.lock().unwrap().push(format!("open {}", filter.name));
            self.open.lock().unwrap().clone()
        }
        fn confirm(&self, question: &Question) -> bool {
            self.asked.lock().unwrap().push(question.message.clone());
            *self.yes.lock().unwrap()
        }
    }

    async fn app(dir: &std::path::Path) -> (AppState, Arc<Scripted>) {
        let access = Access::new(
            ConfigStore::open(dir),
            Vault::in_memory("handoff-test"),
            ActivityLog::open(dir),
        );
        let sandbox = Emulator::start(Options::default()).await.unwrap();
        let desktop = Arc::new(Scripted::default());
        (AppState::new(access, Some(sandbox), desktop.clone()).unwrap(), desktop)
    }

    fn handoff_text(extra: &str) -> String {
        format!(
            r#"{{"cloudneetiAccessProfile": 1, "name": "analyst", "environment": "sandbox", {extra}
              "licenseId": "{DEMO_LICENSE_ID}", "appId": "{DEMO_APP_ID}", "apiKeyName": "given"}}"#
        )
    }

    #[tokio::test]
    async fn a_pasted_or_chosen_hand_off_becomes_a_profile_and_one_with_a_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (state, desktop) = app(dir.path()).await;
        let imported = import_profile(&state, Some(handoff_text("")), None).await.unwrap();
        assert_eq!(imported.name.as_deref(), Some("analyst"));
        let taken = import_profile(&state, Some(handoff_text("")), None).await.unwrap_err();
        assert_eq!(taken.code, "profile_exists");

        let with_secret = handoff_text(r#""appSecret": "Sup3r-s3cret-value","#);
        let refused =
            import_profile(&state, Some(with_secret), Some("x".into())).await.unwrap_err();
        assert!(refused.message.contains("never carries a secret"), "{}", refused.message);
        assert!(!refused.message.contains("Sup3r") && !refused.hint.contains("Sup3r"));
        let malformed = import_profile(&state, Some("{ not json".into()), None).await.unwrap_err();
        assert!(malformed.message.contains("not the JSON of a profile"), "{}", malformed.message);

        // No text: the native open dialog; dismissed, nothing happens.
        let dismissed = import_profile(&state, None, None).await.unwrap();
        assert!(dismissed.name.is_none());
        let file = dir.path().join("given.json");
        std::fs::write(&file, handoff_text("")).unwrap();
        *desktop.open.lock().unwrap() = Some(file);
        let chosen = import_profile(&state, None, Some("from-file".into())).await.unwrap();
        assert_eq!(chosen.name.as_deref(), Some("from-file"));
        assert_eq!(
            desktop.asked.lock().unwrap()[..2],
            ["open Profile hand-off", "open Profile hand-off"]
        );
        let names: Vec<_> =
            list_profiles(&state).await.unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["analyst", "from-file"]);
    }

    #[tokio::test]
    async fn an_export_is_the_hand_off_as_text_and_as_the_file_the_user_chose() {
        let dir = tempfile::tempdir().unwrap();
        let (state, desktop) = app(dir.path()).await;
        import_profile(&state, Some(handoff_text("")), None).await.unwrap();
        set_app_secret_checked(&state, "analyst".into(), DEMO_APP_SECRET.into(), false, None)
            .await
            .unwrap();
        let text = export_profile(&state, "analyst".into()).await.unwrap();
        assert!(text.contains(DEMO_LICENSE_ID) && !text.contains(DEMO_APP_SECRET), "{text}");
        copy_profile_export(&state, "analyst".into()).await.unwrap();
        assert_eq!(desktop.copied.lock().unwrap().as_deref(), Some(text.as_str()));
        assert!(save_profile_export(&state, "analyst".into()).await.unwrap().file.is_none());
        let path = dir.path().join("out.json");
        *desktop.save.lock().unwrap() = Some(path.clone());
        let saved = save_profile_export(&state, "analyst".into()).await.unwrap();
        assert_eq!(saved.file.as_deref(), Some(path.to_str().unwrap()));
        assert_eq!(std::fs::read_to_string(&path).unwrap().trim_end(), text);
        assert_eq!(desktop.asked.lock().unwrap()[0], "save analyst.cloudneeti-profile.json");
    }

    /// A wrong secret is not stored unless the user says so, and then with the refusal; the
    /// analyst is given the words to ask the License Admin.
    #[tokio::test]
    async fn a_refused_secret_is_kept_only_when_asked_and_a_right_one_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let (state, _) = app(dir.path()).await;
        import_profile(&state, Some(handoff_text("")), None).await.unwrap();
        let key =
            set_api_key_checked(&state, "given".into(), DEMO_API_KEY.into(), false, false, None)
                .await
                .unwrap();
        assert_eq!(key.status, StoreCheck::NotChecked);
        assert!(key.reason.unwrap().contains("no profile with a stored application secret"));

        let stored = |state: &AppState| {
            let config = state.access.config().unwrap();
            config.profile("analyst").unwrap().secret_stored_at.is_some()
        };
        let wrong = "wrong-secret-value-123";
        let refused = set_app_secret_checked(&state, "analyst".into(), wrong.into(), false, None)
            .await
            .unwrap();
        assert_eq!(refused.status, StoreCheck::Refused);
        let refusal = refused.refused.unwrap();
        assert_eq!(refusal.code, "app_credentials_rejected");
        assert!(refusal.ask_admin.as_deref().unwrap().contains("send me the current secret"));
        assert!(!stored(&state), "a refused secret is not stored");

        let kept = set_app_secret_checked(&state, "analyst".into(), wrong.into(), true, None)
            .await
            .unwrap();
        assert_eq!(kept.status, StoreCheck::KeptRefused);
        assert_eq!(kept.refused.unwrap().code, "app_credentials_rejected");
        assert!(stored(&state), "kept, as the user asked");

        let right =
            set_app_secret_checked(&state, "analyst".into(), DEMO_APP_SECRET.into(), false, None)
                .await
                .unwrap();
        assert_eq!(right.status, StoreCheck::Accepted);
        // The key is checked now that a secret is stored; a wrong key is refused, not stored.
        let bad_key = "99999999999999999999999999999999";
        let e = set_api_key_checked(&state, "given".into(), bad_key.into(), false, false, None)
            .await
            .unwrap();
        assert_eq!(e.status, StoreCheck::Refused);
        let refusal = e.refused.unwrap();
        assert_eq!(refusal.code, "api_key_rejected");
        assert!(refusal.ask_admin.is_some());
        // A malformed value is the command's error, not the service's verdict.
        let typo = set_api_key_checked(&state, "given".into(), "short".into(), false, true, None);
        assert_eq!(typo.await.unwrap_err().code, "invalid_input");
        let again =
            set_api_key_checked(&state, "given".into(), DEMO_API_KEY.into(), false, false, None)
                .await
                .unwrap();
        assert_eq!(again.status, StoreCheck::Accepted);
    }

    /// Every removal asks, naming what is lost; a no changes nothing and is no error.
    #[tokio::test]
    async fn removals_ask_first_and_a_no_keeps_everything() {
        let dir = tempfile::tempdir().unwrap();
        let (state, desktop) = app(dir.path()).await;
        import_profile(&state, Some(handoff_text("")), None).await.unwrap();
        set_api_key(&state, "spare".into(), DEMO_API_KEY.into(), false).await.unwrap();
        set_app_secret_checked(&state, "analyst".into(), DEMO_APP_SECRET.into(), false, None)
            .await
            .unwrap();
        let secret_stored = |state: &AppState| {
            state.access.config().unwrap().profile("analyst").unwrap().secret_stored_at.is_some()
        };

        assert!(!remove_app_secret(&state, "analyst".into()).await.unwrap().removed);
        assert!(secret_stored(&state));
        assert!(!remove_api_key(&state, "spare".into()).await.unwrap().removed);
        assert!(!delete_profile(&state, "analyst".into()).await.unwrap().removed);
        let asked = desktop.asked.lock().unwrap().clone();
        assert!(
            asked[0].contains("application secret of profile \"analyst\"")
                && asked[0].contains("only once"),
            "{asked:?}"
        );
        assert!(asked[1].contains("API key \"spare\""), "{asked:?}");
        assert!(
            asked[2].contains("Profile \"analyst\"")
                && asked[2].contains("application secret is removed"),
            "{asked:?}"
        );
        assert_eq!(list_profiles(&state).await.unwrap().len(), 1);
        assert!(state.access.config().unwrap().api_key("spare").is_ok());

        *desktop.yes.lock().unwrap() = true;
        assert!(remove_app_secret(&state, "analyst".into()).await.unwrap().removed);
        assert!(!secret_stored(&state));
        assert!(remove_api_key(&state, "spare".into()).await.unwrap().removed);
        assert!(state.access.config().unwrap().api_key("spare").is_err());
        // A key still in use is refused by the core, without a question.
        let before = desktop.asked.lock().unwrap().len();
        assert_eq!(
            remove_api_key(&state, "given".into()).await.unwrap_err().code,
            "api_key_in_use"
        );
        assert_eq!(desktop.asked.lock().unwrap().len(), before);
        assert!(delete_profile(&state, "analyst".into()).await.unwrap().removed);
        assert!(list_profiles(&state).await.unwrap().is_empty());
    }
}
