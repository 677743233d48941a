//! Input validation: every value a person types or pastes passes through here before it
//! reaches the network, the keychain or the settings file.
//!
//! Cleaning is the same for every field and limited to what a paste adds: surrounding
//! whitespace (spaces, tabs, CR/LF, no-break spaces: anything `char::is_whitespace`) is
//! trimmed, then one wrapping pair of matching quotes (`"…"`, `'…'`, `` `…` ``, `“…”`, `‘…’`)
//! and the whitespace just inside it; GUIDs also lose one wrapping pair of braces (`{…}`, as
//! some tools print them). Nothing else is changed silently: whitespace, line breaks, control
//! characters and invisible characters (zero-width, bidi controls, byte order marks) inside a
//! value are refused, naming the character's code and position so the person can find it.
//!
//! Secrets (the API key, the application secret) are validated from `&str`, and no message
//! ever contains a secret's value or any of its characters. What must not live here: I/O.

use crate::error::NextStep;
use crate::parsed::{
    AccountId, AppId, BaseUrl, BenchmarkId, JobId, KeyName, LicenseId, ProfileName,
};
use crate::{Error, Result};
use url::{Host, Url};
use uuid::Uuid;

const EXAMPLE_GUID: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
const MAX_NAME_CHARS: usize = 64;
// In bytes of UTF-8, as the keychains count: Windows Credential Manager holds at most 2,560
// bytes per credential, so every secret this accepts fits every system's keychain.
const MAX_SECRET_BYTES: usize = 1024;
const MAX_NOTE_CHARS: usize = 200;
const API_KEY_HEX_DIGITS: usize = 32;
const ANY_FORMAT_KEY_CHARS: std::ops::RangeInclusive<usize> = 8..=256;

const INVISIBLE_HINT: &str = "Invisible characters come with text copied from web pages, chats or documents: delete the value and copy it again from its source, or type it.";

/// A license id (portal: Configurations > Features and Quotas), as a GUID.
pub fn license_id(input: &str) -> Result<LicenseId> {
    guid(
        "license id",
        input,
        format!("A license id looks like 8-4-4-4-12 hex digits, e.g. {EXAMPLE_GUID}; copy it from the portal: Configurations > Features and Quotas."),
    )
    .map(LicenseId::new_unchecked)
}

/// A cloud account id (portal: Configurations > Cloud Accounts), as a GUID.
pub fn account_id(input: &str) -> Result<AccountId> {
    guid(
        "account id",
        input,
        format!("An account id looks like 8-4-4-4-12 hex digits, e.g. {EXAMPLE_GUID}; copy it from the portal: Configurations > Cloud Accounts."),
    )
    .map(AccountId::new_unchecked)
    .map_err(|e| e.with_step(NextStep::ListAccounts))
}

/// An API application id (portal: Configuration > Cloudneeti API Access), as a GUID.
pub fn app_id(input: &str) -> Result<AppId> {
    guid(
        "API application id",
        input,
        format!("An API application id looks like 8-4-4-4-12 hex digits, e.g. {EXAMPLE_GUID}; copy it from the portal: Configuration > Cloudneeti API Access, where it is shown once the application is created."),
    )
    .map(AppId::new_unchecked)
}

/// An API (subscription) key: 32 hex digits, returned lowercased. With `allow_any_format`
/// (the `--allow-any-key-format` override, for a service that issues keys of another shape)
/// any 8 to 256 printable ASCII characters are accepted unchanged.
pub fn api_key(input: &str, allow_any_format: bool) -> Result<String> {
    let checked = api_key_checked(input, allow_any_format);
    if allow_any_format {
        checked
    } else {
        checked.map_err(|e| e.with_step(NextStep::AllowAnyKeyFormat))
    }
}

fn api_key_checked(input: &str, allow_any_format: bool) -> Result<String> {
    const FIELD: &str = "API key";
    let hint = "Copy the Primary key from the API portal: Username > Profile > Show > Primary key (32 hex digits).";
    let s = clean(input);
    check_chars(FIELD, s, hint, Spaces::Refused)?;
    let len = s.chars().count();
    if allow_any_format {
        if !ANY_FORMAT_KEY_CHARS.contains(&len) {
            return Err(Error::invalid(
                FIELD,
                format!("it has {len} characters; a key of any format needs 8 to 256"),
                hint,
            ));
        }
        if let Some(pos) = s.chars().position(|c| !c.is_ascii_graphic()) {
            return Err(Error::invalid(
                FIELD,
                format!("character {} is not a printable ASCII character", pos + 1),
                hint,
            ));
        }
        return Ok(s.to_owned());
    }
    if is_guid_shaped(s) {
        return Err(Error::invalid(FIELD, "it has the 8-4-4-4-12 shape of a license or application id, not that of an API key (32 hex digits, no hyphens)", hint));
    }
    if len != API_KEY_HEX_DIGITS {
        return Err(Error::invalid(
            FIELD,
            format!("it has {len} characters; an API key has {API_KEY_HEX_DIGITS} hex digits"),
            hint,
        ));
    }
    if let Some(pos) = s.chars().position(|c| !c.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            FIELD,
            format!("character {} is not a hex digit (0-9, a-f)", pos + 1),
            hint,
        ));
    }
    Ok(s.to_ascii_lowercase())
}

/// An API application secret: 1 to 1024 bytes, no whitespace, control or invisible
/// characters. Returned as a slice of the input so the caller can wrap it in the vault's
/// secret type without another plain copy.
pub fn app_secret(input: &str) -> Result<&str> {
    const FIELD: &str = "API application secret";
    let hint = "Paste the secret exactly as the portal showed it when the application was created or its secret regenerated. If it was lost, regenerate it: Configuration > Cloudneeti API Access > Configure App > Regenerate Secret Key > Confirm.";
    let s = clean(input);
    check_chars(FIELD, s, hint, Spaces::Refused)?;
    if s.len() > MAX_SECRET_BYTES {
        return Err(Error::invalid(
            FIELD,
            format!(
                "it is {} bytes long; at most {MAX_SECRET_BYTES} are accepted (what every system's keychain can hold)",
                s.len()
            ),
            hint,
        ));
    }
    Ok(s)
}

/// A profile name: 1 to 64 ASCII letters, digits, `-`, `_`, `.`, starting with a letter or digit.
pub fn profile_name(input: &str) -> Result<ProfileName> {
    name("profile name", input).map(ProfileName::new_unchecked)
}

/// An API key's name (not its value): the same rules as a profile name.
pub fn key_name(input: &str) -> Result<KeyName> {
    name("API key name", input).map(KeyName::new_unchecked)
}

/// A custom environment's base URL: https, or http for this computer only (localhost,
/// 127.0.0.0/8, ::1); no user name or password, query or fragment. Normalised by the URL
/// standard (lowercase host, default port dropped) and without trailing slashes.
pub fn base_url(input: &str) -> Result<BaseUrl> {
    const FIELD: &str = "base URL";
    let hint = "Give the API's address as https://host[:port][/path], e.g. https://api.cloudneeti.com. Plain http is accepted only for this computer (e.g. http://127.0.0.1:8080, as the local emulator uses).";
    let s = clean(input);
    check_chars(FIELD, s, hint, Spaces::Refused)?;
    // The input is never quoted back: a URL can carry a password.
    let url = Url::parse(s)
        .map_err(|e| Error::invalid(FIELD, format!("it is not a web address ({e})"), hint))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid(
                FIELD,
                "plain http would send the API key unencrypted; it is only accepted for this computer (localhost, 127.0.0.1, ::1)",
                hint,
            ))
        }
        other => {
            return Err(Error::invalid(
                FIELD,
                format!("it starts with {other}:, but only https:// is accepted"),
                hint,
            ))
        }
    }
    if url.host().is_none() {
        return Err(Error::invalid(FIELD, "it has no host name", hint));
    }
    if let Some(Host::Domain(host)) = url.host() {
        if let Some(looks_like) = imitated_cloudneeti_host(host) {
            // Both names are shown in ASCII (punycode), so no script trick reaches the message.
            return Err(Error::invalid(
                FIELD,
                format!("its host {host} is not {looks_like}: it only looks like it, with letters of another script"),
                "Type the address yourself rather than pasting it from a message or a page, e.g. https://api.cloudneeti.com; if this host is really meant, ask who gave it to you.",
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            FIELD,
            "it contains a user name or password; credentials never go into the address",
            hint,
        ));
    }
    if url.query().is_some() {
        return Err(Error::invalid(
            FIELD,
            "it has a query (the part from '?'); give only the address",
            hint,
        ));
    }
    if url.fragment().is_some() {
        return Err(Error::invalid(
            FIELD,
            "it has a fragment (the part from '#'); give only the address",
            hint,
        ));
    }
    Ok(BaseUrl(url.as_str().trim_end_matches('/').to_owned()))
}

/// The application secret's expiry date as the portal shows it, YYYY-MM-DD; empty is none.
pub fn secret_expires_on(input: &str) -> Result<Option<chrono::NaiveDate>> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
        Error::invalid(
            "secret expiry date",
            // Not quoted back: a paste in the wrong field may be a secret.
            "it is not a date like 2027-03-31",
            "Give the date the portal shows for the secret's expiry as YYYY-MM-DD.",
        )
    })
}

/// A free-text note on an API key, stored in plain text: at most 200 characters on one line.
/// Empty gives `None`. A run of 32 or more hex digits is refused because that is what an API
/// key looks like, and the note is not a safe place for one.
pub fn note(input: &str) -> Result<Option<String>> {
    const FIELD: &str = "note";
    let hint = "Write a short reminder such as who owns the key or which subscription it belongs to; never the key itself, since notes are stored in plain text.";
    let s = clean(input);
    if s.is_empty() {
        return Ok(None);
    }
    check_chars(FIELD, s, hint, Spaces::Allowed)?;
    let len = s.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(Error::invalid(
            FIELD,
            format!("it has {len} characters; at most {MAX_NOTE_CHARS} are accepted"),
            hint,
        ));
    }
    if has_hex_run(s, API_KEY_HEX_DIGITS) {
        return Err(Error::invalid(
            FIELD,
            "it contains 32 or more hex digits in a row, which looks like an API key",
            hint,
        ));
    }
    Ok(Some(s.to_owned()))
}

/// Trims what a paste adds around a value; see the module documentation.
fn clean(input: &str) -> &str {
    strip_pair(input.trim(), &[('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')]).trim()
}

fn strip_pair<'a>(s: &'a str, pairs: &[(char, char)]) -> &'a str {
    pairs.iter().find_map(|&(open, close)| s.strip_prefix(open)?.strip_suffix(close)).unwrap_or(s)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Spaces {
    Allowed,
    Refused,
}

/// Refuses an empty value and any character a person cannot see or that a paste smuggles in.
/// Messages name the character's kind, code point and position, never the character itself,
/// so they are safe for secrets.
fn check_chars(field: &'static str, s: &str, hint: &str, spaces: Spaces) -> Result<()> {
    if s.is_empty() {
        return Err(Error::invalid(field, "it is empty", hint));
    }
    for (i, c) in s.chars().enumerate() {
        let pos = i + 1;
        let reason = if matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}') {
            format!("it contains a line break at character {pos}; paste a single value on one line")
        } else if c == ' ' && spaces == Spaces::Allowed {
            continue;
        } else if c == ' ' {
            format!("it contains a space at character {pos}")
        } else if c == '\t' {
            format!("it contains a tab at character {pos}")
        } else if c.is_whitespace() {
            format!("it contains a whitespace character (U+{:04X}) at character {pos}", c as u32)
        } else if c.is_control() {
            format!("it contains a control character (U+{:04X}) at character {pos}", c as u32)
        } else if let Some(what) = invisible(c) {
            return Err(Error::invalid(
                field,
                format!(
                    "it contains an invisible character (U+{:04X}, {what}) at character {pos}",
                    c as u32
                ),
                format!("{INVISIBLE_HINT} {hint}"),
            ));
        } else {
            continue;
        };
        return Err(Error::invalid(field, reason, hint));
    }
    Ok(())
}

/// Characters that render as nothing (Unicode format characters, fillers, variation
/// selectors), with a name a person can search for.
fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "text direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "text direction control",
        '\u{FEFF}' => "byte order mark",
        '\u{2060}' => "word joiner",
        '\u{00AD}' => "soft hyphen",
        '\u{034F}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{2061}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E0FFF}' => "invisible formatting character",
        _ => return None,
    })
}

fn guid(field: &'static str, input: &str, hint: String) -> Result<Uuid> {
    let s = strip_pair(clean(input), &[('{', '}')]).trim();
    check_chars(field, s, &hint, Spaces::Refused)?;
    let len = s.chars().count();
    if len == API_KEY_HEX_DIGITS && s.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            field,
            "it is 32 hex digits without hyphens, which is what an API key looks like, not an id",
            hint,
        ));
    }
    if len != 36 {
        return Err(Error::invalid(
            field,
            format!("it has {len} characters; a GUID has 36 (32 hex digits in groups 8-4-4-4-12)"),
            hint,
        ));
    }
    for (i, c) in s.chars().enumerate() {
        let want_hyphen = matches!(i, 8 | 13 | 18 | 23);
        if want_hyphen && c != '-' {
            return Err(Error::invalid(
                field,
                format!("character {} should be a hyphen (8-4-4-4-12)", i + 1),
                hint,
            ));
        }
        if !want_hyphen && !c.is_ascii_hexdigit() {
            return Err(Error::invalid(
                field,
                format!("character {} ('{c}') is not a hex digit (0-9, a-f)", i + 1),
                hint,
            ));
        }
    }
    Uuid::try_parse(s).map_err(|e| Error::invalid(field, e.to_string(), hint))
}

fn is_guid_shaped(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn name(field: &'static str, input: &str) -> Result<String> {
    let hint = "Use 1 to 64 letters (a-z, A-Z), digits, '-', '_' or '.', starting with a letter or digit, e.g. contoso-prod.";
    let s = word(field, input, hint)?;
    if has_hex_run(s, API_KEY_HEX_DIGITS) {
        // Names are stored and logged in plain text, so a pasted key must not become one.
        return Err(Error::invalid(
            field,
            "it contains 32 or more hex digits in a row, which looks like an API key, not a name",
            hint,
        ));
    }
    Ok(s.to_owned())
}

/// A benchmark id as `benchmarks` lists it: `CSBP`, `AZFDCIS1_1_0`, or a private benchmark's
/// GUID [page].
pub fn benchmark_id(input: &str) -> Result<BenchmarkId> {
    let hint =
        "Give a benchmark id as the account's benchmarks list shows it, e.g. CSBP or AZFDCIS1_1_0.";
    word("benchmark id", input, hint).map(|s| BenchmarkId::new_unchecked(s.to_owned()))
}

/// A scan job's id, as a rescan answers it.
pub fn job_id(input: &str) -> Result<JobId> {
    let hint = "Give the job id a rescan printed.";
    word("job id", input, hint).map(|s| JobId::new_unchecked(s.to_owned()))
}

/// 1 to 64 ASCII letters, digits, `-`, `_`, `.`, starting with a letter or digit: text that
/// goes into a path or a file name and must not change either.
fn word<'a>(field: &'static str, input: &'a str, hint: &str) -> Result<&'a str> {
    let s = clean(input);
    check_chars(field, s, hint, Spaces::Refused)?;
    let len = s.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(Error::invalid(
            field,
            format!("it has {len} characters; at most {MAX_NAME_CHARS} are accepted"),
            hint,
        ));
    }
    if let Some((i, c)) =
        s.chars().enumerate().find(|&(_, c)| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
    {
        return Err(Error::invalid(
            field,
            format!("character {} ('{c}') is not a letter, digit, '-', '_' or '.'", i + 1),
            hint,
        ));
    }
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        // A leading '-' would read as an option on the command line.
        return Err(Error::invalid(field, "it must start with a letter or digit", hint));
    }
    Ok(s)
}

fn has_hex_run(s: &str, min: usize) -> bool {
    let mut run = 0;
    s.chars().any(|c| {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        run >= min
    })
}

/// For an international (punycode) host that reads as a Cloudneeti name once its look-alike
/// letters are taken for the Latin ones they imitate (Cyrillic а for a, Greek ο for o, ...),
/// the name it imitates; `None` for any other host. A plain ASCII host imitates nothing: it
/// reads as what it is.
fn imitated_cloudneeti_host(ascii_host: &str) -> Option<String> {
    let (unicode, _) = idna::domain_to_unicode(ascii_host);
    if unicode.eq_ignore_ascii_case(ascii_host) {
        return None;
    }
    let skeleton: String = unicode.chars().map(latin_look_alike).collect::<String>().to_lowercase();
    skeleton.contains("cloudneeti").then_some(skeleton)
}

/// The Latin letter a character is commonly mistaken for (the letters of Cloudneeti's host
/// names, from Unicode's confusables for Cyrillic, Greek and Armenian); others unchanged.
fn latin_look_alike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ҽ' => 'e',
        'і' | 'ı' | 'ι' | 'ӏ' => 'i',
        'ⅼ' | 'ǀ' => 'l',
        'ո' => 'n',
        'о' | 'ο' | 'օ' => 'o',
        'р' | 'ρ' => 'p',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        other => other,
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl<'de> serde::Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A hand-edited file must not smuggle in a plain-http remote host.
        let s = <String as serde::Deserialize>::deserialize(deserializer)?;
        base_url(&s).map_err(serde::de::Error::custom)
    }
}

/// `"...".parse()` for the parsed types is this module's parsing, nothing else.
macro_rules! parse_with {
    ($($ty:ty => $parse:path),* $(,)?) => {$(
        impl std::str::FromStr for $ty {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                $parse(s)
            }
        }
    )*};
}

parse_with!(
    LicenseId => license_id,
    AppId => app_id,
    AccountId => account_id,
    ProfileName => profile_name,
    KeyName => key_name,
    BenchmarkId => benchmark_id,
    JobId => job_id,
);
