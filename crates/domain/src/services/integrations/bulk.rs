//! I12: many integrations from CSV pairs, each on its own — atomic, audited, with a status.

use super::pairs::{BulkPair, MAX_BULK_PAIRS};
use super::{IntegrationService, IntegrationServiceError, Party};
use crate::authz::{Actor, Denied, Privilege};
use crate::group::graph::GroupGraph;
use crate::ids::IntegrationId;
use crate::integration::{BulkOutcome, BulkPairOutcome, Integration};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::services::guard::require_some;
use crate::user::LoginId;

impl IntegrationService {
    /// I12: integrates each pair in file order, each as [`Self::integrate`] would (one store
    /// call, audited as `integration.create` with its line), and answers a status per pair.
    /// A login ID that names nobody, or someone out of the actor's view, answers `not_found`
    /// alike (no enumeration); a malformed one its `login_id_*` code. A pair refused never
    /// stops the others. The whole request is refused — `forbidden` when the actor holds
    /// `users.edit` nowhere, `too_many_items` past [`MAX_BULK_PAIRS`] — before any pair.
    /// Errors (whole request): those two; `unexpected` when the group graph cannot be read.
    pub async fn integrate_bulk(
        &self,
        actor: &Actor,
        pairs: Vec<BulkPair>,
    ) -> Result<Vec<BulkPairOutcome>, IntegrationServiceError> {
        let graph = match self.bulk_precheck(actor, pairs.len()).await {
            Ok(graph) => graph,
            Err(refused) => {
                let mut details = Details::new();
                details.insert("pairs".into(), pairs.len().to_string());
                let target = AuditTarget::kind_only(AuditTargetKind::Integration);
                let action = AuditAction::IntegrationCreate;
                return self
                    .auditor
                    .record(actor, action, target, details, Err(refused))
                    .await;
            }
        };
        let mut outcomes = Vec::with_capacity(pairs.len());
        for pair in pairs {
            let result = self.integrate_pair(actor, &graph, &pair).await;
            let mut details = Details::new();
            details.insert("line".into(), pair.line.to_string());
            details.insert("source_login_id".into(), pair.source_login_id.clone());
            details.insert("target_login_id".into(), pair.target_login_id.clone());
            let outcome = match self.audit_create(actor, details, result).await {
                Ok(made) => BulkOutcome::Done { result: made.id },
                Err(e) => BulkOutcome::<IntegrationId>::failed(&e),
            };
            outcomes.push(BulkPairOutcome {
                line: pair.line,
                source_login_id: pair.source_login_id,
                target_login_id: pair.target_login_id,
                outcome,
            });
        }
        Ok(outcomes)
    }

    async fn bulk_precheck(
        &self,
        actor: &Actor,
        count: usize,
    ) -> Result<GroupGraph, IntegrationServiceError> {
        if count > MAX_BULK_PAIRS {
            return Err(IntegrationServiceError::TooManyItems {
                limit: MAX_BULK_PAIRS,
            });
        }
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::UsersEdit)?;
        Ok(graph)
    }

    async fn integrate_pair(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        pair: &BulkPair,
    ) -> Result<Integration, IntegrationServiceError> {
        let source = self.by_login_id(&pair.source_login_id).await?;
        let target = self.by_login_id(&pair.target_login_id).await?;
        self.integrate_parties(actor, graph, &source, &target).await
    }

    /// The user with this login ID; `not_found` when none. Scope is checked by the caller,
    /// whose out-of-view answer is `not_found` too.
    async fn by_login_id(&self, raw: &str) -> Result<Party, IntegrationServiceError> {
        let login_id = LoginId::parse(raw)?;
        let user = self.users.get_by_login_id(&login_id).await?;
        let user = user.ok_or(Denied::NotFound)?;
        self.party_of(user).await
    }
}
