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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::ports::integrations::ApplyError;
    use crate::services::testing::{admin, owner};
    use crate::user::User;

    fn pair(line: u64, source: &str, target: &str) -> BulkPair {
        BulkPair {
            line,
            source_login_id: source.into(),
            target_login_id: target.into(),
        }
    }

    /// `get_by_login_id` finds the scene's two users by their key.
    fn directory(m: &mut IMocks, scene: &Scene) {
        let users: Vec<User> = vec![scene.source.clone(), scene.target.clone()];
        m.base
            .users
            .expect_get_by_login_id()
            .returning(move |login| Ok(users.iter().find(|u| u.login_id == *login).cloned()));
    }

    fn failed_code(outcome: &BulkPairOutcome) -> &str {
        match &outcome.outcome {
            BulkOutcome::Failed { code, .. } => code,
            BulkOutcome::Done { .. } => "done",
        }
    }

    #[tokio::test]
    async fn i12_each_pair_gets_its_own_status_and_audit() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        directory(&mut m, &w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        m.records_with(w.source.id, |_| {});
        m.records_with(w.target.id, |_| {});
        m.store.expect_apply().times(1).returning(|_, _| Ok(()));
        m.base
            .audit
            .expect_record()
            .times(4)
            .withf(|e| e.action == AuditAction::IntegrationCreate && e.details.contains_key("line"))
            .returning(|_| Ok(()));
        let pairs = vec![
            pair(2, "OLD-HANAKO", "hanako"),
            pair(3, "ghost", "hanako"),
            pair(4, " ", "hanako"),
            pair(5, "hanako", "old-hanako"),
        ];
        let outcomes = m.service().integrate_bulk(&owner(), pairs).await.unwrap();
        let got: Vec<_> = outcomes.iter().map(|o| (o.line, failed_code(o))).collect();
        assert_eq!(
            got,
            vec![
                (2, "done"),
                (3, "not_found"),
                (4, "login_id_empty"),
                (5, "integration_source_not_invalid"),
            ]
        );
        assert_eq!(outcomes[0].source_login_id, "OLD-HANAKO", "as written");
    }

    #[tokio::test]
    async fn i12_out_of_scope_login_id_answers_exactly_like_an_unknown_one() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        directory(&mut m, &w);
        m.store.expect_apply().times(0);
        m.base.audit.expect_record().times(2).returning(|_| Ok(()));
        let a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.class_b]).unwrap(),
        );
        let pairs = vec![pair(2, "old-hanako", "hanako"), pair(3, "ghost", "hanako")];
        let outcomes = m.service().integrate_bulk(&a, pairs).await.unwrap();
        assert_eq!(failed_code(&outcomes[0]), "not_found");
        assert_eq!(outcomes[0].outcome, outcomes[1].outcome, "no enumeration");
    }

    #[tokio::test]
    async fn i12_a_pair_lost_to_a_race_does_not_stop_the_next() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        directory(&mut m, &w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        m.records_with(w.source.id, |_| {});
        m.records_with(w.target.id, |_| {});
        m.store
            .expect_apply()
            .times(1)
            .returning(|_, _| Err(ApplyError::SourceAlreadyIntegrated));
        m.store.expect_apply().times(1).returning(|_, _| Ok(()));
        m.base.audit.expect_record().times(2).returning(|_| Ok(()));
        let pairs = vec![
            pair(2, "old-hanako", "hanako"),
            pair(3, "old-hanako", "hanako"),
        ];
        let outcomes = m.service().integrate_bulk(&owner(), pairs).await.unwrap();
        assert_eq!(
            failed_code(&outcomes[0]),
            "integration_source_already_integrated"
        );
        assert_eq!(failed_code(&outcomes[1]), "done");
    }

    #[tokio::test]
    async fn i12_without_users_edit_anywhere_the_whole_file_is_forbidden() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.base.users.expect_get_by_login_id().times(0);
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("forbidden"));
        let viewer = admin(Privilege::UsersView, Scope::All);
        let err = m
            .service()
            .integrate_bulk(&viewer, vec![pair(2, "old-hanako", "hanako")])
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn i12_too_many_pairs_are_refused_before_any() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.base.users.expect_get_by_login_id().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("too_many_items"));
        let pairs = (0..=MAX_BULK_PAIRS as u64).map(|i| pair(i + 2, "a", "b"));
        let err = m
            .service()
            .integrate_bulk(&owner(), pairs.collect())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "too_many_items");
    }
}
