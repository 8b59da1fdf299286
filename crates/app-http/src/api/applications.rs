//! A2–A4: applications. Public: `POST /api/v1/applications` (throttled per client address
//! by the domain, S3) and `POST /api/v1/applications/activate`. Administrators
//! (`users.edit` in the application's group scope): list, open, approve, reject.
//!
//! Enumeration (A6, S2): the public answer to an application is the same whether or not
//! the email is in use; a taken login ID answers `login_id_taken` (the form must say so, and
//! each such answer counts against the address). See docs/security.md.

use super::Tag;
use crate::auth::Session;
use crate::client::client_info;
use crate::dto::{
    ActivatedView, ApplicationPage, ApplicationStatusDto, ApplicationView, AppliedView, ApplyBody,
    DecisionBody, DecisionView, TokenBody,
};
use crate::problem::ApiResult;
use crate::state::Roster;
use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::ApplicationId;
use roster_domain::ports::PageRequest;
use roster_domain::ports::registration::ApplicationFilter;
use roster_domain::registration::ApplicationStatus;
use roster_domain::services::joining::Decision;
use uuid::Uuid;

#[derive(ApiResponse)]
enum Applied {
    /// Applied: the activation link was mailed to the address.
    #[oai(status = 201)]
    Created(Json<AppliedView>),
}

#[derive(ApiResponse)]
enum Activated {
    /// Activated.
    #[oai(status = 200)]
    Ok(Json<ActivatedView>),
}

#[derive(ApiResponse)]
enum ApplicationList {
    /// One page of the applications in scope, newest first.
    #[oai(status = 200)]
    Ok(Json<ApplicationPage>),
}

#[derive(ApiResponse)]
enum ApplicationFound {
    /// The application.
    #[oai(status = 200)]
    Ok(Json<ApplicationView>),
}

#[derive(ApiResponse)]
enum Decided {
    /// Decided.
    #[oai(status = 200)]
    Ok(Json<DecisionView>),
}

fn decided(d: Decision) -> Decided {
    Decided::Ok(Json(DecisionView {
        application: d.application.into(),
        user_id: d.user_id.map(|u| u.as_uuid()),
        mailed: d.mailed,
    }))
}

/// Application endpoints.
#[derive(Debug)]
pub struct ApplicationsApi;

#[OpenApi(prefix_path = "/api/v1/applications", tag = "Tag::Applications")]
impl ApplicationsApi {
    /// Apply for an account (A2, public): the application is `not_activated` and an
    /// activation link goes to the email. Through a registration URL, give its token and,
    /// when it has codes, one of them (A5). Refusals: `registration_closed`, the
    /// `registration_url_*` / `registration_code_*` codes, `login_id_taken` (A6),
    /// `validation_failed`, `too_many_attempts` (S3). An email already in use is not refused.
    #[oai(path = "/", method = "post", operation_id = "apply")]
    async fn apply(
        &self,
        roster: Data<&Roster>,
        req: &Request,
        body: Json<ApplyBody>,
    ) -> ApiResult<Applied> {
        let client = client_info(req, roster.config.client_address);
        let submitted = roster.applications.submit(body.0.into(), &client).await?;
        // The activation link (handed back when activation mail is off) proves the
        // address: it is for an embedding host's own mailer, never for the applicant.
        Ok(Applied::Created(Json(AppliedView {
            id: submitted.application_id.as_uuid(),
            status: ApplicationStatusDto::NotActivated,
            activation_expires_at: submitted.activation_expires_at,
        })))
    }

    /// Activate an application with the mailed token (A3, public): `approved` with automatic
    /// approval (log in now), else `unapproved`. Refusals: `token_invalid`, `token_expired`,
    /// `application_already_activated`, `login_id_taken`.
    #[oai(
        path = "/activate",
        method = "post",
        operation_id = "activate_application"
    )]
    async fn activate(&self, roster: Data<&Roster>, body: Json<TokenBody>) -> ApiResult<Activated> {
        let activated = roster.applications.activate(&body.0.token).await?;
        Ok(Activated::Ok(Json(ActivatedView {
            status: activated.status.into(),
        })))
    }

    /// The applications in the caller's `users.edit` scope (A4), newest first.
    #[oai(path = "/", method = "get", operation_id = "list_applications")]
    // poem-openapi takes each query parameter as its own argument.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Only this status.
        status: Query<Option<ApplicationStatusDto>>,
        /// Login IDs containing this text (case-insensitive).
        login_id: Query<Option<String>>,
        /// Emails containing this text (case-insensitive).
        email: Query<Option<String>>,
        /// Applied at or after.
        from: Query<Option<DateTime<Utc>>>,
        /// Applied before.
        to: Query<Option<DateTime<Utc>>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<ApplicationList> {
        let filter = ApplicationFilter {
            status: status.0.map(ApplicationStatus::from),
            login_id: login_id.0.filter(|s| !s.is_empty()),
            email: email.0.filter(|s| !s.is_empty()),
            applied_from: from.0,
            applied_to: to.0,
            group_ids: None,
        };
        let page = roster
            .applications
            .list(&session.0, filter, PageRequest::new(limit.0, cursor.0))
            .await?;
        Ok(ApplicationList::Ok(Json(page.into())))
    }

    /// One application (A4).
    #[oai(path = "/:id", method = "get", operation_id = "get_application")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<ApplicationFound> {
        let app = roster
            .applications
            .get(&session.0, ApplicationId::from_uuid(id.0))
            .await?;
        Ok(ApplicationFound::Ok(Json(app.into())))
    }

    /// Approve an activated application (A4): the user is created `valid` in its groups;
    /// with `notify`, the applicant is mailed (when that notification is on, M3).
    #[oai(
        path = "/:id/approve",
        method = "post",
        operation_id = "approve_application"
    )]
    async fn approve(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<DecisionBody>,
    ) -> ApiResult<Decided> {
        let d = roster
            .applications
            .approve(&session.0, ApplicationId::from_uuid(id.0), body.0.notify)
            .await?;
        Ok(decided(d))
    }

    /// Do not approve an activated application (A4); with `notify`, the applicant is mailed.
    #[oai(
        path = "/:id/reject",
        method = "post",
        operation_id = "reject_application"
    )]
    async fn reject(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
        body: Json<DecisionBody>,
    ) -> ApiResult<Decided> {
        let d = roster
            .applications
            .reject(&session.0, ApplicationId::from_uuid(id.0), body.0.notify)
            .await?;
        Ok(decided(d))
    }
}
