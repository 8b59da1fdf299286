//! Groups (G1–G5, P3–P5): `GET/POST /api/v1/groups`, `GET/PATCH/DELETE /api/v1/groups/{id}`,
//! `PUT/DELETE /api/v1/groups/{id}/parents/{parent_id}`, `GET /api/v1/groups/{id}/members`,
//! `PUT/DELETE /api/v1/groups/{id}/members/{user_id}`. A group out of scope answers 404 as
//! if absent (P4).

use super::Tag;
use crate::auth::Session;
use crate::dto::{GroupDetailsView, GroupPage, GroupPatchBody, GroupView, NewGroupBody, UserPage};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::PageRequest;
use uuid::Uuid;

#[derive(ApiResponse)]
enum GroupList {
    /// One page of the groups in scope.
    #[oai(status = 200)]
    Ok(Json<GroupPage>),
}

#[derive(ApiResponse)]
enum GroupCreated {
    /// Created.
    #[oai(status = 201)]
    Created(Json<GroupView>),
}

#[derive(ApiResponse)]
enum GroupFound {
    /// The group, with the parents and children the caller may see.
    #[oai(status = 200)]
    Ok(Json<GroupDetailsView>),
}

#[derive(ApiResponse)]
enum GroupUpdated {
    /// The group as it is now.
    #[oai(status = 200)]
    Ok(Json<GroupView>),
}

#[derive(ApiResponse)]
enum GroupDeleted {
    /// Deleted, with its memberships and the grants it held; no user was deleted (G5).
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
enum ParentAdded {
    /// The group is now below the parent.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
enum ParentRemoved {
    /// The group is no longer below the parent.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
enum MemberList {
    /// One page of the group's direct members.
    #[oai(status = 200)]
    Ok(Json<UserPage>),
}

#[derive(ApiResponse)]
enum MemberAdded {
    /// The user is a direct member of the group.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
enum MemberRemoved {
    /// The user is no longer a direct member of the group.
    #[oai(status = 204)]
    Done,
}

/// Group endpoints.
#[derive(Debug)]
pub struct GroupsApi;

#[OpenApi(prefix_path = "/api/v1/groups", tag = "Tag::Groups")]
impl GroupsApi {
    /// List the groups in the caller's `users.view` scope (P4), in a stable order (keyset
    /// pagination). Nothing in scope gives an empty page.
    #[oai(path = "/", method = "get", operation_id = "list_groups")]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Text in the name or external code (case-insensitive).
        q: Query<Option<String>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<GroupList> {
        let page = roster
            .groups
            .list(&session.0, q.0, PageRequest::new(limit.0, cursor.0))
            .await?;
        Ok(GroupList::Ok(Json(page.into())))
    }

    /// Create a group (G1). Needs `users.edit` over every parent given; a root group (no
    /// parent) needs `users.edit` with scope `all` (P3). A parent that does not exist or is
    /// out of view answers 422 `unknown_group`; a name or code in use, 409.
    #[oai(path = "/", method = "post", operation_id = "create_group")]
    async fn create(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<NewGroupBody>,
    ) -> ApiResult<GroupCreated> {
        let command = body.0.parse()?;
        let group = roster.groups.create(&session.0, command).await?;
        Ok(GroupCreated::Created(Json(group.into())))
    }

    /// One group in the caller's `users.view` scope, with its visible parents and children.
    #[oai(path = "/:id", method = "get", operation_id = "get_group")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<GroupFound> {
        let details = roster
            .groups
            .get(&session.0, GroupId::from_uuid(id.0))
            .await?;
        Ok(GroupFound::Ok(Json(details.into())))
    }

    /// Rename a group or change its external code or description (G1). Needs `users.edit`
    /// over the group.
    #[oai(path = "/:id", method = "patch", operation_id = "update_group")]
    async fn update(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<GroupPatchBody>,
    ) -> ApiResult<GroupUpdated> {
        let patch = body.0.parse()?;
        let group = roster
            .groups
            .update(&session.0, GroupId::from_uuid(id.0), patch)
            .await?;
        Ok(GroupUpdated::Ok(Json(group.into())))
    }

    /// Delete a group (G5): its memberships and the grants it holds go, never a user; its
    /// children lose it as a parent. Needs `users.edit` over it, and (P5) the power to revoke
    /// what the deletion takes away; a group that is not empty (members, sub-groups, or
    /// grants scoped on it) needs `users.edit` and `admin.authorization` with scope `all`.
    #[oai(path = "/:id", method = "delete", operation_id = "delete_group")]
    async fn delete(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<GroupDeleted> {
        roster
            .groups
            .delete(&session.0, GroupId::from_uuid(id.0))
            .await?;
        Ok(GroupDeleted::Done)
    }

    /// Nest the group below `parent_id` (G3). Needs `users.edit` over both; a cycle answers
    /// 409 `group_cycle` (`group_self_parent` for the group itself); the grants the new edge
    /// would extend must be ones the caller could give (P5).
    #[oai(
        path = "/:id/parents/:parent_id",
        method = "put",
        operation_id = "add_group_parent"
    )]
    async fn add_parent(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        parent_id: Path<Uuid>,
    ) -> ApiResult<ParentAdded> {
        roster
            .groups
            .add_parent(
                &session.0,
                GroupId::from_uuid(id.0),
                GroupId::from_uuid(parent_id.0),
            )
            .await?;
        Ok(ParentAdded::Done)
    }

    /// Take the group out from below `parent_id` (G3). Needs `users.edit` over both; no such
    /// edge answers 404.
    #[oai(
        path = "/:id/parents/:parent_id",
        method = "delete",
        operation_id = "remove_group_parent"
    )]
    async fn remove_parent(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        parent_id: Path<Uuid>,
    ) -> ApiResult<ParentRemoved> {
        roster
            .groups
            .remove_parent(
                &session.0,
                GroupId::from_uuid(id.0),
                GroupId::from_uuid(parent_id.0),
            )
            .await?;
        Ok(ParentRemoved::Done)
    }

    /// The group's direct members, in a stable order (keyset pagination). Needs `users.view`
    /// over the group.
    #[oai(
        path = "/:id/members",
        method = "get",
        operation_id = "list_group_members"
    )]
    async fn members(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<MemberList> {
        let page = roster
            .groups
            .members(
                &session.0,
                GroupId::from_uuid(id.0),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(MemberList::Ok(Json(page.into())))
    }

    /// Make a user a direct member of the group (G2). Needs `users.edit` over the group and
    /// the user; never one's own groups (P3); the user may hold nothing beyond the caller,
    /// and the group's grants must be ones the caller could give (P5).
    #[oai(
        path = "/:id/members/:user_id",
        method = "put",
        operation_id = "add_group_member"
    )]
    async fn add_member(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> ApiResult<MemberAdded> {
        roster
            .groups
            .add_member(
                &session.0,
                GroupId::from_uuid(id.0),
                UserId::from_uuid(user_id.0),
            )
            .await?;
        Ok(MemberAdded::Done)
    }

    /// End a user's direct membership (G2). As for adding; a user who is not a direct member
    /// answers 404; only `users.edit` with scope `all` may leave a user in no group (P3).
    #[oai(
        path = "/:id/members/:user_id",
        method = "delete",
        operation_id = "remove_group_member"
    )]
    async fn remove_member(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> ApiResult<MemberRemoved> {
        roster
            .groups
            .remove_member(
                &session.0,
                GroupId::from_uuid(id.0),
                UserId::from_uuid(user_id.0),
            )
            .await?;
        Ok(MemberRemoved::Done)
    }
}
