//! Checks across rows (C4, C6): duplicate login IDs inside one file. Fed one row at a time,
//! it keeps only the case-folded login IDs seen and the first line of each — never the
//! rows — so a streaming import's memory grows with the number of distinct IDs only.

use super::cell::{Cell, decode_cell};
use super::error::RowError;
use super::header::{Column, HeaderMap};
use super::row::{RowContext, UserRow};
use super::validate::validate_row;
use crate::user::LoginId;
use std::collections::HashMap;

/// Validates a file's rows one by one, remembering the login IDs seen.
#[derive(Debug, Default)]
pub struct FileValidator {
    first_line: HashMap<String, u64>,
}

impl FileValidator {
    /// A validator that has seen no row.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates one data row ([`validate_row`]) and checks its login ID was not in an
    /// earlier row. A row with other errors still claims its login ID, so a later row that
    /// repeats it is reported too.
    pub fn feed(
        &mut self,
        line: u64,
        header: &HeaderMap,
        cells: &[String],
        ctx: &RowContext<'_>,
    ) -> Result<UserRow, Vec<RowError>> {
        match validate_row(line, header, cells, ctx) {
            Ok(row) => match self.observe(line, &row.login_id) {
                Ok(()) => Ok(row),
                Err(duplicate) => Err(vec![duplicate]),
            },
            Err(mut errors) => {
                let login_id = cells
                    .get(header.login_id_index())
                    .filter(|_| cells.len() == header.len())
                    .and_then(|raw| match decode_cell(raw) {
                        Cell::Value(v) => LoginId::parse(v).ok(),
                        Cell::Empty | Cell::Clear => None,
                    });
                if let Some(Err(duplicate)) = login_id.map(|id| self.observe(line, &id)) {
                    errors.insert(0, duplicate);
                }
                Err(errors)
            }
        }
    }

    /// Records that `login_id` appears on `line`; an error when an earlier line had it.
    pub fn observe(&mut self, line: u64, login_id: &LoginId) -> Result<(), RowError> {
        match self.first_line.get(login_id.key()) {
            Some(&first) => Err(RowError::new(
                line,
                Column::LoginId.name(),
                "login_id_duplicate",
                format!("duplicate login ID, first seen on line {first}"),
            )),
            None => {
                self.first_line.insert(login_id.key().to_owned(), line);
                Ok(())
            }
        }
    }

    /// How many distinct login IDs were seen.
    pub fn distinct_login_ids(&self) -> usize {
        self.first_line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::testing::{ctx, strings};

    fn header() -> HeaderMap {
        HeaderMap::parse(&strings(&["login_id", "email"]), &[]).unwrap()
    }

    #[test]
    fn c4_duplicate_login_ids_name_the_first_line() {
        let mut v = FileValidator::new();
        let h = header();
        assert!(v.feed(2, &h, &strings(&["Taro", ""]), &ctx()).is_ok());
        assert!(v.feed(3, &h, &strings(&["hanako", ""]), &ctx()).is_ok());
        let errors = v
            .feed(7, &h, &strings(&[" TARO ", ""]), &ctx())
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(
            (e.line, e.column.as_str(), e.code),
            (7, "login_id", "login_id_duplicate")
        );
        assert_eq!(e.message, "duplicate login ID, first seen on line 2");
        assert_eq!(v.distinct_login_ids(), 2);
    }

    #[test]
    fn c4_invalid_rows_still_claim_and_report_their_login_id() {
        let mut v = FileValidator::new();
        let h = header();
        let first = v
            .feed(2, &h, &strings(&["taro", "bad"]), &ctx())
            .unwrap_err();
        assert_eq!(first.len(), 1, "just the email error");
        let second = v
            .feed(4, &h, &strings(&["taro", "bad"]), &ctx())
            .unwrap_err();
        let found: Vec<_> = second.iter().map(|e| e.code).collect();
        assert_eq!(found, ["login_id_duplicate", "invalid_email"]);
        assert!(second[0].message.ends_with("line 2"));
        // A row of the wrong shape claims nothing: its columns cannot be trusted.
        assert!(v.feed(5, &h, &strings(&["jiro"]), &ctx()).is_err());
        assert!(v.feed(6, &h, &strings(&["jiro", ""]), &ctx()).is_ok());
    }
}
