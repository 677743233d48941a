//! TLS mode in-process: a client must trust the emulator's CA, and only that CA.

mod common;

use common::*;
use reqwest::Method;

fn tls_options() -> Options {
    Options { tls: true, ..Options::default() }
}

fn token_request(client: &reqwest::Client, emu: &Emu) -> reqwest::RequestBuilder {
    let request = client.request(Method::POST, emu.url(&token_path(DEMO_LICENSE_ID)));
    request.header(KEY_HEADER, DEMO_API_KEY).json(&credentials(DEMO_APP_ID, DEMO_APP_SECRET))
}

#[track_caller]
fn assert_certificate_error(result: Result<Resp, reqwest::Error>, reason: &str) {
    let error = result.expect_err("the server certificate must not be trusted");
    let debug = format!("{error:?}");
    assert!(error.is_connect(), "{debug}");
    assert!(debug.contains(&format!("InvalidCertificate({reason})")), "{debug}");
}

#[tokio::test]
async fn a_client_trusting_the_ca_gets_a_token_over_https() {
    let emu = Emu::with_options(tls_options()).await;
    assert!(emu.emulator.url().starts_with("https://127.0.0.1:"), "{}", emu.emulator.url());
    let pem = emu.emulator.ca_pem().expect("a CA in TLS mode");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let client = client_trusting(roots_from_pem(pem));
    send(token_request(&client, &emu)).await.token();
    // `localhost` is in the certificate too.
    let localhost = emu.emulator.url().replace("127.0.0.1", "localhost");
    let request = client.get(format!("{localhost}/_emulator/health"));
    assert_eq!(send(request).await.status, 200);
}

#[tokio::test]
async fn a_client_not_trusting_the_ca_fails_on_the_certificate() {
    let emu = Emu::with_options(tls_options()).await;
    // Trusting nothing.
    assert_certificate_error(try_send(token_request(&client(), &emu)).await, "UnknownIssuer");
    // Trusting another emulator's CA: same name, another key, so the signature does not match.
    let other = Emulator::start(tls_options()).await.unwrap();
    let wrong = client_trusting(roots_from_pem(other.ca_pem().unwrap()));
    assert_certificate_error(try_send(token_request(&wrong, &emu)).await, "BadSignature");
    // The handshake failures reached no API route.
    assert!(emu.requests().await.is_empty());
}

#[tokio::test]
async fn plain_http_to_a_tls_emulator_gets_no_answer() {
    let emu = Emu::with_options(tls_options()).await;
    let plain = emu.emulator.url().replace("https://", "http://");
    let request = client().get(format!("{plain}/_emulator/health"));
    assert!(try_send(request).await.is_err());
    assert!(Emulator::start(Options::default()).await.unwrap().ca_pem().is_none());
}
