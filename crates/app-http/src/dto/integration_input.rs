//! Integration requests and per-item results (I6, I11, I12): a pair of users, a list of ids
//! to cancel, and the CSV of login-ID pairs with the status of each.

use crate::problem::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::error::FieldError;
use roster_domain::integration::{BulkCancelOutcome, BulkOutcome, BulkPairOutcome, CancelSummary};
use roster_domain::services::integrations::{BulkPair, parse_pairs};
use uuid::Uuid;

/// The two accounts of an integration: `source` (invalid) into `target` (valid).
#[derive(Debug, Object)]
pub struct PairBody {
    /// The account that is merged away (must be `invalid`).
    pub source_user_id: Uuid,
    /// The account that keeps everything (must be `valid`).
    pub target_user_id: Uuid,
}

/// Integrations to cancel.
#[derive(Debug, Object)]
pub struct CancelBody {
    /// Their ids (at most 1,000; repeats count once).
    pub ids: Vec<Uuid>,
}

/// How one item of a bulk request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ItemStatus {
    /// It was done.
    Done,
    /// It was refused or failed; nothing of it was written.
    Failed,
}

/// I12: one pair of the file and its outcome.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct PairResultView {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// The source login ID as written.
    pub source_login_id: String,
    /// The target login ID as written.
    pub target_login_id: String,
    /// done or failed.
    pub status: ItemStatus,
    /// The integration made, when done.
    #[oai(nullable)]
    pub integration_id: Option<Uuid>,
    /// Why not, when failed: the stable code (`not_found`, `integration_source_not_invalid`…).
    #[oai(nullable)]
    pub code: Option<String>,
    /// Why not, for a person.
    #[oai(nullable)]
    pub message: Option<String>,
}

impl From<BulkPairOutcome> for PairResultView {
    fn from(p: BulkPairOutcome) -> Self {
        let (status, integration_id, code, message) = match p.outcome {
            BulkOutcome::Done { result } => (ItemStatus::Done, Some(result.as_uuid()), None, None),
            BulkOutcome::Failed { code, message } => {
                (ItemStatus::Failed, None, Some(code), Some(message))
            }
        };
        Self {
            line: p.line,
            source_login_id: p.source_login_id,
            target_login_id: p.target_login_id,
            status,
            integration_id,
            code,
            message,
        }
    }
}

/// I12: the outcome of every pair, in file order.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct BulkResultView {
    /// One entry per pair.
    pub items: Vec<PairResultView>,
    /// How many were integrated.
    pub done: u32,
    /// How many were refused.
    pub failed: u32,
}

impl From<Vec<BulkPairOutcome>> for BulkResultView {
    fn from(outcomes: Vec<BulkPairOutcome>) -> Self {
        let items: Vec<PairResultView> = outcomes.into_iter().map(Into::into).collect();
        let done = items
            .iter()
            .filter(|i| i.status == ItemStatus::Done)
            .count();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            done: count(done),
            failed: count(items.len() - done),
            items,
        }
    }
}

/// What a cancel moved back.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct CancelSummaryView {
    /// Scores back with the source.
    pub scores_returned: u32,
    /// Badge awards back with the source.
    pub badges_returned: u32,
    /// Access-log entries back with the source.
    pub access_log_returned: u32,
    /// Target rows given back their own values (badge dates, superseded flags).
    pub target_rows_restored: u32,
    /// Rows re-created from their snapshot.
    pub rows_recreated: u32,
}

impl From<CancelSummary> for CancelSummaryView {
    fn from(s: CancelSummary) -> Self {
        Self {
            scores_returned: s.scores_returned,
            badges_returned: s.badges_returned,
            access_log_returned: s.access_log_returned,
            target_rows_restored: s.target_rows_restored,
            rows_recreated: s.rows_recreated,
        }
    }
}

/// I6: one id of a cancel request and its outcome.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct CancelResultView {
    /// The integration.
    pub id: Uuid,
    /// done or failed.
    pub status: ItemStatus,
    /// What moved back, when done.
    #[oai(nullable)]
    pub summary: Option<CancelSummaryView>,
    /// Why not, when failed (`not_found`, `integration_frozen`,
    /// `integration_already_cancelled`, `integration_cancel_later_first`…).
    #[oai(nullable)]
    pub code: Option<String>,
    /// Why not, for a person.
    #[oai(nullable)]
    pub message: Option<String>,
}

impl From<BulkCancelOutcome> for CancelResultView {
    fn from(c: BulkCancelOutcome) -> Self {
        let (status, summary, code, message) = match c.outcome {
            BulkOutcome::Done { result } => (ItemStatus::Done, Some(result.into()), None, None),
            BulkOutcome::Failed { code, message } => {
                (ItemStatus::Failed, None, Some(code), Some(message))
            }
        };
        Self {
            id: c.id.as_uuid(),
            status,
            summary,
            code,
            message,
        }
    }
}

/// I6: the outcome of every id, newest integration first, unknown ids last.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct CancelResultsView {
    /// One entry per distinct id.
    pub items: Vec<CancelResultView>,
}

/// I5: a `from`/`to` bound: an RFC 3339 date-time, or a date (UTC) — `from` then starts at
/// that day's first instant and `to` ends after its last. 422 when neither.
pub fn parse_bound(field: &str, raw: &str, end_of_day: bool) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    let day = day.and_then(|d| if end_of_day { d.succ_opt() } else { Some(d) });
    match day.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        Some(start) => Ok(start.and_utc()),
        None => Err(ApiError::invalid(vec![FieldError {
            field: field.to_owned(),
            code: "invalid_date",
            message: "expected an ISO 8601 date (2026-04-01) or date-time".to_owned(),
        }])),
    }
}

/// I12: the pairs of a CSV file — UTF-8 (with or without BOM) or Shift_JIS, as Excel
/// writes it — or 422 naming every line and column that is wrong.
pub fn pairs_of_csv(bytes: &[u8]) -> Result<Vec<BulkPair>, ApiError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(&text, p.byte()));
            row_problem(line, &e)
        })?;
        let line = record.position().map_or(0, |p| line_at(&text, p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        match header {
            None => header = Some(cells),
            Some(_) => rows.push((line, cells)),
        }
    }
    let Some(header) = header else {
        return Err(ApiError::invalid(vec![FieldError {
            field: "body".to_owned(),
            code: "csv_empty",
            message: "the file is empty: expected the header source_login_id,target_login_id"
                .to_owned(),
        }]));
    };
    parse_pairs(&header, rows).map_err(|errors| {
        ApiError::invalid(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: located(e.line, &e.column),
                    code: e.code,
                    message: e.message,
                })
                .collect(),
        )
    })
}

fn decode(bytes: &[u8]) -> Result<String, ApiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let decoded = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes);
    decoded.map(|t| t.into_owned()).ok_or_else(|| {
        ApiError::invalid(vec![FieldError {
            field: "body".to_owned(),
            code: "csv_encoding",
            message: "the file is neither UTF-8 nor Shift_JIS".to_owned(),
        }])
    })
}

/// The line a record starts on, as a spreadsheet counts (the first is 1). The csv crate
/// reports a record's position before the line break that precedes it, so the breaks (and
/// blank lines) there are skipped first.
fn line_at(text: &str, byte: u64) -> u64 {
    let start = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    let skipped = text.as_bytes()[start..]
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    let before = &text.as_bytes()[..start + skipped];
    1 + before.iter().filter(|b| **b == b'\n').count() as u64
}

fn row_problem(line: u64, error: &csv::Error) -> ApiError {
    ApiError::invalid(vec![FieldError {
        field: located(line, ""),
        code: "csv_malformed",
        message: error.to_string(),
    }])
}

/// `line 3` or `line 3, source_login_id`: where a problem is, as a spreadsheet counts.
fn located(line: u64, column: &str) -> String {
    if column.is_empty() {
        format!("line {line}")
    } else {
        format!("line {line}, {column}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i12_pairs_carry_the_spreadsheet_line() {
        let csv = "\u{feff}source_login_id,target_login_id\r\na,b\r\n\r\n\"c\nd\",e\r\nf,g\n";
        let pairs = pairs_of_csv(csv.as_bytes()).unwrap();
        let lines: Vec<u64> = pairs.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 6]);
        assert_eq!(pairs[1].source_login_id, "c\nd");
    }
}
