//! An integration's life (I6–I9): live until cancelled; frozen when its source is deleted
//! (kept, shown with the source deleted, no longer cancellable); removed with its target.

use super::plan::{IntegrationCounts, IntegrationPlan};
use crate::error::ErrorCode;
use crate::ids::{IntegrationId, UserId};
use crate::user::{LoginId, User};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an integration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationState {
    /// In force: the target holds the source's records; the source stays invalid (I7).
    Live,
    /// Cancelled (I6): records returned; kept in the list as history.
    Cancelled,
    /// The source was deleted while live (I8): data kept, cannot be cancelled.
    Frozen,
}

impl IntegrationState {
    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Cancelled => "cancelled",
            Self::Frozen => "frozen",
        }
    }
}

/// What can happen to an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationEvent {
    /// An administrator cancels it (I6).
    Cancel,
    /// Its source user is deleted (I8).
    SourceDeleted,
    /// Its target user is deleted (I9).
    TargetDeleted,
}

/// The outcome of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The integration moves to (or stays in) this state.
    To(IntegrationState),
    /// The integration's history is removed (I9).
    Remove,
}

/// An event the integration's state refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntegrationStateError {
    /// I8: the source was deleted; the integration can no longer be cancelled.
    #[error("the source user was deleted; this integration can no longer be cancelled")]
    Frozen,
    /// I6: cancelled already.
    #[error("this integration is already cancelled")]
    AlreadyCancelled,
}

impl ErrorCode for IntegrationStateError {
    fn code(&self) -> &'static str {
        match self {
            Self::Frozen => "integration_frozen",
            Self::AlreadyCancelled => "integration_already_cancelled",
        }
    }
}

impl IntegrationState {
    /// The transition table. Every pair is spelled out: a new state or event must be decided
    /// here, not fall through a wildcard.
    pub fn on(self, event: IntegrationEvent) -> Result<Transition, IntegrationStateError> {
        use IntegrationEvent as E;
        use IntegrationState as S;
        match (self, event) {
            (S::Live, E::Cancel) => Ok(Transition::To(S::Cancelled)),
            (S::Live, E::SourceDeleted) => Ok(Transition::To(S::Frozen)),
            (S::Live, E::TargetDeleted) => Ok(Transition::Remove),
            (S::Cancelled, E::Cancel) => Err(IntegrationStateError::AlreadyCancelled),
            // History of a cancelled integration stays; the list shows the source deleted.
            (S::Cancelled, E::SourceDeleted) => Ok(Transition::To(S::Cancelled)),
            (S::Cancelled, E::TargetDeleted) => Ok(Transition::Remove),
            (S::Frozen, E::Cancel) => Err(IntegrationStateError::Frozen),
            (S::Frozen, E::SourceDeleted) => Ok(Transition::To(S::Frozen)),
            (S::Frozen, E::TargetDeleted) => Ok(Transition::Remove),
        }
    }
}

/// One integration, as the list shows it (I5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integration {
    /// Its id.
    pub id: IntegrationId,
    /// The source account (may since be deleted: see `source_deleted`).
    pub source_user_id: UserId,
    /// The target account.
    pub target_user_id: UserId,
    /// The source's login ID when integrated, so the list still names a deleted source.
    pub source_login_id: LoginId,
    /// The target's login ID when integrated.
    pub target_login_id: LoginId,
    /// Live, cancelled or frozen. Change it only through `handle`.
    pub state: IntegrationState,
    /// I8: the source user no longer exists.
    pub source_deleted: bool,
    /// When it was integrated.
    pub integrated_at: DateTime<Utc>,
    /// Who integrated.
    pub integrated_by: UserId,
    /// When it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled.
    pub cancelled_by: Option<UserId>,
    /// What moved.
    pub counts: IntegrationCounts,
}

impl Integration {
    /// A live integration of `plan`, made by `by` at `at`.
    pub fn new(
        plan: &IntegrationPlan,
        source: &User,
        target: &User,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: IntegrationId::new(),
            source_user_id: source.id,
            target_user_id: target.id,
            source_login_id: source.login_id.clone(),
            target_login_id: target.login_id.clone(),
            state: IntegrationState::Live,
            source_deleted: false,
            integrated_at: at,
            integrated_by: by,
            cancelled_at: None,
            cancelled_by: None,
            counts: plan.counts(),
        }
    }

    /// True while the source's records are with the target and cancel is possible (I7).
    pub fn is_live(&self) -> bool {
        self.state == IntegrationState::Live
    }

    /// Applies `event` (at `at`, by `by` for a cancel) and returns the transition;
    /// `Transition::Remove` tells the caller to delete the integration.
    pub fn handle(
        &mut self,
        event: IntegrationEvent,
        at: DateTime<Utc>,
        by: UserId,
    ) -> Result<Transition, IntegrationStateError> {
        let transition = self.state.on(event)?;
        if let Transition::To(state) = transition {
            self.state = state;
        }
        match event {
            IntegrationEvent::Cancel => {
                self.cancelled_at = Some(at);
                self.cancelled_by = Some(by);
            }
            IntegrationEvent::SourceDeleted => self.source_deleted = true,
            IntegrationEvent::TargetDeleted => {}
        }
        Ok(transition)
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
