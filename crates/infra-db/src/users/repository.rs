//! `UserRepository` for the store: each method in its own file, wired here.

use super::{create, delete, list, membership_row, row, update};
use crate::Store;
use crate::error::store_error;
use crate::integration_links::is_live_source;
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::users::{
    CreateUserError, NewUser, UserFilter, UserRepository, UserUpdate, UserWriteError,
};
use roster_domain::ports::{Page, PageRequest, StoreError};
use roster_domain::user::{Email, LoginId, User};
use sea_orm::entity::prelude::*;
use std::collections::BTreeSet;

#[async_trait::async_trait]
impl UserRepository for Store {
    async fn get(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let found = row::find(self.db(), id).await.map_err(store_error)?;
        Ok(found.map(User::try_from).transpose()?)
    }

    async fn get_by_login_id(&self, login_id: &LoginId) -> Result<Option<User>, StoreError> {
        let found = row::Entity::find()
            .filter(row::Column::LoginKey.eq(login_id.key()))
            .one(self.db())
            .await
            .map_err(store_error)?;
        Ok(found.map(User::try_from).transpose()?)
    }

    async fn create(&self, user: NewUser) -> Result<User, CreateUserError> {
        create::create(self.db(), user).await
    }

    async fn update(&self, update: UserUpdate) -> Result<User, UserWriteError> {
        update::update(self.db(), update).await
    }

    async fn delete(&self, id: UserId) -> Result<(), UserWriteError> {
        delete::delete(self.db(), id).await
    }

    async fn list(&self, filter: UserFilter, page: PageRequest) -> Result<Page<User>, StoreError> {
        list::list(self.db(), filter, page).await
    }

    async fn find_by_email(&self, email: &Email, limit: u32) -> Result<Vec<User>, StoreError> {
        list::find_by_email(self.db(), email, limit).await
    }

    async fn direct_groups(&self, id: UserId) -> Result<BTreeSet<GroupId>, StoreError> {
        membership_row::groups_of(self.db(), id)
            .await
            .map_err(store_error)
    }

    async fn is_live_integration_source(&self, id: UserId) -> Result<bool, StoreError> {
        is_live_source(self.db(), id).await.map_err(store_error)
    }
}
