//! U8: `GET/POST /api/v1/settings/user-fields`, `PATCH/DELETE /api/v1/settings/user-fields/{key}`.
//! Changes need `admin.settings` with scope `all`; reading also works for anyone who sees
//! some users (they see the values). The domain decides and audits.

use super::Tag;
use crate::auth::Session;
use crate::dto::{NewUserFieldBody, UserFieldList, UserFieldPatchBody, UserFieldView};
use crate::problem::{ApiError, ApiResult};
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::user::FieldKey;

#[derive(ApiResponse)]
enum FieldList {
    /// The fields, in display order.
    #[oai(status = 200)]
    Ok(Json<UserFieldList>),
}

#[derive(ApiResponse)]
enum FieldCreated {
    /// Added at the end of the order.
    #[oai(status = 201)]
    Created(Json<UserFieldView>),
}

#[derive(ApiResponse)]
enum FieldFound {
    /// The field as it now is.
    #[oai(status = 200)]
    Ok(Json<UserFieldView>),
}

#[derive(ApiResponse)]
enum Done {
    /// Deleted, with its stored values.
    #[oai(status = 204)]
    Done,
}

/// An unknown key reads as an absent field (404), not a validation error.
fn key(raw: &str) -> Result<FieldKey, ApiError> {
    FieldKey::parse(raw).map_err(|_| ApiError::coded(&roster_domain::authz::Denied::NotFound))
}

/// User information field endpoints.
#[derive(Debug)]
pub struct UserFieldsApi;

#[OpenApi(
    prefix_path = "/api/v1/settings/user-fields",
    tag = "Tag::Registration"
)]
impl UserFieldsApi {
    /// The custom profile fields (U8).
    #[oai(path = "/", method = "get", operation_id = "list_user_fields")]
    async fn list(&self, roster: Data<&Roster>, session: Session) -> ApiResult<FieldList> {
        let fields = roster.settings.list_fields(&session.0).await?;
        Ok(FieldList::Ok(Json(UserFieldList {
            items: fields.into_iter().map(Into::into).collect(),
        })))
    }

    /// Add a custom field (U8). Needs `admin.settings` with scope `all`.
    #[oai(path = "/", method = "post", operation_id = "create_user_field")]
    async fn create(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<NewUserFieldBody>,
    ) -> ApiResult<FieldCreated> {
        let definition = body.0.parse()?;
        let created = roster.settings.create_field(&session.0, definition).await?;
        Ok(FieldCreated::Created(Json(created.into())))
    }

    /// Change a field's label, type, required or form flag; stored values are kept.
    #[oai(path = "/:key", method = "patch", operation_id = "update_user_field")]
    async fn update(
        &self,
        roster: Data<&Roster>,
        session: Session,
        key: Path<String>,
        body: Json<UserFieldPatchBody>,
    ) -> ApiResult<FieldFound> {
        let key = self::key(&key.0)?;
        let patch = body.0.parse()?;
        let updated = roster
            .settings
            .update_field(&session.0, &key, patch)
            .await?;
        Ok(FieldFound::Ok(Json(updated.into())))
    }

    /// Delete a field and every stored value of it.
    #[oai(path = "/:key", method = "delete", operation_id = "delete_user_field")]
    async fn delete(
        &self,
        roster: Data<&Roster>,
        session: Session,
        key: Path<String>,
    ) -> ApiResult<Done> {
        let key = self::key(&key.0)?;
        roster.settings.delete_field(&session.0, &key).await?;
        Ok(Done::Done)
    }
}
