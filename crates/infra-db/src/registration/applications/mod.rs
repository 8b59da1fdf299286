//! A2–A4, A6, A7: the application repository.

mod create;
mod new_user;
mod read;
mod transition;

use crate::convert::micros;
use crate::error::unexpected;
use crate::registration::rows::application;
use crate::store::Store;
use crate::tx::begin_write;
use chrono::{DateTime, Utc};
use roster_domain::ids::ApplicationId;
use roster_domain::ports::registration::{
    ApplicationFilter, ApplicationRepository, ApplicationRepositoryError, ApplicationSubmission,
    CreateApplicationError, TransitionError,
};
use roster_domain::ports::{Page, PageRequest};
use roster_domain::registration::{
    Application, ApplicationStatus, ApplicationUpdate, OutgoingMail,
};
use roster_domain::user::LoginId;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[async_trait::async_trait]
impl ApplicationRepository for Store {
    async fn create(
        &self,
        submission: &ApplicationSubmission,
    ) -> Result<(), CreateApplicationError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        create::create_in(&txn, submission).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn get(
        &self,
        id: ApplicationId,
    ) -> Result<Option<Application>, ApplicationRepositoryError> {
        let row = application::Entity::find_by_id(id.as_uuid())
            .one(self.db())
            .await
            .map_err(unexpected)?;
        let mut found = read::with_groups(self.db(), row.into_iter().collect()).await?;
        Ok(found.pop())
    }

    async fn is_login_id_held(
        &self,
        login_id: &LoginId,
    ) -> Result<bool, ApplicationRepositoryError> {
        let held = application::Entity::find()
            .filter(application::Column::OpenLoginKey.eq(login_id.key()))
            .count(self.db())
            .await
            .map_err(unexpected)?;
        Ok(held > 0)
    }

    async fn list(
        &self,
        filter: &ApplicationFilter,
        page: &PageRequest,
    ) -> Result<Page<Application>, ApplicationRepositoryError> {
        Ok(read::list(self.db(), filter, page).await?)
    }

    async fn transition(
        &self,
        update: &ApplicationUpdate,
        outbox: &[OutgoingMail],
    ) -> Result<(), TransitionError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        transition::transition_in(&txn, update, outbox).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }

    async fn delete_stale(&self, cutoff: DateTime<Utc>) -> Result<u64, ApplicationRepositoryError> {
        // Their activation tokens and group rows go with them (ON DELETE CASCADE).
        let deleted = application::Entity::delete_many()
            .filter(application::Column::Status.eq(ApplicationStatus::NotActivated.as_str()))
            .filter(application::Column::AppliedAt.lte(micros(cutoff)))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(deleted.rows_affected)
    }
}
