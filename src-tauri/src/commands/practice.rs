//! The Sandbox's practice portal: the "portal side" of the embedded emulator, so a new
//! License Admin can rehearse creating an API application and getting a key activated. Its
//! secrets and keys open nothing but the emulator, which is why they may be shown here.

use crate::ipc::{
    IpcResult, PracticeAccount, PracticeAppInput, PracticeCredentials, PracticeKey, PracticeLicense,
};
use crate::state::AppState;
use chrono::{NaiveDate, NaiveTime};
use cloudneeti_core::Error;
use cloudneeti_emulator::seed::ALL_APIS;
use cloudneeti_emulator::state::NewApp;
use cloudneeti_emulator::Control;
use tauri::State;

fn sandbox(state: &AppState) -> Result<Control, Error> {
    state.sandbox.as_ref().map(|e| e.control()).ok_or_else(|| {
        Error::invalid(
            "Sandbox",
            "the built-in Sandbox is not running",
            "Restart the app; if it persists, another program may block loopback ports.",
        )
    })
}

fn refused(e: impl std::fmt::Display) -> Error {
    Error::invalid("practice portal", e.to_string(), "Check the form and try again.")
}

#[tauri::command]
pub fn practice_license(state: State<'_, AppState>) -> IpcResult<PracticeLicense> {
    let overview = sandbox(&state)?.with(|s| s.overview());
    let license = overview
        .licenses
        .into_iter()
        .next()
        .ok_or_else(|| refused("the Sandbox has no license"))?;
    Ok(PracticeLicense {
        license_id: license.license_id,
        license_name: license.license_name,
        accounts: license
            .accounts
            .into_iter()
            .map(|a| PracticeAccount {
                account_id: a.account_id,
                account_name: a.account_name,
                connector_type: a.connector_type,
            })
            .collect(),
        apis: ALL_APIS.iter().map(|a| a.to_string()).collect(),
    })
}

/// Create API Application > Save: the secret is shown once, as in the portal's dialog.
#[tauri::command]
pub fn practice_create_app(
    state: State<'_, AppState>,
    input: PracticeAppInput,
) -> IpcResult<PracticeCredentials> {
    let secret_expires_at = match input.secret_expires_on.as_deref().filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => Some(
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| refused(format!("\"{text}\" is not a date like 2027-03-31")))?
                .and_time(NaiveTime::MIN)
                .and_utc(),
        ),
    };
    let control = sandbox(&state)?;
    let license_id = control.with(|s| s.overview().licenses.first().map(|l| l.license_id.clone()));
    let new = NewApp {
        license_id: license_id.ok_or_else(|| refused("the Sandbox has no license"))?,
        name: input.name,
        apis: Some(input.apis),
        account_ids: Some(input.account_ids),
        token_expiry_minutes: input.token_expiry_minutes,
        secret_expires_at,
    };
    let created = control.with(|s| s.create_app(new)).map_err(refused)?;
    Ok(PracticeCredentials { app_id: created.app_id, secret: created.secret })
}

/// Configure App > Regenerate Secret Key > Confirm.
#[tauri::command]
pub fn practice_regenerate_secret(
    state: State<'_, AppState>,
    app_id: String,
) -> IpcResult<PracticeCredentials> {
    let created = sandbox(&state)?.with(|s| s.regenerate_secret(&app_id)).map_err(refused)?;
    Ok(PracticeCredentials { app_id: created.app_id, secret: created.secret })
}

/// Products > Unlimited > Subscribe: a key that waits for activation.
#[tauri::command]
pub fn practice_subscribe(state: State<'_, AppState>) -> IpcResult<PracticeKey> {
    let key = sandbox(&state)?.with(|s| s.subscribe(Some("you@sandbox.example".into())));
    Ok(PracticeKey { key, state: "pending".into() })
}

/// Cloudneeti's activation e-mail, in the Sandbox a button.
#[tauri::command]
pub fn practice_activate(state: State<'_, AppState>, key: String) -> IpcResult<PracticeKey> {
    sandbox(&state)?.with(|s| s.activate_key(&key)).map_err(refused)?;
    Ok(PracticeKey { key, state: "active".into() })
}
