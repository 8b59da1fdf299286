//! M3: the notification switches, one settings document; all on until saved.

use crate::registration::settings_doc;
use crate::store::Store;
use chrono::Utc;
use roster_domain::ports::mail::{MailStoreError, NotificationSettingsStore};
use roster_domain::registration::NotificationSettings;

const KEY: &str = "notifications";

#[async_trait::async_trait]
impl NotificationSettingsStore for Store {
    async fn get(&self) -> Result<NotificationSettings, MailStoreError> {
        let saved = settings_doc::read(self.db(), KEY).await?;
        Ok(saved.unwrap_or_default())
    }

    async fn put(&self, settings: &NotificationSettings) -> Result<(), MailStoreError> {
        settings_doc::write(self.db(), KEY, settings, Utc::now()).await?;
        Ok(())
    }
}
