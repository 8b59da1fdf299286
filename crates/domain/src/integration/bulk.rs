//! Per-item results of bulk operations: integrations from CSV pairs (I12) and bulk cancel
//! (I6). Each item is atomic on its own, so each has its own outcome.

use super::cancel::CancelSummary;
use crate::error::ErrorCode;
use crate::ids::IntegrationId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The result of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BulkOutcome<T> {
    /// It worked.
    Done {
        /// What it produced.
        result: T,
    },
    /// It was refused or failed; nothing of this item was written.
    Failed {
        /// The stable error code.
        code: String,
        /// A human message.
        message: String,
    },
}

impl<T> BulkOutcome<T> {
    /// A failure from any coded error.
    pub fn failed(error: &(impl ErrorCode + fmt::Display)) -> Self {
        Self::Failed {
            code: error.code().to_owned(),
            message: error.to_string(),
        }
    }
}

/// I12: one CSV pair `(source_login_id, target_login_id)` and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPairOutcome {
    /// The CSV line (the header is line 1).
    pub line: u64,
    /// The source login ID as written.
    pub source_login_id: String,
    /// The target login ID as written.
    pub target_login_id: String,
    /// The integration made, or why not.
    pub outcome: BulkOutcome<IntegrationId>,
}

/// I6: one integration of a bulk cancel and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkCancelOutcome {
    /// The integration.
    pub id: IntegrationId,
    /// What the cancel did, or why not.
    pub outcome: BulkOutcome<CancelSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::state::IntegrationStateError;

    #[test]
    fn i12_pair_outcome_carries_code_and_message() {
        let pair = BulkPairOutcome {
            line: 3,
            source_login_id: "old".into(),
            target_login_id: "new".into(),
            outcome: BulkOutcome::failed(&IntegrationStateError::Frozen),
        };
        let json = serde_json::to_value(&pair).unwrap();
        assert_eq!(json["outcome"]["status"], "failed");
        assert_eq!(json["outcome"]["code"], "integration_frozen");
        let ok = BulkOutcome::Done {
            result: IntegrationId::from_uuid(uuid::Uuid::nil()),
        };
        let json = serde_json::to_value(&ok).unwrap();
        assert_eq!(json["status"], "done");
        assert_eq!(json["result"], "00000000-0000-0000-0000-000000000000");
    }
}
