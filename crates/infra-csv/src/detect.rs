//! Choosing the encoding of an upload that does not name one (C2): a BOM means UTF-8; text
//! that is valid UTF-8 is UTF-8; otherwise the encoding with fewer invalid sequences, UTF-8
//! on a tie. Plain ASCII is both, and reads the same either way. One streaming pass.

use super::encoding::Encoding;
use encoding_rs::{DecoderResult, SHIFT_JIS};
use std::io::{self, Read};

/// Reads `input` to the end and picks its encoding.
pub fn detect_encoding(mut input: impl Read) -> io::Result<Encoding> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut scratch = vec![0u8; 3 * buf.len() + 16];
    let mut sjis = SHIFT_JIS.new_decoder_without_bom_handling();
    let (mut utf8_errors, mut sjis_errors) = (0u64, 0u64);
    // Bytes of an incomplete UTF-8 sequence at the end of the previous read.
    let mut carry: Vec<u8> = Vec::with_capacity(4);
    let mut first = true;
    loop {
        let n = match input.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buf[..n];
        if first && chunk.starts_with(b"\xEF\xBB\xBF") {
            return Ok(Encoding::Utf8);
        }
        first = first && n == 0;
        let last = n == 0;
        // Shift_JIS: count malformed sequences.
        let mut rest = chunk;
        loop {
            let (result, read, _) =
                sjis.decode_to_utf8_without_replacement(rest, &mut scratch, last);
            rest = &rest[read..];
            match result {
                DecoderResult::Malformed(_, _) => sjis_errors += 1,
                DecoderResult::InputEmpty | DecoderResult::OutputFull if rest.is_empty() => break,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
            }
        }
        // UTF-8: count invalid sequences, carrying an incomplete one into the next read.
        carry.extend_from_slice(chunk);
        let mut text = &carry[..];
        loop {
            match std::str::from_utf8(text) {
                Ok(_) => {
                    text = &[];
                    break;
                }
                Err(e) => match e.error_len() {
                    Some(bad) => {
                        utf8_errors += 1;
                        text = &text[e.valid_up_to() + bad..];
                    }
                    None => {
                        text = &text[e.valid_up_to()..];
                        break;
                    }
                },
            }
        }
        let tail = text.to_vec();
        carry = tail;
        if last {
            if !carry.is_empty() {
                utf8_errors += 1;
            }
            break;
        }
    }
    Ok(if utf8_errors == 0 || utf8_errors <= sjis_errors {
        Encoding::Utf8
    } else {
        Encoding::ShiftJis
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c2_detects_utf8_bom_and_shift_jis() {
        assert_eq!(detect_encoding(&b""[..]).unwrap(), Encoding::Utf8);
        assert_eq!(detect_encoding(&b"login_id\n"[..]).unwrap(), Encoding::Utf8);
        let utf8 = "login_id,name\r\ntaro,山田 太郎\r\n".as_bytes();
        assert_eq!(detect_encoding(utf8).unwrap(), Encoding::Utf8);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(utf8);
        assert_eq!(detect_encoding(&bom[..]).unwrap(), Encoding::Utf8);
        let (sjis, _, _) = SHIFT_JIS.encode("login_id,name\r\ntaro,山田 太郎\r\n");
        assert_eq!(detect_encoding(&sjis[..]).unwrap(), Encoding::ShiftJis);
    }

    #[test]
    fn c2_utf8_with_a_stray_byte_stays_utf8() {
        let mut bytes = "login_id,name\ntaro,山田\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"jiro,\xFF\n");
        assert_eq!(detect_encoding(&bytes[..]).unwrap(), Encoding::Utf8);
    }

    #[test]
    fn c2_a_sequence_split_across_reads_is_valid() {
        // 64 KiB of ASCII, then a three-byte character across the read boundary.
        let mut bytes = vec![b'a'; 64 * 1024 - 1];
        bytes.extend_from_slice("山".as_bytes());
        assert_eq!(detect_encoding(&bytes[..]).unwrap(), Encoding::Utf8);
    }
}
