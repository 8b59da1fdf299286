//! I5: the integration list and one integration's details, limited to what the actor sees
//! (an integration is visible when its target is; see the module doc of the service).

use super::{IntegrationService, IntegrationServiceError, Party};
use crate::authz::visibility;
use crate::authz::{Actor, Denied, Privilege, Target, Visibility, authorize, is_allowed};
use crate::group::graph::GroupGraph;
use crate::ids::{IntegrationId, UserId};
use crate::integration::{Integration, IntegrationDetails};
use crate::ports::integrations::IntegrationFilter;
use crate::ports::{Page, PageRequest};
use serde::Serialize;

/// I5, L2: one integration's details as the actor may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrationView {
    /// The integration with its integrated scores, badges and login history.
    #[serde(flatten)]
    pub details: IntegrationDetails,
    /// L2: whether the actor holds `grades.view` over the target. When not, `details.scores`
    /// is empty (the integration's counts still say how many moved).
    pub scores_visible: bool,
}

impl IntegrationService {
    /// I5: one page of the integrations the actor sees with `users.view`, newest first,
    /// narrowed by `filter`. A scoped actor sees those whose target is a member (G4) of its
    /// scope: the filter's `target_in_groups` is set to that scope (intersected with any the
    /// caller set). Nothing in view gives an empty page (a list never answers `forbidden`).
    /// Errors: `invalid_cursor`; `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        mut filter: IntegrationFilter,
        page: PageRequest,
    ) -> Result<Page<Integration>, IntegrationServiceError> {
        let graph = self.groups.graph().await?;
        match visibility(actor, &graph, Privilege::UsersView) {
            Visibility::Nothing => return Ok(Page::empty()),
            Visibility::All => {}
            Visibility::Groups(visible) => {
                let groups = match filter.target_in_groups.take() {
                    None => visible,
                    Some(asked) => asked.intersection(&visible).copied().collect(),
                };
                if groups.is_empty() {
                    return Ok(Page::empty());
                }
                filter.target_in_groups = Some(groups);
            }
        }
        Ok(self.integrations.list(&filter, &page.clamped()).await?)
    }

    /// I5: one integration, when its target is in the actor's `users.view` scope.
    /// Errors: `not_found` (absent or out of view); `unexpected`.
    pub async fn get(
        &self,
        actor: &Actor,
        id: IntegrationId,
    ) -> Result<Integration, IntegrationServiceError> {
        let integration = self.integrations.get(id).await?.ok_or(Denied::NotFound)?;
        let graph = self.groups.graph().await?;
        self.visible_target(actor, &graph, integration.target_user_id)
            .await?;
        Ok(integration)
    }

    /// I5, L2: one integration with its integrated scores (only with `grades.view` over the
    /// target), badges and login history. Errors: `not_found`; `unexpected`.
    pub async fn details(
        &self,
        actor: &Actor,
        id: IntegrationId,
    ) -> Result<IntegrationView, IntegrationServiceError> {
        let mut details = self
            .integrations
            .details(id)
            .await?
            .ok_or(Denied::NotFound)?;
        let graph = self.groups.graph().await?;
        let target_id = details.integration.target_user_id;
        let target = self.visible_target(actor, &graph, target_id).await?;
        let holder = Target::User(target.view);
        let scores_visible = is_allowed(actor, &graph, Privilege::GradesView, &holder);
        if !scores_visible {
            details.scores.clear();
        }
        Ok(IntegrationView {
            details,
            scores_visible,
        })
    }

    /// The target, when the actor sees it with `users.view`; `not_found` otherwise.
    async fn visible_target(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        target: UserId,
    ) -> Result<Party, IntegrationServiceError> {
        let party = self.party(target).await?.ok_or(Denied::NotFound)?;
        let view = Target::User(party.view.clone());
        authorize(actor, graph, Privilege::UsersView, &view)?;
        Ok(party)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::integration::fixtures::completed;
    use crate::ports::integrations::IntegrationStoreError;
    use crate::services::testing::{admin, owner};
    use mockall::predicate::eq;

    fn details_of(scene: &Scene) -> IntegrationDetails {
        let (s, t) = (scene.source.id, scene.target.id);
        let mut source = crate::integration::UserRecords::empty(s);
        source.scores.push(completed(s, "quiz", 1));
        let target = crate::integration::UserRecords::empty(t);
        let plan = crate::integration::plan_integration(&source, &target);
        let integration = Integration::new(
            &plan,
            &scene.source,
            &scene.target,
            UserId::new(),
            crate::services::testing::now(),
        );
        IntegrationDetails::from_plan(integration, &plan)
    }

    #[tokio::test]
    async fn i5_scoped_viewer_lists_integrations_into_its_scope() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        let (school, a, b) = (w.world.school, w.world.class_a, w.world.class_b);
        let from = crate::services::testing::now();
        m.store
            .expect_list()
            .times(1)
            .withf(move |f, p| {
                f.target_in_groups == Some([school, a, b].into())
                    && f.integrated_from == Some(from)
                    && p.limit == 500
            })
            .returning(|_, _| Ok(Page::empty()));
        let viewer = admin(
            Privilege::UsersView,
            Scope::groups([w.world.school]).unwrap(),
        );
        let filter = IntegrationFilter {
            integrated_from: Some(from),
            ..IntegrationFilter::default()
        };
        let page = PageRequest {
            limit: 10_000,
            cursor: None,
        };
        m.service().list(&viewer, filter, page).await.unwrap();
    }

    #[tokio::test]
    async fn i5_scope_all_lists_everything_and_keeps_the_callers_groups() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        let other = w.world.other;
        m.store
            .expect_list()
            .times(1)
            .withf(move |f, _| f.target_in_groups == Some([other].into()))
            .returning(|_, _| Ok(Page::empty()));
        let filter = IntegrationFilter {
            target_in_groups: Some([other].into()),
            ..IntegrationFilter::default()
        };
        let a = admin(Privilege::UsersView, Scope::All);
        m.service()
            .list(&a, filter, PageRequest::default())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn i5_list_outside_scope_or_without_users_view_is_empty() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_list().times(0);
        let service = m.service();
        let grades = admin(Privilege::GradesView, Scope::All);
        let page = service
            .list(
                &grades,
                IntegrationFilter::default(),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(page.items.is_empty());
        let scoped = admin(
            Privilege::UsersView,
            Scope::groups([w.world.class_b]).unwrap(),
        );
        let filter = IntegrationFilter {
            target_in_groups: Some([w.world.other].into()),
            ..IntegrationFilter::default()
        };
        let page = service
            .list(&scoped, filter, PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }

    #[tokio::test]
    async fn i5_list_passes_on_a_bad_cursor() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store
            .expect_list()
            .returning(|_, _| Err(IntegrationStoreError::InvalidCursor));
        let err = m
            .service()
            .list(
                &owner(),
                IntegrationFilter::default(),
                PageRequest::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_cursor");
    }

    #[tokio::test]
    async fn i5_get_in_scope_and_not_found_out_of_scope() {
        let w = Scene::new();
        let integration = w.integration(0);
        let id = integration.id;
        let mut m = IMocks::new(&w);
        m.store
            .expect_get()
            .with(eq(id))
            .returning(move |_| Ok(Some(integration.clone())));
        m.store.expect_get().returning(|_| Ok(None));
        let service = m.service();
        let viewer = admin(
            Privilege::UsersView,
            Scope::groups([w.world.class_a]).unwrap(),
        );
        assert_eq!(service.get(&viewer, id).await.unwrap().id, id);
        let outsider = admin(
            Privilege::UsersEdit,
            Scope::groups([w.world.class_b]).unwrap(),
        );
        let err = service.get(&outsider, id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
        let err = service
            .get(&viewer, IntegrationId::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn l2_details_show_scores_only_with_grades_view() {
        let w = Scene::new();
        let details = details_of(&w);
        let id = details.integration.id;
        let mut m = IMocks::new(&w);
        m.store
            .expect_details()
            .with(eq(id))
            .returning(move |_| Ok(Some(details.clone())));
        let service = m.service();
        let viewer = admin(Privilege::UsersView, Scope::All);
        let view = service.details(&viewer, id).await.unwrap();
        assert!(!view.scores_visible);
        assert!(view.details.scores.is_empty());
        assert_eq!(view.details.integration.counts.scores_moved, 1);
        let mut both = viewer.clone();
        both.grants.push(crate::services::testing::grant_to(
            both.user_id,
            Privilege::GradesView,
            Scope::groups([w.world.school]).unwrap(),
        ));
        let view = service.details(&both, id).await.unwrap();
        assert!(view.scores_visible);
        assert_eq!(view.details.scores.len(), 1);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["scores_visible"], true);
        assert!(json["integration"].is_object(), "details are flattened");
    }

    #[tokio::test]
    async fn i9_details_of_a_removed_integration_are_not_found() {
        let w = Scene::new();
        let mut m = IMocks::new(&w);
        m.store.expect_details().returning(|_| Ok(None));
        let err = m
            .service()
            .details(&owner(), IntegrationId::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn i5_details_out_of_scope_are_not_found() {
        let w = Scene::new();
        let details = details_of(&w);
        let id = details.integration.id;
        let mut m = IMocks::new(&w);
        m.store
            .expect_details()
            .returning(move |_| Ok(Some(details.clone())));
        let outsider = admin(
            Privilege::UsersView,
            Scope::groups([w.world.other]).unwrap(),
        );
        let err = m.service().details(&outsider, id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
