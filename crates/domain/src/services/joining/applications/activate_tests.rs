//! Tests of activation (A2, A3, M3).

use super::*;
use crate::error::ErrorCode;
use crate::ports::registration::TransitionError;
use crate::registration::application::fixtures::application;
use crate::registration::{Application, OneTimeToken, RegistrationSettings, TokenLifetimes};
use crate::services::joining::testing::{JoinMocks, config, hash_of, notifications_without};
use crate::services::testing::now;
use chrono::Duration;
use mockall::predicate::eq;

fn settings(auto_approve: bool) -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        auto_approve,
        purge_not_activated_after: None,
    }
}

/// A `not_activated` application with its link `act-secret`, stored.
fn stored(m: &mut JoinMocks) -> Application {
    let app = application("kenji", now() - Duration::hours(1));
    let token = OneTimeToken::activation(
        app.id,
        hash_of("act-secret"),
        &TokenLifetimes::default(),
        app.applied_at,
    );
    m.with_generator();
    m.with_stored_token("act-secret", token);
    let copy = app.clone();
    m.applications
        .expect_get()
        .with(eq(app.id))
        .returning(move |_| Ok(Some(copy.clone())));
    app
}

fn redeems(m: &mut JoinMocks, app: &Application) {
    let id = app.id;
    m.tokens
        .expect_redeem()
        .with(
            eq(hash_of("act-secret")),
            eq(TokenPurpose::Activation),
            eq(now()),
        )
        .times(1)
        .returning(move |_, _, _| Ok(TokenSubject::Application(id)));
}

fn service(m: JoinMocks) -> ApplicationService {
    let (ports, joining) = m.build();
    ApplicationService::new(&ports, &joining, &config())
}

#[tokio::test]
async fn a3_auto_approval_creates_the_user_and_sends_the_notice() {
    let mut m = JoinMocks::new();
    let app = stored(&mut m);
    m.with_registration(settings(true));
    m.with_notifications(Default::default());
    redeems(&mut m, &app);
    let id = app.id;
    m.applications
        .expect_transition()
        .times(1)
        .withf(move |u, outbox| {
            u.id == id
                && u.expected == ApplicationStatus::NotActivated
                && u.status == ApplicationStatus::Approved
                && u.activated_at == Some(now())
                && u.create_user.is_some()
                && outbox.len() == 1
                && outbox[0].kind() == MailKind::ApplicationApproved
                && outbox[0].variables()["login_url"] == "https://lms.example.com/"
        })
        .returning(|_, _| Ok(()));
    let activated = service(m).activate("act-secret").await.unwrap();
    assert_eq!(activated.status, ApplicationStatus::Approved);
    assert!(activated.user_id.is_some());
}

#[tokio::test]
async fn a3_m3_auto_approval_without_the_notice_when_it_is_off() {
    let mut m = JoinMocks::new();
    let app = stored(&mut m);
    m.with_registration(settings(true));
    m.with_notifications(notifications_without(MailKind::ApplicationApproved));
    redeems(&mut m, &app);
    m.applications
        .expect_transition()
        .times(1)
        .withf(|u, outbox| u.create_user.is_some() && outbox.is_empty())
        .returning(|_, _| Ok(()));
    service(m).activate("act-secret").await.unwrap();
}

#[tokio::test]
async fn a3_without_auto_approval_the_application_waits_unapproved() {
    let mut m = JoinMocks::new();
    let app = stored(&mut m);
    m.with_registration(settings(false));
    m.notifications.expect_get().times(0);
    redeems(&mut m, &app);
    m.applications
        .expect_transition()
        .times(1)
        .withf(|u, outbox| {
            u.status == ApplicationStatus::Unapproved
                && u.create_user.is_none()
                && outbox.is_empty()
        })
        .returning(|_, _| Ok(()));
    let activated = service(m).activate("act-secret").await.unwrap();
    assert_eq!(activated.status, ApplicationStatus::Unapproved);
    assert_eq!(activated.user_id, None);
}

#[tokio::test]
async fn a2_unknown_and_foreign_links_are_invalid_and_change_nothing() {
    let invitation = OneTimeToken::invitation(
        crate::ids::UserId::new(),
        hash_of("invite"),
        &TokenLifetimes::default(),
        now(),
    );
    for (presented, token) in [("nothing", None), ("invite", Some(invitation))] {
        let mut m = JoinMocks::new();
        m.with_generator();
        match token {
            Some(t) => m.with_stored_token(presented, t),
            None => {
                m.tokens.expect_find().returning(|_| Ok(None));
            }
        }
        m.tokens.expect_redeem().times(0);
        m.applications.expect_transition().times(0);
        let err = service(m).activate(presented).await.unwrap_err();
        assert_eq!(err.code(), "token_invalid");
    }
}

#[tokio::test]
async fn a2_application_already_activated_is_refused_before_spending_the_link() {
    let mut m = JoinMocks::new();
    let mut app = application("kenji", now());
    app.status = ApplicationStatus::Unapproved;
    let token = OneTimeToken::activation(
        app.id,
        hash_of("act-secret"),
        &TokenLifetimes::default(),
        now(),
    );
    m.with_generator();
    m.with_stored_token("act-secret", token);
    m.applications
        .expect_get()
        .returning(move |_| Ok(Some(app.clone())));
    m.with_registration(settings(true));
    m.tokens.expect_redeem().times(0);
    m.applications.expect_transition().times(0);
    let err = service(m).activate("act-secret").await.unwrap_err();
    assert_eq!(err.code(), "application_already_activated");
}

#[tokio::test]
async fn a3_login_id_registered_meanwhile_is_reported() {
    let mut m = JoinMocks::new();
    let app = stored(&mut m);
    m.with_registration(settings(true));
    m.with_notifications(Default::default());
    redeems(&mut m, &app);
    m.applications
        .expect_transition()
        .times(1)
        .returning(|_, _| Err(TransitionError::LoginIdTaken));
    let err = service(m).activate("act-secret").await.unwrap_err();
    assert_eq!(err.code(), "login_id_taken");
}

/// A `not_activated` application through the URL of `w.class_a`, with its link stored.
fn stored_in_class(m: &mut JoinMocks, w: &crate::services::testing::World) -> Application {
    let mut app = application("kenji", now() - Duration::hours(1));
    app.group_ids = [w.class_a].into();
    let token = OneTimeToken::activation(
        app.id,
        hash_of("act-secret"),
        &TokenLifetimes::default(),
        app.applied_at,
    );
    m.with_generator();
    m.with_stored_token("act-secret", token);
    let copy = app.clone();
    m.applications
        .expect_get()
        .returning(move |_| Ok(Some(copy.clone())));
    app
}

#[tokio::test]
async fn p5_a3_auto_approval_into_a_group_above_which_grants_are_held_waits_unapproved() {
    use crate::authz::{Grant, Privilege, Scope, Subject};
    use crate::ids::GrantId;
    let w = crate::services::testing::World::new();
    let mut m = JoinMocks::new();
    let app = stored_in_class(&mut m, &w);
    m.base.with_graph(&w.graph);
    let (school, class_a) = (w.school, w.class_a);
    // The grant is held by `school`, above the URL's group `class_a` (G4).
    m.base
        .grants
        .expect_grants_for_groups()
        .times(1)
        .withf(move |g| g.contains(&school) && g.contains(&class_a))
        .returning(move |_| {
            Ok(vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(school),
                privilege: Privilege::AdminAuthorization,
                scope: Scope::All,
            }])
        });
    m.with_registration(settings(true));
    m.notifications.expect_get().times(0);
    redeems(&mut m, &app);
    m.applications
        .expect_transition()
        .times(1)
        .withf(|u, outbox| {
            u.status == ApplicationStatus::Unapproved
                && u.create_user.is_none()
                && outbox.is_empty()
        })
        .returning(|_, _| Ok(()));
    let activated = service(m).activate("act-secret").await.unwrap();
    assert_eq!(activated.status, ApplicationStatus::Unapproved);
    assert_eq!(activated.user_id, None);
}

#[tokio::test]
async fn p5_a3_auto_approval_into_a_group_without_grants_still_creates_the_user() {
    let w = crate::services::testing::World::new();
    let mut m = JoinMocks::new();
    let app = stored_in_class(&mut m, &w);
    m.base.with_graph(&w.graph);
    m.base
        .grants
        .expect_grants_for_groups()
        .times(1)
        .returning(|_| Ok(Vec::new()));
    m.with_registration(settings(true));
    m.with_notifications(Default::default());
    redeems(&mut m, &app);
    m.applications
        .expect_transition()
        .times(1)
        .withf(|u, _| u.status == ApplicationStatus::Approved && u.create_user.is_some())
        .returning(|_, _| Ok(()));
    let activated = service(m).activate("act-secret").await.unwrap();
    assert_eq!(activated.status, ApplicationStatus::Approved);
}
