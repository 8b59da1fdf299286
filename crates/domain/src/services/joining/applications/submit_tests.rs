//! Tests of applying (A1, A2, A5, A6, M3).

use super::*;
use crate::error::ErrorCode;
use crate::ports::password::PasswordHash;
use crate::ports::registration::CreateApplicationError;
use crate::registration::ThrottleKey;
use crate::registration::url::fixtures::{spec, url};
use crate::registration::{
    ApplicationStatus, AuthCode, AuthCodes, CodeText, RawPassword, RegistrationSettings,
    TokenPurpose, TokenSubject,
};
use crate::services::joining::testing::{
    JoinMocks, config, hash_of, notifications_without, secret,
};
use crate::services::testing::{field, now, user};
use crate::user::{Attributes, FieldType};
use chrono::Duration;

fn open() -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        ..RegistrationSettings::default()
    }
}

fn form() -> ApplicationForm {
    ApplicationForm {
        login_id: "hanako".into(),
        name: "Hanako Sato".into(),
        email: "hanako@example.jp".into(),
        password: RawPassword::new("tall-cedar-river-42".into()),
        attributes: Attributes::new(),
        registration_token: None,
        code: None,
    }
}

fn through(url: &RegistrationUrl, code: Option<&str>) -> ApplicationForm {
    ApplicationForm {
        registration_token: Some(url.token.as_str().to_owned()),
        code: code.map(str::to_owned),
        ..form()
    }
}

/// Registration open, no custom field, a free login ID, every mail on.
fn ready(m: &mut JoinMocks) {
    m.with_registration(open());
    m.base.with_fields(Vec::new());
    m.base
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash::new("$argon2id$h")));
    m.base
        .users
        .expect_get_by_login_id()
        .returning(|_| Ok(None));
    m.applications
        .expect_is_login_id_held()
        .returning(|_| Ok(false));
    m.with_notifications(Default::default());
    m.with_generator();
}

/// The service as a client whose address is unknown (so no throttle counter applies).
struct Anonymous(ApplicationService);

impl Anonymous {
    async fn submit(&self, form: ApplicationForm) -> Result<Submitted, JoiningError> {
        self.0.submit(form, &ClientInfo::default()).await
    }
}

fn service(m: JoinMocks) -> Anonymous {
    let (ports, joining) = m.build();
    Anonymous(ApplicationService::new(&ports, &joining, &config()))
}

async fn refused(m: JoinMocks, form: ApplicationForm) -> JoiningError {
    service(m).submit(form).await.unwrap_err()
}

#[tokio::test]
async fn a2_application_token_and_mail_are_written_in_one_call() {
    let mut m = JoinMocks::new();
    ready(&mut m);
    m.applications
        .expect_create()
        .times(1)
        .withf(|s| {
            let app = &s.application;
            let mail = s.mail.as_ref().unwrap();
            app.status == ApplicationStatus::NotActivated
                && app.login_id.as_str() == "hanako"
                && app.password_hash.expose() == "$argon2id$h"
                && app.group_ids.is_empty()
                && app.applied_at == now()
                && s.used_code == UsedCode::NoneRequired
                && s.activation.purpose == TokenPurpose::Activation
                && s.activation.subject == TokenSubject::Application(app.id)
                && s.activation.token_hash == hash_of(&secret(1))
                && s.activation.expires_at == now() + Duration::days(7)
                && mail.kind() == MailKind::Activation
                && mail.to().as_str() == "hanako@example.jp"
                && mail.variables()["link"]
                    == format!("https://lms.example.com/activate/{}", secret(1))
        })
        .returning(|_| Ok(()));
    let submitted = service(m).submit(form()).await.unwrap();
    assert_eq!(submitted.activation_link, None);
    assert_eq!(submitted.activation_expires_at, now() + Duration::days(7));
}

#[tokio::test]
async fn a1_closed_registration_refuses_even_through_a_url() {
    for f in [form(), through(&url(vec![]), None)] {
        let mut m = JoinMocks::new();
        m.with_registration(RegistrationSettings::default());
        m.urls.expect_find_by_token().times(0);
        m.applications.expect_create().times(0);
        assert_eq!(refused(m, f).await.code(), "registration_closed");
    }
}

#[tokio::test]
async fn a2_u8_every_field_problem_is_reported_at_once() {
    let mut m = JoinMocks::new();
    m.with_registration(open());
    m.base.with_fields(vec![
        field("student_no", FieldType::Text, true, true),
        field("memo", FieldType::Text, false, false),
    ]);
    m.base.hasher.expect_hash().times(0);
    m.applications.expect_create().times(0);
    let mut f = form();
    f.password = RawPassword::new("hanako".into());
    f.attributes = [("memo".to_owned(), "x".to_owned())].into();
    let JoiningError::Invalid(errors) = refused(m, f).await else {
        panic!("expected validation errors");
    };
    let got: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            ("memo", "field_not_on_registration_form"),
            ("student_no", "field_required"),
            ("password", "password_too_short"),
        ]
    );
}

#[tokio::test]
async fn a2_bad_form_fields_are_reported_together() {
    let mut m = JoinMocks::new();
    m.with_registration(open());
    m.base.with_fields(Vec::new());
    m.applications.expect_create().times(0);
    let mut f = form();
    f.login_id = " ".into();
    f.email = "nope".into();
    let err = refused(m, f).await;
    assert_eq!(err.code(), "validation_failed");
    let JoiningError::Invalid(errors) = err else {
        unreachable!()
    };
    assert_eq!(errors.len(), 2);
}

#[tokio::test]
async fn a6_taken_login_id_is_refused_with_one_answer_after_hashing() {
    let mut answers = Vec::new();
    for (by_user, by_application) in [(true, false), (false, true)] {
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        m.base
            .hasher
            .expect_hash()
            .times(1)
            .returning(|_| Ok(PasswordHash::new("h")));
        m.base
            .users
            .expect_get_by_login_id()
            .returning(move |l| Ok(by_user.then(|| user(l.as_str()))));
        m.applications
            .expect_is_login_id_held()
            .returning(move |_| Ok(by_application));
        m.applications.expect_create().times(0);
        let err = refused(m, form()).await;
        answers.push((err.code(), err.to_string()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, "login_id_taken");
}

#[tokio::test]
async fn a6_an_email_in_use_answers_like_a_fresh_one() {
    let mut answers = Vec::new();
    for (email, in_use) in [("fresh@example.jp", false), ("taken@example.jp", true)] {
        let mut m = JoinMocks::new();
        ready(&mut m);
        // The store knows an account with the taken address: whatever lookup the service
        // might make finds it, and the answer must still not differ.
        m.base.users.expect_find_by_email().returning(move |e, _| {
            let mut holder = user("holder");
            holder.email = Some(e.clone());
            Ok(if in_use { vec![holder] } else { Vec::new() })
        });
        m.base.users.expect_list().times(0);
        m.applications
            .expect_create()
            .times(1)
            .withf(|s| s.mail.is_some())
            .returning(|_| Ok(()));
        let mut f = form();
        f.email = email.into();
        let s = service(m).submit(f).await.unwrap();
        answers.push((s.activation_expires_at, s.activation_link));
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn m3_activation_mail_off_hands_the_link_to_the_caller() {
    let mut m = JoinMocks::new();
    ready(&mut m);
    m.notifications.checkpoint();
    m.with_notifications(notifications_without(MailKind::Activation));
    m.applications
        .expect_create()
        .times(1)
        .withf(|s| s.mail.is_none())
        .returning(|_| Ok(()));
    let submitted = service(m).submit(form()).await.unwrap();
    let link = format!("https://lms.example.com/activate/{}", secret(1));
    assert_eq!(submitted.activation_link, Some(link));
}

#[tokio::test]
async fn a5_application_through_a_url_joins_its_group_and_counts_the_code() {
    let u = url(vec![spec("abcd12")]);
    let mut m = JoinMocks::new();
    ready(&mut m);
    let stored = u.clone();
    m.urls
        .expect_find_by_token()
        .times(1)
        .returning(move |_| Ok(Some(stored.clone())));
    let (group, url_id) = (u.group_id, u.id);
    m.applications
        .expect_create()
        .times(1)
        .withf(move |s| {
            s.application.group_ids == [group].into()
                && s.application.registration_url_id == Some(url_id)
                && s.used_code == UsedCode::Code(CodeText::parse("abcd12").unwrap())
        })
        .returning(|_| Ok(()));
    service(m)
        .submit(through(&u, Some(" abcd12 ")))
        .await
        .unwrap();
}

/// A URL whose only code `abcd12` expires now, and one whose only code is used up.
fn limited_urls() -> (RegistrationUrl, RegistrationUrl) {
    let code = || CodeText::parse("abcd12").unwrap();
    let mut expired = url(vec![]);
    expired.codes =
        AuthCodes::new(vec![AuthCode::new(code(), Some(now()), None).unwrap()]).unwrap();
    let mut used_up = url(vec![]);
    used_up.codes =
        AuthCodes::new(vec![AuthCode::restore(code(), None, Some(2), 2).unwrap()]).unwrap();
    (expired, used_up)
}

#[tokio::test]
async fn a5_stopped_url_and_each_code_refusal_write_nothing() {
    let mut stopped = url(vec![]);
    stopped.stop();
    let coded = url(vec![spec("abcd12")]);
    let (expired, used_up) = limited_urls();
    let cases = [
        (stopped, None, "registration_url_stopped"),
        (coded.clone(), None, "registration_code_required"),
        (coded, Some("abce12"), "registration_code_invalid"),
        (expired, Some("abcd12"), "registration_code_expired"),
        (used_up, Some("abcd12"), "registration_code_used_up"),
    ];
    for (u, code, want) in cases {
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        let stored = u.clone();
        m.urls
            .expect_find_by_token()
            .returning(move |_| Ok(Some(stored.clone())));
        m.base.hasher.expect_hash().times(0);
        m.applications.expect_create().times(0);
        assert_eq!(refused(m, through(&u, code)).await.code(), want);
    }
}

#[tokio::test]
async fn a5_unknown_or_malformed_registration_token_is_not_found() {
    for (token, lookups) in [("AAAAAAAAAAAAAAAAAAAAAAAA", 1), ("../etc", 0)] {
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        m.urls
            .expect_find_by_token()
            .times(lookups)
            .returning(|_| Ok(None));
        m.applications.expect_create().times(0);
        let mut f = form();
        f.registration_token = Some(token.into());
        assert_eq!(refused(m, f).await.code(), "registration_url_not_found");
    }
}

#[tokio::test]
async fn a5_last_code_use_taken_meanwhile_is_the_stores_refusal() {
    let u = url(vec![spec("abcd12")]);
    let mut m = JoinMocks::new();
    ready(&mut m);
    let stored = u.clone();
    m.urls
        .expect_find_by_token()
        .returning(move |_| Ok(Some(stored.clone())));
    m.applications
        .expect_create()
        .times(1)
        .returning(|_| Err(CreateApplicationError::Url(UrlRefusal::CodeUsedUp)));
    let err = service(m)
        .submit(through(&u, Some("abcd12")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "registration_code_used_up");
}

#[tokio::test]
async fn a2_u8_form_fields_are_those_on_the_form() {
    let mut m = JoinMocks::new();
    m.base.with_fields(vec![
        field("student_no", FieldType::Text, true, true),
        field("memo", FieldType::Text, false, false),
    ]);
    let fields = service(m).0.form_fields().await.unwrap();
    let keys: Vec<_> = fields.iter().map(|f| f.key().as_str()).collect();
    assert_eq!(keys, ["student_no"]);
}

fn from_address() -> ClientInfo {
    ClientInfo {
        ip: Some(std::net::IpAddr::from([192, 0, 2, 7])),
        user_agent: None,
    }
}

fn address_key() -> ThrottleKey {
    ThrottleKey::address(std::net::IpAddr::from([192, 0, 2, 7]))
}

/// The address has `count` failures in the window, the last one a second ago.
fn with_failures(m: &mut JoinMocks, count: u32) {
    m.throttle.expect_failures_since().returning(move |k, _| {
        assert_eq!(*k, address_key());
        Ok(crate::ports::sessions::FailureCount {
            count,
            last_at: Some(now() - Duration::seconds(1)),
        })
    });
}

async fn submitted_from_address(
    m: JoinMocks,
    form: ApplicationForm,
) -> Result<Submitted, JoiningError> {
    let (ports, joining) = m.build();
    let s = ApplicationService::new(&ports, &joining, &config());
    s.submit(form, &from_address()).await
}

#[tokio::test]
async fn s3_a6_locked_address_is_refused_before_anything_is_checked() {
    let mut m = JoinMocks::new();
    with_failures(&mut m, 20);
    m.registration.expect_get().times(0);
    m.urls.expect_find_by_token().times(0);
    m.base.hasher.expect_hash().times(0);
    m.applications.expect_create().times(0);
    m.throttle.expect_record_failure().times(0);
    let u = url(vec![spec("abcd12")]);
    let err = submitted_from_address(m, through(&u, Some("abcd12")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "too_many_attempts");
}

#[tokio::test]
async fn s3_a5_each_code_refusal_counts_a_failure_for_the_address() {
    let coded = url(vec![spec("abcd12")]);
    let (expired, used_up) = limited_urls();
    for (u, code) in [(coded, "abce12"), (expired, "abcd12"), (used_up, "abcd12")] {
        let mut m = JoinMocks::new();
        with_failures(&mut m, 3);
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        let stored = u.clone();
        m.urls
            .expect_find_by_token()
            .returning(move |_| Ok(Some(stored.clone())));
        m.applications.expect_create().times(0);
        m.throttle
            .expect_record_failure()
            .times(1)
            .withf(|k, at| *k == address_key() && *at == now())
            .returning(|_, _| Ok(()));
        let err = submitted_from_address(m, through(&u, Some(code)))
            .await
            .unwrap_err();
        assert!(
            err.code().starts_with("registration_code_"),
            "{}",
            err.code()
        );
    }
}

#[tokio::test]
async fn s3_a6_taken_login_id_counts_a_failure_for_the_address() {
    let mut m = JoinMocks::new();
    with_failures(&mut m, 0);
    m.with_registration(open());
    m.base.with_fields(Vec::new());
    m.base
        .hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash::new("h")));
    m.base
        .users
        .expect_get_by_login_id()
        .returning(|l| Ok(Some(user(l.as_str()))));
    m.applications
        .expect_is_login_id_held()
        .returning(|_| Ok(false));
    m.applications.expect_create().times(0);
    m.throttle
        .expect_record_failure()
        .times(1)
        .withf(|k, _| *k == address_key())
        .returning(|_, _| Ok(()));
    let err = submitted_from_address(m, form()).await.unwrap_err();
    assert_eq!(err.code(), "login_id_taken");
}

#[tokio::test]
async fn s3_a2_form_mistakes_and_successes_count_nothing() {
    let mut m = JoinMocks::new();
    with_failures(&mut m, 19);
    m.with_registration(open());
    m.base.with_fields(Vec::new());
    m.throttle.expect_record_failure().times(0);
    let mut bad = form();
    bad.email = "not an address".into();
    let err = submitted_from_address(m, bad).await.unwrap_err();
    assert_eq!(err.code(), "validation_failed");

    let mut m = JoinMocks::new();
    ready(&mut m);
    with_failures(&mut m, 19);
    m.throttle.expect_record_failure().times(0);
    m.applications.expect_create().returning(|_| Ok(()));
    submitted_from_address(m, form()).await.unwrap();
}

#[test]
fn a5_s3_codes_have_at_least_six_characters() {
    assert_eq!(crate::registration::code::CODE_MIN_CHARS, 6);
    assert!(CodeText::parse("abcde").is_err());
    assert!(CodeText::parse("abcdef").is_ok());
}
