//! The raw baseline of the bulk part: what the database does at best with the same rows.

use super::Person;
use crate::fresh::Target;
use chrono::{DateTime, Utc};
use roster_domain::ids::GroupId;
use sea_orm::sqlx::{self, Connection, PgConnection, SqliteConnection};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const USER_INSERT: &str = "INSERT INTO users (id, login_id, login_key, name, email, email_key, \
    status, expires_at, attributes, has_password, owner_slot, created_at, updated_at) \
    VALUES (?, ?, ?, ?, NULL, NULL, 'valid', NULL, '{}', 0, NULL, ?, ?)";
const MEMBERSHIP_INSERT: &str = "INSERT INTO memberships (user_id, group_id) VALUES (?, ?)";

/// Writes the people on a fresh database and returns how long it took.
pub async fn run(
    target: &Target,
    url: &str,
    people: &[Person],
    groups: &[GroupId],
    now: DateTime<Utc>,
) -> Result<Duration, String> {
    let at = now.timestamp_micros();
    match target {
        Target::Sqlite => sqlite(url, people, groups, at).await,
        Target::Postgres(_) => postgres(url, people, groups, at).await,
    }
    .map_err(|e| format!("baseline: {e}"))
}

/// One transaction, one prepared `INSERT` executed per row.
async fn sqlite(
    url: &str,
    people: &[Person],
    groups: &[GroupId],
    at: i64,
) -> Result<Duration, sqlx::Error> {
    let mut conn = SqliteConnection::connect(url).await?;
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    for p in people {
        sqlx::query(USER_INSERT)
            .bind(p.id.as_uuid())
            .bind(&p.login)
            .bind(&p.login)
            .bind(&p.login)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    for p in people {
        for g in p.groups.iter().filter_map(|g| groups.get(*g)) {
            sqlx::query(MEMBERSHIP_INSERT)
                .bind(p.id.as_uuid())
                .bind(g.as_uuid())
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(elapsed)
}

/// One transaction, `COPY … FROM STDIN` (text format) per table.
async fn postgres(
    url: &str,
    people: &[Person],
    groups: &[GroupId],
    at: i64,
) -> Result<Duration, sqlx::Error> {
    let mut conn = PgConnection::connect(url).await?;
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    let mut users = String::with_capacity(people.len() * 120);
    let mut memberships = String::with_capacity(people.len() * 150);
    for p in people {
        let id = p.id.as_uuid();
        // Login IDs here are plain ASCII: nothing to escape in COPY's text format.
        let _ = writeln!(
            users,
            "{id}\t{0}\t{0}\t{0}\t\\N\t\\N\tvalid\t\\N\t{{}}\tf\t\\N\t{at}\t{at}",
            p.login
        );
        for g in p.groups.iter().filter_map(|g| groups.get(*g)) {
            let _ = writeln!(memberships, "{id}\t{}", g.as_uuid());
        }
    }
    let mut copy = tx
        .copy_in_raw(
            "COPY users (id, login_id, login_key, name, email, email_key, status, expires_at, \
             attributes, has_password, owner_slot, created_at, updated_at) FROM STDIN",
        )
        .await?;
    copy.send(users.into_bytes()).await?;
    copy.finish().await?;
    let mut copy = tx
        .copy_in_raw("COPY memberships (user_id, group_id) FROM STDIN")
        .await?;
    copy.send(memberships.into_bytes()).await?;
    copy.finish().await?;
    tx.commit().await?;
    let elapsed = started.elapsed();
    conn.close().await?;
    Ok(elapsed)
}
