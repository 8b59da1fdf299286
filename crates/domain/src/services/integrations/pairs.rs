//! I12: the bulk-integration CSV, `source_login_id,target_login_id`, as decoded records (the
//! codec hands over cells with line numbers; the header is line 1).
//!
//! Columns by name, in any order, case-insensitive, trimmed; unknown, unnamed and duplicate
//! columns are refused (the same codes as the user import, C1) — a file meant for something
//! else is not half-read. A row with the wrong number of cells is refused too: the file is
//! refused as a whole when its shape is wrong, and otherwise each pair gets its own status.
//! Blank rows are skipped. Cells are un-neutralised as the user import does (C7), so login
//! IDs copied from a Roster export come back as they were.

use crate::csv::{HEADER_LINE, RowError, reverse_neutralisation};
use crate::user::login_id::fold;

/// The two columns, in export order.
pub const PAIR_COLUMNS: [&str; 2] = ["source_login_id", "target_login_id"];

/// The most pairs one file may hold: each pair reads two users and their records, so this
/// bounds the work of one request.
pub const MAX_BULK_PAIRS: usize = 1_000;

/// One pair as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPair {
    /// Its line (the header is line 1).
    pub line: u64,
    /// The source login ID, as written (un-neutralised).
    pub source_login_id: String,
    /// The target login ID, as written (un-neutralised).
    pub target_login_id: String,
}

/// Where the two columns are.
#[derive(Debug, Clone, Copy)]
struct PairHeader {
    source: usize,
    target: usize,
    width: usize,
}

/// The pairs of a decoded file. Errors: every header problem (`column_unknown`,
/// `column_unnamed`, `column_duplicate`, `column_missing`), rows with the wrong number of
/// cells (`cell_count`), and more than [`MAX_BULK_PAIRS`] pairs (`too_many_rows`), all
/// reported at once (up to the first row past the limit).
pub fn parse_pairs(
    header: &[String],
    rows: impl IntoIterator<Item = (u64, Vec<String>)>,
) -> Result<Vec<BulkPair>, Vec<RowError>> {
    let header = parse_header(header)?;
    let mut errors = Vec::new();
    let mut pairs = Vec::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() != header.width {
            let message = format!("{} cells, expected {}", cells.len(), header.width);
            errors.push(RowError::new(line, "", "cell_count", message));
            continue;
        }
        if pairs.len() == MAX_BULK_PAIRS {
            let message = format!("at most {MAX_BULK_PAIRS} pairs per file");
            errors.push(RowError::new(line, "", "too_many_rows", message));
            break;
        }
        let cell = |i: usize| reverse_neutralisation(cells[i].as_str()).to_owned();
        pairs.push(BulkPair {
            line,
            source_login_id: cell(header.source),
            target_login_id: cell(header.target),
        });
    }
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}

fn parse_header(header: &[String]) -> Result<PairHeader, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut found: [Option<usize>; 2] = [None, None];
    for (index, raw) in header.iter().enumerate() {
        // The codec strips a UTF-8 BOM; one it missed would make the first column unknown.
        let raw = if index == 0 {
            raw.trim_start_matches('\u{feff}')
        } else {
            raw.as_str()
        };
        let name = raw.trim();
        let position = index + 1;
        if name.is_empty() {
            let message = format!("column {position} has no name");
            errors.push(RowError::new(HEADER_LINE, name, "column_unnamed", message));
            continue;
        }
        let Some(which) = PAIR_COLUMNS.iter().position(|c| *c == fold(name)) else {
            let message = format!(
                "column {position} ({name}) is not one of {}",
                PAIR_COLUMNS.join(", ")
            );
            errors.push(RowError::new(HEADER_LINE, name, "column_unknown", message));
            continue;
        };
        if let Some(first) = found[which] {
            let message = format!("column {position} repeats column {}", first + 1);
            errors.push(RowError::new(
                HEADER_LINE,
                name,
                "column_duplicate",
                message,
            ));
            continue;
        }
        found[which] = Some(index);
    }
    for (column, at) in PAIR_COLUMNS.iter().zip(found) {
        if at.is_none() {
            let message = format!("the {column} column is required");
            errors.push(RowError::new(
                HEADER_LINE,
                *column,
                "column_missing",
                message,
            ));
        }
    }
    match found {
        [Some(source), Some(target)] if errors.is_empty() => Ok(PairHeader {
            source,
            target,
            width: header.len(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|s| (*s).to_owned()).collect()
    }

    fn codes(errors: &[RowError]) -> Vec<(u64, &str)> {
        errors.iter().map(|e| (e.line, e.code)).collect()
    }

    #[test]
    fn i12_columns_in_any_order_and_case_with_line_numbers() {
        let header = cells(&["\u{feff} Target_Login_ID", "SOURCE_LOGIN_ID "]);
        let rows = vec![
            (2, cells(&["hanako", "old-hanako"])),
            (3, cells(&["", " "])),
            (5, cells(&["taro", "'-taro"])),
        ];
        let pairs = parse_pairs(&header, rows).unwrap();
        assert_eq!(
            pairs,
            vec![
                BulkPair {
                    line: 2,
                    source_login_id: "old-hanako".into(),
                    target_login_id: "hanako".into()
                },
                BulkPair {
                    line: 5,
                    source_login_id: "-taro".into(),
                    target_login_id: "taro".into()
                },
            ]
        );
    }

    #[test]
    fn i12_unknown_unnamed_duplicate_and_missing_columns_are_refused() {
        let header = cells(&["source_login_id", "note", "", "Source_Login_Id"]);
        let errors = parse_pairs(&header, Vec::new()).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            got,
            vec![
                "column_unknown",
                "column_unnamed",
                "column_duplicate",
                "column_missing"
            ]
        );
        assert!(errors.iter().all(|e| e.line == HEADER_LINE));
        assert_eq!(errors[3].column, "target_login_id");
    }

    #[test]
    fn i12_rows_with_the_wrong_shape_refuse_the_file() {
        let header = cells(&["source_login_id", "target_login_id"]);
        let rows = vec![
            (2, cells(&["a", "b"])),
            (3, cells(&["a"])),
            (4, cells(&["a", "b", "c"])),
        ];
        let errors = parse_pairs(&header, rows).unwrap_err();
        assert_eq!(codes(&errors), vec![(3, "cell_count"), (4, "cell_count")]);
    }

    #[test]
    fn i12_more_pairs_than_the_limit_are_refused() {
        let header = cells(&["source_login_id", "target_login_id"]);
        let rows = (0..=MAX_BULK_PAIRS as u64).map(|i| (i + 2, cells(&["a", "b"])));
        let errors = parse_pairs(&header, rows).unwrap_err();
        let last = MAX_BULK_PAIRS as u64 + 2;
        assert_eq!(codes(&errors), vec![(last, "too_many_rows")]);
        let rows = (0..MAX_BULK_PAIRS as u64).map(|i| (i + 2, cells(&["a", "b"])));
        assert_eq!(parse_pairs(&header, rows).unwrap().len(), MAX_BULK_PAIRS);
    }
}
