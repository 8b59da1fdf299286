//! M4: failures are visible — administrators with `admin.notifications` (scope `all`: mail
//! spans every group) list the mail queue, optionally by status (`queued` includes mail
//! whose last attempt failed and that waits for its retry; `failed` is given up). The
//! listing never shows a mail's variables (they may hold a link's token). A read: not
//! audited.

use super::{SettingsError, SettingsService};
use crate::authz::{Actor, Privilege};
use crate::ports::delivery::{MailListError, QueuedMailView};
use crate::ports::{Page, PageRequest};
use crate::registration::MailStatus;

impl SettingsService {
    /// M4: one page of the queue, newest first. Errors: `forbidden`; `invalid_cursor`;
    /// `unexpected`.
    pub async fn mail_queue(
        &self,
        actor: &Actor,
        status: Option<MailStatus>,
        page: PageRequest,
    ) -> Result<Page<QueuedMailView>, SettingsError> {
        self.require_global(actor, Privilege::AdminNotifications)
            .await?;
        self.outbox
            .list(status, &page.clamped())
            .await
            .map_err(|e| match e {
                MailListError::InvalidCursor => SettingsError::InvalidCursor,
                MailListError::Unexpected(u) => SettingsError::Unexpected(u),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::SettingsMocks;
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::services::testing::{World, admin};

    #[tokio::test]
    async fn m4_admin_notifications_lists_failed_mail() {
        let w = World::new();
        let mut m = SettingsMocks::new(&w);
        m.outbox
            .expect_list()
            .withf(|s, p| *s == Some(MailStatus::Failed) && p.limit == 500)
            .times(1)
            .returning(|_, _| Ok(Page::empty()));
        let a = admin(Privilege::AdminNotifications, Scope::All);
        let page = PageRequest {
            limit: 9_999,
            cursor: None,
        };
        let got = m
            .service()
            .mail_queue(&a, Some(MailStatus::Failed), page)
            .await;
        assert_eq!(got.unwrap(), Page::empty());
    }

    #[tokio::test]
    async fn m4_other_privileges_do_not_see_the_queue_and_bad_cursors_are_named() {
        let w = World::new();
        let mut m = SettingsMocks::new(&w);
        m.outbox.expect_list().times(0);
        let a = admin(Privilege::AdminEmailTemplates, Scope::All);
        let err = m
            .service()
            .mail_queue(&a, None, PageRequest::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");

        let mut m = SettingsMocks::new(&w);
        m.outbox
            .expect_list()
            .returning(|_, _| Err(MailListError::InvalidCursor));
        let a = admin(Privilege::AdminNotifications, Scope::All);
        let err = m
            .service()
            .mail_queue(&a, None, PageRequest::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_cursor");
    }
}
