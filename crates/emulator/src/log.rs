//! The request log: what arrived, so a test can see which headers and body fields a client
//! sent. Secret values are never kept, only a short fingerprint (the first 8 hex digits of
//! their SHA-256), which is enough to tell two secrets apart and useless to an attacker.

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;

/// Keeps the log bounded however long the emulator runs.
pub const LOG_CAPACITY: usize = 1000;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    pub seq: u64,
    pub time: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub route: &'static str,
    /// Header names as they arrived, lower-cased, with values or fingerprints.
    pub headers: Map<String, Value>,
    /// Top-level fields of a JSON body, with values or fingerprints; `null` when the body was
    /// empty or not a JSON object.
    pub body_fields: Option<Map<String, Value>>,
    pub status: u16,
    /// The injected fault that shaped the answer, if any.
    pub fault: Option<String>,
}

pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("fp:{hex}")
}

fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["key", "secret", "authorization", "token", "password", "cookie"]
        .iter()
        .any(|word| name.contains(word))
}

pub fn loggable_headers(headers: &http::HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        let text = String::from_utf8_lossy(value.as_bytes());
        let shown = if name.as_str() == "authorization" {
            match text.split_once(' ') {
                Some((scheme, rest)) => format!("{scheme} {}", fingerprint(rest)),
                None => fingerprint(&text),
            }
        } else if is_sensitive(name.as_str()) {
            fingerprint(&text)
        } else {
            text.into_owned()
        };
        out.insert(name.as_str().to_string(), Value::String(shown));
    }
    out
}

/// The query string as it arrived, except that secret-looking parameters (APIM also accepts
/// the key as `subscription-key=`) show a fingerprint instead of their value.
pub fn loggable_query(query: &str) -> String {
    let shown: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_sensitive(name) => format!("{name}={}", fingerprint(value)),
            _ => pair.to_string(),
        })
        .collect();
    shown.join("&")
}

pub fn loggable_body(body: &[u8]) -> Option<Map<String, Value>> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    Some(
        fields
            .into_iter()
            .map(|(name, value)| {
                let shown = match (&value, is_sensitive(&name)) {
                    (Value::String(s), true) => Value::String(fingerprint(s)),
                    (_, true) => Value::String(fingerprint(&value.to_string())),
                    (_, false) => value,
                };
                (name, shown)
            })
            .collect(),
    )
}

#[derive(Debug, Default)]
pub struct RequestLog {
    next_seq: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    pub fn push(&mut self, mut entry: LoggedRequest) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() == LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<LoggedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fingerprinted_and_other_values_kept() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "ocp-apim-subscription-key",
            "0123456789abcdef0123456789abcdef".parse().unwrap(),
        );
        headers.insert("authorization", "Bearer abc.def.ghi".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        let shown = serde_json::to_string(&loggable_headers(&headers)).unwrap();
        assert!(!shown.contains("0123456789abcdef") && !shown.contains("abc.def.ghi"));
        assert!(shown.contains("Bearer fp:") && shown.contains("application/json"));

        let body = br#"{"APIApplicationId":"app-1","Secret":"s3cr3t-value"}"#;
        let fields = loggable_body(body).unwrap();
        assert_eq!(fields["APIApplicationId"], "app-1");
        assert_eq!(fields["Secret"], Value::String(fingerprint("s3cr3t-value")));
        assert!(loggable_body(b"not json").is_none());
    }

    #[test]
    fn the_log_is_bounded() {
        let mut log = RequestLog::default();
        for _ in 0..LOG_CAPACITY + 5 {
            log.push(LoggedRequest {
                seq: 0,
                time: String::new(),
                method: "GET".into(),
                path: "/".into(),
                query: None,
                route: "unknown",
                headers: Map::new(),
                body_fields: None,
                status: 404,
                fault: None,
            });
        }
        let entries = log.entries();
        assert_eq!(entries.len(), LOG_CAPACITY);
        assert_eq!(entries[0].seq, 6);
    }
}
