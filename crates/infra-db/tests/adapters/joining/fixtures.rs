//! Rows other areas own (groups written directly, users through the user store), and counts
//! of what a test wrote.

use crate::common::stored_user;
use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::{ApplicationId, GroupId};
use roster_domain::registration::OutgoingMail;
use roster_domain::registration::{
    Application, ApplicationStatus, CodeSpec, CodeText, MailKind, OneTimeToken, PasswordHashString,
    RegistrationUrl, TokenHash, TokenLifetimes, UrlToken,
};
use roster_domain::user::UserStatus;
use roster_domain::user::{Attributes, DisplayName, Email, LoginId};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A fixed instant, whole microseconds.
pub fn t0() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000)
}

async fn insert(store: &Store, table: &str, columns: &[&str], values: Vec<SimpleExpr>) {
    let statement = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .values(values)
        .unwrap()
        .to_owned();
    store.connection().execute(&statement).await.unwrap();
}

/// A new group.
pub async fn group(store: &Store) -> GroupId {
    let id = GroupId::new();
    let name = format!("g-{}", id.as_uuid().simple());
    insert(
        store,
        "groups",
        &["id", "name", "name_key", "external_code", "description"],
        vec![
            id.as_uuid().into(),
            name.clone().into(),
            name.into(),
            Option::<String>::None.into(),
            "".into(),
        ],
    )
    .await;
    id
}

/// A user holding `login_key`.
pub async fn user(store: &Store, login: &str) {
    stored_user(
        store,
        login,
        "Someone",
        UserStatus::Valid,
        Attributes::new(),
    )
    .await;
}

/// Rows of `table` where `column = value` (all rows when `filter` is `None`).
pub async fn count(store: &Store, table: &str, filter: Option<(&str, SimpleExpr)>) -> i64 {
    let mut select = Query::select();
    select
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(Alias::new(table));
    if let Some((column, value)) = filter {
        select.and_where(Expr::col(Alias::new(column)).eq(value));
    }
    let row = store
        .connection()
        .query_one(&select)
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// A code spec.
pub fn spec(code: &str, expires_at: Option<DateTime<Utc>>, max_uses: Option<u32>) -> CodeSpec {
    CodeSpec {
        code: CodeText::parse(code).unwrap(),
        expires_at,
        max_uses,
    }
}

/// An active URL for `group` with these codes.
pub fn url(group: GroupId, codes: Vec<CodeSpec>) -> RegistrationUrl {
    let token = UrlToken::parse(&format!("tok{}", Uuid::now_v7().simple())).unwrap();
    RegistrationUrl::publish(group, token, codes, t0()).unwrap()
}

/// A `not_activated` application for `login`, through `via` when given.
pub fn application(login: &str, via: Option<&RegistrationUrl>, at: DateTime<Utc>) -> Application {
    Application {
        id: ApplicationId::new(),
        login_id: LoginId::parse(login).unwrap(),
        name: DisplayName::parse(login).unwrap(),
        email: Email::parse(&format!("{login}@Example.com")).unwrap(),
        attributes: Attributes::from([("dept".to_owned(), "Physics".to_owned())]),
        group_ids: via.map(|u| u.group_id).into_iter().collect(),
        registration_url_id: via.map(|u| u.id),
        status: ApplicationStatus::NotActivated,
        applied_at: at,
        activated_at: None,
        decided_at: None,
        decided_by: None,
        password_hash: PasswordHashString::new(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        ),
    }
}

/// A fresh activation token for `app`.
pub fn activation(app: &Application) -> OneTimeToken {
    let mut hash = [0u8; 32];
    hash[..16].copy_from_slice(Uuid::now_v7().as_bytes());
    OneTimeToken::activation(
        app.id,
        TokenHash::from_bytes(hash),
        &TokenLifetimes::default(),
        app.applied_at,
    )
}

/// A mail of `kind` to `to` with the name variable.
pub fn mail(to: &Email, kind: MailKind) -> OutgoingMail {
    let vars = BTreeMap::from([("name".to_owned(), "Hanako".to_owned())]);
    OutgoingMail::new(to.clone(), kind, vars).unwrap()
}
