//! The caller's own account (P3, U10): `GET/PATCH /api/v1/me`, `POST /api/v1/me/password`.

use super::Tag;
use crate::auth::Session;
use crate::dto::{Fields, GrantView, UserView};
use crate::problem::{ApiError, ApiResult};
use crate::state::Roster;
use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::ProfilePatch;
use roster_domain::user::{DisplayName, Email};
use uuid::Uuid;

/// The caller's account, its direct groups and the grants that apply to it.
#[derive(Debug, Object)]
struct ProfileView {
    /// The account.
    user: UserView,
    /// The groups it is a direct member of.
    group_ids: Vec<Uuid>,
    /// Its effective grants: its own and its groups' (G4).
    grants: Vec<GrantView>,
}

/// What a user may change about itself. Absent fields stay as they are.
#[derive(Object)]
struct ProfilePatchBody {
    /// New display name.
    name: Option<String>,
    /// New email, or `null` to remove it. Needs `current_password` (U10).
    email: MaybeUndefined<String>,
    /// The current password, needed to change the email.
    current_password: Option<String>,
    /// The `updated_at` last seen; a later change answers 409 `conflict`.
    expected_updated_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ProfilePatchBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfilePatchBody").finish_non_exhaustive()
    }
}

impl ProfilePatchBody {
    fn parse(self) -> Result<ProfilePatch, ApiError> {
        let mut errors = Fields::new();
        let name = match &self.name {
            Some(raw) => errors.check("name", DisplayName::parse(raw)).map(Some),
            None => Some(None),
        };
        let email = match &self.email {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(raw) => errors
                .check("email", Email::parse(raw))
                .map(|e| Some(Some(e))),
        };
        errors.finish()?;
        let (Some(name), Some(email)) = (name, email) else {
            return Err(ApiError::unexpected());
        };
        Ok(ProfilePatch {
            name,
            email,
            current_password: self.current_password.map(PlainPassword::new),
            expected_updated_at: self.expected_updated_at,
        })
    }
}

/// A password change.
#[derive(Object)]
struct PasswordChange {
    /// The current password.
    #[oai(validator(max_length = 4096))]
    current_password: String,
    /// The new password (8–256 characters, not too guessable).
    #[oai(validator(max_length = 4096))]
    new_password: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChange").finish_non_exhaustive()
    }
}

#[derive(ApiResponse)]
enum ProfileAnswer {
    /// The profile.
    #[oai(status = 200)]
    Ok(Json<ProfileView>),
}

#[derive(ApiResponse)]
enum MeUpdated {
    /// The account as it is now.
    #[oai(status = 200)]
    Ok(Json<UserView>),
}

#[derive(ApiResponse)]
enum PasswordChanged {
    /// Changed; every session of the account has ended, this one included (S1).
    #[oai(status = 204)]
    Done,
}

/// Self-service endpoints.
#[derive(Debug)]
pub struct MeApi;

#[OpenApi(prefix_path = "/api/v1/me", tag = "Tag::Me")]
impl MeApi {
    /// The caller's profile and effective grants.
    #[oai(path = "/", method = "get", operation_id = "get_me")]
    async fn get(&self, roster: Data<&Roster>, session: Session) -> ApiResult<ProfileAnswer> {
        let profile = roster.me.profile(&session.0).await?;
        Ok(ProfileAnswer::Ok(Json(ProfileView {
            user: profile.user.into(),
            group_ids: profile.group_ids.iter().map(|g| g.as_uuid()).collect(),
            grants: profile.grants.iter().map(GrantView::from).collect(),
        })))
    }

    /// Change one's own name or email (P3). Status, expiry, groups and grants are not
    /// changed here — an administrator changes those.
    #[oai(path = "/", method = "patch", operation_id = "update_me")]
    async fn update(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<ProfilePatchBody>,
    ) -> ApiResult<MeUpdated> {
        let patch = body.0.parse()?;
        let user = roster.me.update_profile(&session.0, patch).await?;
        Ok(MeUpdated::Ok(Json(user.into())))
    }

    /// Change one's own password (U10): the current one is checked first; every session
    /// ends afterwards.
    #[oai(
        path = "/password",
        method = "post",
        operation_id = "change_my_password"
    )]
    async fn change_password(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<PasswordChange>,
    ) -> ApiResult<PasswordChanged> {
        let body = body.0;
        roster
            .me
            .change_password(
                &session.0,
                PlainPassword::new(body.current_password),
                PlainPassword::new(body.new_password),
            )
            .await?;
        Ok(PasswordChanged::Done)
    }
}
