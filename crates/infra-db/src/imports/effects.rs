//! What an updated user's change brings along, in the same transaction and a few
//! statements per chunk: sessions end (S1, U6), reset and invitation links die (U5, U10),
//! direct memberships are replaced (G2), the password hash is stored (C8).

use super::sql::{delete_where_in, insert_rows, name};
use super::write::Failure;
use crate::convert::micros;
use chrono::{DateTime, Utc};
use roster_domain::ids::GroupId;
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::tokens::REVOKED_WITH_CREDENTIALS;
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use std::collections::BTreeSet;
use uuid::Uuid;

/// One updated user's side effects.
pub(super) struct Effect<'a> {
    pub user: Uuid,
    pub end_sessions: bool,
    pub revoke_links: bool,
    /// The complete new set of direct groups, when it changes.
    pub groups: Option<&'a BTreeSet<GroupId>>,
    pub password_hash: Option<&'a PasswordHash>,
    /// The change's instant (the credential's `updated_at`).
    pub at: DateTime<Utc>,
}

/// Applies the effects of a chunk's updated users.
pub(super) async fn apply<'a>(
    conn: &DatabaseTransaction,
    effects: impl Iterator<Item = Effect<'a>>,
) -> Result<(), Failure> {
    let mut sessions = Vec::new();
    let mut links = Vec::new();
    let mut regrouped = Vec::new();
    let mut memberships = Vec::new();
    let mut rehashed = Vec::new();
    let mut credentials = Vec::new();
    for effect in effects {
        if effect.end_sessions {
            sessions.push(effect.user);
        }
        if effect.revoke_links {
            links.push(effect.user);
        }
        if let Some(groups) = effect.groups {
            regrouped.push(effect.user);
            memberships.extend(
                groups
                    .iter()
                    .map(|g| vec![Expr::val(effect.user), Expr::val(g.as_uuid())]),
            );
        }
        if let Some(hash) = effect.password_hash {
            rehashed.push(effect.user);
            credentials.push(vec![
                Expr::val(effect.user),
                Expr::val(hash.expose()),
                Expr::val(micros(effect.at)),
            ]);
        }
    }
    delete_where_in(conn, "sessions", "user_id", &sessions, None).await?;
    let purposes = REVOKED_WITH_CREDENTIALS.map(|p| p.as_str());
    let revoked = Condition::all().add(Expr::col(name("purpose")).is_in(purposes));
    delete_where_in(
        conn,
        "one_time_tokens",
        "subject_user_id",
        &links,
        Some(revoked),
    )
    .await?;
    delete_where_in(conn, "memberships", "user_id", &regrouped, None).await?;
    insert_rows(conn, "memberships", &["user_id", "group_id"], memberships).await?;
    // Replacing is a delete and an insert: the same statements on every backend.
    delete_where_in(conn, "user_credentials", "user_id", &rehashed, None).await?;
    insert_rows(
        conn,
        "user_credentials",
        &["user_id", "password_hash", "updated_at"],
        credentials,
    )
    .await?;
    Ok(())
}
