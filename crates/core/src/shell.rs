//! Text for a shell: the one place that quotes a value for sh or PowerShell, and the commands
//! the app copies and the CLI prints.
//!
//! A token comes from a service and a user pastes these lines into a terminal or pipes them
//! to `eval`/`iex`, so quoting must hold whatever the value holds. Both shells get single
//! quotes, inside which nothing is special but the quote itself:
//! - sh: `'` ends the string; it is written as `'\''` (close, escaped quote, reopen).
//! - PowerShell: `'` and also U+2018, U+2019, U+201A and U+201B end a single-quoted string
//!   (its tokenizer treats all five as single quotes); each is doubled, which PowerShell reads
//!   as that character.
//!
//! The API key never appears in these texts: commands read it from an environment variable.

/// The characters PowerShell's tokenizer takes as a single quote.
const POWERSHELL_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// `value` as one sh word.
pub fn sh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// `value` as one PowerShell single-quoted string.
pub fn powershell_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if POWERSHELL_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The variable the copied commands read the API key from.
pub const API_KEY_VARIABLE: &str = "CLOUDNEETI_API_KEY";

/// A curl command that calls `url` with `token`, the key taken from `$CLOUDNEETI_API_KEY`.
pub fn curl_command(url: &str, token: &str) -> String {
    format!(
        "curl -sS {} -H {} -H \"Ocp-Apim-Subscription-Key: ${API_KEY_VARIABLE}\"",
        sh_quote(url),
        sh_quote(&format!("Authorization: Bearer {token}")),
    )
}

/// The same call for PowerShell, the key taken from `$env:CLOUDNEETI_API_KEY`.
pub fn powershell_command(url: &str, token: &str) -> String {
    format!(
        "Invoke-RestMethod -Uri {} -Headers @{{ 'Authorization' = {}; 'Ocp-Apim-Subscription-Key' = $env:{API_KEY_VARIABLE} }}",
        powershell_quote(url),
        powershell_quote(&format!("Bearer {token}")),
    )
}

/// `export NAME='value'` for sh.
pub fn sh_export(name: &str, value: &str) -> String {
    format!("export {name}={}", sh_quote(value))
}

/// `$env:NAME = 'value'` for PowerShell.
pub fn powershell_export(name: &str, value: &str) -> String {
    format!("$env:{name} = {}", powershell_quote(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every quote and special character of both shells, control characters and look-alikes.
    const HOSTILE: &[&str] = &[
        "plain.jwt.value",
        "it's",
        "'; echo PWNED; '",
        "\u{2019}; Write-Output PWNED; \u{2019}",
        "\u{2018}\u{201A}\u{201B}'",
        "$(touch /tmp/pwned) `id` ${HOME} $env:PATH",
        "\"double\" \\back\\ slash",
        "new\nline\r\ttab \u{1b}[2J",
        "",
        "''''",
    ];

    #[test]
    fn sh_reads_back_exactly_the_value() {
        for value in HOSTILE {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", sh_quote(value)))
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), *value, "{value:?}");
        }
    }

    /// PowerShell's single-quoted literal as its tokenizer reads it (about_Quoting_Rules):
    /// any of the five quote characters ends it unless the next character is also a quote,
    /// in which case the pair is one literal character. No PowerShell runs on this machine,
    /// so the rule is modelled here; the rule is small enough to model exactly.
    fn powershell_unquote(text: &str) -> Option<(String, &str)> {
        let mut chars = text.char_indices().peekable();
        let (_, first) = chars.next()?;
        if !POWERSHELL_QUOTES.contains(&first) {
            return None;
        }
        let mut value = String::new();
        while let Some((i, c)) = chars.next() {
            if POWERSHELL_QUOTES.contains(&c) {
                match chars.peek() {
                    Some(&(_, next)) if POWERSHELL_QUOTES.contains(&next) => {
                        value.push(next);
                        chars.next();
                    }
                    _ => return Some((value, &text[i + c.len_utf8()..])),
                }
            } else {
                value.push(c);
            }
        }
        None
    }

    #[test]
    fn powershell_reads_back_exactly_the_value_and_nothing_follows() {
        for value in HOSTILE {
            let quoted = powershell_quote(value);
            let (read, rest) = powershell_unquote(&quoted).unwrap_or_else(|| panic!("{quoted}"));
            assert_eq!((read.as_str(), rest), (*value, ""), "{quoted}");
        }
        // The model catches what plain ASCII escaping misses.
        let naive = format!("'{}'", HOSTILE[3].replace('\'', "''"));
        assert_ne!(powershell_unquote(&naive).unwrap().1, "");
    }

    #[test]
    fn commands_carry_the_token_quoted_and_the_key_by_reference() {
        let token = "a'b$(x)";
        let curl = curl_command("https://api.example/x", token);
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("set -- {}; printf '%s\\n' \"$@\"", &curl["curl ".len()..]))
            .env(API_KEY_VARIABLE, "KEY")
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "-sS\nhttps://api.example/x\n-H\nAuthorization: Bearer a'b$(x)\n-H\nOcp-Apim-Subscription-Key: KEY\n"
        );
        let ps = powershell_command("https://api.example/x", "t\u{2019}k");
        assert!(
            ps.contains("'Bearer t\u{2019}\u{2019}k'") && ps.contains("$env:CLOUDNEETI_API_KEY")
        );
        assert_eq!(sh_export("T", "x'y"), r"export T='x'\''y'");
        assert_eq!(powershell_export("T", "x'y"), "$env:T = 'x''y'");
    }
}
