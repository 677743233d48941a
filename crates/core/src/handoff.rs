//! A profile handed from a License Admin to an analyst without a secret: where the license is
//! (environment, license id), through which API application (its id, token expiry, secret
//! expiry), and the name the API key goes by. The analyst then stores the key and secret they
//! were given separately, in their own keychain.
//!
//! The format is a small JSON object, a file or a text block pasted into a chat, so it must
//! stand on its own: a marker field with its version, the profile's settings, and nothing
//! else. What is read is checked like typed input (it becomes a `ProfileForm`), and a field
//! that is not a setting is refused, naming the field, never its value: a hand-off that tries
//! to carry a secret (`secret`, `apiKeyValue`, a pasted token) is refused outright rather
//! than carried along unread.

use serde::{Deserialize, Serialize};

use crate::model::{Profile, ProfileForm};
use crate::{Error, Result};

/// The marker and version a hand-off starts with.
pub const HANDOFF_VERSION: u32 = 1;

/// The largest hand-off read: a profile's settings are a few hundred bytes.
pub const MAX_HANDOFF_BYTES: usize = 16 * 1024;

/// Field names that say a secret was put in (any case, `-` and `_` ignored), so the refusal
/// can say so in those words.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "token",
    "subscriptionkey",
    "keyvalue",
    "apikeyvalue",
    "primarykey",
    "ocpapim",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Handoff {
    cloudneeti_access_profile: u32,
    name: String,
    /// prod, prod1, trial, sandbox, or the API's https address.
    environment: String,
    license_id: String,
    #[serde(default)]
    app_id: String,
    /// The name of the API key, never its value.
    api_key_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_expiry_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_expires_on: Option<String>,
}

/// `profile` as a hand-off: pretty JSON, one field a line, no secret in it by construction
/// (a `Profile` holds none).
pub fn export(profile: &Profile) -> String {
    let handoff = Handoff {
        cloudneeti_access_profile: HANDOFF_VERSION,
        name: profile.name.to_string(),
        environment: profile.environment.to_string(),
        license_id: profile.license_id.to_string(),
        app_id: profile.app_id.map(|id| id.to_string()).unwrap_or_default(),
        api_key_name: profile.api_key.to_string(),
        token_expiry_minutes: profile.token_expiry_minutes.map(|t| t.minutes()),
        secret_expires_on: profile.secret_expires_on.map(|d| d.to_string()),
    };
    serde_json::to_string_pretty(&handoff).expect("a hand-off serialises")
}

/// A hand-off read back as the form it fills in (checked by `ProfileForm::validate` next,
/// like typed input). `rename` gives the profile another name (one that is taken already).
pub fn import(text: &str, rename: Option<&str>) -> Result<ProfileForm> {
    let refused = |reason: String| {
        Error::invalid(
            "profile hand-off",
            reason,
            "Ask the License Admin to export the profile again and send it as it is; the API key and the application secret are handed over separately.",
        )
    };
    if text.len() > MAX_HANDOFF_BYTES {
        return Err(refused(format!(
            "it is larger than {} KiB, far more than a profile",
            MAX_HANDOFF_BYTES / 1024
        )));
    }
    let value: serde_json::Value = serde_json::from_str(text.trim()).map_err(|e| {
        refused(format!(
            "it is not the JSON of a profile (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = value.as_object() else {
        return Err(refused("it is not a JSON object".into()));
    };
    if !object.contains_key("cloudneetiAccessProfile") {
        return Err(refused(
            "it has no cloudneetiAccessProfile field, so it is not a profile hand-off".into(),
        ));
    }
    let known = [
        "cloudneetiAccessProfile",
        "name",
        "environment",
        "licenseId",
        "appId",
        "apiKeyName",
        "tokenExpiryMinutes",
        "secretExpiresOn",
    ];
    if let Some(field) = object.keys().find(|k| !known.contains(&k.as_str())) {
        let plain: String = field
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let shown = crate::text::printable(&field.chars().take(40).collect::<String>());
        return Err(refused(if SECRET_WORDS.iter().any(|w| plain.contains(w)) {
            format!("it has a field \"{shown}\": a hand-off never carries a secret, and this one was not read")
        } else {
            format!("it has a field \"{shown}\" that a profile does not have")
        }));
    }
    let handoff: Handoff = serde_json::from_value(value).map_err(|e| {
        refused(format!(
            "a field has the wrong type ({})",
            crate::text::without_values(&e.to_string())
        ))
    })?;
    if handoff.cloudneeti_access_profile > HANDOFF_VERSION {
        return Err(refused(format!(
            "it was written by a newer version (hand-off version {}, this one reads {HANDOFF_VERSION})",
            handoff.cloudneeti_access_profile
        )));
    }
    Ok(ProfileForm {
        name: rename.map(str::to_string).unwrap_or(handoff.name),
        environment: handoff.environment,
        license_id: handoff.license_id,
        app_id: handoff.app_id,
        api_key: handoff.api_key_name,
        token_expiry_minutes: handoff.token_expiry_minutes,
        secret_expires_on: handoff.secret_expires_on,
    })
}

/// The hand-off in the file at `path` (see [`read`]), for a front end that lets the user
/// choose a file.
pub fn read_file(path: &std::path::Path) -> Result<String> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| unreadable(&shown, &e))?;
    read(file, &shown)
}

/// A hand-off from `source` (a file, or the CLI's standard input), read up to one byte past
/// [`MAX_HANDOFF_BYTES`] so that [`import`] refuses a larger one by its size, never more.
/// `shown` names the source in an error.
pub fn read(source: impl std::io::Read, shown: &str) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    source
        .take(MAX_HANDOFF_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(shown, &e))?;
    String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            "profile hand-off",
            format!("{shown} is not text"),
            "Choose the hand-off file the License Admin sent (a small JSON file), or paste its text.",
        )
    })
}

fn unreadable(shown: &str, e: &std::io::Error) -> Error {
    Error::invalid(
        "profile hand-off",
        format!("{shown} could not be read ({e})"),
        "Choose the hand-off file the License Admin sent, or paste its text.",
    )
}

/// Writes a hand-off (from [`export`]) to `path`, with a final newline.
pub fn write_file(path: &std::path::Path, text: &str) -> Result<()> {
    std::fs::write(path, format!("{text}\n")).map_err(|e| {
        Error::invalid(
            "profile hand-off",
            format!("{} could not be written ({e})", path.display()),
            "Choose a folder you can write to.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "cloudneetiAccessProfile": 1,
      "name": "contoso",
      "environment": "prod",
      "licenseId": "6f1d3c2a-9b4e-4c1a-8f2d-1a2b3c4d5e01",
      "appId": "0b7e5f3a-2c1d-4e8f-9a6b-7c8d9e0f1a02",
      "apiKeyName": "default",
      "tokenExpiryMinutes": 60,
      "secretExpiresOn": "2027-03-31"
    }"#;

    #[test]
    fn a_hand_off_round_trips_through_export_and_import() {
        let profile = import(SAMPLE, None).unwrap().validate().unwrap();
        let again = import(&export(&profile), None).unwrap().validate().unwrap();
        assert_eq!(again.name, profile.name);
        assert_eq!(again.environment, profile.environment);
        assert_eq!(again.license_id, profile.license_id);
        assert_eq!(again.app_id, profile.app_id);
        assert_eq!(again.api_key, profile.api_key);
        assert_eq!(again.token_expiry_minutes, profile.token_expiry_minutes);
        assert_eq!(again.secret_expires_on, profile.secret_expires_on);
        assert_eq!(import(SAMPLE, Some("other")).unwrap().name, "other");
    }

    #[test]
    fn a_hand_off_that_carries_a_secret_is_refused_without_repeating_it() {
        let secret = "Sup3r-secret-value-0b7e5f3a";
        for field in ["secret", "appSecret", "API_KEY_VALUE", "token", "Ocp-Apim-Subscription-Key"]
        {
            let text =
                SAMPLE.replacen("\"name\"", &format!("\"{field}\": \"{secret}\", \"name\""), 1);
            let e = import(&text, None).unwrap_err();
            assert!(e.to_string().contains("never carries a secret"), "{field}: {e}");
            assert!(!e.to_string().contains(secret) && !e.hint(|_| "").contains(secret));
        }
        let e =
            import(&SAMPLE.replacen("\"name\"", "\"colour\": 1, \"name\"", 1), None).unwrap_err();
        assert!(e.to_string().contains("\"colour\" that a profile does not have"), "{e}");
        // The key's name field given a key's value is refused by the name rule, unquoted.
        let key = "0123456789abcdef0123456789abcdef";
        let form = import(&SAMPLE.replace("\"default\"", &format!("\"{key}\"")), None).unwrap();
        let e = form.validate().unwrap_err();
        assert!(
            e.to_string().contains("looks like an API key") && !e.to_string().contains(key),
            "{e}"
        );
    }

    #[test]
    fn a_hand_off_file_is_written_and_read_back_and_a_large_or_binary_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contoso.json");
        write_file(&path, SAMPLE).unwrap();
        assert_eq!(import(&read_file(&path).unwrap(), None).unwrap().name, "contoso");
        std::fs::write(&path, " ".repeat(MAX_HANDOFF_BYTES * 4)).unwrap();
        let e = import(&read_file(&path).unwrap(), None).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert!(read_file(&path).unwrap_err().to_string().contains("is not text"));
        let missing = read_file(&dir.path().join("none.json")).unwrap_err();
        assert!(missing.to_string().contains("could not be read"), "{missing}");
    }

    #[test]
    fn what_is_not_a_hand_off_is_said_plainly() {
        for (text, says) in [
            ("not json", "not the JSON of a profile"),
            ("[1]", "not a JSON object"),
            ("{\"name\": \"x\"}", "no cloudneetiAccessProfile field"),
            (
                &SAMPLE.replace("\"cloudneetiAccessProfile\": 1", "\"cloudneetiAccessProfile\": 9")
                    as &str,
                "newer version",
            ),
            (&SAMPLE.replace("60", "\"sixty\"") as &str, "wrong type"),
        ] {
            let e = import(text, None).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        let e = import(&" ".repeat(MAX_HANDOFF_BYTES + 1), None).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
    }
}
