//! Reading users (P3, P4): one user (oneself always), and lists limited to what is in scope.

use super::{UserService, UserServiceError};
use crate::authz::{Actor, Denied, Privilege, Target, Visibility, authorize, visibility};
use crate::ids::{GroupId, UserId};
use crate::ports::users::UserFilter;
use crate::ports::{Page, PageRequest};
use crate::user::{User, UserStatus};

/// The filters of the user list (`GET /api/v1/users?q=&group_id=&status=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Substring of the login ID, name or email, case-insensitive.
    pub q: Option<String>,
    /// Members (G4: direct members of it or of any group below it) of this group.
    pub group_id: Option<GroupId>,
    /// Only this status.
    pub status: Option<UserStatus>,
}

impl UserService {
    /// One user. Everyone sees themselves (P3); others need `users.view` over the user, and
    /// answer `not_found` when out of scope (P4). Errors: `not_found`; `unexpected`.
    pub async fn get(&self, actor: &Actor, id: UserId) -> Result<User, UserServiceError> {
        if id == actor.user_id {
            return Ok(self.users.get(id).await?.ok_or(Denied::NotFound)?);
        }
        let (user, target) = self.load(id).await?;
        let graph = self.groups.graph().await?;
        authorize(actor, &graph, Privilege::UsersView, &Target::User(target))?;
        Ok(user)
    }

    /// P4: one page of the users the actor may see with `users.view`, filtered. A `group_id`
    /// means the group's members per G4. Nothing in view, or an unknown group, gives an empty
    /// page (a list never answers `forbidden`). Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        query: UserQuery,
        page: PageRequest,
    ) -> Result<Page<User>, UserServiceError> {
        let graph = self.groups.graph().await?;
        let visibility = visibility(actor, &graph, Privilege::UsersView);
        if visibility == Visibility::Nothing {
            return Ok(Page::empty());
        }
        let in_groups = match query.group_id {
            None => None,
            Some(g) if graph.contains(g) => Some(graph.descendants_or_self(g)),
            Some(_) => return Ok(Page::empty()),
        };
        let filter = UserFilter {
            q: query.q.filter(|q| !q.trim().is_empty()),
            in_groups,
            status: query.status,
            visibility,
        };
        Ok(self.users.list(filter, page.clamped()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::services::testing::{Mocks, World, actor_of, admin, user};
    use std::collections::BTreeSet;

    #[tokio::test]
    async fn p3_self_always_sees_own_profile() {
        let alice = user("alice");
        let mut m = Mocks::new();
        m.with_user(&alice, BTreeSet::new());
        let service = UserService::new(&m.ports());
        let me = actor_of(&alice, BTreeSet::new());
        assert_eq!(service.get(&me, alice.id).await.unwrap(), alice);
    }

    #[tokio::test]
    async fn p4_viewer_in_scope_sees_user() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::groups([w.school]).unwrap());
        assert_eq!(service.get(&a, bob.id).await.unwrap(), bob);
    }

    #[tokio::test]
    async fn p4_user_out_of_scope_is_not_found() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.other].into());
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.get(&a, bob.id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p3_user_in_no_group_only_seen_with_scope_all() {
        let w = World::new();
        let loner = user("loner");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&loner, BTreeSet::new());
        let service = UserService::new(&m.ports());
        let scoped = admin(Privilege::UsersView, Scope::groups([w.school]).unwrap());
        assert_eq!(
            service.get(&scoped, loner.id).await.unwrap_err().code(),
            "not_found"
        );
        let all = admin(Privilege::UsersView, Scope::All);
        assert_eq!(service.get(&all, loner.id).await.unwrap(), loner);
    }

    #[tokio::test]
    async fn p4_list_passes_visibility_and_g4_expands_group_filter() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let (school, a, b) = (w.school, w.class_a, w.class_b);
        m.users
            .expect_list()
            .times(1)
            .withf(move |f, p| {
                f.visibility == Visibility::Groups([school, a, b].into())
                    && f.in_groups == Some([school, a, b].into())
                    && f.q.as_deref() == Some("sato")
                    && f.status == Some(UserStatus::Valid)
                    && p.limit == 50
            })
            .returning(|_, _| Ok(Page::empty()));
        let service = UserService::new(&m.ports());
        let viewer = admin(Privilege::UsersView, Scope::groups([w.school]).unwrap());
        let query = UserQuery {
            q: Some("sato".into()),
            group_id: Some(w.school),
            status: Some(UserStatus::Valid),
        };
        service
            .list(&viewer, query, PageRequest::default())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn p4_list_with_nothing_in_view_is_empty_without_asking_the_store() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_list().times(0);
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::GradesView, Scope::All);
        let page = service
            .list(&a, UserQuery::default(), PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.is_empty() && page.next_cursor.is_none());
    }

    #[tokio::test]
    async fn p4_list_by_unknown_group_is_empty() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_list().times(0);
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let query = UserQuery {
            group_id: Some(GroupId::new()),
            ..UserQuery::default()
        };
        let page = service
            .list(&a, query, PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }
}
