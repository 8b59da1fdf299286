//! A2–A4, A6, A7: applications — the submission transaction, the conditional transitions,
//! the held login IDs, the A4 list and the purge.

use super::fixtures::{activation, application, count, group, mail, spec, t0, url, user};
use chrono::Duration;
use roster_domain::ids::{ApplicationId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::registration::{
    ApplicationFilter, ApplicationRepository, ApplicationSubmission, CreateApplicationError,
    RegistrationUrlRepository, TransitionError,
};
use roster_domain::registration::{
    Application, ApplicationStatus, CodeText, MailKind, RegistrationSettings, UrlRefusal,
    UrlStatus, UsedCode,
};
use roster_domain::user::LoginId;
use roster_infra_db::Store;
use std::collections::BTreeSet;

fn submission(app: &Application, code: Option<&str>) -> ApplicationSubmission {
    ApplicationSubmission {
        application: app.clone(),
        used_code: code.map_or(UsedCode::NoneRequired, |c| {
            UsedCode::Code(CodeText::parse(c).unwrap())
        }),
        activation: activation(app),
        mail: Some(mail(&app.email, MailKind::Activation)),
    }
}

/// Rows the submission of `app` wrote: (application, groups, tokens, mails in all).
async fn written(store: &Store, app: &Application) -> (i64, i64, i64, i64) {
    let id = app.id.as_uuid();
    (
        count(store, "applications", Some(("id", id.into()))).await,
        count(
            store,
            "application_groups",
            Some(("application_id", id.into())),
        )
        .await,
        count(
            store,
            "one_time_tokens",
            Some(("subject_application_id", id.into())),
        )
        .await,
        count(store, "mail_queue", None).await,
    )
}

fn settings(auto_approve: bool) -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        auto_approve,
        purge_not_activated_after: None,
    }
}

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

async fn a4_list_filters_and_pages_newest_first(store: Store) {
    let via = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let mut apps = Vec::new();
    for i in 0..7 {
        let through = (i % 2 == 0).then_some(&via);
        let app = application(&format!("User_{i}"), through, t0() + Duration::days(i));
        ApplicationRepository::create(&store, &submission(&app, None))
            .await
            .unwrap();
        apps.push(app);
    }
    let activated = apps[3].activate(&settings(false), t0()).unwrap();
    store.transition(&activated, &[]).await.unwrap();
    let ids = |items: &[Application]| items.iter().map(|a| a.id).collect::<Vec<_>>();
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let got = ApplicationRepository::list(&store, &ApplicationFilter::default(), &page)
            .await
            .unwrap();
        seen.extend(ids(&got.items));
        match got.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => break,
        }
    }
    let newest_first: Vec<_> = apps.iter().rev().map(|a| a.id).collect();
    assert_eq!(seen, newest_first);
    let list = |filter: ApplicationFilter| {
        let store = store.clone();
        async move {
            ids(
                &ApplicationRepository::list(&store, &filter, &PageRequest::first(50))
                    .await
                    .unwrap()
                    .items,
            )
        }
    };
    let status = ApplicationFilter {
        status: Some(ApplicationStatus::Unapproved),
        ..Default::default()
    };
    assert_eq!(list(status).await, [apps[3].id]);
    let login = ApplicationFilter {
        login_id: Some("ER_5".into()),
        ..Default::default()
    };
    assert_eq!(list(login).await, [apps[5].id], "contains, any case");
    let wildcard = ApplicationFilter {
        login_id: Some("r%".into()),
        ..Default::default()
    };
    assert!(list(wildcard).await.is_empty(), "LIKE wildcards are text");
    let email = ApplicationFilter {
        email: Some("USER_2@EXAMPLE".into()),
        ..Default::default()
    };
    assert_eq!(list(email).await, [apps[2].id]);
    let dates = ApplicationFilter {
        applied_from: Some(t0() + Duration::days(2)),
        applied_to: Some(t0() + Duration::days(4)),
        ..Default::default()
    };
    assert_eq!(
        list(dates).await,
        [apps[3].id, apps[2].id],
        "from inclusive, to exclusive"
    );
    let groups = ApplicationFilter {
        group_ids: Some(BTreeSet::from([via.group_id])),
        ..Default::default()
    };
    assert_eq!(
        list(groups).await,
        [apps[6].id, apps[4].id, apps[2].id, apps[0].id]
    );
    let none = ApplicationFilter {
        group_ids: Some(BTreeSet::new()),
        ..Default::default()
    };
    assert!(list(none).await.is_empty());
    let bad = PageRequest::new(Some(5), Some("nope".into()));
    assert!(
        ApplicationRepository::list(&store, &ApplicationFilter::default(), &bad)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn a7_purge_deletes_stale_not_activated_with_their_tokens(store: Store) {
    let via = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let old = application("old", Some(&via), t0());
    let fresh = application("fresh", None, t0() + Duration::days(2));
    let old_activated = application("active", None, t0());
    for app in [&old, &fresh, &old_activated] {
        ApplicationRepository::create(&store, &submission(app, None))
            .await
            .unwrap();
    }
    let update = old_activated.activate(&settings(false), t0()).unwrap();
    store.transition(&update, &[]).await.unwrap();
    let cutoff = t0() + Duration::days(1);
    assert_eq!(store.delete_stale(cutoff).await.unwrap(), 1);
    assert_eq!(
        ApplicationRepository::get(&store, old.id).await.unwrap(),
        None
    );
    let (rows, groups, tokens, _) = written(&store, &old).await;
    assert_eq!(
        (rows, groups, tokens),
        (0, 0, 0),
        "groups and token went with it"
    );
    assert!(
        ApplicationRepository::get(&store, fresh.id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        ApplicationRepository::get(&store, old_activated.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(count(&store, "one_time_tokens", None).await, 2);
    assert_eq!(
        store.delete_stale(t0()).await.unwrap(),
        0,
        "at or before the cutoff only"
    );
    assert_eq!(
        store
            .delete_stale(cutoff + Duration::days(1))
            .await
            .unwrap(),
        1
    );
}

on_every_backend!(
    a2_submission_writes_application_groups_token_mail_and_code_use,
    a2_a_refused_submission_writes_nothing_and_spends_no_use,
    a6_login_id_is_held_only_while_the_application_is_open,
    a3_approval_creates_the_user_and_queues_the_notice,
    a4_transitions_apply_only_on_the_expected_status,
    a4_approval_fails_whole_when_the_login_id_was_taken,
    a4_list_filters_and_pages_newest_first,
    a7_purge_deletes_stale_not_activated_with_their_tokens,
);
