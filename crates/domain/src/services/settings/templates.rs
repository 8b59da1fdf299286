//! M2: email templates — administrators with `admin.email_templates` (scope `all`) read,
//! edit, reset and preview the subject and body of each kind of mail. A template is refused
//! at save time unless its shape passes, it uses only its kind's variables, and the mail
//! adapter's engine renders it with sample data; a preview renders with the same samples.

use super::{SettingsError, SettingsService};
use crate::authz::{Actor, Privilege};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::templates::RenderedMail;
use crate::registration::mail::check_variables;
use crate::registration::{EmailTemplate, MailKind};
use crate::services::audit::Details;

/// A kind's template as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    /// The template in force: the saved one, or the built-in one.
    pub template: EmailTemplate,
    /// Whether an administrator saved it (false: the built-in one applies).
    pub customized: bool,
    /// The variables it may use.
    pub variables: Vec<&'static str>,
}

impl SettingsService {
    /// M2: every kind's template. Errors: `forbidden`; `unexpected`.
    pub async fn templates(&self, actor: &Actor) -> Result<Vec<TemplateView>, SettingsError> {
        self.require_global(actor, Privilege::AdminEmailTemplates)
            .await?;
        let mut views = Vec::with_capacity(MailKind::ALL.len());
        for kind in MailKind::ALL {
            views.push(self.view(kind).await?);
        }
        Ok(views)
    }

    /// M2: one kind's template. Errors: `forbidden`; `unexpected`.
    pub async fn template(
        &self,
        actor: &Actor,
        kind: MailKind,
    ) -> Result<TemplateView, SettingsError> {
        self.require_global(actor, Privilege::AdminEmailTemplates)
            .await?;
        self.view(kind).await
    }

    async fn view(&self, kind: MailKind) -> Result<TemplateView, SettingsError> {
        let saved = self.templates.get(kind).await?;
        Ok(TemplateView {
            customized: saved.is_some(),
            template: saved.unwrap_or_else(|| EmailTemplate::default_for(kind)),
            variables: kind.variables(),
        })
    }

    /// M2: saves a kind's subject and body once they pass every check. Errors: `forbidden`;
    /// `template_subject_*`, `template_body_*`; `template_unknown_variable`;
    /// `template_syntax`; `unexpected`. Audited as `template.update`.
    pub async fn put_template(
        &self,
        actor: &Actor,
        kind: MailKind,
        subject: &str,
        body: &str,
    ) -> Result<EmailTemplate, SettingsError> {
        let result = async {
            self.require_global(actor, Privilege::AdminEmailTemplates)
                .await?;
            let template = self.checked(kind, subject, body)?;
            self.templates.put(&template).await?;
            Ok(template)
        }
        .await;
        let target = AuditTarget::new(AuditTargetKind::Template, kind);
        self.auditor
            .record(
                actor,
                AuditAction::TemplateUpdate,
                target,
                Details::new(),
                result,
            )
            .await
    }

    /// M2: drops the saved template so the built-in one applies again. Errors: `forbidden`;
    /// `unexpected`. Audited as `template.update` with `reset`.
    pub async fn reset_template(
        &self,
        actor: &Actor,
        kind: MailKind,
    ) -> Result<EmailTemplate, SettingsError> {
        let result = async {
            self.require_global(actor, Privilege::AdminEmailTemplates)
                .await?;
            self.templates.reset(kind).await?;
            Ok(EmailTemplate::default_for(kind))
        }
        .await;
        let details = Details::from([("reset".to_owned(), "true".to_owned())]);
        let target = AuditTarget::new(AuditTargetKind::Template, kind);
        self.auditor
            .record(actor, AuditAction::TemplateUpdate, target, details, result)
            .await
    }

    /// M2: renders a kind's template with sample data — a draft (`subject`, `body`) when
    /// given, checked as saving would, else the template in force. Changes nothing.
    /// Errors: `forbidden`; the template errors of [`SettingsService::put_template`];
    /// `unexpected`.
    pub async fn preview_template(
        &self,
        actor: &Actor,
        kind: MailKind,
        draft: Option<(&str, &str)>,
    ) -> Result<RenderedMail, SettingsError> {
        self.require_global(actor, Privilege::AdminEmailTemplates)
            .await?;
        let template = match draft {
            Some((subject, body)) => self.checked(kind, subject, body)?,
            None => self.view(kind).await?.template,
        };
        Ok(self.renderer.render(&template, &kind.sample_variables())?)
    }

    /// Shape, variables, then a trial render with sample data.
    fn checked(
        &self,
        kind: MailKind,
        subject: &str,
        body: &str,
    ) -> Result<EmailTemplate, SettingsError> {
        let template = EmailTemplate::new(kind, subject, body)?;
        let used = self.renderer.variables(&template)?;
        check_variables(kind, used.iter().map(String::as_str))?;
        self.renderer.render(&template, &kind.sample_variables())?;
        Ok(template)
    }
}

#[cfg(test)]
#[path = "templates_tests.rs"]
mod tests;
