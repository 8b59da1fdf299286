//! M3: which notifications are sent — one switch per kind of mail, managed with
//! `admin.notifications` (scope `all`). What turning off a link-carrying kind means is
//! decided in `services::joining`.

use super::{SettingsError, SettingsService};
use crate::authz::{Actor, Privilege};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::registration::{MailKind, NotificationSettings};
use crate::services::audit::Details;

impl SettingsService {
    /// M3: the switches (all on by default). Errors: `forbidden`; `unexpected`.
    pub async fn notification_settings(
        &self,
        actor: &Actor,
    ) -> Result<NotificationSettings, SettingsError> {
        self.require_global(actor, Privilege::AdminNotifications)
            .await?;
        Ok(self.notifications.get().await?)
    }

    /// M3: replaces the switches. Errors: `forbidden`; `unexpected`. Audited as
    /// `settings.update` on `notifications`, with every switch.
    pub async fn put_notification_settings(
        &self,
        actor: &Actor,
        settings: NotificationSettings,
    ) -> Result<NotificationSettings, SettingsError> {
        let details: Details = MailKind::ALL
            .into_iter()
            .map(|k| (k.as_str().to_owned(), settings.is_enabled(k).to_string()))
            .collect();
        let result = async {
            self.require_global(actor, Privilege::AdminNotifications)
                .await?;
            self.notifications.put(&settings).await?;
            Ok(settings)
        }
        .await;
        let target = AuditTarget::new(AuditTargetKind::Settings, "notifications");
        self.auditor
            .record(actor, AuditAction::SettingsUpdate, target, details, result)
            .await
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
    async fn m3_switches_are_read_and_replaced_with_admin_notifications() {
        let w = World::new();
        let mut off = NotificationSettings::default();
        off.set(MailKind::ApplicationNotApproved, false);
        let mut m = SettingsMocks::new(&w);
        m.notifications
            .expect_get()
            .times(1)
            .returning(|| Ok(NotificationSettings::default()));
        m.notifications
            .expect_put()
            .withf(move |s| *s == off)
            .times(1)
            .returning(|_| Ok(()));
        m.base
            .audit
            .expect_record()
            .times(1)
            .withf(|e| {
                e.action == AuditAction::SettingsUpdate
                    && e.target.id.as_deref() == Some("notifications")
                    && e.details["application_not_approved"] == "false"
                    && e.details["invitation"] == "true"
            })
            .returning(|_| Ok(()));
        let s = m.service();
        let a = admin(Privilege::AdminNotifications, Scope::All);
        assert_eq!(
            s.notification_settings(&a).await.unwrap(),
            NotificationSettings::default()
        );
        assert_eq!(s.put_notification_settings(&a, off).await.unwrap(), off);
    }

    #[tokio::test]
    async fn m3_other_privileges_cannot_switch() {
        let w = World::new();
        let mut m = SettingsMocks::new(&w);
        m.notifications.expect_put().times(0);
        m.base
            .expect_audit(AuditAction::SettingsUpdate, Err("forbidden"));
        let a = admin(Privilege::AdminEmailTemplates, Scope::All);
        let err = m
            .service()
            .put_notification_settings(&a, NotificationSettings::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}
