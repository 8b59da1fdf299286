//! I1–I4, I10, I11: previewing and making one integration.

use super::{IntegrationService, IntegrationServiceError, Party};
use crate::authz::{Actor, Denied};
use crate::group::graph::GroupGraph;
use crate::ids::UserId;
use crate::integration::{
    Integration, IntegrationPlan, IntegrationPreview, check_integration, plan_integration,
};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;

impl IntegrationService {
    /// I11: what integrating `source` into `target` would move and which conflicts it would
    /// resolve; nothing is written or audited. Same checks as [`Self::integrate`].
    /// Errors: `not_found`, `forbidden`; `owner_protected`, `target_holds_more`; the
    /// `integration_*` refusals; `unexpected`.
    pub async fn preview(
        &self,
        actor: &Actor,
        source: UserId,
        target: UserId,
    ) -> Result<IntegrationPreview, IntegrationServiceError> {
        let graph = self.groups.graph().await?;
        let (source, target) = self.parties(source, target).await?;
        let plan = self.plan(actor, &graph, &source, &target).await?;
        Ok(plan.preview())
    }

    /// I1, I10: integrates the invalid `source` into the valid `target` in one store call;
    /// of two concurrent integrations of one source exactly one wins, the other answers
    /// `integration_source_already_integrated`. Errors: as [`Self::preview`], and
    /// `integration_conflict` (records changed meanwhile; try again). Audited as
    /// `integration.create`.
    pub async fn integrate(
        &self,
        actor: &Actor,
        source: UserId,
        target: UserId,
    ) -> Result<Integration, IntegrationServiceError> {
        let result = async {
            let graph = self.groups.graph().await?;
            let (source, target) = self.parties(source, target).await?;
            self.integrate_parties(actor, &graph, &source, &target)
                .await
        }
        .await;
        let mut details = Details::new();
        details.insert("source_user_id".into(), source.to_string());
        details.insert("target_user_id".into(), target.to_string());
        self.audit_create(actor, details, result).await
    }

    /// Records `integration.create` for `result`, naming the integration when made.
    pub(super) async fn audit_create(
        &self,
        actor: &Actor,
        mut details: Details,
        result: Result<Integration, IntegrationServiceError>,
    ) -> Result<Integration, IntegrationServiceError> {
        let target = match &result {
            Ok(made) => {
                let counts = made.counts;
                details.insert("scores_moved".into(), counts.scores_moved.to_string());
                details.insert("badges_moved".into(), counts.badges_moved.to_string());
                details.insert("badges_merged".into(), counts.badges_merged.to_string());
                details.insert(
                    "access_log_moved".into(),
                    counts.access_log_moved.to_string(),
                );
                AuditTarget::new(AuditTargetKind::Integration, made.id)
            }
            Err(_) => AuditTarget::kind_only(AuditTargetKind::Integration),
        };
        self.auditor
            .record(
                actor,
                AuditAction::IntegrationCreate,
                target,
                details,
                result,
            )
            .await
    }

    /// Both users, `not_found` when either is absent.
    async fn parties(
        &self,
        source: UserId,
        target: UserId,
    ) -> Result<(Party, Party), IntegrationServiceError> {
        let source = self.party(source).await?.ok_or(Denied::NotFound)?;
        let target = self.party(target).await?.ok_or(Denied::NotFound)?;
        Ok((source, target))
    }

    /// Checks, plans and applies; the write is the single `apply` call.
    pub(super) async fn integrate_parties(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        source: &Party,
        target: &Party,
    ) -> Result<Integration, IntegrationServiceError> {
        let plan = self.plan(actor, graph, source, target).await?;
        let now = self.clock.now();
        let integration = Integration::new(&plan, &source.user, &target.user, actor.user_id, now);
        self.integrations.apply(&plan, &integration).await?;
        Ok(integration)
    }

    /// P4 and P5 over both users, then I1/I10/U3 with the store's live facts, then the plan.
    async fn plan(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        source: &Party,
        target: &Party,
    ) -> Result<IntegrationPlan, IntegrationServiceError> {
        self.check_edit(actor, graph, source).await?;
        self.check_edit(actor, graph, target).await?;
        let (s, t) = (source.user.id, target.user.id);
        let facts = self.integrations.live_facts(s, t).await?;
        check_integration(&source.user, &target.user, &facts)?;
        let source_records = self.records.records_of(s).await?;
        let target_records = self.records.records_of(t).await?;
        Ok(plan_integration(&source_records, &target_records))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::authz::{Privilege, Scope};
    use crate::error::ErrorCode;
    use crate::integration::fixtures::{badge, completed};
    use crate::integration::{IntegrationFacts, IntegrationState};
    use crate::ports::audit::AuditAction;
    use crate::ports::integrations::ApplyError;
    use crate::services::testing::{admin, grant_to, now, owner};
    use crate::user::UserStatus;

    #[tokio::test]
    async fn i11_preview_counts_moves_and_conflicts_and_writes_nothing() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        let (s, t) = (w.source.id, w.target.id);
        m.records_with(s, |r| {
            r.scores.push(completed(s, "quiz", 1));
            r.badges.push(badge(s, "gold", 10));
        });
        m.records_with(t, |r| r.badges.push(badge(t, "gold", 50)));
        m.store.expect_apply().times(0);
        m.base.audit.expect_record().times(0);
        let service = m.service();
        let preview = service.preview(&owner(), s, t).await.unwrap();
        assert_eq!(preview.counts.scores_moved, 1);
        assert_eq!(preview.counts.badges_merged, 1);
        assert_eq!(preview.conflicts.badges.len(), 1);
    }

    #[tokio::test]
    async fn i11_preview_out_of_scope_is_not_found_and_not_audited() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_live_facts().times(0);
        m.records.expect_records_of().times(0);
        m.base.audit.expect_record().times(0);
        let a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.other]).unwrap(),
        );
        let err = m
            .service()
            .preview(&a, w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn i1_integrate_applies_once_and_audits() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        let s = w.source.id;
        m.records_with(s, |r| r.scores.push(completed(s, "quiz", 1)));
        m.records_with(w.target.id, |_| {});
        let (sid, tid) = (w.source.id, w.target.id);
        m.store
            .expect_apply()
            .times(1)
            .withf(move |plan, i| {
                plan.source_user_id() == sid
                    && i.source_user_id == sid
                    && i.target_user_id == tid
                    && i.integrated_at == now()
                    && i.counts == plan.counts()
            })
            .returning(|_, _| Ok(()));
        m.base
            .audit
            .expect_record()
            .times(1)
            .withf(move |e| {
                e.action == AuditAction::IntegrationCreate
                    && e.target.id.is_some()
                    && e.details["scores_moved"] == "1"
                    && e.details["source_user_id"] == sid.to_string()
            })
            .returning(|_| Ok(()));
        let service = m.service();
        let a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.school]).unwrap(),
        );
        let made = service.integrate(&a, sid, tid).await.unwrap();
        assert_eq!(made.state, IntegrationState::Live);
        assert_eq!(made.integrated_by, a.user_id);
        assert_eq!(made.source_login_id.as_str(), "old-hanako");
    }

    #[tokio::test]
    async fn p4_integrate_with_source_out_of_scope_is_not_found() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_live_facts().times(0);
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("not_found"));
        let service = m.service();
        let a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.class_b]).unwrap(),
        );
        let err = service
            .integrate(&a, w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_viewer_cannot_integrate() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("forbidden"));
        let service = m.service();
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service
            .integrate(&a, w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn i1_unknown_user_is_not_found() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("not_found"));
        let service = m.service();
        let err = service
            .integrate(&owner(), crate::ids::UserId::new(), w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p5_target_holding_more_cannot_be_integrated_into() {
        let w = Scene::new();
        let mut m = IMocks::with_target_grants(
            &w,
            vec![grant_to(w.target.id, Privilege::UsersEdit, Scope::All)],
        );
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("target_holds_more"));
        let service = m.service();
        let a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.school]).unwrap(),
        );
        let err = service
            .integrate(&a, w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn i1_valid_source_is_refused_before_reading_records() {
        let mut w = Scene::new();
        w.source.status = UserStatus::Valid;
        let mut m = IMocks::new(&w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        m.records.expect_records_of().times(0);
        m.store.expect_apply().times(0);
        m.base.expect_audit(
            AuditAction::IntegrationCreate,
            Err("integration_source_not_invalid"),
        );
        let err = m
            .service()
            .integrate(&owner(), w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_source_not_invalid");
    }

    #[tokio::test]
    async fn i10_live_source_is_refused_by_the_facts() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_live_facts().returning(|_, _| {
            Ok(IntegrationFacts {
                target_is_live_source: true,
                ..IntegrationFacts::default()
            })
        });
        m.store.expect_apply().times(0);
        m.base.expect_audit(
            AuditAction::IntegrationCreate,
            Err("integration_target_is_source"),
        );
        let err = m
            .service()
            .integrate(&owner(), w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_target_is_source");
    }

    #[tokio::test]
    async fn i10_race_lost_in_the_store_reads_as_already_integrated() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        m.records_with(w.source.id, |_| {});
        m.records_with(w.target.id, |_| {});
        m.store
            .expect_apply()
            .times(1)
            .returning(|_, _| Err(ApplyError::SourceAlreadyIntegrated));
        m.base.expect_audit(
            AuditAction::IntegrationCreate,
            Err("integration_source_already_integrated"),
        );
        let err = m
            .service()
            .integrate(&owner(), w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_source_already_integrated");
    }

    #[tokio::test]
    async fn u3_owner_is_never_integrated() {
        let mut w = Scene::new();
        w.target.is_owner = true;
        let mut m = IMocks::new(&w);
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("owner_protected"));
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = m
            .service()
            .integrate(&a, w.source.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "owner_protected");
    }

    #[tokio::test]
    async fn i1_same_user_is_refused() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store
            .expect_live_facts()
            .returning(|_, _| Ok(Default::default()));
        m.store.expect_apply().times(0);
        m.base
            .expect_audit(AuditAction::IntegrationCreate, Err("integration_same_user"));
        let err = m
            .service()
            .integrate(&owner(), w.target.id, w.target.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_same_user");
    }
}
