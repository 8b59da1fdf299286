//! M3: `GET/PUT /api/v1/settings/notifications` — the switch of each kind of mail, with
//! `admin.notifications` (scope `all`). A kind switched off is not queued by the flows.

use super::Tag;
use crate::auth::Session;
use crate::dto::NotificationsDto;
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

#[derive(ApiResponse)]
enum Switches {
    /// The switches in force.
    #[oai(status = 200)]
    Ok(Json<NotificationsDto>),
}

/// Notification endpoints.
#[derive(Debug)]
pub struct NotificationsApi;

#[OpenApi(prefix_path = "/api/v1/settings/notifications", tag = "Tag::Mail")]
impl NotificationsApi {
    /// The notification switches (M3). Needs `admin.notifications`.
    #[oai(path = "/", method = "get", operation_id = "get_notifications")]
    async fn get(&self, roster: Data<&Roster>, session: Session) -> ApiResult<Switches> {
        let s = roster.settings.notification_settings(&session.0).await?;
        Ok(Switches::Ok(Json(s.into())))
    }

    /// Replace the notification switches (M3). Needs `admin.notifications`; audited.
    #[oai(path = "/", method = "put", operation_id = "put_notifications")]
    async fn put(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<NotificationsDto>,
    ) -> ApiResult<Switches> {
        let s = roster
            .settings
            .put_notification_settings(&session.0, body.0.into())
            .await?;
        Ok(Switches::Ok(Json(s.into())))
    }
}
