//! Integrate and cancel an integration moving 100k score rows (goal: ≤ 1 s each), planned
//! with the domain planner from the stored records, as the service does.

use crate::fresh::{FreshDb, Target};
use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{Integration, IntegrationState, plan_integration};
use roster_domain::ports::integrations::IntegrationRepository;
use roster_domain::ports::records::LearningRecords;
use roster_domain::user::LoginId;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use std::time::Instant;

const SOURCE_SCORES: usize = 100_000;
const TARGET_SCORES: usize = 1_000;
const GOAL_MS: u128 = 1_000;
/// Rows per insert: 10 columns each, under every backend's parameter limit.
const ROWS_PER_INSERT: usize = 2_500;

async fn add_user(db: &FreshDb, login: &str, status: &str) -> Result<UserId, String> {
    let id = UserId::new();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("users"))
        .columns(
            [
                "id",
                "login_id",
                "login_key",
                "name",
                "status",
                "attributes",
                "has_password",
                "created_at",
                "updated_at",
            ]
            .map(Alias::new),
        )
        .values([
            id.as_uuid().into(),
            login.into(),
            login.into(),
            login.into(),
            status.into(),
            "{}".into(),
            false.into(),
            0_i64.into(),
            0_i64.into(),
        ])
        .map_err(|e| e.to_string())?;
    let conn = db.store.connection();
    conn.execute(&insert).await.map_err(|e| e.to_string())?;
    Ok(id)
}

/// `count` scores of `user` over 500 materials, every tenth paused, with multi-row inserts.
async fn add_scores(db: &FreshDb, user: UserId, count: usize) -> Result<(), String> {
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
    let start = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
    let rows: Vec<usize> = (0..count).collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("scores"))
            .columns(columns.map(Alias::new));
        for &i in chunk {
            let paused = i % 10 == 0;
            let values: [sea_orm::Value; 10] = [
                uuid::Uuid::now_v7().into(),
                user.as_uuid().into(),
                format!("material-{}", i % 500).into(),
                i64::try_from(i / 500 + 1).unwrap_or(1).into(),
                if paused { None } else { Some(75_000_i64) }.into(),
                if paused { "paused" } else { "completed" }.into(),
                "normal".into(),
                (start + Duration::seconds(i64::try_from(i).unwrap_or(0)))
                    .timestamp_micros()
                    .into(),
                600_i64.into(),
                false.into(),
            ];
            insert
                .values(values.map(Expr::val))
                .map_err(|e| e.to_string())?;
        }
        let conn = db.store.connection();
        conn.execute(&insert).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn verdict(ms: u128) -> &'static str {
    if ms <= GOAL_MS {
        "goal met"
    } else {
        "GOAL MISSED"
    }
}

/// Measures and prints the integration part on `target`.
pub async fn run(target: &Target) -> Result<(), String> {
    let db = FreshDb::create(target).await?;
    let measured = measure(&db).await;
    db.remove().await;
    measured
}

async fn measure(db: &FreshDb) -> Result<(), String> {
    let store = &db.store;
    let source = add_user(db, "bench-source", "invalid").await?;
    let target = add_user(db, "bench-target", "valid").await?;
    add_scores(db, source, SOURCE_SCORES).await?;
    add_scores(db, target, TARGET_SCORES).await?;
    let plan = plan_integration(
        &store.records_of(source).await.map_err(|e| e.to_string())?,
        &store.records_of(target).await.map_err(|e| e.to_string())?,
    );
    let login = |raw: &str| LoginId::parse(raw).map_err(|e| e.to_string());
    let now = Utc::now();
    let integration = Integration {
        id: IntegrationId::new(),
        source_user_id: source,
        target_user_id: target,
        source_login_id: login("bench-source")?,
        target_login_id: login("bench-target")?,
        state: IntegrationState::Live,
        source_deleted: false,
        integrated_at: now,
        integrated_by: target,
        cancelled_at: None,
        cancelled_by: None,
        counts: plan.counts(),
    };
    let started = Instant::now();
    store
        .apply(&plan, &integration)
        .await
        .map_err(|e| format!("integrate failed: {e:?}"))?;
    let integrate_ms = started.elapsed().as_millis();
    println!(
        "integrate {}k scores ({} superseded): {integrate_ms} ms (goal ≤ {GOAL_MS} ms: {})",
        SOURCE_SCORES / 1000,
        plan.counts().scores_superseded,
        verdict(integrate_ms)
    );
    let started = Instant::now();
    let outcome = store
        .cancel(integration.id, now, target)
        .await
        .map_err(|e| format!("cancel failed: {e:?}"))?;
    let cancel_ms = started.elapsed().as_millis();
    println!(
        "cancel: {cancel_ms} ms, {} scores returned (goal ≤ {GOAL_MS} ms: {})",
        outcome.summary.scores_returned,
        verdict(cancel_ms)
    );
    Ok(())
}
