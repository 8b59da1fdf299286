//! The activation token an application writes into `one_time_tokens` (a table of the user
//! store, migration 000003), with that store's columns.

use crate::convert::{micros, micros_opt};
use roster_domain::registration::{OneTimeToken, TokenSubject};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Inserts one token row. Kept in this one function so the integrator can swap it for the
/// user store's shared insert.
pub(super) async fn insert_token_row(
    conn: &impl ConnectionTrait,
    token: &OneTimeToken,
) -> Result<(), DbErr> {
    let (user, application) = match token.subject {
        TokenSubject::User(id) => (Some(id.as_uuid()), None),
        TokenSubject::Application(id) => (None, Some(id.as_uuid())),
    };
    let insert = Query::insert()
        .into_table(Alias::new("one_time_tokens"))
        .columns([
            Alias::new("token_hash"),
            Alias::new("purpose"),
            Alias::new("subject_user_id"),
            Alias::new("subject_application_id"),
            Alias::new("issued_at"),
            Alias::new("expires_at"),
            Alias::new("used_at"),
        ])
        .values([
            token.token_hash.to_hex().into(),
            token.purpose.as_str().into(),
            user.into(),
            application.into(),
            micros(token.issued_at).into(),
            micros(token.expires_at).into(),
            micros_opt(token.used_at).into(),
        ])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}
