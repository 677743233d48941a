//! Text from elsewhere (a service, a settings file, a clipboard) made safe to show.
//!
//! A terminal obeys escape sequences, a newline forges a table row, and bidirectional
//! overrides make text read differently than it is stored. `printable` replaces every
//! character of those kinds with U+FFFD, so the reader sees that something was there and
//! nothing it did. Used for every service-given text a front end shows: messages, account and
//! connector names, grants.

/// Whether `c` would act on the display rather than be shown: control characters (C0, DEL,
/// C1) and the invisible format characters that reorder or hide text.
pub fn acts_on_display(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                // Arabic letter mark
            | '\u{200B}'..='\u{200F}' // zero-width spaces and joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidirectional isolates
            | '\u{FEFF}'              // zero-width no-break space
        )
}

/// `text` with every character that acts on the display replaced by U+FFFD.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if acts_on_display(c) { '\u{FFFD}' } else { c }).collect()
}

/// serde's words about a value it could not read, without the value: what a hand edit or a
/// service put in the wrong place may be a secret, and this text reaches the terminal, the
/// app and the activity log. `invalid type: string "0123…", expected u32` keeps its shape.
pub fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(close) if c == close => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                open = Some(c);
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_newlines_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(printable("Contoso Azure"), "Contoso Azure");
        assert_eq!(printable("name\n0000  forged  yes"), "name\u{FFFD}0000  forged  yes");
        assert_eq!(printable("\u{1b}[31mred\u{1b}[0m"), "\u{FFFD}[31mred\u{FFFD}[0m");
        assert_eq!(printable("abc\u{202E}fdp.exe"), "abc\u{FFFD}fdp.exe");
        assert_eq!(printable("a\u{9b}b\u{7f}c\u{2067}d"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}d");
        assert_eq!(printable("Zürich ✓ 東京"), "Zürich ✓ 東京");
    }
}
