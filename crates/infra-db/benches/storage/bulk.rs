//! Bulk registration: 100k users + 200k memberships through the import sink (the adapter's
//! bulk path), against the raw baseline — a prepared `INSERT` per row in one transaction
//! with sqlx on SQLite, `COPY … FROM STDIN` on PostgreSQL. Ratio = baseline time / adapter
//! time; goals ≥ 0.2 on SQLite, ≥ 0.3 on PostgreSQL.

mod baseline;

use crate::fresh::{FreshDb, Target};
use chrono::{DateTime, Utc};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::imports::{ImportSink, LineWrite, RowWrite, WriteMode};
use roster_domain::ports::users::NewUser;
use roster_domain::user::{Attributes, DisplayName, LoginId, UserStatus};
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Users registered.
pub const USERS: usize = 100_000;
/// Groups the users join, two each.
pub const GROUPS: usize = 10;
/// Rows per `write_chunk`, as an import sends them.
const CHUNK: usize = 1_000;

/// One user of the data set: its id, login ID and its two groups.
pub struct Person {
    pub id: UserId,
    pub login: String,
    pub groups: [usize; 2],
}

/// The same people for both runs.
pub fn people() -> Vec<Person> {
    (0..USERS)
        .map(|i| Person {
            id: UserId::new(),
            login: format!("user{i:06}"),
            groups: [i % GROUPS, (i + 1) % GROUPS],
        })
        .collect()
}

/// Measures and prints the bulk part on `target`.
pub async fn run(target: &Target) -> Result<(), String> {
    let people = people();
    let now = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_default();

    let adapter_db = FreshDb::create(target).await?;
    let groups = create_groups(&adapter_db.store).await?;
    let rows = line_writes(&people, &groups, now)?;
    let adapter = match through_sink(&adapter_db.store, &rows).await {
        Ok(time) => verify(&adapter_db.store).await.map(|()| time),
        Err(e) => Err(e),
    };
    adapter_db.remove().await;
    let adapter = adapter?;

    let baseline_db = FreshDb::create(target).await?;
    let groups = create_groups(&baseline_db.store).await?;
    let baseline = baseline::run(target, &baseline_db.url, &people, &groups, now).await;
    let baseline = match baseline {
        Ok(time) => verify(&baseline_db.store).await.map(|()| time),
        Err(e) => Err(e),
    };
    baseline_db.remove().await;
    let baseline = baseline?;

    let ratio = baseline.as_secs_f64() / adapter.as_secs_f64().max(f64::EPSILON);
    let goal = match target {
        Target::Sqlite => 0.2,
        Target::Postgres(_) => 0.3,
    };
    println!(
        "bulk ({USERS} users + {} memberships): adapter {:.2} s, baseline {:.2} s, ratio {ratio:.2} (goal ≥ {goal}): {}",
        USERS * 2,
        adapter.as_secs_f64(),
        baseline.as_secs_f64(),
        if ratio >= goal {
            "goal met"
        } else {
            "GOAL MISSED"
        }
    );
    Ok(())
}

async fn create_groups(store: &Store) -> Result<Vec<GroupId>, String> {
    let ids: Vec<GroupId> = (0..GROUPS).map(|_| GroupId::new()).collect();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("groups"))
        .columns(["id", "name", "name_key", "description"].map(Alias::new));
    for (i, id) in ids.iter().enumerate() {
        let name = format!("group{i}");
        insert
            .values([
                Expr::val(id.as_uuid()),
                Expr::val(name.clone()),
                Expr::val(name),
                Expr::val(""),
            ])
            .map_err(|e| e.to_string())?;
    }
    store
        .connection()
        .execute(&insert)
        .await
        .map_err(|e| format!("cannot create the groups: {e}"))?;
    Ok(ids)
}

fn line_writes(
    people: &[Person],
    groups: &[GroupId],
    now: DateTime<Utc>,
) -> Result<Vec<LineWrite>, String> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let user = NewUser {
                id: p.id,
                login_id: LoginId::parse(&p.login).map_err(|e| e.to_string())?,
                name: DisplayName::parse(&p.login).map_err(|e| e.to_string())?,
                email: None,
                password_hash: None,
                status: UserStatus::Valid,
                expires_at: None,
                attributes: Attributes::new(),
                group_ids: p
                    .groups
                    .iter()
                    .filter_map(|g| groups.get(*g).copied())
                    .collect::<BTreeSet<_>>(),
                is_owner: false,
                created_at: now,
            };
            Ok(LineWrite {
                line: i as u64 + 2,
                write: RowWrite::Create {
                    user,
                    invitation: None,
                },
            })
        })
        .collect()
}

async fn through_sink(store: &Store, rows: &[LineWrite]) -> Result<Duration, String> {
    let started = Instant::now();
    let mut txn = store
        .begin(WriteMode::AllOrNothing)
        .await
        .map_err(|e| format!("the sink did not open: {e}"))?;
    for chunk in rows.chunks(CHUNK) {
        txn.write_chunk(chunk)
            .await
            .map_err(|e| format!("a chunk was refused: {e}"))?;
    }
    txn.commit()
        .await
        .map_err(|e| format!("the sink did not commit: {e}"))?;
    Ok(started.elapsed())
}

/// Both runs must leave the same rows behind.
async fn verify(store: &Store) -> Result<(), String> {
    for (table, expected) in [("users", USERS), ("memberships", USERS * 2)] {
        let query = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(Alias::new(table))
            .to_owned();
        let row = store
            .connection()
            .query_one(&query)
            .await
            .map_err(|e| format!("cannot count {table}: {e}"))?
            .ok_or_else(|| format!("no count of {table}"))?;
        let n: i64 = row.try_get("", "n").map_err(|e| e.to_string())?;
        if usize::try_from(n).ok() != Some(expected) {
            return Err(format!("{table} holds {n} rows, not {expected}"));
        }
    }
    Ok(())
}
