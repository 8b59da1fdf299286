//! A1: the registration settings — self-registration on/off, automatic approval on/off, and
//! the purge of not-activated applications (off, or 1–365 days; the type refuses others).

use super::{SettingsError, SettingsService};
use crate::authz::{Actor, Privilege};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::registration::RegistrationSettings;
use crate::services::audit::Details;

impl SettingsService {
    /// A1: the settings (closed by default). Needs `admin.settings` with scope `all`.
    /// Errors: `forbidden`; `unexpected`.
    pub async fn registration_settings(
        &self,
        actor: &Actor,
    ) -> Result<RegistrationSettings, SettingsError> {
        self.require_global(actor, Privilege::AdminSettings).await?;
        Ok(self.registration.get().await?)
    }

    /// A1: replaces the settings. Needs `admin.settings` with scope `all`. Errors:
    /// `forbidden`; `unexpected`. Audited as `settings.update` on `registration`, with the
    /// new values.
    pub async fn put_registration_settings(
        &self,
        actor: &Actor,
        settings: RegistrationSettings,
    ) -> Result<RegistrationSettings, SettingsError> {
        let mut details = Details::new();
        details.insert(
            "self_registration".into(),
            settings.self_registration.to_string(),
        );
        details.insert("auto_approve".into(), settings.auto_approve.to_string());
        let purge = settings
            .purge_not_activated_after
            .map_or_else(|| "off".to_owned(), |d| d.get().to_string());
        details.insert("purge_not_activated_after".into(), purge);
        let result = async {
            self.require_global(actor, Privilege::AdminSettings).await?;
            self.registration.put(&settings).await?;
            Ok(settings)
        }
        .await;
        let target = AuditTarget::new(AuditTargetKind::Settings, "registration");
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
    use crate::registration::PurgeAfterDays;
    use crate::services::testing::{World, admin, now};

    fn wanted() -> RegistrationSettings {
        RegistrationSettings {
            self_registration: true,
            auto_approve: true,
            purge_not_activated_after: Some(PurgeAfterDays::new(14).unwrap()),
        }
    }

    #[tokio::test]
    async fn a1_settings_are_read_and_replaced_with_admin_settings_all() {
        let w = World::new();
        let mut m = SettingsMocks::new(&w);
        m.registration
            .expect_get()
            .times(1)
            .returning(|| Ok(RegistrationSettings::default()));
        m.registration
            .expect_put()
            .withf(|s| *s == wanted())
            .times(1)
            .returning(|_| Ok(()));
        m.base
            .audit
            .expect_record()
            .times(1)
            .withf(|e| {
                e.action == AuditAction::SettingsUpdate
                    && e.at == now()
                    && e.target == AuditTarget::new(AuditTargetKind::Settings, "registration")
                    && e.details["purge_not_activated_after"] == "14"
                    && e.details["auto_approve"] == "true"
            })
            .returning(|_| Ok(()));
        let s = m.service();
        let a = admin(Privilege::AdminSettings, Scope::All);
        assert_eq!(
            s.registration_settings(&a).await.unwrap(),
            RegistrationSettings::default()
        );
        assert_eq!(
            s.put_registration_settings(&a, wanted()).await.unwrap(),
            wanted()
        );
    }

    #[tokio::test]
    async fn a1_scoped_or_other_privilege_cannot_change_settings() {
        let w = World::new();
        for a in [
            admin(Privilege::AdminSettings, Scope::groups([w.school]).unwrap()),
            admin(Privilege::UsersEdit, Scope::All),
        ] {
            let mut m = SettingsMocks::new(&w);
            m.registration.expect_put().times(0);
            m.registration.expect_get().times(0);
            m.base
                .expect_audit(AuditAction::SettingsUpdate, Err("forbidden"));
            let s = m.service();
            let err = s.put_registration_settings(&a, wanted()).await.unwrap_err();
            assert_eq!(err.code(), "forbidden");
            let err = s.registration_settings(&a).await.unwrap_err();
            assert_eq!(err.code(), "forbidden");
        }
    }
}
