//! Helpers of the emulator's integration tests: talk to an emulator started in-process over
//! real HTTP on loopback, and check answers against docs/emulator.md. What other crates'
//! tests need too (demo credentials, starting the emulator, the API's paths, fingerprints)
//! comes from cloudneeti-testkit.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code, unused_imports)]

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub use cloudneeti_testkit::demo::*;
pub use cloudneeti_testkit::{fingerprint, jwt, license_accounts_path, token_path, KEY_HEADER};

pub const JSON_TYPE: &str = "application/json; charset=utf-8";
pub const MISSING_KEY: &str = "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.";
pub const INVALID_KEY: &str = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";

/// A rustls client configuration trusting exactly `roots`, with the ring provider (reqwest is
/// built with `rustls-no-provider`).
pub fn tls_config(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// A root store holding the certificates of a PEM text.
pub fn roots_from_pem(pem: &str) -> rustls::RootCertStore {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        roots.add(cert.expect("the CA PEM parses")).expect("the CA certificate is usable");
    }
    roots
}

/// An HTTP client that never follows redirects and trusts only `roots` for HTTPS.
pub fn client_trusting(roots: rustls::RootCertStore) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config(roots))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .expect("the HTTP client builds")
}

pub fn client() -> reqwest::Client {
    client_trusting(rustls::RootCertStore::empty())
}

/// `/{area}/license/{demo license}/account/{account}/{tail}`
pub fn account_path(area: &str, account_id: &str, tail: &str) -> String {
    format!("/{area}/license/{DEMO_LICENSE_ID}/account/{account_id}/{tail}")
}

pub fn credentials(app_id: &str, secret: &str) -> Value {
    json!({"APIApplicationId": app_id, "Secret": secret})
}

/// The field names of a JSON object, sorted (whatever serde_json's map order is).
pub fn fields(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> =
        value.as_object().expect("a JSON object").keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

/// A demo seed whose active key allows only `calls` per `period` seconds.
pub fn rate_limited_seed(calls: u32, period: u32) -> Seed {
    let mut seed = Seed::demo();
    seed.api_keys[0].rate_limit =
        Some(cloudneeti_emulator::seed::RateLimit { calls, renewal_period_seconds: period });
    seed
}

/// An answer, read in full, with the time it took from sending to the end of the body.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub elapsed: Duration,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {:?}", self.text))
    }

    /// A documented refusal: this HTTP status, a JSON body of exactly `statusCode` and
    /// `message`, and nothing else.
    #[track_caller]
    pub fn refused(&self, status: u16, message: &str) {
        assert_eq!(self.status, status, "status of {:?}", self.text);
        assert_eq!(self.header("content-type"), Some(JSON_TYPE));
        assert_eq!(self.json(), json!({"statusCode": status, "message": message}));
    }

    /// A documented success of a data call: returns its `result`.
    #[track_caller]
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "status of {:?}", self.text);
        assert_eq!(self.header("content-type"), Some(JSON_TYPE));
        let body = self.json();
        assert_eq!(fields(&body), ["message", "result", "statusCode"], "fields of {body}");
        assert_eq!(body["statusCode"], 200);
        assert_eq!(body["message"], "Request Successful");
        body["result"].clone()
    }

    /// A documented token answer: returns the token.
    #[track_caller]
    pub fn token(&self) -> String {
        assert_eq!(self.status, 200, "status of {:?}", self.text);
        let body = self.json();
        // The shape the vendor's scripts read: `result.token` [script].
        assert_eq!(fields(&body), ["message", "result", "statusCode"], "fields of {body}");
        assert_eq!(fields(&body["result"]), ["token"], "fields of {body}");
        assert_eq!(body["statusCode"], 200);
        assert_eq!(body["message"], "Request Successful");
        let token = body["result"]["token"].as_str().expect("token is a string").to_string();
        assert!(!token.is_empty());
        token
    }
}

/// Sends a request and reads the whole answer.
pub async fn send(request: RequestBuilder) -> Resp {
    try_send(request).await.unwrap_or_else(|e| panic!("request failed: {e:?}"))
}

pub async fn try_send(request: RequestBuilder) -> Result<Resp, reqwest::Error> {
    let started = Instant::now();
    let response = request.send().await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await?;
    Ok(Resp { status, headers, text, elapsed: started.elapsed() })
}

/// An emulator started in-process for one test, with a client for it.
pub struct Emu {
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

impl Emu {
    pub async fn start() -> Emu {
        Emu::with_seed(Seed::demo()).await
    }

    pub async fn with_seed(seed: Seed) -> Emu {
        Emu::with_options(Options { seed, ..Options::default() }).await
    }

    pub async fn with_options(options: Options) -> Emu {
        let emulator = cloudneeti_testkit::start_with(options).await;
        let roots =
            emulator.ca_pem().map(roots_from_pem).unwrap_or_else(rustls::RootCertStore::empty);
        Emu { emulator, http: client_trusting(roots) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.url())
    }

    /// A request carrying nothing but what the caller adds.
    pub fn bare(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// A request carrying the demo's active subscription key.
    pub fn keyed(&self, method: Method, path: &str) -> RequestBuilder {
        self.bare(method, path).header(KEY_HEADER, DEMO_API_KEY)
    }

    /// A GET with the demo key and `token` as bearer.
    pub async fn get(&self, path: &str, token: &str) -> Resp {
        send(self.keyed(Method::GET, path).bearer_auth(token)).await
    }

    /// A token request with the demo key for the demo license.
    pub async fn token(&self, app_id: &str, secret: &str, account_id: Option<&str>) -> Resp {
        self.token_with_key(DEMO_API_KEY, DEMO_LICENSE_ID, app_id, secret, account_id).await
    }

    pub async fn token_with_key(
        &self,
        key: &str,
        license_id: &str,
        app_id: &str,
        secret: &str,
        account_id: Option<&str>,
    ) -> Resp {
        let mut path = token_path(license_id);
        if let Some(account) = account_id {
            path = format!("{path}?accountId={account}");
        }
        let request = self
            .bare(Method::POST, &path)
            .header(KEY_HEADER, key)
            .header("Content-Type", "application/json")
            .body(credentials(app_id, secret).to_string());
        send(request).await
    }

    /// A demo license token request sent with `key` as the subscription key.
    pub async fn demo_token_with_key(&self, key: &str) -> Resp {
        self.token_with_key(key, DEMO_LICENSE_ID, DEMO_APP_ID, DEMO_APP_SECRET, None).await
    }

    /// A token of the demo application: a license token, or an account token.
    pub async fn demo_token(&self, account_id: Option<&str>) -> String {
        self.token(DEMO_APP_ID, DEMO_APP_SECRET, account_id).await.token()
    }

    /// A control call; `body` is sent as JSON when given.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut request = self.bare(method, &format!("/_emulator/{path}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        send(request).await
    }

    /// A control call expected to succeed with `status`; returns its JSON.
    pub async fn control_ok(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let resp = self.control(method, path, body).await;
        assert_eq!(resp.status, status, "control {path}: {}", resp.text);
        resp.json()
    }

    pub async fn advance_clock(&self, seconds: i64) {
        self.control_ok(Method::POST, "clock", Some(json!({"advanceSeconds": seconds})), 200).await;
    }

    /// Arms a fault; returns its id.
    pub async fn arm(&self, fault: Value) -> u64 {
        let armed = self.control_ok(Method::POST, "faults", Some(fault), 201).await;
        armed["id"].as_u64().expect("a fault id")
    }

    /// Creates an API application via the control surface; returns (appId, secret).
    pub async fn create_app(&self, spec: Value) -> (String, String) {
        let created = self.control_ok(Method::POST, "apps", Some(spec), 201).await;
        let app_id = created["appId"].as_str().expect("appId").to_string();
        let secret = created["secret"].as_str().expect("secret").to_string();
        (app_id, secret)
    }

    pub async fn requests(&self) -> Vec<Value> {
        let log = self.control_ok(Method::GET, "requests", None, 200).await;
        log.as_array().expect("the log is an array").clone()
    }
}

/// Sends raw bytes over TCP and returns every byte received until the server closes.
pub async fn raw_exchange(addr: std::net::SocketAddr, request: &str) -> Vec<u8> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    stream.write_all(request.as_bytes()).await.expect("request sent");
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server neither answered nor closed within 5 s"),
        }
    }
    received
}

/// A raw HTTP/1.1 token request with the demo credentials.
pub fn raw_token_request(addr: std::net::SocketAddr) -> String {
    let body = credentials(DEMO_APP_ID, DEMO_APP_SECRET).to_string();
    format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\n{KEY_HEADER}: {DEMO_API_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        token_path(DEMO_LICENSE_ID),
        body.len()
    )
}

/// Splits a raw HTTP answer into its head (lower-cased) and body bytes.
pub fn split_answer(raw: &[u8]) -> (String, Vec<u8>) {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    (String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase(), raw[end + 4..].to_vec())
}
