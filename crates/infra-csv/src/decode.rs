//! Turning a file's bytes into UTF-8 bytes as they are read (C2), so the record parser only
//! ever sees UTF-8: a leading BOM is skipped, and Shift_JIS is transcoded. A byte sequence
//! that is not valid in the encoding becomes the byte `0xFF`, which is never valid UTF-8, so
//! the parser reports the very cell it lands in instead of importing a replacement character.

use encoding_rs::{DecoderResult, SHIFT_JIS};
use std::io::{self, Read};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const CHUNK: usize = 64 * 1024;

/// The byte written where the input was not valid in its encoding.
pub(crate) const INVALID: u8 = 0xFF;

enum Mode {
    Utf8,
    ShiftJis {
        decoder: encoding_rs::Decoder,
        /// An `INVALID` byte that did not fit in the last read.
        pending_invalid: bool,
        /// The decoder was told the input ended: it must not be called again.
        finished: bool,
    },
}

/// A reader of UTF-8 bytes over a file in `Utf8` or `ShiftJis`.
pub(crate) struct DecodingReader<R> {
    inner: R,
    mode: Mode,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    started: bool,
}

impl<R: Read> DecodingReader<R> {
    /// UTF-8 input (any leading BOM skipped).
    pub fn utf8(inner: R) -> Self {
        Self::with(inner, Mode::Utf8)
    }

    /// Shift_JIS (CP932) input.
    pub fn shift_jis(inner: R) -> Self {
        let decoder = SHIFT_JIS.new_decoder_without_bom_handling();
        Self::with(
            inner,
            Mode::ShiftJis {
                decoder,
                pending_invalid: false,
                finished: false,
            },
        )
    }

    fn with(inner: R, mode: Mode) -> Self {
        Self {
            inner,
            mode,
            buf: vec![0; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            started: false,
        }
    }

    /// Reads more input once the buffer is used up; keeps what is left otherwise.
    fn refill(&mut self) -> io::Result<()> {
        if self.pos < self.len {
            self.buf.copy_within(self.pos..self.len, 0);
        }
        self.len -= self.pos;
        self.pos = 0;
        while !self.eof && self.len < self.buf.len() {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.len += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Skips a UTF-8 BOM at the very start.
    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        while self.len < UTF8_BOM.len() && !self.eof {
            self.refill()?;
        }
        if matches!(self.mode, Mode::Utf8) && self.buf[..self.len].starts_with(UTF8_BOM) {
            self.pos = UTF8_BOM.len();
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if !self.started {
            self.start()?;
        }
        loop {
            if self.pos == self.len && !self.eof {
                self.refill()?;
            }
            let input = &self.buf[self.pos..self.len];
            match &mut self.mode {
                Mode::Utf8 => {
                    let n = input.len().min(out.len());
                    out[..n].copy_from_slice(&input[..n]);
                    self.pos += n;
                    return Ok(n);
                }
                Mode::ShiftJis {
                    decoder,
                    pending_invalid,
                    finished,
                } => {
                    if *pending_invalid {
                        *pending_invalid = false;
                        out[0] = INVALID;
                        return Ok(1);
                    }
                    if *finished {
                        return Ok(0);
                    }
                    let last = self.eof;
                    let (result, read, written) =
                        decoder.decode_to_utf8_without_replacement(input, out, last);
                    self.pos += read;
                    match result {
                        DecoderResult::InputEmpty => {
                            if last {
                                *finished = true;
                            }
                            if written > 0 || last {
                                return Ok(written);
                            }
                        }
                        DecoderResult::OutputFull => {
                            if written > 0 {
                                return Ok(written);
                            }
                            return Err(io::Error::other("read buffer too small to decode into"));
                        }
                        DecoderResult::Malformed(_, _) => {
                            if let Some(slot) = out.get_mut(written) {
                                *slot = INVALID;
                                return Ok(written + 1);
                            }
                            *pending_invalid = true;
                            return Ok(written);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(mut r: impl Read) -> Vec<u8> {
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn c2_utf8_bom_is_skipped_once() {
        let bytes = b"\xEF\xBB\xBFa,b\r\n\xEF\xBB\xBF".to_vec();
        let out = read_all(DecodingReader::utf8(&bytes[..]));
        assert_eq!(out, b"a,b\r\n\xEF\xBB\xBF");
        assert_eq!(read_all(DecodingReader::utf8(&b"ab"[..])), b"ab");
        assert_eq!(read_all(DecodingReader::utf8(&b""[..])), b"");
    }

    #[test]
    fn c2_shift_jis_is_transcoded_and_bad_bytes_marked() {
        let (sjis, _, unmappable) = SHIFT_JIS.encode("山田,①髙\r\n");
        assert!(!unmappable);
        let out = read_all(DecodingReader::shift_jis(&sjis[..]));
        assert_eq!(String::from_utf8(out).unwrap(), "山田,①髙\r\n");
        // 0x82 lead byte followed by a comma: malformed, and the comma survives.
        let out = read_all(DecodingReader::shift_jis(&b"a\x82,b\x81"[..]));
        assert_eq!(out, b"a\xFF,b\xFF");
    }

    #[test]
    fn c2_tiny_reads_still_decode() {
        let (sjis, _, _) = SHIFT_JIS.encode("日本語テキスト");
        let mut r = DecodingReader::shift_jis(&sjis[..]);
        let mut out = Vec::new();
        let mut small = [0u8; 4];
        loop {
            let n = r.read(&mut small).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&small[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "日本語テキスト");
    }
}
