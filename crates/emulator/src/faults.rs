//! Misbehaviour on purpose: faults a test or the Sandbox aims at a route.
//!
//! Latency adds up and composes with everything else; of the other kinds, the oldest armed
//! fault that matches wins. A fault with `times` disarms itself after that many requests.

use serde::{Deserialize, Serialize};

use crate::route::Route;

// No `deny_unknown_fields` here: serde cannot combine it with the flattened kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FaultSpec {
    /// A route name from [`Route::NAMES`], or `*` for every API route.
    pub route: String,
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many matching requests it affects; `null` or absent, all of them.
    #[serde(default)]
    pub times: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FaultKind {
    /// Wait before answering normally.
    Latency { ms: u64 },
    /// APIM's rate limit answer: 429 with `Retry-After`.
    RateLimit { retry_after_seconds: u64 },
    /// A gateway fault: 500, 502, 503 or 504 with an HTML body, not the JSON wrapper.
    GatewayError {
        status: u16,
        #[serde(default)]
        retry_after_seconds: Option<u64>,
    },
    /// 200 with a body that is not JSON.
    MalformedJson,
    /// A `Content-Length` promising more than is sent before the connection closes.
    TruncatedBody,
    /// The normal answer, sent a few bytes at a time.
    SlowBody { bytes_per_chunk: usize, chunk_delay_ms: u64 },
    /// The connection is closed without any answer.
    DropConnection,
    /// 307 to another place, to prove a client never follows it with the key.
    Redirect { location: String },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmedFault {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub remaining: Option<u32>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FaultError {
    #[error("unknown route \"{0}\"; use one of {names} or *", names = Route::NAMES.join(", "))]
    UnknownRoute(String),
    #[error("gatewayError status must be 500, 502, 503 or 504, not {0}")]
    BadStatus(u16),
    #[error("slowBody needs bytesPerChunk of at least 1")]
    EmptyChunk,
    #[error("times must be at least 1 (leave it out for every request)")]
    ZeroTimes,
}

impl FaultSpec {
    pub fn validate(&self) -> Result<(), FaultError> {
        if self.route != "*" && !Route::NAMES.contains(&self.route.as_str()) {
            return Err(FaultError::UnknownRoute(self.route.clone()));
        }
        if self.times == Some(0) {
            return Err(FaultError::ZeroTimes);
        }
        match self.kind {
            FaultKind::GatewayError { status, .. } if ![500, 502, 503, 504].contains(&status) => {
                Err(FaultError::BadStatus(status))
            }
            FaultKind::SlowBody { bytes_per_chunk: 0, .. } => Err(FaultError::EmptyChunk),
            _ => Ok(()),
        }
    }
}

/// What the server does to one request, decided once when it arrives.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Plan {
    pub latency_ms: u64,
    pub action: Option<FaultKind>,
}

#[derive(Debug, Default)]
pub struct Faults {
    next_id: u64,
    armed: Vec<ArmedFault>,
}

impl Faults {
    pub fn arm(&mut self, spec: FaultSpec) -> Result<u64, FaultError> {
        spec.validate()?;
        self.next_id += 1;
        let remaining = spec.times;
        self.armed.push(ArmedFault { id: self.next_id, spec, remaining });
        Ok(self.next_id)
    }

    pub fn clear(&mut self) {
        self.armed.clear();
    }

    pub fn list(&self) -> Vec<ArmedFault> {
        self.armed.clone()
    }

    /// Consumes one use of each fault that applies to this request.
    pub fn plan(&mut self, route: &str) -> Plan {
        let mut plan = Plan::default();
        for fault in &mut self.armed {
            if fault.spec.route != "*" && fault.spec.route != route {
                continue;
            }
            let applies = match &fault.spec.kind {
                FaultKind::Latency { ms } => {
                    plan.latency_ms += ms;
                    true
                }
                other if plan.action.is_none() => {
                    plan.action = Some(other.clone());
                    true
                }
                _ => false,
            };
            if applies {
                if let Some(n) = fault.remaining.as_mut() {
                    *n -= 1;
                }
            }
        }
        self.armed.retain(|f| f.remaining != Some(0));
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(route: &str, kind: FaultKind, times: Option<u32>) -> FaultSpec {
        FaultSpec { route: route.into(), kind, times }
    }

    #[test]
    fn faults_match_their_route_and_disarm_after_their_count() {
        let mut faults = Faults::default();
        faults
            .arm(spec("token", FaultKind::RateLimit { retry_after_seconds: 1 }, Some(1)))
            .unwrap();
        faults.arm(spec("*", FaultKind::Latency { ms: 20 }, None)).unwrap();
        assert_eq!(faults.plan("licenseAccounts"), Plan { latency_ms: 20, action: None });
        let first = faults.plan("token");
        assert_eq!(first.action, Some(FaultKind::RateLimit { retry_after_seconds: 1 }));
        assert_eq!(faults.plan("token"), Plan { latency_ms: 20, action: None });
    }

    #[test]
    fn specs_are_checked_and_read_from_plain_json() {
        let parsed: FaultSpec =
            serde_json::from_str(r#"{"route":"token","kind":"gatewayError","status":502}"#)
                .unwrap();
        assert_eq!(parsed.kind, FaultKind::GatewayError { status: 502, retry_after_seconds: None });
        let bad = spec("tokens", FaultKind::MalformedJson, None);
        assert_eq!(bad.validate(), Err(FaultError::UnknownRoute("tokens".into())));
        let bad_status =
            spec("token", FaultKind::GatewayError { status: 404, retry_after_seconds: None }, None);
        assert_eq!(bad_status.validate(), Err(FaultError::BadStatus(404)));
    }
}
