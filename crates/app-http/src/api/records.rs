//! Learning records (L1, L2): `GET/POST /api/v1/users/{id}/scores`, `…/badges`,
//! `…/certificates`, `GET …/access-log`. Reading one's own records needs nothing more;
//! another user's scores need `grades.view`, the rest `users.view`; writing needs
//! `users.edit` over the user. A user out of view answers 404.

use super::Tag;
use crate::auth::Session;
use crate::dto::{
    AccessLogPage, BadgePage, BadgeView, CertificatePage, CertificateView, NewBadgeBody,
    NewCertificateBody, NewScoreBody, ScorePage, ScoreView,
};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::UserId;
use roster_domain::ports::PageRequest;
use uuid::Uuid;

#[derive(ApiResponse)]
enum Scores {
    /// One page of the user's scores, newest first.
    #[oai(status = 200)]
    Ok(Json<ScorePage>),
}

#[derive(ApiResponse)]
enum ScoreAdded {
    /// Recorded.
    #[oai(status = 201)]
    Created(Json<ScoreView>),
}

#[derive(ApiResponse)]
enum Badges {
    /// One page of the user's badges, newest award first.
    #[oai(status = 200)]
    Ok(Json<BadgePage>),
}

#[derive(ApiResponse)]
enum BadgeAdded {
    /// Awarded.
    #[oai(status = 201)]
    Created(Json<BadgeView>),
}

#[derive(ApiResponse)]
enum Certificates {
    /// One page of the user's certificates, newest first.
    #[oai(status = 200)]
    Ok(Json<CertificatePage>),
}

#[derive(ApiResponse)]
enum CertificateAdded {
    /// Issued.
    #[oai(status = 201)]
    Created(Json<CertificateView>),
}

#[derive(ApiResponse)]
enum AccessLog {
    /// One page of the user's access log, newest first.
    #[oai(status = 200)]
    Ok(Json<AccessLogPage>),
}

/// Learning-record endpoints.
#[derive(Debug)]
pub struct RecordsApi;

#[OpenApi(prefix_path = "/api/v1/users", tag = "Tag::Records")]
impl RecordsApi {
    /// A user's scores (L2: oneself, or `grades.view` over the user). Attempts superseded by
    /// an integration (I4) are left out unless `include_superseded=true`.
    #[oai(path = "/:id/scores", method = "get", operation_id = "list_scores")]
    async fn scores(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        /// Also list attempts kept but not shown (I4).
        include_superseded: Query<Option<bool>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Scores> {
        let page = roster
            .records
            .scores(
                &session.0,
                UserId::from_uuid(id.0),
                include_superseded.0.unwrap_or(false),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(Scores::Ok(Json(page.into())))
    }

    /// Record a score for a user (needs `users.edit` over the user).
    #[oai(path = "/:id/scores", method = "post", operation_id = "add_score")]
    async fn add_score(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<NewScoreBody>,
    ) -> ApiResult<ScoreAdded> {
        let new = body.0.parse()?;
        let score = roster
            .records
            .add_score(&session.0, UserId::from_uuid(id.0), new)
            .await?;
        Ok(ScoreAdded::Created(Json(score.into())))
    }

    /// A user's badges (oneself, or `users.view` over the user).
    #[oai(path = "/:id/badges", method = "get", operation_id = "list_badges")]
    async fn badges(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Badges> {
        let page = roster
            .records
            .badges(
                &session.0,
                UserId::from_uuid(id.0),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(Badges::Ok(Json(page.into())))
    }

    /// Award a badge to a user (needs `users.edit` over the user).
    #[oai(path = "/:id/badges", method = "post", operation_id = "add_badge")]
    async fn add_badge(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<NewBadgeBody>,
    ) -> ApiResult<BadgeAdded> {
        let new = body.0.parse()?;
        let award = roster
            .records
            .add_badge(&session.0, UserId::from_uuid(id.0), new)
            .await?;
        Ok(BadgeAdded::Created(Json(award.into())))
    }

    /// A user's certificates (oneself, or `users.view` over the user).
    #[oai(
        path = "/:id/certificates",
        method = "get",
        operation_id = "list_certificates"
    )]
    async fn certificates(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Certificates> {
        let page = roster
            .records
            .certificates(
                &session.0,
                UserId::from_uuid(id.0),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(Certificates::Ok(Json(page.into())))
    }

    /// Issue a certificate to a user (needs `users.edit` over the user).
    #[oai(
        path = "/:id/certificates",
        method = "post",
        operation_id = "add_certificate"
    )]
    async fn add_certificate(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<NewCertificateBody>,
    ) -> ApiResult<CertificateAdded> {
        let new = body.0.parse()?;
        let certificate = roster
            .records
            .add_certificate(&session.0, UserId::from_uuid(id.0), new)
            .await?;
        Ok(CertificateAdded::Created(Json(certificate.into())))
    }

    /// A user's access log (oneself, or `users.view` over the user); every login to
    /// Roster appends itself.
    #[oai(
        path = "/:id/access-log",
        method = "get",
        operation_id = "list_access_log"
    )]
    async fn access_log(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<AccessLog> {
        let page = roster
            .records
            .access_log(
                &session.0,
                UserId::from_uuid(id.0),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(AccessLog::Ok(Json(page.into())))
    }
}
