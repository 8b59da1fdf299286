//! `GroupRepository` for `Store`: each method hands its work to the module that owns it.

use super::{delete, links, read, write};
use crate::store::Store;
use roster_domain::group::graph::GroupGraph;
use roster_domain::group::{Group, GroupName};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::groups::{
    GroupFilter, GroupRepository, GroupWriteError, LinkError, NewGroup,
};
use roster_domain::ports::{Page, PageRequest, StoreError};
use roster_domain::user::User;

#[async_trait::async_trait]
impl GroupRepository for Store {
    /// Read from the tables on every call: no cache, so every instance sees every commit.
    async fn graph(&self) -> Result<GroupGraph, StoreError> {
        read::graph(self.db()).await
    }

    async fn get(&self, id: GroupId) -> Result<Option<Group>, StoreError> {
        read::get(self.db(), id).await
    }

    async fn get_by_name(&self, name: &GroupName) -> Result<Option<Group>, StoreError> {
        read::get_by_name(self.db(), name).await
    }

    async fn list(
        &self,
        filter: GroupFilter,
        page: PageRequest,
    ) -> Result<Page<Group>, StoreError> {
        read::list(self.db(), filter, page).await
    }

    async fn create(&self, group: NewGroup) -> Result<Group, GroupWriteError> {
        write::create(self.db(), group).await
    }

    async fn update(&self, group: Group) -> Result<Group, GroupWriteError> {
        write::update(self.db(), group).await
    }

    async fn delete(&self, id: GroupId) -> Result<(), GroupWriteError> {
        delete::delete(self.db(), id).await
    }

    async fn add_parent(&self, child: GroupId, parent: GroupId) -> Result<(), LinkError> {
        links::add_parent(self.db(), child, parent).await
    }

    async fn remove_parent(&self, child: GroupId, parent: GroupId) -> Result<bool, StoreError> {
        links::remove_parent(self.db(), child, parent).await
    }

    async fn add_member(&self, group: GroupId, user: UserId) -> Result<(), LinkError> {
        links::add_member(self.db(), group, user).await
    }

    async fn remove_member(&self, group: GroupId, user: UserId) -> Result<bool, StoreError> {
        links::remove_member(self.db(), group, user).await
    }

    async fn members(&self, group: GroupId, page: PageRequest) -> Result<Page<User>, StoreError> {
        links::members(self.db(), group, page).await
    }
}
