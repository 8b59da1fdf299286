//! Tests of reviewing applications (A4, M3, P4, P5, Z1).

use super::*;
use crate::authz::{Grant, Scope, Subject};
use crate::error::ErrorCode;
use crate::ids::GrantId;
use crate::ports::registration::TransitionError;
use crate::registration::ApplicationStatus;
use crate::registration::application::fixtures::application;
use crate::services::joining::testing::{JoinMocks, config, notifications_without};
use crate::services::testing::{World, admin, now, owner};
use mockall::predicate::eq;

fn service(m: JoinMocks) -> ApplicationService {
    let (ports, joining) = m.build();
    ApplicationService::new(&ports, &joining, &config())
}

fn school_editor(w: &World) -> Actor {
    admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap())
}

/// An activated application joining class A, stored, and the graph.
fn waiting(w: &World, m: &mut JoinMocks) -> Application {
    let mut app = application("kenji", now());
    app.status = ApplicationStatus::Unapproved;
    app.activated_at = Some(now());
    app.group_ids = [w.class_a].into();
    let copy = app.clone();
    m.applications
        .expect_get()
        .with(eq(app.id))
        .returning(move |_| Ok(Some(copy.clone())));
    m.base.with_graph(&w.graph);
    app
}

fn no_group_grants(m: &mut JoinMocks) {
    m.base
        .grants
        .expect_grants_for_groups()
        .returning(|_| Ok(Vec::new()));
}

#[tokio::test]
async fn a4_list_shows_only_the_scope() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    let (school, class_a, class_b) = (w.school, w.class_a, w.class_b);
    m.applications
        .expect_list()
        .times(1)
        .withf(move |f, p| {
            f.group_ids == Some([school, class_a, class_b].into())
                && f.status == Some(ApplicationStatus::Unapproved)
                && p.limit == 500
        })
        .returning(|_, _| Ok(Page::empty()));
    m.applications
        .expect_list()
        .times(1)
        .withf(move |f, _| f.group_ids == Some([class_a].into()))
        .returning(|_, _| Ok(Page::empty()));
    let s = service(m);
    let filter = ApplicationFilter {
        status: Some(ApplicationStatus::Unapproved),
        ..ApplicationFilter::default()
    };
    let big = PageRequest {
        limit: 9999,
        cursor: None,
    };
    s.list(&school_editor(&w), filter, big).await.unwrap();
    let asked = ApplicationFilter {
        group_ids: Some([w.class_a, w.other].into()),
        ..ApplicationFilter::default()
    };
    s.list(&school_editor(&w), asked, PageRequest::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn a4_list_for_all_scope_and_for_nobody() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    m.applications
        .expect_list()
        .times(1)
        .withf(|f, _| f.group_ids.is_none())
        .returning(|_, _| Ok(Page::empty()));
    let s = service(m);
    s.list(
        &owner(),
        ApplicationFilter::default(),
        PageRequest::default(),
    )
    .await
    .unwrap();
    let viewer = admin(Privilege::UsersView, Scope::All);
    let page = s
        .list(
            &viewer,
            ApplicationFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(
        page.items.is_empty(),
        "users.view cannot review applications"
    );
}

#[tokio::test]
async fn a4_get_in_and_out_of_scope() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let app = waiting(&w, &mut m);
    let s = service(m);
    assert_eq!(s.get(&school_editor(&w), app.id).await.unwrap(), app);
    let other = admin(Privilege::UsersEdit, Scope::groups([w.other]).unwrap());
    assert_eq!(s.get(&other, app.id).await.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn a4_approve_creates_the_user_and_notifies_when_asked() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let app = waiting(&w, &mut m);
    no_group_grants(&mut m);
    m.with_notifications(Default::default());
    let a = school_editor(&w);
    let by = a.user_id;
    m.applications
        .expect_transition()
        .times(1)
        .withf(move |u, outbox| {
            u.expected == ApplicationStatus::Unapproved
                && u.status == ApplicationStatus::Approved
                && u.decided_by == Some(by)
                && u.decided_at == Some(now())
                && u.create_user.is_some()
                && outbox.len() == 1
                && outbox[0].kind() == MailKind::ApplicationApproved
                && outbox[0].to().as_str() == "kenji@example.com"
        })
        .returning(|_, _| Ok(()));
    m.base.expect_audit(AuditAction::ApplicationApprove, Ok(()));
    let d = service(m).approve(&a, app.id, true).await.unwrap();
    assert!(d.mailed && d.user_id.is_some());
    assert_eq!(d.application.status, ApplicationStatus::Approved);
}

#[tokio::test]
async fn a4_m3_no_notice_unless_asked_and_switched_on() {
    let w = World::new();
    for (notify, switches, reads) in [
        (false, Default::default(), 0),
        (
            true,
            notifications_without(MailKind::ApplicationApproved),
            1,
        ),
    ] {
        let mut m = JoinMocks::new();
        let app = waiting(&w, &mut m);
        no_group_grants(&mut m);
        m.notifications
            .expect_get()
            .times(reads)
            .returning(move || Ok(switches));
        m.applications
            .expect_transition()
            .times(1)
            .withf(|_, outbox| outbox.is_empty())
            .returning(|_, _| Ok(()));
        m.base.expect_audit(AuditAction::ApplicationApprove, Ok(()));
        let d = service(m).approve(&owner(), app.id, notify).await.unwrap();
        assert!(!d.mailed);
    }
}

#[tokio::test]
async fn a4_reject_notifies_with_the_not_approved_notice() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let app = waiting(&w, &mut m);
    m.base.grants.expect_grants_for_groups().times(0);
    m.with_notifications(Default::default());
    m.applications
        .expect_transition()
        .times(1)
        .withf(|u, outbox| {
            u.status == ApplicationStatus::NotApproved
                && u.create_user.is_none()
                && outbox.len() == 1
                && outbox[0].kind() == MailKind::ApplicationNotApproved
        })
        .returning(|_, _| Ok(()));
    m.base.expect_audit(AuditAction::ApplicationReject, Ok(()));
    let d = service(m)
        .reject(&school_editor(&w), app.id, true)
        .await
        .unwrap();
    assert_eq!(d.application.status, ApplicationStatus::NotApproved);
    assert_eq!(d.user_id, None);
}

#[tokio::test]
async fn a4_refusals_are_audited_and_decide_nothing() {
    let w = World::new();
    let other = admin(Privilege::UsersEdit, Scope::groups([w.other]).unwrap());
    let viewer = admin(Privilege::UsersView, Scope::All);
    for (actor, status, code) in [
        (other, ApplicationStatus::Unapproved, "not_found"),
        (viewer, ApplicationStatus::Unapproved, "forbidden"),
        (
            owner(),
            ApplicationStatus::NotActivated,
            "application_not_activated",
        ),
        (
            owner(),
            ApplicationStatus::Approved,
            "application_already_decided",
        ),
    ] {
        let mut m = JoinMocks::new();
        let mut app = application("kenji", now());
        app.status = status;
        app.group_ids = [w.class_a].into();
        let id = app.id;
        m.applications
            .expect_get()
            .returning(move |_| Ok(Some(app.clone())));
        m.base.with_graph(&w.graph);
        m.applications.expect_transition().times(0);
        m.base
            .expect_audit(AuditAction::ApplicationApprove, Err(code));
        let err = service(m).approve(&actor, id, true).await.unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn a4_application_in_no_group_needs_scope_all() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let mut app = application("yui", now());
    app.status = ApplicationStatus::Unapproved;
    let id = app.id;
    m.applications
        .expect_get()
        .returning(move |_| Ok(Some(app.clone())));
    m.base.with_graph(&w.graph);
    m.applications.expect_transition().times(0);
    m.base
        .expect_audit(AuditAction::ApplicationReject, Err("not_found"));
    let err = service(m)
        .reject(&school_editor(&w), id, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn p5_approving_into_a_group_whose_grants_the_approver_lacks_is_refused() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let app = waiting(&w, &mut m);
    let school = w.school;
    m.base
        .grants
        .expect_grants_for_groups()
        .withf(move |holders| holders.contains(&school))
        .returning(move |_| {
            Ok(vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(school),
                privilege: Privilege::AdminAuthorization,
                scope: Scope::All,
            }])
        });
    m.applications.expect_transition().times(0);
    m.base
        .expect_audit(AuditAction::ApplicationApprove, Err("privilege_not_held"));
    let err = service(m)
        .approve(&school_editor(&w), app.id, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "privilege_not_held");
}

#[tokio::test]
async fn a4_decided_meanwhile_is_a_conflict() {
    let w = World::new();
    let mut m = JoinMocks::new();
    let app = waiting(&w, &mut m);
    m.applications
        .expect_transition()
        .times(1)
        .returning(|_, _| {
            Err(TransitionError::StatusChanged {
                current: ApplicationStatus::NotApproved,
            })
        });
    m.base.expect_audit(
        AuditAction::ApplicationApprove,
        Err("application_status_changed"),
    );
    let err = service(m)
        .approve(&owner(), app.id, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "application_status_changed");
}
