//! The CSV codec of imports and exports (C1, C2, C6, C7): bytes in, decoded records out, and
//! back. Every rule about what a cell means is the domain's (`roster_domain::csv`); this
//! crate only knows files.
//!
//! - [`Encoding`]: UTF-8 (a BOM is skipped on import and written on request on export) and
//!   Shift_JIS (CP932, what Excel writes in Japan); [`detect_encoding`] picks one for an
//!   upload that does not say.
//! - [`RecordReader`]: RFC 4180 records — quoted fields with commas, quotes and line breaks,
//!   CRLF, LF or CR — each with the line it starts on (the header is line 1), a bounded
//!   record size, and per-record errors that name the line and column.
//! - [`CsvSource`]: the domain's `ImportSource` over a spooled file, read twice (validation
//!   pass, write pass) without holding the file in memory.
//! - [`CsvWriter`]: export records, RFC 4180 quoted, CRLF, in the chosen encoding, with no
//!   cell starting with a spreadsheet formula trigger (OWASP, ASVS 5.0 1.2.10).

mod decode;
mod detect;
mod encoding;
mod parse;
mod source;
mod write;

#[cfg(test)]
mod tests;

pub use detect::detect_encoding;
pub use encoding::{Encoding, UnknownEncoding};
pub use parse::{MAX_CELLS, MAX_RECORD_BYTES, RecordReader};
pub use source::CsvSource;
pub use write::CsvWriter;
