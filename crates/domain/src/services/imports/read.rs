//! Reading the decoded records in chunks (C1, C4, C6): the header, then each row through the
//! [`FileValidator`] (cell syntax, required cells, duplicate login IDs in the file). Only the
//! current chunk is held; across the file only the login IDs seen and one bit per row.

use crate::csv::{FileValidator, HEADER_LINE, HeaderMap, RowContext, RowError, UserRow};
use crate::error::{FieldError, Unexpected};
use crate::ports::imports::{ImportSource, SourceError};
use crate::user::expiry::parse_expiry;
use crate::user::fields::{AttributeMode, FieldDefinition, validate_attributes};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A row after the first stage.
#[derive(Debug)]
pub(super) enum Pending {
    /// Parsed; the store checks come next. Boxed: a row is large next to the other cases.
    Parsed(Box<UserRow>),
    /// Refused already, with every problem found.
    Invalid(Vec<RowError>),
    /// Not looked at again (the write pass skips rows the validation pass refused).
    Skipped,
}

/// One chunk of rows, in file order.
#[derive(Debug)]
pub(super) struct Chunk {
    /// The rows.
    pub rows: Vec<Pending>,
    /// Set when the rest of the file cannot be read: the import writes nothing.
    pub malformed: Option<RowError>,
    /// No rows after these.
    pub last: bool,
}

/// The records of one pass, after the header.
pub(super) struct Reader<'s> {
    source: &'s mut dyn ImportSource,
    header: HeaderMap,
    file: FileValidator,
}

/// The file-level problems that stop an import before any row: a bad or missing header.
pub(super) type HeaderProblems = Vec<RowError>;

impl<'s> Reader<'s> {
    /// Reads and checks the header (C1). `Ok(Err(..))` when it is refused.
    pub fn open(
        source: &'s mut dyn ImportSource,
        field_keys: &[String],
    ) -> Result<Result<Self, HeaderProblems>, Unexpected> {
        let header = match source.next_record() {
            None => {
                return Ok(Err(vec![RowError::new(
                    HEADER_LINE,
                    "",
                    "file_empty",
                    "the file is empty: the first line must name the columns",
                )]));
            }
            Some(Err(SourceError::Unexpected(u))) => return Err(u),
            Some(Err(SourceError::Record(e) | SourceError::Malformed(e))) => {
                return Ok(Err(vec![e]));
            }
            Some(Ok(record)) => HeaderMap::parse(&record.cells, field_keys),
        };
        Ok(header.map(|header| Self {
            source,
            header,
            file: FileValidator::new(),
        }))
    }

    /// Up to `size` rows, each parsed and checked against the rows before it. Rows whose
    /// `keep` answer is `false` (by position in the file, from 0) are fed to the duplicate
    /// check only, and come back [`Pending::Skipped`].
    pub fn next_chunk(
        &mut self,
        size: usize,
        ctx: &RowContext<'_>,
        first_index: u64,
        keep: &dyn Fn(u64) -> bool,
    ) -> Result<Chunk, Unexpected> {
        let mut rows = Vec::with_capacity(size);
        while rows.len() < size {
            let index = first_index + rows.len() as u64;
            let record = match self.source.next_record() {
                None => {
                    return Ok(Chunk {
                        rows,
                        malformed: None,
                        last: true,
                    });
                }
                Some(Err(SourceError::Unexpected(u))) => return Err(u),
                Some(Err(SourceError::Malformed(e))) => {
                    return Ok(Chunk {
                        rows,
                        malformed: Some(e),
                        last: true,
                    });
                }
                Some(Err(SourceError::Record(e))) => {
                    rows.push(if keep(index) {
                        Pending::Invalid(vec![e])
                    } else {
                        Pending::Skipped
                    });
                    continue;
                }
                Some(Ok(record)) => record,
            };
            let fed = self
                .file
                .feed(record.line, &self.header, &record.cells, ctx);
            rows.push(match (fed, keep(index)) {
                (_, false) => Pending::Skipped,
                (Ok(row), true) => Pending::Parsed(Box::new(row)),
                (Err(errors), true) => Pending::Invalid(errors),
            });
        }
        Ok(Chunk {
            rows,
            malformed: None,
            last: false,
        })
    }
}

/// The expiry syntax (U6), as row validation wants it.
pub(super) fn expiry_cell(raw: &str) -> Result<DateTime<Utc>, FieldError> {
    parse_expiry(raw).map_err(|e| FieldError::of("expires_at", &e))
}

/// One custom field value checked against its definition (U8), normalised. The cell is
/// never blank here (a blank cell keeps the field), so it is checked as a change.
pub(super) fn attribute_cell(
    fields: &[FieldDefinition],
    key: &str,
    value: &str,
) -> Result<String, FieldError> {
    let one = BTreeMap::from([(key.to_owned(), value.to_owned())]);
    match validate_attributes(fields, &one, AttributeMode::Update) {
        Ok(mut normalised) => Ok(normalised.remove(key).unwrap_or_default()),
        Err(mut problems) => Err(problems.pop().unwrap_or(FieldError {
            field: key.to_owned(),
            code: "field_invalid",
            message: "the value is not valid".into(),
        })),
    }
}

/// One bit per data row: whether the validation pass accepted it, so the write pass writes
/// exactly those and can tell a row that changed in between (C6: 1 bit per row, not the rows).
#[derive(Debug, Default, Clone)]
pub(super) struct RowMask {
    bits: Vec<u64>,
    len: u64,
}

impl RowMask {
    /// Appends the next row's bit.
    pub fn push(&mut self, accepted: bool) {
        let (word, bit) = ((self.len / 64) as usize, self.len % 64);
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if accepted && let Some(w) = self.bits.get_mut(word) {
            *w |= 1 << bit;
        }
        self.len += 1;
    }

    /// How many rows it holds.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether row `index` was accepted (rows past the end were not).
    pub fn get(&self, index: u64) -> bool {
        let (word, bit) = ((index / 64) as usize, index % 64);
        index < self.len && self.bits.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn c6_row_mask_remembers_every_bit(bits in proptest::collection::vec(any::<bool>(), 0..300)) {
            let mut mask = RowMask::default();
            for b in &bits {
                mask.push(*b);
            }
            for (i, b) in bits.iter().enumerate() {
                prop_assert_eq!(mask.get(i as u64), *b);
            }
            prop_assert!(!mask.get(bits.len() as u64));
        }
    }
}
