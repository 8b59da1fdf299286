//! The codec end to end: bytes → records, records → bytes → records, and no panic on any
//! input (C1, C2, C4, C7).

use super::decode::DecodingReader;
use super::*;
use encoding_rs::SHIFT_JIS;
use proptest::prelude::*;
use roster_domain::csv::encode_cell;
use roster_domain::ports::imports::{ImportSource, SourceError, SourceRecord};
use std::io::{BufReader, Write};

/// Every record of UTF-8 `bytes`.
fn read(bytes: &[u8]) -> Vec<Result<SourceRecord, SourceError>> {
    let mut r = RecordReader::new(BufReader::new(DecodingReader::utf8(bytes)), "UTF-8");
    std::iter::from_fn(|| r.next_record()).collect()
}

fn ok(bytes: &[u8]) -> Vec<(u64, Vec<String>)> {
    read(bytes)
        .into_iter()
        .map(|r| {
            let r = r.unwrap();
            (r.line, r.cells)
        })
        .collect()
}

fn cells(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn c2_quoted_fields_hold_commas_quotes_and_line_breaks() {
    let text =
        "login_id,name\r\ntaro,\"Yamada, \"\"Taro\"\"\"\r\nhanako,\"two\nlines\"\r\njiro,x\r\n";
    assert_eq!(
        ok(text.as_bytes()),
        [
            (1, cells(&["login_id", "name"])),
            (2, cells(&["taro", "Yamada, \"Taro\""])),
            (3, cells(&["hanako", "two\nlines"])),
            (5, cells(&["jiro", "x"])),
        ]
    );
}

#[test]
fn c2_lf_cr_and_crlf_all_end_records_and_count_lines() {
    assert_eq!(
        ok(b"a,b\nc,d\re,f\r\ng,h"),
        [
            (1, cells(&["a", "b"])),
            (2, cells(&["c", "d"])),
            (3, cells(&["e", "f"])),
            (4, cells(&["g", "h"])),
        ]
    );
}

#[test]
fn c4_blank_lines_and_empty_rows_are_skipped_but_counted() {
    assert_eq!(
        ok(b"a,b\r\n\r\n,\r\nc,\r\n\n"),
        [(1, cells(&["a", "b"])), (4, cells(&["c", ""]))]
    );
    assert!(read(b"").is_empty());
    assert!(read(b"\r\n\n").is_empty());
}

#[test]
fn c4_a_stray_quote_refuses_that_record_only_naming_line_and_column() {
    let records = read(b"login_id,name\ntaro,Ya\"mada\njiro,\"x\"y\nsaburo,ok\n");
    let errors: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Err(SourceError::Record(e)) => Some((e.line, e.column.clone(), e.code)),
            _ => None,
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "name".to_owned(), "csv_stray_quote"),
            (3, "name".to_owned(), "csv_stray_quote"),
        ]
    );
    assert!(matches!(&records[3], Ok(r) if r.line == 4 && r.cells == cells(&["saburo", "ok"])));
}

#[test]
fn c4_an_unclosed_quote_stops_the_file_where_it_opened() {
    let records = read(b"login_id,name\ntaro,ok\njiro,\"never\nclosed,x\n");
    assert_eq!(records.len(), 3);
    match &records[2] {
        Err(SourceError::Malformed(e)) => {
            assert_eq!((e.line, e.code), (3, "csv_unclosed_quote"));
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn c4_a_runaway_record_stops_the_file_with_bounded_memory() {
    let mut bytes = b"login_id\n\"".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
    bytes.extend_from_slice(b"\"\n");
    let records = read(&bytes);
    assert_eq!(records.len(), 2);
    assert!(matches!(
        records.last(),
        Some(Err(SourceError::Malformed(e))) if e.code == "csv_record_too_long" && e.line == 2
    ));
}

#[test]
fn c2_invalid_utf8_names_the_cell() {
    let records = read(b"login_id,name\ntaro,\xFF\xFE\nhanako,ok\n");
    match &records[1] {
        Err(SourceError::Record(e)) => {
            assert_eq!(
                (e.line, e.column.as_str(), e.code),
                (2, "name", "csv_invalid_encoding")
            );
        }
        other => panic!("expected a record error, got {other:?}"),
    }
    assert!(records[2].is_ok());
}

fn spool(bytes: &[u8]) -> std::fs::File {
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(bytes).unwrap();
    file
}

fn drain(source: &mut CsvSource) -> Vec<(u64, Vec<String>)> {
    std::iter::from_fn(|| source.next_record())
        .map(|r| {
            let r = r.unwrap();
            (r.line, r.cells)
        })
        .collect()
}

#[test]
fn c2_c6_shift_jis_and_bom_files_read_alike_and_rewind() {
    let text = "login_id,name,groups\r\ntaro,山田 太郎,1年A組;髙橋ゼミ\r\n";
    let expected = [
        (1, cells(&["login_id", "name", "groups"])),
        (2, cells(&["taro", "山田 太郎", "1年A組;髙橋ゼミ"])),
    ];
    let (sjis, _, _) = SHIFT_JIS.encode(text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    for (bytes, encoding) in [(sjis.to_vec(), Encoding::ShiftJis), (bom, Encoding::Utf8)] {
        let mut source = CsvSource::detect(spool(&bytes)).unwrap();
        assert_eq!(source.encoding(), encoding);
        assert_eq!(drain(&mut source), expected);
        source.rewind().unwrap();
        assert_eq!(
            drain(&mut source),
            expected,
            "the second pass reads the same"
        );
    }
}

#[test]
fn c7_writer_quotes_neutralises_and_ends_lines_with_crlf() {
    let mut w = CsvWriter::new(Encoding::Utf8Bom);
    let mut out = Vec::new();
    w.record(&["login_id", "name"], &mut out);
    w.record(&["=cmd", "a,b \"c\"\nd"], &mut out);
    w.record(&["'=already", "-1"], &mut out);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{FEFF}login_id,name\r\n'=cmd,\"a,b \"\"c\"\"\nd\"\r\n'=already,'-1\r\n"
    );
}

#[test]
fn c7_shift_jis_export_encodes_and_counts_what_it_cannot() {
    let mut w = CsvWriter::new(Encoding::ShiftJis);
    let mut out = Vec::new();
    w.record(&["山田", "😀"], &mut out);
    let (text, _, errors) = SHIFT_JIS.decode(&out);
    assert!(!errors);
    assert_eq!(text, "山田,?\r\n");
    assert_eq!(w.unmappable(), 1);
}

/// Values an export may hold: Japanese text, separators, quotes, line breaks, formulas.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9山田太郎髙橋ア ,\"\n\r=+@\\-'\t;]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// C7: the cells the domain exports (neutralised by `encode_cell`), the writer writes and
    /// the reader reads back unchanged, in every encoding; the domain's own property test
    /// shows `decode_cell` then gives each value back.
    #[test]
    fn c7_write_then_read_gives_the_cells_back(
        rows in proptest::collection::vec(proptest::collection::vec(value(), 2..4), 1..6),
        encoding in prop_oneof![Just(Encoding::Utf8), Just(Encoding::Utf8Bom), Just(Encoding::ShiftJis)],
    ) {
        let width = rows[0].len();
        let sjis_safe = |c: &str| {
            let (bytes, _, unmappable) = SHIFT_JIS.encode(c);
            !unmappable && SHIFT_JIS.decode(&bytes).0 == c
        };
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|r| {
                let mut r: Vec<String> = r.iter().map(|c| encode_cell(c).into_owned()).collect();
                r.resize(width, String::new());
                r
            })
            // A BOM character only ever means "UTF-8" at the start of a file.
            .filter(|r| !r.iter().any(|c| c.contains('\u{FEFF}')))
            // Shift_JIS holds only what it can encode and decode back.
            .filter(|r| encoding != Encoding::ShiftJis || r.iter().all(|c| sjis_safe(c)))
            // Rows of empty cells are skipped on reading, as spreadsheets leave them.
            .filter(|r| !r.iter().all(String::is_empty))
            .collect();
        let mut writer = CsvWriter::new(encoding);
        let mut bytes = Vec::new();
        for row in &rows {
            writer.record(row, &mut bytes);
        }
        let mut source = CsvSource::open(spool(&bytes), encoding).unwrap();
        let back: Vec<Vec<String>> = std::iter::from_fn(|| source.next_record())
            .map(|r| r.unwrap().cells)
            .collect();
        prop_assert_eq!(back, rows);
    }

    /// No input makes the codec panic or loop: every byte string reads to an end.
    #[test]
    fn c2_any_bytes_read_to_an_end_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = detect_encoding(&bytes[..]).unwrap();
        for records in [
            {
                let mut r = RecordReader::new(BufReader::new(DecodingReader::utf8(&bytes[..])), "UTF-8");
                std::iter::from_fn(|| r.next_record()).take(10_000).count()
            },
            {
                let mut r = RecordReader::new(BufReader::new(DecodingReader::shift_jis(&bytes[..])), "Shift_JIS");
                std::iter::from_fn(|| r.next_record()).take(10_000).count()
            },
        ] {
            prop_assert!(records <= bytes.len() + 1);
        }
    }

    /// CSV-shaped noise: quotes, separators and line breaks in any order.
    #[test]
    fn c2_csv_shaped_noise_never_panics(text in "[a\",\r\n\u{FEFF}山]{0,200}") {
        let records = read(text.as_bytes());
        for record in records.iter().flatten() {
            prop_assert!(record.line >= 1);
        }
    }
}
