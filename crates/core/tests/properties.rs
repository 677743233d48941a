//! Properties over inputs nobody would think to write down (proptest, a fixed number of
//! cases per run so CI stays fast): the validators, the display cleaning, the quoting for
//! each shell, token and JWT parsing, and the settings loader never panic and always hold
//! their promise, whatever a paste, a service or a hand edit sends.

use cloudneeti_core::client::Redactor;
use cloudneeti_core::report::{Cell, Encoding, ReportKind, ReportOutput, AUDIT_COLUMNS};
use cloudneeti_core::token_policy::{is_well_formed, jwt_expiry};
use cloudneeti_core::{shell, text, validate, ConfigStore, Secret};
use proptest::prelude::*;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A writer whose bytes the test reads back after the report is finished.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `rows` written as a report in `encoding`, the bytes read back.
fn encoded(rows: &[Vec<String>], encoding: Encoding) -> String {
    let out = Shared::default();
    let mut report =
        ReportOutput::stream(Box::new(out.clone()), "test", encoding, ReportKind::Audit).unwrap();
    let cells = rows.iter().map(|r| r.iter().map(|s| Cell::Text(s.clone())).collect());
    report.rows(cells).unwrap();
    report.finish().unwrap();
    let bytes = out.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

/// RFC 4180, strictly: every field quoted, `""` for a quote, CRLF after each record.
fn parse_csv(text: &str) -> Option<Vec<Vec<String>>> {
    let mut records = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut record = Vec::new();
        loop {
            rest = rest.strip_prefix('"')?;
            let mut field = String::new();
            loop {
                let at = rest.find('"')?;
                field.push_str(&rest[..at]);
                rest = &rest[at + 1..];
                match rest.strip_prefix('"') {
                    Some(after) => {
                        field.push('"');
                        rest = after;
                    }
                    None => break,
                }
            }
            record.push(field);
            if let Some(after) = rest.strip_prefix(',') {
                rest = after;
                continue;
            }
            rest = rest.strip_prefix("\r\n")?;
            break;
        }
        records.push(record);
    }
    Some(records)
}

/// What a cell becomes: a text a spreadsheet would run gets a leading `'`.
fn as_written(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

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

    /// Whatever the service's text, a CSV report reads back as exactly its records: the
    /// header, then each row as written (formulas made text), no record forged by a newline
    /// or a quote.
    #[test]
    fn csv_reports_read_back_as_their_rows(rows in prop::collection::vec(
        prop::collection::vec(hostile_text(), AUDIT_COLUMNS.len()), 0..4)
    ) {
        let text = encoded(&rows, Encoding::Csv);
        let records = parse_csv(&text).expect("strict RFC 4180");
        prop_assert_eq!(records.len(), rows.len() + 1);
        prop_assert_eq!(&records[0], &AUDIT_COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        for (record, row) in records[1..].iter().zip(&rows) {
            prop_assert_eq!(record, &row.iter().map(|c| as_written(c)).collect::<Vec<_>>());
        }
    }

    /// A JSON report is one array whose objects hold each row's text unchanged, keyed by the
    /// headers.
    #[test]
    fn json_reports_read_back_as_their_rows(rows in prop::collection::vec(
        prop::collection::vec(hostile_text(), AUDIT_COLUMNS.len()), 0..4)
    ) {
        let parsed: serde_json::Value = serde_json::from_str(&encoded(&rows, Encoding::Json)).unwrap();
        let objects = parsed.as_array().unwrap();
        prop_assert_eq!(objects.len(), rows.len());
        for (object, row) in objects.iter().zip(&rows) {
            for (column, cell) in AUDIT_COLUMNS.iter().zip(row) {
                prop_assert_eq!(object[*column].as_str().unwrap(), cell.as_str());
            }
        }
    }

    /// A secret echoed by a service in any of the forms it may use (as it is, URL-, path- or
    /// JSON-encoded, percent-encoded in any case) does not survive the redactor, whatever is
    /// around it; a text that holds no secret and no `%` comes back unchanged.
    #[test]
    fn no_echoed_secret_survives_the_redactor(
        secret in "[!-~]{8,40}",
        before in hostile_text(),
        after in hostile_text(),
        form in 0..5usize,
        beside_a_plain_copy in any::<bool>(),
    ) {
        let encoded: String = match form {
            0 => secret.clone(),
            1 => url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
            2 => secret.bytes().map(|b| format!("%{b:02x}")).collect(),
            3 => secret.bytes().map(|b| format!("%{b:02X}")).collect(),
            _ => { let j = serde_json::to_string(&secret).unwrap(); j[1..j.len() - 1].to_string() }
        };
        let held = Secret::new(secret.clone());
        let redactor = Redactor::new(&[&held]);
        // A plain copy beside an encoded one must not shield the encoded one.
        let plain = if beside_a_plain_copy { secret.as_str() } else { "" };
        let out = redactor.apply(&format!("{plain}{before}{encoded}{after}"));
        prop_assert!(!out.contains(&secret), "{out:?}");
        prop_assert!(out.contains("<redacted>"), "{out:?}");
        if !before.contains(&secret) && !before.contains('%') {
            prop_assert_eq!(redactor.apply(&before), before.clone());
        }
    }

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

/// The review's case, kept: a plain copy of the secret beside a percent-encoded one.
#[test]
fn a_plain_copy_does_not_shield_an_encoded_one() {
    let secret = Secret::new("Sup3r-Secret-Value_AppSecret1".into());
    let out = Redactor::new(&[&secret])
        .apply("Sup3r-Secret-Value_AppSecret1 then Sup3r%2dSecret%2dValue_AppSecret1");
    assert!(!out.contains("Sup3r"), "{out}");
}
