//! Storing single-use links in bulk, with `OneTimeTokenStore::issue`'s semantics: a new
//! link replaces any earlier one of the same purpose and subject (U5). Kept apart so the
//! token store's own shared function can take its place.

use super::sql::{delete_where_in, insert_rows, name};
use crate::convert::{micros, micros_opt};
use roster_domain::registration::{OneTimeToken, TokenPurpose, TokenSubject};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

const TOKEN_COLUMNS: [&str; 7] = [
    "token_hash",
    "purpose",
    "subject_user_id",
    "subject_application_id",
    "issued_at",
    "expires_at",
    "used_at",
];

/// Deletes the earlier links of each token's purpose and subject, then stores the tokens.
pub(super) async fn insert_token_rows(
    conn: &impl ConnectionTrait,
    tokens: &[&OneTimeToken],
) -> Result<(), DbErr> {
    for purpose in [
        TokenPurpose::Invitation,
        TokenPurpose::Activation,
        TokenPurpose::PasswordReset,
    ] {
        let of_purpose = tokens.iter().copied().filter(|t| t.purpose == purpose);
        let (users, applications): (Vec<&OneTimeToken>, Vec<&OneTimeToken>) =
            of_purpose.partition(|t| matches!(t.subject, TokenSubject::User(_)));
        let same = || Condition::all().add(Expr::col(name("purpose")).eq(purpose.as_str()));
        let user_ids: Vec<Uuid> = users.iter().filter_map(|t| user_of(t)).collect();
        delete_where_in(
            conn,
            "one_time_tokens",
            "subject_user_id",
            &user_ids,
            Some(same()),
        )
        .await?;
        let application_ids: Vec<Uuid> = applications
            .iter()
            .filter_map(|t| application_of(t))
            .collect();
        delete_where_in(
            conn,
            "one_time_tokens",
            "subject_application_id",
            &application_ids,
            Some(same()),
        )
        .await?;
    }
    let rows = tokens
        .iter()
        .map(|t| {
            vec![
                Expr::val(t.token_hash.to_hex()),
                Expr::val(t.purpose.as_str()),
                Expr::val(user_of(t)),
                Expr::val(application_of(t)),
                Expr::val(micros(t.issued_at)),
                Expr::val(micros(t.expires_at)),
                Expr::val(micros_opt(t.used_at)),
            ]
        })
        .collect();
    insert_rows(conn, "one_time_tokens", &TOKEN_COLUMNS, rows).await
}

fn user_of(token: &OneTimeToken) -> Option<Uuid> {
    match token.subject {
        TokenSubject::User(id) => Some(id.as_uuid()),
        TokenSubject::Application(_) => None,
    }
}

fn application_of(token: &OneTimeToken) -> Option<Uuid> {
    match token.subject {
        TokenSubject::Application(id) => Some(id.as_uuid()),
        TokenSubject::User(_) => None,
    }
}
