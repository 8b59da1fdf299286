//! I6, I8, I10: cancelling integrations, one or in bulk — each id on its own, one store call
//! each, newest integration first (so cancels that share rows restore exactly, see
//! `integration::order`), audited per id.

use super::{IntegrationService, IntegrationServiceError, MAX_BULK_CANCEL};
use crate::authz::{Actor, Denied, Privilege};
use crate::group::graph::GroupGraph;
use crate::ids::IntegrationId;
use crate::integration::IntegrationEvent;
use crate::integration::{BulkCancelOutcome, BulkOutcome, CancelSummary, Integration};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use std::cmp::Reverse;
use std::collections::BTreeSet;

impl IntegrationService {
    /// I6: cancels each integration named, returning the moved records to the source and
    /// restoring both accounts. Needs `users.edit` (and P5) over the target and, while it
    /// exists, the source. Repeated ids count once. The cancels run newest integration
    /// first and the outcomes come in that order; ids that name no visible integration
    /// answer `not_found` and come last, in the order given. Per-id codes: `not_found`,
    /// `forbidden`, `owner_protected`, `target_holds_more`, `integration_frozen`,
    /// `integration_already_cancelled`, `integration_cancel_later_first`, `unexpected`.
    /// Each id is audited as `integration.cancel`. Errors (whole request, before any
    /// cancel): `forbidden` without `users.edit` anywhere, `too_many_items` past
    /// [`MAX_BULK_CANCEL`], `unexpected`.
    pub async fn cancel(
        &self,
        actor: &Actor,
        ids: Vec<IntegrationId>,
    ) -> Result<Vec<BulkCancelOutcome>, IntegrationServiceError> {
        let mut seen = BTreeSet::new();
        let ids: Vec<IntegrationId> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
        let graph = match self.cancel_precheck(actor, ids.len()).await {
            Ok(graph) => graph,
            Err(refused) => {
                let mut details = Details::new();
                details.insert("ids".into(), ids.len().to_string());
                let target = AuditTarget::kind_only(AuditTargetKind::Integration);
                let action = AuditAction::IntegrationCancel;
                return self
                    .auditor
                    .record(actor, action, target, details, Err(refused))
                    .await;
            }
        };
        let mut found = Vec::new();
        let mut failed = Vec::new();
        for id in ids {
            match self.integrations.get(id).await {
                Ok(Some(integration)) => found.push(integration),
                Ok(None) => failed.push((id, Err(Denied::NotFound.into()))),
                Err(e) => failed.push((id, Err(e.into()))),
            }
        }
        found.sort_by_key(|i| Reverse((i.integrated_at, i.id)));
        let mut outcomes = Vec::with_capacity(found.len() + failed.len());
        for integration in found {
            let id = integration.id;
            let result = self.cancel_one(actor, &graph, &integration).await;
            outcomes.push(self.audit_cancel(actor, id, result).await);
        }
        for (id, result) in failed {
            outcomes.push(self.audit_cancel(actor, id, result).await);
        }
        Ok(outcomes)
    }

    async fn cancel_precheck(
        &self,
        actor: &Actor,
        count: usize,
    ) -> Result<GroupGraph, IntegrationServiceError> {
        if count > MAX_BULK_CANCEL {
            return Err(IntegrationServiceError::TooManyItems {
                limit: MAX_BULK_CANCEL,
            });
        }
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::UsersEdit)?;
        Ok(graph)
    }

    /// Authority over both users, the state machine (so a frozen or cancelled integration is
    /// refused without a write), then the one store call that settles races.
    async fn cancel_one(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        integration: &Integration,
    ) -> Result<CancelSummary, IntegrationServiceError> {
        let target = self.party(integration.target_user_id).await?;
        let target = target.ok_or(Denied::NotFound)?;
        self.check_edit(actor, graph, &target).await?;
        if !integration.source_deleted
            && let Some(source) = self.party(integration.source_user_id).await?
        {
            // The integration is visible through its target; lacking authority over the
            // source is a refusal, not an absence.
            self.check_edit(actor, graph, &source)
                .await
                .map_err(|e| match e {
                    IntegrationServiceError::Denied(Denied::NotFound) => {
                        IntegrationServiceError::Denied(Denied::Forbidden)
                    }
                    other => other,
                })?;
        }
        integration.state.on(IntegrationEvent::Cancel)?;
        let outcome = self
            .integrations
            .cancel(integration.id, self.clock.now(), actor.user_id)
            .await?;
        Ok(outcome.summary)
    }

    async fn audit_cancel(
        &self,
        actor: &Actor,
        id: IntegrationId,
        result: Result<CancelSummary, IntegrationServiceError>,
    ) -> BulkCancelOutcome {
        let mut details = Details::new();
        if let Ok(summary) = &result {
            details.insert(
                "scores_returned".into(),
                summary.scores_returned.to_string(),
            );
            details.insert(
                "badges_returned".into(),
                summary.badges_returned.to_string(),
            );
            details.insert(
                "access_log_returned".into(),
                summary.access_log_returned.to_string(),
            );
        }
        let target = AuditTarget::new(AuditTargetKind::Integration, id);
        let action = AuditAction::IntegrationCancel;
        let recorded = self
            .auditor
            .record(actor, action, target, details, result)
            .await;
        let outcome = match recorded {
            Ok(summary) => BulkOutcome::Done { result: summary },
            Err(e) => BulkOutcome::failed(&e),
        };
        BulkCancelOutcome { id, outcome }
    }
}

#[cfg(test)]
#[path = "cancel_tests.rs"]
mod tests;
