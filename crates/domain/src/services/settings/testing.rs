//! Test support for the settings service: its ports mocked on top of the common [`Mocks`].

use super::{SettingsPorts, SettingsService};
use crate::ports::delivery::MockMailOutbox;
use crate::ports::mail::{MockNotificationSettingsStore, MockTemplateStore};
use crate::ports::registration::MockRegistrationSettingsStore;
use crate::ports::templates::MockTemplateRenderer;
use crate::services::testing::{Mocks, World};
use std::sync::Arc;

/// Every port of the settings service, mocked.
pub(crate) struct SettingsMocks {
    pub base: Mocks,
    pub registration: MockRegistrationSettingsStore,
    pub templates: MockTemplateStore,
    pub renderer: MockTemplateRenderer,
    pub notifications: MockNotificationSettingsStore,
    pub outbox: MockMailOutbox,
}

impl SettingsMocks {
    /// The mocks, with the test world's graph.
    pub fn new(w: &World) -> Self {
        let mut base = Mocks::new();
        base.with_graph(&w.graph);
        Self {
            base,
            registration: MockRegistrationSettingsStore::new(),
            templates: MockTemplateStore::new(),
            renderer: MockTemplateRenderer::new(),
            notifications: MockNotificationSettingsStore::new(),
            outbox: MockMailOutbox::new(),
        }
    }

    pub fn service(self) -> SettingsService {
        let settings = SettingsPorts {
            registration: Arc::new(self.registration),
            templates: Arc::new(self.templates),
            renderer: Arc::new(self.renderer),
            notifications: Arc::new(self.notifications),
            outbox: Arc::new(self.outbox),
        };
        SettingsService::new(&self.base.ports(), &settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::{MailKind, NotificationSettings, RegistrationSettings};
    use crate::services::testing::owner;

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn settings_service_futures_are_send() {
        let s = SettingsMocks::new(&World::new()).service();
        let a = owner();
        assert_send(&s.put_registration_settings(&a, RegistrationSettings::default()));
        assert_send(&s.list_fields(&a));
        assert_send(&s.put_template(&a, MailKind::Invitation, "s", "b"));
        assert_send(&s.preview_template(&a, MailKind::Invitation, None));
        assert_send(&s.put_notification_settings(&a, NotificationSettings::default()));
    }
}
