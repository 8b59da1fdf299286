//! The integration service (I1–I12): preview, integrate (one pair or many from CSV), list and
//! details, cancel (one or many). Authority is decided before any write; each integration
//! and each cancel is ONE `IntegrationRepository` call, which settles races (I10); every
//! integration and cancel, success or refusal, is audited (Z1).
//!
//! What "in scope" means here (P4):
//! - integrating, and cancelling, change both accounts: `users.edit` over both users, and
//!   P5 (neither holds more than the actor). A user out of the actor's view answers
//!   `not_found`, as everywhere.
//! - an integration is *visible* (list, details) when its **target** is in the actor's
//!   `users.view` scope. The target holds the integrated records, always exists (deleting
//!   it removes the history, I9), and is what the store can filter on; the source may be
//!   deleted (I8), so it cannot decide visibility. Once an integration is visible, a cancel
//!   the actor may not make over the source answers `forbidden`, not `not_found`.
//! - L2: the details show the moved scores only when the actor holds `grades.view` over the
//!   target; otherwise they are left out (the counts stay).

mod bulk;
mod cancel;
mod integrate;
mod pairs;
mod read;
#[cfg(test)]
mod testing;

pub use pairs::{BulkPair, MAX_BULK_PAIRS, PAIR_COLUMNS, parse_pairs};
pub use read::IntegrationView;

use super::Ports;
use super::audit::Auditor;
use super::guard::target_user;
use crate::authz::{Actor, Denied, EscalationError, Privilege, Target, TargetUser};
use crate::authz::{authorize, check_may_manage};
use crate::clock::Clock;
use crate::error::{ErrorCode, Unexpected};
use crate::group::graph::GroupGraph;
use crate::ids::UserId;
use crate::integration::{CancelBlocked, IntegrationError, IntegrationStateError};
use crate::ports::StoreError;
use crate::ports::grants::GrantRepository;
use crate::ports::groups::GroupRepository;
use crate::ports::integrations::{
    ApplyError, CancelError, IntegrationRepository, IntegrationStoreError,
};
use crate::ports::records::{LearningRecords, RecordsError};
use crate::ports::users::UserRepository;
use crate::user::{LoginIdError, User};
use std::fmt;
use std::sync::Arc;

/// The most ids one bulk cancel takes: bounds the work of one request.
pub const MAX_BULK_CANCEL: usize = 1_000;

/// Why an integration operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum IntegrationServiceError {
    /// P4: out of scope or absent (`not_found`), or not allowed (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// P5, U3: a user holds more than the actor, or is the owner.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    /// I1, I10, U3: the pair cannot be integrated (also a race lost to a concurrent
    /// integration, reported by the store with the same codes).
    #[error(transparent)]
    Refused(#[from] IntegrationError),
    /// I10: the users or their records changed between the plan and the write; try again.
    #[error("the users or their records changed meanwhile; try again")]
    Conflict,
    /// I6, I8: the integration is frozen (source deleted) or already cancelled.
    #[error(transparent)]
    State(#[from] IntegrationStateError),
    /// I6: a later integration into the same target must be cancelled first.
    #[error(transparent)]
    CancelOrder(#[from] CancelBlocked),
    /// I12: a login ID in a bulk file is malformed.
    #[error(transparent)]
    InvalidLoginId(#[from] LoginIdError),
    /// The page cursor is not one the store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// A bulk request names more items than one request may.
    #[error("at most {limit} items per request")]
    TooManyItems {
        /// The limit.
        limit: usize,
    },
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for IntegrationServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Escalation(e) => e.code(),
            Self::Refused(e) => e.code(),
            Self::Conflict => "integration_conflict",
            Self::State(e) => e.code(),
            Self::CancelOrder(e) => e.code(),
            Self::InvalidLoginId(e) => e.code(),
            Self::InvalidCursor => "invalid_cursor",
            Self::TooManyItems { .. } => "too_many_items",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for IntegrationServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<RecordsError> for IntegrationServiceError {
    fn from(e: RecordsError) -> Self {
        match e {
            RecordsError::InvalidCursor => Self::InvalidCursor,
            RecordsError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<IntegrationStoreError> for IntegrationServiceError {
    fn from(e: IntegrationStoreError) -> Self {
        match e {
            IntegrationStoreError::InvalidCursor => Self::InvalidCursor,
            IntegrationStoreError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// The store's verdicts keep the codes the pure check gives, so a race lost inside the
/// store reads exactly like a refusal found before it (I10).
impl From<ApplyError> for IntegrationServiceError {
    fn from(e: ApplyError) -> Self {
        match e {
            ApplyError::SourceAlreadyIntegrated => {
                Self::Refused(IntegrationError::SourceAlreadyIntegrated)
            }
            ApplyError::TargetIsSource => Self::Refused(IntegrationError::TargetIsSource),
            ApplyError::SourceIsTarget => Self::Refused(IntegrationError::SourceIsTarget),
            ApplyError::Conflict => Self::Conflict,
            ApplyError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<CancelError> for IntegrationServiceError {
    fn from(e: CancelError) -> Self {
        match e {
            CancelError::NotFound => Self::Denied(Denied::NotFound),
            CancelError::Frozen => Self::State(IntegrationStateError::Frozen),
            CancelError::AlreadyCancelled => Self::State(IntegrationStateError::AlreadyCancelled),
            CancelError::LaterIntegrationFirst { later } => {
                Self::CancelOrder(CancelBlocked { later })
            }
            CancelError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// A user and the authorization decision's view of it.
#[derive(Debug, Clone)]
pub(crate) struct Party {
    user: User,
    view: TargetUser,
}

/// Integrations between accounts, as administrators make, read and cancel them.
#[derive(Clone)]
pub struct IntegrationService {
    users: Arc<dyn UserRepository>,
    groups: Arc<dyn GroupRepository>,
    grants: Arc<dyn GrantRepository>,
    integrations: Arc<dyn IntegrationRepository>,
    records: Arc<dyn LearningRecords>,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for IntegrationService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntegrationService").finish_non_exhaustive()
    }
}

impl IntegrationService {
    /// The service over these ports, the integration store and the learning records.
    pub fn new(
        ports: &Ports,
        integrations: Arc<dyn IntegrationRepository>,
        records: Arc<dyn LearningRecords>,
    ) -> Self {
        Self {
            users: ports.users.clone(),
            groups: ports.groups.clone(),
            grants: ports.grants.clone(),
            integrations,
            records,
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
            clock: ports.clock.clone(),
        }
    }

    /// The user and its groups, or `None` when absent.
    async fn party(&self, id: UserId) -> Result<Option<Party>, IntegrationServiceError> {
        match self.users.get(id).await? {
            Some(user) => Ok(Some(self.party_of(user).await?)),
            None => Ok(None),
        }
    }

    /// The user with its groups.
    async fn party_of(&self, user: User) -> Result<Party, IntegrationServiceError> {
        let groups = self.users.direct_groups(user.id).await?;
        let view = target_user(&user, groups);
        Ok(Party { user, view })
    }

    /// P4 + P5: `users.edit` over the user, and the user holds nothing the actor lacks
    /// (only the owner manages the owner).
    async fn check_edit(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        party: &Party,
    ) -> Result<(), IntegrationServiceError> {
        let target = Target::User(party.view.clone());
        authorize(actor, graph, Privilege::UsersEdit, &target)?;
        let held = self.grants.grants_for_user(party.user.id).await?;
        check_may_manage(actor, graph, &party.view, &held)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IntegrationId;

    /// HTTP runs handlers on a work-stealing pool: every service future must be `Send`.
    #[test]
    fn service_futures_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let service = testing::IMocks::new(&testing::Scene::new()).service();
        let a = crate::services::testing::owner();
        let (u, i) = (UserId::new(), IntegrationId::new());
        assert_send(&service.preview(&a, u, u));
        assert_send(&service.integrate(&a, u, u));
        assert_send(&service.integrate_bulk(&a, Vec::new()));
        assert_send(&service.list(&a, Default::default(), Default::default()));
        assert_send(&service.get(&a, i));
        assert_send(&service.details(&a, i));
        assert_send(&service.cancel(&a, vec![i]));
    }

    #[test]
    fn i10_store_verdicts_keep_the_pure_codes() {
        let cases: [(ApplyError, &str); 4] = [
            (
                ApplyError::SourceAlreadyIntegrated,
                "integration_source_already_integrated",
            ),
            (ApplyError::TargetIsSource, "integration_target_is_source"),
            (ApplyError::SourceIsTarget, "integration_source_is_target"),
            (ApplyError::Conflict, "integration_conflict"),
        ];
        for (store, code) in cases {
            assert_eq!(IntegrationServiceError::from(store).code(), code);
        }
    }

    #[test]
    fn i6_cancel_verdicts_have_stable_codes() {
        let later = IntegrationId::new();
        let cases: [(CancelError, &str); 4] = [
            (CancelError::NotFound, "not_found"),
            (CancelError::Frozen, "integration_frozen"),
            (
                CancelError::AlreadyCancelled,
                "integration_already_cancelled",
            ),
            (
                CancelError::LaterIntegrationFirst { later },
                "integration_cancel_later_first",
            ),
        ];
        for (store, code) in cases {
            assert_eq!(IntegrationServiceError::from(store).code(), code);
        }
    }
}
