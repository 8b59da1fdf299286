//! Large learning-record fixtures written straight into the store's tables with multi-row
//! inserts (the records API adds one row per call: 100k scores would take minutes). Shared
//! by the crash test and `cargo xtask bench integration`.

use chrono::{DateTime, Duration, Utc};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use uuid::Uuid;

/// Rows per insert: at most 10 columns each, under every backend's parameter limit.
const ROWS_PER_INSERT: usize = 2_500;

/// How many records of each kind to give one user.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    /// Scores over 500 materials, every tenth paused.
    pub scores: usize,
    /// Badge awards `badge-0`, `badge-1`…
    pub badges: usize,
    /// Access-log entries.
    pub logins: usize,
}

fn instant(offset_seconds: usize) -> i64 {
    let start = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
    let offset = i64::try_from(offset_seconds).unwrap_or(0);
    (start + Duration::seconds(offset)).timestamp_micros()
}

async fn insert(
    store: &Store,
    table: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<sea_orm::Value>>,
) -> Result<(), String> {
    let rows: Vec<Vec<sea_orm::Value>> = rows.collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut statement = Query::insert();
        statement
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|c| Alias::new(*c)));
        for row in chunk {
            statement
                .values(row.iter().cloned().map(Expr::val))
                .map_err(|e| e.to_string())?;
        }
        let conn = store.connection();
        conn.execute(&statement).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes `volume` records for `user`; `salt` varies the study times between users, so
/// some attempts and badges overlap and the planner has conflicts to resolve.
pub async fn records(store: &Store, user: Uuid, volume: Volume, salt: usize) -> Result<(), String> {
    let scores = (0..volume.scores).map(|i| {
        let paused = i % 10 == 0;
        vec![
            Uuid::now_v7().into(),
            user.into(),
            format!("material-{}", i % 500).into(),
            i64::try_from(i / 500 + 1).unwrap_or(1).into(),
            if paused { None } else { Some(75_000_i64) }.into(),
            if paused { "paused" } else { "completed" }.into(),
            "normal".into(),
            instant(i * 2 + salt).into(),
            600_i64.into(),
            false.into(),
        ]
    });
    let columns = [
        "id",
        "user_id",
        "material_id",
        "attempt",
        "score",
        "status",
        "mode",
        "studied_at",
        "study_seconds",
        "superseded",
    ];
    insert(store, "scores", &columns, scores).await?;
    let badges = (0..volume.badges).map(|i| {
        vec![
            Uuid::now_v7().into(),
            user.into(),
            format!("badge-{i}").into(),
            instant(i * 60 + salt).into(),
        ]
    });
    let columns = ["id", "user_id", "badge_id", "awarded_at"];
    insert(store, "badge_awards", &columns, badges).await?;
    let logins = (0..volume.logins).map(|i| {
        vec![
            Uuid::now_v7().into(),
            user.into(),
            instant(i * 30 + salt).into(),
            Some("192.0.2.7".to_owned()).into(),
            Some("bench-agent/1.0".to_owned()).into(),
        ]
    });
    let columns = ["id", "user_id", "at", "ip", "user_agent"];
    insert(store, "access_log", &columns, logins).await
}
