//! The control surface under `/_emulator/`: the "portal side" for tests and the Sandbox.
//!
//! It is not part of the emulated API and needs no subscription key; the server only listens
//! on loopback unless forced, which is what keeps it private. Each route calls one [`State`]
//! method, so the HTTP surface and an embedding program behave the same.

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::Reply;
use crate::faults::FaultSpec;
use crate::state::{NewApp, State};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockMove {
    advance_seconds: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyRef {
    key: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Subscription {
    #[serde(default)]
    owner: Option<String>,
}

fn reply(status: StatusCode, body: Value) -> Reply {
    Reply { status, body, retry_after: None }
}

fn refuse(status: StatusCode, message: impl std::fmt::Display) -> Reply {
    reply(status, json!({"statusCode": status.as_u16(), "message": message.to_string()}))
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Reply> {
    let body = if body.is_empty() { b"{}".as_slice() } else { body };
    serde_json::from_slice(body)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, format!("bad body: {e}")))
}

pub fn handle(state: &mut State, method: &Method, path: &str, body: &[u8]) -> Reply {
    match dispatch(state, method, path, body) {
        Ok(r) | Err(r) => r,
    }
}

fn dispatch(state: &mut State, method: &Method, path: &str, body: &[u8]) -> Result<Reply, Reply> {
    let rest = path.trim_start_matches("/_emulator").trim_start_matches('/');
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let bad = |e: crate::state::ControlError| refuse(StatusCode::BAD_REQUEST, e);
    Ok(match (method.as_str(), segments.as_slice()) {
        ("GET", ["health"]) => reply(StatusCode::OK, json!({"status": "ok"})),
        ("GET", ["state"]) => reply(StatusCode::OK, json!(state.overview())),
        ("POST", ["reset"]) => {
            state.reset();
            reply(StatusCode::OK, json!({"status": "reset"}))
        }
        ("POST", ["apps"]) => {
            let created = state.create_app(parse::<NewApp>(body)?).map_err(bad)?;
            reply(StatusCode::CREATED, json!(created))
        }
        ("POST", ["apps", app_id, "regenerate-secret"]) => {
            let regenerated =
                state.regenerate_secret(app_id).map_err(|e| refuse(StatusCode::NOT_FOUND, e))?;
            reply(StatusCode::OK, json!(regenerated))
        }
        ("POST", ["keys"]) => {
            let sub = parse::<Subscription>(body)?;
            let key = state.subscribe(sub.owner);
            reply(StatusCode::CREATED, json!({"key": key, "state": "pending"}))
        }
        ("POST", ["keys", "activate"]) => {
            let KeyRef { key } = parse(body)?;
            state.activate_key(&key).map_err(|e| refuse(StatusCode::NOT_FOUND, e))?;
            reply(StatusCode::OK, json!({"state": "active"}))
        }
        ("POST", ["clock"]) => {
            let ClockMove { advance_seconds } = parse(body)?;
            let now = state.advance_clock(advance_seconds);
            reply(StatusCode::OK, json!({"now": now}))
        }
        ("GET", ["faults"]) => reply(StatusCode::OK, json!(state.faults())),
        ("POST", ["faults"]) => {
            let spec = parse::<FaultSpec>(body)?;
            let id = state.arm_fault(spec).map_err(|e| refuse(StatusCode::BAD_REQUEST, e))?;
            reply(StatusCode::CREATED, json!({"id": id}))
        }
        ("DELETE", ["faults"]) => {
            state.clear_faults();
            reply(StatusCode::OK, json!({"status": "cleared"}))
        }
        ("GET", ["requests"]) => reply(StatusCode::OK, json!(state.requests())),
        ("DELETE", ["requests"]) => {
            state.clear_requests();
            reply(StatusCode::OK, json!({"status": "cleared"}))
        }
        _ => refuse(StatusCode::NOT_FOUND, format!("no control route {method} {path}")),
    })
}
