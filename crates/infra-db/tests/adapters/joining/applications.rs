//! A2, A5, A6: storing applications — the submission transaction, all or nothing, and the
//! login IDs open applications hold.

use super::fixtures::{application, count, group, spec, t0, url, user};
use super::submissions::{settings, submission, written};
use roster_domain::ids::{ApplicationId, UserId};
use roster_domain::ports::registration::{
    ApplicationRepository, CreateApplicationError, RegistrationUrlRepository,
};
use roster_domain::registration::{CodeText, UrlRefusal, UrlStatus};
use roster_domain::user::LoginId;
use roster_infra_db::Store;

async fn a2_submission_writes_application_groups_token_mail_and_code_use(store: Store) {
    let via = url(group(&store).await, vec![spec("join-me", None, Some(1))]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let app = application("Kenji", Some(&via), t0());
    ApplicationRepository::create(&store, &submission(&app, Some("join-me")))
        .await
        .unwrap();
    assert_eq!(written(&store, &app).await, (1, 1, 1, 1));
    assert_eq!(
        ApplicationRepository::get(&store, app.id).await.unwrap(),
        Some(app.clone())
    );
    let code = CodeText::parse("join-me").unwrap();
    let stored = RegistrationUrlRepository::get(&store, via.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.codes.get(&code).unwrap().uses(),
        1,
        "the use is counted"
    );
    assert_eq!(
        ApplicationRepository::get(&store, ApplicationId::new())
            .await
            .unwrap(),
        None
    );

    // Without the mail (M3 off) and through no URL.
    let quiet = application("yui", None, t0());
    let mut sub = submission(&quiet, None);
    sub.mail = None;
    ApplicationRepository::create(&store, &sub).await.unwrap();
    assert_eq!(written(&store, &quiet).await, (1, 0, 1, 1));
}

async fn a2_a_refused_submission_writes_nothing_and_spends_no_use(store: Store) {
    let via = url(group(&store).await, vec![spec("only-one", None, Some(1))]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let first = application("first", Some(&via), t0());
    ApplicationRepository::create(&store, &submission(&first, Some("only-one")))
        .await
        .unwrap();
    let mails = count(&store, "mail_queue", None).await;

    let late = application("late", Some(&via), t0());
    let refused = ApplicationRepository::create(&store, &submission(&late, Some("only-one"))).await;
    assert!(matches!(
        refused,
        Err(CreateApplicationError::Url(UrlRefusal::CodeUsedUp))
    ));
    assert_eq!(written(&store, &late).await, (0, 0, 0, mails));

    // A6: a user holds the login ID (any case): refused before the code is spent.
    let open = url(group(&store).await, vec![spec("plenty", None, Some(5))]);
    RegistrationUrlRepository::create(&store, &open)
        .await
        .unwrap();
    user(&store, "Taken").await;
    let taken = application("TAKEN", Some(&open), t0());
    let refused = ApplicationRepository::create(&store, &submission(&taken, Some("plenty"))).await;
    assert!(matches!(refused, Err(CreateApplicationError::LoginIdTaken)));
    assert_eq!(written(&store, &taken).await, (0, 0, 0, mails));
    let code = CodeText::parse("plenty").unwrap();
    let uses = |u: roster_domain::registration::RegistrationUrl| u.codes.get(&code).unwrap().uses();
    assert_eq!(
        uses(
            RegistrationUrlRepository::get(&store, open.id)
                .await
                .unwrap()
                .unwrap()
        ),
        0
    );

    // A6: an open application holds it; the code use counted before is rolled back.
    let again = application("FIRST", Some(&open), t0());
    let refused = ApplicationRepository::create(&store, &submission(&again, Some("plenty"))).await;
    assert!(matches!(refused, Err(CreateApplicationError::LoginIdTaken)));
    assert_eq!(written(&store, &again).await, (0, 0, 0, mails));
    assert_eq!(
        uses(
            RegistrationUrlRepository::get(&store, open.id)
                .await
                .unwrap()
                .unwrap()
        ),
        0
    );

    // A URL asking for no code: stopped meanwhile, or given codes meanwhile.
    let free = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &free)
        .await
        .unwrap();
    store
        .set_status(&[free.id], UrlStatus::Stopped)
        .await
        .unwrap();
    let stopped = application("stopped", Some(&free), t0());
    let refused = ApplicationRepository::create(&store, &submission(&stopped, None)).await;
    assert!(matches!(
        refused,
        Err(CreateApplicationError::Url(UrlRefusal::Stopped))
    ));
    let mut coded = free.clone();
    coded
        .edit_codes(vec![spec("new-code", None, None)])
        .unwrap();
    coded.resume();
    store.update(&coded).await.unwrap();
    let refused = ApplicationRepository::create(&store, &submission(&stopped, None)).await;
    assert!(matches!(
        refused,
        Err(CreateApplicationError::Url(UrlRefusal::CodeRequired))
    ));
    let gone = url(group(&store).await, vec![]);
    let refused = ApplicationRepository::create(
        &store,
        &submission(&application("gone", Some(&gone), t0()), None),
    )
    .await;
    assert!(matches!(
        refused,
        Err(CreateApplicationError::Url(UrlRefusal::NotFound))
    ));
    assert_eq!(count(&store, "applications", None).await, 1);
    assert_eq!(count(&store, "mail_queue", None).await, mails);
}

async fn a6_login_id_is_held_only_while_the_application_is_open(store: Store) {
    let app = application("Mika", None, t0());
    let login = LoginId::parse("MIKA").unwrap();
    assert!(!store.is_login_id_held(&login).await.unwrap());
    ApplicationRepository::create(&store, &submission(&app, None))
        .await
        .unwrap();
    assert!(store.is_login_id_held(&login).await.unwrap(), "case-folded");
    let activated = app.activate(&settings(false), t0()).unwrap();
    store.transition(&activated, &[]).await.unwrap();
    assert!(
        store.is_login_id_held(&login).await.unwrap(),
        "unapproved is open"
    );
    let app = app.with_update(&activated);
    let rejected = app.reject(UserId::new(), t0()).unwrap();
    store.transition(&rejected, &[]).await.unwrap();
    assert!(
        !store.is_login_id_held(&login).await.unwrap(),
        "decided: free again"
    );
    // The person may apply again.
    let retry = application("mika", None, t0());
    ApplicationRepository::create(&store, &submission(&retry, None))
        .await
        .unwrap();
    assert!(store.is_login_id_held(&login).await.unwrap());
}

on_every_backend!(
    a2_submission_writes_application_groups_token_mail_and_code_use,
    a2_a_refused_submission_writes_nothing_and_spends_no_use,
    a6_login_id_is_held_only_while_the_application_is_open,
);
