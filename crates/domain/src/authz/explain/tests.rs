//! Unit tests of explain (P6).

use super::*;
use crate::authz::testkit::*;
use crate::authz::{Privilege, Scope, Subject, is_allowed};
use Privilege::{GradesView, UsersEdit, UsersView};

#[test]
fn p6_explain_names_the_grant_and_group() {
    let s = School::new();
    let viewer = with(actor([]), GradesView, groups([s.b]));
    let viewer = with(viewer, UsersView, groups([s.a]));
    let target = user([s.loose, s.a1x]);
    let answer = explain(&viewer, &s.graph, UsersView, &target);
    assert!(answer.allowed);
    assert_eq!(answer.reason, None);
    assert_eq!(
        answer.path,
        vec![PathStep::Grant {
            grant_id: viewer.grants[1].id,
            subject: Subject::User(viewer.user_id),
            privilege: UsersView,
            scope: "groups",
            via_group: Some(s.a),
            member_via: None,
            target_group: Some(s.a1x),
        }]
    );
}

#[test]
fn p6_explain_walks_a_group_grant_from_the_actors_membership() {
    let s = School::new();
    let mut member = actor([s.loose, s.a1x]);
    member
        .grants
        .push(grant(Subject::Group(s.a), UsersEdit, Scope::MemberGroups));
    let answer = explain(&member, &s.graph, UsersView, &Target::Group(s.a1x));
    assert_eq!(
        answer.path,
        vec![PathStep::Grant {
            grant_id: member.grants[0].id,
            subject: Subject::Group(s.a),
            privilege: UsersEdit,
            scope: "member_groups",
            via_group: Some(s.a1x),
            member_via: Some(s.a1x),
            target_group: None,
        }]
    );
}

#[test]
fn p6_explain_scope_all_has_no_group() {
    let s = School::new();
    let admin = with(actor([]), UsersView, Scope::All);
    let answer = explain(&admin, &s.graph, UsersView, &user([]));
    assert!(matches!(
        answer.path.as_slice(),
        [PathStep::Grant {
            scope: "all",
            via_group: None,
            target_group: None,
            ..
        }]
    ));
}

#[test]
fn p6_explain_owner_path() {
    let s = School::new();
    let mut owner = actor([]);
    owner.is_owner = true;
    let answer = explain(&owner, &s.graph, GradesView, &Target::Global);
    assert!(answer.allowed);
    assert_eq!(answer.path, vec![PathStep::Owner]);
}

#[test]
fn p6_explain_refusal_says_why() {
    let s = School::new();
    let nobody = actor([s.a]);
    let answer = explain(&nobody, &s.graph, UsersView, &user([s.a]));
    assert!(!answer.allowed && answer.path.is_empty());
    assert_eq!(
        answer.reason.as_deref(),
        Some("no grant of users.view applies to the user")
    );
    let viewer = with(actor([]), UsersView, groups([s.a]));
    for (target, why) in [
        (user([s.b]), "the user is in no group inside the scope"),
        (
            user([]),
            "the user is in no group, so only scope all covers it",
        ),
        (Target::Group(s.b), "the group is outside every scope"),
        (Target::Global, "it needs scope all"),
    ] {
        let answer = explain(&viewer, &s.graph, UsersView, &target);
        assert!(!answer.allowed);
        let reason = answer.reason.unwrap();
        assert!(
            reason.starts_with("1 grant(s) of users.view apply"),
            "{reason}"
        );
        assert!(reason.contains(why), "{reason}");
    }
}

#[test]
fn p6_explain_agrees_with_the_decision() {
    let s = School::new();
    let viewer = with(actor([s.b]), UsersView, groups([s.a]));
    for target in [user([s.a1]), user([s.b1]), Target::Group(s.school)] {
        for p in Privilege::ALL {
            assert_eq!(
                explain(&viewer, &s.graph, p, &target).allowed,
                is_allowed(&viewer, &s.graph, p, &target)
            );
        }
    }
}

#[test]
fn p6_explanation_wire_shape() {
    let s = School::new();
    let admin = with(actor([]), UsersView, groups([s.a]));
    let answer = explain(&admin, &s.graph, UsersView, &user([s.a]));
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(json["allowed"], true);
    assert_eq!(json["path"][0]["kind"], "grant");
    assert_eq!(json["path"][0]["privilege"], "users.view");
    assert_eq!(json["path"][0]["scope"], "groups");
    assert_eq!(json["path"][0]["via_group"], s.a.to_string());
    assert_eq!(json["path"][0]["subject"]["kind"], "user");
}
