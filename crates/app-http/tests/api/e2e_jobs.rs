//! O5, U6 through the binary: `roster jobs run` runs every due job once on the configured
//! database — the expiry purge deletes an expired user's scores (and only its), a second run
//! finds nothing due, and `ROSTER_PURGE_EXPIRED_GRADES=false` switches the purge off.

use chrono::{Duration, Utc};
use roster_domain::ids::{ScoreId, UserId};
use roster_domain::integration::{MaterialId, QuizMode, Score, ScoreStatus, ScoreValue};
use roster_domain::ports::records::LearningRecords;
use roster_domain::ports::users::{NewUser, UserRepository};
use roster_domain::user::{Attributes, DisplayName, LoginId, UserStatus};
use roster_infra_db::Store;
use std::path::Path;
use std::process::Command;

/// `roster jobs run` in `dir` with `env`; its standard output, asserting success.
fn jobs_run(dir: &Path, env: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["jobs", "run"])
        .current_dir(dir)
        .env_clear()
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// A user expired (or not) an hour ago, with two scores; written straight to the store.
async fn user_with_scores(store: &Store, login: &str, expired: bool) -> UserId {
    let id = UserId::new();
    let now = Utc::now();
    store
        .create(NewUser {
            id,
            login_id: LoginId::parse(login).unwrap(),
            name: DisplayName::parse(login).unwrap(),
            email: None,
            password_hash: None,
            status: UserStatus::Valid,
            expires_at: Some(now + Duration::hours(if expired { -1 } else { 1 })),
            attributes: Attributes::new(),
            group_ids: Default::default(),
            is_owner: false,
            created_at: now - Duration::days(10),
        })
        .await
        .unwrap();
    for material in ["m-1", "m-2"] {
        let score = Score {
            id: ScoreId::new(),
            user_id: id,
            material_id: MaterialId::parse(material).unwrap(),
            attempt: 1,
            score: Some(ScoreValue::from_thousandths(70_000).unwrap()),
            status: ScoreStatus::Completed,
            mode: QuizMode::Normal,
            studied_at: now - Duration::days(1),
            study_seconds: 60,
            superseded: false,
        };
        store.add_score(&score).await.unwrap();
    }
    id
}

async fn scores(store: &Store, user: UserId) -> usize {
    store.records_of(user).await.unwrap().scores.len()
}

#[tokio::test]
async fn o5_u6_jobs_run_purges_expired_scores_once_and_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("roster.db").display()
    );
    let store = Store::open(&url).await.unwrap();
    let expired = user_with_scores(&store, "expired", true).await;
    let current = user_with_scores(&store, "current", false).await;

    let off = jobs_run(dir.path(), &[("ROSTER_PURGE_EXPIRED_GRADES", "false")]);
    assert!(off.contains("expiry_purge: switched off"), "{off}");
    assert!(
        off.contains("mail_queue: done"),
        "the other jobs ran: {off}"
    );
    assert_eq!(
        scores(&store, expired).await,
        2,
        "switched off: nothing deleted"
    );

    let first = jobs_run(dir.path(), &[]);
    assert!(first.contains("expiry_purge: done, 1 handled"), "{first}");
    assert_eq!(scores(&store, expired).await, 0);
    assert_eq!(
        scores(&store, current).await,
        2,
        "only expired users lose scores"
    );

    let second = jobs_run(dir.path(), &[]);
    assert!(second.contains("expiry_purge: not due"), "{second}");
}
