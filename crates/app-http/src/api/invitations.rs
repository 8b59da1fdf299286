//! U5: `POST /api/v1/users/{id}/invitation` (re-)invites a pending user — the previous link
//! stops working — and `POST /api/v1/invitations/accept` (public) sets the first password.

use super::Tag;
use crate::auth::Session;
use crate::dto::{InvitationView, TokenPasswordBody};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::UserId;
use roster_domain::ports::password::PlainPassword;
use uuid::Uuid;

#[derive(ApiResponse)]
enum Invited {
    /// The invitation was queued for mail (or, with invitation mail off, its link is here).
    #[oai(status = 200)]
    Ok(Json<InvitationView>),
}

#[derive(ApiResponse)]
enum Accepted {
    /// The password is set; the user is `valid` and can log in.
    #[oai(status = 204)]
    Done,
}

/// Invitation endpoints.
#[derive(Debug)]
pub struct InvitationsApi;

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Users")]
impl InvitationsApi {
    /// (Re-)invite a pending user with an email (U5): a new single-use link (7 days by
    /// default) goes by mail and any earlier link stops working. Needs `users.edit` over
    /// the user. Refusals: `not_pending`, `email_required`.
    #[oai(
        path = "/users/:id/invitation",
        method = "post",
        operation_id = "invite_user"
    )]
    async fn invite(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<Invited> {
        let invitation = roster
            .invitations
            .invite(&session.0, UserId::from_uuid(id.0))
            .await?;
        Ok(Invited::Ok(Json(InvitationView {
            user_id: invitation.user_id.as_uuid(),
            expires_at: invitation.expires_at,
            link: invitation.link,
        })))
    }

    /// Accept an invitation (U5, public): set the first password with the mailed token.
    /// Refusals: `token_invalid` (unknown, used or superseded), `token_expired`,
    /// `validation_failed` (the password policy; the link stays usable).
    #[oai(
        path = "/invitations/accept",
        method = "post",
        operation_id = "accept_invitation"
    )]
    async fn accept(
        &self,
        roster: Data<&Roster>,
        body: Json<TokenPasswordBody>,
    ) -> ApiResult<Accepted> {
        let TokenPasswordBody { token, password } = body.0;
        roster
            .invitations
            .accept_invitation(&token, PlainPassword::new(password))
            .await?;
        Ok(Accepted::Done)
    }
}
