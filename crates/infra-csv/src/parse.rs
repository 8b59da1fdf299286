//! RFC 4180 records from UTF-8 bytes (C1, C2, C4): fields separated by commas, optionally
//! quoted (a quoted field may hold commas, line breaks and doubled quotes), records ended by
//! CRLF, LF or a lone CR. Each record carries the line it starts on, counted the way a
//! spreadsheet or text editor shows it (the header is line 1).
//!
//! Problems are the domain's `SourceError`s: a record with a stray quote or bytes invalid in
//! the encoding is refused alone (`Record`) and reading goes on; a quoted field never closed,
//! or a record over [`MAX_RECORD_BYTES`], stops the file (`Malformed`), since where the next
//! record starts can no longer be known. Memory is bounded by one record whatever the input.
//! Records whose cells are all empty (blank lines, or the `,,,` rows spreadsheets leave) are
//! skipped.

use roster_domain::Unexpected;
use roster_domain::csv::RowError;
use roster_domain::ports::imports::{SourceError, SourceRecord};
use std::io::{BufRead, ErrorKind};

/// The longest record read, in bytes after decoding (a user row is far smaller).
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// The most cells a record may have.
pub const MAX_CELLS: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// Inside an unquoted field.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: the end of the field, or the first half of
    /// a doubled quote.
    QuoteInQuoted,
}

/// What ends a step of the parser.
enum Step {
    /// The record is complete.
    Record,
    /// The input ended.
    End,
}

/// Reads records from UTF-8 bytes.
pub struct RecordReader<R> {
    input: R,
    /// The current physical line (1-based).
    line: u64,
    /// The previous byte was a CR (a following LF is the same line break).
    after_cr: bool,
    /// Reading stopped (the end, or a `Malformed` error).
    done: bool,
    /// The header's cells, to name columns in errors.
    header: Option<Vec<String>>,
    /// What the encoding is called, for messages.
    encoding_name: &'static str,
}

impl<R> std::fmt::Debug for RecordReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader")
            .field("line", &self.line)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// One record being read.
struct Partial {
    cells: Vec<String>,
    field: Vec<u8>,
    bytes: usize,
    state: State,
    /// The line the current quoted field opened on.
    quote_line: u64,
    /// The first problem found in the record.
    error: Option<(usize, &'static str, String)>,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader over UTF-8 `input`; `encoding_name` names the file's encoding in messages.
    pub fn new(input: R, encoding_name: &'static str) -> Self {
        Self {
            input,
            line: 1,
            after_cr: false,
            done: false,
            header: None,
            encoding_name,
        }
    }

    /// The next non-blank record, `None` at the end.
    pub fn next_record(&mut self) -> Option<Result<SourceRecord, SourceError>> {
        loop {
            if self.done {
                return None;
            }
            let start = self.line;
            let mut partial = Partial {
                cells: Vec::new(),
                field: Vec::new(),
                bytes: 0,
                state: State::FieldStart,
                quote_line: start,
                error: None,
            };
            let step = match self.fill(&mut partial) {
                Ok(step) => step,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if matches!(step, Step::End) {
                self.done = true;
                if partial.state == State::Quoted {
                    return Some(Err(SourceError::Malformed(RowError::new(
                        partial.quote_line,
                        "",
                        "csv_unclosed_quote",
                        format!(
                            "a quoted field opened on line {} is never closed",
                            partial.quote_line
                        ),
                    ))));
                }
                if partial.bytes == 0 && partial.cells.is_empty() {
                    return None;
                }
            }
            end_field(&mut partial, self.encoding_name);
            if let Some((index, code, message)) = partial.error {
                let column = self.column_name(index);
                return Some(Err(SourceError::Record(RowError::new(
                    start, column, code, message,
                ))));
            }
            if partial.cells.iter().all(String::is_empty) {
                continue;
            }
            if self.header.is_none() {
                self.header = Some(partial.cells.clone());
            }
            return Some(Ok(SourceRecord {
                line: start,
                cells: partial.cells,
            }));
        }
    }

    /// The header name of column `index` (0-based), or its number when there is none.
    fn column_name(&self, index: usize) -> String {
        self.header
            .as_ref()
            .and_then(|h| h.get(index))
            .cloned()
            .unwrap_or_else(|| format!("#{}", index + 1))
    }

    /// Reads bytes into `p` until its record ends or the input does.
    fn fill(&mut self, p: &mut Partial) -> Result<Step, SourceError> {
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(SourceError::Unexpected(Unexpected::new(format!(
                        "cannot read the import file: {e}"
                    ))));
                }
            };
            if buf.is_empty() {
                return Ok(Step::End);
            }
            let mut used = 0;
            let mut ended = false;
            let mut too_long = false;
            for &b in buf {
                used += 1;
                let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
                if b == b'\n' && after_cr && p.state == State::FieldStart && p.bytes == 0 {
                    // The LF of a CRLF that ended the previous record.
                    continue;
                }
                if b == b'\r' || (b == b'\n' && !after_cr) {
                    self.line += 1;
                }
                p.bytes += 1;
                if p.bytes > MAX_RECORD_BYTES {
                    too_long = true;
                    break;
                }
                if step(p, b, self.line, self.encoding_name) {
                    ended = true;
                    break;
                }
            }
            self.input.consume(used);
            if ended {
                return Ok(Step::Record);
            }
            if too_long {
                return Err(SourceError::Malformed(RowError::new(
                    p.quote_line,
                    "",
                    "csv_record_too_long",
                    format!(
                        "a record longer than {} KiB; is a quote left open?",
                        MAX_RECORD_BYTES / 1024
                    ),
                )));
            }
        }
    }
}

/// Closes the field being read into a cell.
fn end_field(p: &mut Partial, encoding_name: &str) {
    let bytes = std::mem::take(&mut p.field);
    let index = p.cells.len();
    if index >= MAX_CELLS {
        p.error.get_or_insert((
            index,
            "csv_too_many_cells",
            format!("more than {MAX_CELLS} cells in one record"),
        ));
        return;
    }
    match String::from_utf8(bytes) {
        Ok(text) => p.cells.push(text),
        Err(_) => {
            p.error.get_or_insert((
                index,
                "csv_invalid_encoding",
                format!(
                    "cell {} holds bytes that are not valid {} text",
                    index + 1,
                    encoding_name
                ),
            ));
            p.cells.push(String::new());
        }
    }
}

/// One byte of a record; `true` when it ends the record.
fn step(p: &mut Partial, b: u8, line: u64, encoding_name: &str) -> bool {
    match (p.state, b) {
        (State::FieldStart, b'"') => {
            p.state = State::Quoted;
            p.quote_line = line;
        }
        (State::Unquoted | State::FieldStart | State::QuoteInQuoted, b',') => {
            end_field(p, encoding_name);
            p.state = State::FieldStart;
        }
        (State::Unquoted | State::FieldStart | State::QuoteInQuoted, b'\r' | b'\n') => {
            return true;
        }
        (State::Unquoted, b'"') => {
            p.error.get_or_insert((
                p.cells.len(),
                "csv_stray_quote",
                "a quote inside an unquoted cell: quote the whole cell and double the quote"
                    .to_owned(),
            ));
            p.field.push(b);
        }
        (State::Quoted, b'"') => p.state = State::QuoteInQuoted,
        (State::QuoteInQuoted, b'"') => {
            p.field.push(b'"');
            p.state = State::Quoted;
        }
        (State::QuoteInQuoted, _) => {
            p.error.get_or_insert((
                p.cells.len(),
                "csv_stray_quote",
                "text after the closing quote of a quoted cell".to_owned(),
            ));
            p.field.push(b);
            p.state = State::Unquoted;
        }
        (State::FieldStart, _) => {
            p.field.push(b);
            p.state = State::Unquoted;
        }
        (State::Unquoted | State::Quoted, _) => p.field.push(b),
    }
    false
}
