//! A5: the registration URL repository.

mod read;
mod write;

use super::codes::consume_in;
use super::rows::url;
use crate::error::unexpected;
use crate::store::Store;
use crate::tx::begin_write;
use chrono::{DateTime, Utc};
use roster_domain::ids::{GroupId, RegistrationUrlId};
use roster_domain::ports::registration::{
    ConsumeCodeError, RegistrationUrlRepository, UrlFilter, UrlRepositoryError,
};
use roster_domain::ports::{Page, PageRequest};
use roster_domain::registration::{CodeText, RegistrationUrl, UrlStatus, UrlToken};
use sea_orm::ColumnTrait;

#[async_trait::async_trait]
impl RegistrationUrlRepository for Store {
    async fn create(&self, new: &RegistrationUrl) -> Result<(), UrlRepositoryError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        write::create(&txn, new).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn get(
        &self,
        id: RegistrationUrlId,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError> {
        Ok(read::one(self.db(), url::Column::Id.eq(id.as_uuid())).await?)
    }

    async fn find_by_token(
        &self,
        token: &UrlToken,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError> {
        Ok(read::one(self.db(), url::Column::Token.eq(token.as_str())).await?)
    }

    async fn find_by_group(
        &self,
        group_id: GroupId,
    ) -> Result<Option<RegistrationUrl>, UrlRepositoryError> {
        Ok(read::one(self.db(), url::Column::GroupId.eq(group_id.as_uuid())).await?)
    }

    async fn list(
        &self,
        filter: &UrlFilter,
        page: &PageRequest,
    ) -> Result<Page<RegistrationUrl>, UrlRepositoryError> {
        Ok(read::list(self.db(), filter, page).await?)
    }

    async fn update(&self, edited: &RegistrationUrl) -> Result<(), UrlRepositoryError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        write::update(&txn, edited).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn set_status(
        &self,
        ids: &[RegistrationUrlId],
        status: UrlStatus,
    ) -> Result<Vec<RegistrationUrlId>, UrlRepositoryError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        let existing = write::set_status(&txn, ids, status).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(existing)
    }

    async fn consume_code(
        &self,
        url: RegistrationUrlId,
        code: &CodeText,
        now: DateTime<Utc>,
    ) -> Result<(), ConsumeCodeError> {
        consume_in(self.db(), url.as_uuid(), code, now).await
    }
}
