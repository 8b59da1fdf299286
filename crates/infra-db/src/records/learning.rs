//! `LearningRecords` for the store (L1): add records one by one, read them whole or page by
//! page, newest first, and purge a user's scores (U6).

use super::cells::Stored;
use super::entities::{access_log, badge_award, certificate, score};
use super::listing::{PageError, key_of, newest_page};
use super::read::{Lock, records_of};
use super::versions::bump as bump_versions;
use super::write::insert_rows;
use crate::error::{is_foreign_key, unexpected, violation};
use crate::store::Store;
use crate::tx::{begin_write, finish};
use roster_domain::ids::UserId;
use roster_domain::integration::{AccessLogEntry, BadgeAward, Certificate, Score, UserRecords};
use roster_domain::ports::records::{AddRecordError, LearningRecords, RecordsError};
use roster_domain::ports::{Page, PageRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

impl From<PageError> for RecordsError {
    fn from(error: PageError) -> Self {
        match error {
            PageError::InvalidCursor => Self::InvalidCursor,
            PageError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

fn owned_by(user: UserId) -> Expr {
    Expr::col(Alias::new("user_id")).eq(user.as_uuid())
}

fn add_error(error: DbErr) -> AddRecordError {
    if is_foreign_key(&error) {
        AddRecordError::UserNotFound
    } else if violation(&error).is_some() {
        // The id is the record tables' only unique key.
        AddRecordError::DuplicateId
    } else {
        AddRecordError::Unexpected(unexpected(error))
    }
}

impl Store {
    /// Adds one record and bumps its owner's record version in one transaction (I10).
    async fn add_record<T: Stored>(&self, record: &T) -> Result<(), AddRecordError> {
        let txn = begin_write(self.db()).await.map_err(add_error)?;
        let outcome = async {
            bump_versions(&txn, &[record.owner()]).await?;
            insert_rows(&txn, &[record]).await
        }
        .await
        .map_err(add_error);
        finish(txn, outcome).await
    }
}

#[async_trait::async_trait]
impl LearningRecords for Store {
    async fn records_of(&self, user: UserId) -> Result<UserRecords, RecordsError> {
        Ok(records_of(self.db(), user, Lock::No).await?)
    }

    async fn add_score(&self, score: &Score) -> Result<(), AddRecordError> {
        self.add_record(score).await
    }

    async fn add_badge(&self, award: &BadgeAward) -> Result<(), AddRecordError> {
        self.add_record(award).await
    }

    async fn add_certificate(&self, certificate: &Certificate) -> Result<(), AddRecordError> {
        self.add_record(certificate).await
    }

    async fn add_access_log(&self, entry: &AccessLogEntry) -> Result<(), AddRecordError> {
        self.add_record(entry).await
    }

    async fn delete_scores_of(&self, user: UserId) -> Result<u64, RecordsError> {
        let delete = Query::delete()
            .from_table(Alias::new(Score::TABLE))
            .and_where(owned_by(user))
            .to_owned();
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        let outcome = async {
            bump_versions(&txn, &[user]).await?;
            Ok(txn.execute(&delete).await?.rows_affected())
        }
        .await
        .map_err(|e: DbErr| RecordsError::Unexpected(unexpected(e)));
        finish(txn, outcome).await
    }

    async fn list_scores(
        &self,
        user: UserId,
        include_superseded: bool,
        page: &PageRequest,
    ) -> Result<Page<Score>, RecordsError> {
        let mut filter = owned_by(user);
        if !include_superseded {
            filter = filter.and(Expr::col(Alias::new("superseded")).eq(false));
        }
        let key = |s: &Score| key_of(s.studied_at, s.id.as_uuid());
        Ok(newest_page::<score::Entity, _>(self.db(), filter, "studied_at", page, key).await?)
    }

    async fn list_badges(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<BadgeAward>, RecordsError> {
        let key = |b: &BadgeAward| key_of(b.awarded_at, b.id.as_uuid());
        let filter = owned_by(user);
        Ok(
            newest_page::<badge_award::Entity, _>(self.db(), filter, "awarded_at", page, key)
                .await?,
        )
    }

    async fn list_certificates(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<Certificate>, RecordsError> {
        let key = |c: &Certificate| key_of(c.issued_at, c.id.as_uuid());
        let filter = owned_by(user);
        Ok(
            newest_page::<certificate::Entity, _>(self.db(), filter, "issued_at", page, key)
                .await?,
        )
    }

    async fn list_access_log(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<AccessLogEntry>, RecordsError> {
        let key = |e: &AccessLogEntry| key_of(e.at, e.id.as_uuid());
        let filter = owned_by(user);
        Ok(newest_page::<access_log::Entity, _>(self.db(), filter, "at", page, key).await?)
    }
}
