//! A1: the registration settings, one document; closed (the default) until saved.

use super::settings_doc;
use crate::store::Store;
use chrono::Utc;
use roster_domain::ports::registration::{RegistrationSettingsError, RegistrationSettingsStore};
use roster_domain::registration::RegistrationSettings;

const KEY: &str = "registration";

#[async_trait::async_trait]
impl RegistrationSettingsStore for Store {
    async fn get(&self) -> Result<RegistrationSettings, RegistrationSettingsError> {
        let saved = settings_doc::read(self.db(), KEY).await?;
        Ok(saved.unwrap_or_default())
    }

    async fn put(&self, settings: &RegistrationSettings) -> Result<(), RegistrationSettingsError> {
        settings_doc::write(self.db(), KEY, settings, Utc::now()).await?;
        Ok(())
    }
}
