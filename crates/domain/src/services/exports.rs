//! CSV export (C7, P1, P4): the users in the actor's scope, filtered like the user list,
//! as rows of the import format — never a password, every value neutralised against
//! spreadsheet formulas. Page by page, so memory stays flat however many users there are;
//! the codec (`infra-csv`) writes the rows in the encoding asked for. The groups cell lists
//! only the groups the actor can see (`users.view` over the group, P4).

use super::Ports;
use super::guard::require_some;
use super::users::UserQuery;
use crate::authz::{Actor, Denied, Privilege, Target, is_allowed};
use crate::csv::{export_header, export_record};
use crate::error::{ErrorCode, Unexpected};
use crate::group::GroupName;
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::ports::StoreError;
use crate::ports::groups::GroupRepository;
use crate::ports::imports::ExportLookups;
use crate::ports::users::{UserFilter, UserRepository};
use crate::ports::{Page, PageRequest};
use crate::user::User;
use std::fmt;
use std::sync::Arc;

/// Why an export was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// P1: exporting needs `users.edit` somewhere (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ExportError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(d) => d.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// Exports users as CSV rows.
#[derive(Clone)]
pub struct ExportService {
    users: Arc<dyn UserRepository>,
    groups: Arc<dyn GroupRepository>,
    names: Arc<dyn ExportLookups>,
}

impl fmt::Debug for ExportService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportService").finish_non_exhaustive()
    }
}

impl ExportService {
    /// The service over these ports.
    pub fn new(ports: &Ports, names: Arc<dyn ExportLookups>) -> Self {
        Self {
            users: ports.users.clone(),
            groups: ports.groups.clone(),
            names,
        }
    }

    /// C7: the header row — `login_id, name, email, groups, status, expires_at`, then the
    /// custom field keys (U8). No password column.
    pub fn header(&self, field_keys: &[String]) -> Vec<String> {
        export_header(field_keys)
    }

    /// C7: one page of rows, in [`ExportService::header`]'s column order. The caller writes
    /// the header, then asks page after page with each `next_cursor` until there is none.
    /// P1: needs `users.edit` (it covers CSV export); the rows are the users in its scope
    /// (P4), narrowed by the user list's filters (`q`, `group_id` with the groups below it,
    /// `status`). An unknown group gives an empty page. Errors: `forbidden`; `unexpected`.
    pub async fn page(
        &self,
        actor: &Actor,
        query: &UserQuery,
        field_keys: &[String],
        page: PageRequest,
    ) -> Result<Page<Vec<String>>, ExportError> {
        let graph = self.groups.graph().await?;
        let visibility = require_some(actor, &graph, Privilege::UsersEdit)?;
        let in_groups = match query.group_id {
            None => None,
            Some(g) if graph.contains(g) => Some(graph.descendants_or_self(g)),
            Some(_) => return Ok(Page::empty()),
        };
        let filter = UserFilter {
            q: query.q.clone().filter(|q| !q.trim().is_empty()),
            in_groups,
            status: query.status,
            visibility,
        };
        let users = self.users.list(filter, page.clamped()).await?;
        if users.items.is_empty() {
            return Ok(users.map(|_: User| Vec::new()));
        }
        let ids: Vec<_> = users.items.iter().map(|u| u.id).collect();
        let names = self.names.group_names(&ids).await?;
        Ok(users.map(|user| {
            // P4: only the groups the actor can see; the import reads the cell as speaking
            // about visible groups only, so the others survive a round trip (C7).
            let groups = names.get(&user.id).map_or(&[][..], Vec::as_slice);
            export_record(
                &user,
                &visible_group_names(actor, &graph, groups),
                field_keys,
            )
        }))
    }
}

/// P4: the names of the groups the actor can see (`users.view` over the group), in order.
pub(crate) fn visible_group_names(
    actor: &Actor,
    graph: &GroupGraph,
    groups: &[(GroupId, GroupName)],
) -> Vec<GroupName> {
    groups
        .iter()
        .filter(|(g, _)| is_allowed(actor, graph, Privilege::UsersView, &Target::Group(*g)))
        .map(|(_, name)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Scope, Visibility};
    use crate::group::GroupName;
    use crate::ports::imports::MockExportLookups;
    use crate::services::testing::{Mocks, World, admin, user};
    use crate::user::UserStatus;
    use std::collections::BTreeMap;

    fn keys() -> Vec<String> {
        vec!["dept".into()]
    }

    #[tokio::test]
    async fn c7_export_pages_the_scope_with_group_names_neutralised_and_no_password() {
        let w = World::new();
        let mut formula = user("=cmd");
        formula.attributes.insert("dept".into(), "+81 3".into());
        let plain = user("hanako");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let (school, a, b) = (w.school, w.class_a, w.class_b);
        let page_users = vec![formula.clone(), plain.clone()];
        m.users
            .expect_list()
            .times(1)
            .withf(move |f, p| {
                f.visibility == Visibility::Groups([school, a, b].into())
                    && f.in_groups == Some([a].into())
                    && f.status == Some(UserStatus::Valid)
                    && f.q.is_none()
                    && p.limit == 500
                    && p.cursor.as_deref() == Some("c1")
            })
            .returning(move |_, _| {
                Ok(Page {
                    items: page_users.clone(),
                    next_cursor: Some("c2".into()),
                })
            });
        let mut names = MockExportLookups::new();
        let (fid, pid) = (formula.id, plain.id);
        names
            .expect_group_names()
            .times(1)
            .withf(move |ids| ids == [fid, pid])
            .returning(move |_| {
                Ok(BTreeMap::from([(
                    fid,
                    vec![
                        (a, GroupName::parse("1-A").unwrap()),
                        (b, GroupName::parse("@x").unwrap()),
                    ],
                )]))
            });
        let service = ExportService::new(&m.ports(), Arc::new(names));
        let manager = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let query = UserQuery {
            q: Some("  ".into()),
            group_id: Some(w.class_a),
            status: Some(UserStatus::Valid),
        };
        let request = PageRequest::new(Some(10_000), Some("c1".into()));
        let page = service
            .page(&manager, &query, &keys(), request)
            .await
            .unwrap();
        let header = service.header(&keys());
        assert!(!header.iter().any(|c| c.contains("password")));
        assert_eq!(page.next_cursor.as_deref(), Some("c2"));
        assert_eq!(
            page.items[0],
            ["'=cmd", "'=cmd", "", "1-A;@x", "valid", "", "'+81 3"]
        );
        assert_eq!(page.items[1][0], "hanako");
        assert_eq!(page.items[1][3], "", "no groups");
        assert!(page.items.iter().all(|r| r.len() == header.len()));
    }

    #[tokio::test]
    async fn p4_c7_export_lists_only_the_groups_the_actor_can_see() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let member = user("kenji");
        let listed = vec![member.clone()];
        m.users.expect_list().returning(move |_, _| {
            Ok(Page {
                items: listed.clone(),
                next_cursor: None,
            })
        });
        let mut names = MockExportLookups::new();
        let (id, a, other) = (member.id, w.class_a, w.other);
        names.expect_group_names().times(2).returning(move |_| {
            Ok(BTreeMap::from([(
                id,
                vec![
                    (a, GroupName::parse("1-A").unwrap()),
                    (other, GroupName::parse("Secret").unwrap()),
                ],
            )]))
        });
        let service = ExportService::new(&m.ports(), Arc::new(names));
        let manager = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let page = service
            .page(&manager, &UserQuery::default(), &[], PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            page.items[0][3], "1-A",
            "`Secret` is out of the actor's view"
        );
        let everything = admin(Privilege::UsersEdit, Scope::All);
        let page = service
            .page(
                &everything,
                &UserQuery::default(),
                &[],
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(page.items[0][3], "1-A;Secret");
    }

    #[tokio::test]
    async fn p1_export_needs_users_edit() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_list().times(0);
        let mut names = MockExportLookups::new();
        names.expect_group_names().times(0);
        let service = ExportService::new(&m.ports(), Arc::new(names));
        let viewer = admin(Privilege::UsersView, Scope::All);
        let err = service
            .page(&viewer, &UserQuery::default(), &[], PageRequest::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn c7_unknown_group_filter_exports_nothing() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_list().times(0);
        let service = ExportService::new(&m.ports(), Arc::new(MockExportLookups::new()));
        let query = UserQuery {
            group_id: Some(GroupId::new()),
            ..UserQuery::default()
        };
        let page = service
            .page(
                &admin(Privilege::UsersEdit, Scope::All),
                &query,
                &[],
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(page.items.is_empty() && page.next_cursor.is_none());
    }

    #[tokio::test]
    async fn c7_empty_page_asks_no_group_names() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_list().returning(|_, _| Ok(Page::empty()));
        let mut names = MockExportLookups::new();
        names.expect_group_names().times(0);
        let service = ExportService::new(&m.ports(), Arc::new(names));
        let page = service
            .page(
                &admin(Privilege::UsersEdit, Scope::All),
                &UserQuery::default(),
                &[],
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }
}
