//! What the dev host starts with after a reset, built through the commands themselves (so a
//! scenario is only ever a state the app can reach): `empty`, as on first start, or `demo`,
//! a few profiles in the states the screens show. Every credential here is the emulator's
//! public demo credential or made up; none opens anything but the emulator.

use cloudneeti_commands::{dispatch, AppState, IpcError};
use cloudneeti_emulator::seed::{DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_LICENSE_ID};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    Empty,
    Demo,
}

async fn call(app: &AppState, command: &str, args: Value) -> Result<(), IpcError> {
    dispatch::dispatch(app, command, args).await.map(drop)
}

async fn profile(app: &AppState, input: Value) -> Result<(), IpcError> {
    call(app, "save_profile", json!({ "input": input, "editing": null })).await
}

pub async fn apply(scenario: Scenario, app: &AppState) -> Result<(), IpcError> {
    match scenario {
        Scenario::Empty => Ok(()),
        Scenario::Demo => demo(app).await,
    }
}

/// `sandbox-demo` works (the emulator's demo license, app and key); `broken-secret` has a
/// secret the Sandbox refuses; `contoso-trial` is a TRIAL profile whose secret expires in 5
/// days (its ids and secret are made up, and no test asks it for a token).
async fn demo(app: &AppState) -> Result<(), IpcError> {
    call(
        app,
        "set_api_key",
        json!({ "name": "sandbox-demo", "value": DEMO_API_KEY, "allowAnyFormat": false }),
    )
    .await?;
    call(
        app,
        "set_api_key",
        json!({ "name": "contoso", "value": "5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b", "allowAnyFormat": false }),
    )
    .await?;
    let sandbox = |name: &str| {
        json!({
            "name": name, "environment": "sandbox", "licenseId": DEMO_LICENSE_ID,
            "appId": DEMO_APP_ID, "apiKey": "sandbox-demo", "tokenExpiryMinutes": null,
            "secretExpiresOn": null,
        })
    };
    profile(app, sandbox("sandbox-demo")).await?;
    call(app, "set_app_secret", json!({ "profile": "sandbox-demo", "value": DEMO_APP_SECRET }))
        .await?;
    profile(app, sandbox("broken-secret")).await?;
    call(
        app,
        "set_app_secret",
        json!({ "profile": "broken-secret", "value": "not-the-demo-secret" }),
    )
    .await?;
    let in_five_days =
        (chrono::Utc::now() + chrono::Duration::days(5)).format("%Y-%m-%d").to_string();
    profile(
        app,
        json!({
            "name": "contoso-trial", "environment": "trial",
            "licenseId": "9b2d1c70-3a4e-4f5b-8c6d-7e8f9a0b1c2d",
            "appId": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f101", "apiKey": "contoso",
            "tokenExpiryMinutes": 60, "secretExpiresOn": in_five_days,
        }),
    )
    .await?;
    call(
        app,
        "set_app_secret",
        json!({ "profile": "contoso-trial", "value": "made-up-trial-secret" }),
    )
    .await
}
