//! The search for a secret, whole or in recognisable pieces, in what a user or a log could
//! see: error messages, output, files.

/// Where `secret`, whole or any run of `piece` characters of it (all of it when it is
/// shorter), first stands in `haystack`: the byte offset of the first piece found.
pub fn find(haystack: &[u8], secret: &str, piece: usize) -> Option<usize> {
    let starts: Vec<usize> = secret.char_indices().map(|(i, _)| i).chain([secret.len()]).collect();
    let chars = starts.len() - 1;
    let piece = piece.min(chars);
    assert!(piece > 0, "an empty secret cannot be searched for");
    (0..=chars - piece).find_map(|i| {
        let needle = &secret.as_bytes()[starts[i]..starts[i + piece]];
        haystack.windows(needle.len()).position(|w| w == needle)
    })
}

/// Fails when `text` carries any of `secrets`, or a `piece`-character piece of one; the
/// message names neither the secret nor the piece.
#[track_caller]
pub fn assert_none<S: AsRef<str>>(text: &str, secrets: &[S], piece: usize) {
    for secret in secrets {
        if let Some(at) = find(text.as_bytes(), secret.as_ref(), piece) {
            panic!("text {text:?} contains a piece of a secret at byte {at}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_found_by_characters_and_short_runs_are_not() {
        let secret = "clé-secrète-1234";
        assert_eq!(find(b"xx cl\xc3\xa9-sec yy", secret, 6), Some(3));
        assert_eq!(find("xx clé-s yy".as_bytes(), secret, 6), None);
        assert_eq!(find(b"short abc", "abc", 8), Some(6));
        assert_none("nothing to see", &[secret], 6);
    }
}
