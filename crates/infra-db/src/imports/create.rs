//! The new users of a chunk (C1, C5, C8): users, password hashes, memberships, and the
//! invitations' links and mails, each table in as few multi-row `INSERT`s as the bind limit
//! allows — the bulk path the storage bench measures.

use super::sql::insert_rows;
use super::write::{Create, Failure};
use crate::convert::{micros, micros_opt, to_json};
use crate::mail::enqueue_all_in;
use crate::tokens::row::replace_tokens;
use crate::users::row::{email_key, name_key};
use chrono::Utc;
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::Expr;

const USER_COLUMNS: [&str; 14] = [
    "id",
    "login_id",
    "login_key",
    "name",
    "name_key",
    "email",
    "email_key",
    "status",
    "expires_at",
    "attributes",
    "has_password",
    "owner_slot",
    "created_at",
    "updated_at",
];

/// Inserts the new users with everything that comes with them.
pub(super) async fn insert(
    conn: &DatabaseTransaction,
    creates: &[Create<'_>],
) -> Result<(), Failure> {
    if creates.is_empty() {
        return Ok(());
    }
    let mut users = Vec::with_capacity(creates.len());
    let mut credentials = Vec::new();
    let mut memberships = Vec::new();
    for Create { user, .. } in creates {
        let id = user.id.as_uuid();
        let created = micros(user.created_at);
        users.push(vec![
            Expr::val(id),
            Expr::val(user.login_id.as_str()),
            Expr::val(user.login_id.key()),
            Expr::val(user.name.as_str()),
            Expr::val(name_key(&user.name)),
            Expr::val(user.email.as_ref().map(|e| e.as_str().to_owned())),
            Expr::val(user.email.as_ref().map(email_key)),
            Expr::val(user.status.as_str()),
            Expr::val(micros_opt(user.expires_at)),
            Expr::val(to_json(&user.attributes)?),
            Expr::val(user.password_hash.is_some()),
            // U3: the owner holds the one slot; everybody else NULL.
            Expr::val(user.is_owner.then_some(1_i64)),
            Expr::val(created),
            Expr::val(created),
        ]);
        if let Some(hash) = &user.password_hash {
            credentials.push(vec![
                Expr::val(id),
                Expr::val(hash.expose()),
                Expr::val(created),
            ]);
        }
        memberships.extend(
            user.group_ids
                .iter()
                .map(|g| vec![Expr::val(id), Expr::val(g.as_uuid())]),
        );
    }
    insert_rows(conn, "users", &USER_COLUMNS, users).await?;
    insert_rows(
        conn,
        "user_credentials",
        &["user_id", "password_hash", "updated_at"],
        credentials,
    )
    .await?;
    insert_rows(conn, "memberships", &["user_id", "group_id"], memberships).await?;
    // U5, M4: each invitation's link and mail in the same transaction as its user.
    let tokens: Vec<_> = creates
        .iter()
        .filter_map(|c| c.invitation.map(|i| &i.token))
        .collect();
    replace_tokens(conn, &tokens).await?;
    let mails: Vec<_> = creates
        .iter()
        .filter_map(|c| c.invitation.map(|i| &i.mail))
        .collect();
    enqueue_all_in(conn, &mails, Utc::now()).await?;
    Ok(())
}
