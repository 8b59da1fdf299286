//! Property tests of the decision, visibility, explain (P2–P4, P6) and no-escalation (P5)
//! against the naive reference in `reference`: random DAGs of up to 12 groups, random grants
//! to users and groups with all three scope kinds, random memberships and targets.

mod reference;

use super::*;
use proptest::prelude::*;
use reference::*;
use std::collections::BTreeSet;

/// Every target of a world: each user (the actor included), each group, `Global`.
fn targets(w: &World) -> Vec<RTarget> {
    let mut all: Vec<RTarget> = (0..USERS).map(RTarget::User).collect();
    all.extend((0..w.n).map(RTarget::Group));
    all.push(RTarget::Global);
    all
}

/// The reference's P4 answer.
fn reference_authorize(w: &World, privilege: Privilege, t: RTarget) -> Result<(), Denied> {
    if w.allowed(privilege, w.target_of(t)) {
        return Ok(());
    }
    let visible = match t {
        RTarget::Global | RTarget::User(0) => true,
        RTarget::User(_) | RTarget::Group(_) => w.allowed(Privilege::UsersView, w.target_of(t)),
    };
    Err(if visible {
        Denied::Forbidden
    } else {
        Denied::NotFound
    })
}

/// The reference's list answer: every group some applicable scope covers.
fn reference_visibility(w: &World, privilege: Privilege) -> Visibility {
    if w.allowed(privilege, RTargetOf::Global) {
        return Visibility::All;
    }
    let groups: BTreeSet<_> = (0..w.n)
        .filter(|g| w.allowed(privilege, RTargetOf::Group(*g)))
        .map(gid)
        .collect();
    if groups.is_empty() {
        Visibility::Nothing
    } else {
        Visibility::Groups(groups)
    }
}

/// Whether the actor holds `privilege` at all.
fn actor_holds(w: &World, privilege: Privilege) -> bool {
    w.actor_is_owner
        || w.grants
            .iter()
            .any(|g| w.holds(g, 0, &w.member_of[0]) && World::gives(g.privilege, privilege))
}

/// Whether the actor reaches, with the grant's privilege, every target the grant covers
/// for a holder in `holder_groups` (`None`: holders in any groups, so every target).
fn actor_reaches_all_of(w: &World, g: &RGrant, holder_groups: Option<&BTreeSet<usize>>) -> bool {
    w.universe().iter().all(|probe| {
        let covered = holder_groups.is_none_or(|hg| w.in_scope(&g.scope, hg, probe.as_ref()));
        !covered || w.allowed(g.privilege, probe.as_ref())
    })
}

/// A world with a grant to add and some other user's index.
fn world_and_grant() -> impl Strategy<Value = (World, RGrant, usize)> {
    world().prop_flat_map(|w| {
        let n = w.n;
        (Just(w), grant(n), 0..USERS)
    })
}

/// A world, grants a target user holds (or not), the target and whether it is the owner.
fn world_and_target() -> impl Strategy<Value = (World, Vec<RGrant>, usize, bool)> {
    world().prop_flat_map(|w| {
        let n = w.n;
        let held = prop::collection::vec(grant(n), 0..5);
        (Just(w), held, 0..USERS, prop::bool::weighted(0.1))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn p3_p4_decisions_equal_the_naive_reference(w in world()) {
        let (graph, actor) = (w.graph(), w.actor());
        for privilege in Privilege::ALL {
            for t in targets(&w) {
                let target = w.target(t);
                let want = w.allowed(privilege, w.target_of(t));
                prop_assert_eq!(is_allowed(&actor, &graph, privilege, &target), want,
                    "is_allowed {} {:?}", privilege, t);
                prop_assert_eq!(authorize(&actor, &graph, privilege, &target),
                    reference_authorize(&w, privilege, t), "authorize {} {:?}", privilege, t);
            }
            prop_assert_eq!(visibility(&actor, &graph, privilege),
                reference_visibility(&w, privilege), "visibility {}", privilege);
        }
    }

    #[test]
    fn p4_visibility_lists_exactly_the_users_a_decision_allows(
        w in world(), privilege in privilege()
    ) {
        let (graph, actor) = (w.graph(), w.actor());
        for u in 0..USERS {
            let target = w.target_user(u);
            let listed = match visibility(&actor, &graph, privilege) {
                Visibility::All => true,
                Visibility::Groups(gs) => target.direct_groups.iter().any(|g| gs.contains(g)),
                Visibility::Nothing => false,
            };
            prop_assert_eq!(listed, is_allowed(&actor, &graph, privilege, &Target::User(target)));
        }
    }

    #[test]
    fn p6_explain_agrees_and_its_path_is_a_real_grant_path(
        w in world(), privilege in privilege()
    ) {
        let (graph, actor) = (w.graph(), w.actor());
        for t in targets(&w) {
            let target = w.target(t);
            let answer = explain(&actor, &graph, privilege, &target);
            prop_assert_eq!(answer.allowed, w.allowed(privilege, w.target_of(t)));
            prop_assert_eq!(answer.reason.is_none(), answer.allowed);
            match answer.path.as_slice() {
                [] => prop_assert!(!answer.allowed),
                [PathStep::Owner] => prop_assert!(w.actor_is_owner),
                [PathStep::Grant { grant_id, via_group, member_via, target_group, .. }] => {
                    let i = actor.grants.iter().position(|g| g.id == *grant_id).unwrap();
                    let (rg, held) = (&w.grants[i], &actor.grants[i]);
                    prop_assert!(w.holds(rg, 0, &w.member_of[0]));
                    prop_assert!(World::gives(rg.privilege, privilege));
                    prop_assert!(w.in_scope(&rg.scope, &w.member_of[0], w.target_of(t)));
                    match (&held.scope, via_group) {
                        (Scope::All, None) => {}
                        (Scope::Groups { group_ids }, Some(v)) => prop_assert!(group_ids.contains(v)),
                        (Scope::MemberGroups, Some(v)) => prop_assert!(actor.direct_groups.contains(v)),
                        (scope, via) => prop_assert!(false, "{:?} via {:?}", scope, via),
                    }
                    if let (Subject::Group(s), Some(m)) = (held.subject, member_via) {
                        prop_assert!(actor.direct_groups.contains(m) && graph.is_within(*m, s));
                    }
                    prop_assert_eq!(member_via.is_some(), matches!(held.subject, Subject::Group(_)));
                    if let (Target::User(u), Some(v)) = (&target, via_group) {
                        let tg = target_group.unwrap();
                        prop_assert!(u.direct_groups.contains(&tg) && graph.is_within(tg, *v));
                    }
                }
                other => prop_assert!(false, "unexpected path {:?}", other),
            }
        }
    }

    #[test]
    fn p5_check_grant_accepts_exactly_grants_within_the_actors_reach(
        (w, new, someone) in world_and_grant()
    ) {
        let (graph, actor) = (w.graph(), w.actor());
        // A user subject's own groups; for a group subject, any user's (they are ignored).
        let subject_groups = &w.member_of[new.user_subject.unwrap_or(someone)];
        let got = check_grant(&actor, &graph, &w.new_grant(&new), &w.gids(subject_groups));
        let holder = match (new.group_subject, &new.scope) {
            (Some(_), RScope::MemberGroups) => None,
            _ => Some(subject_groups),
        };
        let want = if w.actor_is_owner {
            Ok(())
        } else if !actor_holds(&w, new.privilege) {
            Err(EscalationError::PrivilegeNotHeld(new.privilege))
        } else if actor_reaches_all_of(&w, &new, holder) {
            Ok(())
        } else {
            Err(EscalationError::ScopeExceedsOwn(new.privilege))
        };
        prop_assert_eq!(&got, &want);
        // The wording: an accepted grant to a user gives it nothing the actor lacks.
        if got.is_ok() && new.user_subject.is_some() {
            for probe in w.universe() {
                if w.in_scope(&new.scope, subject_groups, probe.as_ref()) {
                    prop_assert!(w.allowed(new.privilege, probe.as_ref()), "{:?}", probe);
                }
            }
        }
    }

    #[test]
    fn p5_u3_check_may_manage_accepts_only_targets_holding_no_more(
        (w, held, t, target_is_owner) in world_and_target()
    ) {
        let (graph, actor) = (w.graph(), w.actor());
        let mut target = w.target_user(t);
        target.is_owner = target_is_owner;
        let grants: Vec<Grant> = held.iter().map(|g| w.grant(g)).collect();
        let got = check_may_manage(&actor, &graph, &target, &grants);
        let want = if target_is_owner {
            if w.actor_is_owner && t == 0 {
                Ok(())
            } else {
                Err(EscalationError::OwnerProtected)
            }
        } else if w.actor_is_owner {
            Ok(())
        } else {
            held.iter()
                .filter(|g| w.holds(g, t, &w.member_of[t]))
                .find(|g| !(actor_holds(&w, g.privilege)
                    && actor_reaches_all_of(&w, g, Some(&w.member_of[t]))))
                .map_or(Ok(()), |g| Err(EscalationError::TargetHoldsMore(g.privilege)))
        };
        prop_assert_eq!(got, want);
    }
}
