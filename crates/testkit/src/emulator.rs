//! An emulator for one test, and its control surface (faults, request log) driven in-process
//! through the same code path as `/_emulator/…`, without HTTP.

use http::Method;
use serde_json::Value;

use cloudneeti_emulator::{Control, Emulator, FaultKind, FaultSpec, Options};

/// The emulator with the demo seed on 127.0.0.1, a free port.
pub async fn start() -> Emulator {
    start_with(Options::default()).await
}

pub async fn start_with(options: Options) -> Emulator {
    Emulator::start(options).await.expect("the emulator starts")
}

/// A loopback URL where nothing listens (a port just freed).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("a bound port").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// What hands out the emulator's control handle: the emulator, the handle itself, or a
/// crate's own wrapper of an emulator.
pub trait Controls {
    fn control_handle(&self) -> Control;
}

impl Controls for Emulator {
    fn control_handle(&self) -> Control {
        self.control()
    }
}

impl Controls for Control {
    fn control_handle(&self) -> Control {
        self.clone()
    }
}

/// Arms a fault (the same code path as `POST /_emulator/faults`).
#[track_caller]
pub fn arm(emulator: &impl Controls, route: &str, kind: FaultKind, times: Option<u32>) {
    let body = serde_json::to_vec(&FaultSpec { route: route.into(), kind, times }).unwrap();
    let (status, reply) = control(emulator, Method::POST, "/_emulator/faults", &body);
    assert_eq!(status, 201, "arming a fault: {reply}");
}

/// The request log, oldest first, as `GET /_emulator/requests` gives it.
#[track_caller]
pub fn requests(emulator: &impl Controls) -> Vec<Value> {
    let (status, body) = control(emulator, Method::GET, "/_emulator/requests", b"");
    assert_eq!(status, 200);
    body.as_array().expect("the log is a list").clone()
}

/// Log entries of one route (`token`, `licenseAccounts`, …).
pub fn requests_to(emulator: &impl Controls, route: &str) -> Vec<Value> {
    requests(emulator).into_iter().filter(|e| e["route"] == route).collect()
}

/// Empties the request log (`DELETE /_emulator/requests`).
pub fn clear_log(emulator: &impl Controls) {
    control(emulator, Method::DELETE, "/_emulator/requests", b"");
}

fn control(emulator: &impl Controls, method: Method, path: &str, body: &[u8]) -> (u16, Value) {
    let reply = emulator
        .control_handle()
        .with(|state| cloudneeti_emulator::control::handle(state, &method, path, body));
    (reply.status.as_u16(), reply.body)
}
