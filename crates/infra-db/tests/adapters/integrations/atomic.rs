//! I10 on every backend: 50 concurrent integrations of one source (exactly one wins, the
//! records move once), and a fault injected half-way through applying a plan (every table
//! as it was).

use super::fixtures::*;
use roster_domain::integration::plan_integration;
use roster_domain::ports::PageRequest;
use roster_domain::ports::integrations::{ApplyError, IntegrationFilter, IntegrationRepository};
use roster_domain::ports::records::LearningRecords;
use roster_infra_db::Store;
use sea_orm::{ConnectionTrait, DbBackend};

async fn i10_fifty_concurrent_integrations_of_one_source_one_wins(store: Store) {
    let source = user(&store, "src", "invalid").await;
    let targets = [
        user(&store, "t1", "valid").await,
        user(&store, "t2", "valid").await,
    ];
    for minute in 0..20 {
        store
            .add_score(&completed(source, "quiz", minute))
            .await
            .unwrap();
    }
    store.add_access_log(&login(source, 1)).await.unwrap();
    let source_records = store.records_of(source).await.unwrap();
    let mut attempts = Vec::new();
    for i in 0..50 {
        let target = targets[i % 2];
        let plan = plan_integration(&source_records, &store.records_of(target).await.unwrap());
        let integration = integration(&plan, "src", if i % 2 == 0 { "t1" } else { "t2" }, 1);
        let store = store.clone();
        attempts.push(tokio::spawn(async move {
            store.apply(&plan, &integration).await
        }));
    }
    let mut won = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(()) => won += 1,
            Err(ApplyError::SourceAlreadyIntegrated | ApplyError::Conflict) => {}
            Err(other) => panic!("a lost race must be refused cleanly: {other:?}"),
        }
    }
    assert_eq!(won, 1);
    let listed = store
        .list(&IntegrationFilter::default(), &PageRequest::first(100))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1, "one integration stored");
    let winner = listed.items[0].target_user_id;
    let moved = store.records_of(winner).await.unwrap();
    assert_eq!(
        (moved.scores.len(), moved.access_log.len()),
        (20, 1),
        "moved exactly once"
    );
    let mut ids: Vec<_> = moved.scores.iter().map(|s| s.id).collect();
    ids.sort();
    let mut expected: Vec<_> = source_records.scores.iter().map(|s| s.id).collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(store.records_of(source).await.unwrap().scores.is_empty());
    let loser = if winner == targets[0] {
        targets[1]
    } else {
        targets[0]
    };
    assert!(store.records_of(loser).await.unwrap().scores.is_empty());
}

/// Makes every update of the access-log row whose `ip` is `inject-fault` fail, the way a
/// crash or a lost connection would half-way through a plan (access-log rows are written
/// after the scores and badges).
async fn inject_fault(store: &Store) {
    let db = store.connection();
    match store.backend() {
        DbBackend::Sqlite => {
            db.execute_unprepared(
                "CREATE TRIGGER inject_fault BEFORE UPDATE ON access_log \
                 WHEN OLD.ip = 'inject-fault' BEGIN SELECT RAISE(ABORT, 'injected'); END",
            )
            .await
            .unwrap();
        }
        DbBackend::Postgres => {
            db.execute_unprepared(
                "CREATE FUNCTION inject_fault() RETURNS trigger AS $$ BEGIN \
                 IF OLD.ip = 'inject-fault' THEN RAISE EXCEPTION 'injected'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql",
            )
            .await
            .unwrap();
            db.execute_unprepared(
                "CREATE TRIGGER inject_fault BEFORE UPDATE ON access_log \
                 FOR EACH ROW EXECUTE FUNCTION inject_fault()",
            )
            .await
            .unwrap();
        }
        _ => {
            db.execute_unprepared(
                "CREATE TRIGGER inject_fault BEFORE UPDATE ON access_log FOR EACH ROW \
                 BEGIN IF OLD.ip = 'inject-fault' THEN \
                 SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END",
            )
            .await
            .unwrap();
        }
    }
}

async fn i10_a_fault_half_way_through_apply_leaves_every_table_as_it_was(store: Store) {
    let source = user(&store, "src", "invalid").await;
    let target = user(&store, "dst", "valid").await;
    for minute in 0..30 {
        store
            .add_score(&completed(source, "quiz", minute))
            .await
            .unwrap();
    }
    store.add_badge(&badge(source, "gold", 1)).await.unwrap();
    store.add_badge(&badge(target, "gold", 9)).await.unwrap();
    store.add_badge(&badge(source, "silver", 1)).await.unwrap();
    store.add_access_log(&login(source, 1)).await.unwrap();
    let mut last = login(source, 2);
    last.ip = Some("inject-fault".into());
    store.add_access_log(&last).await.unwrap();
    inject_fault(&store).await;
    let tables = tables(&store).await;
    assert!(tables.len() > 20, "every table of the schema: {tables:?}");
    let before = dump(&store, &tables).await;

    let plan = plan_integration(
        &store.records_of(source).await.unwrap(),
        &store.records_of(target).await.unwrap(),
    );
    assert!(!plan.changes().scores.is_empty() && !plan.changes().badges.is_empty());
    let live = integration(&plan, "src", "dst", 1);
    let err = store.apply(&plan, &live).await;
    assert!(matches!(err, Err(ApplyError::Unexpected(_))), "{err:?}");
    assert_eq!(
        dump(&store, &tables).await,
        before,
        "nothing of the plan was kept"
    );
    assert_eq!(store.get(live.id).await.unwrap(), None);

    // Without the fault the same plan applies: the test above really got half-way.
    let drop = match store.backend() {
        DbBackend::Postgres => "DROP TRIGGER inject_fault ON access_log",
        _ => "DROP TRIGGER inject_fault",
    };
    store.connection().execute_unprepared(drop).await.unwrap();
    store.apply(&plan, &live).await.unwrap();
    assert_eq!(store.records_of(target).await.unwrap().access_log.len(), 2);
}

on_every_backend!(
    i10_fifty_concurrent_integrations_of_one_source_one_wins,
    i10_a_fault_half_way_through_apply_leaves_every_table_as_it_was,
);
