//! Unit tests of the decision (P2–P4, U3), one rule each.

use super::*;
use crate::authz::testkit::*;
use crate::authz::{Subject, Target};
use crate::ids::UserId;
use Privilege::{AdminSettings, GradesView, UsersEdit, UsersView};

#[test]
fn p4_deny_by_default_without_grants() {
    let s = School::new();
    let nobody = actor([s.a]);
    for target in [user([s.a]), Target::Group(s.a), Target::Global] {
        for p in Privilege::ALL {
            assert!(!is_allowed(&nobody, &s.graph, p, &target), "{p}");
        }
    }
    assert_eq!(
        visibility(&nobody, &s.graph, UsersView),
        Visibility::Nothing
    );
}

#[test]
fn u3_owner_holds_everything() {
    let s = School::new();
    let mut owner = actor([]);
    owner.is_owner = true;
    for target in [
        user([]),
        user([s.b1]),
        Target::Group(s.loose),
        Target::Global,
    ] {
        for p in Privilege::ALL {
            assert!(is_allowed(&owner, &s.graph, p, &target));
            assert_eq!(authorize(&owner, &s.graph, p, &target), Ok(()));
        }
    }
    assert_eq!(visibility(&owner, &s.graph, GradesView), Visibility::All);
}

#[test]
fn p2_user_grant_applies_only_to_its_subject() {
    let s = School::new();
    let mut other = actor([s.a]);
    other
        .grants
        .push(grant(Subject::User(UserId::new()), UsersView, Scope::All));
    assert!(!is_allowed(&other, &s.graph, UsersView, &user([s.a])));
}

#[test]
fn p2_group_grant_applies_to_members_of_the_group_and_every_group_below() {
    let s = School::new();
    let g = grant(Subject::Group(s.a), UsersView, groups([s.b1]));
    for member_of in [s.a, s.a1, s.a1x] {
        let mut member = actor([member_of]);
        member.grants.push(g.clone());
        assert!(is_allowed(&member, &s.graph, UsersView, &user([s.b1])));
    }
    // Members of a parent, a sibling or of nothing do not hold it, even when the loader
    // passes the grant along (it may pass more, never fewer).
    for outsider in [vec![s.school], vec![s.b], vec![]] {
        let mut not_member = actor([]);
        not_member.direct_groups = outsider.into_iter().collect();
        not_member.grants.push(g.clone());
        assert!(!is_allowed(&not_member, &s.graph, UsersView, &user([s.b1])));
    }
}

#[test]
fn p2_a_group_with_two_parents_is_a_member_of_both() {
    let s = School::new();
    let mut member = actor([s.a1x]);
    member
        .grants
        .push(grant(Subject::Group(s.b), UsersView, Scope::All));
    assert!(is_allowed(&member, &s.graph, UsersView, &user([])));
}

#[test]
fn p3_user_in_no_group_only_in_scope_all() {
    let s = School::new();
    let lonely = user([]);
    let scoped = with(actor([s.school]), UsersEdit, groups([s.school]));
    let manager = with(actor([s.school]), UsersEdit, Scope::MemberGroups);
    let everywhere = with(actor([]), UsersEdit, Scope::All);
    assert!(!is_allowed(&scoped, &s.graph, UsersEdit, &lonely));
    assert!(!is_allowed(&manager, &s.graph, UsersEdit, &lonely));
    assert!(is_allowed(&everywhere, &s.graph, UsersEdit, &lonely));
}

#[test]
fn p3_groups_scope_covers_each_group_and_everything_below_only() {
    let s = School::new();
    let over_a = with(actor([]), UsersView, groups([s.a]));
    for inside in [s.a, s.a1, s.a1x] {
        assert!(is_allowed(&over_a, &s.graph, UsersView, &user([inside])));
        assert!(is_allowed(
            &over_a,
            &s.graph,
            UsersView,
            &Target::Group(inside)
        ));
    }
    for outside in [s.school, s.b, s.b1, s.loose] {
        assert!(!is_allowed(&over_a, &s.graph, UsersView, &user([outside])));
        assert!(!is_allowed(
            &over_a,
            &s.graph,
            UsersView,
            &Target::Group(outside)
        ));
    }
    // A user is in scope when one of its groups is.
    assert!(is_allowed(
        &over_a,
        &s.graph,
        UsersView,
        &user([s.b1, s.a1x])
    ));
}

#[test]
fn p3_member_groups_is_the_holders_direct_groups_and_below() {
    let s = School::new();
    let manager = with(actor([s.a1]), UsersEdit, Scope::MemberGroups);
    assert!(is_allowed(&manager, &s.graph, UsersEdit, &user([s.a1])));
    assert!(is_allowed(&manager, &s.graph, UsersEdit, &user([s.a1x])));
    // Not the groups above the holder's own: a manager manages downwards.
    assert!(!is_allowed(&manager, &s.graph, UsersEdit, &user([s.a])));
    assert!(!is_allowed(
        &manager,
        &s.graph,
        UsersEdit,
        &Target::Group(s.b)
    ));
}

#[test]
fn p3_member_groups_of_a_group_grant_resolves_to_each_members_own_groups() {
    let s = School::new();
    let g = grant(Subject::Group(s.school), UsersView, Scope::MemberGroups);
    let mut in_b1 = actor([s.b1]);
    in_b1.grants.push(g.clone());
    assert!(is_allowed(&in_b1, &s.graph, UsersView, &user([s.b1])));
    assert!(!is_allowed(&in_b1, &s.graph, UsersView, &user([s.a])));
    let mut in_a = actor([s.a]);
    in_a.grants.push(g);
    assert!(is_allowed(&in_a, &s.graph, UsersView, &user([s.a1x])));
}

#[test]
fn p3_member_groups_follows_membership_at_decision_time() {
    let s = School::new();
    let mut manager = with(actor([s.a]), UsersEdit, Scope::MemberGroups);
    assert!(!is_allowed(&manager, &s.graph, UsersEdit, &user([s.b1])));
    manager.direct_groups.insert(s.b);
    assert!(is_allowed(&manager, &s.graph, UsersEdit, &user([s.b1])));
}

#[test]
fn p3_global_targets_need_scope_all() {
    let s = School::new();
    let top = with(actor([s.school]), AdminSettings, groups([s.school]));
    assert!(!is_allowed(&top, &s.graph, AdminSettings, &Target::Global));
    let all = with(actor([]), AdminSettings, Scope::All);
    assert!(is_allowed(&all, &s.graph, AdminSettings, &Target::Global));
}

#[test]
fn p3_a_scope_naming_an_unknown_group_covers_nothing() {
    let s = School::new();
    let gone = crate::ids::GroupId::new();
    let stale = with(actor([gone]), UsersView, groups([gone]));
    let stale = with(stale, UsersEdit, Scope::MemberGroups);
    assert!(!is_allowed(&stale, &s.graph, UsersView, &user([gone])));
    assert!(!is_allowed(
        &stale,
        &s.graph,
        UsersView,
        &Target::Group(gone)
    ));
    assert_eq!(visibility(&stale, &s.graph, UsersView), Visibility::Nothing);
}

#[test]
fn p1_edit_implies_view_in_decisions_and_not_the_reverse() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let viewer = with(actor([]), UsersView, groups([s.a]));
    assert!(is_allowed(&editor, &s.graph, UsersView, &user([s.a])));
    assert!(!is_allowed(&viewer, &s.graph, UsersEdit, &user([s.a])));
    assert!(!is_allowed(&editor, &s.graph, GradesView, &user([s.a])));
}

#[test]
fn p4_manager_edits_users_in_its_groups_and_below_and_cannot_see_the_rest() {
    let s = School::new();
    let manager = with(actor([s.a]), UsersEdit, Scope::MemberGroups);
    assert_eq!(
        authorize(&manager, &s.graph, UsersEdit, &user([s.a])),
        Ok(())
    );
    assert_eq!(
        authorize(&manager, &s.graph, UsersEdit, &user([s.a1x])),
        Ok(())
    );
    assert_eq!(
        authorize(&manager, &s.graph, UsersEdit, &user([s.b1])),
        Err(Denied::NotFound)
    );
    assert_eq!(
        authorize(&manager, &s.graph, UsersView, &user([s.b])),
        Err(Denied::NotFound)
    );
}

#[test]
fn p4_viewer_sees_but_cannot_edit_forbidden_not_not_found() {
    let s = School::new();
    let viewer = with(actor([]), UsersView, groups([s.a]));
    assert_eq!(
        authorize(&viewer, &s.graph, UsersView, &user([s.a1])),
        Ok(())
    );
    let refused = authorize(&viewer, &s.graph, UsersEdit, &user([s.a1]));
    assert_eq!(refused, Err(Denied::Forbidden));
    assert_eq!(refused.unwrap_err().code(), "forbidden");
    assert_eq!(
        authorize(&viewer, &s.graph, UsersEdit, &Target::Group(s.a)),
        Err(Denied::Forbidden)
    );
}

#[test]
fn p4_out_of_scope_is_not_found() {
    let s = School::new();
    let viewer = with(actor([]), UsersView, groups([s.a]));
    let refused = authorize(&viewer, &s.graph, UsersEdit, &user([s.b1]));
    assert_eq!(refused, Err(Denied::NotFound));
    assert_eq!(refused.unwrap_err().code(), "not_found");
    assert_eq!(
        authorize(&viewer, &s.graph, GradesView, &Target::Group(s.loose)),
        Err(Denied::NotFound)
    );
    // Another privilege's scope does not make the target visible.
    let grader = with(actor([]), GradesView, Scope::All);
    assert_eq!(
        authorize(&grader, &s.graph, UsersEdit, &user([s.a])),
        Err(Denied::NotFound)
    );
}

#[test]
fn p4_global_targets_are_forbidden_never_not_found() {
    let s = School::new();
    let viewer = with(actor([]), UsersView, groups([s.a]));
    assert_eq!(
        authorize(&viewer, &s.graph, AdminSettings, &Target::Global),
        Err(Denied::Forbidden)
    );
}

#[test]
fn p4_the_actor_itself_is_forbidden_never_not_found() {
    let s = School::new();
    let nobody = actor([s.a]);
    assert_eq!(
        authorize(&nobody, &s.graph, UsersEdit, &itself(&nobody)),
        Err(Denied::Forbidden)
    );
    // Seeing oneself is `/me` (P3), not a grant: is_allowed stays grant-only.
    assert!(!is_allowed(&nobody, &s.graph, UsersView, &itself(&nobody)));
}

#[test]
fn p4_visibility_is_the_closure_of_every_applicable_scope() {
    let s = School::new();
    let viewer = with(actor([s.b1]), UsersView, groups([s.a1]));
    let viewer = with(viewer, UsersEdit, Scope::MemberGroups);
    let viewer = with(viewer, GradesView, Scope::All);
    assert_eq!(
        visibility(&viewer, &s.graph, UsersView),
        Visibility::Groups(set([s.a1, s.a1x, s.b1]))
    );
    assert_eq!(
        visibility(&viewer, &s.graph, UsersEdit),
        Visibility::Groups(set([s.b1]))
    );
    assert_eq!(visibility(&viewer, &s.graph, GradesView), Visibility::All);
    assert_eq!(
        visibility(&viewer, &s.graph, AdminSettings),
        Visibility::Nothing
    );
}

#[test]
fn p4_visibility_counts_group_grants_only_for_members() {
    let s = School::new();
    let mut member = actor([s.a1x]);
    member
        .grants
        .push(grant(Subject::Group(s.a), UsersView, groups([s.b])));
    member
        .grants
        .push(grant(Subject::Group(s.b1), UsersView, Scope::All));
    assert_eq!(
        visibility(&member, &s.graph, UsersView),
        Visibility::Groups(set([s.b, s.b1, s.a1, s.a1x]))
    );
}

#[test]
fn g4_effective_grants_keep_own_and_reaching_group_grants_only() {
    let s = School::new();
    let mut a = actor([s.a1]);
    let own = grant(Subject::User(a.user_id), Privilege::UsersView, Scope::All);
    let via_parent = grant(
        Subject::Group(s.a),
        Privilege::UsersEdit,
        Scope::MemberGroups,
    );
    let elsewhere = grant(Subject::Group(s.b1), Privilege::GradesView, Scope::All);
    let someone_else = grant(
        Subject::User(crate::ids::UserId::new()),
        Privilege::AdminSettings,
        Scope::All,
    );
    a.grants = vec![own.clone(), via_parent.clone(), elsewhere, someone_else];
    let effective: Vec<Grant> = effective_grants(&a, &s.graph)
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(effective, vec![own, via_parent]);
}
