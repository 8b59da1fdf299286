//! A3, A4: the `valid` user an approved application becomes, written through the user
//! store's own insert, so its folded keys, password and memberships are made as for any user.

use crate::convert::stored_instant;
use crate::users::create::insert_user;
use chrono::{DateTime, Utc};
use roster_domain::ids::UserId;
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::NewUser;
use roster_domain::registration::application::Application;
use roster_domain::user::UserStatus;
use sea_orm::{ConnectionTrait, DbErr};

/// Inserts the user `id` from the application, with its password hash and groups, on the
/// transaction that approves it. A login ID taken meanwhile fails on `ux_users_login_key`.
pub(super) async fn insert_user_rows(
    conn: &impl ConnectionTrait,
    id: UserId,
    app: &Application,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let user = NewUser {
        id,
        login_id: app.login_id.clone(),
        name: app.name.clone(),
        email: Some(app.email.clone()),
        password_hash: Some(PasswordHash::new(app.password_hash.expose())),
        status: UserStatus::Valid,
        expires_at: None,
        attributes: app.attributes.clone(),
        group_ids: app.group_ids.clone(),
        is_owner: false,
        created_at: stored_instant(now),
    };
    insert_user(conn, &user).await
}
