//! Reading groups (P4): one group with its visible neighbours, lists in scope, and members.

use super::{GroupService, GroupServiceError};
use crate::authz::{
    Actor, Denied, Privilege, Target, Visibility, authorize, is_allowed, visibility,
};
use crate::group::Group;
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::ports::groups::GroupFilter;
use crate::ports::{Page, PageRequest};
use crate::user::User;
use serde::Serialize;
use std::collections::BTreeSet;

/// A group with the parents and children the actor may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDetails {
    /// The group.
    pub group: Group,
    /// Its direct parents within the actor's view.
    pub parent_ids: BTreeSet<GroupId>,
    /// Its direct children within the actor's view.
    pub child_ids: BTreeSet<GroupId>,
}

impl GroupService {
    /// One group. Needs `users.view` over it; out of scope answers `not_found` (P4).
    /// Errors: `not_found`; `unexpected`.
    pub async fn get(&self, actor: &Actor, id: GroupId) -> Result<GroupDetails, GroupServiceError> {
        let graph = self.groups.graph().await?;
        Self::known(&graph, id)?;
        authorize(actor, &graph, Privilege::UsersView, &Target::Group(id))?;
        let group = self.groups.get(id).await?.ok_or(Denied::NotFound)?;
        let seen =
            |g: &GroupId| is_allowed(actor, &graph, Privilege::UsersView, &Target::Group(*g));
        Ok(GroupDetails {
            group,
            parent_ids: graph.parents(id).filter(seen).collect(),
            child_ids: graph.children(id).filter(seen).collect(),
        })
    }

    /// P4: one page of the groups the actor may see, optionally matching `q` (name or
    /// external code). Nothing in view gives an empty page. Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        q: Option<String>,
        page: PageRequest,
    ) -> Result<Page<Group>, GroupServiceError> {
        let graph = self.groups.graph().await?;
        let visibility = visibility(actor, &graph, Privilege::UsersView);
        if visibility == Visibility::Nothing {
            return Ok(Page::empty());
        }
        let filter = GroupFilter {
            q: q.filter(|q| !q.trim().is_empty()),
            visibility,
        };
        Ok(self.groups.list(filter, page.clamped()).await?)
    }

    /// The group's direct members. Needs `users.view` over the group: its direct members are
    /// then in scope too (P3). Errors: `not_found`; `unexpected`.
    pub async fn members(
        &self,
        actor: &Actor,
        id: GroupId,
        page: PageRequest,
    ) -> Result<Page<User>, GroupServiceError> {
        let graph: GroupGraph = self.groups.graph().await?;
        Self::known(&graph, id)?;
        authorize(actor, &graph, Privilege::UsersView, &Target::Group(id))?;
        Ok(self.groups.members(id, page.clamped()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::group::GroupName;
    use crate::services::testing::{Mocks, World, admin};
    use mockall::predicate::eq;

    fn stored(m: &mut Mocks, id: GroupId) {
        m.groups.expect_get().with(eq(id)).returning(move |_| {
            Ok(Some(Group {
                id,
                name: GroupName::parse("g").unwrap(),
                external_code: None,
                description: crate::group::GroupDescription::default(),
            }))
        });
    }

    #[tokio::test]
    async fn p4_group_in_scope_shows_only_visible_neighbours() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        stored(&mut m, w.school);
        stored(&mut m, w.class_a);
        let service = GroupService::new(&m.ports());
        let all = admin(Privilege::UsersView, Scope::All);
        let school = service.get(&all, w.school).await.unwrap();
        assert_eq!(school.child_ids, [w.class_a, w.class_b].into());
        let scoped = admin(Privilege::UsersView, Scope::groups([w.class_a]).unwrap());
        let class_a = service.get(&scoped, w.class_a).await.unwrap();
        assert!(class_a.parent_ids.is_empty(), "the school is out of view");
    }

    #[tokio::test]
    async fn p4_group_out_of_scope_is_not_found() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_get().times(0);
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::groups([w.class_a]).unwrap());
        let err = service.get(&a, w.school).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_group_list_passes_closure_expanded_visibility() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let expected = Visibility::Groups([w.school, w.class_a, w.class_b].into());
        m.groups
            .expect_list()
            .times(1)
            .withf(move |f, _| f.visibility == expected && f.q.is_none())
            .returning(|_, _| Ok(Page::empty()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service
            .list(&a, Some("  ".into()), PageRequest::default())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn p4_group_list_empty_without_view() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_list().times(0);
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::AdminSettings, Scope::All);
        let page = service
            .list(&a, None, PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }

    #[tokio::test]
    async fn p4_members_need_view_over_the_group() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups
            .expect_members()
            .with(eq(w.class_a), eq(PageRequest::default()))
            .times(1)
            .returning(|_, _| Ok(Page::empty()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::groups([w.class_a]).unwrap());
        service
            .members(&a, w.class_a, PageRequest::default())
            .await
            .unwrap();
        let err = service
            .members(&a, w.class_b, PageRequest::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
