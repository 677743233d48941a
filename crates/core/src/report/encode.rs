//! Rows as bytes: CSV as Export-Csv writes it, or a JSON array of objects keyed by header.

use super::rows::{Cell, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Csv,
    Json,
}

/// Writes a header, rows, and an end, each as bytes for a stream.
pub struct Encoder {
    encoding: Encoding,
    columns: &'static [&'static str],
    rows: u64,
}

impl Encoder {
    pub fn new(encoding: Encoding, columns: &'static [&'static str]) -> Encoder {
        Encoder { encoding, columns, rows: 0 }
    }

    pub fn rows_written(&self) -> u64 {
        self.rows
    }

    pub fn header(&self) -> Vec<u8> {
        match self.encoding {
            Encoding::Csv => csv_record(self.columns.iter().map(|c| csv_field(c))),
            Encoding::Json => b"[".to_vec(),
        }
    }

    pub fn row(&mut self, row: &Row) -> Vec<u8> {
        self.rows += 1;
        match self.encoding {
            Encoding::Csv => csv_record(row.iter().map(|cell| match cell {
                Cell::Text(s) => csv_field(&neutralised(s)),
                Cell::Count(n) => csv_field(&n.to_string()),
            })),
            Encoding::Json => {
                let mut out = if self.rows == 1 { b"\n".to_vec() } else { b",\n".to_vec() };
                out.push(b'{');
                for (i, (column, cell)) in self.columns.iter().zip(row).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend(json_string(column));
                    out.push(b':');
                    match cell {
                        Cell::Text(s) => out.extend(json_string(s)),
                        Cell::Count(n) => out.extend(n.to_string().into_bytes()),
                    }
                }
                out.push(b'}');
                out
            }
        }
    }

    pub fn end(&self) -> Vec<u8> {
        match self.encoding {
            Encoding::Csv => Vec::new(),
            Encoding::Json => b"\n]\n".to_vec(),
        }
    }
}

fn json_string(s: &str) -> Vec<u8> {
    serde_json::to_vec(s).expect("strings serialise")
}

/// Every field quoted, a quote inside doubled, as Windows PowerShell's Export-Csv writes them
/// [script: `Export-Csv -NoTypeInformation`]; records end with CRLF (RFC 4180, and Windows,
/// where the scripts run).
fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv_record(fields: impl Iterator<Item = String>) -> Vec<u8> {
    let mut line = fields.collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line.into_bytes()
}

/// A service's text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets show as text
/// (OWASP's advice on CSV injection). Counts are never touched: they are ours.
fn neutralised(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[&str] = &["Name", "Count"];

    fn row(name: &str, n: u64) -> Row {
        vec![Cell::Text(name.into()), Cell::Count(n)]
    }

    #[test]
    fn csv_quotes_every_field_and_doubles_quotes() {
        let mut e = Encoder::new(Encoding::Csv, COLUMNS);
        assert_eq!(e.header(), b"\"Name\",\"Count\"\r\n");
        assert_eq!(e.row(&row("a \"b\", c\nd", 3)), b"\"a \"\"b\"\", c\nd\",\"3\"\r\n");
        assert_eq!(e.rows_written(), 1);
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_written_as_text() {
        let mut e = Encoder::new(Encoding::Csv, COLUMNS);
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            let line = String::from_utf8(e.row(&row(formula, 1))).unwrap();
            assert!(line.starts_with("\"'"), "{line:?}");
        }
        assert!(String::from_utf8(e.row(&row("Web-01", 1))).unwrap().starts_with("\"Web-01\""));
    }

    #[test]
    fn json_is_one_array_of_objects_in_column_order() {
        let mut e = Encoder::new(Encoding::Json, COLUMNS);
        let mut out = e.header();
        out.extend(e.row(&row("x\u{1b}", 1)));
        out.extend(e.row(&row("y", 2)));
        out.extend(e.end());
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("{\"Name\":\"x\\u001b\",\"Count\":1}"), "{text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed.as_array().unwrap().len(), 2);
        let empty = [e.header(), Encoder::new(Encoding::Json, COLUMNS).end()].concat();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&empty).unwrap(),
            serde_json::json!([])
        );
    }
}
