//! User integration (I): merging an invalid source account into a valid target account.
//! Learning records and their keys (L1), the pure planner and its plan (I1–I4, I11), cancel
//! (I6), the integration's state machine (I6–I9), refusals (I1, I7, I10) and bulk outcomes (I12).

pub mod bulk;
pub mod cancel;
pub mod details;
pub mod keys;
pub mod order;
pub mod plan;
pub mod planner;
pub mod points;
mod quiz;
pub mod records;
pub mod refusal;
pub mod state;
pub mod store;
mod stored;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod roundtrip_tests;

pub use bulk::{BulkCancelOutcome, BulkOutcome, BulkPairOutcome};
pub use cancel::{CancelPlan, CancelSummary, plan_cancel};
pub use details::{IntegratedBadge, IntegrationDetails};
pub use keys::{BadgeKey, CertificateKey, MaterialId, RecordKeyError};
pub use order::{CancelBlocked, check_cancel_order};
pub use plan::{
    BadgeConflict, Conflicts, FieldChange, IntegrationCounts, IntegrationPlan, IntegrationPreview,
    QuizConflict, QuizRule, Side, SupersededAttempt, UndoRecord,
};
pub use planner::plan_integration;
pub use points::{ScoreValue, ScoreValueError};
pub use records::{
    AccessLogEntry, BadgeAward, Certificate, QuizMode, RecordWordError, RecordsVersion, Row, Score,
    ScoreStatus, UserRecords,
};
pub use refusal::{
    IntegrationActive, IntegrationError, IntegrationFacts, check_integration,
    check_source_reactivation,
};
pub use state::{
    Integration, IntegrationEvent, IntegrationState, IntegrationStateError, Transition,
};
pub use store::{RecordChanges, RecordKind, RecordSet, RowChange, StaleRecords};
pub use stored::CorruptPlan;
