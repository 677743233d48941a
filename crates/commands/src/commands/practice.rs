//! The Sandbox's practice portal: the "portal side" of the embedded emulator, so a new
//! License Admin can rehearse creating an API application and getting a key activated. Its
//! secrets and keys open nothing but the emulator, which is why they may be shown here.

use crate::commands::tokens::put_on_clipboard;
use crate::ipc::{
    CopyResult, IpcResult, PracticeAccount, PracticeApp, PracticeAppInput, PracticeCredentials,
    PracticeKey, PracticeLicense, PracticeSubscription,
};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use cloudneeti_core::Error;
use cloudneeti_emulator::seed::{KeyState, ALL_APIS};
use cloudneeti_emulator::state::{AppChanges, NewApp};
use cloudneeti_emulator::Control;

/// The one product the walkthrough subscribes to (the documentation's "Select Unlimited").
const PRODUCT: &str = "Unlimited";

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

pub async fn practice_license(state: &AppState) -> IpcResult<PracticeLicense> {
    let overview = sandbox(state)?.with(|s| s.overview());
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

/// The portal's Secret Expiry: "applicable till midnight UTC of the selected date", read as the
/// end of that day (the core, too, counts the secret valid on its expiry date).
fn secret_expires_at(on: Option<&str>) -> Result<Option<DateTime<Utc>>, Error> {
    let Some(text) = on.map(str::trim).filter(|d| !d.is_empty()) else { return Ok(None) };
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| refused(format!("\"{text}\" is not a date like 2027-03-31")))?;
    // The core's one rule: valid through that UTC day.
    Ok(Some(cloudneeti_core::model::secret_valid_until(date)))
}

/// The inverse of [`secret_expires_at`]: the last day the secret works.
fn secret_expires_on(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(|at| (at - chrono::Duration::nanoseconds(1)).date_naive().format("%Y-%m-%d").to_string())
}

/// Configurations > Cloudneeti API Access: the license's API applications, no secret.
pub async fn practice_apps(state: &AppState) -> IpcResult<Vec<PracticeApp>> {
    let overview = sandbox(state)?.with(|s| s.overview());
    let license = overview.licenses.first().map(|l| l.license_id.clone());
    Ok(overview
        .api_applications
        .into_iter()
        .filter(|a| Some(&a.license_id) == license.as_ref())
        .map(|a| PracticeApp {
            app_id: a.app_id,
            name: a.name,
            apis: a.apis,
            account_ids: a.account_ids,
            token_expiry_minutes: a.token_expiry_minutes,
            secret_expires_on: secret_expires_on(a.secret_expires_at),
        })
        .collect())
}

/// Create API Application > Save: the secret is shown once, as in the portal's dialog.
pub async fn practice_create_app(
    state: &AppState,
    input: PracticeAppInput,
) -> IpcResult<PracticeCredentials> {
    let secret_expires_at = secret_expires_at(input.secret_expires_on.as_deref())?;
    let control = sandbox(state)?;
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

/// Configure App > Update API Application > Save: the secret stays as it is.
pub async fn practice_update_app(
    state: &AppState,
    app_id: String,
    input: PracticeAppInput,
) -> IpcResult<()> {
    let changes = AppChanges {
        name: input.name,
        apis: input.apis,
        account_ids: input.account_ids,
        token_expiry_minutes: input.token_expiry_minutes,
        secret_expires_at: secret_expires_at(input.secret_expires_on.as_deref())?,
    };
    sandbox(state)?.with(|s| s.update_app(&app_id, changes)).map_err(refused)?;
    Ok(())
}

/// Configure App > Delete API Application.
pub async fn practice_delete_app(state: &AppState, app_id: String) -> IpcResult<()> {
    sandbox(state)?.with(|s| s.delete_app(&app_id)).map_err(refused)?;
    Ok(())
}

/// Configure App > Regenerate Secret Key > Confirm.
pub async fn practice_regenerate_secret(
    state: &AppState,
    app_id: String,
) -> IpcResult<PracticeCredentials> {
    let created = sandbox(state)?.with(|s| s.regenerate_secret(&app_id)).map_err(refused)?;
    Ok(PracticeCredentials { app_id: created.app_id, secret: created.secret })
}

/// Products > Unlimited > Subscribe: a key that waits for activation.
pub async fn practice_subscribe(state: &AppState) -> IpcResult<PracticeKey> {
    let key = sandbox(state)?.with(|s| s.subscribe(Some("you@sandbox.example".into())));
    Ok(PracticeKey { key, state: "pending".into() })
}

/// Cloudneeti's activation e-mail, in the Sandbox a button.
pub async fn practice_activate(state: &AppState, key: String) -> IpcResult<PracticeKey> {
    sandbox(state)?.with(|s| s.activate_key(&key)).map_err(refused)?;
    Ok(PracticeKey { key, state: "active".into() })
}

/// Username > Profile > Show: the subscription's Primary and Secondary keys and its state.
pub async fn practice_subscription(
    state: &AppState,
    key: String,
) -> IpcResult<PracticeSubscription> {
    let keys = sandbox(state)?.with(|s| s.subscription_keys(&key)).map_err(refused)?;
    let state = match keys.state {
        KeyState::Active => "active",
        KeyState::Pending => "pending",
    };
    Ok(PracticeSubscription {
        product: PRODUCT.into(),
        state: state.into(),
        primary_key: keys.primary,
        secondary_key: keys.secondary,
    })
}

/// The copy control of the one-time dialog and of the Profile page, through the app's
/// clipboard (the web view has none). Only a secret or key the Sandbox issued and still
/// honours is copied, so this is no general way to the clipboard.
pub async fn practice_copy(state: &AppState, text: String) -> IpcResult<CopyResult> {
    if !sandbox(state)?.with(|s| s.holds_credential(&text)) {
        return Err(
            refused("only a current secret or key of the Sandbox can be copied here").into()
        );
    }
    Ok(put_on_clipboard(state, text, "Select the value and copy it by hand.")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_expiry_date_means_the_end_of_that_day_utc() {
        let at = secret_expires_at(Some("2027-03-31")).unwrap().unwrap();
        assert_eq!(at.to_rfc3339(), "2027-04-01T00:00:00+00:00");
        assert_eq!(secret_expires_on(Some(at)).as_deref(), Some("2027-03-31"));
        assert_eq!(secret_expires_at(Some(" ")).unwrap(), None);
        assert_eq!(secret_expires_at(None).unwrap(), None);
        assert!(secret_expires_at(Some("31/03/2027")).is_err());
    }
}
