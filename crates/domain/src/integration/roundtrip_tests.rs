//! Property tests of the integrate → cancel round trip (I2–I4, I6): random records for
//! several accounts, applied to the in-memory store, must come back exactly.

use super::cancel::plan_cancel;
use super::fixtures::at;
use super::keys::{BadgeKey, CertificateKey, MaterialId};
use super::order::check_cancel_order;
use super::planner::plan_integration;
use super::points::ScoreValue;
use super::records::{
    AccessLogEntry, BadgeAward, Certificate, QuizMode, Score, ScoreStatus, UserRecords,
};
use super::store::RecordSet;
use crate::ids::{AccessLogId, BadgeAwardId, CertificateId, IntegrationId, ScoreId, UserId};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone)]
struct ScoreSpec {
    material: u8,
    paused: bool,
    master: bool,
    minute: i64,
    superseded: bool,
    value: Option<i64>,
}

#[derive(Debug, Clone)]
struct AccountSpec {
    scores: Vec<ScoreSpec>,
    badges: Vec<(u8, i64)>,
    certificates: Vec<(u8, bool)>,
    logins: Vec<(i64, bool)>,
}

fn score_spec() -> impl Strategy<Value = ScoreSpec> {
    // Few materials and minutes, so paused/master conflicts and ties are common.
    (
        0..3u8,
        any::<bool>(),
        any::<bool>(),
        0..8i64,
        prop::bool::weighted(0.2),
    )
        .prop_flat_map(|(material, paused, master, minute, superseded)| {
            proptest::option::of(0..100_000i64).prop_map(move |value| ScoreSpec {
                material,
                paused,
                master,
                minute,
                superseded,
                value,
            })
        })
}

fn account_spec() -> impl Strategy<Value = AccountSpec> {
    (
        vec(score_spec(), 0..8),
        vec((0..4u8, 0..6i64), 0..5),
        vec((0..2u8, any::<bool>()), 0..3),
        vec((0..50i64, any::<bool>()), 0..5),
    )
        .prop_map(|(scores, badges, certificates, logins)| AccountSpec {
            scores,
            badges,
            certificates,
            logins,
        })
}

/// Deterministic ids, so a failing case replays identically.
struct Ids(u128);

impl Ids {
    fn next(&mut self) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(self.0)
    }
}

fn key<T>(parse: impl Fn(&str) -> Result<T, super::keys::RecordKeyError>, s: String) -> T {
    parse(&s).unwrap()
}

fn build(spec: &AccountSpec, user: UserId, ids: &mut Ids) -> UserRecords {
    let mut records = UserRecords::empty(user);
    for (n, s) in spec.scores.iter().enumerate() {
        records.scores.push(Score {
            id: ScoreId::from_uuid(ids.next()),
            user_id: user,
            material_id: key(MaterialId::parse, format!("m{}", s.material)),
            attempt: u32::try_from(n).unwrap() + 1,
            score: s.value.map(|v| ScoreValue::from_thousandths(v).unwrap()),
            status: if s.paused {
                ScoreStatus::Paused
            } else {
                ScoreStatus::Completed
            },
            mode: if s.master {
                QuizMode::Master
            } else {
                QuizMode::Normal
            },
            studied_at: at(s.minute),
            study_seconds: 30,
            superseded: s.superseded,
        });
    }
    for &(badge, minute) in &spec.badges {
        records.badges.push(BadgeAward {
            id: BadgeAwardId::from_uuid(ids.next()),
            user_id: user,
            badge_id: key(BadgeKey::parse, format!("b{badge}")),
            awarded_at: at(minute),
        });
    }
    for &(cert, with_material) in &spec.certificates {
        records.certificates.push(Certificate {
            id: CertificateId::from_uuid(ids.next()),
            user_id: user,
            certificate_key: key(CertificateKey::parse, format!("c{cert}")),
            material_id: with_material.then(|| key(MaterialId::parse, "m0".into())),
            issued_at: at(1),
        });
    }
    for &(minute, known) in &spec.logins {
        records.access_log.push(AccessLogEntry {
            id: AccessLogId::from_uuid(ids.next()),
            user_id: user,
            at: at(minute),
            ip: known.then(|| "198.51.100.7".into()),
            user_agent: known.then(|| "Mozilla/5.0".into()),
        });
    }
    records
}

fn accounts(specs: &[&AccountSpec]) -> Vec<UserRecords> {
    let mut ids = Ids(0);
    specs
        .iter()
        .map(|spec| {
            let user = UserId::from_uuid(ids.next());
            build(spec, user, &mut ids)
        })
        .collect()
}

/// I2–I4 hold on the store right after integrating `source` into `target`.
fn check_integrated(
    source: &UserRecords,
    target: &UserRecords,
    store: &RecordSet,
) -> Result<(), TestCaseError> {
    let s_after = store.records_of(source.user_id);
    let t_after = store.records_of(target.user_id);
    // I2: everything but certificates leaves the source.
    prop_assert!(s_after.scores.is_empty() && s_after.badges.is_empty());
    prop_assert!(s_after.access_log.is_empty());
    prop_assert_eq!(&s_after.certificates, &source.certificates);
    prop_assert_eq!(&t_after.certificates, &target.certificates);
    prop_assert_eq!(
        t_after.scores.len(),
        source.scores.len() + target.scores.len()
    );
    prop_assert_eq!(
        t_after.access_log.len(),
        source.access_log.len() + target.access_log.len()
    );
    // I3: per badge, the target gains no duplicate and shows the source's earliest date.
    let earliest = |awards: &[BadgeAward], k: &BadgeKey| {
        awards
            .iter()
            .filter(|a| &a.badge_id == k)
            .min_by_key(|a| (a.awarded_at, a.id))
            .cloned()
    };
    let count =
        |awards: &[BadgeAward], k: &BadgeKey| awards.iter().filter(|a| &a.badge_id == k).count();
    for k in source.badges.iter().map(|b| &b.badge_id) {
        match earliest(&target.badges, k) {
            Some(kept) => {
                prop_assert_eq!(count(&t_after.badges, k), count(&target.badges, k));
                let now = t_after.badges.iter().find(|b| b.id == kept.id);
                let source_date = earliest(&source.badges, k).map(|a| a.awarded_at);
                prop_assert_eq!(now.map(|b| b.awarded_at), source_date);
            }
            None => prop_assert_eq!(count(&t_after.badges, k), count(&source.badges, k)),
        }
    }
    // I4 paused: one visible paused attempt per shared material, the latest.
    let paused_latest = |r: &UserRecords| {
        let mut m: BTreeMap<MaterialId, chrono::DateTime<chrono::Utc>> = BTreeMap::new();
        for s in r
            .scores
            .iter()
            .filter(|s| s.is_visible() && s.status == ScoreStatus::Paused)
        {
            let e = m.entry(s.material_id.clone()).or_insert(s.studied_at);
            *e = (*e).max(s.studied_at);
        }
        m
    };
    let (ps, pt) = (paused_latest(source), paused_latest(target));
    for (material, s_latest) in &ps {
        let Some(t_latest) = pt.get(material) else {
            continue;
        };
        let visible: Vec<_> = t_after
            .scores
            .iter()
            .filter(|s| {
                s.is_visible() && s.status == ScoreStatus::Paused && &s.material_id == material
            })
            .collect();
        prop_assert_eq!(visible.len(), 1);
        prop_assert_eq!(visible[0].studied_at, (*s_latest).max(*t_latest));
    }
    // I4 master: the latest current result stays visible, the other side's is superseded.
    let (cs, ct) = (master_current(source), master_current(target));
    let superseded = |id: ScoreId| t_after.scores.iter().any(|s| s.id == id && s.superseded);
    for (material, s_cur) in &cs {
        let Some(t_cur) = ct.get(material) else {
            continue;
        };
        let source_wins = (s_cur.studied_at, false, s_cur.id) > (t_cur.studied_at, true, t_cur.id);
        let (winner, loser) = if source_wins {
            (s_cur, t_cur)
        } else {
            (t_cur, s_cur)
        };
        prop_assert!(!superseded(winner.id));
        prop_assert!(superseded(loser.id));
    }
    Ok(())
}

/// Each material's current master-mode result: the latest visible completed one.
fn master_current(r: &UserRecords) -> BTreeMap<MaterialId, &Score> {
    let mut m: BTreeMap<MaterialId, &Score> = BTreeMap::new();
    let master = r.scores.iter().filter(|s| {
        s.is_visible() && s.status == ScoreStatus::Completed && s.mode == QuizMode::Master
    });
    for s in master {
        let e = m.entry(s.material_id.clone()).or_insert(s);
        if (s.studied_at, s.id) > (e.studied_at, e.id) {
            *e = s;
        }
    }
    m
}

fn cancel(store: &mut RecordSet, undo: &super::plan::UndoRecord) {
    plan_cancel(undo, store).apply_to(store).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn i6_integrate_then_cancel_restores_both_accounts_exactly(
        s in account_spec(), t in account_spec(), other in account_spec()
    ) {
        let users = accounts(&[&s, &t, &other]);
        let (source, target, third) = (&users[0], &users[1], &users[2]);
        let original = RecordSet::from_users(&users);
        let mut store = original.clone();
        let plan = plan_integration(source, target);
        plan.apply_to(&mut store).unwrap();
        check_integrated(source, target, &store)?;
        prop_assert_eq!(&store.records_of(third.user_id), third);
        cancel(&mut store, &plan.undo());
        prop_assert_eq!(store, original);
    }

    #[test]
    fn i6_stored_plan_reads_back_equal_and_its_applied_rows_are_the_rows_after_apply(
        s in account_spec(), t in account_spec()
    ) {
        let users = accounts(&[&s, &t]);
        let plan = plan_integration(&users[0], &users[1]);
        let json = serde_json::to_string(&plan).unwrap();
        let stored: super::plan::IntegrationPlan = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&stored, &plan);
        prop_assert_eq!(stored.undo(), plan.undo());
        let mut store = RecordSet::from_users(&users);
        plan.apply_to(&mut store).unwrap();
        // Cancelling from the plan's applied rows is cancelling from the store itself.
        let undo = plan.undo();
        prop_assert_eq!(plan_cancel(&undo, &plan.applied_rows()), plan_cancel(&undo, &store));
    }

    #[test]
    fn i6_cancel_keeps_later_target_records_and_restores_everything_else(
        s in account_spec(),
        t in account_spec(),
        later in account_spec(),
        edits in vec((any::<Index>(), 0..3u8), 0..6),
    ) {
        let users = accounts(&[&s, &t]);
        let (source, target) = (&users[0], &users[1]);
        let original = RecordSet::from_users(&users);
        let mut store = original.clone();
        let plan = plan_integration(source, target);
        plan.apply_to(&mut store).unwrap();

        // Records added to the target afterwards (ids far from the others).
        let added = build(&later, target.user_id, &mut Ids(1 << 64));
        store.insert_all(&added);
        // Rows the integration touched, deleted or edited since: the snapshot wins.
        let undo = plan.undo();
        for (index, op) in edits {
            if !undo.scores.is_empty() {
                let id = undo.scores[index.index(undo.scores.len())].id;
                match op {
                    0 => { store.scores.remove(&id); }
                    _ => if let Some(row) = store.scores.get_mut(&id) { row.study_seconds += 1; },
                }
            }
            if !undo.badges.is_empty() {
                let id = undo.badges[index.index(undo.badges.len())].id;
                match op {
                    1 => { store.badges.remove(&id); }
                    _ => if let Some(row) = store.badges.get_mut(&id) { row.awarded_at = at(999); },
                }
            }
            if !undo.access_log.is_empty() {
                let id = undo.access_log[index.index(undo.access_log.len())].id;
                match op {
                    2 => { store.access_log.remove(&id); }
                    _ => if let Some(row) = store.access_log.get_mut(&id) { row.ip = None; },
                }
            }
        }
        cancel(&mut store, &undo);
        let mut expected = original;
        expected.insert_all(&added);
        prop_assert_eq!(store, expected);
    }

    #[test]
    fn i6_two_integrations_into_one_target_cancel_exactly_in_allowed_order(
        a in account_spec(), b in account_spec(), c in account_spec(), oldest_first in any::<bool>()
    ) {
        let users = accounts(&[&a, &b, &c]);
        let original = RecordSet::from_users(&users);
        let mut store = original.clone();
        let first = plan_integration(&users[0], &users[1]);
        first.apply_to(&mut store).unwrap();
        let second = plan_integration(&store.records_of(users[2].user_id), &store.records_of(users[1].user_id));
        second.apply_to(&mut store).unwrap();
        let (undo1, undo2) = (first.undo(), second.undo());
        let allowed = check_cancel_order(&undo1, [(IntegrationId::new(), &undo2)]).is_ok();
        if oldest_first && allowed {
            cancel(&mut store, &undo1);
            prop_assert_eq!(check_cancel_order(&undo2, []), Ok(()));
            cancel(&mut store, &undo2);
        } else {
            cancel(&mut store, &undo2);
            cancel(&mut store, &undo1);
        }
        prop_assert_eq!(store, original);
    }
}
