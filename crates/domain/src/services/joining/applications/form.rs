//! A2, A5, U8 (public): what the registration form asks for, before anyone applies — the
//! custom fields marked for the form and whether the URL wants an authentication code.
//!
//! Enumeration (A6): this answers only what the form needs and what anyone holding the
//! link sees anyway — registration closed, the URL unknown or stopped, a code wanted. It
//! never names the group, the codes or how many uses are left.

use super::{ApplicationService, JoiningError};
use crate::registration::{UrlRefusal, UrlStatus, UrlToken, check_open};
use crate::user::FieldDefinition;

/// What the registration form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationForm {
    /// The custom fields the form asks for, in display order (U8).
    pub fields: Vec<FieldDefinition>,
    /// The URL has authentication codes: the form asks for one (A5).
    pub asks_code: bool,
}

impl ApplicationService {
    /// A2, A5 (public): the form for `/register` (`token` `None`) or for the registration
    /// URL with this token. Errors: `registration_closed` (A1); `registration_url_not_found`,
    /// `registration_url_stopped` (A5); `unexpected`.
    pub async fn registration_form(
        &self,
        token: Option<&str>,
    ) -> Result<RegistrationForm, JoiningError> {
        let cx = &self.cx;
        check_open(&cx.registration.get().await?)?;
        let asks_code = match token.map(str::trim).filter(|t| !t.is_empty()) {
            None => false,
            Some(raw) => {
                let token = UrlToken::parse(raw).map_err(|_| UrlRefusal::NotFound)?;
                let url = cx
                    .urls
                    .find_by_token(&token)
                    .await?
                    .ok_or(UrlRefusal::NotFound)?;
                if url.status == UrlStatus::Stopped {
                    return Err(UrlRefusal::Stopped.into());
                }
                !url.codes.is_empty()
            }
        };
        Ok(RegistrationForm {
            fields: self.form_fields().await?,
            asks_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::registration::RegistrationSettings;
    use crate::registration::url::fixtures::{spec, url};
    use crate::services::joining::testing::{JoinMocks, config};

    fn service(m: JoinMocks) -> ApplicationService {
        let (ports, joining) = m.build();
        ApplicationService::new(&ports, &joining, &config())
    }

    fn open() -> RegistrationSettings {
        RegistrationSettings {
            self_registration: true,
            ..RegistrationSettings::default()
        }
    }

    #[tokio::test]
    async fn a2_a5_form_asks_for_a_code_only_when_the_url_has_codes() {
        let with_codes = url(vec![spec("ABCD-1234")]);
        let token = with_codes.token.as_str().to_owned();
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        let found = with_codes.clone();
        m.urls
            .expect_find_by_token()
            .returning(move |_| Ok(Some(found.clone())));
        let s = service(m);
        assert!(s.registration_form(Some(&token)).await.unwrap().asks_code);
        assert!(!s.registration_form(None).await.unwrap().asks_code);
    }

    #[tokio::test]
    async fn a1_a5_closed_unknown_and_stopped_are_refused() {
        let mut m = JoinMocks::new();
        m.with_registration(RegistrationSettings::default());
        let err = service(m).registration_form(None).await.unwrap_err();
        assert_eq!(err.code(), "registration_closed");

        let mut stopped = url(Vec::new());
        stopped.stop();
        let token = stopped.token.as_str().to_owned();
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.urls.expect_find_by_token().returning(move |t| {
            Ok((t.as_str() == stopped.token.as_str()).then(|| stopped.clone()))
        });
        let s = service(m);
        let err = s.registration_form(Some(&token)).await.unwrap_err();
        assert_eq!(err.code(), "registration_url_stopped");
        let other = "x".repeat(43);
        let err = s.registration_form(Some(&other)).await.unwrap_err();
        assert_eq!(err.code(), "registration_url_not_found");
    }

    #[tokio::test]
    async fn a2_review_reports_every_field_and_writes_nothing() {
        use crate::registration::{ApplicationForm, RawPassword};
        let mut m = JoinMocks::new();
        m.with_registration(open());
        m.base.with_fields(Vec::new());
        // No hasher, user, application or token expectation: a call would fail the test.
        let s = service(m);
        let form = ApplicationForm {
            login_id: "hanako".into(),
            name: "Hanako".into(),
            email: "not-an-address".into(),
            password: RawPassword::new("short".into()),
            attributes: Default::default(),
            registration_token: None,
            code: None,
        };
        let JoiningError::Invalid(fields) = s.review(form.clone()).await.unwrap_err() else {
            panic!("validation_failed expected");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert!(names.contains(&"email"), "{names:?}");
        let good = ApplicationForm {
            email: "hanako@example.jp".into(),
            password: RawPassword::new("tall-cedar-river-42".into()),
            ..form
        };
        s.review(good).await.unwrap();
    }
}
