//! The dispatcher over mocked ports: what each outcome settles as (M4).

use super::*;
use crate::ports::delivery::{MailClaim, MockMailOutbox, MockMailTransport};
use crate::ports::mail::MockTemplateStore;
use crate::ports::templates::{MockTemplateRenderer, RenderedMail};
use crate::registration::{MailKind, OutgoingMail, TemplateError};
use crate::user::Email;
use chrono::TimeZone;
use std::collections::BTreeMap;
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 3, 0, 0).unwrap()
}

fn claimed(attempt: u32) -> ClaimedMail {
    let vars = BTreeMap::from([
        ("name".to_owned(), "Sato".to_owned()),
        ("link".to_owned(), "https://x/invite/TOKEN".to_owned()),
    ]);
    ClaimedMail {
        claim: MailClaim {
            id: Uuid::now_v7(),
            attempt,
        },
        mail: OutgoingMail::new(
            Email::parse("sato@example.com").unwrap(),
            MailKind::Invitation,
            vars,
        )
        .unwrap(),
    }
}

struct Mocks {
    outbox: MockMailOutbox,
    templates: MockTemplateStore,
    renderer: MockTemplateRenderer,
    transport: MockMailTransport,
}

impl Mocks {
    /// One claimed mail at attempt `attempt`; the built-in template; a renderer echoing the
    /// link into the body.
    fn with_one(attempt: u32) -> Self {
        let mut outbox = MockMailOutbox::new();
        outbox
            .expect_claim_due()
            .withf(|now, limit, lease| {
                *now == t0() && *limit == 10 && *lease == Duration::minutes(10)
            })
            .times(1)
            .returning(move |_, _, _| Ok(vec![claimed(attempt)]));
        let mut templates = MockTemplateStore::new();
        templates.expect_get().returning(|_| Ok(None));
        let mut renderer = MockTemplateRenderer::new();
        renderer.expect_render().returning(|t, vars| {
            assert_eq!(t, &EmailTemplate::default_for(MailKind::Invitation));
            Ok(RenderedMail {
                subject: "Invited".into(),
                body: vars["link"].clone(),
            })
        });
        Self {
            outbox,
            templates,
            renderer,
            transport: MockMailTransport::new(),
        }
    }

    fn expect_settle(&mut self, check: impl Fn(&Settlement) -> bool + Send + 'static) {
        self.outbox
            .expect_settle()
            .withf(move |_, s| check(s))
            .times(1)
            .returning(|_, _| Ok(true));
    }

    async fn run(self) -> DeliveryCounts {
        let policy = RetryPolicy {
            max_attempts: 3,
            first_delay: Duration::minutes(1),
            max_delay: Duration::hours(1),
        };
        let dispatcher = MailDispatcher::new(
            MailDispatchPorts {
                outbox: Arc::new(self.outbox),
                templates: Arc::new(self.templates),
                renderer: Arc::new(self.renderer),
                transport: Arc::new(self.transport),
            },
            policy,
        );
        dispatcher.deliver_due(t0(), 10).await.unwrap()
    }
}

#[tokio::test]
async fn m1_sent_mail_is_rendered_with_the_template_in_force_and_settled_sent() {
    let mut m = Mocks::with_one(1);
    m.transport
        .expect_send()
        .withf(|msg| {
            msg.to.as_str() == "sato@example.com"
                && msg.subject == "Invited"
                && msg.body == "https://x/invite/TOKEN"
        })
        .times(1)
        .returning(|_| Ok(()));
    m.expect_settle(|s| *s == Settlement::Sent { at: t0() });
    assert_eq!(m.run().await, DeliveryCounts { sent: 1, failed: 0 });
}

#[tokio::test]
async fn m4_transient_failure_is_retried_later_with_its_error() {
    let mut m = Mocks::with_one(2);
    m.transport
        .expect_send()
        .returning(|_| Err(TransportError::Transient("smtp: connection refused".into())));
    m.expect_settle(|s| {
        *s == Settlement::Retry {
            next_attempt_at: t0() + Duration::minutes(2),
            error: "smtp: connection refused".into(),
        }
    });
    assert_eq!(m.run().await, DeliveryCounts { sent: 0, failed: 1 });
}

#[tokio::test]
async fn m4_last_attempt_and_permanent_refusal_give_up_visibly() {
    let mut m = Mocks::with_one(3);
    m.transport
        .expect_send()
        .returning(|_| Err(TransportError::Transient("smtp: timed out".into())));
    m.expect_settle(|s| {
        matches!(s, Settlement::GiveUp { error } if error == "gave up after 3 attempts: smtp: timed out")
    });
    assert_eq!(m.run().await.failed, 1);

    let mut m = Mocks::with_one(1);
    m.transport
        .expect_send()
        .returning(|_| Err(TransportError::Permanent("smtp: 550 no such user".into())));
    m.expect_settle(
        |s| matches!(s, Settlement::GiveUp { error } if error == "smtp: 550 no such user"),
    );
    assert_eq!(m.run().await.failed, 1);
}

#[tokio::test]
async fn m4_a_template_that_no_longer_renders_keeps_the_mail_queued() {
    let mut m = Mocks::with_one(1);
    m.renderer = MockTemplateRenderer::new();
    m.renderer
        .expect_render()
        .returning(|_, _| Err(TemplateError::UnknownVariable("login_url".into())));
    m.transport.expect_send().times(0);
    m.expect_settle(|s| {
        matches!(s, Settlement::Retry { error, .. }
            if error == "the invitation template does not render: template_unknown_variable")
    });
    assert_eq!(m.run().await.failed, 1);
}

#[tokio::test]
async fn m4_an_unreadable_queue_is_an_error_not_a_silent_success() {
    let mut outbox = MockMailOutbox::new();
    outbox
        .expect_claim_due()
        .returning(|_, _, _| Err(MailStoreError::Unexpected(crate::Unexpected::new("down"))));
    let m = Mocks {
        outbox,
        templates: MockTemplateStore::new(),
        renderer: MockTemplateRenderer::new(),
        transport: MockMailTransport::new(),
    };
    let dispatcher = MailDispatcher::new(
        MailDispatchPorts {
            outbox: Arc::new(m.outbox),
            templates: Arc::new(m.templates),
            renderer: Arc::new(m.renderer),
            transport: Arc::new(m.transport),
        },
        RetryPolicy::default(),
    );
    assert!(dispatcher.deliver_due(t0(), 10).await.is_err());
}
