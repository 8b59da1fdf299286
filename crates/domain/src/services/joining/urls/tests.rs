//! Tests of registration URLs (A5, P4, P5, Z1).

use super::*;
use crate::authz::{Grant, Scope, Subject};
use crate::error::ErrorCode;
use crate::group::{Group, GroupName};
use crate::ids::{GrantId, RegistrationUrlId};
use crate::ports::Page;
use crate::ports::PageRequest;
use crate::ports::audit::AuditAction;
use crate::registration::url::fixtures::{spec, url};
use crate::registration::{CodeSpec, UrlStatus};
use crate::services::joining::testing::{JoinMocks, config};
use crate::services::testing::{World, admin, owner};
use mockall::predicate::eq;
use std::collections::BTreeSet;

fn service(m: JoinMocks) -> RegistrationUrlService {
    let (ports, joining) = m.build();
    RegistrationUrlService::new(&ports, &joining, &config())
}

fn settings_admin(w: &World) -> Actor {
    admin(Privilege::AdminSettings, Scope::groups([w.school]).unwrap())
}

/// A URL of `group`, active or stopped.
fn url_of(group: GroupId, status: UrlStatus) -> RegistrationUrl {
    let mut u = url(vec![spec("abcd12")]);
    u.group_id = group;
    u.status = status;
    u
}

fn stored_urls(m: &mut JoinMocks, urls: Vec<RegistrationUrl>) {
    let by_group = urls.clone();
    m.urls
        .expect_find_by_group()
        .returning(move |g| Ok(by_group.iter().find(|u| u.group_id == g).cloned()));
    m.urls
        .expect_get()
        .returning(move |id| Ok(urls.iter().find(|u| u.id == id).cloned()));
}

fn no_group_grants(m: &mut JoinMocks) {
    m.base
        .grants
        .expect_grants_for_groups()
        .returning(|_| Ok(Vec::new()));
}

#[tokio::test]
async fn a5_bulk_publish_creates_a_url_per_group() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    no_group_grants(&mut m);
    stored_urls(&mut m, Vec::new());
    m.with_generator();
    m.urls
        .expect_create()
        .times(2)
        .withf(|u| u.status == UrlStatus::Active && u.codes.len() == 1)
        .returning(|_| Ok(()));
    m.urls.expect_set_status().times(0);
    m.base
        .expect_audit(AuditAction::RegistrationUrlCreate, Ok(()));
    let results = service(m)
        .publish(
            &settings_admin(&w),
            [w.class_a, w.class_b].into(),
            vec![spec("abcd12")],
        )
        .await
        .unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.outcome == PublishOutcome::Created));
    assert_ne!(results[0].url.token, results[1].url.token);
}

#[tokio::test]
async fn a5_publishing_resumes_a_stopped_url_and_leaves_an_active_one() {
    let w = World::new();
    let stopped = url_of(w.class_a, UrlStatus::Stopped);
    let active = url_of(w.class_b, UrlStatus::Active);
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    no_group_grants(&mut m);
    stored_urls(&mut m, vec![stopped.clone(), active.clone()]);
    m.urls.expect_create().times(0);
    m.urls
        .expect_set_status()
        .with(eq(vec![stopped.id]), eq(UrlStatus::Active))
        .times(1)
        .returning(|ids, _| Ok(ids.to_vec()));
    m.base
        .expect_audit(AuditAction::RegistrationUrlCreate, Ok(()));
    let results = service(m)
        .publish(&owner(), [w.class_a, w.class_b].into(), Vec::new())
        .await
        .unwrap();
    let outcomes: Vec<_> = results.iter().map(|r| (r.group_id, r.outcome)).collect();
    let mut want = vec![
        (w.class_a, PublishOutcome::Resumed),
        (w.class_b, PublishOutcome::AlreadyActive),
    ];
    want.sort_by_key(|(g, _)| *g);
    let mut got = outcomes;
    got.sort_by_key(|(g, _)| *g);
    assert_eq!(got, want);
    assert!(results.iter().all(|r| r.url.status == UrlStatus::Active));
}

#[tokio::test]
async fn a5_p4_bulk_publish_with_one_group_out_of_scope_writes_nothing() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    no_group_grants(&mut m);
    m.urls.expect_find_by_group().times(0);
    m.urls.expect_create().times(0);
    m.base
        .expect_audit(AuditAction::RegistrationUrlCreate, Err("not_found"));
    let err = service(m)
        .publish(&settings_admin(&w), [w.class_a, w.other].into(), Vec::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn a5_publish_needs_admin_settings_and_a_group() {
    let w = World::new();
    for (actor, groups, code) in [
        (
            admin(Privilege::UsersEdit, Scope::All),
            BTreeSet::from([w.class_a]),
            "forbidden",
        ),
        (owner(), BTreeSet::new(), "validation_failed"),
    ] {
        let mut m = JoinMocks::new();
        m.base.with_graph(&w.graph);
        m.urls.expect_create().times(0);
        m.base
            .expect_audit(AuditAction::RegistrationUrlCreate, Err(code));
        let err = service(m)
            .publish(&actor, groups, Vec::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn a5_more_than_ten_codes_refused_before_any_write() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    stored_urls(&mut m, Vec::new());
    m.with_generator();
    m.urls.expect_create().times(0);
    m.base.expect_audit(
        AuditAction::RegistrationUrlCreate,
        Err("registration_too_many_codes"),
    );
    let eleven: Vec<CodeSpec> = (0..11).map(|i| spec(&format!("code{i:02}"))).collect();
    let err = service(m)
        .publish(&owner(), [w.class_a].into(), eleven)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "registration_too_many_codes");
}

#[tokio::test]
async fn p5_publishing_for_a_group_whose_grants_the_publisher_lacks_is_refused() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    let school = w.school;
    m.base
        .grants
        .expect_grants_for_groups()
        .returning(move |_| {
            Ok(vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(school),
                privilege: Privilege::UsersEdit,
                scope: Scope::All,
            }])
        });
    m.urls.expect_create().times(0);
    m.base.expect_audit(
        AuditAction::RegistrationUrlCreate,
        Err("privilege_not_held"),
    );
    let err = service(m)
        .publish(&settings_admin(&w), [w.class_a].into(), Vec::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "privilege_not_held");
}

#[tokio::test]
async fn a5_edit_replaces_codes_and_stops() {
    let w = World::new();
    let u = url_of(w.class_a, UrlStatus::Active);
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    stored_urls(&mut m, vec![u.clone()]);
    m.urls
        .expect_update()
        .times(1)
        .withf(|u| u.codes.len() == 2 && u.status == UrlStatus::Stopped)
        .returning(|_| Ok(()));
    m.base
        .expect_audit(AuditAction::RegistrationUrlUpdate, Ok(()));
    let patch = UrlPatch {
        codes: Some(vec![spec("abcd12"), spec("efgh12")]),
        status: Some(UrlStatus::Stopped),
    };
    let edited = service(m)
        .edit(&settings_admin(&w), u.id, patch)
        .await
        .unwrap();
    assert_eq!(edited.status, UrlStatus::Stopped);
}

#[tokio::test]
async fn a5_edit_refusals_write_nothing() {
    let w = World::new();
    let u = url_of(w.class_a, UrlStatus::Active);
    let mut too_low = spec("abcd12");
    too_low.max_uses = Some(1);
    let mut used = u.clone();
    used.codes = crate::registration::AuthCodes::new(vec![
        crate::registration::AuthCode::restore(too_low.code.clone(), None, None, 3).unwrap(),
    ])
    .unwrap();
    let outsider = admin(Privilege::AdminSettings, Scope::groups([w.other]).unwrap());
    for (actor, stored, codes, code) in [
        (outsider, u.clone(), vec![], "not_found"),
        (
            owner(),
            used,
            vec![too_low],
            "registration_code_uses_above_max",
        ),
    ] {
        let mut m = JoinMocks::new();
        m.base.with_graph(&w.graph);
        let id = stored.id;
        stored_urls(&mut m, vec![stored]);
        m.urls.expect_update().times(0);
        m.base
            .expect_audit(AuditAction::RegistrationUrlUpdate, Err(code));
        let patch = UrlPatch {
            codes: Some(codes),
            status: None,
        };
        let err = service(m).edit(&actor, id, patch).await.unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn a5_bulk_stop_in_scope_in_one_call() {
    let w = World::new();
    let (a, b) = (
        url_of(w.class_a, UrlStatus::Active),
        url_of(w.class_b, UrlStatus::Stopped),
    );
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    stored_urls(&mut m, vec![a.clone(), b.clone()]);
    m.urls
        .expect_set_status()
        .with(eq(vec![a.id, b.id]), eq(UrlStatus::Stopped))
        .times(1)
        .returning(|ids, _| Ok(ids.to_vec()));
    m.base
        .expect_audit(AuditAction::RegistrationUrlStop, Ok(()));
    let stopped = service(m)
        .stop(&settings_admin(&w), vec![a.id, b.id])
        .await
        .unwrap();
    assert_eq!(stopped, vec![a.id, b.id]);
}

#[tokio::test]
async fn a5_bulk_stop_with_an_unknown_or_foreign_url_stops_none() {
    let w = World::new();
    let inside = url_of(w.class_a, UrlStatus::Active);
    let outside = url_of(w.other, UrlStatus::Active);
    for extra in [outside.id, RegistrationUrlId::new()] {
        let mut m = JoinMocks::new();
        m.base.with_graph(&w.graph);
        stored_urls(&mut m, vec![inside.clone(), outside.clone()]);
        m.urls.expect_set_status().times(0);
        m.base
            .expect_audit(AuditAction::RegistrationUrlStop, Err("not_found"));
        let err = service(m)
            .stop(&settings_admin(&w), vec![inside.id, extra])
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}

#[tokio::test]
async fn a5_list_shows_only_the_scope() {
    let w = World::new();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    let (school, class_a, class_b) = (w.school, w.class_a, w.class_b);
    m.urls
        .expect_list()
        .times(1)
        .withf(move |f, _| {
            f.group_ids == Some([school, class_a, class_b].into())
                && f.status == Some(UrlStatus::Active)
        })
        .returning(|_, _| Ok(Page::empty()));
    let s = service(m);
    s.list(
        &settings_admin(&w),
        Some(UrlStatus::Active),
        PageRequest::default(),
    )
    .await
    .unwrap();
    let editor = admin(Privilege::UsersEdit, Scope::All);
    let page = s.list(&editor, None, PageRequest::default()).await.unwrap();
    assert!(page.items.is_empty());
}

fn group(id: GroupId, name: &str) -> Group {
    Group {
        id,
        name: GroupName::parse(name).unwrap(),
        external_code: None,
        description: crate::group::GroupDescription::default(),
    }
}

#[tokio::test]
async fn a5_export_rows_walk_every_page() {
    let w = World::new();
    let first = url_of(w.class_a, UrlStatus::Active);
    let second = url_of(w.class_b, UrlStatus::Stopped);
    let orphan = url_of(GroupId::new(), UrlStatus::Active);
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    let page_one = vec![first.clone(), orphan];
    m.urls
        .expect_list()
        .withf(|_, p| p.cursor.is_none())
        .times(1)
        .returning(move |_, _| {
            Ok(Page {
                items: page_one.clone(),
                next_cursor: Some("next".into()),
            })
        });
    let page_two = vec![second.clone()];
    m.urls
        .expect_list()
        .withf(|_, p| p.cursor.as_deref() == Some("next"))
        .times(1)
        .returning(move |_, _| {
            Ok(Page {
                items: page_two.clone(),
                next_cursor: None,
            })
        });
    let names = [(w.class_a, "Class A"), (w.class_b, "Class B")];
    m.base.groups.expect_get().returning(move |id| {
        Ok(names
            .iter()
            .find(|(g, _)| *g == id)
            .map(|(g, n)| group(*g, n)))
    });
    let rows = service(m).export_rows(&owner()).await.unwrap();
    let link = |u: &RegistrationUrl| format!("https://lms.example.com/register/{}", u.token);
    assert_eq!(
        rows,
        vec![
            UrlExportRow {
                group_name: "Class A".into(),
                url: link(&first),
                status: UrlStatus::Active,
            },
            UrlExportRow {
                group_name: "Class B".into(),
                url: link(&second),
                status: UrlStatus::Stopped,
            },
        ]
    );
}

fn school_grant(w: &World) -> Vec<Grant> {
    vec![Grant {
        id: GrantId::new(),
        subject: Subject::Group(w.school),
        privilege: Privilege::AdminAuthorization,
        scope: Scope::All,
    }]
}

#[tokio::test]
async fn p5_a5_editing_codes_of_an_active_url_needs_the_groups_grants() {
    let w = World::new();
    let u = url_of(w.class_a, UrlStatus::Active);
    let held = school_grant(&w);
    for status in [None, Some(UrlStatus::Active)] {
        let mut m = JoinMocks::new();
        m.base.with_graph(&w.graph);
        stored_urls(&mut m, vec![u.clone()]);
        let held = held.clone();
        m.base
            .grants
            .expect_grants_for_groups()
            .times(1)
            .returning(move |_| Ok(held.clone()));
        m.urls.expect_update().times(0);
        m.base.expect_audit(
            AuditAction::RegistrationUrlUpdate,
            Err("privilege_not_held"),
        );
        let patch = UrlPatch {
            codes: Some(vec![spec("mine42")]),
            status,
        };
        let err = service(m)
            .edit(&settings_admin(&w), u.id, patch)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }
}

#[tokio::test]
async fn p5_a5_a_stopped_url_that_stays_stopped_edits_codes_without_the_grant_check() {
    let w = World::new();
    let u = url_of(w.class_a, UrlStatus::Stopped);
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    stored_urls(&mut m, vec![u.clone()]);
    m.base.grants.expect_grants_for_groups().times(0);
    m.urls
        .expect_update()
        .times(1)
        .withf(|u| u.status == UrlStatus::Stopped && u.codes.len() == 1)
        .returning(|_| Ok(()));
    m.base
        .expect_audit(AuditAction::RegistrationUrlUpdate, Ok(()));
    let patch = UrlPatch {
        codes: Some(vec![spec("mine42")]),
        status: None,
    };
    service(m)
        .edit(&settings_admin(&w), u.id, patch)
        .await
        .unwrap();
}

#[tokio::test]
async fn p5_a5_list_hides_codes_from_an_actor_who_could_not_publish_the_url() {
    let w = World::new();
    let granted = url_of(w.class_a, UrlStatus::Active);
    let plain = url_of(w.class_b, UrlStatus::Active);
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    let (school, class_a) = (w.school, w.class_a);
    let held = school_grant(&w);
    // The grant the actor lacks is answered for `class_a`'s check only (held by `school`
    // above it); `class_b`'s check finds none.
    m.base
        .grants
        .expect_grants_for_groups()
        .returning(move |g| {
            Ok(if g.contains(&class_a) && g.contains(&school) {
                held.clone()
            } else {
                Vec::new()
            })
        });
    let items = vec![granted.clone(), plain.clone()];
    m.urls.expect_list().returning(move |_, _| {
        Ok(Page {
            items: items.clone(),
            next_cursor: None,
        })
    });
    let s = service(m);
    let page = s
        .list(&settings_admin(&w), None, PageRequest::default())
        .await
        .unwrap();
    assert!(page.items[0].codes_hidden);
    assert!(page.items[0].url.codes.is_empty());
    assert!(!page.items[1].codes_hidden);
    assert_eq!(page.items[1].url.codes.len(), 1);
    let all = s
        .list(&owner(), None, PageRequest::default())
        .await
        .unwrap();
    assert!(
        all.items
            .iter()
            .all(|i| !i.codes_hidden && i.url.codes.len() == 1)
    );
}

#[tokio::test]
async fn a5_bulk_publish_and_stop_refuse_over_a_thousand_items_up_front() {
    let groups: BTreeSet<GroupId> = (0..=MAX_BULK_URLS).map(|_| GroupId::new()).collect();
    let ids: Vec<RegistrationUrlId> = (0..=MAX_BULK_URLS)
        .map(|_| RegistrationUrlId::new())
        .collect();
    let mut m = JoinMocks::new();
    m.base.groups.expect_graph().times(0);
    m.urls.expect_get().times(0);
    m.urls.expect_create().times(0);
    m.urls.expect_set_status().times(0);
    m.base
        .expect_audit(AuditAction::RegistrationUrlCreate, Err("too_many_items"));
    m.base
        .expect_audit(AuditAction::RegistrationUrlStop, Err("too_many_items"));
    let s = service(m);
    let err = s.publish(&owner(), groups, Vec::new()).await.unwrap_err();
    assert_eq!(err.code(), "too_many_items");
    let err = s.stop(&owner(), ids).await.unwrap_err();
    assert_eq!(err.code(), "too_many_items");
}
