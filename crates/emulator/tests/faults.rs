//! Every fault kind, as a client on the other side of a real connection sees it.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

/// A demo token request, not yet sent.
fn token_request(emu: &Emu) -> reqwest::RequestBuilder {
    let request = emu.keyed(Method::POST, &token_path(DEMO_LICENSE_ID));
    request.json(&credentials(DEMO_APP_ID, DEMO_APP_SECRET))
}

#[tokio::test]
async fn latency_delays_a_normal_answer_and_adds_up() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "latency", "ms": 150})).await;
    emu.arm(json!({"route": "*", "kind": "latency", "ms": 100})).await;
    let answer = send(token_request(&emu)).await;
    assert!(answer.elapsed >= Duration::from_millis(250), "{:?}", answer.elapsed);
    answer.token();
    // Latency composes with another fault.
    emu.arm(json!({"route": "token", "kind": "gatewayError", "status": 504})).await;
    let answer = send(token_request(&emu)).await;
    assert!(answer.elapsed >= Duration::from_millis(250), "{:?}", answer.elapsed);
    assert_eq!(answer.status, 504);
}

#[tokio::test]
async fn a_rate_limit_fault_answers_like_apim() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "rateLimit", "retryAfterSeconds": 7})).await;
    let answer = send(token_request(&emu)).await;
    assert_eq!(answer.header("retry-after"), Some("7"));
    answer.refused(429, "Rate limit is exceeded. Try again in 7 seconds.");
}

#[tokio::test]
async fn a_gateway_error_is_html_with_retry_after_when_given() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "gatewayError", "status": 502, "times": 1})).await;
    let bad_gateway = send(token_request(&emu)).await;
    assert_eq!(bad_gateway.status, 502);
    assert_eq!(bad_gateway.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(bad_gateway.text.starts_with("<!DOCTYPE html>"), "{}", bad_gateway.text);
    assert!(bad_gateway.text.contains("502 Bad Gateway"));
    assert!(serde_json::from_str::<serde_json::Value>(&bad_gateway.text).is_err());
    assert_eq!(bad_gateway.header("retry-after"), None);

    emu.arm(
        json!({"route": "token", "kind": "gatewayError", "status": 503, "retryAfterSeconds": 30}),
    )
    .await;
    let unavailable = send(token_request(&emu)).await;
    assert_eq!(unavailable.status, 503);
    assert!(unavailable.text.contains("503 Service Unavailable"), "{}", unavailable.text);
    assert_eq!(unavailable.header("retry-after"), Some("30"));
}

#[tokio::test]
async fn malformed_json_is_a_200_that_does_not_parse() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "malformedJson"})).await;
    let answer = send(token_request(&emu)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some(JSON_TYPE));
    assert!(!answer.text.is_empty());
    assert!(serde_json::from_str::<serde_json::Value>(&answer.text).is_err(), "{}", answer.text);
}

#[tokio::test]
async fn a_truncated_body_promises_more_than_it_sends() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "truncatedBody", "times": 2})).await;
    // A client sees the head, then fails reading the body.
    let response = token_request(&emu).send().await.expect("the head arrives");
    assert_eq!(response.status().as_u16(), 200);
    let promised = response.content_length().expect("a Content-Length");
    let error = response.text().await.expect_err("the body is cut short");
    assert!(error.is_body() || error.is_decode(), "{error:?}");

    // On the wire: fewer bytes than Content-Length, then the connection closes.
    let raw = raw_exchange(emu.emulator.addr(), &raw_token_request(emu.emulator.addr())).await;
    let (head, body) = split_answer(&raw);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains(&format!("content-length: {promised}")), "{head}");
    assert!(!body.is_empty() && (body.len() as u64) < promised, "{} of {promised}", body.len());
    assert!(body.starts_with(b"{\""), "{body:?}");
}

#[tokio::test]
async fn a_slow_body_arrives_intact_but_late() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    let path = license_accounts_path(DEMO_LICENSE_ID);
    let normal = emu.get(&path, &token).await;
    emu.arm(json!({"route": "licenseAccounts", "kind": "slowBody", "bytesPerChunk": 100, "chunkDelayMs": 40})).await;
    let slow = emu.get(&path, &token).await;
    assert_eq!(slow.text, normal.text);
    slow.ok();
    let chunks = normal.text.len().div_ceil(100) as u32;
    assert!(chunks >= 4, "{chunks}");
    let least = Duration::from_millis(40) * (chunks - 1);
    assert!(slow.elapsed >= least, "{:?} < {least:?}", slow.elapsed);
}

#[tokio::test]
async fn a_dropped_connection_gives_no_answer_at_all() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "dropConnection", "times": 2})).await;
    let error = token_request(&emu).send().await.expect_err("no answer");
    assert!(error.status().is_none(), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");

    let raw = raw_exchange(emu.emulator.addr(), &raw_token_request(emu.emulator.addr())).await;
    assert!(raw.is_empty(), "{}", String::from_utf8_lossy(&raw));

    let log = emu.requests().await;
    assert_eq!(log.len(), 2);
    for entry in &log {
        assert_eq!(
            (entry["status"].as_u64(), entry["fault"].as_str()),
            (Some(0), Some("dropConnection"))
        );
    }
    // Disarmed after its two uses.
    send(token_request(&emu)).await.token();
}

#[tokio::test]
async fn a_redirect_points_elsewhere_and_a_client_that_does_not_follow_stays_put() {
    let emu = Emu::start().await;
    let elsewhere_addr: SocketAddr = "127.0.0.2:0".parse().unwrap();
    let elsewhere = Emu::with_options(Options { addr: elsewhere_addr, ..Options::default() }).await;
    assert!(elsewhere.emulator.url().starts_with("http://127.0.0.2:"));
    let location = elsewhere.url(&token_path(DEMO_LICENSE_ID));
    emu.arm(json!({"route": "token", "kind": "redirect", "location": location})).await;

    // The helper's client has redirects disabled.
    let answer = send(token_request(&emu)).await;
    assert_eq!(answer.status, 307);
    assert_eq!(answer.header("location"), Some(location.as_str()));
    assert!(answer.text.is_empty());
    assert!(elsewhere.requests().await.is_empty(), "the other host received the key");
    let log = emu.requests().await;
    assert_eq!(
        (log[0]["status"].as_u64(), log[0]["fault"].as_str()),
        (Some(307), Some("redirect"))
    );
}

#[tokio::test]
async fn times_disarms_a_fault_after_that_many_requests() {
    let emu = Emu::start().await;
    let id =
        emu.arm(json!({"route": "token", "kind": "gatewayError", "status": 500, "times": 2})).await;
    let listed = emu.control_ok(Method::GET, "faults", None, 200).await;
    let expected = json!([{"id": id, "route": "token", "kind": "gatewayError", "status": 500, "retryAfterSeconds": null, "times": 2, "remaining": 2}]);
    assert_eq!(listed, expected);
    assert_eq!(send(token_request(&emu)).await.status, 500);
    let listed = emu.control_ok(Method::GET, "faults", None, 200).await;
    assert_eq!(listed[0]["remaining"], 1);
    assert_eq!(send(token_request(&emu)).await.status, 500);
    assert_eq!(emu.control_ok(Method::GET, "faults", None, 200).await, json!([]));
    send(token_request(&emu)).await.token();
}

#[tokio::test]
async fn the_oldest_matching_fault_wins_and_others_wait_their_turn() {
    let emu = Emu::start().await;
    emu.arm(json!({"route": "token", "kind": "rateLimit", "retryAfterSeconds": 3, "times": 1}))
        .await;
    emu.arm(json!({"route": "*", "kind": "gatewayError", "status": 503, "times": 1})).await;
    assert_eq!(send(token_request(&emu)).await.status, 429);
    assert_eq!(send(token_request(&emu)).await.status, 503);
    send(token_request(&emu)).await.token();
}

#[tokio::test]
async fn a_star_fault_hits_every_api_route_until_deleted() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    emu.arm(json!({"route": "*", "kind": "gatewayError", "status": 502})).await;
    assert_eq!(send(token_request(&emu)).await.status, 502);
    let accounts = license_accounts_path(DEMO_LICENSE_ID);
    assert_eq!(emu.get(&accounts, &token).await.status, 502);
    // It answers in the gateway's place: even without a key.
    assert_eq!(send(emu.bare(Method::GET, &accounts)).await.status, 502);
    // Not paths outside the API, nor the control surface.
    send(emu.bare(Method::GET, "/nowhere")).await.refused(404, "Resource not found");
    assert_eq!(emu.control_ok(Method::GET, "health", None, 200).await, json!({"status": "ok"}));

    let cleared = emu.control_ok(Method::DELETE, "faults", None, 200).await;
    assert_eq!(cleared, json!({"status": "cleared"}));
    assert_eq!(emu.control_ok(Method::GET, "faults", None, 200).await, json!([]));
    emu.get(&accounts, &token).await.ok();
    send(token_request(&emu)).await.token();
}

#[tokio::test]
async fn a_fault_aimed_at_one_route_leaves_the_others_alone() {
    let emu = Emu::start().await;
    let token = emu.demo_token(None).await;
    emu.arm(json!({"route": "licenseAccounts", "kind": "malformedJson"})).await;
    send(token_request(&emu)).await.token();
    let broken = emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await;
    assert!(serde_json::from_str::<serde_json::Value>(&broken.text).is_err());
}
