//! Builders and direct SQL for the user tests: rows of other areas (groups, grants,
//! integrations, applications) are written here without their stores.

use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::{ApplicationId, GroupId, UserId};
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::NewUser;
use roster_domain::registration::{Session, SessionPolicy, TokenHash};
use roster_domain::user::{Attributes, DisplayName, Email, LoginId, UserStatus};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, Query, SimpleExpr};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A fixed instant with nanoseconds, so tests see the cut to microseconds.
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_900_000_000, 123_456_789).unwrap()
}

pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

/// A valid user with a password and no groups.
pub fn new_user(login: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        login_id: LoginId::parse(login).unwrap(),
        name: DisplayName::parse(&format!("{login} name")).unwrap(),
        email: None,
        password_hash: Some(PasswordHash::new(format!("$argon2id$hash-of-{login}"))),
        status: UserStatus::Valid,
        expires_at: None,
        attributes: Attributes::new(),
        group_ids: BTreeSet::new(),
        is_owner: false,
        created_at: t0(),
    }
}

pub fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// Creates `login` through the port and returns its id.
pub async fn created(store: &Store, login: &str) -> UserId {
    use roster_domain::ports::users::UserRepository;
    store.create(new_user(login)).await.unwrap().id
}

pub async fn execute(store: &Store, statement: &impl sea_orm::StatementBuilder) {
    store.connection().execute(statement).await.unwrap();
}

/// A group row, written directly (the groups store is another area's).
pub async fn group(store: &Store, name: &str) -> GroupId {
    let id = GroupId::new();
    let insert = Query::insert()
        .into_table("groups")
        .columns(["id", "name", "name_key", "description"])
        .values_panic([
            id.as_uuid().into(),
            name.into(),
            name.to_lowercase().into(),
            "".into(),
        ])
        .to_owned();
    execute(store, &insert).await;
    id
}

/// A grant to `user` on scope `all`, written directly.
pub async fn grant_to(store: &Store, user: UserId) {
    let insert = Query::insert()
        .into_table("grants")
        .columns([
            "id",
            "subject_user_id",
            "subject_key",
            "privilege",
            "scope_kind",
            "scope_key",
        ])
        .values_panic([
            Uuid::now_v7().into(),
            user.as_uuid().into(),
            format!("u:{user}").into(),
            "users.view".into(),
            "all".into(),
            "all".into(),
        ])
        .to_owned();
    execute(store, &insert).await;
}

/// An integration of `source` into `target` in `state`, written directly; returns its id.
pub async fn integration(store: &Store, source: UserId, target: UserId, state: &str) -> Uuid {
    let id = Uuid::now_v7();
    let live_source = (state == "live").then(|| source.as_uuid());
    let insert = Query::insert()
        .into_table("integrations")
        .columns([
            "id",
            "source_user_id",
            "target_user_id",
            "source_login_id",
            "source_login_key",
            "target_login_id",
            "target_login_key",
            "state",
            "live_source_id",
            "source_deleted",
            "integrated_at",
            "integrated_by",
            "counts",
        ])
        .values_panic([
            id.into(),
            source.as_uuid().into(),
            target.as_uuid().into(),
            "src".into(),
            "src".into(),
            "dst".into(),
            "dst".into(),
            state.into(),
            live_source.into(),
            false.into(),
            0_i64.into(),
            Uuid::now_v7().into(),
            "{}".into(),
        ])
        .to_owned();
    execute(store, &insert).await;
    id
}

/// An application row (the subject of activation links), written directly.
pub async fn application(store: &Store) -> ApplicationId {
    let id = ApplicationId::new();
    let insert = Query::insert()
        .into_table("applications")
        .columns([
            "id",
            "login_id",
            "login_key",
            "name",
            "email",
            "email_key",
            "attributes",
            "status",
            "applied_at",
            "password_hash",
        ])
        .values_panic([
            id.as_uuid().into(),
            "applicant".into(),
            "applicant".into(),
            "Applicant".into(),
            "a@example.org".into(),
            "a@example.org".into(),
            "{}".into(),
            "not_activated".into(),
            0_i64.into(),
            "hash".into(),
        ])
        .to_owned();
    execute(store, &insert).await;
    id
}

/// How many rows of `table` match `condition`.
pub async fn count(store: &Store, table: &'static str, condition: SimpleExpr) -> i64 {
    let query = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)), "n")
        .from(table)
        .and_where(condition)
        .to_owned();
    let row = store.connection().query_one(&query).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}

/// How many rows of `table` have `column = id`.
pub async fn count_of(store: &Store, table: &'static str, column: &'static str, id: Uuid) -> i64 {
    count(store, table, Expr::col(column).eq(id)).await
}

/// A session of `user` starting at `now` (12 h absolute expiry), under a hash from `seed`.
pub fn session(user: UserId, seed: u8, now: DateTime<Utc>) -> Session {
    Session::start(
        user,
        TokenHash::from_bytes([seed; 32]),
        &SessionPolicy::default(),
        now,
    )
}
