//! Tests of invitations (U5).

use super::*;
use crate::authz::Scope;
use crate::error::ErrorCode;
use crate::ports::password::PasswordHash;
use crate::registration::TokenLifetimes;
use crate::services::joining::testing::{
    JoinMocks, config, hash_of, notifications_without, secret,
};
use crate::services::testing::{World, admin, grant_to, now, owner, user};
use crate::user::Email;
use chrono::Duration;
use mockall::predicate::eq;
use std::sync::{Arc, Mutex};

fn invited() -> User {
    let mut u = user("invited");
    u.status = UserStatus::Pending;
    u.has_password = false;
    u.email = Some(Email::parse("invited@example.com").unwrap());
    u
}

fn school_editor(w: &World) -> Actor {
    admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap())
}

/// The user in class A, holding no grant, and the generator.
fn managed(w: &World, m: &mut JoinMocks, u: &User) {
    m.base.with_managed(&w.graph, u, [w.class_a].into());
    m.with_generator();
}

fn service(m: JoinMocks) -> InvitationService {
    let (ports, joining) = m.build();
    InvitationService::new(&ports, &joining, &config())
}

#[tokio::test]
async fn u5_invite_issues_the_token_and_its_mail_in_one_call() {
    let w = World::new();
    let u = invited();
    let mut m = JoinMocks::new();
    managed(&w, &mut m, &u);
    m.with_notifications(Default::default());
    let id = u.id;
    m.tokens
        .expect_issue()
        .times(1)
        .withf(move |t, outbox| {
            let link = format!("https://lms.example.com/invite/{}", secret(1));
            t.purpose == TokenPurpose::Invitation
                && t.subject == TokenSubject::User(id)
                && t.token_hash == hash_of(&secret(1))
                && t.expires_at == now() + Duration::days(7)
                && outbox.len() == 1
                && outbox[0].kind() == MailKind::Invitation
                && outbox[0].to().as_str() == "invited@example.com"
                && outbox[0].variables()["link"] == link
        })
        .returning(|_, _| Ok(()));
    m.base.expect_audit(AuditAction::UserInvite, Ok(()));
    let sent = service(m).invite(&school_editor(&w), u.id).await.unwrap();
    assert_eq!(sent.link, None, "the link went by mail only");
    assert_eq!(sent.expires_at, now() + Duration::days(7));
}

#[tokio::test]
async fn u5_m3_invitation_mail_off_hands_the_link_to_the_administrator() {
    let w = World::new();
    let u = invited();
    let mut m = JoinMocks::new();
    managed(&w, &mut m, &u);
    m.with_notifications(notifications_without(MailKind::Invitation));
    m.tokens
        .expect_issue()
        .times(1)
        .withf(|_, outbox| outbox.is_empty())
        .returning(|_, _| Ok(()));
    m.base.expect_audit(AuditAction::UserInvite, Ok(()));
    let sent = service(m).invite(&owner(), u.id).await.unwrap();
    let link = format!("https://lms.example.com/invite/{}", secret(1));
    assert_eq!(sent.link.as_deref(), Some(link.as_str()));
    assert!(!format!("{sent:?}").contains("secret-1"));
}

/// A token store that keeps one live invitation per user, as the port's contract says.
fn one_live_token(m: &mut JoinMocks) {
    let live: Arc<Mutex<Option<OneTimeToken>>> = Arc::default();
    let stored = live.clone();
    m.tokens.expect_issue().times(2).returning(move |t, _| {
        *stored.lock().unwrap() = Some(t.clone());
        Ok(())
    });
    let read = live.clone();
    m.tokens
        .expect_find()
        .returning(move |h| Ok(read.lock().unwrap().clone().filter(|t| t.token_hash == *h)));
}

#[tokio::test]
async fn u5_resent_invitation_supersedes_the_old_link() {
    let w = World::new();
    let u = invited();
    let mut m = JoinMocks::new();
    managed(&w, &mut m, &u);
    m.with_notifications(Default::default());
    one_live_token(&mut m);
    m.base.audit.expect_record().times(2).returning(|_| Ok(()));
    m.base
        .users
        .expect_is_live_integration_source()
        .returning(|_| Ok(false));
    m.base
        .hasher
        .expect_hash()
        .times(1)
        .returning(|_| Ok(PasswordHash::new("h")));
    m.tokens
        .expect_redeem()
        .with(
            eq(hash_of(&secret(2))),
            eq(TokenPurpose::Invitation),
            eq(now()),
        )
        .times(1)
        .returning(move |_, _, _| Ok(TokenSubject::User(u.id)));
    m.base
        .credentials
        .expect_set_password_hash()
        .times(1)
        .returning(|_, _, _| Ok(()));
    let s = service(m);
    let a = school_editor(&w);
    s.invite(&a, u.id).await.unwrap();
    s.invite(&a, u.id).await.unwrap();
    let old = s
        .accept_invitation(&secret(1), PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap_err();
    assert_eq!(old.code(), "token_invalid");
    s.accept_invitation(&secret(2), PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap();
}

#[tokio::test]
async fn u5_only_pending_users_are_invited() {
    let w = World::new();
    let mut u = invited();
    u.status = UserStatus::Valid;
    u.has_password = true;
    let mut m = JoinMocks::new();
    managed(&w, &mut m, &u);
    m.tokens.expect_issue().times(0);
    m.base
        .expect_audit(AuditAction::UserInvite, Err("not_pending"));
    let err = service(m).invite(&owner(), u.id).await.unwrap_err();
    assert_eq!(err.code(), "not_pending");
}

#[tokio::test]
async fn u5_invitation_needs_an_email() {
    let w = World::new();
    let mut u = invited();
    u.email = None;
    let mut m = JoinMocks::new();
    managed(&w, &mut m, &u);
    m.tokens.expect_issue().times(0);
    m.base
        .expect_audit(AuditAction::UserInvite, Err("email_required"));
    let err = service(m).invite(&owner(), u.id).await.unwrap_err();
    assert_eq!(err.code(), "email_required");
}

#[tokio::test]
async fn p4_viewer_and_out_of_scope_editor_cannot_invite() {
    let w = World::new();
    let u = invited();
    for (a, code) in [
        (admin(Privilege::UsersView, Scope::All), "forbidden"),
        (
            admin(Privilege::UsersEdit, Scope::groups([w.class_b]).unwrap()),
            "not_found",
        ),
    ] {
        let mut m = JoinMocks::new();
        managed(&w, &mut m, &u);
        m.tokens.expect_issue().times(0);
        m.base.expect_audit(AuditAction::UserInvite, Err(code));
        let err = service(m).invite(&a, u.id).await.unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn p5_cannot_invite_a_user_holding_more() {
    let w = World::new();
    let u = invited();
    let mut m = JoinMocks::new();
    m.base.with_graph(&w.graph);
    m.base.with_user(&u, [w.class_a].into());
    m.base.with_grants_of(
        u.id,
        vec![grant_to(u.id, Privilege::AdminSettings, Scope::All)],
    );
    m.tokens.expect_issue().times(0);
    m.base
        .expect_audit(AuditAction::UserInvite, Err("target_holds_more"));
    let err = service(m)
        .invite(&school_editor(&w), u.id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "target_holds_more");
}

fn invitation_for(u: &User, presented: &str) -> OneTimeToken {
    OneTimeToken::invitation(
        u.id,
        hash_of(presented),
        &TokenLifetimes::default(),
        now() - Duration::days(1),
    )
}

#[tokio::test]
async fn u5_accepting_sets_the_password_and_activates() {
    let u = invited();
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_stored_token("link-secret", invitation_for(&u, "link-secret"));
    m.base.with_user(&u, [].into());
    m.base
        .users
        .expect_is_live_integration_source()
        .with(eq(u.id))
        .times(1)
        .returning(|_| Ok(false));
    m.base
        .hasher
        .expect_hash()
        .withf(|p| p.expose() == "maple-syrup-lantern")
        .times(1)
        .returning(|_| Ok(PasswordHash::new("h")));
    let id = u.id;
    m.tokens
        .expect_redeem()
        .with(
            eq(hash_of("link-secret")),
            eq(TokenPurpose::Invitation),
            eq(now()),
        )
        .times(1)
        .returning(move |_, _, _| Ok(TokenSubject::User(id)));
    m.base
        .credentials
        .expect_set_password_hash()
        .with(eq(u.id), eq(PasswordHash::new("h")), eq(true))
        .times(1)
        .returning(|_, _, _| Ok(()));
    service(m)
        .accept_invitation("link-secret", PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap();
}

#[tokio::test]
async fn u5_weak_password_is_refused_and_the_link_stays_usable() {
    let u = invited();
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_stored_token("link-secret", invitation_for(&u, "link-secret"));
    m.base.with_user(&u, [].into());
    m.base
        .users
        .expect_is_live_integration_source()
        .returning(|_| Ok(false));
    m.base.hasher.expect_hash().times(0);
    m.tokens.expect_redeem().times(0);
    m.base.credentials.expect_set_password_hash().times(0);
    let err = service(m)
        .accept_invitation("link-secret", PlainPassword::new("invited"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
}

#[tokio::test]
async fn u5_unknown_used_and_foreign_links_give_one_answer() {
    let u = invited();
    let mut used = invitation_for(&u, "used");
    used.used_at = Some(now());
    let reset =
        OneTimeToken::password_reset(u.id, hash_of("reset"), &TokenLifetimes::default(), now());
    let mut answers = Vec::new();
    for (presented, stored) in [
        ("unknown", None),
        ("used", Some(used)),
        ("reset", Some(reset)),
    ] {
        let mut m = JoinMocks::new();
        m.with_generator();
        if let Some(token) = stored {
            m.with_stored_token(presented, token);
        } else {
            m.tokens.expect_find().returning(|_| Ok(None));
        }
        m.tokens.expect_redeem().times(0);
        m.base.credentials.expect_set_password_hash().times(0);
        let err = service(m)
            .accept_invitation(presented, PlainPassword::new("maple-syrup-lantern"))
            .await
            .unwrap_err();
        answers.push((err.code(), err.to_string()));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, "token_invalid");
}

#[tokio::test]
async fn u5_expired_link_says_so() {
    let u = invited();
    let mut token = invitation_for(&u, "old");
    token.expires_at = now();
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_stored_token("old", token);
    m.tokens.expect_redeem().times(0);
    let err = service(m)
        .accept_invitation("old", PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "token_expired");
}

#[tokio::test]
async fn u5_link_of_a_user_no_longer_pending_is_invalid() {
    let mut u = invited();
    u.status = UserStatus::Invalid;
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_stored_token("link-secret", invitation_for(&u, "link-secret"));
    m.base.with_user(&u, [].into());
    m.tokens.expect_redeem().times(0);
    m.base.credentials.expect_set_password_hash().times(0);
    let err = service(m)
        .accept_invitation("link-secret", PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "token_invalid");
}

#[tokio::test]
async fn i7_pending_integration_source_cannot_accept_and_nothing_is_written() {
    let u = invited();
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_stored_token("link-secret", invitation_for(&u, "link-secret"));
    m.base.with_user(&u, [].into());
    m.base
        .users
        .expect_is_live_integration_source()
        .with(eq(u.id))
        .times(1)
        .returning(|_| Ok(true));
    m.base.hasher.expect_hash().times(0);
    m.tokens.expect_redeem().times(0);
    m.base.credentials.expect_set_password_hash().times(0);
    let err = service(m)
        .accept_invitation("link-secret", PlainPassword::new("maple-syrup-lantern"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        "token_invalid",
        "public: nothing about integrations"
    );
}
