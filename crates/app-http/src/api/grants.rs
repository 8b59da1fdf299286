//! Grants (P2, P4, P5): `GET/POST /api/v1/grants`, `DELETE /api/v1/grants/{id}`. Granting
//! and revoking need `admin.authorization` over the subject, and only what the caller holds
//! itself, within its own scope (P5).

use super::Tag;
use crate::auth::Session;
use crate::dto::{GrantPage, GrantView, NewGrantBody, PrivilegeDto, grant_query};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::GrantId;
use roster_domain::ports::PageRequest;
use uuid::Uuid;

#[derive(ApiResponse)]
enum GrantList {
    /// One page of the grants the caller may see.
    #[oai(status = 200)]
    Ok(Json<GrantPage>),
}

#[derive(ApiResponse)]
enum GrantCreated {
    /// Granted.
    #[oai(status = 201)]
    Created(Json<GrantView>),
}

#[derive(ApiResponse)]
enum GrantRevoked {
    /// Revoked.
    #[oai(status = 204)]
    Done,
}

/// Grant endpoints.
#[derive(Debug)]
pub struct GrantsApi;

#[OpenApi(prefix_path = "/api/v1/grants", tag = "Tag::Grants")]
impl GrantsApi {
    /// List grants (keyset pagination): with `admin.authorization`, those held by users and
    /// groups in its scope; without it, only the caller's own (P4). At most one subject
    /// filter.
    #[oai(path = "/", method = "get", operation_id = "list_grants")]
    // Each query parameter is one argument of the handler: the list's filters and paging.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Only grants held by this user.
        subject_user_id: Query<Option<Uuid>>,
        /// Only grants held by this group.
        subject_group_id: Query<Option<Uuid>>,
        /// Only this privilege.
        privilege: Query<Option<PrivilegeDto>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<GrantList> {
        let query = grant_query(subject_user_id.0, subject_group_id.0, privilege.0)?;
        let page = roster
            .grants
            .list(&session.0, query, PageRequest::new(limit.0, cursor.0))
            .await?;
        Ok(GrantList::Ok(Json(page.into())))
    }

    /// Grant a privilege to a user or a group (P2): exactly one of `subject_user_id` and
    /// `subject_group_id`. Needs `admin.authorization` over the subject; never to oneself
    /// (P3), nor to the owner or a user holding more than the caller; and only a privilege
    /// the caller holds over at least the whole scope (P5: `privilege_not_held`,
    /// `scope_exceeds_own`). The same grant twice answers 409 `grant_exists`.
    #[oai(path = "/", method = "post", operation_id = "create_grant")]
    async fn create(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<NewGrantBody>,
    ) -> ApiResult<GrantCreated> {
        let grant = body.0.parse()?;
        let created = roster.grants.create(&session.0, grant).await?;
        Ok(GrantCreated::Created(Json(GrantView::from(&created))))
    }

    /// Revoke a grant. Needs `admin.authorization` over its subject and the power to have
    /// granted it (P5); never one's own (P3).
    #[oai(path = "/:id", method = "delete", operation_id = "delete_grant")]
    async fn delete(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<GrantRevoked> {
        roster
            .grants
            .revoke(&session.0, GrantId::from_uuid(id.0))
            .await?;
        Ok(GrantRevoked::Done)
    }
}
