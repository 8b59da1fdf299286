//! `ImportJobs` (C6): the job record with its options, progress and outcome as JSON.

use crate::convert::{from_json, instant, micros, to_json};
use crate::error::store_error;
use crate::store::Store;
use chrono::Utc;
use roster_domain::Unexpected;
use roster_domain::ids::{ImportJobId, UserId};
use roster_domain::ports::StoreError;
use roster_domain::ports::imports::{ImportJob, ImportJobs, ImportOutcome, ImportProgress};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, IntoActiveModel};

/// A stored job (migration 000006).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub(super) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub started_by: Uuid,
    pub options: String,
    pub created_at: i64,
    pub progress: String,
    pub outcome: Option<String>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(super) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl TryFrom<Model> for ImportJob {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(Self {
            id: ImportJobId::from_uuid(row.id),
            started_by: UserId::from_uuid(row.started_by),
            options: from_json("import options", &row.options)?,
            created_at: instant(row.created_at)?,
            progress: from_json("import progress", &row.progress)?,
            outcome: row
                .outcome
                .as_deref()
                .map(|text| from_json("import outcome", text))
                .transpose()?,
        })
    }
}

#[async_trait::async_trait]
impl ImportJobs for Store {
    async fn create(&self, job: &ImportJob) -> Result<(), StoreError> {
        let row = Model {
            id: job.id.as_uuid(),
            started_by: job.started_by.as_uuid(),
            options: to_json(&job.options)?,
            created_at: micros(job.created_at),
            progress: to_json(&job.progress)?,
            outcome: job.outcome.as_ref().map(to_json).transpose()?,
            updated_at: micros(Utc::now()),
        };
        Entity::insert(row.into_active_model())
            .exec_without_returning(self.db())
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn get(&self, id: ImportJobId) -> Result<Option<ImportJob>, StoreError> {
        let row = Entity::find_by_id(id.as_uuid())
            .one(self.db())
            .await
            .map_err(store_error)?;
        Ok(row.map(ImportJob::try_from).transpose()?)
    }

    async fn update_progress(
        &self,
        id: ImportJobId,
        progress: &ImportProgress,
    ) -> Result<(), StoreError> {
        // A job gone meanwhile updates no row, which is not an error.
        Entity::update_many()
            .set(ActiveModel {
                progress: Set(to_json(progress)?),
                updated_at: Set(micros(Utc::now())),
                ..Default::default()
            })
            .filter(Column::Id.eq(id.as_uuid()))
            .exec(self.db())
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn finish(&self, id: ImportJobId, outcome: &ImportOutcome) -> Result<(), StoreError> {
        Entity::update_many()
            .set(ActiveModel {
                outcome: Set(Some(to_json(outcome)?)),
                updated_at: Set(micros(Utc::now())),
                ..Default::default()
            })
            .filter(Column::Id.eq(id.as_uuid()))
            .exec(self.db())
            .await
            .map_err(store_error)?;
        Ok(())
    }
}
