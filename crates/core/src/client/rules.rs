//! How the client reads a refusal: HTTP status and the service's message -> one `Error`.
//!
//! The documentation gives APIM's answers but not the application's error bodies, so the
//! application rules below are assumptions, matched on phrases of the message and backed by
//! the status alone when the words differ. They mirror docs/emulator.md's refusal table; keep
//! the two together when either changes.

use crate::error::Said;
use crate::text::printable;
use crate::{Error, Secret};

/// What the client was doing, because the same status means different things per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call<'a> {
    Token { license_id: &'a str, account_id: Option<&'a str> },
    Data { license_id: &'a str, account_id: Option<&'a str> },
}

/// The longest piece of the service's own words an error repeats.
const MAX_DETAIL: usize = 200;

/// The service's message, made safe to show (`text::printable`), bounded in length.
pub fn detail(message: &str) -> String {
    let clean: String = printable(message.trim()).chars().take(MAX_DETAIL).collect();
    if clean.is_empty() {
        "no explanation given".into()
    } else {
        clean
    }
}

/// `text` with every occurrence of the given secrets replaced by `<redacted>`: as they are,
/// and in the forms a service may echo them in, percent-encoded (from a URL or form) and
/// JSON-escaped (from a body it quotes). Percent-encoding can spell a secret in many ways
/// (`-` as `%2D`, hex in either case), so when the decoded text holds a secret the raw text
/// hides, the decoded text is what is shown, redacted.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    Redactor::new(secrets).apply(text)
}

/// [`redact`] for many texts with the same secrets: the forms of each secret are spelled
/// once, and a text that holds none of them (nor a `%`) is returned as it is without a
/// replacement pass, so cleaning a report of thousands of service strings costs little.
pub struct Redactor {
    /// The secrets as they are.
    raw: Vec<Secret>,
    /// Each secret's forms, longest first so a form inside another is not replaced first.
    forms: Vec<Secret>,
}

impl Redactor {
    pub fn new(secrets: &[&Secret]) -> Redactor {
        let mut forms: Vec<Secret> = Vec::new();
        let mut raw: Vec<Secret> = Vec::new();
        for secret in secrets.iter().map(|s| s.expose()).filter(|s| !s.is_empty()) {
            raw.push(Secret::new(secret.to_string()));
            let json = serde_json::to_string(secret).expect("strings serialise");
            let spelled = [
                secret.to_string(),
                url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
                super::segment(secret),
                json[1..json.len() - 1].to_string(),
            ];
            for form in spelled {
                if !forms.iter().any(|f| f.expose() == form) {
                    forms.push(Secret::new(form));
                }
            }
        }
        forms.sort_by_key(|f| std::cmp::Reverse(f.expose().len()));
        Redactor { raw, forms }
    }

    pub fn apply(&self, text: &str) -> String {
        if self.holds_none(text) {
            return text.to_string();
        }
        let replaced = self.replace_forms(text);
        // Percent-encoding can spell a secret in many ways (`-` as `%2D`, hex in either
        // case): when the decoded text still holds a secret, the decoded text is what is
        // shown, redacted (a plain copy beside an encoded one included).
        if replaced.contains('%') {
            let decoded = percent_decoded(&replaced);
            if self.raw.iter().any(|s| decoded.contains(s.expose())) {
                return self.replace_forms(&decoded);
            }
        }
        replaced
    }

    /// Whether `text` is sure to hold no secret in any form: none is spelled in it, and it
    /// has no `%` that could spell one in a way the forms do not list.
    pub fn holds_none(&self, text: &str) -> bool {
        !text.contains('%') && !self.forms.iter().any(|f| text.contains(f.expose()))
    }

    fn replace_forms(&self, text: &str) -> String {
        let mut text = text.to_string();
        for form in &self.forms {
            if text.contains(form.expose()) {
                text = text.replace(form.expose(), "<redacted>");
            }
        }
        text
    }
}

/// The error a refusal names. `message` must already be free of secrets (`redact`); the
/// service's words are kept beside our explanation (`Said`) or, where the error has no words
/// of its own, as its detail.
/// `%XX` sequences (either case) decoded; anything else, and bytes that do not make UTF-8,
/// kept as they are.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

pub fn refusal(status: u16, message: &str, call: Call<'_>) -> Error {
    let said =
        || if message.trim().is_empty() { Said::nothing() } else { Said::cleaned(detail(message)) };
    let lower = message.to_ascii_lowercase();
    let has = |phrase: &str| lower.contains(phrase);
    let (license_id, account_id) = match call {
        Call::Token { license_id, account_id } | Call::Data { license_id, account_id } => {
            (license_id, account_id)
        }
    };
    let account = || account_id.unwrap_or("(none)").to_string();
    match status {
        401 if has("missing subscription key") => Error::ApiKeyMissingInRequest { said: said() },
        401 if has("subscription key") => Error::ApiKeyRejected { said: said() },
        401 if has("regenerated") => Error::SecretRegenerated { said: said() },
        401 if has("secret") && has("expired") => Error::SecretExpired { said: said() },
        401 if matches!(call, Call::Token { .. }) => Error::AppCredentialsRejected { said: said() },
        401 => Error::TokenRejected { detail: detail(message) },
        403 if has("scope") => Error::AccountOutOfScope { account_id: account(), said: said() },
        403 if has("requires an account token") => {
            Error::WrongTokenKind { needed: "an account", given: "a license", said: said() }
        }
        403 if has("requires a license token") => {
            Error::WrongTokenKind { needed: "a license", given: "an account", said: said() }
        }
        403 if has("does not have access") || has("not granted") => {
            Error::ApiNotGranted { detail: detail(message) }
        }
        403 if has("token") => Error::TokenRejected { detail: detail(message) },
        // "Account … not found in this license." names the license too, and "Benchmark … not
        // found for this account." names an account: the most specific subject goes first.
        404 if has("benchmark") || has("job") => {
            Error::Rejected { status, detail: detail(message) }
        }
        404 if has("account") => Error::AccountNotFound { account_id: account(), said: said() },
        404 if has("license") => {
            Error::LicenseNotFound { license_id: license_id.into(), said: said() }
        }
        429 => Error::RateLimited { retry_after_secs: 0, said: said() },
        500..=599 => Error::ServerError { status, said: said() },
        _ => Error::Rejected { status, detail: detail(message) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: Call<'static> = Call::Token { license_id: "L", account_id: Some("A") };
    const DATA: Call<'static> = Call::Data { license_id: "L", account_id: None };

    #[test]
    fn apim_and_application_messages_map_to_their_own_errors() {
        let missing = "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.";
        assert_eq!(refusal(401, missing, TOKEN).code(), "api_key_missing");
        let invalid = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
        assert_eq!(refusal(401, invalid, TOKEN).code(), "api_key_rejected");
        assert_eq!(
            refusal(401, "Invalid API application id or secret.", TOKEN).code(),
            "app_credentials_rejected"
        );
        assert_eq!(
            refusal(401, "The API application secret has expired.", TOKEN).code(),
            "secret_expired"
        );
        assert_eq!(refusal(401, "Authorization token has expired.", DATA).code(), "token_rejected");
        assert_eq!(
            refusal(403, "Account A is not in the API application scope.", TOKEN).code(),
            "account_out_of_scope"
        );
        assert_eq!(refusal(404, "License L not found.", TOKEN).code(), "license_not_found");
        assert_eq!(
            refusal(404, "Account A not found in this license.", TOKEN).code(),
            "account_not_found"
        );
        assert_eq!(
            refusal(404, "Benchmark B not found for this account.", DATA).code(),
            "rejected"
        );
        assert_eq!(refusal(502, "", DATA).code(), "server_error");
    }

    #[test]
    fn unknown_words_fall_back_on_the_status() {
        assert_eq!(refusal(401, "Unauthorized", TOKEN).code(), "app_credentials_rejected");
        assert_eq!(refusal(401, "Unauthorized", DATA).code(), "token_rejected");
        assert_eq!(refusal(418, "teapot", DATA).code(), "rejected");
    }

    #[test]
    fn details_are_bounded_and_printable() {
        let long = format!("bad\u{7}\n\u{202e}{}", "x".repeat(500));
        let shown = detail(&long);
        assert!(shown.chars().count() <= MAX_DETAIL);
        assert!(!shown.contains('\n') && !shown.contains('\u{7}') && !shown.contains('\u{202e}'));
    }

    #[test]
    fn secrets_are_redacted_as_they_are_and_as_a_service_would_escape_them() {
        let secret = Secret::new("s3cr/t+\"x y&".into());
        let echoed = [
            "got s3cr/t+\"x y&",
            "got s3cr%2Ft%2B%22x+y%26",
            "got s3cr%2Ft%2B%22x%20y%26",
            "got s3cr/t+\\\"x y&",
            "got %73%33cr%2ft%2B%22x%20y%26",
        ];
        for text in echoed {
            assert_eq!(redact(text, &[&secret]), "got <redacted>", "{text}");
        }
    }
}
