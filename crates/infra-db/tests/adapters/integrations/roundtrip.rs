//! I6 property on every backend: integrate then cancel gives back every row exactly — over
//! generated records (scores with several attempts and modes, paused and master conflicts,
//! badge conflicts, access log), a fresh pair of users per case, full dumps compared.

use super::fixtures::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use roster_domain::ids::UserId;
use roster_domain::integration::{QuizMode, ScoreStatus, plan_integration};
use roster_domain::ports::integrations::IntegrationRepository;
use roster_domain::ports::records::LearningRecords;
use roster_infra_db::Store;

/// One generated score: (on the source?, material, paused?, master?, minute, attempt, superseded).
type ScoreSpec = (bool, u8, bool, bool, i64, u32, bool);
/// One generated badge or login: (on the source?, key, minute).
type RowSpec = (bool, u8, i64);

fn case() -> impl Strategy<Value = (Vec<ScoreSpec>, Vec<RowSpec>, Vec<RowSpec>)> {
    let score = (
        any::<bool>(),
        0..3u8,
        any::<bool>(),
        any::<bool>(),
        0..50i64,
        1..4u32,
        prop::bool::weighted(0.1),
    );
    let row = (any::<bool>(), 0..3u8, 0..50i64);
    (
        prop::collection::vec(score, 0..12),
        prop::collection::vec(row.clone(), 0..6),
        prop::collection::vec(row, 0..4),
    )
}

async fn add_case(
    store: &Store,
    (source, target): (UserId, UserId),
    (scores, badges, logins): &(Vec<ScoreSpec>, Vec<RowSpec>, Vec<RowSpec>),
) {
    let owner = |on_source: bool| if on_source { source } else { target };
    for &(on_source, material, paused, master, minute, attempt, superseded) in scores {
        let status = if paused {
            ScoreStatus::Paused
        } else {
            ScoreStatus::Completed
        };
        let mode = if master {
            QuizMode::Master
        } else {
            QuizMode::Normal
        };
        let mut s = score(
            owner(on_source),
            &format!("quiz-{material}"),
            status,
            mode,
            minute,
        );
        s.attempt = attempt;
        s.superseded = superseded;
        store.add_score(&s).await.unwrap();
    }
    for &(on_source, key, minute) in badges {
        store
            .add_badge(&badge(owner(on_source), &format!("badge-{key}"), minute))
            .await
            .unwrap();
    }
    for &(on_source, _, minute) in logins {
        store
            .add_access_log(&login(owner(on_source), minute))
            .await
            .unwrap();
    }
}

async fn i6_integrate_then_cancel_restores_every_row(store: Store) {
    let record_tables: Vec<String> = [
        "users",
        "scores",
        "badge_awards",
        "certificates",
        "access_log",
    ]
    .map(String::from)
    .into();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let strategy = case();
    for n in 0..24 {
        let generated = strategy.new_tree(&mut runner).unwrap().current();
        let (s_login, t_login) = (format!("src-{n}"), format!("dst-{n}"));
        let source = user(&store, &s_login, "invalid").await;
        let target = user(&store, &t_login, "valid").await;
        add_case(&store, (source, target), &generated).await;
        let before = dump(&store, &record_tables).await;
        let plan = plan_integration(
            &store.records_of(source).await.unwrap(),
            &store.records_of(target).await.unwrap(),
        );
        let live = integration(&plan, &s_login, &t_login, n);
        store.apply(&plan, &live).await.unwrap();
        if !plan.changes().is_empty() {
            assert_ne!(
                dump(&store, &record_tables).await,
                before,
                "case {n}: {generated:?}"
            );
        }
        store.cancel(live.id, at(1000 + n), target).await.unwrap();
        assert_eq!(
            dump(&store, &record_tables).await,
            before,
            "case {n}: {generated:?}"
        );
    }
}

on_every_backend!(i6_integrate_then_cancel_restores_every_row);
