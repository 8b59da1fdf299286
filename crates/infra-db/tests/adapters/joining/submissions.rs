//! Helpers of the application tests: a submission of an application, and what it wrote.

use super::fixtures::{activation, count, mail};
use roster_domain::ports::registration::ApplicationSubmission;
use roster_domain::registration::{
    Application, CodeText, MailKind, RegistrationSettings, UsedCode,
};
use roster_infra_db::Store;

pub fn submission(app: &Application, code: Option<&str>) -> ApplicationSubmission {
    ApplicationSubmission {
        application: app.clone(),
        used_code: code.map_or(UsedCode::NoneRequired, |c| {
            UsedCode::Code(CodeText::parse(c).unwrap())
        }),
        activation: activation(app),
        mail: Some(mail(&app.email, MailKind::Activation)),
    }
}

/// Rows the submission of `app` wrote: (application, groups, tokens, mails in all).
pub async fn written(store: &Store, app: &Application) -> (i64, i64, i64, i64) {
    let id = app.id.as_uuid();
    (
        count(store, "applications", Some(("id", id.into()))).await,
        count(
            store,
            "application_groups",
            Some(("application_id", id.into())),
        )
        .await,
        count(
            store,
            "one_time_tokens",
            Some(("subject_application_id", id.into())),
        )
        .await,
        count(store, "mail_queue", None).await,
    )
}

pub fn settings(auto_approve: bool) -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        auto_approve,
        purge_not_activated_after: None,
    }
}
