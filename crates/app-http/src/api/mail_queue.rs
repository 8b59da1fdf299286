//! M4: `GET /api/v1/mail-queue?status=` — failures are visible: administrators with
//! `admin.notifications` see queued mail (with the last error of a retry that waits),
//! sent mail and mail given up, newest first. Never the mail's variables.

use super::Tag;
use crate::auth::Session;
use crate::dto::{MailStatusDto, QueuedMailPage};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ports::PageRequest;

#[derive(ApiResponse)]
enum Queue {
    /// One page of the queue.
    #[oai(status = 200)]
    Ok(Json<QueuedMailPage>),
}

/// Mail queue endpoint.
#[derive(Debug)]
pub struct MailQueueApi;

#[OpenApi(prefix_path = "/api/v1/mail-queue", tag = "Tag::Mail")]
impl MailQueueApi {
    /// List the mail queue (M4), newest first (keyset pagination). Needs
    /// `admin.notifications`.
    #[oai(path = "/", method = "get", operation_id = "list_mail_queue")]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Only mail with this status (`failed`: given up).
        status: Query<Option<MailStatusDto>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Queue> {
        let page = roster
            .settings
            .mail_queue(
                &session.0,
                status.0.map(Into::into),
                PageRequest::new(limit.0, cursor.0),
            )
            .await?;
        Ok(Queue::Ok(Json(page.into())))
    }
}
