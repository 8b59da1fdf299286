//! A1: `GET/PUT /api/v1/settings/registration` — self-registration, automatic approval and
//! the purge of not-activated applications. `admin.settings` with scope `all` (the domain
//! decides); every change is audited there (Z1).

use super::Tag;
use crate::auth::Session;
use crate::dto::RegistrationSettingsDto;
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

#[derive(ApiResponse)]
enum SettingsAnswer {
    /// The settings in force.
    #[oai(status = 200)]
    Ok(Json<RegistrationSettingsDto>),
}

/// Registration settings endpoints.
#[derive(Debug)]
pub struct RegistrationSettingsApi;

#[OpenApi(
    prefix_path = "/api/v1/settings/registration",
    tag = "Tag::Registration"
)]
impl RegistrationSettingsApi {
    /// The registration settings (A1). Needs `admin.settings` with scope `all`.
    #[oai(path = "/", method = "get", operation_id = "get_registration_settings")]
    async fn get(&self, roster: Data<&Roster>, session: Session) -> ApiResult<SettingsAnswer> {
        let settings = roster.settings.registration_settings(&session.0).await?;
        Ok(SettingsAnswer::Ok(Json(settings.into())))
    }

    /// Replace the registration settings (A1). Needs `admin.settings` with scope `all`.
    #[oai(path = "/", method = "put", operation_id = "put_registration_settings")]
    async fn put(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<RegistrationSettingsDto>,
    ) -> ApiResult<SettingsAnswer> {
        let wanted = body.0.parse()?;
        let settings = roster
            .settings
            .put_registration_settings(&session.0, wanted)
            .await?;
        Ok(SettingsAnswer::Ok(Json(settings.into())))
    }
}
