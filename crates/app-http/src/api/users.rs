//! Users (U1–U7, P3–P5): `GET/POST /api/v1/users`, `GET/PATCH/DELETE /api/v1/users/{id}`,
//! `PUT /api/v1/users/{id}/password`. Lists show only users in the caller's scope; a user
//! out of scope answers 404 as if absent (P4).

use super::Tag;
use crate::auth::Session;
use crate::dto::{NewUserBody, PasswordBody, UserPage, UserPatchBody, UserStatusDto, UserView};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::UserQuery;
use uuid::Uuid;

#[derive(ApiResponse)]
enum UserList {
    /// One page of the users in scope.
    #[oai(status = 200)]
    Ok(Json<UserPage>),
}

#[derive(ApiResponse)]
enum UserCreated {
    /// Registered.
    #[oai(status = 201)]
    Created(Json<UserView>),
}

#[derive(ApiResponse)]
enum UserFound {
    /// The user.
    #[oai(status = 200)]
    Ok(Json<UserView>),
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    Done,
}

/// User endpoints.
#[derive(Debug)]
pub struct UsersApi;

#[OpenApi(prefix_path = "/api/v1/users", tag = "Tag::Users")]
impl UsersApi {
    /// List users in the caller's `users.view` scope, in id order (keyset pagination).
    #[oai(path = "/", method = "get", operation_id = "list_users")]
    // poem-openapi takes each query parameter as its own argument.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Text in the login ID, name or email (case-insensitive).
        q: Query<Option<String>>,
        /// Members of this group or of any group below it (G4).
        group_id: Query<Option<Uuid>>,
        /// Only users with this status.
        status: Query<Option<UserStatusDto>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<UserList> {
        let query = UserQuery {
            q: q.0,
            group_id: group_id.0.map(GroupId::from_uuid),
            status: status.0.map(Into::into),
        };
        let page = roster
            .users
            .list(&session.0, query, PageRequest::new(limit.0, cursor.0))
            .await?;
        Ok(UserList::Ok(Json(page.into())))
    }

    /// Register a user (U4), with or without a password. Needs `users.edit` over every
    /// group given; the new user may not end up holding more than the caller (P5).
    #[oai(path = "/", method = "post", operation_id = "create_user")]
    async fn create(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<NewUserBody>,
    ) -> ApiResult<UserCreated> {
        let command = body.0.parse()?;
        let user = roster.users.register(&session.0, command).await?;
        Ok(UserCreated::Created(Json(user.into())))
    }

    /// One user: oneself, or a user in the caller's `users.view` scope.
    #[oai(path = "/:id", method = "get", operation_id = "get_user")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<UserFound> {
        let user = roster
            .users
            .get(&session.0, UserId::from_uuid(id.0))
            .await?;
        Ok(UserFound::Ok(Json(user.into())))
    }

    /// Edit a user (U4): name, email, status, expiry, custom fields. Needs `users.edit`
    /// over the user, who may hold nothing beyond the caller (P5); only the owner edits
    /// the owner (U3); nobody changes their own status or expiry (P3).
    #[oai(path = "/:id", method = "patch", operation_id = "update_user")]
    async fn update(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<UserPatchBody>,
    ) -> ApiResult<UserFound> {
        let patch = body.0.parse()?;
        let user = roster
            .users
            .update(&session.0, UserId::from_uuid(id.0), patch)
            .await?;
        Ok(UserFound::Ok(Json(user.into())))
    }

    /// Delete a user and its sessions (U7). The owner cannot be deleted (U3).
    #[oai(path = "/:id", method = "delete", operation_id = "delete_user")]
    async fn delete(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<Done> {
        roster
            .users
            .delete(&session.0, UserId::from_uuid(id.0))
            .await?;
        Ok(Done::Done)
    }

    /// Set a user's password (U4). A pending user becomes valid; every session of the user
    /// ends (S1).
    #[oai(
        path = "/:id/password",
        method = "put",
        operation_id = "set_user_password"
    )]
    async fn set_password(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<PasswordBody>,
    ) -> ApiResult<Done> {
        roster
            .users
            .set_password(
                &session.0,
                UserId::from_uuid(id.0),
                PlainPassword::new(body.0.password),
            )
            .await?;
        Ok(Done::Done)
    }
}
