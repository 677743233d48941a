//! The control surface (`/_emulator/…`) and the request log.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn the_request_log_shows_what_arrived_with_secrets_only_as_fingerprints() {
    let emu = Emu::start().await;
    let spec = json!({"licenseId": DEMO_LICENSE_ID, "name": "Logged"});
    let (app_id, secret) = emu.create_app(spec).await;
    let token = emu.token(&app_id, &secret, Some(DEMO_AZURE_ACCOUNT_ID)).await.token();
    let health = account_path("audit", DEMO_AZURE_ACCOUNT_ID, "healthstatus");
    emu.get(&health, &token).await.ok();

    let log = emu.requests().await;
    assert_eq!(log.len(), 2, "control calls are not logged: {log:?}");
    let (first, second) = (&log[0], &log[1]);
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], token_path(DEMO_LICENSE_ID));
    assert_eq!(first["query"], format!("accountId={DEMO_AZURE_ACCOUNT_ID}"));
    assert_eq!(first["route"], "token");
    assert_eq!(first["status"], 200);
    assert_eq!(first["fault"], Value::Null);
    assert!(first["seq"].as_u64().unwrap() < second["seq"].as_u64().unwrap());
    let headers = &first["headers"];
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["ocp-apim-subscription-key"], fingerprint(DEMO_API_KEY));
    let body = json!({"APIApplicationId": app_id, "Secret": fingerprint(&secret)});
    assert_eq!(first["bodyFields"], body);

    assert_eq!(second["route"], "healthStatus");
    assert_eq!(second["headers"]["authorization"], format!("Bearer {}", fingerprint(&token)));
    assert_eq!(second["bodyFields"], Value::Null);

    let raw = emu.control(Method::GET, "requests", None).await.text;
    for secret in [secret.as_str(), DEMO_API_KEY, token.as_str()] {
        assert!(!raw.contains(secret), "{secret} appears in the log");
    }
    assert!(raw.contains(&app_id), "the app id is not a secret");

    let cleared = emu.control_ok(Method::DELETE, "requests", None, 200).await;
    assert_eq!(cleared, json!({"status": "cleared"}));
    assert!(emu.requests().await.is_empty());
}

#[tokio::test]
async fn refused_and_unknown_requests_are_logged_too() {
    let emu = Emu::start().await;
    let bad_key = "ffffffffffffffffffffffffffffffff";
    emu.token_with_key(bad_key, DEMO_LICENSE_ID, DEMO_APP_ID, "some-secret-value", None).await;
    send(emu.bare(Method::GET, "/nowhere")).await;
    let log = emu.requests().await;
    assert_eq!(log[0]["status"], 401);
    assert_eq!(log[0]["headers"]["ocp-apim-subscription-key"], fingerprint(bad_key));
    assert_eq!(log[0]["bodyFields"]["Secret"], fingerprint("some-secret-value"));
    assert_eq!((log[1]["route"].as_str(), log[1]["status"].as_u64()), (Some("unknown"), Some(404)));
    let raw = emu.control(Method::GET, "requests", None).await.text;
    assert!(!raw.contains(bad_key) && !raw.contains("some-secret-value"));
}

/// APIM also accepts the key as a `subscription-key` query parameter, so a client may send it
/// there; the log must not keep it (nor any other secret-looking parameter) in clear.
#[tokio::test]
async fn secret_looking_query_parameters_are_fingerprinted_in_the_log() {
    let emu = Emu::start().await;
    let query = format!(
        "subscription-key={DEMO_API_KEY}&accountId={DEMO_AZURE_ACCOUNT_ID}&access_token=tok-123"
    );
    let path = format!("{}?{query}", token_path(DEMO_LICENSE_ID));
    let request = emu.bare(Method::POST, &path).json(&credentials(DEMO_APP_ID, DEMO_APP_SECRET));
    send(request).await.refused(401, MISSING_KEY);
    let log = emu.requests().await;
    let expected = format!(
        "subscription-key={}&accountId={DEMO_AZURE_ACCOUNT_ID}&access_token={}",
        fingerprint(DEMO_API_KEY),
        fingerprint("tok-123")
    );
    assert_eq!(log[0]["query"], expected);
    let raw = emu.control(Method::GET, "requests", None).await.text;
    assert!(!raw.contains(DEMO_API_KEY) && !raw.contains("tok-123"), "{raw}");
}

#[tokio::test]
async fn a_created_app_shows_its_secret_once_and_the_state_never_does() {
    let emu = Emu::start().await;
    let spec = json!({"licenseId": DEMO_LICENSE_ID, "name": "Reports", "accountIds": [DEMO_OFFICE_ACCOUNT_ID], "tokenExpiryMinutes": 30});
    let created = emu.control_ok(Method::POST, "apps", Some(spec), 201).await;
    assert_eq!(fields(&created), ["appId", "secret"]);
    let (app_id, secret) =
        (created["appId"].as_str().unwrap(), created["secret"].as_str().unwrap());
    assert!(secret.len() >= 32, "{secret}");
    emu.token(app_id, secret, Some(DEMO_OFFICE_ACCOUNT_ID)).await.token();
    // Outside its scope.
    assert_eq!(emu.token(app_id, secret, Some(DEMO_AZURE_ACCOUNT_ID)).await.status, 403);

    let regenerated =
        emu.control_ok(Method::POST, &format!("apps/{app_id}/regenerate-secret"), None, 200).await;
    let new_secret = regenerated["secret"].as_str().unwrap();
    let subscribed = emu
        .control_ok(Method::POST, "keys", Some(json!({"owner": "x@contoso.example"})), 201)
        .await;
    let key = subscribed["key"].as_str().unwrap();

    let state = emu.control(Method::GET, "state", None).await;
    assert_eq!(state.status, 200);
    for hidden in [secret, new_secret, DEMO_APP_SECRET, DEMO_API_KEY, DEMO_PENDING_API_KEY, key] {
        assert!(!state.text.contains(hidden), "{hidden} appears in the state");
    }
    let state = state.json();
    let apps = state["apiApplications"].as_array().unwrap();
    let app = apps.iter().find(|a| a["appId"] == app_id).expect("the new app is listed");
    assert_eq!(app["secretFingerprint"], fingerprint(new_secret));
    assert_eq!(app["accountIds"], json!([DEMO_OFFICE_ACCOUNT_ID]));
    assert_eq!(app["tokenExpiryMinutes"], 30);
    let keys = state["apiKeys"].as_array().unwrap();
    let view =
        keys.iter().find(|k| k["keyFingerprint"] == fingerprint(key)).expect("the key is listed");
    assert_eq!(view["state"], "pending");
    assert_eq!(view["owner"], "x@contoso.example");
    assert_eq!(state["licenses"][0]["licenseId"], DEMO_LICENSE_ID);
    chrono::DateTime::parse_from_rfc3339(state["now"].as_str().unwrap()).expect("now is a time");
}

#[tokio::test]
async fn a_subscribed_key_is_pending_until_activated() {
    let emu = Emu::start().await;
    let subscribed = emu.control_ok(Method::POST, "keys", None, 201).await;
    assert_eq!(subscribed["state"], "pending");
    let key = subscribed["key"].as_str().unwrap();
    assert!(
        key.len() == 32 && key.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{key}"
    );
    let with_key = || emu.demo_token_with_key(key);
    with_key().await.refused(401, INVALID_KEY);
    emu.control_ok(Method::POST, "keys/activate", Some(json!({"key": key})), 200).await;
    with_key().await.token();
}

#[tokio::test]
async fn reset_restores_the_seed() {
    let emu = Emu::start().await;
    let (app_id, secret) =
        emu.create_app(json!({"licenseId": DEMO_LICENSE_ID, "name": "Temporary"})).await;
    emu.control_ok(Method::POST, &format!("apps/{DEMO_APP_ID}/regenerate-secret"), None, 200).await;
    emu.control_ok(Method::POST, "keys/activate", Some(json!({"key": DEMO_PENDING_API_KEY})), 200)
        .await;
    let before = emu.control_ok(Method::GET, "state", None, 200).await;
    let moved =
        emu.control_ok(Method::POST, "clock", Some(json!({"advanceSeconds": 86400})), 200).await;
    let (start, later) = (time(&before["now"]), time(&moved["now"]));
    assert!((later - start).num_seconds() >= 86400);
    emu.arm(json!({"route": "licenseAccounts", "kind": "malformedJson"})).await;
    emu.token(&app_id, &secret, None).await.token();

    let reset = emu.control_ok(Method::POST, "reset", None, 200).await;
    assert_eq!(reset, json!({"status": "reset"}));
    assert!(emu.requests().await.is_empty());
    assert_eq!(emu.control_ok(Method::GET, "faults", None, 200).await, json!([]));
    let after = emu.control_ok(Method::GET, "state", None, 200).await;
    assert!((time(&after["now"]) - chrono::Utc::now()).num_seconds().abs() < 5);
    assert_eq!(after["apiApplications"].as_array().unwrap().len(), 1);
    assert_eq!(after["apiApplications"][0]["secretFingerprint"], fingerprint(DEMO_APP_SECRET));
    emu.token(&app_id, &secret, None).await.refused(401, "Invalid API application id or secret.");
    let token = emu.demo_token(None).await;
    emu.get(&license_accounts_path(DEMO_LICENSE_ID), &token).await.ok();
    let pending = emu.demo_token_with_key(DEMO_PENDING_API_KEY);
    pending.await.refused(401, INVALID_KEY);
}

fn time(value: &Value) -> chrono::DateTime<chrono::Utc> {
    let parsed = chrono::DateTime::parse_from_rfc3339(value.as_str().expect("a time"));
    parsed.expect("RFC 3339").to_utc()
}

/// (control path, body, status, part of the message) of refused control calls.
const BAD_CONTROL_CALLS: &[(&str, &str, u16, &str)] = &[
    ("clock", "not json", 400, "bad body: "),
    ("clock", r#"{"advance": 5}"#, 400, "unknown field `advance`"),
    ("apps", r#"{"name": "No license"}"#, 400, "missing field `licenseId`"),
    ("apps", r#"{"licenseId": "nope", "name": "x"}"#, 400, "license nope does not exist"),
    (
        "apps",
        r#"{"licenseId": "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01", "name": "x", "apis": ["Account.Everything"]}"#,
        400,
        "unknown API name Account.Everything",
    ),
    (
        "apps",
        r#"{"licenseId": "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01", "name": " "}"#,
        400,
        "needs a name",
    ),
    ("faults", r#"{"route": "tokens", "kind": "malformedJson"}"#, 400, "unknown route \"tokens\""),
    (
        "faults",
        r#"{"route": "token", "kind": "gatewayError", "status": 404}"#,
        400,
        "must be 500, 502, 503 or 504",
    ),
    ("faults", r#"{"route": "token", "kind": "explode"}"#, 400, "bad body: "),
    (
        "faults",
        r#"{"route": "token", "kind": "malformedJson", "times": 0}"#,
        400,
        "times must be at least 1",
    ),
    (
        "faults",
        r#"{"route": "token", "kind": "slowBody", "bytesPerChunk": 0, "chunkDelayMs": 1}"#,
        400,
        "bytesPerChunk",
    ),
    ("keys", r#"{"owner": 5}"#, 400, "bad body: "),
    ("keys/activate", r#"{"key": "0000"}"#, 404, "no API key matches"),
    ("apps/nope/regenerate-secret", "", 404, "API application nope does not exist"),
    ("nothing", "", 404, "no control route POST /_emulator/nothing"),
];

#[tokio::test]
async fn bad_control_requests_get_a_status_and_a_message() {
    let emu = Emu::start().await;
    for &(path, body, status, message) in BAD_CONTROL_CALLS {
        let request = emu
            .bare(Method::POST, &format!("/_emulator/{path}"))
            .header("Content-Type", "application/json");
        let answer = send(request.body(body)).await;
        assert_eq!(answer.status, status, "{path} {body}: {}", answer.text);
        let json = answer.json();
        assert_eq!(json["statusCode"], status);
        let text = json["message"].as_str().unwrap();
        assert!(text.contains(message), "{path} {body}: {text:?} lacks {message:?}");
    }
    // Nothing was armed or created by the refused calls.
    assert_eq!(emu.control_ok(Method::GET, "faults", None, 200).await, json!([]));
    let state = emu.control_ok(Method::GET, "state", None, 200).await;
    assert_eq!(state["apiApplications"].as_array().unwrap().len(), 1);
    assert_eq!(state["apiKeys"].as_array().unwrap().len(), 2);
}
