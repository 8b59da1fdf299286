//! M2: `GET /api/v1/email-templates`, `GET/PUT /api/v1/email-templates/{kind}`,
//! `POST /api/v1/email-templates/{kind}/preview`, with `admin.email_templates` (scope
//! `all`). A template that does not render is refused at save with 422
//! (`template_syntax`, `template_unknown_variable`, `template_subject_*`…).

use super::Tag;
use crate::auth::Session;
use crate::dto::{MailKindDto, PreviewBody, RenderedDto, TemplateBody, TemplateDto, TemplateList};
use crate::problem::{ApiError, ApiResult};
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

#[derive(ApiResponse)]
enum Templates {
    /// Every kind's template in force.
    #[oai(status = 200)]
    Ok(Json<TemplateList>),
}

#[derive(ApiResponse)]
enum OneTemplate {
    /// The kind's template in force.
    #[oai(status = 200)]
    Ok(Json<TemplateDto>),
}

#[derive(ApiResponse)]
enum Preview {
    /// The template rendered with sample data.
    #[oai(status = 200)]
    Ok(Json<RenderedDto>),
}

/// Template endpoints.
#[derive(Debug)]
pub struct TemplatesApi;

#[OpenApi(prefix_path = "/api/v1/email-templates", tag = "Tag::Mail")]
impl TemplatesApi {
    /// Every kind's template (M2). Needs `admin.email_templates`.
    #[oai(path = "/", method = "get", operation_id = "list_email_templates")]
    async fn list(&self, roster: Data<&Roster>, session: Session) -> ApiResult<Templates> {
        let views = roster.settings.templates(&session.0).await?;
        Ok(Templates::Ok(Json(TemplateList {
            items: views.into_iter().map(Into::into).collect(),
            next_cursor: None,
        })))
    }

    /// One kind's template (M2). Needs `admin.email_templates`.
    #[oai(path = "/:kind", method = "get", operation_id = "get_email_template")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// The kind of mail.
        kind: Path<MailKindDto>,
    ) -> ApiResult<OneTemplate> {
        let view = roster.settings.template(&session.0, kind.0.into()).await?;
        Ok(OneTemplate::Ok(Json(view.into())))
    }

    /// Save a kind's subject and body (M2), refused with 422 unless it renders with sample
    /// data using only the kind's variables. Needs `admin.email_templates`; audited.
    #[oai(path = "/:kind", method = "put", operation_id = "put_email_template")]
    async fn put(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// The kind of mail.
        kind: Path<MailKindDto>,
        body: Json<TemplateBody>,
    ) -> ApiResult<OneTemplate> {
        let kind = kind.0.into();
        roster
            .settings
            .put_template(&session.0, kind, &body.0.subject, &body.0.body)
            .await?;
        let view = roster.settings.template(&session.0, kind).await?;
        Ok(OneTemplate::Ok(Json(view.into())))
    }

    /// Render a kind's template with sample data (M2): the draft in the body (`subject` and
    /// `body` together), or the template in force. Changes nothing. Needs
    /// `admin.email_templates`.
    #[oai(
        path = "/:kind/preview",
        method = "post",
        operation_id = "preview_email_template"
    )]
    async fn preview(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// The kind of mail.
        kind: Path<MailKindDto>,
        body: Json<PreviewBody>,
    ) -> ApiResult<Preview> {
        let draft = match (&body.0.subject, &body.0.body) {
            (Some(s), Some(b)) => Some((s.as_str(), b.as_str())),
            (None, None) => None,
            _ => {
                return Err(ApiError::bad_request(
                    "give both subject and body for a draft, or neither",
                ));
            }
        };
        let rendered = roster
            .settings
            .preview_template(&session.0, kind.0.into(), draft)
            .await?;
        Ok(Preview::Ok(Json(rendered.into())))
    }
}
