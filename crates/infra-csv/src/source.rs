//! The domain's `ImportSource` over a spooled file (C2, C4, C6): records are decoded as they
//! are read, and `rewind` starts again from the first byte for the write pass. Memory holds
//! one read buffer and one record, however large the file.

use super::decode::DecodingReader;
use super::encoding::Encoding;
use super::parse::RecordReader;
use roster_domain::Unexpected;
use roster_domain::ports::imports::{ImportSource, SourceError, SourceRecord};
use std::fs::File;
use std::io::{self, BufReader, Seek, SeekFrom};

type Records = RecordReader<BufReader<DecodingReader<File>>>;

/// Decoded records of a CSV file, readable again from the start.
pub struct CsvSource {
    file: File,
    encoding: Encoding,
    records: Records,
}

impl std::fmt::Debug for CsvSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvSource")
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl CsvSource {
    /// Reads `file` from its first byte as `encoding` (`Utf8` and `Utf8Bom` read alike).
    pub fn open(file: File, encoding: Encoding) -> io::Result<Self> {
        let records = records(&file, encoding)?;
        Ok(Self {
            file,
            encoding,
            records,
        })
    }

    /// Reads `file`, in the encoding [`crate::detect_encoding`] finds.
    pub fn detect(mut file: File) -> io::Result<Self> {
        file.seek(SeekFrom::Start(0))?;
        let encoding = crate::detect_encoding(BufReader::new(&file))?;
        Self::open(file, encoding)
    }

    /// The encoding the file is read in.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

/// A fresh record reader from the file's start (a handle of its own, sharing the file).
fn records(file: &File, encoding: Encoding) -> io::Result<Records> {
    let mut handle = file.try_clone()?;
    handle.seek(SeekFrom::Start(0))?;
    let (decoded, name) = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => (DecodingReader::utf8(handle), "UTF-8"),
        Encoding::ShiftJis => (DecodingReader::shift_jis(handle), "Shift_JIS"),
    };
    Ok(RecordReader::new(
        BufReader::with_capacity(64 * 1024, decoded),
        name,
    ))
}

impl ImportSource for CsvSource {
    fn next_record(&mut self) -> Option<Result<SourceRecord, SourceError>> {
        self.records.next_record()
    }

    fn rewind(&mut self) -> Result<(), Unexpected> {
        self.records = records(&self.file, self.encoding)
            .map_err(|e| Unexpected::new(format!("cannot read the import file again: {e}")))?;
        Ok(())
    }
}
