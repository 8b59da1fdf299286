//! What the integration list shows for one entry (I5): the integrated scores, badges and
//! login history, as they were integrated. Built from the stored plan, so it survives later
//! edits and deletions of the rows themselves (and a frozen integration keeps it, I8).

use super::keys::BadgeKey;
use super::plan::IntegrationPlan;
use super::records::{AccessLogEntry, Row, Score};
use super::state::Integration;
use super::store::RowChange;
use crate::ids::BadgeAwardId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A badge the integration gave the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegratedBadge {
    /// The badge.
    pub badge_id: BadgeKey,
    /// The target's award that holds it.
    pub award_id: BadgeAwardId,
    /// Its award date after the integration (the source's, I3).
    pub awarded_at: DateTime<Utc>,
    /// For a badge both held: the target's own date, which the integration replaced.
    pub replaced_awarded_at: Option<DateTime<Utc>>,
}

/// One integration with what it moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationDetails {
    /// The list entry.
    pub integration: Integration,
    /// Scores moved, as the target received them (superseded flags included).
    pub scores: Vec<Score>,
    /// Badges moved or merged.
    pub badges: Vec<IntegratedBadge>,
    /// Login history moved.
    pub access_log: Vec<AccessLogEntry>,
}

impl IntegrationDetails {
    /// The details of `integration`, from the plan stored with it.
    pub fn from_plan(integration: Integration, plan: &IntegrationPlan) -> Self {
        let target = plan.target_user_id();
        let changes = plan.changes();
        let mut badges: Vec<IntegratedBadge> = moved_to(&changes.badges, target)
            .map(|b| IntegratedBadge {
                badge_id: b.badge_id.clone(),
                award_id: b.id,
                awarded_at: b.awarded_at,
                replaced_awarded_at: None,
            })
            .collect();
        badges.extend(plan.conflicts().badges.iter().map(|c| IntegratedBadge {
            badge_id: c.badge_id.clone(),
            award_id: c.target_award,
            awarded_at: c.source_awarded_at,
            replaced_awarded_at: Some(c.target_awarded_at),
        }));
        badges.sort_by(|a, b| (&a.badge_id, a.award_id).cmp(&(&b.badge_id, b.award_id)));
        Self {
            scores: moved_to(&changes.scores, target).cloned().collect(),
            access_log: moved_to(&changes.access_log, target).cloned().collect(),
            badges,
            integration,
        }
    }
}

/// After-states of rows that changed owner to `target`.
fn moved_to<T: Row>(
    changes: &[RowChange<T>],
    target: crate::ids::UserId,
) -> impl Iterator<Item = &T> {
    changes.iter().filter_map(move |c| {
        let after = c.after()?;
        let moved = after.owner() == target && c.before().map(Row::owner) != Some(target);
        moved.then_some(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::fixtures::*;
    use crate::integration::planner::plan_integration;
    use crate::user::UserStatus;
    use crate::user::user::fixtures::user;

    #[test]
    fn i5_details_list_integrated_scores_badges_and_logins() {
        let (mut source, mut target) = (account(), account());
        let (s, t) = (source.user_id, target.user_id);
        source.scores.push(paused(s, "q", 9));
        source
            .badges
            .extend([badge(s, "gold", 10), badge(s, "silver", 3)]);
        source.access_log.push(login(s, 1));
        let kept = badge(t, "gold", 50);
        target.badges.push(kept.clone());
        target.scores.push(paused(t, "q", 1));
        let plan = plan_integration(&source, &target);
        let mut old = user("old");
        old.status = UserStatus::Invalid;
        let integration = Integration::new(&plan, &old, &user("new"), t, at(100));
        let details = IntegrationDetails::from_plan(integration, &plan);
        assert_eq!(
            details.scores.len(),
            1,
            "only the moved score, not the target's own"
        );
        assert_eq!(details.scores[0].user_id, t);
        assert_eq!(details.access_log.len(), 1);
        let gold = &details.badges[0];
        assert_eq!(gold.badge_id.as_str(), "gold");
        assert_eq!(gold.award_id, kept.id);
        assert_eq!(gold.awarded_at, at(10));
        assert_eq!(gold.replaced_awarded_at, Some(at(50)));
        assert_eq!(details.badges[1].badge_id.as_str(), "silver");
        assert_eq!(details.badges[1].replaced_awarded_at, None);
    }
}
