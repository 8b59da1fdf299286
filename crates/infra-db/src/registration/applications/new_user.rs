//! A3, A4: the `valid` user an approved application becomes, written into the user store's
//! tables (`users`, `user_credentials`, `memberships`, migration 000001) with their columns.

use crate::convert::{micros, to_json};
use chrono::{DateTime, Utc};
use roster_domain::ids::UserId;
use roster_domain::registration::application::Application;
use roster_domain::user::UserStatus;
use roster_domain::user::login_id::fold;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr};

fn values_error(e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(e.to_string())
}

async fn insert(
    conn: &impl ConnectionTrait,
    table: &str,
    columns: &[&str],
    values: Vec<SimpleExpr>,
) -> Result<(), DbErr> {
    let statement = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .values(values)
        .map_err(values_error)?
        .to_owned();
    conn.execute(&statement).await?;
    Ok(())
}

/// Inserts the user `id` from the application, with its password hash and groups. Kept in
/// this one function so the integrator can swap it for the user store's shared insert. A
/// login key taken meanwhile fails on `ux_users_login_key`.
pub(super) async fn insert_user_rows(
    conn: &impl ConnectionTrait,
    id: UserId,
    app: &Application,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let user = id.as_uuid();
    let attributes = to_json(&app.attributes).map_err(values_error)?;
    insert(
        conn,
        "users",
        &[
            "id",
            "login_id",
            "login_key",
            "name",
            "email",
            "email_key",
            "status",
            "expires_at",
            "attributes",
            "has_password",
            "owner_slot",
            "created_at",
            "updated_at",
        ],
        vec![
            user.into(),
            app.login_id.as_str().into(),
            app.login_id.key().into(),
            app.name.as_str().into(),
            app.email.as_str().into(),
            fold(app.email.as_str()).into(),
            UserStatus::Valid.as_str().into(),
            Option::<i64>::None.into(),
            attributes.into(),
            true.into(),
            Option::<i64>::None.into(),
            micros(now).into(),
            micros(now).into(),
        ],
    )
    .await?;
    insert(
        conn,
        "user_credentials",
        &["user_id", "password_hash", "updated_at"],
        vec![
            user.into(),
            app.password_hash.expose().into(),
            micros(now).into(),
        ],
    )
    .await?;
    for group in &app.group_ids {
        insert(
            conn,
            "memberships",
            &["user_id", "group_id"],
            vec![user.into(), group.as_uuid().into()],
        )
        .await?;
    }
    Ok(())
}
