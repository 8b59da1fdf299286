//! What two accounts hold, by id only (I6): enough for a cancel whose rows are known
//! otherwise to move the target's rows back wholesale — one `UPDATE … WHERE user_id = …`
//! over the target instead of 100k ids in `IN` lists — without decoding every row.

use super::cells::Stored;
use super::read::HeldRows;
use super::write::Holdings;
use roster_domain::ids::UserId;
use roster_domain::integration::{AccessLogEntry, BadgeAward, Score};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

async fn ids_of<T: Stored>(
    conn: &impl ConnectionTrait,
    users: &[UserId],
    held: &mut Holdings,
) -> Result<(), DbErr> {
    let query = Query::select()
        .columns([Alias::new("id"), Alias::new("user_id")])
        .from(Alias::new(T::TABLE))
        .and_where(Expr::col(Alias::new("user_id")).is_in(users.iter().map(|u| u.as_uuid())))
        .to_owned();
    for row in conn.query_all(&query).await? {
        let id: uuid::Uuid = row.try_get_by_index(0)?;
        let owner: uuid::Uuid = row.try_get_by_index(1)?;
        held.entry(owner).or_default().insert(id);
    }
    Ok(())
}

/// The ids every one of `users` holds in the tables integrations change. Not locked: the
/// caller holds the users' record versions locked, so no other writer changes their rows.
pub(crate) async fn held_ids(
    conn: &impl ConnectionTrait,
    users: &[UserId],
) -> Result<HeldRows, DbErr> {
    let mut held = HeldRows::default();
    ids_of::<Score>(conn, users, &mut held.scores).await?;
    ids_of::<BadgeAward>(conn, users, &mut held.badges).await?;
    ids_of::<AccessLogEntry>(conn, users, &mut held.access_log).await?;
    Ok(held)
}
