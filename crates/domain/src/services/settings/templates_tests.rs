//! Tests of email templates (M2, P4, Z1).

use super::super::testing::SettingsMocks;
use super::*;
use crate::authz::Scope;
use crate::error::ErrorCode;
use crate::registration::TemplateError;
use crate::services::testing::{World, admin, owner};
use std::collections::BTreeSet;

fn editor() -> Actor {
    admin(Privilege::AdminEmailTemplates, Scope::All)
}

/// A renderer that finds `{{ name }}` placeholders and substitutes them.
fn renderer(m: &mut SettingsMocks) {
    m.renderer.expect_variables().returning(|t| {
        let mut used = BTreeSet::new();
        for text in [t.subject(), t.body()] {
            for part in text.split("{{").skip(1) {
                if let Some(name) = part.split("}}").next() {
                    used.insert(name.trim().to_owned());
                }
            }
        }
        Ok(used)
    });
    m.renderer.expect_render().returning(|t, vars| {
        let fill = |text: &str| {
            vars.iter().fold(text.to_owned(), |acc, (k, v)| {
                acc.replace(&format!("{{{{ {k} }}}}"), v)
            })
        };
        Ok(RenderedMail {
            subject: fill(t.subject()),
            body: fill(t.body()),
        })
    });
}

#[tokio::test]
async fn m2_templates_list_every_kind_with_defaults() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    let saved = EmailTemplate::new(MailKind::Activation, "Hi", "{{ link }}").unwrap();
    m.templates
        .expect_get()
        .returning(move |k| Ok((k == MailKind::Activation).then(|| saved.clone())));
    let views = m.service().templates(&editor()).await.unwrap();
    assert_eq!(views.len(), MailKind::ALL.len());
    let customized: Vec<_> = views
        .iter()
        .filter(|v| v.customized)
        .map(|v| v.template.kind())
        .collect();
    assert_eq!(customized, [MailKind::Activation]);
    assert_eq!(
        views[0].template,
        EmailTemplate::default_for(MailKind::Invitation)
    );
}

#[tokio::test]
async fn m2_valid_template_is_saved_and_audited() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    renderer(&mut m);
    m.templates
        .expect_put()
        .times(1)
        .withf(|t| t.kind() == MailKind::Invitation && t.subject() == "Welcome {{ name }}")
        .returning(|_| Ok(()));
    m.base.expect_audit(AuditAction::TemplateUpdate, Ok(()));
    m.service()
        .put_template(
            &editor(),
            MailKind::Invitation,
            "Welcome {{ name }}",
            "Set your password: {{ link }}",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn m2_template_refusals_save_nothing() {
    let w = World::new();
    let cases: [(&str, &str, &str); 3] = [
        ("Hi", "{{ link }}", "template_unknown_variable"),
        (
            "Hi\r\nBcc: x@example.com",
            "body",
            "template_subject_control_character",
        ),
        ("Hi", "{% broken", "template_syntax"),
    ];
    for (subject, body, code) in cases {
        let mut m = SettingsMocks::new(&w);
        m.renderer.expect_variables().returning(|t| {
            if t.body().contains("{%") {
                Err(TemplateError::Syntax("unclosed block".into()))
            } else {
                Ok(BTreeSet::from(["link".to_owned()]))
            }
        });
        m.renderer.expect_render().times(0);
        m.templates.expect_put().times(0);
        m.base.expect_audit(AuditAction::TemplateUpdate, Err(code));
        let err = m
            .service()
            .put_template(&owner(), MailKind::ApplicationNotApproved, subject, body)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code);
    }
}

#[tokio::test]
async fn m2_template_that_does_not_render_is_refused() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    m.renderer
        .expect_variables()
        .returning(|_| Ok(BTreeSet::from(["name".to_owned()])));
    m.renderer
        .expect_render()
        .times(1)
        .returning(|_, _| Err(TemplateError::Syntax("filter not allowed".into())));
    m.templates.expect_put().times(0);
    m.base
        .expect_audit(AuditAction::TemplateUpdate, Err("template_syntax"));
    let err = m
        .service()
        .put_template(&owner(), MailKind::Invitation, "Hi", "{{ name | shell }}")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "template_syntax");
}

#[tokio::test]
async fn m2_p4_only_template_editors_with_scope_all() {
    let w = World::new();
    for a in [
        admin(Privilege::AdminSettings, Scope::All),
        admin(
            Privilege::AdminEmailTemplates,
            Scope::groups([w.school]).unwrap(),
        ),
    ] {
        let mut m = SettingsMocks::new(&w);
        m.templates.expect_put().times(0);
        m.templates.expect_get().times(0);
        m.base
            .expect_audit(AuditAction::TemplateUpdate, Err("forbidden"));
        let s = m.service();
        let err = s
            .put_template(&a, MailKind::Invitation, "Hi", "{{ link }}")
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
        let err = s.template(&a, MailKind::Invitation).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}

#[tokio::test]
async fn m2_preview_renders_the_template_in_force_or_a_draft_with_samples() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    renderer(&mut m);
    m.templates.expect_get().returning(|_| Ok(None));
    m.templates.expect_put().times(0);
    let s = m.service();
    let shown = s
        .preview_template(&editor(), MailKind::PasswordReset, None)
        .await
        .unwrap();
    assert_eq!(shown.subject, "[Roster LMS] Reset your password");
    assert!(shown.body.contains("Hanako Sato"));
    let draft = s
        .preview_template(
            &editor(),
            MailKind::ApplicationApproved,
            Some(("Hello {{ login_id }}", "Go to {{ login_url }}")),
        )
        .await
        .unwrap();
    assert_eq!(draft.subject, "Hello hanako");
    assert_eq!(draft.body, "Go to https://lms.example.com/login");
}

#[tokio::test]
async fn m2_reset_brings_back_the_built_in_template() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    m.templates
        .expect_reset()
        .withf(|k| *k == MailKind::Activation)
        .times(1)
        .returning(|_| Ok(()));
    m.base.expect_audit(AuditAction::TemplateUpdate, Ok(()));
    let t = m
        .service()
        .reset_template(&editor(), MailKind::Activation)
        .await
        .unwrap();
    assert_eq!(t, EmailTemplate::default_for(MailKind::Activation));
}

#[tokio::test]
async fn m2_one_kind_and_its_variables() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    m.templates.expect_get().returning(|_| Ok(None));
    let view = m
        .service()
        .template(&editor(), MailKind::ApplicationApproved)
        .await
        .unwrap();
    assert!(!view.customized);
    assert_eq!(
        view.variables,
        ["site_name", "name", "login_id", "login_url"]
    );
}

#[tokio::test]
async fn m2_preview_refusals_render_nothing() {
    let w = World::new();
    let mut m = SettingsMocks::new(&w);
    m.renderer
        .expect_variables()
        .returning(|_| Ok(BTreeSet::from(["password".to_owned()])));
    m.renderer.expect_render().times(0);
    let s = m.service();
    let err = s
        .preview_template(
            &editor(),
            MailKind::Invitation,
            Some(("Hi", "{{ password }}")),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "template_unknown_variable");
    let viewer = admin(Privilege::UsersView, Scope::All);
    let err = s
        .preview_template(&viewer, MailKind::Invitation, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}
