//! Builders for the integration tests: users made through the user store, learning records
//! at minute offsets, and full dumps of tables.

use crate::common::stored_user;
use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::{AccessLogId, BadgeAwardId, IntegrationId, ScoreId, UserId};
use roster_domain::integration::{
    AccessLogEntry, BadgeAward, BadgeKey, Integration, IntegrationPlan, IntegrationState,
    MaterialId, QuizMode, Score, ScoreStatus, ScoreValue,
};
use roster_domain::ports::integrations::IntegrationRepository;
use roster_domain::ports::records::LearningRecords;
use roster_domain::user::LoginId;
use roster_domain::user::{Attributes, UserStatus};
use roster_infra_db::Store;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The epoch plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minutes)
}

/// A user with this login and status (`valid`, `invalid`, `pending`), written directly.
pub async fn user(store: &Store, login: &str, status: &str) -> UserId {
    let status = UserStatus::parse(status).unwrap();
    stored_user(store, login, login, status, Attributes::new()).await
}

/// Sets a user's expiry (stored microseconds) directly.
pub async fn set_expiry(store: &Store, user: UserId, expires: Option<DateTime<Utc>>) {
    let update = Query::update()
        .table(Alias::new("users"))
        .value(
            Alias::new("expires_at"),
            expires.map(|e| e.timestamp_micros()),
        )
        .and_where(sea_orm::sea_query::ExprTrait::eq(
            sea_orm::sea_query::Expr::col(Alias::new("id")),
            user.as_uuid(),
        ))
        .to_owned();
    store.connection().execute(&update).await.unwrap();
}

pub fn score(
    user: UserId,
    material: &str,
    status: ScoreStatus,
    mode: QuizMode,
    minute: i64,
) -> Score {
    Score {
        id: ScoreId::new(),
        user_id: user,
        material_id: MaterialId::parse(material).unwrap(),
        attempt: 1,
        score: match status {
            ScoreStatus::Completed => Some(ScoreValue::from_thousandths(80_500).unwrap()),
            ScoreStatus::Paused => None,
        },
        status,
        mode,
        studied_at: at(minute),
        study_seconds: 60,
        superseded: false,
    }
}

pub fn completed(user: UserId, material: &str, minute: i64) -> Score {
    score(
        user,
        material,
        ScoreStatus::Completed,
        QuizMode::Normal,
        minute,
    )
}

pub fn badge(user: UserId, key: &str, minute: i64) -> BadgeAward {
    BadgeAward {
        id: BadgeAwardId::new(),
        user_id: user,
        badge_id: BadgeKey::parse(key).unwrap(),
        awarded_at: at(minute),
    }
}

pub fn login(user: UserId, minute: i64) -> AccessLogEntry {
    AccessLogEntry {
        id: AccessLogId::new(),
        user_id: user,
        at: at(minute),
        ip: Some("192.0.2.1".into()),
        user_agent: Some("tests".into()),
    }
}

/// A live integration of `plan`, as the service builds it.
pub fn integration(plan: &IntegrationPlan, source: &str, target: &str, minute: i64) -> Integration {
    Integration {
        id: IntegrationId::new(),
        source_user_id: plan.source_user_id(),
        target_user_id: plan.target_user_id(),
        source_login_id: LoginId::parse(source).unwrap(),
        target_login_id: LoginId::parse(target).unwrap(),
        state: IntegrationState::Live,
        source_deleted: false,
        integrated_at: at(minute),
        integrated_by: plan.target_user_id(),
        cancelled_at: None,
        cancelled_by: None,
        counts: plan.counts(),
    }
}

/// Plans from the stored records and applies: the service's path.
pub async fn integrate(
    store: &Store,
    (source, source_login): (UserId, &str),
    (target, target_login): (UserId, &str),
    minute: i64,
) -> Integration {
    let plan = roster_domain::integration::plan_integration(
        &store.records_of(source).await.unwrap(),
        &store.records_of(target).await.unwrap(),
    );
    let integration = integration(&plan, source_login, target_login, minute);
    store.apply(&plan, &integration).await.unwrap();
    integration
}

/// Every table of the database, by name.
pub async fn tables(store: &Store) -> Vec<String> {
    let sql = match store.backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        DbBackend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()"
        }
    };
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(store.backend(), sql))
        .await
        .unwrap();
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("", "name").unwrap())
        .collect();
    names.sort();
    names
}

/// One column of a row as text, whatever its type (a column no decoder reads fails the test,
/// so a dump never hides a difference).
fn cell(row: &sea_orm::QueryResult, index: usize) -> String {
    if let Ok(v) = row.try_get_by_index::<Option<i64>>(index) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get_by_index::<Option<bool>>(index) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get_by_index::<Option<uuid::Uuid>>(index) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get_by_index::<Option<String>>(index) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get_by_index::<Option<Vec<u8>>>(index) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get_by_index::<Option<i32>>(index) {
        return format!("{v:?}");
    }
    panic!(
        "column {index} of {:?} has a type the dump cannot read",
        row.column_names()
    );
}

/// Every row of `table`, each as text, sorted.
pub async fn dump_table(store: &Store, table: &str) -> Vec<String> {
    let quoted = match store.backend() {
        DbBackend::MySql => format!("`{table}`"),
        _ => format!("\"{table}\""),
    };
    let sql = format!("SELECT * FROM {quoted}");
    let rows = store
        .connection()
        .query_all_raw(Statement::from_string(store.backend(), sql))
        .await
        .unwrap();
    let mut lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = (0..row.column_names().len())
                .map(|i| cell(row, i))
                .collect();
            cells.join(" | ")
        })
        .collect();
    lines.sort();
    lines
}

/// The named tables, dumped.
pub async fn dump(store: &Store, tables: &[String]) -> Vec<(String, Vec<String>)> {
    let mut all = Vec::new();
    for table in tables {
        all.push((table.clone(), dump_table(store, table).await));
    }
    all
}
