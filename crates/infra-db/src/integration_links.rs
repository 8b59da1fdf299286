//! What a user's deletion or a status check asks of the integrations table (I7–I9), shared by
//! the user store (which deletes users) and the integration store (which exposes the same
//! steps as port methods), so both write exactly the same rows.

use roster_domain::ids::UserId;
use roster_domain::integration::IntegrationState;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

fn integrations() -> Alias {
    Alias::new("integrations")
}

fn column(name: &'static str) -> Alias {
    Alias::new(name)
}

/// I7: whether the user is the source of a live integration.
pub(crate) async fn is_live_source(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<bool, DbErr> {
    let query = Query::select()
        .expr(Expr::val(1))
        .from(integrations())
        .and_where(Expr::col(column("live_source_id")).eq(user.as_uuid()))
        .limit(1)
        .to_owned();
    Ok(conn.query_one(&query).await?.is_some())
}

/// I8: the source was deleted. Its live integrations freeze (kept, no longer cancellable;
/// the live-source slot is freed), and every integration it was the source of is marked
/// source-deleted. Returns how many integrations were marked.
pub(crate) async fn mark_source_deleted(
    conn: &impl ConnectionTrait,
    source: UserId,
) -> Result<u64, DbErr> {
    let freeze = Query::update()
        .table(integrations())
        .value(column("state"), IntegrationState::Frozen.as_str())
        .value(column("live_source_id"), Option::<uuid::Uuid>::None)
        .and_where(Expr::col(column("source_user_id")).eq(source.as_uuid()))
        .and_where(Expr::col(column("state")).eq(IntegrationState::Live.as_str()))
        .to_owned();
    conn.execute(&freeze).await?;
    let mark = Query::update()
        .table(integrations())
        .value(column("source_deleted"), true)
        .and_where(Expr::col(column("source_user_id")).eq(source.as_uuid()))
        .to_owned();
    Ok(conn.execute(&mark).await?.rows_affected())
}

/// I9: the target was deleted; its integrations and their history go. Returns how many.
pub(crate) async fn remove_for_target(
    conn: &impl ConnectionTrait,
    target: UserId,
) -> Result<u64, DbErr> {
    let delete = Query::delete()
        .from_table(integrations())
        .and_where(Expr::col(column("target_user_id")).eq(target.as_uuid()))
        .to_owned();
    Ok(conn.execute(&delete).await?.rows_affected())
}
