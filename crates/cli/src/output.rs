//! Printing: results on stdout, messages and errors on stderr, colour only on a terminal and
//! never when NO_COLOR is set.

use cloudneeti_core::text::printable;
use cloudneeti_core::{Error, ErrorReport};
use serde::Serialize;
use std::io::IsTerminal;

fn color_on_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

pub fn json<T: Serialize>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("output values serialise"));
}

/// A confirmation for people; scripts (stderr not a terminal) get silence.
pub fn done(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{message}");
    }
}

pub fn error(error: &Error, as_json: bool) {
    if as_json {
        let report = ErrorReport::from(error);
        eprintln!("{}", serde_json::to_string(&report).expect("reports serialise"));
        return;
    }
    let (red, bold, reset) =
        if color_on_stderr() { ("\x1b[31m", "\x1b[1m", "\x1b[0m") } else { ("", "", "") };
    eprintln!("{red}{bold}error:{reset} {error}");
    eprintln!("{bold}what to do:{reset} {}", error.hint());
}

/// Rows of text in aligned columns. Cells often come from the service (names, grants), so
/// each is made printable: no escape sequence reaches the terminal, no newline forges a row.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> =
        rows.iter().map(|row| row.iter().map(|cell| printable(cell)).collect()).collect();
    let rows = &rows;
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}", w = *w)).collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
