//! Helpers for the API client's integration tests: a client pointed at an emulator over real
//! HTTP on loopback, the demo keys, and the checks every failure must pass. Starting the
//! emulator, its control surface (faults, request log), the demo credentials, JWT claims and
//! the leak search come from cloudneeti-testkit, shared with the other crates' tests.
// Each test file uses a different part of these helpers.
#![allow(dead_code, unused_imports)]

use cloudneeti_core::client::{ApiClient, ClientOptions, Credentials};
use cloudneeti_core::{BaseUrl, Error, Secret};
pub use cloudneeti_testkit::demo::*;
pub use cloudneeti_testkit::jwt::claims as jwt_claims;
pub use cloudneeti_testkit::{
    arm, clear_log, dead_url, fingerprint, requests, requests_to, start, start_with, token_path,
};

/// A client of `emulator` with the default options.
pub fn client(emulator: &Emulator) -> ApiClient {
    client_with(emulator, ClientOptions::default())
}

pub fn client_with(emulator: &Emulator, options: ClientOptions) -> ApiClient {
    client_at(emulator.url(), options)
}

pub fn client_at(url: &str, options: ClientOptions) -> ApiClient {
    ApiClient::new(cloudneeti_core::validate::base_url(url).expect("a valid base URL"), options)
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
    let text = format!("{error} | {} | {error:?}", error.hint(|_| ""));
    cloudneeti_testkit::leak::assert_none(&text, secrets, 8);
}

/// A loopback server that answers every request with `status` and `body`.
pub async fn answer_server(status: &'static str, body: String) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let _ = socket.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    addr
}

/// A hostile service on loopback: token requests get an opaque token, every other request
/// `status` and `body` (which may echo anything the service was ever sent).
pub async fn hostile_service(status: &'static str, body: String) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let (status, body) = if request.starts_with("POST /authorize/") {
                (
                    "200 OK",
                    r#"{"statusCode":200,"result":{"token":"opaque-hostile-token-0123"}}"#
                        .to_string(),
                )
            } else {
                (status, body.clone())
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    addr
}
