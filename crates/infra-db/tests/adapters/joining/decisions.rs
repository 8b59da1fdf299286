//! A3, A4: applying decided changes — conditional on the expected status, creating the user,
//! queueing the notices, all or nothing.

use super::fixtures::{application, count, group, mail, t0, url, user};
use super::submissions::{settings, submission};
use chrono::Duration;
use roster_domain::ids::{ApplicationId, UserId};
use roster_domain::ports::registration::{
    ApplicationRepository, RegistrationUrlRepository, TransitionError,
};
use roster_domain::registration::{ApplicationStatus, MailKind};
use roster_infra_db::Store;

async fn a3_approval_creates_the_user_and_queues_the_notice(store: Store) {
    let via = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let app = application("sora", Some(&via), t0());
    ApplicationRepository::create(&store, &submission(&app, None))
        .await
        .unwrap();
    let update = app
        .activate(&settings(true), t0() + Duration::hours(1))
        .unwrap();
    let user_id = update.create_user.unwrap();
    let notice = mail(&app.email, MailKind::ApplicationApproved);
    store
        .transition(&update, std::slice::from_ref(&notice))
        .await
        .unwrap();
    let stored = ApplicationRepository::get(&store, app.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, ApplicationStatus::Approved);
    assert_eq!(stored.activated_at, update.activated_at);
    assert_eq!(stored.decided_at, update.decided_at);
    assert_eq!(
        stored.password_hash.expose(),
        "",
        "the hash lives with the user now"
    );
    let uid = user_id.as_uuid();
    assert_eq!(count(&store, "users", Some(("id", uid.into()))).await, 1);
    assert_eq!(
        count(&store, "users", Some(("login_key", "sora".into()))).await,
        1
    );
    assert_eq!(
        count(&store, "user_credentials", Some(("user_id", uid.into()))).await,
        1
    );
    assert_eq!(
        count(&store, "memberships", Some(("user_id", uid.into()))).await,
        1
    );
    assert_eq!(
        count(
            &store,
            "mail_queue",
            Some(("kind", "application_approved".into()))
        )
        .await,
        1
    );
}

async fn a4_transitions_apply_only_on_the_expected_status(store: Store) {
    let app = application("riku", None, t0());
    ApplicationRepository::create(&store, &submission(&app, None))
        .await
        .unwrap();
    let activated = app.activate(&settings(false), t0()).unwrap();
    store.transition(&activated, &[]).await.unwrap();
    let app = app.with_update(&activated);
    // Two administrators decide at once from the same read: the second loses.
    let admin = UserId::new();
    let approve = app.approve(admin, t0() + Duration::days(1)).unwrap();
    let reject = app.reject(admin, t0() + Duration::days(1)).unwrap();
    let notice = mail(&app.email, MailKind::ApplicationNotApproved);
    store
        .transition(&reject, std::slice::from_ref(&notice))
        .await
        .unwrap();
    let lost = store
        .transition(&approve, &[mail(&app.email, MailKind::ApplicationApproved)])
        .await;
    assert!(matches!(
        lost,
        Err(TransitionError::StatusChanged {
            current: ApplicationStatus::NotApproved
        })
    ));
    assert_eq!(count(&store, "users", None).await, 0, "nothing written");
    assert_eq!(
        count(
            &store,
            "mail_queue",
            Some(("kind", "application_approved".into()))
        )
        .await,
        0
    );
    let stored = ApplicationRepository::get(&store, app.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.status, stored.decided_by),
        (ApplicationStatus::NotApproved, Some(admin))
    );
    assert_eq!(stored.password_hash.expose(), "", "not approved: erased");
    let mut ghost = approve.clone();
    ghost.id = ApplicationId::new();
    assert!(matches!(
        store.transition(&ghost, &[]).await,
        Err(TransitionError::NotFound)
    ));
}

async fn a4_approval_fails_whole_when_the_login_id_was_taken(store: Store) {
    let app = application("hina", None, t0());
    ApplicationRepository::create(&store, &submission(&app, None))
        .await
        .unwrap();
    let activated = app.activate(&settings(false), t0()).unwrap();
    store.transition(&activated, &[]).await.unwrap();
    let app = app.with_update(&activated);
    user(&store, "HINA").await;
    let approve = app.approve(UserId::new(), t0()).unwrap();
    let refused = store
        .transition(&approve, &[mail(&app.email, MailKind::ApplicationApproved)])
        .await;
    assert!(matches!(refused, Err(TransitionError::LoginIdTaken)));
    let stored = ApplicationRepository::get(&store, app.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, app, "status, times and hash unchanged");
    assert_eq!(
        count(
            &store,
            "mail_queue",
            Some(("kind", "application_approved".into()))
        )
        .await,
        0
    );
}

on_every_backend!(
    a3_approval_creates_the_user_and_queues_the_notice,
    a4_transitions_apply_only_on_the_expected_status,
    a4_approval_fails_whole_when_the_login_id_was_taken,
);
