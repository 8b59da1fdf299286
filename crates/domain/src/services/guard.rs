//! Authorization steps several services share, built only on `authz`'s pure functions.

use crate::authz::{
    Actor, Denied, EscalationError, Privilege, Subject, Target, TargetUser, Visibility, authorize,
    check_hand_over, visibility,
};
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use crate::ports::StoreError;
use crate::ports::grants::GrantRepository;
use crate::user::User;
use std::collections::BTreeSet;

/// Why groups named in a command cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupRefusal {
    /// The actor holds the privilege nowhere, or sees the group but may not use it.
    Denied(Denied),
    /// The group does not exist, or the actor cannot see it (P4: as if it did not exist).
    UnknownGroup(GroupId),
}

/// P4: what the actor may list or touch with `privilege`; refused (403) when nothing.
pub(crate) fn require_some(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
) -> Result<Visibility, Denied> {
    match visibility(actor, graph, privilege) {
        Visibility::Nothing => Err(Denied::Forbidden),
        v @ (Visibility::All | Visibility::Groups(_)) => Ok(v),
    }
}

/// P3: every group must exist and be in the actor's `privilege` scope. An empty set needs
/// scope `all` (users in no group and root groups are only in scope `all`); the caller
/// decides what an empty set means before calling this.
pub(crate) fn groups_in_scope(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    groups: &BTreeSet<GroupId>,
) -> Result<(), GroupRefusal> {
    require_some(actor, graph, privilege).map_err(GroupRefusal::Denied)?;
    for g in groups {
        if !graph.contains(*g) {
            return Err(GroupRefusal::UnknownGroup(*g));
        }
        match authorize(actor, graph, privilege, &Target::Group(*g)) {
            Ok(()) => {}
            Err(Denied::NotFound) => return Err(GroupRefusal::UnknownGroup(*g)),
            Err(Denied::Forbidden) => return Err(GroupRefusal::Denied(Denied::Forbidden)),
        }
    }
    Ok(())
}

/// The decision's view of a user.
pub(crate) fn target_user(user: &User, direct_groups: BTreeSet<GroupId>) -> TargetUser {
    TargetUser {
        id: user.id,
        is_owner: user.is_owner,
        direct_groups,
    }
}

/// P5: `authz::check_hand_over` over the grants held by `holders`, read from the store.
/// Errors: the escalation error (`privilege_not_held`, `scope_exceeds_own`); the store's.
pub(crate) async fn grants_could_be_given<E>(
    grants: &dyn GrantRepository,
    actor: &Actor,
    graph: &GroupGraph,
    holders: BTreeSet<GroupId>,
    subject: Subject,
    subject_groups: &BTreeSet<GroupId>,
) -> Result<(), E>
where
    E: From<EscalationError> + From<StoreError>,
{
    if actor.is_owner || holders.is_empty() {
        return Ok(());
    }
    let held = grants.grants_for_groups(holders).await?;
    Ok(check_hand_over(
        actor,
        graph,
        &held,
        subject,
        subject_groups,
    )?)
}

/// P5 for a user joining `groups` — registered into them (U4), approved or let in by a
/// registration URL (A4, A5): membership hands the new member every grant held by those
/// groups and the groups above them (G4), so whoever lets a person in must be able to give
/// those grants themselves. Otherwise registering a user into a "staff" group holding
/// `admin.authorization` would hand that privilege to whoever the actor chooses. Errors:
/// `privilege_not_held`, `scope_exceeds_own`; the store's.
pub(crate) async fn check_joining_grants<E>(
    grants: &dyn GrantRepository,
    actor: &Actor,
    graph: &GroupGraph,
    groups: &BTreeSet<GroupId>,
) -> Result<(), E>
where
    E: From<EscalationError> + From<StoreError>,
{
    let holders: BTreeSet<GroupId> = groups
        .iter()
        .flat_map(|g| graph.ancestors_or_self(*g))
        .collect();
    // The new member does not exist yet; any fresh id stands for it.
    let newcomer = Subject::User(UserId::new());
    grants_could_be_given(grants, actor, graph, holders, newcomer, groups).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::services::testing::{World, admin};

    #[test]
    fn p3_groups_must_be_known_and_in_scope() {
        let w = World::new();
        let a = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
        assert_eq!(
            groups_in_scope(&a, &w.graph, Privilege::UsersEdit, &[w.class_a].into()),
            Ok(())
        );
        assert_eq!(
            groups_in_scope(&a, &w.graph, Privilege::UsersEdit, &[w.other].into()),
            Err(GroupRefusal::UnknownGroup(w.other)),
            "out of view reads as unknown"
        );
        let unknown = GroupId::new();
        assert_eq!(
            groups_in_scope(&a, &w.graph, Privilege::UsersEdit, &[unknown].into()),
            Err(GroupRefusal::UnknownGroup(unknown))
        );
        let viewer = admin(Privilege::UsersView, Scope::All);
        assert_eq!(
            groups_in_scope(&viewer, &w.graph, Privilege::UsersEdit, &[w.class_a].into()),
            Err(GroupRefusal::Denied(Denied::Forbidden))
        );
    }
}
