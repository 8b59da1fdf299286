//! Unit tests of no-escalation (P5) and owner protection (U3).

use super::*;
use crate::authz::testkit::*;
use crate::ids::UserId;
use Privilege::{AdminAuthorization, AdminSettings, GradesView, UsersEdit, UsersView};

fn new_grant(subject: Subject, privilege: Privilege, scope: Scope) -> NewGrant {
    NewGrant {
        subject,
        privilege,
        scope,
    }
}

fn to_someone(privilege: Privilege, scope: Scope) -> NewGrant {
    new_grant(Subject::User(UserId::new()), privilege, scope)
}

#[test]
fn p5_cannot_grant_unheld_privilege() {
    let s = School::new();
    let admin = with(actor([s.a]), AdminAuthorization, Scope::All);
    let admin = with(admin, UsersView, Scope::All);
    let err = check_grant(
        &admin,
        &s.graph,
        &to_someone(UsersEdit, groups([s.a])),
        &set([]),
    )
    .unwrap_err();
    assert_eq!(err, EscalationError::PrivilegeNotHeld(UsersEdit));
    assert_eq!(err.code(), "privilege_not_held");
}

#[test]
fn p5_holding_edit_lets_one_grant_view() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let grant = to_someone(UsersView, groups([s.a1]));
    assert_eq!(check_grant(&editor, &s.graph, &grant, &set([])), Ok(()));
}

#[test]
fn p5_grants_only_within_own_scope() {
    let s = School::new();
    let admin = with(actor([]), GradesView, groups([s.a]));
    for inside in [s.a, s.a1, s.a1x] {
        let grant = to_someone(GradesView, groups([inside]));
        assert_eq!(check_grant(&admin, &s.graph, &grant, &set([])), Ok(()));
    }
    for outside in [s.school, s.b, s.b1, s.loose] {
        let grant = to_someone(GradesView, groups([s.a1, outside]));
        let err = check_grant(&admin, &s.graph, &grant, &set([])).unwrap_err();
        assert_eq!(err, EscalationError::ScopeExceedsOwn(GradesView));
        assert_eq!(err.code(), "scope_exceeds_own");
    }
    let everything = to_someone(GradesView, Scope::All);
    assert!(check_grant(&admin, &s.graph, &everything, &set([])).is_err());
}

#[test]
fn p5_scope_may_be_assembled_from_several_held_grants() {
    let s = School::new();
    let admin = with(actor([]), GradesView, groups([s.a]));
    let admin = with(admin, GradesView, groups([s.b1]));
    let grant = to_someone(GradesView, groups([s.a1, s.b1]));
    assert_eq!(check_grant(&admin, &s.graph, &grant, &set([])), Ok(()));
}

#[test]
fn p5_member_groups_for_a_user_is_checked_against_the_subjects_groups() {
    let s = School::new();
    let admin = with(actor([s.a]), UsersEdit, Scope::MemberGroups);
    let grant = to_someone(UsersView, Scope::MemberGroups);
    assert_eq!(check_grant(&admin, &s.graph, &grant, &set([s.a1x])), Ok(()));
    assert_eq!(
        check_grant(&admin, &s.graph, &grant, &set([s.a1x, s.b1])),
        Err(EscalationError::ScopeExceedsOwn(UsersView))
    );
    // A subject in no group receives nothing today, but still needs a holder to grant it.
    assert_eq!(check_grant(&admin, &s.graph, &grant, &set([])), Ok(()));
    let viewer = with(actor([s.a]), UsersView, Scope::MemberGroups);
    let edit = to_someone(UsersEdit, Scope::MemberGroups);
    assert_eq!(
        check_grant(&viewer, &s.graph, &edit, &set([])),
        Err(EscalationError::PrivilegeNotHeld(UsersEdit))
    );
}

#[test]
fn p5_member_groups_for_a_group_subject_needs_scope_all() {
    let s = School::new();
    let grant = new_grant(Subject::Group(s.a), UsersView, Scope::MemberGroups);
    let scoped = with(actor([]), UsersView, groups([s.school]));
    assert_eq!(
        check_grant(&scoped, &s.graph, &grant, &set([])),
        Err(EscalationError::ScopeExceedsOwn(UsersView))
    );
    let everywhere = with(actor([]), UsersView, Scope::All);
    assert_eq!(check_grant(&everywhere, &s.graph, &grant, &set([])), Ok(()));
}

#[test]
fn p5_a_group_grant_the_actor_receives_counts_for_granting() {
    let s = School::new();
    let mut member = actor([s.a1]);
    member
        .grants
        .push(grant(Subject::Group(s.a), AdminSettings, Scope::All));
    let grant = to_someone(AdminSettings, Scope::All);
    assert_eq!(check_grant(&member, &s.graph, &grant, &set([])), Ok(()));
    member.direct_groups = set([s.b]);
    assert_eq!(
        check_grant(&member, &s.graph, &grant, &set([])),
        Err(EscalationError::PrivilegeNotHeld(AdminSettings))
    );
}

#[test]
fn u3_owner_may_grant_anything() {
    let s = School::new();
    let mut owner = actor([]);
    owner.is_owner = true;
    let grant = new_grant(Subject::Group(s.a), AdminSettings, Scope::MemberGroups);
    assert_eq!(check_grant(&owner, &s.graph, &grant, &set([])), Ok(()));
}

#[test]
fn p5_cannot_manage_a_user_holding_a_privilege_the_actor_lacks() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let target = target_user([s.a1]);
    let holds = [grant(Subject::User(target.id), AdminSettings, Scope::All)];
    let err = check_may_manage(&editor, &s.graph, &target, &holds).unwrap_err();
    assert_eq!(err, EscalationError::TargetHoldsMore(AdminSettings));
    assert_eq!(err.code(), "target_holds_more");
}

#[test]
fn p5_cannot_manage_a_user_holding_a_wider_scope() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let target = target_user([s.a1]);
    for wider in [groups([s.school]), groups([s.a1, s.b1]), Scope::All] {
        let holds = [grant(Subject::User(target.id), UsersView, wider)];
        assert_eq!(
            check_may_manage(&editor, &s.graph, &target, &holds),
            Err(EscalationError::TargetHoldsMore(UsersView))
        );
    }
    // member_groups resolves to the target's own groups: one outside A is too wide.
    let spread = target_user([s.a1, s.b1]);
    let holds = [grant(
        Subject::User(spread.id),
        UsersView,
        Scope::MemberGroups,
    )];
    assert!(check_may_manage(&editor, &s.graph, &spread, &holds).is_err());
}

#[test]
fn p5_may_manage_a_user_holding_no_more() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let target = target_user([s.a1]);
    let holds = [
        grant(Subject::User(target.id), UsersView, groups([s.a1x])),
        grant(Subject::User(target.id), UsersEdit, Scope::MemberGroups),
        // Not the target's: another user's grant and a group it is not in are ignored.
        grant(Subject::User(UserId::new()), AdminSettings, Scope::All),
        grant(Subject::Group(s.b1), AdminSettings, Scope::All),
    ];
    assert_eq!(check_may_manage(&editor, &s.graph, &target, &holds), Ok(()));
}

#[test]
fn p5_the_targets_group_grants_count_through_g4() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, groups([s.a]));
    let target = target_user([s.a1x]);
    let holds = [grant(Subject::Group(s.a), GradesView, groups([s.a]))];
    assert_eq!(
        check_may_manage(&editor, &s.graph, &target, &holds),
        Err(EscalationError::TargetHoldsMore(GradesView))
    );
    let grader = with(editor, GradesView, groups([s.school]));
    assert_eq!(check_may_manage(&grader, &s.graph, &target, &holds), Ok(()));
}

#[test]
fn p5_a_dormant_privilege_still_needs_a_holder() {
    let s = School::new();
    let editor = with(actor([]), UsersEdit, Scope::All);
    let lonely = target_user([]);
    // Covers nobody while the target is in no group, but would wake on its first group.
    let holds = [grant(
        Subject::User(lonely.id),
        AdminSettings,
        Scope::MemberGroups,
    )];
    assert_eq!(
        check_may_manage(&editor, &s.graph, &lonely, &holds),
        Err(EscalationError::TargetHoldsMore(AdminSettings))
    );
}

#[test]
fn u3_the_owner_is_managed_only_by_itself() {
    let s = School::new();
    let mut owner_target = target_user([]);
    owner_target.is_owner = true;
    let everything = Privilege::ALL
        .into_iter()
        .fold(actor([]), |a, p| with(a, p, Scope::All));
    let err = check_may_manage(&everything, &s.graph, &owner_target, &[]).unwrap_err();
    assert_eq!(err, EscalationError::OwnerProtected);
    assert_eq!(err.code(), "owner_protected");
    let mut owner = actor([]);
    owner.is_owner = true;
    owner.user_id = owner_target.id;
    assert_eq!(
        check_may_manage(&owner, &s.graph, &owner_target, &[]),
        Ok(())
    );
}

#[test]
fn u3_the_owner_manages_anyone_else() {
    let s = School::new();
    let mut owner = actor([]);
    owner.is_owner = true;
    let target = target_user([s.a]);
    let holds = [grant(Subject::User(target.id), AdminSettings, Scope::All)];
    assert_eq!(check_may_manage(&owner, &s.graph, &target, &holds), Ok(()));
}

#[test]
fn p5_handing_over_group_grants_needs_each_to_be_givable() {
    let s = School::new();
    let manager = with(actor([s.a]), Privilege::UsersView, groups([s.a]));
    let newcomer = Subject::User(crate::ids::UserId::new());
    let givable = grant(Subject::Group(s.a1), Privilege::UsersView, groups([s.a1]));
    let unheld = grant(Subject::Group(s.a1), Privilege::GradesView, groups([s.a1]));
    assert_eq!(
        check_hand_over(&manager, &s.graph, [&givable], newcomer, &set([s.a1])),
        Ok(())
    );
    assert_eq!(
        check_hand_over(
            &manager,
            &s.graph,
            [&givable, &unheld],
            newcomer,
            &set([s.a1])
        ),
        Err(EscalationError::PrivilegeNotHeld(Privilege::GradesView))
    );
    assert_eq!(
        check_hand_over(&manager, &s.graph, [], newcomer, &set([s.a1])),
        Ok(())
    );
}
