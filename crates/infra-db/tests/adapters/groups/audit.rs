//! Z1: the audit log appends entries and lists them newest first, filtered.

use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::{AuditId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::audit::{
    AuditAction, AuditEntry, AuditFilter, AuditLog, AuditOutcome, AuditTarget, AuditTargetKind,
};
use roster_infra_db::Store;

fn entry(at: DateTime<Utc>, actor: UserId, action: AuditAction, target: AuditTarget) -> AuditEntry {
    AuditEntry {
        id: AuditId::new(),
        at,
        actor,
        action,
        target,
        outcome: AuditOutcome::Success,
        details: [("login_id".to_owned(), "alice".to_owned())].into(),
    }
}

async fn all(store: &Store, filter: AuditFilter, limit: u32) -> (Vec<AuditEntry>, usize) {
    let (mut seen, mut pages, mut cursor) = (Vec::new(), 0, None);
    loop {
        let request = PageRequest::new(Some(limit), cursor);
        let page = store.list(filter.clone(), request).await.unwrap();
        pages += 1;
        seen.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (seen, pages),
        }
    }
}

async fn z1_entries_round_trip_and_list_newest_first_in_pages(store: Store) {
    let t0 = DateTime::from_timestamp(1_900_000_000, 123_456_000).unwrap();
    let (admin, other) = (UserId::new(), UserId::new());
    let mut made = Vec::new();
    for i in 0..5 {
        let target = AuditTarget::new(AuditTargetKind::User, format!("user-{i}"));
        let mut e = entry(
            t0 + Duration::minutes(i),
            admin,
            AuditAction::UserCreate,
            target,
        );
        if i == 3 {
            e.outcome = AuditOutcome::Refused {
                code: "forbidden".into(),
            };
            e.actor = other;
        }
        store.record(e.clone()).await.unwrap();
        made.push(e);
    }
    let settings = entry(
        t0 + Duration::minutes(10),
        admin,
        AuditAction::SettingsUpdate,
        AuditTarget::kind_only(AuditTargetKind::Settings),
    );
    store.record(settings.clone()).await.unwrap();
    made.push(settings);

    let (listed, pages) = all(&store, AuditFilter::default(), 4).await;
    let newest_first: Vec<AuditEntry> = made.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first, "every field survives the round trip");
    assert_eq!(pages, 2);

    let ids = |entries: &[AuditEntry]| entries.iter().map(|e| e.id).collect::<Vec<_>>();
    let pick = |keep: &dyn Fn(&AuditEntry) -> bool| -> Vec<AuditId> {
        newest_first
            .iter()
            .filter(|e| keep(e))
            .map(|e| e.id)
            .collect()
    };
    let cases: Vec<(AuditFilter, Vec<AuditId>)> = vec![
        (
            AuditFilter {
                actor: Some(other),
                ..Default::default()
            },
            pick(&|e| e.actor == other),
        ),
        (
            AuditFilter {
                action: Some(AuditAction::SettingsUpdate),
                ..Default::default()
            },
            pick(&|e| e.action == AuditAction::SettingsUpdate),
        ),
        (
            AuditFilter {
                target_kind: Some(AuditTargetKind::User),
                ..Default::default()
            },
            pick(&|e| e.target.kind == AuditTargetKind::User),
        ),
        (
            AuditFilter {
                target_id: Some("user-2".into()),
                ..Default::default()
            },
            vec![made[2].id],
        ),
        (
            AuditFilter {
                success: Some(false),
                ..Default::default()
            },
            vec![made[3].id],
        ),
        (
            AuditFilter {
                success: Some(true),
                ..Default::default()
            },
            pick(&|e| e.outcome == AuditOutcome::Success),
        ),
        (
            // From inclusive, to exclusive.
            AuditFilter {
                from: Some(t0 + Duration::minutes(1)),
                to: Some(t0 + Duration::minutes(4)),
                ..Default::default()
            },
            vec![made[3].id, made[2].id, made[1].id],
        ),
    ];
    for (filter, expected) in cases {
        let (got, _) = all(&store, filter.clone(), 2).await;
        assert_eq!(ids(&got), expected, "{filter:?}");
    }
    let bad = PageRequest::new(Some(2), Some("bad".into()));
    assert!(
        store
            .list(AuditFilter::default(), bad)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

on_every_backend!(z1_entries_round_trip_and_list_newest_first_in_pages);
