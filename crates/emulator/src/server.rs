//! The HTTP(S) server: accepts connections on loopback, applies the armed faults, hands each
//! request to the control surface or the emulated API, and logs what arrived.
//!
//! It speaks HTTP/1.1 only, directly on hyper, because several faults (a dropped connection,
//! a body cut short, a slow body) need control below what a web framework exposes.

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{combinators::BoxBody, BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::{self, Reply};
use crate::control;
use crate::faults::FaultKind;
use crate::log::{loggable_body, loggable_headers, loggable_query, LoggedRequest};
use crate::route::Route;
use crate::seed::Seed;
use crate::state::State;
use crate::tls;

type Body = BoxBody<Bytes, std::io::Error>;

/// Requests bodies larger than this are refused; the real calls carry a few hundred bytes.
const MAX_REQUEST_BODY: usize = 64 * 1024;
/// How long shutdown waits for requests in flight before closing their connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct Options {
    pub seed: Seed,
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    pub tls: bool,
    /// Listening beyond loopback exposes the control surface to the network; off by default.
    pub allow_non_loopback: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: Seed::demo(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            allow_non_loopback: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("refusing to listen on {0}: the emulator listens on loopback only (127.0.0.0/8 or ::1) unless --allow-non-loopback is given")]
    NotLoopback(SocketAddr),
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
}

/// A handle on the emulator's state for an embedding program: the same operations as the
/// HTTP control surface, without HTTP.
#[derive(Clone)]
pub struct Control(Arc<Mutex<State>>);

impl Control {
    /// Runs `f` with the state locked; keep it short, requests wait meanwhile.
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running emulator. Dropping it stops accepting connections; `shutdown` also waits for
/// requests in flight.
pub struct Emulator {
    url: String,
    addr: SocketAddr,
    ca_pem: Option<String>,
    control: Control,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    pub async fn start(options: Options) -> Result<Emulator, StartError> {
        if !options.allow_non_loopback && !options.addr.ip().is_loopback() {
            return Err(StartError::NotLoopback(options.addr));
        }
        options.seed.check()?;
        let listener = TcpListener::bind(options.addr)
            .await
            .map_err(|source| StartError::Bind { addr: options.addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr: options.addr, source })?;
        let tls = if options.tls { Some(tls::generate()?) } else { None };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = match addr {
            SocketAddr::V4(a) => format!("{scheme}://{}:{}", a.ip(), a.port()),
            SocketAddr::V6(a) => format!("{scheme}://[{}]:{}", a.ip(), a.port()),
        };
        let control = Control(Arc::new(Mutex::new(State::new(options.seed))));
        let (stop, stopped) = watch::channel(false);
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let acceptor = tls.map(|t| tokio_rustls::TlsAcceptor::from(t.server_config));
        let task = tokio::spawn(accept_loop(listener, acceptor, control.clone(), stopped));
        Ok(Emulator { url, addr, ca_pem, control, stop, task: Some(task) })
    }

    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// PEM of the CA a client must trust in TLS mode.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn control(&self) -> Control {
        self.control.clone()
    }

    /// Stops listening, lets requests in flight finish (up to a few seconds), then returns.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    control: Control,
    mut stopped: watch::Receiver<bool>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Running out of file descriptors is passing; keep serving the others.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
            _ = stopped.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let control = control.clone();
        let service = hyper::service::service_fn(move |req| serve(control.clone(), req));
        let watcher = graceful.watcher();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let builder = hyper::server::conn::http1::Builder::new();
            match acceptor {
                None => {
                    let _ = watcher
                        .watch(builder.serve_connection(TokioIo::new(stream), service))
                        .await;
                }
                Some(acceptor) => {
                    let Ok(Ok(tls_stream)) =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                            .await
                    else {
                        return;
                    };
                    let _ = watcher
                        .watch(builder.serve_connection(TokioIo::new(tls_stream), service))
                        .await;
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedOnPurpose {}

async fn serve(
    control: Control,
    req: Request<Incoming>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let route = Route::parse(&parts.method, &path);
    let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let refusal = Reply {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                body: serde_json::json!({"statusCode": 413, "message": "Request body too large."}),
                retry_after: None,
            };
            return Ok(json_response(&refusal));
        }
    };

    if route == Route::Control {
        let reply = control.with(|state| control::handle(state, &parts.method, &path, &body));
        return Ok(json_response(&reply));
    }

    let plan = if route == Route::Unknown {
        Default::default()
    } else {
        control.with(|state| state.faults.plan(route.name()))
    };
    if plan.latency_ms > 0 {
        injected_latency(Duration::from_millis(plan.latency_ms)).await;
    }
    let response = match plan.action.clone() {
        // These faults answer in the gateway's place: the request never reaches the service.
        Some(FaultKind::RateLimit { retry_after_seconds }) => Ok(json_response(
            &api::Refusal::RateLimited { retry_after: retry_after_seconds }.reply(),
        )),
        Some(FaultKind::GatewayError { status, retry_after_seconds }) => {
            Ok(gateway_error(status, retry_after_seconds))
        }
        Some(FaultKind::MalformedJson) => Ok(raw_response(
            StatusCode::OK,
            "application/json; charset=utf-8",
            Bytes::from_static(b"{\"token\": \"eyJ"),
        )),
        Some(FaultKind::Redirect { location }) => Ok(redirect(&location)),
        Some(FaultKind::DropConnection) => Err(DroppedOnPurpose),
        delivery => {
            let reply = control
                .with(|state| api::handle(state, &route, query.as_deref(), &parts.headers, &body));
            Ok(match delivery {
                Some(FaultKind::TruncatedBody) => truncated(&reply),
                Some(FaultKind::SlowBody { bytes_per_chunk, chunk_delay_ms }) => {
                    slow(&reply, bytes_per_chunk, chunk_delay_ms)
                }
                _ => json_response(&reply),
            })
        }
    };
    let status = response.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
    let fault = plan.action.as_ref().map(fault_label);
    let entry = LoggedRequest {
        seq: 0,
        time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        method: parts.method.to_string(),
        path,
        query: query.as_deref().map(loggable_query),
        route: route.name(),
        headers: loggable_headers(&parts.headers),
        body_fields: loggable_body(&body),
        status,
        fault,
    };
    control.with(|state| state.log.push(entry));
    response
}

fn fault_label(kind: &FaultKind) -> String {
    let value = serde_json::to_value(kind).unwrap_or_default();
    value.get("kind").and_then(|k| k.as_str()).unwrap_or("fault").to_string()
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

fn raw_response(status: StatusCode, content_type: &'static str, bytes: Bytes) -> Response<Body> {
    let mut response = Response::new(full(bytes));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn reply_bytes(reply: &Reply) -> Bytes {
    Bytes::from(serde_json::to_vec(&reply.body).expect("JSON values serialise"))
}

fn with_retry_after(mut response: Response<Body>, seconds: Option<u64>) -> Response<Body> {
    if let Some(seconds) = seconds {
        response.headers_mut().insert(http::header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn json_response(reply: &Reply) -> Response<Body> {
    let response =
        raw_response(reply.status, "application/json; charset=utf-8", reply_bytes(reply));
    with_retry_after(response, reply.retry_after)
}

/// Waits `latency` as asked, not a millisecond or two more: tokio's timer rounds a sleep up to
/// its 1 ms tick and the runtime wakes late, so a 20 ms fault served 22 ms and every latency
/// benchmark measured the timer rather than the client (docs/performance.md). The bulk is a
/// tokio sleep; the last stretch, at most `TAIL`, is a thread's sleep, which the OS keeps to
/// tens of microseconds. The tail is short so that a long fault never holds a blocking thread
/// (a runtime waits for those when it shuts down).
async fn injected_latency(latency: Duration) {
    const TAIL: Duration = Duration::from_millis(3);
    let deadline = tokio::time::Instant::now() + latency;
    if let Some(bulk) = latency.checked_sub(TAIL) {
        tokio::time::sleep(bulk).await;
    }
    let rest = deadline.saturating_duration_since(tokio::time::Instant::now());
    if !rest.is_zero() {
        // A JoinError here is only a runtime shutting down: the wait is over either way.
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(rest)).await;
    }
}

fn gateway_error(status: u16, retry_after: Option<u64>) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let html = format!(
        "<!DOCTYPE html><html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1><p>The gateway could not complete the request.</p></body></html>",
        code = status.as_u16()
    );
    let response = raw_response(status, "text/html; charset=utf-8", Bytes::from(html));
    with_retry_after(response, retry_after)
}

fn redirect(location: &str) -> Response<Body> {
    let mut response = Response::new(full(Bytes::new()));
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}

/// Promises the whole answer in `Content-Length`, sends half, then fails the body so hyper
/// closes the connection: the client sees an answer cut short.
fn truncated(reply: &Reply) -> Response<Body> {
    let bytes = reply_bytes(reply);
    let half = bytes.slice(..bytes.len() / 2);
    // The pause lets hyper flush the head and the first half before the failure aborts the
    // connection; without it the client could see nothing at all (a drop, not a cut).
    let stream = futures_util::stream::unfold(Some(half), |pending| async move {
        match pending {
            Some(half) => Some((Ok(Frame::data(half)), None)),
            None => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Some((Err(std::io::Error::other("truncated on purpose")), None))
            }
        }
    });
    let body = StreamBody::new(stream).boxed();
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    response
}

fn slow(reply: &Reply, bytes_per_chunk: usize, delay_ms: u64) -> Response<Body> {
    let bytes = reply_bytes(reply);
    let len = bytes.len();
    let stream = futures_util::stream::unfold(0usize, move |offset| {
        let bytes = bytes.clone();
        async move {
            if offset >= len {
                return None;
            }
            if offset > 0 {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            }
            let end = (offset + bytes_per_chunk).min(len);
            Some((Ok::<_, std::io::Error>(Frame::data(bytes.slice(offset..end))), end))
        }
    });
    let mut response = Response::new(StreamBody::new(stream).boxed());
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(len));
    response
}
