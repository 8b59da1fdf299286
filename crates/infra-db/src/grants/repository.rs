//! `GrantRepository` for `Store`: each method hands its work to the module that owns it.

use super::{read, scoped, write};
use crate::store::Store;
use roster_domain::authz::{Grant, NewGrant};
use roster_domain::ids::{GrantId, GroupId, UserId};
use roster_domain::ports::grants::{
    CreateGrantError, DeleteGrantError, GrantFilter, GrantRepository,
};
use roster_domain::ports::{Page, PageRequest, StoreError};
use std::collections::BTreeSet;

#[async_trait::async_trait]
impl GrantRepository for Store {
    async fn grants_for_user(&self, user: UserId) -> Result<Vec<Grant>, StoreError> {
        read::for_user(self.db(), user).await
    }

    async fn grants_for_groups(&self, groups: BTreeSet<GroupId>) -> Result<Vec<Grant>, StoreError> {
        read::for_groups(self.db(), groups).await
    }

    async fn grants_scoped_on(&self, groups: BTreeSet<GroupId>) -> Result<Vec<Grant>, StoreError> {
        scoped::scoped_on(self.db(), groups).await
    }

    async fn get(&self, id: GrantId) -> Result<Option<Grant>, StoreError> {
        read::get(self.db(), id).await
    }

    async fn list(
        &self,
        filter: GrantFilter,
        page: PageRequest,
    ) -> Result<Page<Grant>, StoreError> {
        read::list(self.db(), filter, page).await
    }

    async fn create(&self, id: GrantId, grant: NewGrant) -> Result<Grant, CreateGrantError> {
        write::create(self.db(), id, grant).await
    }

    async fn delete(&self, id: GrantId) -> Result<(), DeleteGrantError> {
        write::delete(self.db(), id).await
    }
}
