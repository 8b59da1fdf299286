//! Row-level changes as plain values, and a small in-memory record store that applies them.
//! Integration and cancel both end as a `RecordChanges`; `apply_to` is the reference meaning
//! of applying one (the round-trip tests use it, and so can an in-memory adapter).

use super::records::{AccessLogEntry, BadgeAward, Certificate, Row, Score, UserRecords};
use crate::error::ErrorCode;
use crate::ids::{AccessLogId, BadgeAwardId, CertificateId, ScoreId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row's change: `before` is the row as it must be now (`None`: absent), `after` as it
/// will be (`None`: deleted). Both name the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange<T> {
    before: Option<T>,
    after: Option<T>,
}

impl<T: Row> RowChange<T> {
    /// A change of one row; `None` when both sides are absent or name different ids.
    pub(crate) fn new(before: Option<T>, after: Option<T>) -> Option<Self> {
        match (&before, &after) {
            (None, None) => None,
            (Some(b), Some(a)) if b.id() != a.id() => None,
            _ => Some(Self { before, after }),
        }
    }

    /// The row's id. `None` only for a change deserialized from corrupt storage.
    pub fn id(&self) -> Option<T::Id> {
        self.before.as_ref().or(self.after.as_ref()).map(Row::id)
    }

    /// The row as the change expects to find it (`None`: absent, it will be re-created).
    pub fn before(&self) -> Option<&T> {
        self.before.as_ref()
    }

    /// The row as the change leaves it (`None`: deleted).
    pub fn after(&self) -> Option<&T> {
        self.after.as_ref()
    }

    fn consistent(&self) -> bool {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => b.id() == a.id(),
            (None, None) => false,
            _ => true,
        }
    }
}

/// Every row change of one integration or one cancel. Certificates never change (I2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChanges {
    /// Score rows: moved and/or superseded flags changed (or restored).
    pub scores: Vec<RowChange<Score>>,
    /// Badge rows: moved, award date changed, retired (or restored, re-created).
    pub badges: Vec<RowChange<BadgeAward>>,
    /// Access-log rows: moved (or returned).
    pub access_log: Vec<RowChange<AccessLogEntry>>,
}

/// The kind of a learning record, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A score.
    Score,
    /// A badge award.
    Badge,
    /// A certificate.
    Certificate,
    /// An access-log entry.
    AccessLog,
}

/// The records were not as the plan expected (someone changed them since they were read), or
/// the change itself is inconsistent. Nothing was written; plan again from fresh records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the learning records changed since the plan was made: {detail}")]
pub struct StaleRecords {
    /// What differed, for logs.
    pub detail: String,
}

impl StaleRecords {
    pub(crate) fn row(kind: RecordKind, id: impl std::fmt::Display) -> Self {
        Self {
            detail: format!("{kind:?} row {id}"),
        }
    }
}

impl ErrorCode for StaleRecords {
    fn code(&self) -> &'static str {
        "integration_conflict"
    }
}

impl RecordChanges {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty() && self.badges.is_empty() && self.access_log.is_empty()
    }

    /// Checks every `before` against `store`, then writes every `after` — all or nothing.
    pub fn apply_to(&self, store: &mut RecordSet) -> Result<(), StaleRecords> {
        check(&store.scores, &self.scores, RecordKind::Score)?;
        check(&store.badges, &self.badges, RecordKind::Badge)?;
        check(&store.access_log, &self.access_log, RecordKind::AccessLog)?;
        write(&mut store.scores, &self.scores);
        write(&mut store.badges, &self.badges);
        write(&mut store.access_log, &self.access_log);
        Ok(())
    }
}

fn check<T>(
    table: &BTreeMap<T::Id, T>,
    changes: &[RowChange<T>],
    kind: RecordKind,
) -> Result<(), StaleRecords>
where
    T: Row,
    T::Id: std::fmt::Display,
{
    for change in changes {
        let id = change
            .id()
            .ok_or_else(|| StaleRecords::row(kind, "without id"))?;
        if !change.consistent() || table.get(&id) != change.before() {
            return Err(StaleRecords::row(kind, id));
        }
    }
    Ok(())
}

fn write<T: Row>(table: &mut BTreeMap<T::Id, T>, changes: &[RowChange<T>]) {
    for change in changes {
        match (change.id(), change.after()) {
            (Some(id), Some(row)) => {
                table.insert(id, row.clone());
            }
            (Some(id), None) => {
                table.remove(&id);
            }
            (None, _) => {}
        }
    }
}

/// Learning records of any number of users, keyed by row id as a database holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSet {
    /// Scores by id.
    pub scores: BTreeMap<ScoreId, Score>,
    /// Badge awards by id.
    pub badges: BTreeMap<BadgeAwardId, BadgeAward>,
    /// Certificates by id.
    pub certificates: BTreeMap<CertificateId, Certificate>,
    /// Access-log entries by id.
    pub access_log: BTreeMap<AccessLogId, AccessLogEntry>,
}

impl RecordSet {
    /// A store holding the given users' records.
    pub fn from_users<'a>(users: impl IntoIterator<Item = &'a UserRecords>) -> Self {
        let mut set = Self::default();
        for records in users {
            set.insert_all(records);
        }
        set
    }

    /// Adds (or replaces) every row of `records`.
    pub fn insert_all(&mut self, records: &UserRecords) {
        fill(&mut self.scores, &records.scores);
        fill(&mut self.badges, &records.badges);
        fill(&mut self.certificates, &records.certificates);
        fill(&mut self.access_log, &records.access_log);
    }

    /// One user's records, each kind ordered by id.
    pub fn records_of(&self, user_id: UserId) -> UserRecords {
        UserRecords {
            user_id,
            scores: owned_by(&self.scores, user_id),
            badges: owned_by(&self.badges, user_id),
            certificates: owned_by(&self.certificates, user_id),
            access_log: owned_by(&self.access_log, user_id),
            version: None,
        }
    }
}

fn fill<T: Row>(table: &mut BTreeMap<T::Id, T>, rows: &[T]) {
    table.extend(rows.iter().map(|r| (r.id(), r.clone())));
}

fn owned_by<T: Row>(table: &BTreeMap<T::Id, T>, user_id: UserId) -> Vec<T> {
    table
        .values()
        .filter(|r| r.owner() == user_id)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::keys::BadgeKey;
    use chrono::{DateTime, Utc};

    fn badge(user: UserId, key: &str) -> BadgeAward {
        BadgeAward {
            id: BadgeAwardId::new(),
            user_id: user,
            badge_id: BadgeKey::parse(key).unwrap(),
            awarded_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn i10_changes_apply_all_or_nothing() {
        let (a, b) = (UserId::new(), UserId::new());
        let kept = badge(a, "gold");
        let mut store = RecordSet::default();
        store.badges.insert(kept.id, kept.clone());
        let moved = BadgeAward {
            user_id: b,
            ..kept.clone()
        };
        let wrong_before = BadgeAward {
            badge_id: BadgeKey::parse("silver").unwrap(),
            ..kept.clone()
        };
        let other = badge(a, "bronze");
        let changes = RecordChanges {
            badges: vec![
                RowChange::new(Some(kept.clone()), Some(moved.clone())).unwrap(),
                RowChange::new(Some(other.clone()), None).unwrap(),
            ],
            ..RecordChanges::default()
        };
        // `other` is not in the store: the whole change is refused and nothing moved.
        let err = changes.apply_to(&mut store).unwrap_err();
        assert!(err.detail.contains(&other.id.to_string()), "{err}");
        assert_eq!(store.badges[&kept.id], kept);
        store.badges.insert(other.id, other.clone());
        changes.apply_to(&mut store).unwrap();
        assert_eq!(store.records_of(b).badges, vec![moved]);
        assert!(store.records_of(a).badges.is_empty());
        assert!(RowChange::new(Some(wrong_before), Some(badge(a, "x"))).is_none());
        assert!(RowChange::<BadgeAward>::new(None, None).is_none());
    }
}
