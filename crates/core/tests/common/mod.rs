//! Helpers for the API client's integration tests: an emulator started in-process, a client
//! pointed at it over real HTTP on loopback, the emulator's control surface (faults, request
//! log) driven without HTTP, and the checks every failure must pass.
// Each test file uses a different part of these helpers.
#![allow(dead_code, unused_imports)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::Method;
use serde_json::Value;

use cloudneeti_core::client::{ApiClient, ClientOptions, Credentials};
use cloudneeti_core::{BaseUrl, Error, Secret};
pub use cloudneeti_emulator::seed::{
    DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET, DEMO_AWS_ACCOUNT_ID, DEMO_AZURE_ACCOUNT_ID,
    DEMO_GCP_ACCOUNT_ID, DEMO_LICENSE_ID, DEMO_OFFICE_ACCOUNT_ID, DEMO_PENDING_API_KEY,
};
pub use cloudneeti_emulator::{Emulator, FaultKind, FaultSpec, Options, Seed};

/// The emulator with the demo seed on 127.0.0.1, a free port.
pub async fn start() -> Emulator {
    start_with(Options::default()).await
}

pub async fn start_with(options: Options) -> Emulator {
    Emulator::start(options).await.expect("the emulator starts")
}

/// A client of `emulator` with the default options.
pub fn client(emulator: &Emulator) -> ApiClient {
    client_with(emulator, ClientOptions::default())
}

pub fn client_with(emulator: &Emulator, options: ClientOptions) -> ApiClient {
    client_at(emulator.url(), options)
}

pub fn client_at(url: &str, options: ClientOptions) -> ApiClient {
    ApiClient::new(BaseUrl::parse(url).expect("a valid base URL"), options)
        .expect("the client builds")
}

/// The three values a token request needs, owned so a test can borrow `Credentials` from them.
pub struct Keys {
    pub api_key: Secret,
    pub app_id: String,
    pub app_secret: Secret,
}

impl Keys {
    pub fn new(api_key: &str, app_id: &str, app_secret: &str) -> Keys {
        Keys {
            api_key: Secret::new(api_key.to_string()),
            app_id: app_id.to_string(),
            app_secret: Secret::new(app_secret.to_string()),
        }
    }

    pub fn demo() -> Keys {
        Keys::new(DEMO_API_KEY, DEMO_APP_ID, DEMO_APP_SECRET)
    }

    pub fn creds(&self) -> Credentials<'_> {
        Credentials { api_key: &self.api_key, app_id: &self.app_id, app_secret: &self.app_secret }
    }

    /// The secret values, for leak checks.
    pub fn secrets(&self) -> Vec<String> {
        vec![self.api_key.expose().to_string(), self.app_secret.expose().to_string()]
    }
}

/// Arms a fault through the control surface (the same code path as `POST /_emulator/faults`).
pub fn arm(emulator: &Emulator, route: &str, kind: FaultKind, times: Option<u32>) {
    let body = serde_json::to_vec(&FaultSpec { route: route.into(), kind, times }).unwrap();
    let reply = control(emulator, Method::POST, "/_emulator/faults", &body);
    assert_eq!(reply.0, 201, "arming a fault: {}", reply.1);
}

/// The emulator's request log, oldest first, as `GET /_emulator/requests` gives it.
pub fn requests(emulator: &Emulator) -> Vec<Value> {
    let (status, body) = control(emulator, Method::GET, "/_emulator/requests", b"");
    assert_eq!(status, 200);
    body.as_array().expect("the log is a list").clone()
}

/// Log entries of one route (`token`, `licenseAccounts`, …).
pub fn requests_to(emulator: &Emulator, route: &str) -> Vec<Value> {
    requests(emulator).into_iter().filter(|e| e["route"] == route).collect()
}

pub fn clear_log(emulator: &Emulator) {
    control(emulator, Method::DELETE, "/_emulator/requests", b"");
}

fn control(emulator: &Emulator, method: Method, path: &str, body: &[u8]) -> (u16, Value) {
    let reply = emulator
        .control()
        .with(|state| cloudneeti_emulator::control::handle(state, &method, path, body));
    (reply.status.as_u16(), reply.body)
}

/// The claims of a JWT, decoded here independently of the client.
pub fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url payload"))
        .expect("JSON claims")
}

/// The error of a call that must fail; its message and hint must not carry any of `secrets`
/// (nor a recognisable 8-character piece of one), and its code must be `code`.
#[track_caller]
pub fn failure<T: std::fmt::Debug>(
    result: Result<T, Error>,
    code: &str,
    secrets: &[String],
) -> Error {
    let error = match result {
        Ok(value) => panic!("expected a {code} error, got Ok({value:?})"),
        Err(e) => e,
    };
    assert_eq!(error.code(), code, "unexpected error: {error} ({error:?})");
    assert_no_leak(&error, secrets);
    error
}

#[track_caller]
pub fn assert_no_leak(error: &Error, secrets: &[String]) {
    let text = format!("{error} | {} | {error:?}", error.hint());
    for secret in secrets {
        let chars: Vec<char> = secret.chars().collect();
        for piece in chars.windows(8.min(chars.len())) {
            let piece: String = piece.iter().collect();
            assert!(!text.contains(&piece), "error text {text:?} contains a piece of a secret");
        }
    }
}
