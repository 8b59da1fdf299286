//! The integration store (I5–I10): applies an integration plan and its cancel atomically,
//! and keeps the history the integration list shows.
//!
//! Decide in the domain, apply in one call: the service plans with `plan_integration` and
//! calls `apply` once; the store settles races itself, inside its transaction, so two
//! requests integrating one source cannot both win (I10).

use crate::error::ErrorCode;
use crate::ids::{GroupId, IntegrationId, UserId};
use crate::integration::{
    CancelBlocked, CancelSummary, Integration, IntegrationDetails, IntegrationFacts,
    IntegrationPlan, IntegrationStateError,
};
use crate::ports::{Page, PageRequest};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// A row of the integration list: the integration with its counts and login-ID snapshots.
pub type IntegrationSummary = Integration;

/// Why `apply` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Another integration of this source is live — possibly one that won a race (I10).
    #[error("the source user is already integrated into another user")]
    SourceAlreadyIntegrated,
    /// The target became the source of a live integration (chains are refused, I10).
    #[error("the target user is the source of a live integration")]
    TargetIsSource,
    /// The source became the target of a live integration (chains are refused, I10).
    #[error("the source user is the target of a live integration")]
    SourceIsTarget,
    /// The users or their records changed since the plan was made; plan again.
    #[error("the users or their records changed since the preview; try again")]
    Conflict,
    /// Anything else; for the logs. Nothing was written.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl ErrorCode for ApplyError {
    fn code(&self) -> &'static str {
        match self {
            Self::SourceAlreadyIntegrated => "integration_source_already_integrated",
            Self::TargetIsSource => "integration_target_is_source",
            Self::SourceIsTarget => "integration_source_is_target",
            Self::Conflict => "integration_conflict",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why a cancel wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum CancelError {
    /// No such integration (or its history was removed with its target, I9).
    #[error("no such integration")]
    NotFound,
    /// I8: the source was deleted.
    #[error("the source user was deleted; this integration can no longer be cancelled")]
    Frozen,
    /// Cancelled already — possibly by a concurrent request that won.
    #[error("this integration is already cancelled")]
    AlreadyCancelled,
    /// A later live integration into the same target changed the same records: it must be
    /// cancelled first (`check_cancel_order`).
    #[error(
        "a later integration into the same user ({later}) changed the same records: cancel it first"
    )]
    LaterIntegrationFirst {
        /// The integration to cancel first.
        later: IntegrationId,
    },
    /// Anything else; for the logs. Nothing was written.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl From<IntegrationStateError> for CancelError {
    fn from(error: IntegrationStateError) -> Self {
        match error {
            IntegrationStateError::Frozen => Self::Frozen,
            IntegrationStateError::AlreadyCancelled => Self::AlreadyCancelled,
        }
    }
}

impl From<CancelBlocked> for CancelError {
    fn from(blocked: CancelBlocked) -> Self {
        Self::LaterIntegrationFirst {
            later: blocked.later,
        }
    }
}

impl ErrorCode for CancelError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Frozen => "integration_frozen",
            Self::AlreadyCancelled => "integration_already_cancelled",
            Self::LaterIntegrationFirst { .. } => "integration_cancel_later_first",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why a read or a bookkeeping write failed.
#[derive(Debug, thiserror::Error)]
pub enum IntegrationStoreError {
    /// The page cursor is not one this store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// Anything else; for the logs.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl ErrorCode for IntegrationStoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidCursor => "invalid_cursor",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// What a successful cancel did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    /// The integration, now cancelled.
    pub integration: Integration,
    /// What moved back.
    pub summary: CancelSummary,
}

/// I5: the list's search. Every set field narrows; all `None` lists everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegrationFilter {
    /// Integrated at or after this instant.
    pub integrated_from: Option<DateTime<Utc>>,
    /// Integrated before this instant.
    pub integrated_to: Option<DateTime<Utc>>,
    /// This source user.
    pub source_user_id: Option<UserId>,
    /// This target user.
    pub target_user_id: Option<UserId>,
    /// Source login ID (the snapshot) contains this text, ignoring case.
    pub source_login_contains: Option<String>,
    /// Target login ID (the snapshot) contains this text, ignoring case.
    pub target_login_contains: Option<String>,
    /// P4: when set, only integrations whose target is a direct member of one of these
    /// groups (the service passes its closure-expanded visibility). The target holds the
    /// integrated records, and the source may be deleted.
    pub target_in_groups: Option<BTreeSet<GroupId>>,
}

/// Stores integrations and applies them and their cancels atomically.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait IntegrationRepository: Send + Sync {
    /// Integrates, in ONE transaction, all or nothing (I10):
    /// 1. conditionally inserts `integration` (state live) — refused with
    ///    `SourceAlreadyIntegrated` when the source already is a live source (a unique index
    ///    on the live source, or a conditional insert, so of two racing calls exactly one
    ///    wins), `TargetIsSource` / `SourceIsTarget` for a chain;
    /// 2. checks the source is still `invalid` and the target still `valid`, and that both
    ///    users' records are the plan's input: while the record versions the plan was read
    ///    at (`plan.read_versions()`) are still current they are; otherwise it re-reads them
    ///    and plans again with `plan_integration`, and a plan different from `plan` means
    ///    someone changed them since the preview — `Conflict`;
    /// 3. writes `plan.changes()` (each row checked against its `before`, else `Conflict`)
    ///    and stores `plan` with the integration: it holds the undo record (`plan.undo()`)
    ///    and the details (I5).
    ///
    /// `IntegrationPlan::apply_to` is the reference for steps 2–3. Errors: as above,
    /// `Unexpected`.
    async fn apply(
        &self,
        plan: &IntegrationPlan,
        integration: &Integration,
    ) -> Result<(), ApplyError>;

    /// Cancels, in ONE transaction, all or nothing (I6, I10):
    /// 1. loads the integration (`NotFound`) and applies `Integration::handle(Cancel, at,
    ///    by)` — `Frozen`, `AlreadyCancelled` — writing the new state conditionally on it
    ///    still being live, so of two racing cancels one wins, the other gets
    ///    `AlreadyCancelled`;
    /// 2. loads the stored plan's `undo()` and those of the live integrations into the same
    ///    target made after it; `check_cancel_order` — `LaterIntegrationFirst`;
    /// 3. reads the current rows of every id the undo record names, wherever they are now,
    ///    computes `plan_cancel(&undo, &current)` and writes its `changes()`.
    ///
    /// Returns the cancelled integration and the summary. Errors: as above, `Unexpected`.
    async fn cancel(
        &self,
        id: IntegrationId,
        at: DateTime<Utc>,
        by: UserId,
    ) -> Result<CancelOutcome, CancelError>;

    /// One integration, `None` when absent. Errors: `Unexpected`.
    async fn get(&self, id: IntegrationId) -> Result<Option<Integration>, IntegrationStoreError>;

    /// I5: integrations matching `filter`, newest first. Errors: `InvalidCursor`,
    /// `Unexpected`.
    async fn list(
        &self,
        filter: &IntegrationFilter,
        page: &PageRequest,
    ) -> Result<Page<IntegrationSummary>, IntegrationStoreError>;

    /// I10: the facts `check_integration` needs about the pair, from live integrations
    /// only. Errors: `Unexpected`.
    async fn live_facts(
        &self,
        source: UserId,
        target: UserId,
    ) -> Result<IntegrationFacts, IntegrationStoreError>;

    /// I5: the integration with its integrated scores, badges and login history, built
    /// with `IntegrationDetails::from_plan` from the stored plan; `None` when absent.
    /// Errors: `Unexpected`.
    async fn details(
        &self,
        id: IntegrationId,
    ) -> Result<Option<IntegrationDetails>, IntegrationStoreError>;

    /// I8: the source user is being deleted: applies `SourceDeleted` to every integration
    /// with this source (live ones freeze; all keep their data and show the source deleted)
    /// and returns how many. Idempotent. Run it in the deletion's transaction when the
    /// adapter can; otherwise call it just before deleting the user. Errors: `Unexpected`.
    async fn mark_source_deleted(&self, source: UserId) -> Result<u64, IntegrationStoreError>;

    /// I9: the target user is being deleted: removes every integration with this target
    /// (whatever its state) and its stored plan, and returns how many; their sources are
    /// then no longer live sources and may be set valid. Idempotent. Errors: `Unexpected`.
    async fn remove_for_target(&self, target: UserId) -> Result<u64, IntegrationStoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i10_apply_errors_have_stable_codes() {
        assert_eq!(
            ApplyError::SourceAlreadyIntegrated.code(),
            "integration_source_already_integrated"
        );
        assert_eq!(ApplyError::Conflict.code(), "integration_conflict");
        let cancel: CancelError = IntegrationStateError::Frozen.into();
        assert_eq!(cancel.code(), "integration_frozen");
        let cancel: CancelError = IntegrationStateError::AlreadyCancelled.into();
        assert_eq!(cancel.code(), "integration_already_cancelled");
    }

    #[tokio::test]
    async fn i10_mocked_store_reports_lost_race() {
        let mut store = MockIntegrationRepository::new();
        store
            .expect_apply()
            .times(1)
            .returning(|_, _| Err(ApplyError::SourceAlreadyIntegrated));
        let plan = crate::integration::plan_integration(
            &crate::integration::fixtures::account(),
            &crate::integration::fixtures::account(),
        );
        let mut source = crate::user::user::fixtures::user("old");
        source.status = crate::user::UserStatus::Invalid;
        let target = crate::user::user::fixtures::user("new");
        let integration = Integration::new(
            &plan,
            &source,
            &target,
            target.id,
            crate::integration::fixtures::at(0),
        );
        let err = store.apply(&plan, &integration).await.unwrap_err();
        assert_eq!(err.code(), "integration_source_already_integrated");
    }
}
