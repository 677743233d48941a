//! Properties over inputs nobody would think to write down (proptest, a fixed number of
//! cases per run so CI stays fast): the validators, the display cleaning, the quoting for
//! each shell, token and JWT parsing, and the settings loader never panic and always hold
//! their promise, whatever a paste, a service or a hand edit sends.

use cloudneeti_core::token_policy::{is_well_formed, jwt_expiry};
use cloudneeti_core::{shell, text, validate, ConfigStore};
use proptest::prelude::*;

/// Any text, weighted towards what hurts: quotes of every kind, controls, bidi, wide chars.
fn hostile_text() -> impl Strategy<Value = String> {
    let nasty = prop::sample::select(vec![
        '\'', '"', '`', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{201C}', '$', '(', ')',
        ';', '\\', '\n', '\r', '\t', '\u{1b}', '\u{7f}', '\u{9b}', '\u{202E}', '\u{2066}',
        '\u{200B}', '\u{FEFF}', ' ', '\u{a0}', '-', '.', '_', 'a', 'Z', '0', 'é', '東', '🔑',
    ]);
    prop::collection::vec(prop_oneof![3 => nasty, 1 => any::<char>()], 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    /// A name that passes is plain ASCII of the documented shape, and passes again unchanged.
    #[test]
    fn names_that_pass_are_plain_and_stable(input in hostile_text()) {
        if let Ok(name) = validate::profile_name(&input) {
            prop_assert!(!name.is_empty() && name.len() <= 64);
            prop_assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
            prop_assert!(name.starts_with(|c: char| c.is_ascii_alphanumeric()));
            prop_assert_eq!(validate::profile_name(&name).unwrap(), name.clone());
        }
    }

    /// A refused secret is never quoted back, not even in part.
    #[test]
    fn refusals_never_repeat_a_secret(input in "[ -~]{8,60}") {
        for error in [validate::app_secret(&input).err(), validate::api_key(&input, false).err()]
            .into_iter()
            .flatten()
        {
            let said = format!("{error} {}", error.hint(|_| ""));
            cloudneeti_testkit::leak::assert_none(&said, &[&input], 8);
        }
    }

    /// After cleaning, nothing acts on a display, and cleaning again changes nothing.
    #[test]
    fn printable_text_acts_on_nothing(input in hostile_text()) {
        let shown = text::printable(&input);
        let acts = |c: char| {
            c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
        };
        prop_assert!(!shown.chars().any(acts), "{:?}", shown);
        prop_assert_eq!(text::printable(&shown), shown.clone());
        prop_assert_eq!(shown.chars().count(), input.chars().count(), "one for one, nothing hidden");
    }

    /// PowerShell's single-quoted string, read as its tokenizer reads it (any of its five
    /// quote characters ends the string unless doubled), gives back exactly the value, and
    /// ends at the last character: nothing after it runs.
    #[test]
    fn powershell_quoting_holds_every_value(value in hostile_text()) {
        let quoted = shell::powershell_quote(&value);
        let is_quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
        let mut chars = quoted.chars().peekable();
        prop_assert!(chars.next().is_some_and(is_quote));
        let mut read = String::new();
        let mut ended_at_end = false;
        while let Some(c) = chars.next() {
            if is_quote(c) {
                if chars.peek().copied().is_some_and(is_quote) {
                    read.push(c);
                    chars.next();
                } else {
                    ended_at_end = chars.next().is_none();
                    break;
                }
            } else {
                read.push(c);
            }
        }
        prop_assert!(ended_at_end, "the string ends only at its last character: {quoted:?}");
        prop_assert_eq!(read, value);
    }

    /// Tokens and JWT claims from a service: never a panic, and a well-formed token holds
    /// only token characters.
    #[test]
    fn token_parsing_never_panics(value in hostile_text(), payload in prop::collection::vec(any::<u8>(), 0..64)) {
        if is_well_formed(&value) {
            prop_assert!(value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~+/=".contains(&b)));
        }
        use base64::Engine;
        let jwt = format!("e30.{}.sig", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&payload));
        let _ = jwt_expiry(&jwt);
        let _ = jwt_expiry(&value);
    }

    /// Whatever a settings file holds, loading it answers (a config or a named error), never
    /// panics, and a second load after a refusal answers too.
    #[test]
    fn the_settings_loader_answers_anything(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        hostile_text().prop_map(|t| format!(
            r#"{{"schemaVersion":1,"apiKeys":[{{"name":"main"}}],"profiles":[{{"name":{},"environment":"trial","licenseId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","apiKey":"main","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}}]}}"#,
            serde_json::json!(t)
        ).into_bytes()),
        hostile_text().prop_map(|t| format!(r#"{{"schemaVersion":1,"apiKeys":[{{"name":{}}}],"profiles":[]}}"#, serde_json::json!(t)).into_bytes()),
    ]) {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigStore::open(dir.path());
        std::fs::write(store.path(), &bytes).unwrap();
        match store.load() {
            Ok(_) => {}
            Err(e) => prop_assert!(
                ["config_corrupt", "config_too_new", "config_entry_invalid"].contains(&e.code()),
                "{}: {e}", e.code()
            ),
        }
        let _ = store.load();
    }
}

/// sh, for real: each quoted value, given to `sh -c 'printf %s …'`, comes back unchanged.
#[test]
fn sh_quoting_holds_every_value_in_a_real_shell() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    // No NUL: no argument of any program can hold one.
    let values = hostile_text().prop_filter("no NUL", |v| !v.contains('\0'));
    runner
        .run(&values, |value| {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", shell::sh_quote(&value)))
                .output()
                .unwrap();
            prop_assert!(out.status.success());
            prop_assert_eq!(String::from_utf8_lossy(&out.stdout), value.as_str());
            Ok(())
        })
        .unwrap();
}
