//! Input validation as a person meets it: pasted values with the debris a paste adds are
//! accepted and normalised; values with characters nobody can see or explain are refused
//! with a message that says what and where, and never repeats a secret.

use cloudneeti_core::model::{cloudneeti_pages, ProfileForm, PROD, PROD1, TRIAL};
use cloudneeti_core::{validate, Environment, Error};

const GUID: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
const KEY: &str = "0123456789abcdef0123456789abcdef";
const SECRET: &str = "Zx9+Q7/kP2mW4vN8==";

fn message(e: &Error) -> String {
    assert_eq!(e.code(), "invalid_input", "{e}");
    e.to_string()
}

/// Neither the message nor the hint may contain the secret, or a recognisable piece of it.
#[track_caller]
fn assert_no_leak(e: &Error, secret: &str) {
    cloudneeti_testkit::leak::assert_none(&format!("{e} {}", e.hint(|_| "")), &[secret], 6);
}

#[test]
fn guids_accept_paste_debris_and_normalise_to_lowercase() {
    let upper = GUID.to_uppercase();
    for pasted in [
        GUID.to_string(),
        format!("  {upper}\r\n"),
        format!("\t\"{GUID}\" "),
        format!("'{GUID}'"),
        format!("{{{upper}}}"),
        format!("\"{{{GUID}}}\"\n"),
        format!("“{GUID}”"),
        format!("\u{00A0}{GUID}\u{00A0}"),
    ] {
        assert_eq!(validate::license_id(&pasted).unwrap().to_string(), GUID, "{pasted:?}");
        assert_eq!(validate::account_id(&pasted).unwrap().to_string(), GUID, "{pasted:?}");
        assert_eq!(validate::app_id(&pasted).unwrap().to_string(), GUID, "{pasted:?}");
    }
}

#[test]
fn guids_refuse_what_a_paste_cannot_explain() {
    let zwsp = format!("{}\u{200B}{}", &GUID[..8], &GUID[8..]);
    let e = validate::license_id(&zwsp).unwrap_err();
    let m = message(&e);
    assert!(
        m.contains("license id") && m.contains("U+200B") && m.contains("zero-width space"),
        "{m}"
    );
    assert!(m.contains("character 9"), "{m}");
    assert!(
        e.hint(|_| "").contains("Invisible characters")
            && e.hint(|_| "").contains("Features and Quotas")
    );

    let broken = format!("{}\n{}", &GUID[..8], &GUID[8..]);
    assert!(message(&validate::license_id(&broken).unwrap_err()).contains("line break"));
    let bell = format!("{}\u{7}{}", &GUID[..8], &GUID[9..]);
    assert!(
        message(&validate::account_id(&bell).unwrap_err()).contains("control character (U+0007)")
    );
    let bidi = format!("\u{202E}{GUID}");
    assert!(message(&validate::app_id(&bidi).unwrap_err()).contains("text direction control"));
    let spaced = GUID.replace('-', " - ");
    assert!(message(&validate::app_id(&spaced).unwrap_err()).contains("space at character 9"));
}

#[test]
fn guid_messages_explain_the_shape_and_where_to_find_the_value() {
    let e = validate::license_id("1b4e28ba-2fa1-11d2-883f").unwrap_err();
    assert!(message(&e).contains("23 characters; a GUID has 36"));
    assert_eq!(
        e.hint(|_| ""),
        "A license id looks like 8-4-4-4-12 hex digits, e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427; copy it from the portal: Configurations > Features and Quotas."
    );
    let e = validate::account_id(&GUID.replace('a', "g")).unwrap_err();
    assert!(message(&e).contains("character 8 ('g') is not a hex digit"), "{e}");
    assert!(e.hint(|_| "").contains("Configurations > Cloud Accounts"));
    let e = validate::app_id(&GUID.replace('-', "x")).unwrap_err();
    assert!(message(&e).contains("character 9 should be a hyphen"), "{e}");
    assert!(e.hint(|_| "").contains("Configuration > Cloudneeti API Access"));
    // The API key pasted into the id field: the common slip, named as such.
    assert!(message(&validate::license_id(KEY).unwrap_err()).contains("API key"));
    assert!(message(&validate::license_id("  \n").unwrap_err()).contains("empty"));
}

#[test]
fn api_key_accepts_pasted_key_and_lowercases_it() {
    let upper = KEY.to_uppercase();
    for pasted in [format!("{upper}\n"), format!("  \"{KEY}\"  "), format!("\r\n{KEY}\t")] {
        assert_eq!(validate::api_key(&pasted, false).unwrap(), KEY);
    }
}

#[test]
fn api_key_refusals_name_the_override_and_never_echo_the_key() {
    let short = &KEY[..31];
    let e = validate::api_key(short, false).unwrap_err();
    assert!(message(&e).contains("31 characters"));
    assert_eq!(e.next_step(), Some(cloudneeti_core::error::NextStep::AllowAnyKeyFormat));
    assert_no_leak(&e, short);

    let not_hex = format!("{}zz", &KEY[..30]);
    let e = validate::api_key(&not_hex, false).unwrap_err();
    assert!(message(&e).contains("character 31 is not a hex digit"), "{e}");
    assert_no_leak(&e, &not_hex);

    for (bad, what) in [
        (format!("{}\u{200B}{}", &KEY[..16], &KEY[16..]), "U+200B"),
        (format!("{}\n{}", &KEY[..16], &KEY[16..]), "line break"),
        (format!("{}\u{1b}{}", &KEY[..16], &KEY[16..]), "U+001B"),
        (format!("{} {}", &KEY[..16], &KEY[16..]), "space at character 17"),
    ] {
        for allow_any in [false, true] {
            let e = validate::api_key(&bad, allow_any).unwrap_err();
            assert!(message(&e).contains(what), "{e}");
            assert_no_leak(&e, &bad);
        }
    }

    let e = validate::api_key(GUID, false).unwrap_err();
    assert!(message(&e).contains("license or application id"));
}

#[test]
fn api_key_override_accepts_other_formats_but_not_garbage() {
    assert_eq!(validate::api_key(" Other-Format_Key.42! ", true).unwrap(), "Other-Format_Key.42!");
    let e = validate::api_key("Short1!", true).unwrap_err();
    assert!(message(&e).contains("7 characters"));
    assert!(validate::api_key(&"k".repeat(257), true).is_err());
    let e = validate::api_key("clé-secrète-1234", true).unwrap_err();
    assert!(message(&e).contains("character 3 is not a printable ASCII character"), "{e}");
    assert_no_leak(&e, "clé-secrète-1234");
}

#[test]
fn app_secret_is_cleaned_without_copying_and_refusals_do_not_leak_it() {
    let pasted = format!("  \"{SECRET}\"\r\n");
    let cleaned = validate::app_secret(&pasted).unwrap();
    assert_eq!(cleaned, SECRET);
    assert!(std::ptr::eq(cleaned.as_ptr(), pasted[3..].as_ptr()), "a slice of the input");

    for (bad, what) in [
        (format!("{}\u{200B}{}", &SECRET[..5], &SECRET[5..]), "zero-width space"),
        (format!("{}\u{FEFF}{}", &SECRET[..5], &SECRET[5..]), "byte order mark"),
        (format!("{}\n{}", &SECRET[..5], &SECRET[5..]), "line break at character 6"),
        (format!("{}\u{0}{}", &SECRET[..5], &SECRET[5..]), "control character (U+0000)"),
        (format!("{} {}", &SECRET[..5], &SECRET[5..]), "space"),
        (format!("{}{}", SECRET, "x".repeat(1100)), "1118 bytes long; at most 1024"),
        // Counted in bytes, as keychains count (Windows holds 2,560 per credential): 600
        // characters of two bytes each are too many.
        ("é".repeat(600), "1200 bytes long; at most 1024"),
        ("\"\"".to_string(), "empty"),
    ] {
        let e = validate::app_secret(&bad).unwrap_err();
        assert!(message(&e).contains(what), "{what}: {e}");
        assert!(e.hint(|_| "").contains("Regenerate Secret Key"));
        assert_no_leak(&e, SECRET);
    }
}

#[test]
fn names_allow_a_small_safe_alphabet() {
    assert_eq!(validate::profile_name(" 'contoso-prod.eu_1' \n").unwrap(), "contoso-prod.eu_1");
    assert_eq!(validate::key_name("main").unwrap(), "main");
    assert_eq!(validate::key_name(&"k".repeat(64)).unwrap().len(), 64);
    for (bad, what) in [
        ("-prod", "start with a letter or digit"),
        ("my profile", "space at character 3"),
        ("prod/eu", "character 5 ('/')"),
        ("café", "character 4 ('é')"),
        ("pro\u{200D}d", "zero-width joiner"),
        ("", "empty"),
    ] {
        let m = message(&validate::profile_name(bad).unwrap_err());
        assert!(m.contains(what), "{bad:?}: {m}");
    }
    assert!(message(&validate::key_name(&"k".repeat(65)).unwrap_err()).contains("65 characters"));
    // A key pasted where its name belongs would be stored and logged in plain text.
    let e = validate::key_name(KEY).unwrap_err();
    assert!(message(&e).contains("looks like an API key"));
    assert_no_leak(&e, KEY);
}

#[test]
fn base_url_is_normalised() {
    for (input, want) in [
        ("https://API.Example.com/", "https://api.example.com"),
        (
            " \"https://gw.example.com:443/cloudneeti/api//\"\n",
            "https://gw.example.com/cloudneeti/api",
        ),
        ("https://gw.example.com:8443", "https://gw.example.com:8443"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://127.9.8.7:1", "http://127.9.8.7:1"),
        ("http://LOCALHOST:3000", "http://localhost:3000"),
        ("http://[::1]:9000/", "http://[::1]:9000"),
    ] {
        assert_eq!(validate::base_url(input).unwrap().as_str(), want, "{input:?}");
    }
}

#[test]
fn base_url_refuses_unsafe_or_ambiguous_addresses() {
    for (bad, what) in [
        ("http://api.example.com", "plain http"),
        ("http://10.0.0.5:8080", "plain http"),
        ("http://localhost.example.com", "plain http"),
        ("ftp://api.example.com", "ftp:"),
        ("api.cloudneeti.com", "not a web address"),
        ("https://api.example.com/?x=1", "query"),
        ("https://api.example.com/#top", "fragment"),
        ("https://api.exa mple.com", "space"),
    ] {
        let m = message(&validate::base_url(bad).unwrap_err());
        assert!(m.contains(what), "{bad:?}: {m}");
    }
    let e = validate::base_url("https://alice:hunter2pw@api.example.com").unwrap_err();
    assert!(message(&e).contains("user name or password"));
    assert_no_leak(&e, "hunter2pw");
}

#[test]
fn environment_parses_what_people_type() {
    assert_eq!(Environment::parse(" PROD ").unwrap(), Environment::Prod);
    assert_eq!("production".parse::<Environment>().unwrap(), Environment::Prod);
    assert_eq!(Environment::parse("trial").unwrap(), Environment::Trial);
    assert_eq!(Environment::parse("Sandbox").unwrap(), Environment::Sandbox);
    assert_eq!(Environment::parse("https://api.cloudneeti.com/").unwrap(), Environment::Prod);
    assert_eq!(Environment::parse("https://TRIALAPI.cloudneeti.com").unwrap(), Environment::Trial);
    let custom = Environment::parse("http://127.0.0.1:4010/").unwrap();
    assert_eq!(custom.base_url(), Some("http://127.0.0.1:4010"));
    assert_eq!(custom.to_string(), "http://127.0.0.1:4010");
    assert_eq!(Environment::Prod.base_url(), Some(PROD.api));
    assert_eq!(Environment::Trial.base_url(), Some(TRIAL.api));
    assert_eq!(Environment::Sandbox.base_url(), None);
    assert!(message(&Environment::parse("staging").unwrap_err())
        .contains("prod, prod1, trial, sandbox"));
    assert!(message(&Environment::parse("http://203.0.113.9").unwrap_err()).contains("plain http"));
}

/// PROD's second region is a named environment like PROD: by name and by its address.
#[test]
fn the_second_prod_region_is_named_prod1_and_its_address_folds_in() {
    assert_eq!(Environment::parse("PROD1").unwrap(), Environment::Prod1);
    assert_eq!(Environment::parse("https://api1.cloudneeti.com/").unwrap(), Environment::Prod1);
    assert_eq!(Environment::Prod1.base_url(), Some("https://api1.cloudneeti.com"));
    assert_eq!(Environment::Prod1.to_string(), "prod1");
    assert_eq!(serde_json::to_string(&Environment::Prod1).unwrap(), r#""prod1""#);
    assert_eq!(serde_json::from_str::<Environment>(r#""prod1""#).unwrap(), Environment::Prod1);
}

/// Each environment names its portals once; the Sandbox and custom addresses have none.
#[test]
fn each_known_environment_names_its_portal_and_api_portal() {
    let service = |e: Environment| e.service().map(|s| (s.portal, s.api_portal));
    assert_eq!(
        service(Environment::Prod),
        Some(("https://app.cloudneeti.com", "https://portal.cloudneeti.com/"))
    );
    assert_eq!(
        service(Environment::Prod1),
        Some(("https://app1.cloudneeti.com", "https://portal.cloudneeti.com/"))
    );
    assert_eq!(
        service(Environment::Trial),
        Some(("https://trial.cloudneeti.com", "https://trialportal.cloudneeti.com/"))
    );
    assert_eq!(service(Environment::Sandbox), None);
    assert_eq!(service(Environment::parse("https://gw.example.com").unwrap()), None);
    let pages: Vec<&str> = cloudneeti_pages().collect();
    for page in
        [PROD.portal, PROD1.portal, TRIAL.portal, TRIAL.api_portal, "https://docs.cloudneeti.com"]
    {
        assert!(pages.contains(&page), "{page} missing from {pages:?}");
    }
    assert_eq!(PROD1.api_portal, PROD.api_portal);
}

fn form(token_expiry_minutes: Option<u32>) -> ProfileForm {
    ProfileForm {
        name: "p".into(),
        environment: "prod".into(),
        license_id: GUID.into(),
        app_id: GUID.into(),
        api_key: "default".into(),
        token_expiry_minutes,
        secret_expires_on: None,
    }
}

/// The portal's Token Expiry is a drop-down of 60 minutes, 4 hours and 24 hours.
#[test]
fn token_expiry_is_one_of_the_portals_choices() {
    for minutes in [None, Some(60), Some(240), Some(1440)] {
        let kept = form(minutes).validate().unwrap().token_expiry_minutes;
        assert_eq!(kept.map(|e| e.minutes()), minutes);
    }
    for minutes in [0, 1, 30, 61, 525_600] {
        let e = form(Some(minutes)).validate().unwrap_err();
        assert!(message(&e).contains("not one of the portal's choices"), "{minutes}: {e}");
        assert!(e.hint(|_| "").contains("60, 240, 1440"), "{}", e.hint(|_| ""));
    }
}

/// A profile saved before the drop-down keeps its value through an edit, but an edit cannot
/// choose another value outside the drop-down.
#[test]
fn an_edit_may_keep_an_old_token_expiry_but_not_choose_a_new_odd_one() {
    let mut current = form(None).validate().unwrap();
    // As a settings file from before the drop-down holds it.
    current.token_expiry_minutes = Some(serde_json::from_str("30").unwrap());
    let minutes = |p: cloudneeti_core::Profile| p.token_expiry_minutes.map(|e| e.minutes());
    assert_eq!(minutes(form(Some(30)).validate_edit(&current).unwrap()), Some(30));
    assert_eq!(minutes(form(Some(240)).validate_edit(&current).unwrap()), Some(240));
    assert!(form(Some(45)).validate_edit(&current).is_err());
    assert!(form(Some(30)).validate().is_err());
}

#[test]
fn environment_json_is_a_lowercase_tag_or_a_custom_url() {
    let custom = Environment::parse("https://gw.example.com").unwrap();
    assert_eq!(serde_json::to_string(&Environment::Prod).unwrap(), r#""prod""#);
    assert_eq!(serde_json::to_string(&Environment::Sandbox).unwrap(), r#""sandbox""#);
    assert_eq!(serde_json::to_string(&custom).unwrap(), r#"{"custom":"https://gw.example.com"}"#);
    assert_eq!(serde_json::from_str::<Environment>(r#""trial""#).unwrap(), Environment::Trial);
    assert_eq!(
        serde_json::from_str::<Environment>(r#"{"custom":"https://gw.example.com"}"#).unwrap(),
        custom
    );
    // A hand-edited file cannot point a profile at a remote host over plain http.
    assert!(serde_json::from_str::<Environment>(r#"{"custom":"http://gw.example.com"}"#).is_err());
}

#[test]
fn notes_are_plain_text_so_key_shaped_content_is_refused() {
    assert_eq!(
        validate::note("  owned by the SecOps team  ").unwrap().as_deref(),
        Some("owned by the SecOps team")
    );
    assert_eq!(validate::note(" \n ").unwrap(), None);
    let e = validate::note(&format!("key is {KEY}")).unwrap_err();
    assert!(message(&e).contains("looks like an API key"));
    assert_no_leak(&e, KEY);
    assert!(message(&validate::note("line one\nline two").unwrap_err()).contains("line break"));
    assert!(message(&validate::note(&"n".repeat(201)).unwrap_err()).contains("201 characters"));
}

/// A host that imitates a Cloudneeti name with letters of another script is refused, and the
/// message names both in ASCII; a real international host is not.
#[test]
fn look_alike_cloudneeti_hosts_are_refused() {
    for (typed, shown) in [
        ("https://\u{430}pi.cloudneeti.com", "xn--pi-6kc.cloudneeti.com"), // Cyrillic а
        ("https://api.cloudn\u{435}\u{435}ti.com", "api.xn--cloudnti-h8ga.com"), // Cyrillic е е
        ("https://api.cl\u{3bf}udneeti.com/", "api.xn--cludneeti-r1g.com"), // Greek ο
        ("https://xn--pi-6kc.cloudneeti.com", "xn--pi-6kc.cloudneeti.com"), // typed as punycode
    ] {
        let e = validate::base_url(typed).unwrap_err();
        let text = message(&e);
        assert!(text.contains(shown), "{typed}: {text}");
        assert!(text.contains("only looks like"), "{text}");
        assert!(text.is_ascii(), "no look-alike letter is echoed: {text}");
        assert!(Environment::parse(typed).is_err());
    }
    assert!(validate::base_url("https://api.cloudneeti.com").is_ok());
    assert!(validate::base_url("https://b\u{fc}cher.example").is_ok(), "other IDN hosts are fine");
}
