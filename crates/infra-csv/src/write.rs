//! Export records (C7): RFC 4180 — a cell holding a comma, a quote, CR or LF is quoted and
//! its quotes doubled; records end with CRLF — in UTF-8, UTF-8 with a BOM (so Excel reads it
//! as UTF-8) or Shift_JIS.
//!
//! Formula injection (OWASP "CSV injection", ASVS 5.0 1.2.10): the domain's export already
//! neutralises every value it writes (`roster_domain::csv::encode_cell`, reversed by the
//! import). The writer checks once more, so that no cell it ever writes — a header, a cell
//! from another caller — starts with `=`, `+`, `-`, `@`, tab, CR, LF or NUL: such a cell gets
//! the same leading `'`. Cells already neutralised start with `'` and pass unchanged.
//!
//! Shift_JIS cannot hold every character (emoji, some rare kanji): those are written as `?`
//! and counted ([`CsvWriter::unmappable`]); UTF-8 loses nothing.

use super::encoding::Encoding;
use encoding_rs::{EncoderResult, SHIFT_JIS};
use roster_domain::csv::formula::FORMULA_TRIGGERS;
use roster_domain::csv::neutralise;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes records, appending bytes to a caller's buffer (one page of an HTTP stream, a file).
pub struct CsvWriter {
    encoding: Encoding,
    encoder: Option<encoding_rs::Encoder>,
    /// The record as text, before encoding.
    line: String,
    started: bool,
    unmappable: u64,
}

impl std::fmt::Debug for CsvWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter")
            .field("encoding", &self.encoding)
            .field("unmappable", &self.unmappable)
            .finish_non_exhaustive()
    }
}

impl CsvWriter {
    /// A writer in `encoding`.
    pub fn new(encoding: Encoding) -> Self {
        Self {
            encoding,
            encoder: matches!(encoding, Encoding::ShiftJis).then(|| SHIFT_JIS.new_encoder()),
            line: String::new(),
            started: false,
            unmappable: 0,
        }
    }

    /// Appends one record to `out` (after the BOM, before the first record, in `Utf8Bom`).
    pub fn record<S: AsRef<str>>(&mut self, cells: &[S], out: &mut Vec<u8>) {
        if !self.started {
            self.started = true;
            if self.encoding == Encoding::Utf8Bom {
                out.extend_from_slice(UTF8_BOM);
            }
        }
        self.line.clear();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            push_cell(&mut self.line, cell.as_ref());
        }
        self.line.push_str("\r\n");
        match &mut self.encoder {
            None => out.extend_from_slice(self.line.as_bytes()),
            Some(encoder) => self.unmappable += encode_sjis(encoder, &self.line, out),
        }
    }

    /// Characters written as `?` because Shift_JIS has no code for them.
    pub fn unmappable(&self) -> u64 {
        self.unmappable
    }
}

/// Appends a cell, neutralised if it starts with a formula trigger, quoted if needed.
fn push_cell(line: &mut String, cell: &str) {
    let starts_with_trigger = cell
        .chars()
        .next()
        .is_some_and(|c| FORMULA_TRIGGERS.contains(&c));
    let cell = if starts_with_trigger {
        neutralise(cell)
    } else {
        std::borrow::Cow::Borrowed(cell)
    };
    if cell.contains([',', '"', '\r', '\n']) {
        line.push('"');
        for c in cell.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(&cell);
    }
}

/// Encodes `text` to Shift_JIS into `out`; returns how many characters became `?`.
fn encode_sjis(encoder: &mut encoding_rs::Encoder, text: &str, out: &mut Vec<u8>) -> u64 {
    let mut unmappable = 0;
    let mut rest = text;
    let mut buf = [0u8; 4096];
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buf, false);
        out.extend_from_slice(&buf[..written]);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return unmappable,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(_) => {
                unmappable += 1;
                out.push(b'?');
            }
        }
    }
}
