//! Rows the import tests start from, written straight into the tables other stores own (so
//! these tests do not depend on those stores), and the counts they check.

use chrono::{DateTime, Utc};
use roster_domain::authz::{Privilege, Scope, Subject};
use roster_domain::group::GroupName;
use roster_domain::ids::{GrantId, GroupId, UserId};
use roster_domain::ports::imports::{ImportSink, LineWrite, RowWrite, WriteMode};
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::NewUser;
use roster_domain::registration::{TokenHash, TokenPurpose};
use roster_domain::user::{Attributes, DisplayName, LoginId, UserStatus};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use std::collections::BTreeSet;
use uuid::Uuid;

pub fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// Now, to the microsecond the store keeps.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

async fn insert(store: &Store, table: &str, values: Vec<(&str, Expr)>) {
    let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    let statement = Query::insert()
        .into_table(col(table))
        .columns(columns.into_iter().map(col))
        .values(values)
        .unwrap()
        .to_owned();
    store.connection().execute(&statement).await.unwrap();
}

pub async fn group(store: &Store, name: &str) -> GroupId {
    let id = GroupId::new();
    let parsed = GroupName::parse(name).unwrap();
    insert(
        store,
        "groups",
        vec![
            ("id", Expr::val(id.as_uuid())),
            ("name", Expr::val(parsed.as_str())),
            ("name_key", Expr::val(parsed.key())),
            ("external_code", Expr::val(Option::<String>::None)),
            ("description", Expr::val("")),
        ],
    )
    .await;
    id
}

pub async fn parent(store: &Store, child: GroupId, parent: GroupId) {
    insert(
        store,
        "group_parents",
        vec![
            ("child_id", Expr::val(child.as_uuid())),
            ("parent_id", Expr::val(parent.as_uuid())),
        ],
    )
    .await;
}

pub async fn grant(store: &Store, subject: Subject, privilege: Privilege, scope: Scope) -> GrantId {
    let id = GrantId::new();
    let (user, group, key) = match subject {
        Subject::User(u) => (Some(u.as_uuid()), None, format!("u:{}", u.as_uuid())),
        Subject::Group(g) => (None, Some(g.as_uuid()), format!("g:{}", g.as_uuid())),
    };
    insert(
        store,
        "grants",
        vec![
            ("id", Expr::val(id.as_uuid())),
            ("subject_user_id", Expr::val(user)),
            ("subject_group_id", Expr::val(group)),
            ("subject_key", Expr::val(key)),
            ("privilege", Expr::val(privilege.as_str())),
            ("scope_kind", Expr::val(scope.kind())),
            ("scope_key", Expr::val(id.as_uuid().simple().to_string())),
        ],
    )
    .await;
    if let Scope::Groups { group_ids } = &scope {
        for g in group_ids {
            insert(
                store,
                "grant_scope_groups",
                vec![
                    ("grant_id", Expr::val(id.as_uuid())),
                    ("group_id", Expr::val(g.as_uuid())),
                ],
            )
            .await;
        }
    }
    id
}

pub async fn session(store: &Store, user: UserId) {
    let at = now().timestamp_micros();
    insert(
        store,
        "sessions",
        vec![
            ("id", Expr::val(Uuid::now_v7())),
            ("user_id", Expr::val(user.as_uuid())),
            ("token_hash", Expr::val(Uuid::now_v7().simple().to_string())),
            ("created_at", Expr::val(at)),
            ("last_seen_at", Expr::val(at)),
            ("expires_at", Expr::val(at + 3_600_000_000)),
        ],
    )
    .await;
}

pub async fn link(store: &Store, user: UserId, purpose: TokenPurpose) {
    let at = now().timestamp_micros();
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(Uuid::now_v7().as_bytes());
    bytes[16..].copy_from_slice(Uuid::now_v7().as_bytes());
    let hash = TokenHash::from_bytes(bytes);
    insert(
        store,
        "one_time_tokens",
        vec![
            ("token_hash", Expr::val(hash.to_hex())),
            ("purpose", Expr::val(purpose.as_str())),
            ("subject_user_id", Expr::val(user.as_uuid())),
            ("subject_application_id", Expr::val(Option::<Uuid>::None)),
            ("issued_at", Expr::val(at)),
            ("expires_at", Expr::val(at + 3_600_000_000)),
            ("used_at", Expr::val(Option::<i64>::None)),
        ],
    )
    .await;
}

pub async fn live_integration(store: &Store, source: UserId, target: UserId) {
    let at = now().timestamp_micros();
    insert(
        store,
        "integrations",
        vec![
            ("id", Expr::val(Uuid::now_v7())),
            ("source_user_id", Expr::val(source.as_uuid())),
            ("target_user_id", Expr::val(target.as_uuid())),
            ("source_login_id", Expr::val("s")),
            ("source_login_key", Expr::val("s")),
            ("target_login_id", Expr::val("t")),
            ("target_login_key", Expr::val("t")),
            ("state", Expr::val("live")),
            ("live_source_id", Expr::val(source.as_uuid())),
            ("source_deleted", Expr::val(false)),
            ("integrated_at", Expr::val(at)),
            ("integrated_by", Expr::val(target.as_uuid())),
            ("cancelled_at", Expr::val(Option::<i64>::None)),
            ("cancelled_by", Expr::val(Option::<Uuid>::None)),
            ("counts", Expr::val("{}")),
        ],
    )
    .await;
}

/// Rows of `table` whose `column` is `value` (every row when `column` is empty).
pub async fn count(
    store: &Store,
    table: &str,
    column: &str,
    value: impl Into<sea_orm::Value>,
) -> i64 {
    let mut query = Query::select();
    query
        .expr_as(Expr::cust("COUNT(*)"), col("n"))
        .from(col(table));
    if !column.is_empty() {
        query.and_where(Expr::col(col(column)).eq(value.into()));
    }
    let row = store.connection().query_one(&query).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}

/// One text column of the row of `table` whose `key` is `value`.
pub async fn text(store: &Store, table: &str, column: &str, key: &str, value: Uuid) -> String {
    let query = Query::select()
        .column(col(column))
        .from(col(table))
        .and_where(Expr::col(col(key)).eq(value))
        .to_owned();
    let row = store.connection().query_one(&query).await.unwrap().unwrap();
    row.try_get("", column).unwrap()
}

/// A user to create, valid, in `groups`.
pub fn new_user(login: &str, groups: &[GroupId]) -> NewUser {
    NewUser {
        id: UserId::new(),
        login_id: LoginId::parse(login).unwrap(),
        name: DisplayName::parse(login).unwrap(),
        email: None,
        password_hash: Some(PasswordHash::new(format!(
            "$argon2id$v=19$m=19456,t=2,p=1${login}"
        ))),
        status: UserStatus::Valid,
        expires_at: None,
        attributes: Attributes::from([("dept".to_owned(), "sales".to_owned())]),
        group_ids: groups.iter().copied().collect::<BTreeSet<_>>(),
        is_owner: false,
        created_at: now(),
    }
}

pub fn create(line: u64, user: NewUser) -> LineWrite {
    LineWrite {
        line,
        write: RowWrite::Create {
            user,
            invitation: None,
        },
    }
}

/// Creates the users in one committed pass.
pub async fn created(store: &Store, users: Vec<NewUser>) {
    let rows: Vec<LineWrite> = users
        .into_iter()
        .enumerate()
        .map(|(i, u)| create(i as u64 + 2, u))
        .collect();
    let mut txn = store.begin(WriteMode::AllOrNothing).await.unwrap();
    txn.write_chunk(&rows).await.unwrap();
    txn.commit().await.unwrap();
}
