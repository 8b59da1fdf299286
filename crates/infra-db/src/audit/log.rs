//! `AuditLog` for `Store`: append, and filtered pages newest first. "Newest" is id order
//! (UUIDv7, so creation order) descending: the cursor is the last id shown, and each
//! filter's index ends with `id`.

use super::entity::{ActiveModel, Column, Entity, Model};
use super::rows::{SUCCESS, row_of};
use crate::convert::micros;
use crate::error::store_error;
use crate::page;
use crate::store::Store;
use roster_domain::ports::audit::{AuditEntry, AuditFilter, AuditLog};
use roster_domain::ports::{Page, PageRequest, StoreError};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};

#[async_trait::async_trait]
impl AuditLog for Store {
    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        let row: ActiveModel = row_of(&entry)?.into_active_model();
        Entity::insert(row.reset_all())
            .exec_without_returning(self.db())
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// An invalid cursor gives an empty page (the port has no cursor error).
    async fn list(
        &self,
        filter: AuditFilter,
        request: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let Ok(before) = page::after(request.cursor.as_deref()) else {
            return Ok(Page::empty());
        };
        let mut select = Entity::find()
            .order_by_desc(Column::Id)
            .limit(page::fetch_limit(request.limit));
        if let Some(before) = before {
            select = select.filter(Column::Id.lt(before));
        }
        if let Some(actor) = filter.actor {
            select = select.filter(Column::Actor.eq(actor.as_uuid()));
        }
        if let Some(action) = filter.action {
            select = select.filter(Column::Action.eq(action.as_str()));
        }
        if let Some(kind) = filter.target_kind {
            select = select.filter(Column::TargetKind.eq(kind.as_str()));
        }
        if let Some(id) = filter.target_id {
            select = select.filter(Column::TargetId.eq(id));
        }
        select = match filter.success {
            Some(true) => select.filter(Column::Outcome.eq(SUCCESS)),
            Some(false) => select.filter(Column::Outcome.ne(SUCCESS)),
            None => select,
        };
        if let Some(from) = filter.from {
            select = select.filter(Column::At.gte(micros(from)));
        }
        if let Some(to) = filter.to {
            select = select.filter(Column::At.lt(micros(to)));
        }
        let rows: Vec<Model> = select.all(self.db()).await.map_err(store_error)?;
        let entries = rows
            .into_iter()
            .map(AuditEntry::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page::page_of(entries, request.limit, |e| e.id.as_uuid()))
    }
}
