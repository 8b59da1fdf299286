//! I2–I10 through the store: what apply moves and cancel returns, every refusal the database
//! settles, cancel order, frozen and removed integrations, details and live facts.

use super::fixtures::*;
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{
    IntegrationFacts, IntegrationState, QuizMode, ScoreStatus, plan_integration,
};
use roster_domain::ports::integrations::{ApplyError, CancelError, IntegrationRepository};
use roster_domain::ports::records::LearningRecords;
use roster_infra_db::Store;

async fn i2_i6_integrate_moves_records_and_cancel_returns_them(store: Store) {
    let source = user(&store, "old", "invalid").await;
    let target = user(&store, "new", "valid").await;
    let (mine, theirs) = (completed(source, "quiz-1", 1), badge(target, "gold", 50));
    let paused_s = score(source, "quiz-2", ScoreStatus::Paused, QuizMode::Normal, 9);
    let paused_t = score(target, "quiz-2", ScoreStatus::Paused, QuizMode::Normal, 3);
    for s in [&mine, &paused_s, &paused_t] {
        store.add_score(s).await.unwrap();
    }
    store.add_badge(&badge(source, "gold", 10)).await.unwrap();
    store.add_badge(&badge(source, "silver", 11)).await.unwrap();
    store.add_badge(&theirs).await.unwrap();
    store.add_access_log(&login(source, 1)).await.unwrap();
    let certificate = roster_domain::integration::Certificate {
        id: roster_domain::ids::CertificateId::new(),
        user_id: source,
        certificate_key: roster_domain::integration::CertificateKey::parse("c").unwrap(),
        material_id: None,
        issued_at: at(1),
    };
    store.add_certificate(&certificate).await.unwrap();
    let before = (
        store.records_of(source).await.unwrap(),
        store.records_of(target).await.unwrap(),
    );

    let integration = integrate(&store, (source, "old"), (target, "new"), 100).await;
    let (s_after, t_after) = (
        store.records_of(source).await.unwrap(),
        store.records_of(target).await.unwrap(),
    );
    // I2: scores, badges and logins move; the certificate stays.
    assert!(
        s_after.scores.is_empty() && s_after.badges.is_empty() && s_after.access_log.is_empty()
    );
    assert_eq!(s_after.certificates, vec![certificate]);
    assert_eq!(t_after.scores.len(), 3);
    assert_eq!(t_after.access_log.len(), 1);
    // I3: one gold award, the target's, with the source's date.
    let gold: Vec<_> = t_after
        .badges
        .iter()
        .filter(|b| b.badge_id.as_str() == "gold")
        .collect();
    assert_eq!(
        (gold.len(), gold[0].id, gold[0].awarded_at),
        (1, theirs.id, at(10))
    );
    // I4: the older paused attempt (the target's) is superseded.
    let superseded: Vec<_> = t_after
        .scores
        .iter()
        .filter(|s| s.superseded)
        .map(|s| s.id)
        .collect();
    assert_eq!(superseded, vec![paused_t.id]);
    // I5, I10: stored, listed, detailed; the facts see it live.
    assert_eq!(
        store.get(integration.id).await.unwrap(),
        Some(integration.clone())
    );
    let details = store.details(integration.id).await.unwrap().unwrap();
    assert_eq!(
        (
            details.scores.len(),
            details.badges.len(),
            details.access_log.len()
        ),
        (2, 2, 1)
    );
    let facts = store.live_facts(source, target).await.unwrap();
    assert!(facts.source_is_live_source && !facts.target_is_live_source);
    let facts = store.live_facts(target, source).await.unwrap();
    assert_eq!(
        facts,
        IntegrationFacts {
            source_is_live_target: true,
            target_is_live_source: true,
            ..Default::default()
        }
    );
    assert_eq!(store.get(IntegrationId::new()).await.unwrap(), None);
    assert_eq!(store.details(IntegrationId::new()).await.unwrap(), None);

    // I6: the cancel returns every row exactly, in the same transaction as the new state.
    let outcome = store.cancel(integration.id, at(200), target).await.unwrap();
    assert_eq!(outcome.integration.state, IntegrationState::Cancelled);
    assert_eq!(outcome.integration.cancelled_at, Some(at(200)));
    assert_eq!(outcome.summary.scores_returned, 2);
    assert_eq!(outcome.summary.badges_returned, 2);
    assert_eq!(
        outcome.summary.rows_recreated, 1,
        "the retired source gold award"
    );
    assert_eq!(
        store.get(integration.id).await.unwrap(),
        Some(outcome.integration)
    );
    let after = (
        store.records_of(source).await.unwrap(),
        store.records_of(target).await.unwrap(),
    );
    assert_eq!(sorted(after), sorted(before));
    assert_eq!(
        store.live_facts(source, target).await.unwrap(),
        IntegrationFacts::default()
    );
    let again = store.cancel(integration.id, at(201), target).await;
    assert!(
        matches!(again, Err(CancelError::AlreadyCancelled)),
        "{again:?}"
    );
    let missing = store.cancel(IntegrationId::new(), at(201), target).await;
    assert!(matches!(missing, Err(CancelError::NotFound)), "{missing:?}");
}

type Pair = (
    roster_domain::integration::UserRecords,
    roster_domain::integration::UserRecords,
);

fn sorted((mut a, mut b): Pair) -> Pair {
    for r in [&mut a, &mut b] {
        r.scores.sort_by_key(|s| s.id);
        r.badges.sort_by_key(|s| s.id);
        r.access_log.sort_by_key(|s| s.id);
        r.certificates.sort_by_key(|s| s.id);
    }
    (a, b)
}

async fn i10_apply_refuses_chains_lost_races_and_stale_plans(store: Store) {
    let a = user(&store, "a", "invalid").await;
    let b = user(&store, "b", "valid").await;
    let c = user(&store, "c", "invalid").await;
    let d = user(&store, "d", "valid").await;
    store.add_score(&completed(a, "q", 1)).await.unwrap();
    let plan_of = |s: UserId, t: UserId| {
        let store = store.clone();
        async move {
            plan_integration(
                &store.records_of(s).await.unwrap(),
                &store.records_of(t).await.unwrap(),
            )
        }
    };
    // A stale plan: a score was added since the preview.
    let stale = plan_of(a, b).await;
    store.add_score(&completed(a, "q", 2)).await.unwrap();
    let err = store.apply(&stale, &integration(&stale, "a", "b", 1)).await;
    assert!(matches!(err, Err(ApplyError::Conflict)), "{err:?}");
    // The source is no longer invalid.
    let valid_source = plan_of(b, d).await;
    let err = store
        .apply(&valid_source, &integration(&valid_source, "b", "d", 1))
        .await;
    assert!(matches!(err, Err(ApplyError::Conflict)), "{err:?}");
    integrate(&store, (a, "a"), (b, "b"), 2).await;
    // The same source again, into another target.
    let again = plan_of(a, d).await;
    let err = store.apply(&again, &integration(&again, "a", "d", 3)).await;
    assert!(
        matches!(err, Err(ApplyError::SourceAlreadyIntegrated)),
        "{err:?}"
    );
    // c -> a: a is a live source (TargetIsSource; a is invalid, so mark it valid first to get
    // past the status check as a racing status change would).
    set_status(&store, a, "valid").await;
    let chain = plan_of(c, a).await;
    let err = store.apply(&chain, &integration(&chain, "c", "a", 4)).await;
    assert!(matches!(err, Err(ApplyError::TargetIsSource)), "{err:?}");
    // b -> d: b holds a's records (SourceIsTarget).
    set_status(&store, b, "invalid").await;
    let chain = plan_of(b, d).await;
    let err = store.apply(&chain, &integration(&chain, "b", "d", 5)).await;
    assert!(matches!(err, Err(ApplyError::SourceIsTarget)), "{err:?}");
    assert_eq!(
        store.records_of(a).await.unwrap().scores.len(),
        0,
        "moved once, kept there"
    );
    assert_eq!(store.records_of(b).await.unwrap().scores.len(), 2);
}

async fn set_status(store: &Store, user: UserId, status: &str) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let update = Query::update()
        .table(Alias::new("users"))
        .value(Alias::new("status"), status)
        .and_where(Expr::col(Alias::new("id")).eq(user.as_uuid()))
        .to_owned();
    store.connection().execute(&update).await.unwrap();
}

async fn i6_i8_i9_cancel_order_frozen_and_removed(store: Store) {
    let a = user(&store, "a", "invalid").await;
    let b = user(&store, "b", "valid").await;
    let c = user(&store, "c", "invalid").await;
    store.add_badge(&badge(a, "gold", 10)).await.unwrap();
    store.add_badge(&badge(b, "gold", 50)).await.unwrap();
    store.add_badge(&badge(c, "gold", 5)).await.unwrap();
    let before = (
        store.records_of(a).await.unwrap(),
        store.records_of(b).await.unwrap(),
    );
    let first = integrate(&store, (a, "a"), (b, "b"), 1).await;
    let second = integrate(&store, (c, "c"), (b, "b"), 2).await;
    // I6: the later integration touched b's gold award again: it must go first.
    let err = store.cancel(first.id, at(3), b).await;
    assert!(
        matches!(err, Err(CancelError::LaterIntegrationFirst { later }) if later == second.id),
        "{err:?}"
    );
    assert_eq!(
        store.get(first.id).await.unwrap().unwrap().state,
        IntegrationState::Live,
        "nothing written"
    );
    store.cancel(second.id, at(3), b).await.unwrap();
    store.cancel(first.id, at(4), b).await.unwrap();
    let after = (
        store.records_of(a).await.unwrap(),
        store.records_of(b).await.unwrap(),
    );
    assert_eq!(sorted(after), sorted(before));

    // I8: the source deleted: frozen, no longer cancellable, still listed.
    let live = integrate(&store, (a, "a"), (b, "b"), 5).await;
    assert_eq!(
        store.mark_source_deleted(a).await.unwrap(),
        2,
        "the live one and the cancelled one"
    );
    assert_eq!(store.mark_source_deleted(a).await.unwrap(), 2, "idempotent");
    let frozen = store.get(live.id).await.unwrap().unwrap();
    assert_eq!(
        (frozen.state, frozen.source_deleted),
        (IntegrationState::Frozen, true)
    );
    let err = store.cancel(live.id, at(6), b).await;
    assert!(matches!(err, Err(CancelError::Frozen)), "{err:?}");
    assert!(!store.live_facts(a, b).await.unwrap().source_is_live_source);
    assert!(
        store.details(live.id).await.unwrap().is_some(),
        "frozen keeps its data"
    );
    // I9: the target deleted: every integration into it goes, plans too.
    assert_eq!(store.remove_for_target(b).await.unwrap(), 3);
    assert_eq!(store.remove_for_target(b).await.unwrap(), 0);
    assert_eq!(store.get(live.id).await.unwrap(), None);
    assert_eq!(store.details(live.id).await.unwrap(), None);
    assert!(
        dump_table(&store, "integration_plan_blobs")
            .await
            .is_empty()
    );
}

async fn u6_cancel_recreates_scores_purged_meanwhile(store: Store) {
    let a = user(&store, "a", "invalid").await;
    let b = user(&store, "b", "valid").await;
    store.add_score(&completed(a, "q", 1)).await.unwrap();
    store.add_score(&completed(b, "q", 2)).await.unwrap();
    let before = (
        store.records_of(a).await.unwrap(),
        store.records_of(b).await.unwrap(),
    );
    let live = integrate(&store, (a, "a"), (b, "b"), 1).await;
    assert_eq!(store.delete_scores_of(b).await.unwrap(), 2);
    let outcome = store.cancel(live.id, at(2), b).await.unwrap();
    assert_eq!(
        outcome.summary.rows_recreated, 1,
        "only a's score is in the undo record"
    );
    let after = (
        store.records_of(a).await.unwrap(),
        store.records_of(b).await.unwrap(),
    );
    assert_eq!(after.0, before.0);
    assert!(
        after.1.scores.is_empty(),
        "b's own purged score is not the cancel's to restore"
    );
}

/// Apply and cancel move an owner's rows wholesale when few of that owner's rows stay (one
/// `UPDATE … WHERE user_id = …` with a row count), else by id: both restore every row
/// exactly, and a row added to the source after the preview is refused either way.
async fn i10_wholesale_and_by_id_moves_both_round_trip(store: Store) {
    let record_tables = ["scores", "badge_awards", "access_log"];
    // (source scores, target scores): apply always moves wholesale (every source row goes);
    // the cancel returns 13 of the target's 16 scores wholesale, then 3 of 16 by id.
    for (round, (from_source, from_target)) in [(12, 2), (2, 12)].into_iter().enumerate() {
        let (s_login, t_login) = (format!("s{round}"), format!("t{round}"));
        let source = user(&store, &s_login, "invalid").await;
        let target = user(&store, &t_login, "valid").await;
        for minute in 0..from_source {
            let quiz = format!("quiz-{}", minute % 3);
            store
                .add_score(&completed(source, &quiz, minute))
                .await
                .unwrap();
        }
        for minute in 0..from_target {
            store
                .add_score(&completed(target, "quiz-0", 100 + minute))
                .await
                .unwrap();
        }
        store.add_access_log(&login(source, 1)).await.unwrap();
        let paused_s = score(source, "p", ScoreStatus::Paused, QuizMode::Normal, 9);
        let paused_t = score(target, "p", ScoreStatus::Paused, QuizMode::Normal, 3);
        store.add_score(&paused_s).await.unwrap();
        store.add_score(&paused_t).await.unwrap();
        let mut before = Vec::new();
        for table in record_tables {
            before.push(dump_table(&store, table).await);
        }

        // A score added after the preview: Conflict, nothing written.
        let stale = plan_integration(
            &store.records_of(source).await.unwrap(),
            &store.records_of(target).await.unwrap(),
        );
        let late = completed(source, "quiz-9", 500);
        store.add_score(&late).await.unwrap();
        let err = store
            .apply(&stale, &integration(&stale, &s_login, &t_login, 1))
            .await;
        assert!(matches!(err, Err(ApplyError::Conflict)), "{err:?}");
        for row in store.records_of(target).await.unwrap().scores {
            assert_eq!(row.user_id, target, "nothing moved");
        }
        remove_score(&store, late.id.as_uuid()).await;
        assert_eq!(dump_table(&store, "scores").await, before[0]);

        let applied = integrate(&store, (source, &s_login), (target, &t_login), 2).await;
        let moved = store.records_of(target).await.unwrap();
        let expected = usize::try_from(from_source + from_target + 2).unwrap();
        assert_eq!(moved.scores.len(), expected);
        assert_eq!(moved.access_log.len(), 1);
        assert!(store.records_of(source).await.unwrap().scores.is_empty());
        store.cancel(applied.id, at(3), target).await.unwrap();
        let mut after = Vec::new();
        for table in record_tables {
            after.push(dump_table(&store, table).await);
        }
        assert_eq!(after, before, "round {round}: every row restored exactly");
    }
}

async fn remove_score(store: &Store, id: uuid::Uuid) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let delete = Query::delete()
        .from_table(Alias::new("scores"))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    store.connection().execute(&delete).await.unwrap();
}

on_every_backend!(
    i10_wholesale_and_by_id_moves_both_round_trip,
    i2_i6_integrate_moves_records_and_cancel_returns_them,
    i10_apply_refuses_chains_lost_races_and_stale_plans,
    i6_i8_i9_cancel_order_frozen_and_removed,
    u6_cancel_recreates_scores_purged_meanwhile,
);
