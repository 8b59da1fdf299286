//! Listing grants (P4): what `admin.authorization` covers, or one's own.

use super::{GrantService, GrantServiceError};
use crate::authz::{Actor, Grant, Privilege, Subject, Visibility, visibility};
use crate::ports::grants::GrantFilter;
use crate::ports::{Page, PageRequest};

/// The filters of the grant list (`GET /api/v1/grants`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrantQuery {
    /// Only grants held by this user or group.
    pub subject: Option<Subject>,
    /// Only this privilege.
    pub privilege: Option<Privilege>,
}

impl GrantService {
    /// P4: one page of grants. With `admin.authorization`, those held by users and groups in
    /// its scope; one's own grants are always listed when asked for (`subject` = oneself), and
    /// are all an actor without `admin.authorization` sees. Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        query: GrantQuery,
        page: PageRequest,
    ) -> Result<Page<Grant>, GrantServiceError> {
        let own = Subject::User(actor.user_id);
        let graph = self.groups.graph().await?;
        let visibility = match (
            query.subject,
            visibility(actor, &graph, Privilege::AdminAuthorization),
        ) {
            (Some(s), _) if s == own => Visibility::All,
            (None, Visibility::Nothing) => {
                let filter = GrantFilter {
                    subject: Some(own),
                    privilege: query.privilege,
                    visibility: Visibility::All,
                };
                return Ok(self.grants.list(filter, page.clamped()).await?);
            }
            (Some(_), Visibility::Nothing) => return Ok(Page::empty()),
            (_, v @ (Visibility::All | Visibility::Groups(_))) => v,
        };
        let filter = GrantFilter {
            subject: query.subject,
            privilege: query.privilege,
            visibility,
        };
        Ok(self.grants.list(filter, page.clamped()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::ids::UserId;
    use crate::services::testing::{Mocks, World, admin};

    #[tokio::test]
    async fn p4_without_admin_authorization_only_own_grants_are_listed() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let a = admin(Privilege::UsersEdit, Scope::All);
        let own = Subject::User(a.user_id);
        m.grants
            .expect_list()
            .times(1)
            .withf(move |f, _| f.subject == Some(own) && f.visibility == Visibility::All)
            .returning(|_, _| Ok(Page::empty()));
        let service = GrantService::new(&m.ports());
        service
            .list(&a, GrantQuery::default(), PageRequest::default())
            .await
            .unwrap();
        let other = GrantQuery {
            subject: Some(Subject::User(UserId::new())),
            privilege: None,
        };
        let page = service
            .list(&a, other, PageRequest::default())
            .await
            .unwrap();
        assert!(page.items.is_empty(), "others' grants stay hidden");
    }

    #[tokio::test]
    async fn p4_admin_lists_grants_in_its_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let expected = Visibility::Groups([w.school, w.class_a, w.class_b].into());
        m.grants
            .expect_list()
            .times(1)
            .withf(move |f, _| {
                f.visibility == expected && f.privilege == Some(Privilege::UsersView)
            })
            .returning(|_, _| Ok(Page::empty()));
        let service = GrantService::new(&m.ports());
        let a = admin(
            Privilege::AdminAuthorization,
            Scope::groups([w.school]).unwrap(),
        );
        let query = GrantQuery {
            subject: None,
            privilege: Some(Privilege::UsersView),
        };
        service
            .list(&a, query, PageRequest::default())
            .await
            .unwrap();
    }
}
