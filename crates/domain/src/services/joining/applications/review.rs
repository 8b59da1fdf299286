//! A4: administrators list, open, approve and reject applications, in the scope of the
//! groups each application joins, optionally notifying the applicant (when that kind of
//! notification is on, M3). Decisions are audited (Z1).

use super::super::links::Recipient;
use super::{ApplicationService, JoiningError, check_scope};
use crate::authz::{Actor, Denied, Privilege, Visibility, visibility};
use crate::ids::{ApplicationId, UserId};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::registration::ApplicationFilter;
use crate::ports::{Page, PageRequest};
use crate::registration::{Application, MailKind, OutgoingMail};
use crate::services::audit::Details;

/// The outcome of a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The application as it now stands.
    pub application: Application,
    /// The user created by an approval.
    pub user_id: Option<UserId>,
    /// Whether the applicant was notified by mail.
    pub mailed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    fn action(self) -> AuditAction {
        match self {
            Self::Approve => AuditAction::ApplicationApprove,
            Self::Reject => AuditAction::ApplicationReject,
        }
    }

    fn mail_kind(self) -> MailKind {
        match self {
            Self::Approve => MailKind::ApplicationApproved,
            Self::Reject => MailKind::ApplicationNotApproved,
        }
    }
}

impl ApplicationService {
    /// A4: one page of the applications in the actor's `users.edit` scope, newest first,
    /// filtered by status, login ID, email and application date (and groups, narrowed to the
    /// scope). Nothing in scope gives an empty page. Errors: `unexpected`.
    pub async fn list(
        &self,
        actor: &Actor,
        mut filter: ApplicationFilter,
        page: PageRequest,
    ) -> Result<Page<Application>, JoiningError> {
        let graph = self.cx.groups.graph().await?;
        match visibility(actor, &graph, Privilege::UsersEdit) {
            Visibility::Nothing => return Ok(Page::empty()),
            Visibility::All => {}
            Visibility::Groups(in_scope) => {
                let narrowed = match filter.group_ids.take() {
                    Some(asked) => asked.intersection(&in_scope).copied().collect(),
                    None => in_scope,
                };
                filter.group_ids = Some(narrowed);
            }
        }
        Ok(self.cx.applications.list(&filter, &page.clamped()).await?)
    }

    /// A4: one application. Errors: `not_found` (absent or out of scope), `forbidden`;
    /// `unexpected`.
    pub async fn get(&self, actor: &Actor, id: ApplicationId) -> Result<Application, JoiningError> {
        let app = self
            .cx
            .applications
            .get(id)
            .await?
            .ok_or(Denied::NotFound)?;
        let graph = self.cx.groups.graph().await?;
        check_scope(actor, &graph, &app)?;
        Ok(app)
    }

    /// A4: approves an activated application, creating its `valid` user in the
    /// application's groups in the same store call, with the approval notice when `notify`
    /// and the kind is on. Errors: `not_found`, `forbidden`; `privilege_not_held`,
    /// `scope_exceeds_own` (P5: the groups' grants); `application_not_activated`,
    /// `application_already_decided`; `application_status_changed` (decided meanwhile);
    /// `login_id_taken`; `unexpected`. Audited as `application.approve`.
    pub async fn approve(
        &self,
        actor: &Actor,
        id: ApplicationId,
        notify: bool,
    ) -> Result<Decision, JoiningError> {
        self.decide(actor, id, notify, Verdict::Approve).await
    }

    /// A4: does not approve an activated application, with the notice when `notify` and
    /// the kind is on. Errors: as [`ApplicationService::approve`] without P5 and
    /// `login_id_taken`. Audited as `application.reject`.
    pub async fn reject(
        &self,
        actor: &Actor,
        id: ApplicationId,
        notify: bool,
    ) -> Result<Decision, JoiningError> {
        self.decide(actor, id, notify, Verdict::Reject).await
    }

    async fn decide(
        &self,
        actor: &Actor,
        id: ApplicationId,
        notify: bool,
        verdict: Verdict,
    ) -> Result<Decision, JoiningError> {
        let result = self.decide_checked(actor, id, notify, verdict).await;
        let mut details = Details::new();
        details.insert("notify".into(), notify.to_string());
        if let Ok(decision) = &result {
            let app = &decision.application;
            details.insert("login_id".into(), app.login_id.as_str().to_owned());
            details.insert("mailed".into(), decision.mailed.to_string());
            if let Some(user) = decision.user_id {
                details.insert("user_id".into(), user.to_string());
            }
        }
        let target = AuditTarget::new(AuditTargetKind::Application, id);
        self.cx
            .auditor
            .record(actor, verdict.action(), target, details, result)
            .await
    }

    async fn decide_checked(
        &self,
        actor: &Actor,
        id: ApplicationId,
        notify: bool,
        verdict: Verdict,
    ) -> Result<Decision, JoiningError> {
        let cx = &self.cx;
        let app = cx.applications.get(id).await?.ok_or(Denied::NotFound)?;
        let graph = cx.groups.graph().await?;
        check_scope(actor, &graph, &app)?;
        let now = cx.clock.now();
        let update = match verdict {
            Verdict::Approve => {
                cx.check_joining_grants(actor, &graph, &app.group_ids)
                    .await?;
                app.approve(actor.user_id, now)?
            }
            Verdict::Reject => app.reject(actor.user_id, now)?,
        };
        let mut outbox: Vec<OutgoingMail> = Vec::new();
        if notify
            && cx
                .notifications
                .get()
                .await?
                .should_notify(verdict.mail_kind(), notify)
        {
            let to = Recipient {
                email: &app.email,
                name: &app.name,
                login_id: &app.login_id,
            };
            outbox.push(match verdict {
                Verdict::Approve => cx.config.approved_mail(&to)?,
                Verdict::Reject => cx.config.not_approved_mail(&to)?,
            });
        }
        cx.applications.transition(&update, &outbox).await?;
        Ok(Decision {
            application: app.with_update(&update),
            user_id: update.create_user,
            mailed: !outbox.is_empty(),
        })
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
