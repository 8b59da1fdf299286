//! Rows the tests need: users made through the user store, and groups through the port.

use crate::common::stored_user;
use roster_domain::group::{ExternalCode, Group, GroupDescription, GroupName};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::groups::{GroupRepository, NewGroup};
use roster_domain::user::UserStatus;
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use std::collections::BTreeSet;

/// Inserts a valid user with this login ID.
pub async fn user(store: &Store, login: &str) -> UserId {
    user_with(store, login, "{}").await
}

/// Inserts a valid user with these attributes (JSON).
pub async fn user_with(store: &Store, login: &str, attributes: &str) -> UserId {
    let attributes = serde_json::from_str(attributes).unwrap();
    let name = format!("User {login}");
    stored_user(store, login, &name, UserStatus::Valid, attributes).await
}

/// A group to create, with no code, description or parents.
pub fn new_group(name: &str) -> NewGroup {
    NewGroup {
        id: GroupId::new(),
        name: GroupName::parse(name).unwrap(),
        external_code: None,
        description: GroupDescription::default(),
        parent_ids: BTreeSet::new(),
    }
}

/// Creates a group below `parents`.
pub async fn group(store: &Store, name: &str, parents: &[&Group]) -> Group {
    let mut new = new_group(name);
    new.parent_ids = parents.iter().map(|p| p.id).collect();
    store.create(new).await.unwrap()
}

/// Creates a group with an external code.
pub async fn coded_group(store: &Store, name: &str, code: &str) -> Group {
    let mut new = new_group(name);
    new.external_code = Some(ExternalCode::parse(code).unwrap());
    store.create(new).await.unwrap()
}

/// The stored `attributes` text of the row of `table` with this id.
pub async fn attributes_of(store: &Store, table: &str, id: uuid::Uuid) -> String {
    let query = Query::select()
        .column(Alias::new("attributes"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    let row = store.connection().query_one(&query).await.unwrap().unwrap();
    row.try_get("", "attributes").unwrap()
}

/// Rows of `table` matching `column = value`.
pub async fn count_where(store: &Store, table: &str, column: &str, value: uuid::Uuid) -> i64 {
    let query = Query::select()
        .expr_as(Func::count(Expr::col(Alias::new(column))), Alias::new("n"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column)).eq(value))
        .to_owned();
    let row = store.connection().query_one(&query).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}
